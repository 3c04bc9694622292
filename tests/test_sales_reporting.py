"""Reporting: the KPI data method (scope per role), the three PDF reports (text read back
with pdftotext), the XLSX exports (read back with openpyxl: values, formulas, user text
kept as text) and the monthly management report job.

Every expected figure is computed here from the orders, opportunities and plans the test
builds, never read back from the code under test."""

import shutil
import subprocess
from datetime import date
from io import BytesIO

import openpyxl
from common import SalesManagementCommon, new_role_user

from odoo import Command
from odoo.addons.sales_management.models.res_company import HEALTH_COLOURS
from odoo.exceptions import AccessError, UserError

TODAY = date(2025, 6, 15)
INJECTION = "=cmd|' /C calc'!A0"


class TestSalesReporting(SalesManagementCommon):
    freeze_time = "2025-06-15 12:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dashboard = cls.env["sales.management.dashboard"]
        cls.revenue = cls.env.ref("sales_management.sales_metric_revenue")
        goods, service = cls.product_goods, cls.product_service
        # this year (2025): Sam 1000 + 500 confirmed, a 200 quotation; Sara 3000; Otto 700
        cls.order_sam_1 = cls._create_order(cls.customer_be, cls.user_salesman,
                                            [(goods, 10, 100.0)], date_order="2025-03-10 10:00:00")
        cls.order_sam_2 = cls._create_order(cls.customer_us, cls.user_salesman,
                                            [(service, 1, 500.0)], date_order="2025-04-02 10:00:00")
        cls.quote_sam = cls._create_order(cls.customer_us, cls.user_salesman,
                                          [(goods, 2, 100.0)], date_order="2025-05-05 10:00:00",
                                          confirm=False)
        cls.order_sara = cls._create_order(cls.customer_be, cls.user_salesman_2,
                                           [(service, 3, 1000.0)], date_order="2025-02-20 10:00:00")
        cls.order_otto = cls._create_order(cls.customer_us, cls.user_other_team,
                                           [(goods, 7, 100.0)], date_order="2025-05-20 10:00:00",
                                           team=cls.team_other)
        # last year (2024): Sam 400
        cls.order_sam_ly = cls._create_order(cls.customer_be, cls.user_salesman,
                                             [(goods, 4, 100.0)], date_order="2024-03-12 10:00:00")
        # opportunities closed this year: Sam 2 won, 1 lost; Sara 1 won
        Lead = cls.env["crm.lead"]
        cls.leads_sam = Lead.create([{
            "name": f"SM Deal {i}", "type": "opportunity", "user_id": cls.user_salesman.id,
            "team_id": cls.team.id, "partner_id": cls.customer_be.id,
            "expected_revenue": 1000.0 * (i + 1),
        } for i in range(4)])
        cls.leads_sam[:2].action_set_won()
        cls.leads_sam[2].action_set_lost()
        cls.lead_sam_open = cls.leads_sam[3]
        cls.lead_sara = Lead.create({
            "name": "SM Sara Deal", "type": "opportunity", "user_id": cls.user_salesman_2.id,
            "team_id": cls.team.id, "expected_revenue": 900.0,
        })
        cls.lead_sara.action_set_won()
        # milestones reached this year by Sam's opportunities
        Milestone = cls.env["sales.milestone"]
        cls.ms_qualified = Milestone.create({"name": "SM Qualified", "sequence": 1})
        cls.ms_proposal = Milestone.create({"name": "SM Proposal", "sequence": 2})
        lines = [(lead, cls.ms_qualified) for lead in cls.leads_sam] + [
            (cls.leads_sam[0], cls.ms_proposal), (cls.leads_sam[1], cls.ms_proposal),
        ]
        cls.env["sales.lead.milestone"].create([{
            "lead_id": lead.id, "milestone_id": ms.id, "date_reached": "2025-03-01 09:00:00",
        } for lead, ms in lines])
        # plans 2025: company 10000 > team 6000 > Sam 3000 and Sara 2000; Sam 2024: 1000
        cls.plan_company = cls._plan("SM Company 2025", cls.user_manager, 10000.0)
        cls.plan_team = cls._plan("SM North 2025", cls.user_leader, 6000.0,
                                  team=cls.team, parent=cls.plan_company)
        cls.plan_sam = cls._plan("SM Sam 2025", cls.user_salesman, 3000.0,
                                 team=cls.team, parent=cls.plan_team)
        cls.plan_sara = cls._plan(INJECTION, cls.user_salesman_2, 2000.0,
                                  team=cls.team, parent=cls.plan_team)
        cls.plan_sam_2024 = cls._plan("SM Sam 2024", cls.user_salesman, 1000.0,
                                      team=cls.team, year=2024)

    @classmethod
    def _plan(cls, name, user, target, team=None, parent=None, year=2025):
        return cls.env["sales.plan"].create({
            "name": name,
            "user_id": user.id,
            "team_id": team.id if team else False,
            "parent_id": parent.id if parent else False,
            "date_from": date(year, 1, 1),
            "date_to": date(year, 12, 31),
            "metric_id": cls.revenue.id,
            "target_ids": [Command.create({"metric_id": cls.revenue.id, "target_value": target})],
        })

    # ------------------------------------------------------------------ helpers
    def _expected_share(self):
        """Share of 2025 elapsed on June 15 (today included): what plans expect by now."""
        return ((TODAY - date(2025, 1, 1)).days + 1) / 365.0

    def _pdf_text(self, report_ref, res_ids, user=None, data=None):
        """Render a real PDF (wkhtmltopdf) and return its text; HTML when wkhtmltopdf is
        missing on this machine."""
        Report = self.env["ir.actions.report"].with_user(user or self.env.user)
        if Report.get_wkhtmltopdf_state() != "ok" or not shutil.which("pdftotext"):
            html, _t = Report._render_qweb_html(report_ref, res_ids, data=data)
            return html.decode()
        pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report_ref, res_ids, data=data,
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True,
        ).stdout.decode()

    def _xlsx(self, report_ref, res_ids, user=None, data=None):
        Report = self.env["ir.actions.report"].with_user(user or self.env.user)
        content, kind = Report._render_xlsx(report_ref, res_ids, data or {})
        self.assertEqual(kind, "xlsx")
        formulas = openpyxl.load_workbook(BytesIO(content))
        values = openpyxl.load_workbook(BytesIO(content), data_only=True)
        return formulas, values

    # ------------------------------------------------------------------ data method
    def test_dashboard_salesperson_sees_own_scope_only(self):
        data = self.Dashboard.with_user(self.user_salesman).get_dashboard_data("year")
        kpis = data["kpis"]
        self.assertEqual(data["scope"]["level"], "own")
        self.assertEqual(data["period"]["date_from"], "2025-01-01")
        self.assertAlmostEqual(kpis["revenue"], 1000.0 + 500.0)
        self.assertEqual(kpis["order_count"], 2)
        # average deal size: the won opportunities' expected revenue (KPI Analysis')
        self.assertAlmostEqual(kpis["avg_deal_size"], (1000.0 + 2000.0) / 2)
        self.assertAlmostEqual(kpis["revenue_last_year"], 400.0)
        self.assertAlmostEqual(kpis["growth"], 100.0 * (1500.0 - 400.0) / 400.0)
        self.assertEqual((kpis["quotation_count"], kpis["quotation_order_count"]), (3, 2))
        self.assertAlmostEqual(kpis["quotation_conversion"], 100.0 * 2 / 3)
        self.assertEqual((kpis["won_count"], kpis["lost_count"]), (2, 1))
        self.assertAlmostEqual(kpis["hit_rate"], 100.0 * 2 / 3)
        won = self.leads_sam[:2]
        cycle = sum(abs((lead.date_closed - lead.create_date).days) for lead in won) / 2
        self.assertAlmostEqual(kpis["cycle_days"], cycle)
        # plans: only Sam's 2025 plan, 1500 / 3000
        self.assertEqual([p["id"] for p in data["plans"]], self.plan_sam.ids)
        plan = data["plans"][0]
        self.assertAlmostEqual(plan["achievement"], 50.0)
        expected = 3000.0 * self._expected_share()
        self.assertAlmostEqual(plan["pace"], 100.0 * 1500.0 / expected, places=4)
        pace = 100.0 * 1500.0 / expected
        self.assertEqual(plan["health"], "on_track" if pace >= 95 else
                         "at_risk" if pace >= 80 else "off_track")
        # pipeline coverage: the open deal, weighted, against the 1500 still to sell
        self.assertAlmostEqual(kpis["remaining_target"], 1500.0)
        self.assertAlmostEqual(kpis["pipeline_weighted"],
                               self.lead_sam_open.milestone_expected_revenue)
        # funnel: 4 opportunities qualified, 2 reached the proposal, both won
        self.assertEqual(
            [(f["name"], f["reached"], f["won"]) for f in data["funnel"]],
            [("SM Qualified", 4, 2), ("SM Proposal", 2, 2)],
        )
        # leaderboard: only Sam; 50 % now against 400 / 1000 = 40 % in 2024
        self.assertEqual([r["user_id"] for r in data["leaderboard"]], self.user_salesman.ids)
        self.assertAlmostEqual(data["leaderboard"][0]["change"], 50.0 - 40.0)
        # drill-down domains return the very records counted
        orders = self.env["sale.order"].with_user(self.user_salesman).search(
            data["drill"]["revenue"]["domain"])
        self.assertEqual(orders, self.order_sam_1 | self.order_sam_2)

    def test_dashboard_activity_quality(self):
        """Two calls done on Sam's open deal: one late with a result, one on time without;
        and an activity target of 4 on Sam's plan."""
        lead = self.lead_sam_open
        late = lead.activity_schedule("mail.mail_activity_data_call",
                                      date_deadline=date(2025, 6, 10),
                                      user_id=self.user_salesman.id)
        on_time = lead.activity_schedule("mail.mail_activity_data_call",
                                         date_deadline=date(2025, 6, 20),
                                         user_id=self.user_salesman.id)
        late.action_feedback(feedback="Called: budget confirmed")
        on_time.action_feedback()
        self.env["sales.plan.target"].create({
            "plan_id": self.plan_sam.id,
            "metric_id": self.env.ref("sales_management.sales_metric_activities").id,
            "target_value": 4,
        })
        kpis = self.Dashboard.with_user(self.user_salesman).get_dashboard_data("year")["kpis"]
        self.assertEqual(kpis["activities_done"], 2)
        self.assertAlmostEqual(kpis["activities_on_time_pct"], 50.0)
        self.assertAlmostEqual(kpis["activities_with_result_pct"], 50.0)
        self.assertAlmostEqual(kpis["activities_right_way_pct"], 0.0)
        self.assertEqual(kpis["activities_missing"], 0)
        self.assertEqual(kpis["activities_target"], 4)
        self.assertAlmostEqual(kpis["activities_target_pct"], 100.0 * 2 / 4)
        # Sara's dashboard does not count Sam's calls
        kpis = self.Dashboard.with_user(self.user_salesman_2).get_dashboard_data("year")["kpis"]
        self.assertEqual(kpis["activities_done"], 0)

    def test_dashboard_colleague_figures_stay_out(self):
        data = self.Dashboard.with_user(self.user_salesman).get_dashboard_data(
            "year", user_ids=self.user_salesman_2.ids)
        self.assertEqual(data["kpis"]["revenue"], 0.0)
        self.assertFalse(data["plans"])
        self.assertFalse(data["leaderboard"])

    def test_dashboard_manager_leaderboard_and_teams(self):
        data = self.Dashboard.with_user(self.user_manager).get_dashboard_data("year")
        self.assertEqual(data["scope"]["level"], "all")
        self.assertAlmostEqual(data["kpis"]["revenue"], 1500.0 + 3000.0 + 700.0)
        self.assertEqual((data["kpis"]["won_count"], data["kpis"]["lost_count"]), (3, 1))
        self.assertAlmostEqual(data["kpis"]["hit_rate"], 75.0)
        board = data["leaderboard"]
        self.assertEqual([r["user_id"] for r in board],
                         [self.user_salesman_2.id, self.user_salesman.id])
        self.assertAlmostEqual(board[0]["achievement"], 100.0 * 3000.0 / 2000.0)
        self.assertIsNone(board[0]["change"])  # Sara had no 2024 plan
        self.assertAlmostEqual(board[1]["revenue"], 1500.0)
        self.assertEqual(data["plans"][0]["id"], self.plan_company.id)
        self.assertAlmostEqual(data["plans"][0]["actual"], 5200.0)
        self.assertEqual(len(data["teams"]), 1)
        self.assertAlmostEqual(data["teams"][0]["achievement"], 100.0 * 4500.0 / 6000.0)

    def test_other_company_stays_out(self):
        other = self.env["res.company"].create({"name": "SM Other Company"})
        self.user_manager.company_ids = [Command.link(other.id)]
        lead = self.env["crm.lead"].create({
            "name": "SM Other Company Deal", "type": "opportunity", "company_id": other.id,
            "user_id": self.user_manager.id, "expected_revenue": 5000.0,
        })
        lead.action_set_won()
        manager = self.user_manager.with_context(allowed_company_ids=[self.company.id])
        data = self.Dashboard.with_user(manager).with_context(
            allowed_company_ids=[self.company.id]).get_dashboard_data("year")
        self.assertEqual(data["kpis"]["won_count"], 3)
        rows = self.env["sales.kpi.report"].with_user(manager).with_context(
            allowed_company_ids=[self.company.id]).search([])
        self.assertNotIn(lead, rows.lead_id)
        # with both companies allowed, the deal counts
        data = self.Dashboard.with_user(manager).with_context(
            allowed_company_ids=[self.company.id, other.id]).get_dashboard_data("year")
        self.assertEqual(data["kpis"]["won_count"], 4)

    def test_dashboard_leader_ranks_the_team(self):
        data = self.Dashboard.with_user(self.user_leader).get_dashboard_data("year")
        self.assertEqual(data["scope"]["level"], "team")
        self.assertEqual({r["user_id"] for r in data["leaderboard"]},
                         {self.user_salesman.id, self.user_salesman_2.id})
        self.assertEqual([p["id"] for p in data["plans"]], self.plan_team.ids)

    def test_dashboard_bad_period(self):
        with self.assertRaises(UserError):
            self.Dashboard.get_dashboard_data("decade")

    def test_dashboard_query_count_does_not_grow_with_salespersons(self):
        """The leaderboard is batched: three more salespersons with plans, same queries."""
        Dashboard = self.Dashboard.with_user(self.user_manager)

        def count_queries():
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            data = Dashboard.get_dashboard_data("year")
            return self.cr.sql_log_count - start, len(data["leaderboard"])

        count_queries()  # warm the registry caches (access rules, groups)
        queries, ranked = count_queries()
        for i in range(3):
            user = new_role_user(self.env, "extra_salesman", i)
            self.team.member_ids = [Command.link(user.id)]
            self._plan(f"SM Extra {i}", user, 1000.0, team=self.team, parent=self.plan_team)
        count_queries()  # new users and groups cleared the access-rule caches: warm again
        more_queries, more_ranked = count_queries()
        self.assertEqual(more_ranked, ranked + 3)
        self.assertEqual(more_queries, queries)

    def test_kpi_analysis_view(self):
        """The SQL view's hit rate, deal size and counts per salesperson, and its rules."""
        Report = self.env["sales.kpi.report"]
        groups = {
            user: (count, won, lost, hit, size)
            for user, count, won, lost, hit, size in Report.with_user(self.user_manager)
            ._read_group(
                [("user_id", "in", (self.user_salesman | self.user_salesman_2).ids)],
                ["user_id"],
                ["opportunity_count:sum", "won_count:sum", "lost_count:sum", "hit_rate:avg",
                 "deal_size:avg"],
            )
        }
        won_sam = self.leads_sam[:2]
        self.assertEqual(groups[self.user_salesman][:3], (4, 2, 1))
        self.assertAlmostEqual(groups[self.user_salesman][3], 100.0 * 2 / 3)
        self.assertAlmostEqual(groups[self.user_salesman][4],
                               sum(won_sam.mapped("expected_revenue")) / 2)
        self.assertEqual(groups[self.user_salesman_2][:4], (1, 1, 0, 100.0))
        # a salesperson analyses their own opportunities only
        own = Report.with_user(self.user_salesman).search([])
        self.assertEqual(own.lead_id, self.leads_sam)
        # the team leader sees the team's
        team = Report.with_user(self.user_leader).search([])
        self.assertEqual(team.lead_id, self.leads_sam | self.lead_sara)

    # ------------------------------------------------------------------ PDF reports
    def test_plan_performance_pdf(self):
        text = self._pdf_text("sales_management.action_report_plan_performance",
                              (self.plan_company | self.plan_sam).ids, user=self.user_manager)
        self.assertIn("Plan Performance", text)
        # multi-record printing: both plans, each with its own figures
        self.assertIn("SM Company 2025", text)
        self.assertIn("SM Sam 2025", text)
        self.assertIn("52.0 %", text)  # company: 5200 / 10000
        self.assertIn("75.0 %", text)  # team: 4500 / 6000
        self.assertIn("150.0 %", text)  # Sara: 3000 / 2000
        self.assertIn("Gap Contributors", text)

    def test_scorecard_own_only(self):
        text = self._pdf_text("sales_management.action_report_salesperson_scorecard",
                              self.user_salesman.ids, user=self.user_salesman)
        self.assertIn("Scorecard", text)
        self.assertIn("Sam Salesman", text)
        self.assertIn("66.7 %", text)  # hit rate 2 / 3
        self.assertIn("$ 1,500.00", text)  # own revenue
        self.assertIn("Qualified", text)  # milestone funnel
        self.assertIn("Proposal", text)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.user_salesman)._render_qweb_html(
                "sales_management.action_report_salesperson_scorecard",
                self.user_salesman_2.ids,
            )
        # the team leader prints the scorecards of the team's members
        text = self._pdf_text("sales_management.action_report_salesperson_scorecard",
                              (self.user_salesman | self.user_salesman_2).ids,
                              user=self.user_leader)
        self.assertIn("Sara Second", text)
        self.assertIn("Sam Salesman", text)

    def test_executive_summary_pdf(self):
        Report = self.env["ir.actions.report"].with_user(self.user_manager)
        html, _t = Report._render_qweb_html(
            "sales_management.action_report_executive_summary", self.company.ids,
        )
        html = html.decode()
        self.assertIn("<svg", html)  # server-side charts
        text = self._pdf_text("sales_management.action_report_executive_summary",
                              self.company.ids, user=self.user_manager)
        self.assertIn("Executive Sales Summary", text)
        self.assertIn("5,200.00", text)  # period total
        self.assertIn("SM Test Team North", text)
        self.assertIn("75.0 %", text)  # team attainment 4500 / 6000

    # ------------------------------------------------------------------ XLSX exports
    def test_plan_performance_xlsx(self):
        formulas, values = self._xlsx("sales_management.action_report_plan_performance_xlsx",
                                      self.plan_company.ids, user=self.user_manager)
        sheet, cached = formulas.worksheets[0], values.worksheets[0]
        rows = {sheet.cell(r, 1).value: r for r in range(5, sheet.max_row + 1)}
        r = rows["SM Company 2025"]
        self.assertEqual(sheet.cell(r, 5).value, 10000.0)
        self.assertEqual(sheet.cell(r, 6).value, 5200.0)
        self.assertEqual(sheet.cell(r, 8).value, f"=IF(E{r}=0,0,F{r}/E{r})")
        self.assertAlmostEqual(cached.cell(r, 8).value, 0.52)
        self.assertIn("%", sheet.cell(r, 8).number_format)
        # a plan named like a formula stays text
        r_sara = rows[INJECTION]
        self.assertEqual(sheet.cell(r_sara, 1).data_type, "s")
        self.assertEqual(sheet.cell(r_sara, 1).value, INJECTION)
        # the total of the sub-plans is a SUM formula over their rows
        r_total = rows["Allocated to sub-plans"]
        self.assertEqual(sheet.cell(r_total, 5).value, f"=SUM(E{rows['SM North 2025']})")
        self.assertEqual(cached.cell(r_total, 5).value, 6000.0)
        # the health in its colour, the dashboard's and the PDFs' (issue 18, point 12)
        plan = self.plan_company
        fill = sheet.cell(r, 10).fill.fgColor.rgb
        self.assertEqual(sheet.cell(r, 10).value, dict(
            plan._fields["health"]._description_selection(self.env))[plan.health])
        self.assertEqual(fill[-6:].lower(), HEALTH_COLOURS[plan.health][1:])

    def test_kpi_analysis_xlsx(self):
        formulas, values = self._xlsx("sales_management.action_report_kpi_analysis_xlsx",
                                      self.company.ids, user=self.user_manager)
        kpis = formulas["KPIs"]
        self.assertEqual(kpis["B3"].value, 5200.0)
        self.assertEqual(kpis["B13"].value, "=IF(B11+B12=0,0,B11/(B11+B12))")
        self.assertAlmostEqual(values["KPIs"]["B13"].value, 0.75)
        board, board_v = formulas["Leaderboard"], values["Leaderboard"]
        self.assertEqual(board["B2"].value, "Sara Second")
        self.assertEqual(board["C4"].value, "=SUM(C2:C3)")
        self.assertEqual(board_v["C4"].value, 2000.0 + 3000.0)
        self.assertEqual(board_v["G4"].value, 3000.0 + 1500.0)

    def test_xlsx_respects_plan_access(self):
        with self.assertRaises(AccessError):
            self._xlsx("sales_management.action_report_plan_performance_xlsx",
                       self.plan_sara.ids, user=self.user_other_team)

    # ------------------------------------------------------------------ monthly job
    def test_monthly_job_mails_summary(self):
        recipient = self.env["res.partner"].create({
            "name": "SM Board", "email": "board@example.com",
        })
        self.company.sales_report_recipient_ids = recipient
        Mail = self.env["mail.mail"]
        before = Mail.search([])
        self.env["res.company"].with_context(force_report_rendering=True) \
            ._cron_send_sales_management_report()
        mails = Mail.search([]) - before
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, recipient)
        self.assertIn("2025-05", mails.subject)  # the month just ended
        self.assertEqual(len(mails.attachment_ids), 1)
        self.assertEqual(mails.attachment_ids.mimetype, "application/pdf")
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() == "ok":
            self.assertTrue(mails.attachment_ids.raw.startswith(b"%PDF"))
        cron = self.env.ref("sales_management.ir_cron_sales_management_report")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "months"))
