"""Reporting scope of a team leader (issue 7: "the dashboard for the current user's scope").

A team leader (``crm.team.user_id``) who is only in the plain salesman group cannot read their
team members' orders and opportunities (core record rules), yet their dashboard figures must
cover the team they lead, and nothing beyond it. Salespersons keep their own figures,
managers see everything.

Every expected figure is computed here from the orders and opportunities the test builds."""

from common import SalesManagementCommon

from odoo.exceptions import AccessError


class TestSalesReportingLeaderScope(SalesManagementCommon):
    freeze_time = "2025-06-15 12:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dashboard = cls.env["sales.management.dashboard"]
        goods, service = cls.product_goods, cls.product_service
        # team North (led by Lea): Sam 2 orders + a quotation, Sara 1 order, Lea 1 own order
        cls.order_sam_1 = cls._create_order(cls.customer_be, cls.user_salesman,
                                            [(goods, 10, 100.0)], date_order="2025-03-10 10:00:00")
        cls.order_sam_2 = cls._create_order(cls.customer_us, cls.user_salesman,
                                            [(service, 1, 450.0)], date_order="2025-04-02 10:00:00")
        cls.quote_sam = cls._create_order(cls.customer_us, cls.user_salesman,
                                          [(goods, 2, 100.0)], date_order="2025-05-05 10:00:00",
                                          confirm=False)
        cls.order_sara = cls._create_order(cls.customer_be, cls.user_salesman_2,
                                           [(service, 3, 1000.0)], date_order="2025-02-20 10:00:00")
        cls.order_lea = cls._create_order(cls.customer_be, cls.user_leader,
                                          [(goods, 1, 250.0)], date_order="2025-05-01 10:00:00")
        # team South: Otto; and one of Sam's orders booked on team South (not Lea's team)
        cls.order_otto = cls._create_order(cls.customer_us, cls.user_other_team,
                                           [(goods, 7, 100.0)], date_order="2025-05-20 10:00:00",
                                           team=cls.team_other)
        cls.order_sam_south = cls._create_order(cls.customer_us, cls.user_salesman,
                                                [(goods, 1, 80.0)],
                                                date_order="2025-05-21 10:00:00",
                                                team=cls.team_other)
        cls.team_orders = cls.order_sam_1 | cls.order_sam_2 | cls.order_sara | cls.order_lea
        cls.all_orders = cls.team_orders | cls.order_otto | cls.order_sam_south
        # opportunities: won / open in each team
        Lead = cls.env["crm.lead"]

        def lead(name, user, team, revenue, won=False):
            record = Lead.create({
                "name": name, "type": "opportunity", "user_id": user.id,
                "team_id": team.id, "expected_revenue": revenue,
            })
            if won:
                record.action_set_won()
            return record

        cls.won_sam = lead("SM Scope Sam Won", cls.user_salesman, cls.team, 1000.0, won=True)
        cls.won_sara = lead("SM Scope Sara Won", cls.user_salesman_2, cls.team, 900.0, won=True)
        cls.won_otto = lead("SM Scope Otto Won", cls.user_other_team, cls.team_other, 5000.0,
                            won=True)
        cls.open_sam = lead("SM Scope Sam Open", cls.user_salesman, cls.team, 2000.0)
        cls.open_sara = lead("SM Scope Sara Open", cls.user_salesman_2, cls.team, 300.0)
        cls.open_otto = lead("SM Scope Otto Open", cls.user_other_team, cls.team_other, 7000.0)

    def _data(self, user, **kwargs):
        return self.Dashboard.with_user(user).get_dashboard_data("year", **kwargs)

    def test_leader_sees_team_figures(self):
        # the premise: the core record rules hide Sara's order from the leader
        with self.assertRaises(AccessError):
            self.order_sara.with_user(self.user_leader).read(["amount_untaxed"])
        data = self._data(self.user_leader)
        self.assertEqual(data["scope"]["level"], "team")
        kpis = data["kpis"]
        expected = 10 * 100.0 + 450.0 + 3 * 1000.0 + 250.0
        self.assertAlmostEqual(expected, sum(self.team_orders.mapped("amount_untaxed")))
        self.assertAlmostEqual(kpis["revenue"], expected)
        self.assertEqual(kpis["order_count"], 4)
        # average deal size: the won opportunities' expected revenue (KPI Analysis')
        self.assertAlmostEqual(kpis["avg_deal_size"], (1000.0 + 900.0) / 2)
        # quotations -> orders: Sam's quotation and the four team orders
        self.assertEqual((kpis["quotation_count"], kpis["quotation_order_count"]), (5, 4))
        # opportunities: Sam's and Sara's, not Otto's
        self.assertEqual((kpis["won_count"], kpis["lost_count"]), (2, 0))
        self.assertAlmostEqual(kpis["won_revenue"], 1000.0 + 900.0)
        self.assertAlmostEqual(kpis["hit_rate"], 100.0)
        self.assertEqual(kpis["pipeline_count"], 2)
        self.assertAlmostEqual(kpis["pipeline_expected"], 2000.0 + 300.0)
        # the drill-down domain is the same scope: team North or the leader's own
        orders = self.env["sale.order"].search(data["drill"]["revenue"]["domain"])
        self.assertEqual(orders, self.team_orders)
        leads = self.env["crm.lead"].search(data["drill"]["pipeline"]["domain"])
        self.assertEqual(leads, self.open_sam | self.open_sara)

    def test_leader_narrowed_to_outsider_gets_nothing(self):
        """``user_ids`` narrows a leader's scope, never widens it beyond their teams."""
        kpis = self._data(self.user_leader, user_ids=self.user_other_team.ids)["kpis"]
        self.assertEqual((kpis["revenue"], kpis["order_count"]), (0.0, 0))
        self.assertEqual((kpis["won_count"], kpis["pipeline_count"]), (0, 0))
        # narrowed to Sam: his team North orders, not the one he booked on team South
        kpis = self._data(self.user_leader, user_ids=self.user_salesman.ids)["kpis"]
        self.assertAlmostEqual(kpis["revenue"], 10 * 100.0 + 450.0)

    def test_salesperson_still_sees_own_only(self):
        kpis = self._data(self.user_salesman_2)["kpis"]
        self.assertAlmostEqual(kpis["revenue"], 3 * 1000.0)
        self.assertEqual(kpis["order_count"], 1)
        self.assertEqual(kpis["won_count"], 1)
        self.assertEqual(kpis["pipeline_count"], 1)
        # Sam: his own orders on both teams, his quotation
        kpis = self._data(self.user_salesman)["kpis"]
        self.assertAlmostEqual(kpis["revenue"], 10 * 100.0 + 450.0 + 80.0)
        self.assertEqual(kpis["quotation_count"], 4)

    def test_manager_and_all_documents_see_all(self):
        expected = sum(self.all_orders.mapped("amount_untaxed"))
        self.assertAlmostEqual(expected, 1000.0 + 450.0 + 3000.0 + 250.0 + 700.0 + 80.0)
        for user in (self.user_manager, self.user_all_docs):
            data = self._data(user)
            self.assertEqual(data["scope"]["level"], "all")
            self.assertAlmostEqual(data["kpis"]["revenue"], expected)
            self.assertEqual(data["kpis"]["won_count"], 3)
            self.assertEqual(data["kpis"]["pipeline_count"], 3)
