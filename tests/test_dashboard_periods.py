"""Issue 18, points 2, 3, 8 and 10: the dashboard's period applies to every figure; the
drill-downs open exactly what the figures count; the plan vs actual pivot never adds
different metrics or plan levels; the milestone funnel is per track and never widens.

The data (``figures_common.FiguresCommon``): a company year 2026 frozen on 13 May, two
teams, monthly targets and one yearly target, orders from February to May, two
milestone tracks. Every expected figure is computed here from these data."""

from datetime import date
from unittest.mock import patch

from figures_common import COUNTED, PERIODS, TODAY, FiguresCommon

from odoo import Command
from odoo.addons.sales_management.models.res_company import HEALTH_COLOURS
from odoo.exceptions import AccessError


class TestDashboardPeriods(FiguresCommon):
    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _sara_part(start, end):
        """Sara's yearly 24,000 spread evenly over the days of 2026: its part in
        ``start``..``end``."""
        return 24000.0 * ((end - start).days + 1) / 365.0

    def _expected_sam_sara(self, period):
        """(target, actual, expected to date) of Sam's and Sara's plans for the period."""
        may = (date(2026, 5, 1), date(2026, 5, 31))
        elapsed_may = 13 / 31
        if period == "month":
            sam = (3000.0, 600.0, 3000.0 * elapsed_may)
            sara = (self._sara_part(*may), 500.0, self._sara_part(may[0], TODAY))
        elif period == "quarter":
            sam = (9000.0, 1000.0 + 600.0, 3000.0 + 3000.0 * elapsed_may)
            sara = (self._sara_part(date(2026, 4, 1), date(2026, 6, 30)), 500.0,
                    self._sara_part(date(2026, 4, 1), TODAY))
        else:
            sam = (36000.0, 400.0 + 1000.0 + 600.0, 3000.0 * 4 + 3000.0 * elapsed_may)
            sara = (24000.0, 2500.0, self._sara_part(date(2026, 1, 1), TODAY))
        return sam, sara

    @staticmethod
    def _period_bounds(period):
        return {"month": (date(2026, 5, 1), date(2026, 5, 31)),
                "quarter": (date(2026, 4, 1), date(2026, 6, 30)),
                "year": (date(2026, 1, 1), date(2026, 12, 31))}[period]

    # ------------------------------------------------------------------ point 2
    def test_plans_follow_the_period_for_each_scope(self):
        for period in PERIODS:
            sam, sara = self._expected_sam_sara(period)
            with self.subTest(period=period, scope="own"):
                data = self._data(self.user_salesman, period)
                self.assertEqual(data["scope"]["level"], "own")
                [row] = data["plans"]
                self.assertEqual(row["id"], self.plan_sam.id)
                self.assertAlmostEqual(row["target"], sam[0], places=2)
                self.assertAlmostEqual(row["actual"], sam[1], places=2)
                self.assertAlmostEqual(row["expected"], sam[2], places=2)
                self.assertAlmostEqual(row["achievement"], 100.0 * sam[1] / sam[0], places=4)
                self.assertAlmostEqual(row["pace"], 100.0 * sam[1] / sam[2], places=4)
                # pipeline coverage: what remains of the period's target
                self.assertAlmostEqual(data["kpis"]["remaining_target"], sam[0] - sam[1],
                                       places=2)
            with self.subTest(period=period, scope="own, spanning target"):
                [row] = self._data(self.user_salesman_2, period)["plans"]
                self.assertAlmostEqual(row["target"], sara[0], places=2)
                self.assertAlmostEqual(row["actual"], sara[1], places=2)
                self.assertAlmostEqual(row["expected"], sara[2], places=2)
        share = {"month": 1, "quarter": 3, "year": 12}
        north_actual = {"month": 1100.0, "quarter": 2100.0, "year": 4500.0}
        all_actual = {"month": 1800.0, "quarter": 2800.0, "year": 5200.0}
        for period in PERIODS:
            with self.subTest(period=period, scope="team"):
                data = self._data(self.user_leader, period)
                self.assertEqual(data["scope"]["level"], "team")
                [row] = data["plans"]
                self.assertEqual(row["id"], self.plan_north.id)
                self.assertAlmostEqual(row["target"], 6000.0 * share[period])
                self.assertAlmostEqual(row["actual"], north_actual[period])
            with self.subTest(period=period, scope="all"):
                data = self._data(self.user_manager, period)
                [row] = data["plans"]
                self.assertEqual(row["id"], self.plan_company.id)
                self.assertAlmostEqual(row["target"], 10000.0 * share[period])
                self.assertAlmostEqual(row["actual"], all_actual[period])
                teams = {t["team_id"]: t for t in data["teams"]}
                self.assertAlmostEqual(teams[self.team.id]["target"], 6000.0 * share[period])
                self.assertAlmostEqual(teams[self.team.id]["actual"], north_actual[period])
                self.assertAlmostEqual(teams[self.team_other.id]["target"],
                                       2000.0 * share[period])
                self.assertAlmostEqual(teams[self.team_other.id]["actual"], 700.0)
                # the bar's colour is the team plan's health over the period
                north = self.plan_north._get_period_figures(
                    *self._period_bounds(period))[self.plan_north.id]
                self.assertEqual(teams[self.team.id]["health"], north["health"])

    def test_finished_and_future_months_read_their_own_health(self):
        """The period's health is judged over the period: April is over (Achieved or
        Missed), the plan's June has not started."""
        Plan = self.env["sales.plan"]
        figures = Plan.browse(self.plan_sam.id)._get_period_figures(
            date(2026, 4, 1), date(2026, 4, 30))[self.plan_sam.id]
        self.assertEqual((figures["target"], figures["actual"]), (3000.0, 1000.0))
        self.assertEqual(figures["health"], "missed")
        june = self.plan_sam._get_period_figures(date(2026, 6, 1), date(2026, 6, 30))
        self.assertEqual(june[self.plan_sam.id]["health"], "not_started")
        self.assertEqual(june[self.plan_sam.id]["expected"], 0.0)

    def test_spanning_targets_cost_no_query_each(self):
        """A month of yearly targets (each one's part of May): the same queries for one
        spanning target as for five, and each one's part and actual over the overlap."""
        Target = self.env["sales.plan.target"]
        may = self._period_bounds("month")
        yearly = self.plan_sara.target_ids.filtered(lambda t: t.metric_id == self.revenue)
        more = yearly | Target.create([{
            "plan_id": self.plan_sara.id, "metric_id": self.revenue.id,
            "target_value": 365.0 * (i + 1), "partner_id": customer.id,
        } for i, customer in enumerate([self.customer_be, self.customer_us] * 2)])
        counts = []
        by_customer = more - yearly
        # the first run after the creation warms the caches; then one target, then four
        for targets in (by_customer, by_customer[:1], by_customer):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            figures = targets.with_user(self.user_salesman_2)._get_period_figures(*may)
            counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(set(figures), set(targets.ids))
        self.assertEqual(counts[1], counts[2])
        figures = more._get_period_figures(*may)
        self.assertAlmostEqual(figures[yearly.id]["target"], self._sara_part(*may), places=2)
        self.assertAlmostEqual(figures[yearly.id]["actual_value"], 500.0, places=2)
        for target in more - yearly:
            # 365 × (i + 1) a year, evenly over the days: (i + 1) a day, 31 days in May
            self.assertAlmostEqual(figures[target.id]["target"],
                                   31.0 * target.target_value / 365.0, places=2)
            self.assertEqual((figures[target.id]["date_from"], figures[target.id]["date_to"]),
                             may)
            # Sara sold 500 to the US customer in May (and 2,000 to the Belgian in March)
            self.assertAlmostEqual(figures[target.id]["actual_value"],
                                   500.0 if target.partner_id == self.customer_us else 0.0)

    def test_period_memo_serves_each_user_his_own(self):
        """Within ``period_figures_memo`` (the dashboard's data) a period's figures are
        computed once per user: asked again, no query; another user is served from his
        own entry, with his own rights (a target he may not read raises)."""
        from odoo.addons.sales_management.models.sales_plan_target import (
            period_figures_memo,
        )

        may = self._period_bounds("month")
        targets = self.plan_sam.target_ids | self.plan_otto.target_ids
        with period_figures_memo():
            as_manager = targets.with_user(self.user_manager)._get_period_figures(*may)
            before = self.env.cr.sql_log_count
            again = targets.with_user(self.user_manager)._get_period_figures(*may)
            self.assertEqual(self.env.cr.sql_log_count, before)
            self.assertEqual(again, as_manager)
            with self.assertRaises(AccessError):
                targets.with_user(self.user_salesman)._get_period_figures(*may)
            own = self.plan_sam.target_ids.with_user(self.user_salesman)
            self.assertEqual(set(own._get_period_figures(*may)),
                             {t.id for t in own if t.date_from <= may[1]
                              and t.date_to >= may[0]})
        # outside the block, computed again
        before = self.env.cr.sql_log_count
        targets.with_user(self.user_manager)._get_period_figures(*may)
        self.assertGreater(self.env.cr.sql_log_count, before)

    def test_dashboard_reads_each_source_once(self):
        """A manager's dashboard shows the salespersons' plans (the leaderboard), the top
        plan and the teams' plans: their figures of the period are one batch, each
        source read once for the whole screen, and each section shows the figures its
        plans have when computed alone."""
        Metric = type(self.env["sales.metric"])
        compute_source = Metric._compute_source
        scans = []

        def spy(metric, entries):
            scans.append(tuple(sorted({m.source for m, _slots in entries})))
            return compute_source(metric, entries)

        Dashboard = self.env["sales.management.dashboard"].with_user(self.user_manager)
        with patch.object(Metric, "_compute_source", spy):
            data = Dashboard.get_dashboard_data("year")
        self.assertIn(("sale_line",), scans)
        self.assertEqual(len(scans), len(set(scans)), scans)
        year = self._period_bounds("year")
        plans = self.env["sales.plan"].with_user(self.user_manager)
        alone = plans.browse([row["id"] for row in data["plans"]])._get_period_figures(*year)
        self.assertEqual([row["id"] for row in data["plans"]], [self.plan_company.id])
        for row in data["plans"]:
            self.assertAlmostEqual(row["actual"], alone[row["id"]]["actual"], places=2)
        teams = {row["team_id"]: row["actual"] for row in data["teams"]}
        self.assertEqual(set(teams), {self.team.id, self.team_other.id})
        for plan in self.plan_north | self.plan_south:
            self.assertAlmostEqual(
                teams[plan.team_id.id],
                plans.browse(plan.id)._get_period_figures(*year)[plan.id]["actual"],
                places=2)

    def test_salesperson_dashboard_reads_its_plans_targets_once(self):
        """A salesperson's score and plan rows are over the same plans: their targets
        are searched once, with the rows of their figures, and the rows still show
        Sam's figures (computed from the data: ``_expected_sam_sara``)."""
        Target = type(self.env["sales.plan.target"])
        search = Target._search
        searches = []

        def spy(model, domain, *args, **kwargs):
            searches.append(str(domain))
            return search(model, domain, *args, **kwargs)

        fetch = Target._fetch_target_rows
        fetched = []

        def fetch_spy(model, ids, condition):
            fetched.append(ids)
            return fetch(model, ids, condition)

        Dashboard = self.env["sales.management.dashboard"].with_user(self.user_salesman)
        with patch.object(Target, "_search", spy), \
                patch.object(Target, "_fetch_target_rows", fetch_spy):
            data = Dashboard.get_dashboard_data("year")
        by_plans = [domain for domain in searches
                    if "'plan_id', 'in'" in domain and "'is_breakdown'" in domain
                    and "metric_id" not in domain]
        self.assertEqual(len(by_plans), 1, searches)
        # the targets' rows came with that read: not read again for their figures
        self.assertEqual(fetched, [])
        target, actual, expected = self._expected_sam_sara("year")[0]
        [row] = data["plans"]
        self.assertAlmostEqual(row["target"], target, places=2)
        self.assertAlmostEqual(row["actual"], actual, places=2)
        self.assertAlmostEqual(row["expected"], expected, places=2)
        [board] = data["leaderboard"]
        self.assertAlmostEqual(board["achievement"], 100.0 * actual / target, places=4)

    def test_dashboard_reads_the_period_orders_and_plans_once(self):
        """The sales KPIs and the leaderboard's revenue are one read of the period's
        orders; the leaderboard's plans of the period and of the previous one, one
        search. Each person's revenue is the sum of their confirmed orders of the
        period (searched here), the revenue KPI the total of the scope's."""
        Order = type(self.env["sale.order"])
        Plan = type(self.env["sales.plan"])
        read_group, search_fetch = Order._read_group, Plan.search_fetch
        order_reads, plan_searches = [], []

        def order_spy(model, domain, groupby=(), *args, **kwargs):
            order_reads.append(tuple(groupby))
            return read_group(model, domain, groupby, *args, **kwargs)

        def plan_spy(model, domain, *args, **kwargs):
            plan_searches.append(str(domain))
            return search_fetch(model, domain, *args, **kwargs)

        start, end = self._period_bounds("year")
        confirmed = self.env["sale.order"].search([
            ("state", "=", "sale"), ("date_order", ">=", f"{start} 00:00:00"),
            ("date_order", "<=", f"{end} 23:59:59")])
        for user in (self.user_salesman, self.user_leader, self.user_manager):
            order_reads.clear()
            plan_searches.clear()
            with self.subTest(user=user.name), \
                    patch.object(Order, "_read_group", order_spy), \
                    patch.object(Plan, "search_fetch", plan_spy):
                data = self._data(user, "year")
                self.assertEqual(order_reads.count(("user_id", "state", "currency_id")), 1,
                                 order_reads)
                self.assertNotIn(("user_id", "currency_id"), order_reads)
                if user == self.user_salesman:
                    self.assertEqual(len(plan_searches), 1, plan_searches)
                    [row] = data["leaderboard"]
                    mine = confirmed.filtered(lambda o, user=user: o.user_id == user)
                    self.assertTrue(mine)
                    self.assertAlmostEqual(row["revenue"], sum(mine.mapped("amount_untaxed")),
                                           places=2)
                    self.assertAlmostEqual(data["kpis"]["revenue"], row["revenue"], places=2)
                if user == self.user_manager:
                    board = {row["user_id"]: row["revenue"] for row in data["leaderboard"]}
                    self.assertGreaterEqual(len(board), 2)
                    for uid, revenue in board.items():
                        self.assertAlmostEqual(revenue, sum(confirmed.filtered(
                            lambda o, uid=uid: o.user_id.id == uid).mapped("amount_untaxed")),
                            places=2)

    def test_leaderboard_compares_with_the_previous_period(self):
        april_sara = self._sara_part(date(2026, 4, 1), date(2026, 4, 30))
        may_sara = self._sara_part(date(2026, 5, 1), date(2026, 5, 31))
        expected = {  # user: (achievement now, achievement in the previous month)
            self.user_salesman.id: (100.0 * 600.0 / 3000.0, 100.0 * 1000.0 / 3000.0),
            self.user_salesman_2.id: (100.0 * 500.0 / may_sara, 0.0),
            self.user_other_team.id: (100.0 * 700.0 / 1000.0, 0.0),
        }
        board = self._data(self.user_manager, "month")["leaderboard"]
        self.assertEqual([r["user_id"] for r in board], [
            self.user_other_team.id, self.user_salesman_2.id, self.user_salesman.id])
        for row in board:
            now, before = expected[row["user_id"]]
            with self.subTest(user=row["name"]):
                self.assertAlmostEqual(row["achievement"], now, places=4)
                self.assertIsNotNone(row["change"], "no 'new' for a running year plan")
                self.assertAlmostEqual(row["previous_achievement"], before, places=4)
                self.assertAlmostEqual(row["change"], now - before, places=4)
        sara = next(r for r in board if r["user_id"] == self.user_salesman_2.id)
        self.assertAlmostEqual(sara["target"], may_sara, places=2)
        self.assertGreater(april_sara, 0.0)
        # previous quarter (Q1): Sam 400 / 9000, Sara 2000 / her Q1 part
        board = {r["user_id"]: r for r in self._data(self.user_manager, "quarter")["leaderboard"]}
        self.assertAlmostEqual(board[self.user_salesman.id]["previous_achievement"],
                               100.0 * 400.0 / 9000.0, places=4)
        self.assertAlmostEqual(
            board[self.user_salesman_2.id]["previous_achievement"],
            100.0 * 2000.0 / self._sara_part(date(2026, 1, 1), date(2026, 3, 31)), places=4)

    def test_leaderboard_health_is_judged_over_the_period(self):
        """Each leaderboard row reads the health of the person's plans over the period,
        as the plans do: a finished month Achieved or Missed, a month not started Not
        started; a person with several plans, the health of their summed figures. The
        XLSX colours the achievement with the one health -> colour mapping."""
        # April is over: Otto sold 1,200 against 1,000, Sam 1,000 against 3,000, Sara
        # nothing against her part of the year
        self._create_order(self.customer_us, self.user_other_team,
                           [(self.product_goods, 12, 100.0)], "2026-04-20 10:00:00",
                           team=self.team_other)
        sam, sara, otto = self.user_salesman, self.user_salesman_2, self.user_other_team

        def healths(period, date_ref):
            data = self.Dashboard.with_user(self.user_manager).get_dashboard_data(
                period, date_ref)
            return {row["user_id"]: row["health"] for row in data["leaderboard"]}

        self.assertEqual(healths("month", "2026-04-15"),
                         {sam.id: "missed", sara.id: "missed", otto.id: "achieved"})
        self.assertEqual(healths("month", "2026-06-15"),
                         {sam.id: "not_started", sara.id: "not_started",
                          otto.id: "not_started"})
        # the running month: each person's one plan over May
        for plan, health in ((self.plan_sam, healths("month", None)[sam.id]),
                             (self.plan_otto, healths("month", None)[otto.id])):
            may = plan._get_period_figures(*self._period_bounds("month"))[plan.id]
            self.assertEqual(health, may["health"])
        # the XLSX: the achievement in the colour of the health, its label beside it
        content, _kind = self.env["ir.actions.report"].with_user(self.user_manager) \
            ._render_xlsx("sales_management.action_report_kpi_analysis_xlsx",
                          self.env.company.ids, {"period": "month", "date_ref": "2026-04-15"})
        sheet = self._workbook(content)["Leaderboard"]
        labels = dict(self.env["sales.plan"]._fields["health"]._description_selection(
            self.env))
        rows = {sheet[f"B{i}"].value: i for i in range(2, 5)}
        for user, health in ((otto, "achieved"), (sam, "missed"), (sara, "missed")):
            with self.subTest(user=user.name):
                cell = sheet[f"E{rows[user.name]}"]
                self.assertEqual(cell.fill.fgColor.rgb[-6:].lower(), HEALTH_COLOURS[health][1:])
                self.assertIn("%", cell.number_format)
                self.assertEqual(sheet[f"H{rows[user.name]}"].value, labels[health])
        # a second April plan of Otto's (2,000): each plan alone reads Achieved (1,200 of
        # 1,000) and Missed (1,200 of 2,000); Otto's row, their sum: 2,400 of 3,000
        self.env["sales.plan"].create({
            "name": "SMP Otto April push", "user_id": otto.id, "team_id": self.team_other.id,
            "parent_id": self.plan_south.id, "metric_id": self.revenue.id,
            "date_from": date(2026, 4, 1), "date_to": date(2026, 4, 30),
            "target_ids": [Command.create({"metric_id": self.revenue.id,
                                           "target_value": 2000.0})],
        })
        board = self.Dashboard.with_user(self.user_manager).get_dashboard_data(
            "month", "2026-04-15")["leaderboard"]
        [row] = [r for r in board if r["user_id"] == otto.id]
        self.assertEqual(len(row["plan_ids"]), 2)
        self.assertEqual((row["target"], row["actual"]), (3000.0, 2400.0))
        self.assertEqual(row["health"], "missed")

    def test_prints_follow_the_period(self):
        """My Scorecard, the Executive Summary and the XLSX read the same figures."""
        Report = self.env["ir.actions.report"]
        sam, _sara = self._expected_sam_sara("month")
        html, _kind = Report.with_user(self.user_salesman)._render_qweb_html(
            "sales_management.action_report_salesperson_scorecard", self.user_salesman.ids,
            data={"period": "month"})
        text = html.decode()
        self.assertIn(f"{100.0 * sam[1] / sam[0]:.1f} %", text)  # 20.0 %
        self.assertNotIn(f"{100.0 * 2000.0 / 36000.0:.1f} %", text)  # the year's
        html, _kind = Report.with_user(self.user_manager)._render_qweb_html(
            "sales_management.action_report_executive_summary", self.env.company.ids,
            data={"period": "month"})
        text = html.decode()
        self.assertIn(f"{100.0 * 1100.0 / 6000.0:.1f} %", text)  # North in May
        self.assertIn(f"{70.0:+.1f} pts", text)  # Otto: 70 % against 0 % in April
        data = self._data(self.user_manager, "month")
        board = data["leaderboard"]
        content, _kind = Report.with_user(self.user_manager)._render_xlsx(
            "sales_management.action_report_kpi_analysis_xlsx", self.env.company.ids,
            {"period": "month"})
        sheet = self._workbook(content)["Leaderboard"]
        for i, row in enumerate(board, start=2):
            with self.subTest(user=row["name"]):
                self.assertEqual(sheet[f"B{i}"].value, row["name"])
                self.assertAlmostEqual(sheet[f"C{i}"].value, row["target"], places=2)
                self.assertAlmostEqual(sheet[f"D{i}"].value, row["actual"], places=2)

    # ------------------------------------------------------------------ point 10
    def test_drill_downs_open_what_the_figures_count(self):
        users = {"own": self.user_salesman, "team": self.user_leader, "all": self.user_manager}
        for scope, user in users.items():
            for period in PERIODS:
                data = self._data(user, period)
                kpis, drill = data["kpis"], data["drill"]
                for key, figure in COUNTED.items():
                    if kpis.get(figure) is None:
                        continue
                    with self.subTest(scope=scope, period=period, figure=key):
                        action = drill[key]
                        Model = self.env[action["res_model"]].with_context(
                            **action.get("context", {}))
                        # a leader's figures are read beyond their record rules (see
                        # _scope_read_group): the domain is what must match
                        Model = Model.sudo() if scope == "team" else Model.with_user(user)
                        self.assertEqual(Model.search_count(action["domain"]), kpis[figure])
                with self.subTest(scope=scope, period=period, figure="plans"):
                    self.assertEqual(
                        self.env["sales.plan"].with_user(user).search_count(
                            drill["plans"]["domain"]), len(data["plans"]))
        # the activity card: one call done (on A), two meetings missing (A and D were
        # qualified without one); each figure opens its own rows
        kpis = self._data(self.user_salesman, "month")["kpis"]
        self.assertEqual((kpis["activities_done"], kpis["activities_missing"]), (1, 2))

    def test_kpi_analysis_opens_on_the_period_with_the_same_deal_size(self):
        Kpi = self.env["sales.kpi.report"]
        for user in (self.user_salesman, self.user_manager):
            for period in PERIODS:
                data = self._data(user, period)
                with self.subTest(user=user.name, period=period):
                    action = data["drill"]["kpi_analysis"]
                    self.assertEqual(action["res_model"], "sales.kpi.report")
                    self.assertIn(["pivot"], [v[1:] for v in action["views"]][:1])
                    bounds = {(leaf[0], leaf[1]): leaf[2] for leaf in action["domain"]
                              if isinstance(leaf, (list, tuple)) and leaf[0] == "date_closed"}
                    self.assertEqual(bounds[("date_closed", ">=")][:10],
                                     data["period"]["date_from"])
                    [(deal_size, won)] = Kpi.with_user(user)._read_group(
                        [*action["domain"], ("status", "=", "won")], [],
                        ["deal_size:avg", "__count"])
                    self.assertEqual(won, data["kpis"]["won_count"])
                    self.assertAlmostEqual(data["kpis"]["avg_deal_size"], deal_size or 0.0)
        # Sam's won opportunity of May: A (3,000)
        self.assertAlmostEqual(self._data(self.user_salesman, "month")["kpis"]["avg_deal_size"],
                               3000.0)
        # the menu's KPI Analysis opens on the year (the dashboard's default), not on the
        # current month's first days
        arch = self.env.ref("sales_management.sales_kpi_report_view_search").arch
        self.assertIn('default_period="year"', arch)

    # ------------------------------------------------------------------ point 3
    def test_plan_vs_actual_pivot_never_adds_metrics_nor_levels(self):
        Target = self.env["sales.plan.target"]
        domain = [("plan_id", "in", (self.plan_company | self.plan_north | self.plan_sam
                                     | self.plan_sara | self.plan_south | self.plan_otto).ids),
                  ("is_breakdown", "=", False)]
        measures = ["target_value:sum", "actual_value:sum", "achievement:avg", "pace:avg"]
        # the pivot's total: company, team and salesperson plans, revenue and counts
        [total] = Target.read_group(domain, measures, [], lazy=False)
        for name in ("target_value", "actual_value", "achievement", "pace"):
            self.assertIn(total[name], (None, False), name)
        # mixed metrics within a level: no total either
        by_level = {g["plan_scope"]: g for g in Target.read_group(
            domain, measures, ["plan_scope"], lazy=False)}
        self.assertIn(by_level["user"]["target_value"], (None, False))
        # the default grouping: metric and plan level, each a sum that means something
        groups = Target.read_group(domain, measures, ["metric_id", "plan_scope"], lazy=False)
        cells = {(g["metric_id"][0], g["plan_scope"]): g for g in groups}
        all_orders = 5200.0
        for level, target in (("company", 120000.0), ("team", 96000.0), ("user", 72000.0)):
            cell = cells[self.revenue.id, level]
            with self.subTest(level=level):
                self.assertAlmostEqual(cell["target_value"], target)
                self.assertAlmostEqual(cell["actual_value"], all_orders)
                # a ratio of the sums, not a sum or an average of percentages
                self.assertAlmostEqual(cell["achievement"], 100.0 * all_orders / target)
        cell = cells[self.orders_metric.id, "user"]
        self.assertEqual((cell["target_value"], cell["actual_value"]), (20.0, 3.0))
        self.assertAlmostEqual(cell["achievement"], 100.0 * 3 / 20)
        # two win rates are not added: no figure; one win rate is its own
        self.assertIn(cells[self.win_rate.id, "user"]["target_value"], (None, False))
        by_plan = {g["plan_id"][0]: g for g in Target.read_group(
            domain + [("metric_id", "=", self.win_rate.id)], measures, ["plan_id"], lazy=False)}
        self.assertEqual(by_plan[self.plan_sam.id]["target_value"], 50.0)
        # the pivot view's default rows
        arch = self.env.ref("sales_management.sales_plan_target_view_pivot").arch
        self.assertLess(arch.index('name="metric_id" type="row"'),
                        arch.index('name="plan_scope" type="row"'))
        self.assertNotIn('name="plan_id" type="row"', arch)

    # ------------------------------------------------------------------ point 8
    def test_funnel_per_track_never_widens(self):
        expected = [
            (self.team.id, self.n1.id, 4, 1), (self.team.id, self.n2.id, 3, 1),
            (self.team.id, self.n3.id, 1, 1),
            (self.team_other.id, self.s1.id, 2, 1), (self.team_other.id, self.s2.id, 1, 1),
        ]
        for period in PERIODS:
            data = self._data(self.user_manager, period)
            funnel = data["funnel"]
            with self.subTest(period=period):
                self.assertEqual(
                    [(r["track_id"], r["milestone_id"], r["reached"], r["won"]) for r in funnel],
                    expected)
                self._assert_funnel_shape(funnel)
                # the pivot (its drill-down) reads the same steps
                action = data["drill"]["funnel"]
                Report = self.env[action["res_model"]].with_user(self.user_manager)
                pivot = Report.read_group(
                    action["domain"], ["opportunity_count:count_distinct"],
                    ["team_id", "milestone_id"], lazy=False)
                self.assertEqual(
                    sorted((g["team_id"][0], g["milestone_id"][0], g["opportunity_count"])
                           for g in pivot),
                    sorted((t, m, n) for t, m, n, _w in expected))
                # totals count opportunities once: no total adds steps
                totals = {g["team_id"][0]: g["opportunity_count"] for g in Report.read_group(
                    action["domain"], ["opportunity_count:count_distinct"], ["team_id"],
                    lazy=False)}
                self.assertEqual(totals, {self.team.id: 4, self.team_other.id: 2})
                [grand] = Report.read_group(action["domain"],
                                            ["opportunity_count:count_distinct"], [],
                                            lazy=False)
                self.assertEqual(grand["opportunity_count"], 6)
        # a salesperson: their own track and opportunities only
        funnel = self._data(self.user_salesman, "month")["funnel"]
        self.assertEqual([(r["milestone_id"], r["reached"]) for r in funnel],
                         [(self.n1.id, 3), (self.n2.id, 2), (self.n3.id, 1)])
        self._assert_funnel_shape(funnel)
        # the Executive Summary prints the tracks apart
        html, _kind = self.env["ir.actions.report"].with_user(
            self.user_manager)._render_qweb_html(
            "sales_management.action_report_executive_summary", self.env.company.ids,
            data={"period": "month"})
        text = html.decode()
        self.assertIn(f"{self.team_other.name} · {self.s2.name}", text)
        self.assertIn(f"{self.team.name} · {self.n3.name}", text)
        # the steps are read from the milestones at each read, the pending changes
        # written first: Qualified archived, B (straight to Proposal Sent) no longer
        # passed through it; A, C and D reached it themselves
        action = self._data(self.user_manager, "year")["drill"]["funnel"]
        self.n1.active = False
        steps = {(g["team_id"][0], g["milestone_id"][0]): g["opportunity_count"]
                 for g in self.env[action["res_model"]].with_user(self.user_manager).read_group(
                     action["domain"], ["opportunity_count:count_distinct"],
                     ["team_id", "milestone_id"], lazy=False)}
        self.assertEqual(steps[self.team.id, self.n1.id], 3)
        self.assertEqual(steps[self.team.id, self.n2.id], 3)
