#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The benchmark: each figure is the median of several warm runs, with its ratio to a
baseline measured in the same run (the SQL floor, or Odoo's own path); a figure and its
baseline run interleaved, so that a shared machine's slower phases weigh on both.

    python3 bench/run.py -d DB [--repeat N] [--json out.json]

The database holds data of ``bench/generate.py`` (with its plan tree). Everything a run
writes (digests, alerts, mails, milestone figures) is rolled back.

1. plan tree actuals: ``sales.plan.target._get_figures()`` over every target of the tree
   vs the FLOOR: one hand-written SQL GROUP BY (grouping sets) per metric; equal numbers.
2. SQL queries for (1) on 2 team subtrees and on the whole tree: equal.
3. dashboard data (manager, salesperson) vs ``sale.report._read_group`` of the same
   figures (plus ``crm.lead._read_group`` for won/lost/pipeline), as the same user.
4. plan performance report of the whole tree: HTML rendering, wkhtmltopdf, XLSX.
5. jobs: overdue digest + escalations, deviation alerts, milestone probabilities, with
   peak Python memory (tracemalloc, separate run).
6. milestone funnel and activity quality reports as a salesperson vs their SQL floor.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from contextlib import contextmanager
from datetime import date, datetime

from odoo import SUPERUSER_ID, api, fields

FLOAT_TOLERANCE = 0.01
PARTS = ("actuals", "dashboard", "salesperson", "reports", "jobs")

# --------------------------------------------------------------------------- floor SQL
# One GROUP BY per metric: (salesperson, team, month), (team, month), (month) at once.
_SETS = "GROUPING SETS ((r.user_id, r.team_id, r.m), (r.team_id, r.m), (r.m))"
_HEAD = "SELECT GROUPING(r.user_id, r.team_id), r.user_id, r.team_id, r.m, "
FLOOR_SQL = {
    "revenue": _HEAD + """SUM(r.amount) FROM (
            SELECT so.user_id, so.team_id, date_trunc('month', so.date_order)::date AS m,
                   l.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount
              FROM sale_order_line l JOIN sale_order so ON so.id = l.order_id
             WHERE so.state = 'sale' AND l.display_type IS NULL
               AND NOT COALESCE(l.is_downpayment, FALSE) AND so.company_id = %(company)s
               AND so.date_order >= %(start)s AND so.date_order < %(stop)s) r
        GROUP BY """ + _SETS,
    "invoiced": _HEAD + """SUM(r.amount) FROM (
            SELECT am.invoice_user_id AS user_id, am.team_id,
                   date_trunc('month', am.invoice_date)::date AS m, -aml.balance AS amount
              FROM account_move_line aml JOIN account_move am ON am.id = aml.move_id
             WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
               AND aml.display_type = 'product' AND am.company_id = %(company)s
               AND am.invoice_date >= %(start)s AND am.invoice_date < %(stop)s) r
        GROUP BY """ + _SETS,
    "new_customers": _HEAD + """COUNT(DISTINCT r.cp) FROM (
            SELECT DISTINCT ON (p.commercial_partner_id) so.user_id, so.team_id,
                   date_trunc('month', so.date_order)::date AS m, so.date_order,
                   p.commercial_partner_id AS cp
              FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale' AND so.company_id = %(company)s
          ORDER BY p.commercial_partner_id, so.date_order, so.id) r
         WHERE r.date_order >= %(start)s AND r.date_order < %(stop)s
        GROUP BY """ + _SETS,
    "opportunities": _HEAD + """COUNT(*) FROM (
            SELECT l.user_id, l.team_id, date_trunc('month', l.create_date)::date AS m
              FROM crm_lead l
             WHERE l.type = 'opportunity'
               AND (l.company_id = %(company)s OR l.company_id IS NULL)
               AND l.create_date >= %(start)s AND l.create_date < %(stop)s) r
        GROUP BY """ + _SETS,
    "win_rate": _HEAD + """100.0 * COUNT(*) FILTER (WHERE r.won) / NULLIF(COUNT(*), 0) FROM (
            SELECT l.user_id, l.team_id, date_trunc('month', l.date_closed)::date AS m,
                   l.active AS won
              FROM crm_lead l
             WHERE l.type = 'opportunity'
               AND (l.company_id = %(company)s OR l.company_id IS NULL)
               AND ((l.active AND l.probability = 100) OR (NOT l.active AND l.probability = 0))
               AND l.date_closed >= %(start)s AND l.date_closed < %(stop)s) r
        GROUP BY """ + _SETS,
    "activities": _HEAD + """COUNT(*) FROM (
            SELECT l.user_id, l.team_id, date_trunc('month', m.date)::date AS m
              FROM mail_message m JOIN crm_lead l ON l.id = m.res_id
             WHERE m.model = 'crm.lead' AND m.mail_activity_type_id IS NOT NULL
               AND (l.company_id = %(company)s OR l.company_id IS NULL)
               AND m.date >= %(start)s AND m.date < %(stop)s) r
        GROUP BY """ + _SETS,
}

FUNNEL_FLOOR = """
    SELECT ml.milestone_id, COUNT(*), COUNT(*) FILTER (WHERE l.active AND s.is_won)
      FROM sales_lead_milestone ml
      JOIN crm_lead l ON l.id = ml.lead_id
 LEFT JOIN crm_stage s ON s.id = l.stage_id
     WHERE l.type = 'opportunity' AND (l.user_id = %(user)s OR l.user_id IS NULL)
       AND (l.company_id = %(company)s OR l.company_id IS NULL)
       AND ml.date_reached >= %(start)s AND ml.date_reached < %(stop)s
  GROUP BY ml.milestone_id
"""

# the activity quality figures written directly on the tables, the user filter inside
ACTIVITY_FLOOR = """
    WITH leads AS (
        SELECT id FROM crm_lead
         WHERE type = 'opportunity' AND (user_id = %(user)s OR user_id IS NULL)
           AND (company_id = %(company)s OR company_id IS NULL)
    ), done AS (
        SELECT (req.activity_type_id IS NOT NULL) AS req,
               (msg.activity_deadline_date IS NOT NULL
                AND msg.date::date <= msg.activity_deadline_date) AS on_time,
               COALESCE(msg.activity_feedback_recorded, FALSE) AS fb
          FROM mail_message msg
          JOIN leads l ON l.id = msg.res_id
          LEFT JOIN LATERAL (
                SELECT n.milestone_id FROM sales_lead_milestone n
                 WHERE n.lead_id = l.id AND n.date_reached >= msg.date
              ORDER BY n.date_reached, n.id LIMIT 1) ml ON TRUE
          LEFT JOIN sales_milestone_activity_type_rel req
                 ON req.milestone_id = ml.milestone_id
                AND req.activity_type_id = msg.mail_activity_type_id
         WHERE msg.model = 'crm.lead' AND msg.mail_activity_type_id IS NOT NULL
           AND msg.date >= %(start)s AND msg.date < %(stop)s
    ), missing AS (
        SELECT COUNT(*) AS n
          FROM sales_lead_milestone ml
          JOIN leads l ON l.id = ml.lead_id
          JOIN sales_milestone_activity_type_rel req ON req.milestone_id = ml.milestone_id
         WHERE ml.date_reached >= %(start)s AND ml.date_reached < %(stop)s
           AND NOT EXISTS (SELECT 1 FROM mail_message msg
                            WHERE msg.model = 'crm.lead' AND msg.res_id = l.id
                              AND msg.mail_activity_type_id = req.activity_type_id
                              AND msg.date <= ml.date_reached)
    )
    SELECT (SELECT COUNT(*) FROM done), (SELECT n FROM missing),
           (SELECT AVG(CASE WHEN req THEN 100.0 ELSE 0.0 END) FROM done),
           (SELECT AVG(CASE WHEN on_time THEN 100.0 ELSE 0.0 END) FROM done),
           (SELECT AVG(CASE WHEN fb THEN 100.0 ELSE 0.0 END) FROM done),
           (SELECT AVG(CASE WHEN fb AND on_time THEN 100.0 ELSE 0.0 END) FROM done)
"""


class Bench:
    def __init__(self, env, repeat=5, out=print, jobs=True, reports=True, parts=None,
                 cursor_factory=None, quick=False, only_jobs=None,
                 trace=True):
        self.only_jobs = set(only_jobs or ())
        self.trace = trace
        self.env = env
        # quick (smoke test): one run of everything, no warm-up, no memory tracing
        self.quick = quick
        self.cursor_factory = cursor_factory
        self.cr = env.cr
        self.repeat = max(repeat, 1)
        self.out = out
        self.jobs = jobs
        self.reports = reports
        self.parts = set(parts or PARTS)
        self.rows = []
        self.checks = []
        self.today = date.today()
        self.year = self.today.year
        self.company = env.ref("base.main_company")
        Plan = env["sales.plan"]
        self.root = Plan.search([("name", "=", f"Bench Plan {self.year}"),
                                 ("parent_id", "=", False)], limit=1)
        assert self.root, "no bench plan tree: run bench/generate.py first"
        self.plans = Plan.search([("id", "child_of", self.root.id)])
        self.targets = self.plans.target_ids
        Users = env["res.users"]
        self.manager = Users.search([("login", "=", "bench_manager")])
        self.salesperson = Users.search([("login", "=like", "bench_sp_%")], order="login",
                                        limit=1)

    # ------------------------------------------------------------------ helpers
    def timed(self, fn, repeat=None, rollback=False):
        """Median seconds of ``repeat`` warm runs (one warm-up run first) and the last
        result. ``rollback``: every run in a savepoint rolled back afterwards."""
        times, result = [], None
        for i in range(0 if self.quick else -1, repeat or self.repeat):
            self.env.invalidate_all()
            if rollback:
                self.cr.execute("SAVEPOINT bench_run")
            started = time.perf_counter()
            result = fn()
            if rollback:
                self.env.flush_all()
            elapsed = time.perf_counter() - started
            if rollback:
                self.env.invalidate_all()
                self.env.transaction.clear()
                self.cr.execute("ROLLBACK TO SAVEPOINT bench_run")
            if i >= 0:
                times.append(elapsed)
        return statistics.median(times), result

    def timed_pair(self, fn, baseline):
        """``timed`` of ``fn`` and of its ``baseline``, their runs interleaved (a, b,
        then b, a, ...): a slower or faster phase of a shared machine weighs on both
        alike, so their ratio holds. Returns ``((seconds, result), (seconds, result))``."""
        times = ([], [])
        results = [None, None]
        fns = (fn, baseline)
        for i in range(0 if self.quick else -1, self.repeat):
            for which in ((0, 1) if i % 2 == 0 else (1, 0)):
                self.env.invalidate_all()
                started = time.perf_counter()
                results[which] = fns[which]()
                elapsed = time.perf_counter() - started
                if i >= 0:
                    times[which].append(elapsed)
        return ((statistics.median(times[0]), results[0]),
                (statistics.median(times[1]), results[1]))

    def row(self, key, label, value, baseline=None, unit="s", goal=None, note=""):
        ratio = value / baseline if baseline else None
        row = {"key": key, "label": label, "value": value, "baseline": baseline,
               "ratio": ratio, "unit": unit, "goal": goal, "note": note}
        if goal is not None and ratio is not None:
            row["ok"] = ratio <= goal
        self.rows.append(row)
        return row

    def check(self, name, ok, detail=""):
        self.checks.append({"check": name, "ok": bool(ok), "detail": detail})
        if not ok:
            self.out(f"CHECK FAILED: {name} {detail}")

    def queries(self, fn):
        before = self.cr.sql_log_count
        fn()
        return self.cr.sql_log_count - before

    # ------------------------------------------------------------------ 1 + 2
    def floor_values(self):
        """{(metric code, level, user, team, month): value} from one SQL per metric."""
        start = datetime(self.year, 1, 1)
        stop = datetime(self.year + 1, 1, 1)
        result = {}
        for code, query in FLOOR_SQL.items():
            self.cr.execute(query, {"company": self.company.id, "start": start, "stop": stop})
            for grouping, user, team, month, value in self.cr.fetchall():
                level = {0: "user", 2: "team", 3: "company"}[grouping]
                result[(code, level, user if level == "user" else None,
                        team if level != "company" else None, month.month)] = \
                    float(value or 0.0)
        return result

    def target_key(self, target):
        plan = target.plan_id
        scope = plan.scope
        return (target.metric_id.code, scope,
                plan.user_id.id if scope == "user" else None,
                plan.team_id.id if scope != "company" else None,
                target.date_from.month)

    def bench_actuals(self):
        targets = self.targets
        keys = {t.id: self.target_key(t) for t in targets}
        self.env.flush_all()
        (orm_time, figures), (floor_time, floor) = self.timed_pair(
            lambda: targets.browse(targets.ids)._get_figures(), self.floor_values)
        mismatches = [
            (tid, figures[tid]["actual_value"], floor.get(key, 0.0))
            for tid, key in keys.items()
            if abs(figures[tid]["actual_value"] - floor.get(key, 0.0)) > FLOAT_TOLERANCE
        ]
        # the months of the year still to come have no history: count the started ones
        started = {t.id for t in targets if t.date_from <= self.today}
        nonzero = sum(1 for tid in started if figures[tid]["actual_value"])
        self.check("plan actuals equal the SQL floor", not mismatches,
                   f"{len(mismatches)} of {len(keys)} differ, e.g. {mismatches[:3]}")
        self.check("plan actuals are not all zero", nonzero > len(started) / 4,
                   f"{nonzero} non-zero of the {len(started)} started targets")
        self.row("actuals", f"1. plan tree actuals ({len(targets)} targets, "
                 f"{len(self.plans)} plans) vs SQL floor", orm_time, floor_time, goal=1.5)
        # 2. queries at two tree sizes
        team_plans = self.plans.filtered(lambda p: p.scope == "team").sorted("id")
        small_plans = self.plans.filtered(
            lambda p: p.scope == "team" and p in team_plans[:2]
            or p.parent_id in team_plans[:2])
        small = small_plans.target_ids
        self.env.invalidate_all()
        n_small = self.queries(lambda: small.browse(small.ids)._get_figures())
        self.env.invalidate_all()
        n_full = self.queries(lambda: targets.browse(targets.ids)._get_figures())
        self.check("constant query count for the plan actuals", n_small == n_full,
                   f"{n_small} queries for {len(small)} targets, {n_full} for {len(targets)}")
        self.row("queries", f"2. SQL queries: {len(small)} targets vs {len(targets)}",
                 float(n_full), float(n_small), unit="queries", goal=1.0)
        return {"mismatches": len(mismatches), "queries_small": n_small,
                "queries_full": n_full}

    # ------------------------------------------------------------------ 3
    def odoo_path(self, env, dates):
        """The dashboard's sales figures the way Odoo's own Sales Analysis gets them."""
        SR = env["sale.report"]
        Lead = env["crm.lead"].with_context(active_test=False)

        def bounds(a, b):
            return [("date", ">=", datetime.combine(a, datetime.min.time())),
                    ("date", "<", datetime.combine(b, datetime.min.time())
                     + __import__("datetime").timedelta(days=1))]

        result = {}
        for key, a, b in (("revenue", dates["date_from"], dates["date_to"]),
                          ("revenue_last_year", dates["ly_date_from"], dates["ly_date_to"]),
                          ("revenue_previous", dates["prev_date_from"], dates["prev_date_to"])):
            [(amount, count)] = SR._read_group(
                [("state", "=", "sale"), *bounds(a, b)], [],
                ["price_subtotal:sum", "order_reference:count_distinct"])
            result[key] = amount or 0.0
        SR._read_group(bounds(dates["date_from"], dates["date_to"]), ["state"], ["__count"])
        closed = [("type", "=", "opportunity"), ("date_closed", ">=", dates["date_from"]),
                  ("date_closed", "<=", dates["date_to"])]
        [(won,)] = Lead._read_group([*closed, ("active", "=", True),
                                     ("stage_id.is_won", "=", True)], [], ["__count"])
        Lead._read_group([*closed, ("active", "=", False), ("probability", "=", 0)], [],
                         ["__count"])
        Lead._read_group([("type", "=", "opportunity"), ("stage_id.is_won", "=", False)], [],
                         ["expected_revenue:sum"])
        result["won_count"] = won
        return result

    def bench_dashboard(self):
        Dashboard = self.env["sales.management.dashboard"]
        # as the dashboard does: while the year runs, last year stops at the same day
        dates = Dashboard._period_dates(
            "year", self.today, today=fields.Date.context_today(Dashboard))
        out = {}
        for who, user in (("manager", self.manager), ("salesperson", self.salesperson)):
            denv = Dashboard.with_user(user).env
            D = denv["sales.management.dashboard"]
            full_time, data = self.timed(lambda D=D: D.get_dashboard_data("year"))

            def sales_part(D=D):
                scope = D._get_scope()
                drill = {}
                kpis = D._get_sales_kpis(scope, dates, drill)
                kpis.update(D._get_pipeline_kpis(scope, [], drill))
                return kpis

            (part_time, _kpis), (odoo_time, odoo) = self.timed_pair(
                sales_part, lambda denv=denv: self.odoo_path(denv, dates))
            for key in ("revenue", "revenue_last_year", "revenue_previous"):
                self.check(f"dashboard {key} ({who}) = sale.report",
                           abs(data["kpis"][key] - odoo[key]) < FLOAT_TOLERANCE,
                           f"{data['kpis'][key]} vs {odoo[key]}")
            self.check(f"dashboard won count ({who}) = crm.lead",
                       data["kpis"]["won_count"] == odoo["won_count"],
                       f"{data['kpis']['won_count']} vs {odoo['won_count']}")
            self.row(f"dashboard_sales_{who}", f"3. dashboard sales KPIs ({who}) vs "
                     "sale.report path", part_time, odoo_time, goal=1.0)
            self.row(f"dashboard_full_{who}", f"3. whole dashboard ({who}) vs "
                     "sale.report path", full_time, odoo_time,
                     note="plans, leaderboard, funnel, activities included")
            out[who] = {"revenue": data["kpis"]["revenue"]}
        return out

    # ------------------------------------------------------------------ 4
    def bench_reports(self):
        Report = self.env["ir.actions.report"].with_user(self.manager)
        root = self.root.with_user(self.manager)
        html_time, html = self.timed(lambda: Report._render_qweb_html(
            "sales_management.action_report_plan_performance", root.ids)[0],
            repeat=min(self.repeat, 3))
        self.check("plan performance HTML names every salesperson plan",
                   html.count(b"Bench Plan") >= len(self.plans), f"{len(html)} bytes")
        self.row("pdf_html", f"4. plan performance report, HTML ({len(self.plans)} plans)",
                 html_time, note=f"{len(html) // 1024} KiB")
        state = Report.get_wkhtmltopdf_state()
        if state in ("ok", "upgrade"):
            pdf_time, _pdf = self.timed(lambda: Report._run_wkhtmltopdf(
                [html.decode()], report_ref="sales_management.action_report_plan_performance"),
                repeat=min(self.repeat, 3))
            self.row("pdf_wkhtmltopdf", "4. plan performance report, wkhtmltopdf", pdf_time)
        else:
            self.row("pdf_wkhtmltopdf", "4. plan performance report, wkhtmltopdf", 0.0,
                     note=f"not measured: wkhtmltopdf {state} on this machine")
        xlsx_time, xlsx = self.timed(lambda: Report._render_xlsx(
            "sales_management.action_report_plan_performance_xlsx", root.ids, {})[0],
            repeat=min(self.repeat, 3))
        self.check("plan performance XLSX is a workbook", xlsx[:2] == b"PK", "")
        self.row("xlsx", "4. plan performance XLSX", xlsx_time,
                 note=f"{len(xlsx) // 1024} KiB")

    # ------------------------------------------------------------------ 5
    def bench_jobs(self):
        env = self.env
        self.cr.execute("SELECT count(*) FROM mail_activity WHERE date_deadline < %s "
                        "AND res_model = 'crm.lead'", [self.today])
        overdue = self.cr.fetchone()[0]
        self.cr.execute("SELECT count(*) FROM crm_lead WHERE milestone_id IS NOT NULL")
        leads = self.cr.fetchone()[0]
        self.cr.execute("""SELECT count(*) FROM sales_plan_target t
                             JOIN sales_plan p ON p.id = t.plan_id
                            WHERE p.state = 'approved' AND t.date_from <= %s
                              AND t.date_to >= %s""", [self.today, self.today])
        running = self.cr.fetchone()[0]
        jobs = [
            ("job_digest", f"5. overdue digest + escalation ({overdue} overdue activities)",
             lambda env: len(env["sales.control.digest"]._send_overdue_digests())),
            ("job_deviation", f"5. deviation alerts ({running} running targets)",
             lambda env: len(env["sales.control.alert"]._run_deviation_alerts())),
            ("job_milestone", f"5. milestone probabilities ({leads} leads)",
             lambda env: env["sales.milestone"]._compute_statistics(force=True)),
        ]
        if self.only_jobs:
            jobs = [job for job in jobs if job[0].removeprefix("job_") in self.only_jobs]
        out = {}
        for key, label, fn in jobs:
            times, result, peak = [], None, 0
            # like the scheduler: each run in its own transaction (rolled back); one run
            # more under tracemalloc for the peak Python memory. --repeat 1: no warm-up
            # (a job run is long enough to amortise the cold caches)
            if self.quick:
                runs = [False]
            elif self.repeat == 1:
                runs = [False, True] if self.trace else [False]
            else:
                runs = [False] * (min(self.repeat, 2) + 1) + [True]
            warmup = not self.quick and self.repeat > 1
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            for i, trace in enumerate(runs):
                with self.job_env() as job_env:
                    if trace:
                        tracemalloc.start()
                    started = time.perf_counter()
                    result = fn(job_env)
                    job_env.flush_all()
                    elapsed = time.perf_counter() - started
                    if trace:
                        peak = tracemalloc.get_traced_memory()[1]
                        tracemalloc.stop()
                    elif i or not warmup:
                        times.append(elapsed)
                    self.out(f"  {key} run {i}{' (traced)' if trace else ''}: "
                             f"{elapsed:.1f} s, result {result}")
            seconds = statistics.median(times)
            # growth of the process's peak RSS over the job's runs (KiB on Linux): 0 when
            # the job never needed more than what the process had already peaked at
            rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            rss_growth = (rss_after - rss_before) / 1024
            self.row(key, label, seconds, unit="s",
                     note=f"peak {peak / 2**20:.1f} MiB Python (tracemalloc), "
                          f"max RSS {rss_after / 1024:.0f} MiB (+{rss_growth:.0f}), "
                          f"result {result}")
            out[key] = {"seconds": seconds, "peak_mib": peak / 2**20, "result": result,
                        "max_rss_mib": rss_after / 1024, "rss_growth_mib": rss_growth}
        self.job_results = out
        env.invalidate_all()
        return out

    @contextmanager
    def job_env(self):
        """A fresh transaction when the benchmark runs as a script (``cursor_factory``),
        else a savepoint of the current one (tests); rolled back either way."""
        if self.cursor_factory:
            with self.cursor_factory() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                try:
                    yield env
                finally:
                    cr.rollback()
            return
        self.cr.execute("SAVEPOINT bench_job")
        self.env.invalidate_all()
        try:
            yield self.env
        finally:
            self.env.invalidate_all()
            self.env.transaction.clear()
            self.cr.execute("ROLLBACK TO SAVEPOINT bench_job")

    # ------------------------------------------------------------------ 6
    def bench_salesperson_reports(self):
        user = self.salesperson
        env = self.env(user=user)
        start = datetime(self.year, 1, 1)
        stop = datetime(self.year + 1, 1, 1)
        params = {"user": user.id, "company": self.company.id, "start": start, "stop": stop}
        domain = [("date_reached", ">=", start), ("date_reached", "<", stop)]
        Funnel = env["sales.milestone.funnel.report"]
        def floor():
            self.cr.execute(FUNNEL_FLOOR, params)
            return self.cr.fetchall()

        (orm_time, groups), (floor_time, rows) = self.timed_pair(lambda: Funnel._read_group(
            domain, ["milestone_id"], ["reached_count:sum", "won_count:sum"]), floor)
        got = {m.id: (r, w) for m, r, w in groups}
        want = {m: (r, w) for m, r, w in rows}
        self.check("funnel report as salesperson = SQL floor", got == want,
                   f"{got} vs {want}")
        self.check("funnel report is not empty", bool(want), "")
        self.row("funnel", "6. milestone funnel report (salesperson) vs SQL floor",
                 orm_time, floor_time, goal=2.0)
        Activity = env["sales.milestone.activity.report"]
        aggregates = ["done_count:sum", "missing_count:sum", "right_activity_pct:avg",
                      "on_time_pct:avg", "with_result_pct:avg", "right_way_pct:avg"]
        def activity_floor():
            self.cr.execute(ACTIVITY_FLOOR, params)
            return self.cr.fetchone()

        (orm_time, groups), (floor_time, row) = self.timed_pair(lambda: Activity._read_group(
            [("date", ">=", start), ("date", "<", stop)], [], aggregates), activity_floor)
        got = [float(v or 0.0) for v in groups[0]]
        want = [float(v or 0.0) for v in row]
        self.check("activity quality report as salesperson = SQL floor",
                   all(abs(a - b) < FLOAT_TOLERANCE for a, b in zip(got, want)),
                   f"{got} vs {want}")
        self.row("activity_report", "6. activity quality report (salesperson) vs SQL floor",
                 orm_time, floor_time, goal=2.0)
        # the activity metric of the salesperson's own plan, read as the salesperson
        own = self.targets.filtered(
            lambda t: t.plan_id.user_id == user and t.plan_id.scope == "user"
            and t.metric_id.code == "activities")
        own_user = own.with_user(user)
        def metric_floor():
            self.cr.execute("""
                SELECT date_trunc('month', m.date)::date, COUNT(*)
                  FROM mail_message m JOIN crm_lead l ON l.id = m.res_id
                 WHERE m.model = 'crm.lead' AND m.mail_activity_type_id IS NOT NULL
                   AND l.user_id = %(user)s AND l.team_id = %(team)s
                   AND (l.company_id = %(company)s OR l.company_id IS NULL)
                   AND m.date >= %(start)s AND m.date < %(stop)s
              GROUP BY 1""", {**params, "team": own[:1].plan_id.team_id.id})
            return {m.month: c for m, c in self.cr.fetchall()}

        (orm_time, figures), (floor_time, counts) = self.timed_pair(
            lambda: own_user.browse(own.ids)._get_figures(), metric_floor)
        self.check("activity metric (salesperson) = SQL floor", all(
            abs(figures[t.id]["actual_value"] - counts.get(t.date_from.month, 0)) < 0.01
            for t in own), "")
        self.row("activity_metric", "6. activities metric, own 12 targets (salesperson) "
                 "vs SQL floor", orm_time, floor_time, goal=2.0)

    # ------------------------------------------------------------------ run
    def run(self):
        started = time.time()
        self.cr.execute("SELECT count(*) FROM sale_order_line")
        lines = self.cr.fetchone()[0]
        self.cr.execute("SELECT count(*) FROM crm_lead")
        leads = self.cr.fetchone()[0]
        self.cr.execute("SELECT count(*) FROM mail_activity")
        activities = self.cr.fetchone()[0]
        self.cr.execute("SELECT count(*) FROM mail_message WHERE mail_activity_type_id "
                        "IS NOT NULL")
        done = self.cr.fetchone()[0]
        self.data = {"order_lines": lines, "leads": leads, "activities_open": activities,
                     "activities_done": done, "plans": len(self.plans),
                     "targets": len(self.targets)}
        if "actuals" in self.parts:
            self.bench_actuals()
        if "dashboard" in self.parts:
            self.bench_dashboard()
        if "salesperson" in self.parts:
            self.bench_salesperson_reports()
        if self.reports and "reports" in self.parts:
            self.bench_reports()
        # the jobs last: their writes are rolled back, but leave dead rows (and clear
        # visibility-map bits) on the opportunities and messages until the next VACUUM,
        # which made the salesperson reports after them 4-6x slower, floor included
        if self.jobs and "jobs" in self.parts:
            self.bench_jobs()
        self.seconds = time.time() - started
        return self.result()

    def result(self):
        return {"data": self.data, "rows": self.rows, "checks": self.checks,
                "jobs": getattr(self, "job_results", {}),
                "repeat": self.repeat, "seconds": round(self.seconds, 1),
                "date": self.today.isoformat()}

    def table(self):
        return render_table(self.result())


def render_table(result):
    """The markdown table of a benchmark result (``Bench.result()`` or its JSON)."""
    lines = [f"data: {result['data']}", "",
             "| figure | median | baseline | ratio | goal | note |",
             "|---|---:|---:|---:|---:|---|"]
    for r in result["rows"]:
        unit = r["unit"]

        def fmt(v, unit=unit):
            if v is None:
                return ""
            return f"{v:.0f}" if unit == "queries" else f"{v * 1000:.1f} ms"

        ratio = f"{r['ratio']:.2f}×" if r["ratio"] is not None else ""
        goal = f"≤ {r['goal']}×" if r["goal"] is not None else ""
        if "ok" in r:
            goal += " ✓" if r["ok"] else " ✗"
        lines.append(f"| {r['label']} | {fmt(r['value'])} | {fmt(r['baseline'])} | "
                     f"{ratio} | {goal} | {r['note']} |")
    checks = result["checks"]
    failed = [c for c in checks if not c["ok"]]
    lines.append("")
    lines.append(f"correctness checks: {len(checks) - len(failed)}/{len(checks)} OK"
                 + "".join(f"\n  FAILED {c['check']}: {c['detail']}" for c in failed))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--table", metavar="JSON",
                        help="only print the table of a result saved with --json")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--no-jobs", action="store_true")
    parser.add_argument("--no-reports", action="store_true")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"comma-separated parts to run among {', '.join(PARTS)}")
    parser.add_argument("--jobs", default="",
                        help="with part jobs: only these, comma-separated among digest, "
                             "deviation, milestone")
    parser.add_argument("--no-trace", action="store_true",
                        help="with part jobs and --repeat 1: no tracemalloc run (peak RSS only)")
    args = parser.parse_args(argv)
    if args.table:
        with open(args.table, encoding="utf-8") as handle:
            print(render_table(json.load(handle)))
        return 0
    if not args.database:
        parser.error("-d/--database is required")
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    # the patched wkhtmltopdf scripts/run installs, when present (as scripts/run does)
    wkhtmltox = os.path.join(os.path.dirname(here), ".state", "wkhtmltox", "bin")
    if os.path.isdir(wkhtmltox):
        os.environ["PATH"] = wkhtmltox + os.pathsep + os.environ.get("PATH", "")
    from generate import odoo_env

    import odoo
    registry = odoo_env(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        bench = Bench(env, args.repeat, jobs=not args.no_jobs, reports=not args.no_reports,
                      parts=args.parts.split(","), cursor_factory=registry.cursor,
                      only_jobs=[j for j in args.jobs.split(",") if j],
                      out=lambda line: print(line, flush=True), trace=not args.no_trace)
        result = bench.run()
        cr.rollback()
    print(bench.table())
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=1, default=str)
    return 0 if all(c["ok"] for c in result["checks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
