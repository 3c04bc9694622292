"""Repeat customers and customer retention rate (issue 20, point 5).

Five customers (commercial partners) order across periods; the period under test is
April 2026, the window the 12 months before its start: 2025-04-01 00:00 (included) to
2026-04-01 (excluded), order dates in UTC like every order metric.

  C1  2025-04-01 00:00 Sam   (exactly 12 months before: counts)    2026-04-10 Sam (its contact)
  C2  2025-03-31 10:00 Sam   (one day earlier: does not count)     2026-04-12 Sam
      2025-06-01 Sam   quotation (draft: does not count)
  C3  2025-10-05 Sara                                             2026-04-15 Sara
  C4  2026-01-20 Otto  (team South)                               2026-04-20 Sam
  C5  2026-02-01 Sam                                              2026-04-25 Sam draft,
                                                                  2026-04-26 Sam cancelled

A dimension filters both orders: Sam's repeat customers are the customers with an order
of Sam's in the period and one of Sam's in the window. The expected values are computed
below by plain Python over ``ORDERS``.
"""

from datetime import datetime

from common import SalesManagementCommon
from dateutil.relativedelta import relativedelta

from odoo.exceptions import ValidationError

APRIL_2026 = {"date_from": "2026-04-01", "date_to": "2026-04-30"}
START, END = datetime(2026, 4, 1), datetime(2026, 5, 1)  # END excluded

# (customer, salesperson, team, date, state); the period orders of C1 go to its contact
ORDERS = [
    ("c1", "salesman", "north", datetime(2025, 4, 1, 0, 0), "sale"),
    ("c1", "salesman", "north", datetime(2026, 4, 10, 9, 0), "sale"),
    ("c2", "salesman", "north", datetime(2025, 3, 31, 10, 0), "sale"),
    ("c2", "salesman", "north", datetime(2025, 6, 1, 10, 0), "draft"),
    ("c2", "salesman", "north", datetime(2026, 4, 12, 9, 0), "sale"),
    ("c3", "salesman_2", "north", datetime(2025, 10, 5, 9, 0), "sale"),
    ("c3", "salesman_2", "north", datetime(2026, 4, 15, 9, 0), "sale"),
    ("c4", "other_team", "south", datetime(2026, 1, 20, 9, 0), "sale"),
    ("c4", "salesman", "north", datetime(2026, 4, 20, 9, 0), "sale"),
    ("c5", "salesman", "north", datetime(2026, 2, 1, 9, 0), "sale"),
    ("c5", "salesman", "north", datetime(2026, 4, 25, 9, 0), "draft"),
    ("c5", "salesman", "north", datetime(2026, 4, 26, 9, 0), "cancel"),
]


def expected(months=12, user=None, team=None):
    """(repeat customers, retention %) of April 2026 from ``ORDERS`` alone."""
    since = START - relativedelta(months=months)

    def customers(date_from, date_to):
        return {
            customer for customer, who, which, when, state in ORDERS
            if state == "sale" and date_from <= when < date_to
            and user in (None, who) and team in (None, which)
        }

    now, before = customers(START, END), customers(since, START)
    repeat = now & before
    return len(repeat), (100.0 * len(repeat) / len(before) if before else 0.0)


