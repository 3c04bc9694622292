"""Issue 18, point 12: figures in their format on every surface — a count without
decimals, a percentage with its sign, an amount with its currency, a health in one colour
(the same on the dashboard and on the prints).

The screens are read as the web client gets them (``get_views`` as the user); the prints
as the report renders them (HTML of the QWeb PDF) and the dashboard from its data method."""

import re
from datetime import datetime
from io import BytesIO

import openpyxl
from common import SalesManagementCommon
from lxml import etree

from odoo import Command
from odoo.tests import tagged

FIGURES = ("target_value", "actual_value", "expected_to_date", "variance",
           "children_target_value")
RATIOS = ("pace", "coverage")


@tagged("post_install", "-at_install")
class TestFormats(SalesManagementCommon):
    freeze_time = "2026-05-13 10:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        metric = cls.env.ref
        Plan = cls.env["sales.plan"]
        year = {"date_from": "2026-01-01", "date_to": "2026-12-31"}
        # Sam: 46 orders and a 35 % win rate to reach, 3 orders so far
        cls.sam_orders = Plan.create(dict(
            year, name="SM Sam orders", user_id=cls.user_salesman.id, team_id=cls.team.id,
            scope="user", metric_id=metric("sales_management.sales_metric_orders").id,
            target_ids=[Command.create({
                "metric_id": metric("sales_management.sales_metric_orders").id,
                "target_value": 46.0,
            })],
        ))
        cls.sam_win_rate = Plan.create(dict(
            year, name="SM Sam win rate", user_id=cls.user_salesman.id, team_id=cls.team.id,
            scope="user", metric_id=metric("sales_management.sales_metric_win_rate").id,
            target_ids=[Command.create({
                "metric_id": metric("sales_management.sales_metric_win_rate").id,
                "target_value": 35.0,
            })],
        ))
        for day in (3, 4, 5):
            cls._create_order(cls.customer_be, cls.user_salesman,
                              [(cls.product_goods, 1, 1000.0)],
                              date_order=datetime(2026, 2, day, 10, 0))
        # team North: 10,000 for the year, 4,000 in by 13 May (36 % of the year gone):
        # 40 % achieved, ahead of its pace: on track
        revenue = metric("sales_management.sales_metric_revenue")
        cls.team_plan = Plan.create(dict(
            year, name="SM North revenue", user_id=cls.user_leader.id, team_id=cls.team.id,
            scope="team", metric_id=revenue.id,
            target_ids=[Command.create({"metric_id": revenue.id, "target_value": 10000.0})],
        ))
        cls._create_order(cls.customer_be, cls.user_salesman_2,
                          [(cls.product_goods, 1, 1000.0)],
                          date_order=datetime(2026, 3, 2, 10, 0))
        (cls.sam_orders | cls.sam_win_rate | cls.team_plan).action_approve()

    def _arch(self, model, view_type, user):
        views = self.env[model].with_user(user).get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    # ------------------------------------------------------------------ screens
    def test_plan_screens_show_figures_in_their_unit(self):
        """Every figure of a plan or target on the plan screens (the plan's list, form and
        cards, the targets' list, form and cards, the form's target lines) reads in its
        metric's unit (``sales_figure``: currency, no decimals for counts, % for rates)
        and every ratio with its %."""
        checked = 0
        for model in ("sales.plan", "sales.plan.target"):
            for view_type in ("list", "form", "kanban"):
                arch = self._arch(model, view_type, self.user_manager)
                for field in arch.iter("field"):
                    name = field.get("name")
                    if name in FIGURES:
                        checked += 1
                        self.assertEqual(field.get("widget"), "sales_figure",
                                         f"{model} {view_type}: {name}")
                    elif name in RATIOS and field.get("widget") != "progressbar":
                        checked += 1
                        self.assertEqual(field.get("widget"), "sales_figure",
                                         f"{model} {view_type}: {name}")
                        self.assertIn("percent", field.get("options") or "")
        self.assertGreater(checked, 20)
        # the widget is in the web client's assets, with the fields it reads
        bundle = self.env["ir.qweb"]._get_asset_bundle("web.assets_backend")
        paths = [asset.url for asset in bundle.javascripts]
        self.assertTrue(any("sales_figure_field.js" in path for path in paths))
        for model in ("sales.plan", "sales.plan.target"):
            self.assertEqual(self.env[model]._fields["metric_unit"].type, "selection")
            self.assertEqual(self.env[model]._fields["currency_id"].comodel_name,
                             "res.currency")

    # ------------------------------------------------------------------ prints
    def _html(self, report, ids, user):
        Report = self.env["ir.actions.report"].with_user(user)
        html = Report._render_qweb_html(report, ids, data={"period": "year"})[0].decode()
        return re.sub(r"\s+", " ", html)

    def test_scorecard_counts_without_decimals_rates_with_percent(self):
        html = self._html("sales_management.report_salesperson_scorecard",
                          self.user_salesman.ids, self.user_manager)
        row = re.search(r"SM Sam orders</span></td>(.*?)</tr>", html)[1]
        cells = re.findall(r'<td class="text-end">\s*(.*?)\s*</td>', row)
        self.assertEqual([re.sub(r"<[^>]+>", "", c).strip() for c in cells[:2]], ["46", "3"])
        row = re.search(r"SM Sam win rate</span></td>(.*?)</tr>", html)[1]
        cells = re.findall(r'<td class="text-end">\s*(.*?)\s*</td>', row)
        self.assertEqual(re.sub(r"<[^>]+>", "", cells[0]).strip(), "35.0 %")

    def test_team_colour_is_its_health(self):
        """A team on track (40 % of its year's target by mid-May, ahead of its pace) reads
        in the on-track colour on the dashboard and on the Executive Summary's chart —
        one mapping health → colour for both."""
        self.assertEqual(self.team_plan.health, "on_track")
        self.assertAlmostEqual(self.team_plan.achievement, 40.0)
        Dashboard = self.env["sales.management.dashboard"].with_user(self.user_manager)
        data = Dashboard.get_dashboard_data("year")
        team = next(row for row in data["teams"] if row["team_id"] == self.team.id)
        self.assertEqual(team["health"], "on_track")
        styles = data["health_styles"]
        self.assertEqual(styles["on_track"]["context"], "success")
        self.assertEqual(styles["at_risk"]["context"], "warning")
        self.assertEqual(styles["on_track"]["label"], "On Track")
        html = self._html("sales_management.report_executive_summary",
                          self.company.ids, self.user_manager)
        chart = re.search(r"Attainment by Team</h4>(.*?)</svg>", html)[1]
        bar = re.search(r"SM Test Team North</text><rect [^>]*fill=\"(#[0-9a-f]+)\"", chart)
        self.assertEqual(bar[1], styles["on_track"]["colour"])
        # the PDF's badges read the same mapping
        self.assertIn(f"background-color: {styles['on_track']['colour']}",
                      self._html("sales_management.report_plan_performance",
                                 self.team_plan.ids, self.user_manager))

    def test_xlsx_figures_in_their_unit_health_in_its_colour(self):
        Report = self.env["ir.actions.report"].with_user(self.user_manager)
        content, _kind = Report._render_xlsx(
            "sales_management.action_report_plan_performance_xlsx",
            (self.sam_orders | self.sam_win_rate | self.team_plan).ids, {})
        book = openpyxl.load_workbook(BytesIO(content))
        styles = self.env["sales.management.dashboard"].with_user(
            self.user_manager).get_dashboard_data("year")["health_styles"]
        for plan, number_format in ((self.sam_orders, "#,##0"),
                                    (self.sam_win_rate, '0.0" %"'),
                                    (self.team_plan, None)):
            sheet = next(ws for ws in book if ws.title == plan.name[:28])
            # the plan's row in the plan tree (the title above reads its name too)
            row = next(r for r in range(1, sheet.max_row + 1)
                       if sheet.cell(r, 1).value == plan.name
                       and sheet.cell(r, 2).value == plan.user_id.name)
            if number_format:
                self.assertEqual(sheet.cell(row, 5).number_format, number_format)
            else:
                self.assertIn(self.currency.symbol, sheet.cell(row, 5).number_format)
            health = sheet.cell(row, 10)
            self.assertEqual(health.value, styles[plan.health]["label"])
            self.assertEqual(health.fill.fgColor.rgb[-6:].lower(),
                             styles[plan.health]["colour"][1:])
