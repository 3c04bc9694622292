"""Figures that agree (issue 18, Build): on the data of ``figures_common`` (two teams,
monthly and yearly targets, orders, opportunities on two milestone tracks), for the
month, the quarter and the year and for each scope (a salesperson: own; a team leader:
team; a manager: all), the dashboard's figures equal, figure by figure:

- the analysis views' ``_read_group`` (Plan vs Actual, orders, KPI Analysis, milestone
  funnel, activity quality), as their pivots read them;
- the record counts of their drill-downs;
- the Executive Summary's and the Scorecard's text (HTML rendered through the ORM,
  the PDF's source, parsed back into tables);
- the KPI Analysis XLSX's cells (read back with openpyxl).

And the funnels never widen, and no total adds different metrics or plan levels."""

import re

from figures_common import COUNTED, PERIODS, FiguresCommon
from lxml import html as lxml_html

from odoo import fields

SCOPES = {"own": "user_salesman", "team": "user_leader", "all": "user_manager"}
NUMBER = re.compile(r"[-−]?\d[\d,]*(?:\.\d+)?")


def number(text):
    """The first number of a printed figure ("$ 1,800.00", "20.0 %", "+70.0 pts")."""
    match = NUMBER.search(text.replace("\xa0", " "))
    assert match, f"no number in {text!r}"
    return float(match.group().replace(",", "").replace("−", "-"))


def tables(html):
    """``{first header: rows}`` of the HTML's tables with a header; each row a list of
    cell texts (whitespace collapsed)."""
    result = {}
    for table in lxml_html.fromstring(html).iter("table"):
        headers = [" ".join(th.text_content().split()) for th in table.iter("th")]
        if not headers:
            continue
        rows = [[" ".join(td.text_content().split()) for td in tr.iter("td")]
                for tr in table.iter("tr")]
        result[headers[0]] = [row for row in rows if row]
    return result