class TestRepeatCustomers(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.metric = {
            code: cls.env.ref(f"sales_management.sales_metric_{code}")
            for code in ("revenue", "repeat_customers", "retention_rate")
        }
        Partner = cls.env["res.partner"]
        cls.customers = {
            key: Partner.create({"name": f"SM Repeat {key.upper()}", "is_company": True,
                                 "country_id": cls.country_be.id})
            for key in ("c1", "c2", "c3", "c4", "c5")
        }
        cls.c1_contact = Partner.create({"name": "SM Repeat C1 Buyer",
                                         "parent_id": cls.customers["c1"].id})
        teams = {"north": cls.team, "south": cls.team_other}
        cls.orders = {}
        for index, (customer, user, team, when, state) in enumerate(ORDERS):
            partner = cls.customers[customer]
            if customer == "c1" and when >= START:
                partner = cls.c1_contact
            order = cls._create_order(
                partner, getattr(cls, f"user_{user}"), [(cls.product_goods, 1, 100.0)],
                date_order=when, confirm=state != "draft", team=teams[team],
            )
            if state == "cancel":
                order._action_cancel()
            cls.orders[index] = order
        cls.plan_2026 = cls._plan(name="SM Repeat 2026", date_from="2026-01-01",
                                  date_to="2026-12-31")

    @classmethod
    def _plan(cls, name, **vals):
        return cls.env["sales.plan"].create({"name": name, "user_id": cls.user_manager.id,
                                             **vals})

    @classmethod
    def _target(cls, plan, code, value, **vals):
        return cls.env["sales.plan.target"].create({
            "plan_id": plan.id, "metric_id": cls.metric[code].id, "target_value": value,
            **vals,
        })

    def _actual(self, code, **dims):
        return self._target(self.plan_2026, code, 50.0, **APRIL_2026, **dims).actual_value

    def test_data_as_described(self):
        self.assertEqual([o.state for o in self.orders.values()],
                         [state for *_rest, state in ORDERS])
        self.assertEqual(expected(), (3, 75.0))  # C1, C3, C4 of C1, C3, C4, C5

    def test_company_wide(self):
        repeat, retention = expected()
        self.assertEqual(self._actual("repeat_customers"), repeat)
        self.assertAlmostEqual(self._actual("retention_rate"), retention, places=2)

    def test_per_salesperson_and_team(self):
        cases = [
            ({"user_id": self.user_salesman.id}, {"user": "salesman"}, (1, 50.0)),
            ({"user_id": self.user_salesman_2.id}, {"user": "salesman_2"}, (1, 100.0)),
            ({"user_id": self.user_other_team.id}, {"user": "other_team"}, (0, 0.0)),
            ({"team_id": self.team.id}, {"team": "north"}, (2, 200.0 / 3)),
            ({"team_id": self.team_other.id}, {"team": "south"}, (0, 0.0)),
            ({"user_id": self.user_salesman.id, "team_id": self.team.id},
             {"user": "salesman", "team": "north"}, (1, 50.0)),
        ]
        for dims, filters, by_hand in cases:
            with self.subTest(dims=filters):
                repeat, retention = expected(**filters)
                self.assertEqual((repeat, round(retention, 2)),
                                 (by_hand[0], round(by_hand[1], 2)))
                self.assertEqual(self._actual("repeat_customers", **dims), repeat)
                self.assertAlmostEqual(self._actual("retention_rate", **dims), retention,
                                       places=2)

    def test_customer_and_country(self):
        """A customer is counted with its contacts; the country is the customer's."""
        self.assertEqual(
            self._actual("repeat_customers", partner_id=self.customers["c1"].id), 1)
        self.assertEqual(
            self._actual("repeat_customers", partner_id=self.customers["c2"].id), 0)
        self.assertEqual(
            self._actual("repeat_customers", country_id=self.country_be.id), expected()[0])
        self.assertEqual(
            self._actual("repeat_customers", country_id=self.country_us.id), 0)

    def test_window_edge_and_length(self):
        """The window starts N months before the period's start, that instant included:
        C1's order of 2025-04-01 00:00 counts, C2's of 2025-03-31 does not. With a
        6-month window C1 is no longer a repeat customer."""
        self.assertEqual(expected(12), (3, 75.0))
        six = self.metric["repeat_customers"].copy({"code": "sm_repeat_6", "name": "R6",
                                                    "lookback_months": 6})
        six_rate = self.metric["retention_rate"].copy({"code": "sm_retention_6",
                                                       "name": "RR6", "lookback_months": 6})
        self.assertEqual(expected(6), (2, 200.0 / 3))  # C3, C4 of C3, C4, C5
        slot = {"key": 1, "company_id": self.company.id, **APRIL_2026}
        self.assertEqual(six._compute_values([slot])[1], expected(6)[0])
        self.assertAlmostEqual(six_rate._compute_values([slot])[1], expected(6)[1], places=2)
        # the order one day earlier, moved to the window's first instant, counts
        self.orders[2].date_order = datetime(2025, 4, 1, 0, 0)
        self.assertEqual(self._actual("repeat_customers"), 4)
        self.orders[2].date_order = datetime(2025, 3, 31, 23, 59, 59)
        self.assertEqual(self._actual("repeat_customers"), 3)

    def test_draft_and_cancelled_orders_do_not_count(self):
        """C5's April orders are a quotation and a cancelled order: not a repeat customer;
        confirming the quotation makes it one."""
        self.assertEqual(self._actual("repeat_customers", user_id=self.user_salesman.id), 1)
        self.orders[10].action_confirm()
        self.orders[10].date_order = datetime(2026, 4, 25, 9, 0)
        self.assertEqual(self._actual("repeat_customers", user_id=self.user_salesman.id), 2)
        self.assertAlmostEqual(
            self._actual("retention_rate", user_id=self.user_salesman.id), 100.0, places=2)

    def test_in_a_target_read_by_the_salesperson(self):
        plan = self._plan(name="SM Sam 2026", scope="user", team_id=self.team.id,
                          user_id=self.user_salesman.id, date_from="2026-01-01",
                          date_to="2026-12-31")
        target = self._target(plan, "repeat_customers", 4.0, **APRIL_2026)
        rate = self._target(plan, "retention_rate", 80.0, **APRIL_2026)
        self.env.invalidate_all()
        mine = (target | rate).with_user(self.user_salesman)
        self.assertEqual(mine.mapped("actual_value"), [1.0, 50.0])
        self.assertEqual(mine[0].achievement, 25.0)
        self.assertFalse(rate.metric_id.is_additive)
        self.assertTrue(target.metric_id.is_additive)

    def test_drill_down_opens_the_repeat_customers_orders(self):
        for code in ("repeat_customers", "retention_rate"):
            with self.subTest(metric=code):
                target = self._target(self.plan_2026, code, 5.0, **APRIL_2026)
                action = target.action_open_actual_records()
                self.assertEqual(action["res_model"], "sale.order")
                found = self.env["sale.order"].search(action["domain"])
                self.assertEqual(found, self.orders[1] | self.orders[6] | self.orders[8])
                sam = self._target(self.plan_2026, code, 5.0, **APRIL_2026,
                                   user_id=self.user_salesman.id)
                found = self.env["sale.order"].search(
                    sam.action_open_actual_records()["domain"])
                self.assertEqual(found, self.orders[1])

    def test_unsupported_dimension_and_bad_definition(self):
        with self.assertRaises(ValidationError):
            self._target(self.plan_2026, "repeat_customers", 1.0, **APRIL_2026,
                         product_id=self.product_goods.id)
        with self.assertRaises(ValidationError):
            self.metric["repeat_customers"].copy({"code": "sm_bad", "measure": "amount"})
        with self.assertRaises(ValidationError):
            self.metric["revenue"].copy({"code": "sm_bad2", "measure": "retention_ratio",
                                         "unit": "percent"})
        with self.assertRaises(ValidationError):
            self.metric["repeat_customers"].copy({"code": "sm_bad3", "lookback_months": 0})

    def test_one_query_for_both_metrics(self):
        metrics = self.metric["repeat_customers"] | self.metric["retention_rate"]
        slots = [{"key": i, "company_id": self.company.id, **APRIL_2026, **dims}
                 for i, dims in enumerate([{}, {"user_id": self.user_salesman.id},
                                           {"team_id": self.team.id}])]
        for metric in metrics:
            metric._row_filter()  # the metrics' own fields read
        metrics.mapped("lookback_months")
        self.env.flush_all()
        before = self.cr.sql_log_count
        values = self.env["sales.metric"]._compute_all(dict.fromkeys(metrics, slots))
        self.assertEqual(self.cr.sql_log_count - before, 1)
        self.assertEqual(values[metrics[0].id], {0: 3.0, 1: 1.0, 2: 2.0})
        self.assertAlmostEqual(values[metrics[1].id][2], 200.0 / 3, places=2)
