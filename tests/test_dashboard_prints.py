"""Issue 18, point 1: the dashboard's print buttons. Their report actions carry ``data``
(the period), so the web client calls ``/report/pdf/NAME?options=…&context=…`` *without
record ids*; the prints must still hold the salesperson's (or the company's) figures.

The URL is built here exactly as Odoo 18's web client builds it (``getReportUrl``), from
the action the button returns over JSON-RPC, with a real session; the PDF's text is read
back with pdftotext and compared with figures computed from this test's own orders."""

import json
import shutil
import subprocess
from urllib.parse import quote

from common import JsonRpcMixin, SalesManagementCommon

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDashboardPrints(JsonRpcMixin, SalesManagementCommon, HttpCase):
    freeze_time = "2026-05-13 10:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # this month: Sam 1,234.00 in two orders; Sara 999.00 (not on Sam's scorecard)
        cls._create_order(cls.customer_be, cls.user_salesman,
                          [(cls.product_goods, 2, 500.0)], date_order="2026-05-04 09:00:00")
        cls._create_order(cls.customer_us, cls.user_salesman,
                          [(cls.product_service, 1, 234.0)], date_order="2026-05-06 09:00:00")
        cls._create_order(cls.customer_be, cls.user_salesman_2,
                          [(cls.product_service, 1, 999.0)], date_order="2026-05-07 09:00:00")

    def _report_url(self, action, converter):
        """Odoo 18's ``getReportUrl`` (web/static/src/webclient/actions/reports/utils.js)
        for an action with ``data``."""
        self.assertTrue(action.get("data"), "the print buttons pass the period as data")
        context = action.get("context") or {}
        return (f"/report/{converter}/{action['report_name']}"
                f"?options={quote(json.dumps(action['data']))}"
                f"&context={quote(json.dumps(context))}")

    def _print(self, kind, period):
        reply = self._rpc("sales.management.dashboard", "action_print", [kind, period])
        self.assertNotIn("error", reply, reply)
        return reply["result"]

    def test_scorecard_button_prints_the_salespersons_figures(self):
        self.authenticate(self.user_salesman.login, self.user_salesman.login)
        action = self._print("scorecard", "month")
        html = self.url_open(self._report_url(action, "html")).text
        self.assertIn(self.user_salesman.name, html)
        self.assertIn("1,234.00", html)
        self.assertNotIn("999.00", html)
        # the PDF as the route renders it: no ids, the action's data and context (over
        # HTTP the test server would deadlock: wkhtmltopdf asks it for the assets while
        # the report request holds the test cursor)
        Report = self.env["ir.actions.report"].with_user(self.user_salesman)
        if shutil.which("pdftotext") and Report.get_wkhtmltopdf_state() == "ok":
            data = dict(action["data"], context=action.get("context") or {})
            pdf, _type = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
                action["report_name"], None, data=data)
            text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf,
                                  capture_output=True, check=True).stdout.decode()
            self.assertIn(self.user_salesman.name, text)
            self.assertIn("1,234.00", text)

    def test_summary_button_prints_the_company(self):
        self.authenticate(self.user_manager.login, self.user_manager.login)
        action = self._print("summary", "month")
        html = self.url_open(self._report_url(action, "html")).text
        self.assertIn(self.env.company.name, html)
        # the month's revenue of the whole company: 1,234 + 999
        self.assertIn("2,233.00", html)

    def test_no_ids_and_no_context_prints_nothing_of_anyone(self):
        """Without ids nor an action context the scorecard holds nobody (not the whole
        company, not an error page)."""
        self.authenticate(self.user_salesman.login, self.user_salesman.login)
        url = ("/report/html/sales_management.report_salesperson_scorecard"
               f"?options={quote(json.dumps({'period': 'month'}))}")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.user_salesman_2.name, response.text)

    def test_a_manager_prints_any_salespersons_scorecard(self):
        """Issue 18, point 11: doors to a salesperson's scorecard for who may print it —
        the leaderboard's print icon (``action_print`` with the salesperson), the user
        plan's *Print Scorecard* button, the Print menu of the users."""
        Dashboard = self.env["sales.management.dashboard"]
        action = Dashboard.with_user(self.user_manager).action_print(
            "scorecard", "month", self.user_salesman.id)
        self.assertEqual(action["context"]["active_ids"], self.user_salesman.ids)
        html = self._render(action, self.user_manager)
        self.assertIn(self.user_salesman.name, html)
        self.assertIn("1,234.00", html)
        # a team leader for his team's member; a salesperson not for a colleague
        Dashboard.with_user(self.user_leader).action_print(
            "scorecard", "month", self.user_salesman.id)
        with self.assertRaises(AccessError):
            Dashboard.with_user(self.user_salesman_2).action_print(
                "scorecard", "month", self.user_salesman.id)
        # the user plan's button
        plan = self.env["sales.plan"].create({
            "name": "SM Sam 2026", "user_id": self.user_salesman.id, "team_id": self.team.id,
            "scope": "user", "date_from": "2026-01-01", "date_to": "2026-12-31",
        })
        action = plan.with_user(self.user_manager).action_print_scorecard()
        self.assertEqual(action["context"]["active_ids"], self.user_salesman.ids)
        self.assertEqual(action["data"]["period"], "year")
        self.assertIn(self.user_salesman.name, self._render(action, self.user_manager))
        # the Print menu of the users, for sales managers
        report = self.env.ref("sales_management.action_report_salesperson_scorecard")
        self.assertEqual(report.binding_model_id.model, "res.users")
        self.assertIn(self.env.ref("sales_team.group_sale_manager"), report.groups_id)

    def _render(self, action, user):
        """The report as the route renders it for ``action`` (no ids: the action's
        context in ``data``)."""
        Report = self.env["ir.actions.report"].with_user(user)
        data = dict(action["data"], context=action.get("context") or {})
        return Report._render_qweb_html(action["report_name"], None, data=data)[0].decode()
