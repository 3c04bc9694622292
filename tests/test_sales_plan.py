"""Live plan-vs-actual: every shipped metric and dimension from records of known totals,
plan scope, hierarchy roll-ups, expected-to-date with seasonality, health, drill-down, and
a query count that does not grow with the number of targets."""

from datetime import datetime

from freezegun import freeze_time
from sales_plan_common import SalesPlanCommon

from odoo.addons.sales_management.models.sales_metric import SOURCES
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

Q1 = {"date_from": "2025-01-01", "date_to": "2025-03-31"}
MARCH = {"date_from": "2025-03-01", "date_to": "2025-03-31"}
APRIL = {"date_from": "2025-04-01", "date_to": "2025-04-30"}
FIGURES = ["actual_value", "expected_to_date", "achievement", "pace", "variance", "health"]


class TestSalesPlanActuals(SalesPlanCommon):
    def test_every_shipped_metric(self):
        plan = self._plan()
        expected = {
            # code: (period, dimensions, value)
            "revenue": (MARCH, {}, 1000.0 + 500.0),
            "invoiced": (MARCH, {}, 1000.0 - 100.0),
            "quantity": (MARCH, {}, 3 + 5),
            "orders": (MARCH, {}, 2),
            "new_customers": (MARCH, {}, 1),  # US is new; BE ordered in December 2024
            "opportunities": (Q1, {}, 4),  # Jan 10, Feb 1, Feb 10, Mar 1
            "won": (MARCH, {}, 2),
            "win_rate": (MARCH, {}, 100.0 * 2 / 3),
            "activities": (Q1, {}, 2),
            "quotations_sent": (MARCH, {}, 1),
        }
        targets = {
            code: self._target(plan, code, 50.0, **period, **dims)
            for code, (period, dims, _value) in expected.items()
        }
        for code, (_period, _dims, value) in expected.items():
            with self.subTest(metric=code):
                self.assertAlmostEqual(targets[code].actual_value, value, places=2)
        # a metric's actual never counts outside its period or company
        self.assertEqual(
            self._target(plan, "revenue", 1, **APRIL).actual_value, 1600.0
        )
        self.assertEqual(
            self._target(plan, "invoiced", 1, **APRIL).actual_value, 300.0
        )
        self.assertEqual(self._target(plan, "new_customers", 1).actual_value, 1)

    def test_new_customers_counts_first_order_only(self):
        plan = self._plan(date_from="2024-01-01", date_to="2025-12-31")
        self.assertEqual(
            self._target(plan, "new_customers", 1, date_from="2024-12-01",
                         date_to="2024-12-31").actual_value, 1)
        self.assertEqual(self._target(plan, "new_customers", 1).actual_value, 2)

    def test_new_customers_first_order_by_date_then_id(self):
        """A customer's first order is its earliest confirmed one (order date, then id),
        its contacts' included; a quotation never confirmed is none. A salesperson's
        target counts the customers whose first order is his, not those he sold to
        after someone else (the conditions on the orders are applied before the search
        for an earlier one, not after)."""
        customer = self.env["res.partner"].create({"name": "SM New Co", "is_company": True})
        contact = self.env["res.partner"].create({"name": "SM New Contact",
                                                  "parent_id": customer.id})
        line = [(self.product_goods, 1, 100.0)]
        self._create_order(customer, self.user_salesman, line,
                           date_order=datetime(2025, 5, 2, 9, 0), confirm=False)
        when = datetime(2025, 5, 10, 10, 0)
        first = self._create_order(contact, self.user_salesman_2, line, date_order=when)
        later = self._create_order(customer, self.user_salesman, line, date_order=when)
        self.assertLess(first.id, later.id)
        self._create_order(customer, self.user_salesman, line,
                           date_order=datetime(2025, 6, 1, 9, 0))
        plan = self._plan()
        may = {"date_from": "2025-05-01", "date_to": "2025-05-31"}
        june = {"date_from": "2025-06-01", "date_to": "2025-06-30"}
        cases = [
            (may, {}, 1),
            (may, {"user_id": self.user_salesman_2.id}, 1),
            (may, {"user_id": self.user_salesman.id}, 0),
            (june, {"user_id": self.user_salesman.id}, 0),
            (may, {"partner_id": customer.id}, 1),
        ]
        for period, dims, count in cases:
            with self.subTest(period=period, dims=dims):
                target = self._target(plan, "new_customers", 1, **period, **dims)
                self.assertEqual(target.actual_value, count)

    def test_activity_types_filter(self):
        calls = self.metric["activities"].copy({
            "code": "sm_calls", "name": "Calls",
            "activity_type_ids": [(6, 0, self.type_call.ids)],
        })
        plan = self._plan()
        target = self.env["sales.plan.target"].create({
            "plan_id": plan.id, "metric_id": calls.id, "target_value": 10, **Q1,
        })
        self.assertEqual(target.actual_value, 1)
        self.assertEqual(self._target(plan, "activities", 1, **Q1).actual_value, 2)

    def test_every_dimension(self):
        plan = self._plan()
        cases = [
            ({"user_id": self.user_salesman.id}, 1000.0),
            ({"user_id": self.user_salesman_2.id}, 500.0),
            ({"team_id": self.team.id}, 1500.0),
            ({"team_id": self.team_other.id}, 0.0),
            ({"partner_id": self.customer_be.id}, 1000.0),  # its contact ordered
            ({"partner_id": self.customer_be_contact.id}, 1000.0),
            ({"country_id": self.country_be.id}, 1000.0),
            ({"country_id": self.country_us.id}, 500.0),
            ({"state_id": self.state_ca.id}, 500.0),
            ({"medium_id": self.medium.id}, 500.0),
            ({"source_id": self.source.id}, 500.0),
            ({"product_id": self.product_goods.id}, 200.0 + 500.0),
            ({"product_categ_id": self.categ_services.id}, 800.0),
            ({"user_id": self.user_salesman.id, "product_categ_id": self.categ_goods.id},
             200.0),
        ]
        for dims, value in cases:
            with self.subTest(dims=dims):
                target = self._target(plan, "revenue", 100, **MARCH, **dims)
                self.assertAlmostEqual(target.actual_value, value, places=2)
                self.assertTrue(target.is_breakdown)
        # dimensions on invoices and opportunities too
        self.assertEqual(self._target(
            plan, "invoiced", 1, **MARCH, product_categ_id=self.categ_goods.id
        ).actual_value, 200.0 - 100.0)
        self.assertEqual(self._target(
            plan, "won", 1, **MARCH, partner_id=self.customer_be.id
        ).actual_value, 1)
        self.assertEqual(self._target(
            plan, "opportunities", 1, **Q1, user_id=self.user_salesman_2.id
        ).actual_value, 1)

    def test_sales_region_dimension(self):
        region = self.env["sales.region"].create({
            "name": "SM Benelux + California", "country_ids": [(6, 0, self.country_be.ids)],
            "state_ids": [(6, 0, self.state_ca.ids)],
        })
        benelux = self.env["sales.region"].create({
            "name": "SM Benelux", "country_ids": [(6, 0, self.country_be.ids)],
        })
        plan = self._plan()
        both = self._target(plan, "revenue", 1, **MARCH, region_id=region.id)
        be = self._target(plan, "revenue", 1, **MARCH, region_id=benelux.id)
        self.assertEqual(both.actual_value, 1500.0)
        self.assertEqual(be.actual_value, 1000.0)
        self.assertTrue(be.is_breakdown)
        action = be.action_open_actual_records()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), self.o_mar_be)
        self.assertEqual(self._target(plan, "invoiced", 1, **MARCH,
                                      region_id=benelux.id).actual_value, 900.0)
        with self.assertRaises(ValidationError):
            self.env["sales.region"].create({"name": "SM Empty"})

    @freeze_time("2025-03-31 12:00:00")  # the last day of Q1: its pace still decides
    def test_health_thresholds_are_company_settings(self):
        plan = self._plan()
        target = self._target(plan, "revenue", 1800.0, **Q1)  # pace 83 %
        self.assertEqual(target.health, "at_risk")
        self.company.write({"sales_plan_on_track_pace": 80.0, "sales_plan_at_risk_pace": 50.0})
        target.invalidate_recordset()
        self.assertEqual(target.health, "on_track")
        self.company.sales_plan_on_track_pace = 90.0
        target.target_value = 3500.0  # 43 %
        self.assertEqual(target.health, "off_track")
        self.assertEqual(plan.health, "off_track")
        with self.assertRaises(ValidationError):
            self.company.sales_plan_at_risk_pace = 95.0

    def test_unsupported_dimension_is_refused(self):
        plan = self._plan()
        for code in ("won", "opportunities", "activities", "new_customers"):
            with self.subTest(metric=code), self.assertRaises(ValidationError):
                self._target(plan, code, 1, product_categ_id=self.categ_goods.id)
        self.assertFalse(plan.target_ids)

    def test_plan_scope_restricts_targets(self):
        team_plan = self._plan(team_id=self.team.id, user_id=self.user_leader.id)
        self.assertEqual(team_plan.scope, "team")
        sam_plan = self._plan(
            team_id=self.team.id, user_id=self.user_salesman.id, parent_id=team_plan.id
        )
        self.assertEqual(sam_plan.scope, "user")
        outsider = self._plan(team_id=self.team.id, user_id=self.user_manager.id)
        self.assertEqual(outsider.scope, "team", "the manager is not a member of the team")
        self.assertEqual(self._plan().scope, "company")
        self.assertEqual(self._target(team_plan, "revenue", 1, **Q1).actual_value, 1500.0)
        self.assertEqual(self._target(team_plan, "revenue", 1, **APRIL).actual_value, 0.0)
        self.assertEqual(self._target(sam_plan, "revenue", 1, **Q1).actual_value, 1000.0)
        self.assertEqual(self._target(sam_plan, "won", 1, **Q1).actual_value, 2)
        with self.assertRaises(ValidationError):
            self._target(sam_plan, "revenue", 1, user_id=self.user_salesman_2.id)

    def test_hierarchy_rollups(self):
        company = self._plan("SM Company")
        north = self._plan(
            "SM North", parent_id=company.id, team_id=self.team.id, user_id=self.user_leader.id
        )
        south = self._plan(
            "SM South", parent_id=company.id, team_id=self.team_other.id,
            user_id=self.user_manager.id,
        )
        self._target(company, "revenue", 6000.0, **Q1)
        self._target(company, "revenue", 4000.0, **APRIL)
        self._target(north, "revenue", 5000.0, **Q1)
        self._target(south, "revenue", 3000.0, **APRIL)
        # a breakdown does not add to the headline figure
        self._target(company, "revenue", 999.0, **Q1, country_id=self.country_be.id)
        self.assertEqual(company.target_value, 10000.0)
        self.assertEqual(company.actual_value, 1500.0 + 1600.0)
        self.assertEqual(company.children_target_value, 8000.0)
        self.assertEqual(company.coverage, 80.0)
        self.assertEqual(company.unallocated_value, 2000.0)
        self.assertEqual(north.actual_value, 1500.0)
        self.assertEqual(south.actual_value, 1600.0)
        self.assertEqual(north.achievement, 30.0)
        self.assertEqual(company.main_target_id.metric_id, self.metric["revenue"])
        self.assertEqual(company.contributor_user_ids, (
            self.user_manager | self.user_leader
        ))
        self.assertEqual(company.child_ids, north | south)
        # the printed tree lists siblings by name, whatever their ids (the model's order
        # sorts parent_path as text, ".../1000/" before ".../993/")
        self._plan("SM East", parent_id=company.id)
        tree = company._get_performance_data()[company.id]["tree"]
        self.assertEqual([row["short_name"] for row in tree],
                         ["SM Company", "SM East", "SM North", "SM South"])

    def test_expected_to_date_pace_and_health(self):
        plan = self._plan()
        target = self._target(plan, "revenue", 3000.0, **Q1)
        with freeze_time("2025-02-14"):  # 45 days of 90
            target.invalidate_recordset()
            self.assertAlmostEqual(target.expected_to_date, 1500.0)
            self.assertEqual(target.actual_value, 1500.0)
            self.assertAlmostEqual(target.variance, 0.0)
            self.assertAlmostEqual(target.pace, 100.0)
            self.assertEqual(target.health, "on_track")
        with freeze_time("2025-03-10"):  # 69 days of 90
            target.invalidate_recordset()
            self.assertAlmostEqual(target.expected_to_date, 3000.0 * 69 / 90)
            self.assertAlmostEqual(target.variance, 1500.0 - 3000.0 * 69 / 90)
            self.assertEqual(target.health, "off_track")
        with freeze_time("2025-03-31"):
            target.invalidate_recordset()
            self.assertEqual(target.expected_to_date, 3000.0)
            self.assertEqual(target.achievement, 50.0)
            self.assertEqual(target.pace, 50.0)
            self.assertEqual(target.health, "off_track")
        with freeze_time("2024-12-01"):
            target.invalidate_recordset()
            self.assertEqual(target.expected_to_date, 0.0)
            self.assertEqual(target.health, "not_started")  # issue 18: not "on track"
        target.target_value = 1550.0
        with freeze_time("2025-03-31"):
            target.invalidate_recordset()
            self.assertEqual(target.health, "on_track")  # 1500 / 1550 = 96.8 %
            target.target_value = 1800.0
            self.assertEqual(target.health, "at_risk")  # 83 %
        with freeze_time("2025-06-01"):  # Q1 is over: what happened, not a pace
            target.invalidate_recordset()
            self.assertEqual(target.health, "missed")
            target.target_value = 1500.0
            self.assertEqual(target.health, "achieved")
        # seasonality from history: January weighs 10 %, February 30 %, March 60 %
        target.write({"target_value": 1000.0,
                      "seasonality": {"2025-01": 1.0, "2025-02": 3.0, "2025-03": 6.0}})
        with freeze_time("2025-02-28"):
            target.invalidate_recordset()
            self.assertAlmostEqual(target.expected_to_date, 400.0)
        with freeze_time("2025-03-16"):  # half of March gone: 400 + 300
            target.invalidate_recordset()
            self.assertAlmostEqual(target.expected_to_date, 400.0 + 600.0 * 16 / 31)
        # a win rate is expected at its full value from day one
        rate = self._target(plan, "win_rate", 60.0, **MARCH)
        with freeze_time("2025-03-02"):
            rate.invalidate_recordset()
            self.assertEqual(rate.expected_to_date, 60.0)
            self.assertAlmostEqual(rate.pace, 100.0 * (200.0 / 3) / 60.0)
            self.assertEqual(rate.health, "on_track")

    def test_drill_down_opens_the_records_behind(self):
        plan = self._plan()
        cases = [
            (self._target(plan, "revenue", 1, **MARCH), self.o_mar_be | self.o_mar_us),
            (self._target(plan, "revenue", 1, **MARCH, country_id=self.country_be.id),
             self.o_mar_be),
            (self._target(plan, "revenue", 1, **MARCH, product_categ_id=self.categ_services.id),
             self.o_mar_be),
            (self._target(plan, "invoiced", 1, **MARCH), self.inv_mar_be | self.refund_mar_be),
            (self._target(plan, "won", 1, **MARCH), self.leads[0] | self.leads[1]),
            (self._target(plan, "opportunities", 1, **Q1, user_id=self.user_salesman_2.id),
             self.leads[3]),
            (self._target(plan, "activities", 1, **Q1), self.activity_messages),
            (self._target(plan, "quotations_sent", 1, **MARCH), self.o_draft),
        ]
        for target, records in cases:
            with self.subTest(metric=target.metric_id.code):
                action = target.action_open_actual_records()
                self.assertEqual(action["res_model"], records._name)
                found = self.env[action["res_model"]].with_context(active_test=False).search(
                    action["domain"]
                )
                self.assertEqual(found, records)
        action = plan.target_ids.filtered(
            lambda t: t.metric_id == self.metric["revenue"] and not t.is_breakdown
        ).action_open_actual_records()
        self.assertEqual(self.env["sale.order"].search(action["domain"]),
                         self.o_mar_be | self.o_mar_us)

    def test_query_count_does_not_grow_with_targets(self):
        plan = self._plan()
        metrics = list(self.metric)

        def make(n):
            Target = self.env["sales.plan.target"]
            vals = []
            for i in range(n):
                code = metrics[i % len(metrics)]
                vals.append({
                    "plan_id": plan.id, "metric_id": self.metric[code].id,
                    "target_value": 10 + i % 50, "date_from": f"2025-{1 + i % 12:02d}-01",
                    "date_to": "2025-12-31",
                    "user_id": (self.user_salesman if i % 2 else self.user_salesman_2).id,
                })
            return Target.create(vals)

        def count(targets):
            self.env.invalidate_all()
            self.env.flush_all()
            before = self.cr.sql_log_count
            values = {t.id: (t.actual_value, t.health) for t in targets}
            self.assertEqual(len(values), len(targets))
            return self.cr.sql_log_count - before

        small, large = make(len(metrics)), make(10 * len(metrics))
        # more than the ORM's prefetch batch (1,000 records): still one computation
        huge = make(1200)
        queries_small, queries_large = count(small), count(large)
        self.assertEqual(queries_small, queries_large)
        sources = len({self.metric[code].source for code in metrics})
        # one query per source, plus the targets, the metrics and the fields the ORM reads
        self.assertLessEqual(queries_large, sources + 8)
        with self.assertQueryCount(queries_large):
            self.env.invalidate_all()
            large.mapped("actual_value")
        # read as the list view does, more than the ORM's batch of 1,000 targets: the
        # figures add the same queries to the read as for ten targets (the ORM's own
        # reads and access checks go by 1,000)
        def figure_queries(targets):
            targets.with_user(self.user_manager).read(["target_value"])  # rules, groups
            counts = []
            for fnames in (["target_value"], ["target_value", *FIGURES]):
                self.env.invalidate_all()
                before = self.cr.sql_log_count
                rows = targets.with_user(self.user_manager).read(fnames)
                counts.append(self.cr.sql_log_count - before)
            self.assertEqual(len(rows), len(targets))
            return counts[1] - counts[0]

        self.assertEqual(figure_queries(huge), figure_queries(small))

    def test_plan_figures_query_count_does_not_grow_with_plans(self):
        def make(n):
            plans = self.env["sales.plan"].create([
                {"name": f"SM P{i}", "date_from": "2025-01-01", "date_to": "2025-12-31",
                 "user_id": self.user_manager.id} for i in range(n)
            ])
            self.env["sales.plan.target"].create([
                {"plan_id": plan.id, "metric_id": self.metric[code].id, "target_value": 5}
                for plan in plans for code in ("revenue", "orders", "won")
            ])
            return plans

        def count(plans):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            values = [(p.actual_value, p.health, p.coverage) for p in plans]
            self.assertEqual(values[0][0], 1500.0 + 1600.0)
            return self.cr.sql_log_count - before

        self.assertEqual(count(make(2)), count(make(20)))

    def test_pivot_adds_up_live_actuals(self):
        plan = self._plan()
        self._target(plan, "revenue", 100, **MARCH, user_id=self.user_salesman.id)
        self._target(plan, "revenue", 200, **MARCH, user_id=self.user_salesman_2.id)
        self._target(plan, "revenue", 300, **APRIL, user_id=self.user_salesman.id)
        groups = self.env["sales.plan.target"].read_group(
            [("plan_id", "=", plan.id)], ["target_value:sum", "actual_value:sum"], ["user_id"],
        )
        by_user = {g["user_id"][0]: (g["target_value"], g["actual_value"]) for g in groups}
        self.assertEqual(by_user[self.user_salesman.id], (400.0, 1000.0))
        self.assertEqual(by_user[self.user_salesman_2.id], (200.0, 500.0))
        fields = self.env["sales.plan.target"].fields_get(["actual_value"], ["aggregator"])
        self.assertEqual(fields["actual_value"]["aggregator"], "sum")

    def test_lead_sources_share_one_scan_and_keep_their_rows(self):
        """The opportunities by creation date and by closing date are one scan of the
        opportunities (two rows per won or lost one): each source read alone (the alerts'
        gap contributors, the distinct values) keeps its own rows only, each opportunity
        once, those the ORM finds with the same conditions."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        wanted = {
            "opportunities": Lead.search_count([("type", "=", "opportunity")]),
            "won": Lead.search_count([
                ("type", "=", "opportunity"), ("date_closed", "!=", False),
                ("active", "=", True), ("probability", "=", 100)]),
            "win_rate": Lead.search_count([
                ("type", "=", "opportunity"), ("date_closed", "!=", False),
                "|", "&", ("active", "=", True), ("probability", "=", 100),
                "&", ("active", "=", False), ("probability", "=", 0)]),
        }
        self.assertGreater(wanted["win_rate"], wanted["won"], "the data has lost ones")
        for code, count in wanted.items():
            metric = self.metric[code].sudo()
            self.assertEqual(SOURCES[metric.source].scan, "lead_dates")
            self.env.flush_all()
            self.env.cr.execute(SQL("SELECT COUNT(*), COUNT(DISTINCT r.ref) FROM (%s) r",
                                    metric._source_rows_sql()))
            self.assertEqual(self.env.cr.fetchone(), (count, count), code)

    def test_batch_helper_matches_fields(self):
        plan = self._plan()
        targets = self._target(plan, "revenue", 1, **MARCH) | self._target(
            plan, "orders", 1, **MARCH
        )
        figures = targets._get_figures()
        self.assertEqual(figures[targets[0].id]["actual_value"], 1500.0)
        self.assertEqual(targets._get_actuals(), {targets[0].id: 1500.0, targets[1].id: 2.0})

    def test_grouped_and_joined_slots_agree(self):
        """Whole-month slots are answered by one GROUPING SETS aggregation, the others
        (partial months, customers, regions) by joins. For every metric and every
        dimension it supports, in one batch: a month equals the sum of its two halves,
        every slot equals its value computed alone, and a slot of another company counts
        nothing of this one. All the metrics at once cost one query per source."""
        other_company = self.env["res.company"].create({"name": "SM Other Company"})
        benelux = self.env["sales.region"].create({
            "name": "SM Benelux", "country_ids": [(6, 0, self.country_be.ids)],
        })
        dims = [
            {}, {"user_id": self.user_salesman.id}, {"team_id": self.team.id},
            {"user_id": self.user_salesman.id, "team_id": self.team.id},
            {"partner_id": self.customer_be.id}, {"country_id": self.country_be.id},
            {"state_id": self.state_ca.id}, {"region_id": benelux.id},
            {"medium_id": self.medium.id}, {"source_id": self.source.id},
            {"product_id": self.product_goods.id},
            {"product_categ_id": self.product_goods.categ_id.id},
            {"country_id": self.country_be.id, "product_id": self.product_goods.id},
        ]
        all_slots, sources = {}, set()
        for code in ("revenue", "invoiced", "quantity", "orders", "new_customers",
                     "opportunities", "won", "win_rate", "activities", "quotations_sent",
                     "repeat_customers", "retention_rate"):
            metric = self.metric[code].sudo()
            supported = {*metric._supported_dimensions(), "region_id"}
            slots = []
            for i, dim in enumerate(dims):
                if any(name not in supported for name in dim):
                    continue
                for month in (2, 3):
                    last = 28 if month == 2 else 31
                    base = {"company_id": self.company.id, **dim}
                    slots += [
                        dict(base, key=(i, month, "all"), date_from=f"2025-{month:02d}-01",
                             date_to=f"2025-{month:02d}-{last}"),
                        dict(base, key=(i, month, "a"), date_from=f"2025-{month:02d}-01",
                             date_to=f"2025-{month:02d}-15"),
                        dict(base, key=(i, month, "b"), date_from=f"2025-{month:02d}-16",
                             date_to=f"2025-{month:02d}-{last}"),
                        dict(base, key=(i, month, "other"), company_id=other_company.id,
                             date_from=f"2025-{month:02d}-01",
                             date_to=f"2025-{month:02d}-{last}"),
                    ]
            all_slots[metric] = slots
            sources.add(SOURCES[metric.source].scan or metric.source)
            with self.subTest(metric=code):
                metric._row_filter()  # the metric's own fields (activity types) read
                self.env.flush_all()
                before = self.cr.sql_log_count
                values = metric._compute_values(slots)
                self.assertEqual(self.cr.sql_log_count - before, 1)
                for slot in slots:
                    self.assertAlmostEqual(
                        values[slot["key"]], metric._compute_values([slot])[slot["key"]],
                        places=2, msg=slot["key"])
                    i, month, part = slot["key"]
                    if part == "all" and metric.is_additive:
                        self.assertAlmostEqual(
                            values[slot["key"]],
                            values[(i, month, "a")] + values[(i, month, "b")], places=2)
                    elif part == "other":
                        self.assertEqual(values[slot["key"]], 0.0)
                self.assertTrue(any(values.values()), "the data has figures for the metric")
                all_slots[metric] = (slots, values)
        # every metric at once: one query per source (the opportunities by creation and
        # by closing date: one scan), the same values
        before = self.cr.sql_log_count
        together = self.env["sales.metric"]._compute_all(
            {metric: slots for metric, (slots, _values) in all_slots.items()})
        self.assertEqual(self.cr.sql_log_count - before, len(sources))
        for metric, (_slots, values) in all_slots.items():
            self.assertEqual(together[metric.id], values, metric.code)

    def test_figures_of_mixed_targets_in_one_batch(self):
        """The targets become slots: whole months (with or without a salesperson, team
        or country) take the grouped path, the others (a quarter, half a month, a
        customer, a region) the joined one; in one batch every target's actual equals
        its slot computed alone, and a closed plan's target keeps its snapshot."""
        benelux = self.env["sales.region"].create({
            "name": "SM Benelux", "country_ids": [(6, 0, self.country_be.ids)],
        })
        half_march = {"date_from": "2025-03-01", "date_to": "2025-03-15"}
        cases = [
            ("revenue", MARCH, {}, True, 1500.0),
            ("revenue", MARCH, {"user_id": self.user_salesman.id}, True, None),
            ("revenue", MARCH, {"team_id": self.team.id}, True, None),
            ("revenue", MARCH, {"country_id": self.country_be.id}, True, None),
            ("revenue", Q1, {}, False, None),
            ("revenue", half_march, {}, False, None),
            ("revenue", MARCH, {"partner_id": self.customer_be.id}, False, 1000.0),
            ("revenue", MARCH, {"region_id": benelux.id}, False, 1000.0),
            ("orders", MARCH, {}, True, 2.0),
            ("orders", MARCH, {"partner_id": self.customer_be.id}, False, None),
            ("win_rate", MARCH, {}, True, 100.0 * 2 / 3),
            ("opportunities", Q1, {"user_id": self.user_salesman_2.id}, False, 1.0),
        ]
        plan = self._plan()
        targets = self.env["sales.plan.target"]
        for code, period, dims, _grouped, _value in cases:
            targets |= self._target(plan, code, 10.0, **period, **dims)
        closed = self._target(self._plan(name="SM closed"), "revenue", 10.0, **MARCH)
        closed.write({"is_snapshot": True, "snapshot_value": 1234.0})
        slots = targets._slots()
        self.env.invalidate_all()
        (targets | closed).metric_id.sudo().mapped("activity_type_ids")
        self.env["res.company"].browse(self.company.id).sales_plan_on_track_pace  # noqa: B018
        self.env.user.tz  # noqa: B018
        before = self.cr.sql_log_count
        figures = (targets | closed)._get_figures()
        # the targets, the metrics' definition, then one query per source: the order
        # lines, and the opportunities by closing date (won/lost) and by creation date in
        # one scan
        self.assertEqual(self.cr.sql_log_count - before, 1 + 1 + 2)
        self.assertEqual(figures[closed.id]["actual_value"], 1234.0)
        for target, (code, _period, dims, grouped, value) in zip(targets, cases):
            with self.subTest(metric=code, period=target.date_from, dims=dims):
                self.assertEqual(slots[target.id].grouping_mask is not None, grouped)
                alone = target.metric_id.sudo()._compute_values([target._slot()])
                self.assertAlmostEqual(figures[target.id]["actual_value"],
                                       alone[target.id], places=2)
                if value is not None:
                    self.assertAlmostEqual(figures[target.id]["actual_value"], value,
                                           places=2)

    def test_figures_apply_the_record_rules(self):
        """``_get_figures`` applies the read rules in SQL: a salesperson gets the figures
        of his own plan's targets and an access error on another team's."""
        own = self._target(self._plan(name="SM own", scope="user", team_id=self.team.id,
                                      user_id=self.user_salesman.id),
                           "revenue", 100, **MARCH)
        other = self._target(self._plan(name="SM other", scope="user",
                                        team_id=self.team_other.id,
                                        user_id=self.user_other_team.id),
                             "revenue", 100, **APRIL)
        self.env.invalidate_all()
        figures = own.with_user(self.user_salesman)._get_figures()
        self.assertEqual(figures[own.id]["actual_value"], 1000.0)
        with self.assertRaises(AccessError):
            (own | other).with_user(self.user_salesman)._get_figures()
        figures = (own | other).with_user(self.user_manager)._get_figures()
        self.assertEqual(figures[other.id]["actual_value"], 1600.0)

    def test_read_of_figures_only(self):
        """``read()`` of figures alone (the list view's figure columns, their export) reads
        nothing through the ORM: the figures' own query applies the rules. The values
        equal those of a read with other fields; a target the user may not read raises
        and returns nothing; a deleted one is left out, as ``read()`` does."""
        plan = self._plan(name="SM own", scope="user", team_id=self.team.id,
                          user_id=self.user_salesman.id)
        own = self._target(plan, "revenue", 100, **MARCH) | self._target(
            plan, "revenue", 300, **APRIL)
        other = self._target(self._plan(name="SM other", scope="user",
                                        team_id=self.team_other.id,
                                        user_id=self.user_other_team.id),
                             "revenue", 100, **APRIL)
        self.env.invalidate_all()
        alone = own.with_user(self.user_salesman).read(FIGURES)
        self.env.invalidate_all()
        mixed = own.with_user(self.user_salesman).read(["target_value", *FIGURES])
        self.assertEqual([row["id"] for row in alone], own.ids)
        self.assertEqual(alone, [{k: v for k, v in row.items() if k != "target_value"}
                                 for row in mixed])
        self.assertEqual(alone[0]["actual_value"], 1000.0)  # March, as above
        self.assertEqual(own.with_user(self.user_salesman).read(["health"]),
                         [{"id": row["id"], "health": row["health"]} for row in alone])
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            (own | other).with_user(self.user_salesman).read(FIGURES)
        gone = self._target(plan, "revenue", 50, **MARCH)
        ids = [*own.ids, gone.id]
        gone.unlink()
        self.env.invalidate_all()
        rows = self.env["sales.plan.target"].with_user(self.user_salesman).browse(ids).read(
            FIGURES)
        self.assertEqual([row["id"] for row in rows], own.ids)
