"""The main journeys of the product in a real browser (headless Chromium), each run twice:
at desktop size (``TestJourneys``) and at phone size with touch events
(``TestJourneysPhone``: 390x844, the web client's small-screen layout: kanban first, header
buttons in the cog menu, stacked form groups).

1. A manager generates the targets of a plan tree with the wizard, reviews the allocation
   and approves the plan.
2. A salesperson opens "My Plans", writes a commitment, creates a task from a target, breaks
   it into to-dos, records results and marks the to-dos done.
3. A salesperson advances an opportunity through milestones: refused while a criterion or a
   required activity is missing, reached once both are done.
4. A manager opens the dashboard, drills from an off-track plan to the orders behind it,
   opens a corrective action, then gets the plan's PDF and XLSX reports.

The tours (``static/tests/tours/sales_journey_*.js``) assert what the user sees; after each
tour the test checks the database against figures computed here from the test's own data.
"""

import io
from datetime import date, datetime

import openpyxl
from common import DISABLED_MAIL_CONTEXT, SalesManagementHttpCommon, new_role_user, on_edge_dates

from odoo import Command


# the plans are "this year's": their last and first day too
@on_edge_dates(only=("dec31", "jan1"))
class TestJourneys(SalesManagementHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.manager = new_role_user(cls.env, "journey_manager")
        cls.sam = new_role_user(cls.env, "journey_sam")
        cls.sara = new_role_user(cls.env, "journey_sara")
        cls.team = cls.env["crm.team"].create({
            "name": "Journey North", "user_id": cls.manager.id,
            "member_ids": [Command.set((cls.sam | cls.sara).ids)],
        })
        cls.customer = cls.env["res.partner"].create({
            "name": "Journey Customer", "is_company": True,
        })
        cls.product = cls.env["product.product"].create({
            "name": "Journey Widget", "list_price": 100.0, "invoice_policy": "order",
        })
        cls.revenue = cls.env.ref("sales_management.sales_metric_revenue")
        today = date.today()
        cls.year = today.year
        cls.period = {"date_from": date(cls.year, 1, 1), "date_to": date(cls.year, 12, 31)}

    @classmethod
    def _order(cls, user, amount, when=None):
        return cls._create_order(cls.customer, user, [(cls.product, 1, amount)], date_order=when)

    # ------------------------------------------------------------------ journey 1
    def test_1_manager_generates_and_approves_a_plan_tree(self):
        last = self.year - 1
        # last year's revenue: Sam 1000 in March and 2000 in June, Sara 1000 in September
        history = {(self.sam, 3): 1000.0, (self.sam, 6): 2000.0, (self.sara, 9): 1000.0}
        for (user, month), amount in history.items():
            self._order(user, amount, datetime(last, month, 2, 10, 0))
        Plan = self.env["sales.plan"]
        north = Plan.create({
            "name": f"Journey North {self.year}", "team_id": self.team.id,
            "user_id": self.manager.id, **self.period,
        })
        subs = {
            user: Plan.create({
                "name": f"Journey {user.name.split()[0]}", "parent_id": north.id,
                "team_id": self.team.id, "user_id": user.id, "scope": "user", **self.period,
            })
            for user in (self.sam, self.sara)
        }
        self.start_tour("/odoo/action-sales_management.sales_plan_action",
                        "sales_journey_plan_manager", login="sm_journey_mia")
        # 12 monthly targets, growth 10 %: a month without history is planned like the
        # weakest month with history (1000); the allocation follows last year's shares
        months = [sum(a for (_u, m), a in history.items() if m == month) for month in
                  range(1, 13)]
        weakest = min(m for m in months if m)
        total = sum((m or weakest) * 1.1 for m in months)
        sam_share = sum(a for (u, _m), a in history.items() if u == self.sam) / sum(
            history.values())
        self.assertEqual(north.state, "approved")
        self.assertEqual(len(north.target_ids), 12)
        self.assertAlmostEqual(sum(north.target_ids.mapped("target_value")), total, places=2)
        sam_total = sum(subs[self.sam].target_ids.mapped("target_value"))
        sara_total = sum(subs[self.sara].target_ids.mapped("target_value"))
        self.assertAlmostEqual(sam_total + sara_total, total, places=2)
        self.assertAlmostEqual(sam_total, total * sam_share, delta=0.12)
        self.assertAlmostEqual(north.coverage, 100.0)

    # ------------------------------------------------------------------ journey 2
    def test_2_salesperson_commits_and_executes(self):
        company_plan = self.env["sales.plan"].create({
            "name": "Journey company plan", "user_id": self.manager.id, "scope": "company",
            "vision": "<p>Journey vision</p>", **self.period,
        })
        plan = self.env["sales.plan"].create({
            "name": "Journey Sam plan", "team_id": self.team.id, "user_id": self.sam.id,
            "scope": "user", "parent_id": company_plan.id, **self.period,
        })
        target = self.env["sales.plan.target"].create({
            "plan_id": plan.id, "metric_id": self.revenue.id, "target_value": 4000.0,
            "partner_id": self.customer.id,
        })
        self.start_tour("/odoo/action-sales_management.sales_plan_action_my",
                        "sales_journey_salesperson", login="sm_journey_sam")
        self.assertIn("Two visits per customer", plan.commitment)
        self.assertEqual(plan.commitment_accepted_user_id, self.sam)
        task = self.env["sales.task"].search([("target_id", "=", target.id)])
        self.assertEqual(len(task), 1)
        self.assertEqual((task.plan_id, task.user_id, task.partner_id),
                         (plan, self.sam, self.customer))
        self.assertEqual(
            [(t.name, t.state, t.expected_value, t.actual_value) for t in task.todo_ids],
            [("Journey call the buyer", "done", 2.0, 3.0),
             ("Journey send the offer", "done", 1.0, 1.0)],
        )
        self.assertEqual((task.expected_result, task.actual_result, task.progress),
                         (3.0, 4.0, 100.0))

    # ------------------------------------------------------------------ journey 3
    def test_3_salesperson_advances_through_milestones(self):
        call = self.env["mail.activity.type"].create({
            "name": "Journey discovery call", "res_model": False, "category": "default",
            "chaining_type": "suggest",
        })
        Milestone = self.env["sales.milestone"]
        qualified = Milestone.create({
            "name": "Journey Qualified", "sequence": 1, "team_ids": [Command.set(self.team.ids)],
            "criterion_ids": [Command.create({"name": "Journey budget identified"})],
            "activity_type_ids": [Command.set(call.ids)],
        })
        Milestone.create({
            "name": "Journey Proposal", "sequence": 2, "team_ids": [Command.set(self.team.ids)],
        })
        lead = self.env["crm.lead"].create({
            "name": "Journey Opportunity", "type": "opportunity", "user_id": self.sam.id,
            "team_id": self.team.id, "partner_id": self.customer.id,
        })
        lead.activity_schedule(activity_type_id=call.id, user_id=self.sam.id,
                               summary="Discovery call")
        self.start_tour(f"/odoo/crm.lead/{lead.id}", "sales_journey_milestones",
                        login="sm_journey_sam")
        self.assertEqual(lead.milestone_id, qualified)
        self.assertEqual(len(lead.milestone_line_ids), 1)
        self.assertFalse(lead.milestone_line_ids.overridden)
        self.assertEqual(lead.milestone_criterion_ids, qualified.criterion_ids)
        self.assertFalse(lead.activity_ids, "the call was marked done")

    # ------------------------------------------------------------------ journey 4
    def test_4_manager_dashboard_drill_correct_and_report(self):
        plan = self.env["sales.plan"].create({
            "name": f"Journey Company {self.year}", "user_id": self.manager.id,
            "vision": "<p>Journey vision</p>", **self.period,
        })
        self.env["sales.plan.target"].create({
            "plan_id": plan.id, "metric_id": self.revenue.id, "target_value": 1000000.0,
        })
        plan.action_approve()
        orders = self._order(self.sam, 1000.0) | self._order(self.sara, 500.0)
        self.assertEqual(plan.health, "off_track")
        # the leaderboard (issue 18, point 12): last year Sara 80 %, Sam 50 %; this year
        # Sam 40 % (1000 / 2500), Sara 10 % (500 / 5000). Sam climbs to first place while
        # his achievement falls: his change reads "−10.0 pts", red, arrow down.
        last = self.year - 1
        self._order(self.sam, 500.0, datetime(last, 3, 2, 10, 0))
        self._order(self.sara, 800.0, datetime(last, 3, 2, 10, 0))
        Plan = self.env["sales.plan"]
        for user, year, value in ((self.sam, last, 1000.0), (self.sara, last, 1000.0),
                                  (self.sam, self.year, 2500.0),
                                  (self.sara, self.year, 5000.0)):
            Plan.create({
                "name": f"Journey {user.name} {year}", "user_id": user.id,
                "team_id": self.team.id, "scope": "user",
                "parent_id": plan.id if year == self.year else False,
                "date_from": date(year, 1, 1), "date_to": date(year, 12, 31),
                "target_ids": [Command.create({"metric_id": self.revenue.id,
                                               "target_value": value})],
            }).action_approve()
        self.start_tour("/odoo/action-sales_management.sales_management_dashboard_action",
                        "sales_journey_dashboard", login="sm_journey_mia")
        action = self.env["sales.corrective.action"].search([("plan_id", "=", plan.id)])
        self.assertEqual(len(action), 1)
        self.assertEqual(action.state, "open")
        self.assertIn("Journey weekly key-account calls", action.name)
        # the reports the tour downloaded, rendered again here to check their content
        Report = self.env["ir.actions.report"].with_user(self.manager)
        html = Report._render_qweb_html(
            "sales_management.report_plan_performance", plan.ids)[0].decode()
        self.assertIn(plan.name, html)
        self.assertIn("1,500.00", html)
        xlsx, kind = Report._render_xlsx(
            "sales_management.report_plan_performance_xlsx", plan.ids, {})
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(xlsx))
        cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
        self.assertIn(plan.name, [c for c in cells if isinstance(c, str)])
        self.assertIn(sum(orders.mapped("amount_untaxed")), cells)


class TestJourneysPhone(TestJourneys):
    """The same journeys on a phone: 390x844 viewport, touch events."""

    browser_size = "390x844"
    touch_enabled = True