class TestFiguresAgree(FiguresCommon):

    # ------------------------------------------------------------------ helpers
    def _each(self):
        """(scope, user, period, dashboard data) for every scope and period."""
        for scope, attr in SCOPES.items():
            user = getattr(self, attr)
            for period in PERIODS:
                yield scope, user, period, self._data(user, period)

    def _period(self, data):
        return (fields.Date.to_date(data["period"]["date_from"]),
                fields.Date.to_date(data["period"]["date_to"]))

    def _reader(self, scope, user, model):
        """A team leader's figures are read beyond their record rules (the scope domain
        bounds them, see ``_scope_read_group``): their domains are compared as such."""
        return self.env[model].sudo() if scope == "team" else self.env[model].with_user(user)

    def _pivot_plans(self, user, plan_ids, data):
        """The Plan vs Actual pivot over the plans' headline targets of the period:
        ``(target, actual)``, or None when a target spans more than the period (the
        pivot shows targets whole; the dashboard counts their part of the period)."""
        date_from, date_to = self._period(data)
        Target = self.env["sales.plan.target"].with_user(user)
        plans = self.env["sales.plan"].browse(plan_ids)
        domain = [("plan_id", "in", plan_ids), ("is_breakdown", "=", False),
                  ("metric_id", "in", plans.metric_id.ids),
                  ("date_from", "<=", date_to), ("date_to", ">=", date_from)]
        if Target.search_count(domain + ["|", ("date_from", "<", date_from),
                                         ("date_to", ">", date_to)]):
            return None
        [(target, actual)] = Target._read_group(
            domain, [], ["target_value:sum", "actual_value:sum"])
        return target, actual

    # ------------------------------------------------------------------ pivots
    def test_dashboard_equals_the_pivots(self):
        compared = 0
        for scope, user, period, data in self._each():
            kpis, drill = data["kpis"], data["drill"]
            with self.subTest(scope=scope, period=period, figure="plans"):
                for row in data["plans"]:
                    pivot = self._pivot_plans(user, [row["id"]], data)
                    if pivot is not None:
                        compared += 1
                        self.assertAlmostEqual(row["target"], pivot[0], places=2)
                        self.assertAlmostEqual(row["actual"], pivot[1], places=2)
            with self.subTest(scope=scope, period=period, figure="leaderboard and teams"):
                for row in data["leaderboard"] + data["teams"]:
                    pivot = self._pivot_plans(user, row["plan_ids"], data)
                    if pivot is not None:
                        compared += 1
                        self.assertAlmostEqual(row["target"], pivot[0], places=2)
                        self.assertAlmostEqual(row["actual"], pivot[1], places=2)
            with self.subTest(scope=scope, period=period, figure="revenue"):
                [(amount, count)] = self._reader(scope, user, "sale.order")._read_group(
                    drill["revenue"]["domain"], [], ["amount_untaxed:sum", "__count"])
                self.assertAlmostEqual(kpis["revenue"], amount or 0.0, places=2)
                self.assertEqual(kpis["order_count"], count)
            with self.subTest(scope=scope, period=period, figure="KPI Analysis"):
                Kpi = self._reader(scope, user, "sales.kpi.report")
                [(hit_rate, won, lost)] = Kpi._read_group(
                    drill["kpi_analysis"]["domain"], [],
                    ["hit_rate:avg", "won_count:sum", "lost_count:sum"])
                self.assertAlmostEqual(kpis["hit_rate"], hit_rate or 0.0, places=6)
                self.assertEqual((kpis["won_count"], kpis["lost_count"]), (won, lost))
                [(deal_size,)] = Kpi._read_group(
                    [*drill["kpi_analysis"]["domain"], ("status", "=", "won")], [],
                    ["deal_size:avg"])
                self.assertAlmostEqual(kpis["avg_deal_size"], deal_size or 0.0, places=2)
            with self.subTest(scope=scope, period=period, figure="activity quality"):
                Activity = self.env["sales.milestone.activity.report"].with_user(user)
                [(done, on_time, right_way)] = Activity._read_group(
                    drill["activities"]["domain"], [],
                    ["__count", "on_time_pct:avg", "right_way_pct:avg"])
                self.assertEqual(kpis["activities_done"], done)
                self.assertAlmostEqual(kpis["activities_on_time_pct"], on_time or 0.0)
                self.assertAlmostEqual(kpis["activities_right_way_pct"], right_way or 0.0)
            with self.subTest(scope=scope, period=period, figure="funnel"):
                Funnel = self.env["sales.milestone.funnel.report"].with_user(user)
                pivot = {(team.id, milestone.id): (count, won) for team, milestone, count, won
                         in Funnel._read_group(
                             drill["funnel"]["domain"], ["team_id", "milestone_id"],
                             ["opportunity_count:count_distinct",
                              "won_opportunity_count:count_distinct"])}
                for step in data["funnel"]:
                    self.assertEqual(
                        (step["reached"], step["won"]),
                        pivot.get((step["track_id"], step["milestone_id"]), (0, 0)))
        self.assertGreater(compared, 20, "the plans were compared with the pivot")
        kpis = self._data(self.user_manager, "month")["kpis"]
        self.assertEqual((kpis["won_count"], kpis["lost_count"]), (2, 1))
        self.assertEqual((kpis["overdue_tasks"], kpis["overdue_activities"]), (2, 1))

    def test_totals_of_mixed_metrics_and_levels_are_absent(self):
        Target = self.env["sales.plan.target"]
        for scope, user, period, data in self._each():
            date_from, date_to = self._period(data)
            domain = [("is_breakdown", "=", False), ("date_from", "<=", date_to),
                      ("date_to", ">=", date_from)]
            with self.subTest(scope=scope, period=period):
                groups = Target.with_user(user).read_group(
                    domain, ["target_value:sum", "actual_value:sum", "achievement:avg"],
                    ["plan_scope"], lazy=False)
                for group in groups:
                    metrics = Target.with_user(user).search(group["__domain"]).metric_id
                    if len(metrics) > 1 or not metrics.is_additive and group["__count"] > 1:
                        self.assertIs(group["target_value"], False, group)
                        self.assertIs(group["achievement"], False, group)
                [total] = Target.with_user(user).read_group(
                    domain, ["target_value:sum"], [], lazy=False)
                self.assertIs(total["target_value"], False)

    # ------------------------------------------------------------------ drill-downs
    def test_drill_downs_count_what_the_figures_count(self):
        for scope, user, period, data in self._each():
            kpis, drill = data["kpis"], data["drill"]
            for key, figure in COUNTED.items():
                if kpis.get(figure) is None:
                    continue
                with self.subTest(scope=scope, period=period, figure=key):
                    action = drill[key]
                    Model = self._reader(scope, user, action["res_model"]).with_context(
                        **action.get("context", {}))
                    self.assertEqual(Model.search_count(action["domain"]), kpis[figure])
            with self.subTest(scope=scope, period=period, figure="plan rows"):
                Plan = self.env["sales.plan"].with_user(user)
                self.assertEqual(Plan.search(drill["plans"]["domain"]).ids,
                                 [row["id"] for row in data["plans"]])
                for row in data["leaderboard"] + data["teams"]:
                    self.assertEqual(self.env["sales.plan"].browse(row["plan_ids"]).exists().ids,
                                     row["plan_ids"])

    # ------------------------------------------------------------------ prints
    def _html(self, report, user, res_ids, period):
        html, _kind = self.env["ir.actions.report"].with_user(user)._render_qweb_html(
            report, res_ids, data={"period": period})
        return html.decode()

    def _assert_funnel_table(self, rows, funnel):
        self.assertEqual(len(rows), len(funnel))
        for cells, step in zip(rows, funnel):
            self.assertEqual(cells[0], step["name"])
            self.assertEqual((number(cells[1]), number(cells[2])), (step["reached"], step["won"]))
            self.assertAlmostEqual(number(cells[3]), step["share"], delta=0.5)

    def _assert_deal_size(self, html, kpis):
        """The KPI block's deal size reads as the dashboard's card: "Average deal size",
        the won opportunities' average and their count (not the confirmed orders')."""
        cells = lxml_html.fromstring(html).xpath(
            "//td[normalize-space()='Average deal size']/following-sibling::td[1]")
        self.assertEqual(len(cells), 1, "one 'Average deal size' row in the KPI block")
        cell = cells[0]
        text = " ".join(cell.text_content().split())
        amount, count = text.split(" · ")
        self.assertAlmostEqual(number(amount), kpis["avg_deal_size"], delta=0.005)
        self.assertEqual(count, f"{kpis['won_count']} won")
        self.assertNotIn("Orders ·", html)

    def test_prints_show_the_dashboard_figures(self):
        for period in PERIODS:
            with self.subTest(period=period, report="scorecard"):
                data = self._data(self.user_salesman, period)
                html = self._html("sales_management.action_report_salesperson_scorecard",
                                  self.user_salesman, self.user_salesman.ids, period)
                printed = tables(html)
                plans = printed["Plan"]
                self.assertEqual(len(plans), len(data["plans"]))
                for cells, row in zip(plans, data["plans"]):
                    self.assertEqual(cells[0], row["name"])
                    self.assertAlmostEqual(number(cells[1]), row["target"], delta=0.005)
                    self.assertAlmostEqual(number(cells[2]), row["actual"], delta=0.005)
                    self.assertAlmostEqual(number(cells[3]), row["achievement"], delta=0.05)
                    self.assertAlmostEqual(number(cells[4]), row["pace"], delta=0.05)
                self._assert_funnel_table(printed["Milestone"], data["funnel"])
                tree = lxml_html.fromstring(html)
                revenue = tree.find_class("o_sm_revenue")[0].text_content()
                self.assertAlmostEqual(number(revenue), data["kpis"]["revenue"], delta=0.005)
                hit_rate = tree.find_class("o_sm_hit_rate")[0].text_content()
                self.assertAlmostEqual(number(hit_rate), data["kpis"]["hit_rate"], delta=0.05)
                self._assert_deal_size(html, data["kpis"])
            with self.subTest(period=period, report="executive summary"):
                data = self._data(self.user_manager, period)
                html = self._html("sales_management.action_report_executive_summary",
                                  self.user_manager, self.env.company.ids, period)
                printed = tables(html)
                for cells, row in zip(printed["Team"], data["teams"], strict=True):
                    self.assertEqual(cells[0], row["name"])
                    self.assertAlmostEqual(number(cells[1]), row["target"], delta=0.005)
                    self.assertAlmostEqual(number(cells[2]), row["actual"], delta=0.005)
                    self.assertAlmostEqual(number(cells[3]), row["achievement"], delta=0.05)
                for cells, row in zip(printed["#"], data["leaderboard"][:5], strict=True):
                    self.assertEqual((number(cells[0]), cells[1]), (row["rank"], row["name"]))
                    self.assertAlmostEqual(number(cells[2]), row["achievement"], delta=0.05)
                    if row["change"] is None:  # no plan in the previous period
                        self.assertFalse(NUMBER.search(cells[3]), cells[3])
                    else:
                        self.assertAlmostEqual(number(cells[3]), row["change"], delta=0.05)
                    self.assertAlmostEqual(number(cells[4]), row["revenue"], delta=0.005)
                    self.assertEqual(cells[5], data["health_styles"][row["health"]]["label"])
                self._assert_funnel_table(printed["Milestone"], data["funnel"])
                self._assert_deal_size(html, data["kpis"])
                revenue = lxml_html.fromstring(html).find_class("o_sm_revenue")[0]
                self.assertAlmostEqual(number(revenue.text_content()), data["kpis"]["revenue"],
                                       delta=0.005)

    def test_xlsx_cells_are_the_dashboard_figures(self):
        Report = self.env["ir.actions.report"]
        for scope, user, period, data in self._each():
            with self.subTest(scope=scope, period=period):
                content, _kind = Report.with_user(user)._render_xlsx(
                    "sales_management.action_report_kpi_analysis_xlsx", self.env.company.ids,
                    {"period": period})
                book = self._workbook(content, data_only=True)
                kpis = data["kpis"]
                sheet = book["KPIs"]
                for cell, value in (("B3", kpis["revenue"]), ("B6", kpis["order_count"]),
                                    ("B7", kpis["avg_deal_size"]), ("B11", kpis["won_count"]),
                                    ("B12", kpis["lost_count"]),
                                    ("B13", kpis["hit_rate"] / 100.0),
                                    ("B16", kpis["remaining_target"])):
                    self.assertAlmostEqual(sheet[cell].value, value, places=6, msg=cell)
                sheet = book["Leaderboard"]
                for i, row in enumerate(data["leaderboard"], start=2):
                    self.assertEqual(sheet[f"B{i}"].value, row["name"])
                    self.assertAlmostEqual(sheet[f"C{i}"].value, row["target"], places=6)
                    self.assertAlmostEqual(sheet[f"D{i}"].value, row["actual"], places=6)
                    self.assertAlmostEqual(sheet[f"E{i}"].value, row["achievement"] / 100.0,
                                           places=6)
                    # coloured by the person's health, the dashboard's mapping
                    self.assertEqual(sheet[f"E{i}"].fill.fgColor.rgb[-6:].lower(),
                                     data["health_styles"][row["health"]]["colour"][1:])
                    self.assertEqual(sheet[f"H{i}"].value,
                                     data["health_styles"][row["health"]]["label"])
                    if row["change"] is not None:
                        self.assertAlmostEqual(sheet[f"F{i}"].value, row["change"] / 100.0,
                                               places=6)
                sheet = book["Funnel"]
                for i, step in enumerate(data["funnel"], start=2):
                    self.assertEqual(sheet[f"A{i}"].value, step["name"])
                    self.assertEqual((sheet[f"B{i}"].value, sheet[f"C{i}"].value),
                                     (step["reached"], step["won"]))
                self.assertIsNone(sheet[f"A{len(data['funnel']) + 2}"].value)

    # ------------------------------------------------------------------ funnels
    def test_funnels_never_widen(self):
        for scope, _user, period, data in self._each():
            with self.subTest(scope=scope, period=period):
                self.assertTrue(data["funnel"])
                self._assert_funnel_shape(data["funnel"])
                tracks = {row["track_id"] for row in data["funnel"]}
                expected = {"own": {self.team.id}, "team": {self.team.id},
                            "all": {self.team.id, self.team_other.id}}[scope]
                self.assertEqual(tracks, expected)
