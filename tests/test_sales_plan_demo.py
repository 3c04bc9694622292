"""The demo plan tree loads on top of the foundation's demo history and shows real numbers."""

from common import SalesManagementCommon, on_edge_dates
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tools import convert_file


@on_edge_dates
class TestSalesPlanDemo(SalesManagementCommon):
    def test_demo_plan_tree(self):
        for name in ("demo/sales_management_demo.xml", "demo/sales_plan_demo.xml"):
            convert_file(self.env, "sales_management", name, {}, mode="init",
                         noupdate=False, kind="demo")
        company = self.env["sales.plan"].search(
            [("name", "=like", "Demo % Company Plan")]
        )
        self.assertEqual(len(company), 1)
        self.assertEqual(company.state, "approved")
        self.assertEqual(len(company.child_ids), 2)
        self.assertEqual(len(company.child_ids.child_ids), 4)
        self.assertEqual(set(company.child_ids.child_ids.mapped("state")), {"submitted"})
        self.assertGreater(company.target_value, 0)
        self.assertGreater(company.actual_value, 0)
        self.assertTrue(company.health)
        # allocations exact to the cent all the way down (issue 18: "Unallocated -0.09")
        self.assertEqual(company.unallocated_value, 0.0)
        self.assertAlmostEqual(company.coverage, 100.0, places=9)
        for team_plan in company.child_ids:
            self.assertEqual(team_plan.unallocated_value, 0.0)
            self.assertAlmostEqual(team_plan.coverage, 100.0, places=9)
            self.assertGreater(team_plan.actual_value, 0)
        # the company's revenue by sales region, the Europe team's by channel: every demo
        # customer is in a region and every demo order has a medium, so in each quarter
        # the parts add up to the plan's target, to the cent
        revenue = self.env.ref("sales_management.sales_metric_revenue")
        europe = company.child_ids.filtered(
            lambda p: p.team_id == self.env.ref("sales_management.demo_team_europe"))
        for plan, field, expected in (
            (company, "region_id", {"Western Europe", "DACH", "North America"}),
            (europe, "medium_id", None),
        ):
            targets = plan.target_ids.filtered(lambda t: t.metric_id == revenue)
            heads = targets.filtered(lambda t: not t.is_breakdown)
            parts = targets.filtered(lambda t, field=field: t[field])
            self.assertEqual(len(heads), 4)
            self.assertGreater(len(parts[field]), 1)
            if expected:
                self.assertEqual(set(parts[field].mapped("name")), expected)
            for head in heads:
                same = parts.filtered(lambda t, h=head: t.date_from == h.date_from)
                self.assertAlmostEqual(sum(same.mapped("target_value")), head.target_value,
                                       places=2)
            self.assertGreater(sum(parts.mapped("actual_value")), 0)
        alice = company.child_ids.child_ids.filtered(
            lambda p: p.user_id == self.env.ref("sales_management.demo_user_alice")
        )
        self.assertEqual(
            set(alice.target_ids.metric_id.mapped("code")),
            {"revenue", "won", "win_rate", "opportunities"},
        )
        self.assertGreater(alice.actual_value, 0)
        # issue 19: the company's conception reaches Alice's plan; her commitment is
        # accepted by her and countersigned by her team leader
        self.assertTrue(company.vision and company.mission and company.target_customers)
        self.assertIn(company.name, alice.inherited_conception)
        self.assertEqual(alice.commitment_status, "agreed")
        self.assertEqual(alice.commitment_accepted_user_id, alice.user_id)
        self.assertEqual(alice.commitment_countersigned_user_id, alice.team_id.user_id)
        self.assertEqual(len(alice.key_partner_ids), 2)
        # targets come from last year's actuals (+12 %) and people sell differently this
        # year: the leaderboard spreads (Alice grows, Dylan falls behind)
        revenue = self.env.ref("sales_management.sales_metric_revenue")
        sellers = company.child_ids.child_ids
        last_year = revenue._compute_values([
            {"key": plan.id, "company_id": plan.company_id.id, **plan._scope_dimensions(),
             "date_from": plan.date_from.replace(year=plan.date_from.year - 1),
             "date_to": plan.date_to.replace(year=plan.date_to.year - 1)}
            for plan in sellers
        ])
        for plan in sellers:
            target = sum(plan.target_ids.filtered(
                lambda t: t.metric_id == revenue).mapped("target_value"))
            self.assertGreater(last_year[plan.id], 0, "a full year of history")
            self.assertAlmostEqual(target / last_year[plan.id], 1.12, delta=0.02)
        dylan = sellers.filtered(
            lambda p: p.user_id == self.env.ref("sales_management.demo_user_dylan")
        )
        # the growth profiles (Alice +24 %, Dylan -25 % a year) show in the history on any
        # day: the last 12 months against the 12 before
        today = fields.Date.context_today(self.env.user)
        end = today.replace(day=1) - relativedelta(days=1)  # last complete month

        def growth(plan):
            values = revenue._compute_values([
                {"key": key, "company_id": plan.company_id.id, **plan._scope_dimensions(),
                 "date_from": end + relativedelta(days=1, years=-years),
                 "date_to": end - relativedelta(years=years - 1, day=31)}
                for key, years in (("last", 1), ("before", 2))
            ])
            return values["last"] / values["before"]

        self.assertGreater(growth(alice), growth(dylan) * 1.3)
        # and in the plans' pace once the year has run a month: on its first days the
        # expected-to-date is a few days' worth and a single order sets the pace
        if (today - company.date_from).days >= 31:
            self.assertGreater(alice.pace, dylan.pace * 1.3)
        won_target = alice.target_ids.filtered(lambda t: t.metric_id.code == "won")
        self.assertGreater(won_target.target_value, 4)
        # running the generator again adds nothing
        count = self.env["sales.plan"].search_count([])
        self.env["sales.management.demo"]._generate_plans()
        self.assertEqual(self.env["sales.plan"].search_count([]), count)
