#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The benchmark of the paths where users wait: each figure is the median of several warm
runs, with its ratio to a floor or baseline measured in the same run; a figure and its
floor run interleaved, so that a shared machine's slower phases weigh on both.

    python3 bench/run.py -d DB [--repeat N] [--parts ...] [--json out.json]
    python3 bench/run.py --linearity S.json M.json L.json    # the jobs from size to size
    python3 bench/compare.py -d DB --ref REF                 # before/after in one command

The database holds data of ``bench/generate.py`` (with its plan tree). Everything a run
writes (digests, alerts, mails, milestone figures) is rolled back. Only public entry points
of the addon are called (``read``, ``read_group``, the report actions, the dashboard's data
method, the jobs' methods), so the same harness measures any version of the figures engine.

a. figures: ``read()`` of the live figures of every target of the tree, as the sales
   manager, on a fresh cache (the list view, the export), and the plan performance XLSX of
   the tree's root; vs the FLOOR (``floor.py``): one hand-written GROUP BY per source table
   computing every measure of that table in one pass, plus one query for the targets' rows.
   SQL queries of the ``read()`` for the tree and for a tenth of it: equal.
b. the *Plan vs Actual* pivot: the four ``read_group`` calls its default view makes (rows
   plan, columns metric, measures target and actual; filter *Plan Totals*), vs the same floor;
   SQL queries for the tree and a tenth of it: equal.
c. dashboard data (manager, salesperson): ``get_dashboard_data`` and its sales figures, vs
   ``sale.report._read_group`` of the same figures (plus ``crm.lead._read_group`` for
   won/lost/pipeline), as the same user.
d. the plan performance PDF of the tree's root (HTML when wkhtmltopdf is missing), vs the
   figures' floor plus the PDF conversion of the same HTML.
e. jobs: overdue digest + escalations, deviation alerts, milestone probabilities, with
   peak Python memory (tracemalloc, separate run); ``--linearity`` compares sizes.
s. milestone funnel, activity quality and the activities metric as a salesperson vs their
   SQL floor.
"""

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from odoo import SUPERUSER_ID, api, fields

FLOAT_TOLERANCE = 0.01
PARTS = ("figures", "pivot", "dashboard", "salesperson", "pdf", "jobs")
# the live figures the list view, the form and the XLSX export read
FIGURE_FIELDS = ["actual_value", "expected_to_date", "achievement", "pace", "variance",
                 "health"]
# what the Plan vs Actual pivot asks by default (sales_plan_target_view_pivot and
# sales_plan_target_action_analysis: rows metric > plan level, columns quarter, measures
# target, actual, achievement, filter "Plan Totals")
PIVOT_DOMAIN = [("is_breakdown", "=", False)]
PIVOT_MEASURES = ["target_value:sum", "actual_value:sum", "achievement:avg"]
# the web client's requests: every prefix of the rows by every prefix of the columns
PIVOT_GROUPBYS = tuple(
    rows + cols
    for rows in ([], ["metric_id"], ["metric_id", "plan_scope"])
    for cols in ([], ["date_from:quarter"])
)
# the correctness check's grouping (plan x metric: one cell per plan and metric)
PIVOT_CHECK_GROUPBY = ["plan_id", "metric_id"]
# the pivot's default before it was grouped by metric and plan level (aef87c4 and older:
# rows plan, columns metric, target and actual): what compare.py's "before" run asks
LEGACY_PIVOT_MEASURES = ["target_value:sum", "actual_value:sum"]
LEGACY_PIVOT_GROUPBYS = ([], ["metric_id"], ["plan_id"], ["plan_id", "metric_id"])
PLAN_REPORT = "sales_management.action_report_plan_performance"
PLAN_XLSX = "sales_management.action_report_plan_performance_xlsx"
# goals that apply at M and L only (at S, fixed costs outweigh a few ms of SQL)
LARGE = ("M", "L")


def bench_module(name):
    """A module of ``bench/`` loaded by path (the smoke test has no ``bench/`` on
    ``sys.path``)."""
    spec = importlib.util.spec_from_file_location(
        f"sales_management_bench_{name}",
        os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


floor = bench_module("floor")


def size_of(order_lines):
    """The generator's size a database was made with, from its order lines."""
    for size, limit in (("XS", 5_000), ("S", 50_000), ("M", 500_000)):
        if order_lines < limit:
            return size
    return "L"


FUNNEL_FLOOR = """
    SELECT ml.milestone_id, COUNT(*), COUNT(*) FILTER (WHERE l.active AND s.is_won)
      FROM sales_lead_milestone ml
      JOIN crm_lead l ON l.id = ml.lead_id
 LEFT JOIN crm_stage s ON s.id = l.stage_id
     WHERE l.type = 'opportunity'
       AND (l.user_id = %(user)s OR l.user_id IS NULL OR l.team_id = ANY(%(teams)s::int[]))
       AND (l.company_id = %(company)s OR l.company_id IS NULL)
       AND ml.date_reached >= %(start)s AND ml.date_reached < %(stop)s
  GROUP BY ml.milestone_id
"""

# the dashboard's milestone funnel and activity quality for a user (his own opportunities)
# or, user NULL, for the whole company: the SQL floors above without the record rules
SCREEN_FUNNEL_FLOOR = FUNNEL_FLOOR.replace(
    "(l.user_id = %(user)s OR l.user_id IS NULL OR l.team_id = ANY(%(teams)s::int[]))",
    "(%(user)s::int IS NULL OR l.user_id = %(user)s)")

# the activity quality figures written directly on the tables, the user filter inside
ACTIVITY_FLOOR = """
    WITH leads AS (
        SELECT id FROM crm_lead
         WHERE type = 'opportunity'
           AND (user_id = %(user)s OR user_id IS NULL OR team_id = ANY(%(teams)s::int[]))
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
    -- the done activities in one pass
    SELECT COUNT(*), (SELECT n FROM missing),
           AVG(CASE WHEN req THEN 100.0 ELSE 0.0 END),
           AVG(CASE WHEN on_time THEN 100.0 ELSE 0.0 END),
           AVG(CASE WHEN fb THEN 100.0 ELSE 0.0 END),
           AVG(CASE WHEN fb AND on_time THEN 100.0 ELSE 0.0 END)
      FROM done
"""

SCREEN_ACTIVITY_FLOOR = ACTIVITY_FLOOR.replace(
    "(user_id = %(user)s OR user_id IS NULL OR team_id = ANY(%(teams)s::int[]))",
    "(%(user)s::int IS NULL OR user_id = %(user)s)")
assert SCREEN_FUNNEL_FLOOR != FUNNEL_FLOOR and SCREEN_ACTIVITY_FLOOR != ACTIVITY_FLOOR

# the overdue tasks and to-dos and the open corrective actions of a user (or the company's)
SCREEN_COUNTS_FLOOR = """
    SELECT (SELECT COUNT(*) FROM sales_task
             WHERE active AND state IN ('draft', 'in_progress') AND date_deadline < %(today)s
               AND (company_id = %(company)s OR company_id IS NULL)
               AND (%(user)s::int IS NULL OR user_id = %(user)s)),
           (SELECT COUNT(*) FROM sales_task_todo
             WHERE state = 'todo' AND date_deadline < %(today)s
               AND (company_id = %(company)s OR company_id IS NULL)
               AND (%(user)s::int IS NULL OR user_id = %(user)s)),
           (SELECT COUNT(*) FROM sales_corrective_action
             WHERE state = 'open' AND (company_id = %(company)s OR company_id IS NULL)
               AND (%(user)s::int IS NULL OR user_id = %(user)s))
"""

# the average deal size: the expected revenue of the opportunities won in the period
SCREEN_DEAL_SIZE_FLOOR = """
    SELECT AVG(l.expected_revenue)
      FROM crm_lead l JOIN crm_stage s ON s.id = l.stage_id
     WHERE l.type = 'opportunity' AND l.active AND s.is_won
       AND (l.company_id = %(company)s OR l.company_id IS NULL)
       AND (%(user)s::int IS NULL OR l.user_id = %(user)s)
       AND l.date_closed >= %(start)s AND l.date_closed < %(stop)s
"""

# the vision, mission, target customers and strategy of the plans above the user's plans
# of the period (a manager's: the top plans')
SCREEN_CONCEPTION_FLOOR = """
    SELECT a.id, a.name, a.vision, a.mission, a.target_customers, a.strategy
      FROM sales_plan p
      JOIN sales_plan a ON p.parent_path LIKE a.parent_path || '%%'
                       AND (a.id <> p.id OR %(user)s::int IS NULL)
     WHERE p.state != 'cancelled' AND p.company_id = %(company)s
       AND p.date_from < %(stop)s AND p.date_to >= %(start)s
       AND (%(user)s::int IS NULL AND p.parent_id IS NULL
            OR p.scope = 'user' AND p.user_id = %(user)s)
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
        self.size = None
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
        # a tenth of the tree: the subtrees of a tenth of its teams (at least one)
        team_plans = self.plans.filtered(lambda p: p.scope == "team").sorted("id")
        tenth = team_plans[:max(1, len(team_plans) // 10)]
        self.small_plans = tenth | self.plans.filtered(lambda p: p.parent_id in tenth)
        self.small_targets = self.small_plans.target_ids

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

    def timed_pair(self, fn, baseline, repeat=None):
        """``timed`` of ``fn`` and of its ``baseline``, their runs interleaved (a, b,
        then b, a, ...): a slower or faster phase of a shared machine weighs on both
        alike, so their ratio holds. Every run starts on a fresh ORM cache. Returns
        ``((seconds, result), (seconds, result))``."""
        times = ([], [])
        results = [None, None]
        fns = (fn, baseline)
        for i in range(0 if self.quick else -1, repeat or self.repeat):
            for which in ((0, 1) if i % 2 == 0 else (1, 0)):
                self.env.invalidate_all()
                started = time.perf_counter()
                results[which] = fns[which]()
                elapsed = time.perf_counter() - started
                if i >= 0:
                    times[which].append(elapsed)
        return ((statistics.median(times[0]), results[0]),
                (statistics.median(times[1]), results[1]))

    def row(self, key, label, value, baseline=None, unit="s", goal=None, note="",
            goal_sizes=None):
        """A result row; ``goal``: the highest ratio value / baseline that is ok,
        ``goal_sizes``: the sizes the goal applies to (default: every size)."""
        ratio = value / baseline if baseline else None
        row = {"key": key, "label": label, "value": value, "baseline": baseline,
               "ratio": ratio, "unit": unit, "goal": goal, "note": note,
               "goal_sizes": list(goal_sizes) if goal_sizes else None}
        if goal is not None and ratio is not None:
            applies = not goal_sizes or self.size in goal_sizes
            row["ok"] = (ratio <= goal) if applies else None
        self.rows.append(row)
        return row

    def check(self, name, ok, detail=""):
        self.checks.append({"check": name, "ok": bool(ok), "detail": detail})
        if not ok:
            self.out(f"CHECK FAILED: {name} {detail}")

    def queries(self, fn):
        """SQL queries of ``fn`` on a fresh ORM cache."""
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        fn()
        return self.cr.sql_log_count - before

    def floor_figures(self, plans=None):
        """The SQL floor of the figures (``floor.py``): ``{target id: (plan, metric code,
        actual)}`` of the targets of ``plans`` (default: every plan-total target)."""
        return floor.figures(self.cr, self.company.id, self.year,
                             plans.ids if plans is not None else None)

    # ------------------------------------------------------------------ a
    def read_figures(self, targets, user=None):
        """The figures as the list view and the export read them: ``read()`` as ``user``
        (default: the manager), ``{id: values}``."""
        records = targets.with_user(user or self.manager).browse(targets.ids)
        return {values["id"]: values for values in records.read(FIGURE_FIELDS)}

    def check_figures(self, label, figures, wanted):
        """The figures read equal the floor's actuals, and the derived figures follow
        their definitions (variance = actual - expected, achievement = actual / target)."""
        targets = {t.id: t.target_value for t in self.targets.browse(list(wanted))}
        mismatches, derived = [], []
        for tid, (_plan, _code, actual) in wanted.items():
            got = figures.get(tid)
            if got is None or abs(got["actual_value"] - actual) > FLOAT_TOLERANCE:
                mismatches.append((tid, got and got["actual_value"], actual))
                continue
            value = targets[tid]
            achievement = 100.0 * actual / value if value else 0.0
            if abs(got["variance"] - (got["actual_value"] - got["expected_to_date"])) \
                    > FLOAT_TOLERANCE or abs(got["achievement"] - achievement) > 0.1:
                derived.append((tid, got))
        self.check(f"{label}: actuals read equal the SQL floor", not mismatches,
                   f"{len(mismatches)} of {len(wanted)} differ, e.g. {mismatches[:3]}")
        self.check(f"{label}: variance and achievement follow the actuals", not derived,
                   f"{len(derived)} of {len(wanted)} differ, e.g. {derived[:2]}")
        started = [tid for tid, t in zip(self.targets.ids, self.targets)
                   if t.date_from <= self.today and tid in wanted]
        nonzero = sum(1 for tid in started if wanted[tid][2])
        self.check(f"{label}: actuals are not all zero", nonzero > len(started) / 4,
                   f"{nonzero} non-zero of the {len(started)} started targets")
        return not mismatches

    def bench_figures(self):
        targets = self.targets
        self.env.flush_all()
        (read_time, figures), (floor_time, wanted) = self.timed_pair(
            lambda: self.read_figures(targets), lambda: self.floor_figures(self.plans))
        self.check_figures("figures read()", figures, wanted)
        self.row("figures_read", f"a. read() of the figures, whole tree ({len(targets)} "
                 f"targets, {len(self.plans)} plans) vs SQL floor", read_time, floor_time,
                 goal=2.0, goal_sizes=LARGE)
        # queries: the same read on a tenth of the tree and on the whole tree
        small = self.small_targets
        n_small = self.queries(lambda: self.read_figures(small))
        n_full = self.queries(lambda: self.read_figures(targets))
        self.check("figures read(): query count independent of the targets",
                   n_small == n_full,
                   f"{n_small} queries for {len(small)} targets, {n_full} for {len(targets)}")
        self.row("figures_queries", f"a. SQL queries of read(): {len(targets)} targets "
                 f"vs {len(small)}", float(n_full), float(n_small), unit="queries", goal=1.0,
                 note=f"{n_full} vs {n_small}; the floor: "
                      f"{len(floor.SOURCES) + 1}")
        if not self.reports:
            return
        # the XLSX export of the tree (its root: every plan of the tree as a row, the
        # root's targets, with the figures of all the tree's targets)
        Report = self.env["ir.actions.report"].with_user(self.manager)
        root = self.root.with_user(self.manager)
        (xlsx_time, xlsx), (floor_time, _wanted) = self.timed_pair(
            lambda: Report._render_xlsx(PLAN_XLSX, root.ids, {})[0],
            lambda: self.floor_figures(self.plans), repeat=min(self.repeat, 3))
        self.check("plan performance XLSX is a workbook", xlsx[:2] == b"PK", "")
        self.row("figures_xlsx", f"a. plan performance XLSX of the tree ({len(self.plans)} "
                 "plans) vs SQL floor", xlsx_time, floor_time, goal=2.0, goal_sizes=LARGE,
                 note=f"{len(xlsx) // 1024} KiB")

    # ------------------------------------------------------------------ b
    def pivot_default(self):
        """(measures, groupbys) of the pivot's default requests in the code measured."""
        if "plan_scope" in self.env["sales.plan.target"]._fields:
            return PIVOT_MEASURES, PIVOT_GROUPBYS
        return LEGACY_PIVOT_MEASURES, LEGACY_PIVOT_GROUPBYS

    def pivot(self, domain=PIVOT_DOMAIN):
        """The plan x metric groups the correctness check compares with the floor."""
        Target = self.env["sales.plan.target"].with_user(self.manager)
        measures, _groupbys = self.pivot_default()
        return Target.read_group(domain, measures, PIVOT_CHECK_GROUPBY, lazy=False)

    def pivot_requests(self, domain=PIVOT_DOMAIN):
        """The Plan vs Actual pivot's default requests (each its own RPC: a fresh
        cache), as the manager."""
        Target = self.env["sales.plan.target"].with_user(self.manager)
        measures, groupbys = self.pivot_default()
        for groupby in groupbys:
            self.env.invalidate_all()
            Target.read_group(domain, measures, groupby, lazy=False)

    def bench_pivot(self):
        self.env.flush_all()
        groups, wanted = self.pivot(), self.floor_figures()
        (pivot_time, _none), (floor_time, _wanted) = self.timed_pair(
            self.pivot_requests, self.floor_figures)
        # each (plan, metric) cell adds up the floor's actuals of its targets; the win
        # rate (a ratio) is left out: what its cell shows is not a sum of percentages
        sums = {}
        for plan_id, code, actual in wanted.values():
            sums[(plan_id, code)] = sums.get((plan_id, code), 0.0) + actual
        codes = {m.id: m.code for m in self.targets.metric_id}
        got = {(g["plan_id"][0], codes.get(g["metric_id"][0])): g["actual_value"]
               for g in groups}
        mismatches = [(key, got.get(key), value) for key, value in sums.items()
                      if key[1] != "win_rate"
                      and abs((got.get(key) or 0.0) - value) > FLOAT_TOLERANCE]
        self.check("pivot (plan x metric) actuals equal the SQL floor", not mismatches,
                   f"{len(mismatches)} of {len(sums)} cells differ, e.g. {mismatches[:3]}")
        self.check("pivot has a cell per plan and metric", len(got) >= len(sums),
                   f"{len(got)} cells, {len(sums)} in the floor")
        # the web client sends each of the pivot's requests on its own (one RPC, one
        # transaction each): every request has to compute the figures it groups, as a
        # hand-written program answering it would run the floor's GROUP BYs again
        requests = len(self.pivot_default()[1])
        self.row("pivot", f"b. Plan vs Actual pivot, one of its {requests} default requests "
                 f"({len(wanted)} targets) vs SQL floor", pivot_time / requests, floor_time,
                 goal=2.0, goal_sizes=LARGE,
                 note=f"{requests} requests in {pivot_time * 1000:.0f} ms; the floor answers "
                      "one with one GROUP BY per source")
        small = PIVOT_DOMAIN + [("plan_id", "in", self.small_plans.ids)]
        full = PIVOT_DOMAIN + [("plan_id", "in", self.plans.ids)]
        n_small = self.queries(lambda: self.pivot_requests(small))
        n_full = self.queries(lambda: self.pivot_requests(full))
        self.check("pivot: query count independent of the targets", n_small == n_full,
                   f"{n_small} queries for {len(self.small_plans)} plans, {n_full} for "
                   f"{len(self.plans)}")
        self.row("pivot_queries", f"b. SQL queries of the pivot: {len(self.plans)} plans "
                 f"vs {len(self.small_plans)}", float(n_full), float(n_small),
                 unit="queries", goal=1.0, note=f"{n_full} vs {n_small}")

    # ------------------------------------------------------------------ c
    def odoo_path(self, env, dates):
        """The dashboard's sales figures the way Odoo's own Sales Analysis gets them."""
        SR = env["sale.report"]
        Lead = env["crm.lead"].with_context(active_test=False)

        def bounds(a, b):
            return [("date", ">=", datetime.combine(a, datetime.min.time())),
                    ("date", "<", datetime.combine(b, datetime.min.time())
                     + timedelta(days=1))]

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

    def odoo_screen_path(self, env, dates, user=None):
        """The same screen's sections the way Odoo's own reports and a hand-written
        program get them: the sales KPIs from ``sale.report`` (``odoo_path``), the revenue
        by salesperson (the leaderboard) from ``sale.report``, the pipeline by stage from
        ``crm.lead``, the overdue activities from ``mail.activity``; the addon's own
        figures, which Odoo has no report for, from their hand-written SQL: the milestone
        funnel and the activity quality (``SCREEN_FUNNEL_FLOOR``,
        ``SCREEN_ACTIVITY_FLOOR``), the overdue tasks and to-dos and the open corrective
        actions, the deal size, the conception above the plans (``SCREEN_*_FLOOR``), and
        the figures of the plans the user sees in the period from their SQL floor
        (``floor.py``; a salesperson's: his own rows only)."""
        result = self.odoo_path(env, dates)
        start = datetime.combine(dates["date_from"], datetime.min.time())
        stop = datetime.combine(dates["date_to"], datetime.min.time()) + timedelta(days=1)
        mine = [("user_id", "=", user.id)] if user else []
        env["sale.report"]._read_group(
            [("state", "=", "sale"), ("date", ">=", start), ("date", "<", stop), *mine],
            ["user_id"], ["price_subtotal:sum"])
        Lead = env["crm.lead"]
        Lead._read_group([("type", "=", "opportunity"), *mine], ["stage_id"],
                         ["__count", "expected_revenue:sum", "prorated_revenue:sum"])
        # the milestone funnel and the activity quality: the addon's own figures, which
        # Odoo has no report for, from their hand-written SQL (the user's rows only)
        params = {"user": user.id if user else None, "company": self.company.id,
                  "start": start, "stop": stop}
        self.cr.execute(SCREEN_FUNNEL_FLOOR, params)
        self.cr.fetchall()
        self.cr.execute(SCREEN_ACTIVITY_FLOOR, params)
        self.cr.fetchall()
        # the execution and control counts, the deal size and the conception above the
        # user's plans: the addon's own, one hand-written query each
        self.cr.execute(SCREEN_COUNTS_FLOOR, {**params, "today": self.today})
        self.cr.fetchall()
        self.cr.execute(SCREEN_DEAL_SIZE_FLOOR, params)
        self.cr.fetchall()
        self.cr.execute(SCREEN_CONCEPTION_FLOOR, params)
        self.cr.fetchall()
        env["mail.activity"].search_count([
            ("res_model", "in", ("crm.lead", "sale.order")),
            ("date_deadline", "<", self.today), *mine])
        plans = env["sales.plan"].search([("date_from", "<=", dates["date_to"]),
                                          ("date_to", ">=", dates["date_from"])])
        floor.figures(self.cr, self.company.id, self.year, plans.ids,
                      user.id if user else None)
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
            (full_time, data), (odoo_full_time, odoo) = self.timed_pair(
                lambda D=D: D.get_dashboard_data("year"),
                lambda denv=denv: self.odoo_path(denv, dates))
            for key in ("revenue", "revenue_last_year", "revenue_previous"):
                self.check(f"dashboard {key} ({who}) = sale.report",
                           abs(data["kpis"][key] - odoo[key]) < FLOAT_TOLERANCE,
                           f"{data['kpis'][key]} vs {odoo[key]}")
            self.check(f"dashboard won count ({who}) = crm.lead",
                       data["kpis"]["won_count"] == odoo["won_count"],
                       f"{data['kpis']['won_count']} vs {odoo['won_count']}")
            self.row(f"dashboard_full_{who}", f"c. dashboard, get_dashboard_data ({who}) vs "
                     "sale.report path", full_time, odoo_full_time,
                     note="for information: the whole screen (plans, leaderboard, scores, "
                          "funnel, activities) vs the sales KPIs' path alone")
            mine = user if who == "salesperson" else None
            (screen_time, _data), (screen_floor, _odoo) = self.timed_pair(
                lambda D=D: D.get_dashboard_data("year"),
                lambda denv=denv, mine=mine: self.odoo_screen_path(denv, dates, mine))
            self.row(f"dashboard_screen_{who}", f"c. dashboard, get_dashboard_data ({who}) vs "
                     "Odoo's reports for the same sections", screen_time, screen_floor,
                     goal=1.0, goal_sizes=("M", "L"),
                     note="sale.report, crm.lead, mail.activity, and the SQL floors of the "
                          "milestone funnel, the activity quality and the plans' figures")
            # its sales figures alone (the dashboard's own helpers: skipped if renamed)
            if all(hasattr(D, name) for name in
                   ("_get_scope", "_get_sales_kpis", "_get_pipeline_kpis")):
                def sales_part(D=D):
                    scope = D._get_scope()
                    drill = {}
                    kpis = D._get_sales_kpis(scope, dates, drill)
                    kpis.update(D._get_pipeline_kpis(scope, [], drill))
                    return kpis

                (part_time, _kpis), (odoo_time, _odoo) = self.timed_pair(
                    sales_part, lambda denv=denv: self.odoo_path(denv, dates))
                self.row(f"dashboard_sales_{who}", f"c. dashboard sales KPIs ({who}) vs "
                         "sale.report path", part_time, odoo_time, goal=1.0,
                         note="the same figures as the sale.report path")
            out[who] = {"revenue": data["kpis"]["revenue"]}
        return out

    # ------------------------------------------------------------------ d
    def bench_pdf(self):
        """The Plan Performance PDF of the tree's root, rendered through the ORM as the
        print menu does. Its floor: the figures' SQL floor of the tree's targets plus
        wkhtmltopdf converting the report's own HTML (rendered once beforehand), i.e.
        what any implementation must pay; the QWeb templating of the rows is not in it.
        Without wkhtmltopdf the HTML rendering is measured and the floor is the SQL
        floor alone."""
        Report = self.env["ir.actions.report"].with_user(self.manager).with_context(
            force_report_rendering=True)
        root = self.root.with_user(self.manager)
        html = Report._render_qweb_html(PLAN_REPORT, root.ids)[0]
        self.check("plan performance HTML names every plan of the tree",
                   html.count(b"Bench Plan") >= len(self.plans), f"{len(html)} bytes")
        state = Report.get_wkhtmltopdf_state()
        if state in ("ok", "upgrade"):
            kind = "PDF"

            def render():
                return Report._render_qweb_pdf(PLAN_REPORT, root.ids)[0]

            def floor_fn():
                self.floor_figures(self.plans)
                return Report._run_wkhtmltopdf([html.decode()], report_ref=PLAN_REPORT)

            note = "floor: SQL figures floor + wkhtmltopdf of the same HTML"
        else:
            kind = "HTML"

            def render():
                return Report._render_qweb_html(PLAN_REPORT, root.ids)[0]

            def floor_fn():
                return self.floor_figures(self.plans)

            note = (f"wkhtmltopdf {state}: HTML rendering measured; floor: SQL figures "
                    "floor only (the QWeb templating is in neither floor)")
        (report_time, output), (floor_time, _wanted) = self.timed_pair(
            render, floor_fn, repeat=min(self.repeat, 3))
        if kind == "PDF":
            self.check("plan performance PDF is a PDF", output[:4] == b"%PDF", "")
        self.row("pdf", f"d. plan performance {kind} of the tree ({len(self.plans)} plans) "
                 "vs floor", report_time, floor_time,
                 note=f"{note}; {len(output) // 1024} KiB")

    # ------------------------------------------------------------------ e
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
            ("job_digest", f"e. overdue digest + escalation ({overdue} overdue activities)",
             overdue, lambda env: len(env["sales.control.digest"]._send_overdue_digests())),
            ("job_deviation", f"e. deviation alerts ({running} running targets)",
             running, lambda env: len(env["sales.control.alert"]._run_deviation_alerts())),
            ("job_milestone", f"e. milestone probabilities ({leads} leads)",
             leads, lambda env: env["sales.milestone"]._compute_statistics(force=True)),
        ]
        if self.only_jobs:
            jobs = [job for job in jobs if job[0].removeprefix("job_") in self.only_jobs]
        out = {}
        for key, label, items, fn in jobs:
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
                        "items": items, "label": label,
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

    # ------------------------------------------------------------------ s
    def bench_salesperson_reports(self):
        user = self.salesperson
        env = self.env(user=user)
        start = datetime(self.year, 1, 1)
        stop = datetime(self.year + 1, 1, 1)
        params = {"user": user.id, "company": self.company.id, "start": start, "stop": stop}
        domain = [("date_reached", ">=", start), ("date_reached", "<", stop)]
        Funnel = env["sales.milestone.funnel.report"]
        def led_teams():
            # the record rules' third test: the opportunities of the teams the user leads
            self.cr.execute("SELECT COALESCE(array_agg(id), '{}') FROM crm_team "
                            "WHERE user_id = %s", [user.id])
            return {**params, "teams": self.cr.fetchone()[0]}

        def floor():
            self.cr.execute(FUNNEL_FLOOR, led_teams())
            return self.cr.fetchall()

        (orm_time, groups), (floor_time, rows) = self.timed_pair(lambda: Funnel._read_group(
            domain, ["milestone_id"], ["reached_count:sum", "won_count:sum"]), floor)
        got = {m.id: (r, w) for m, r, w in groups}
        want = {m: (r, w) for m, r, w in rows}
        self.check("funnel report as salesperson = SQL floor", got == want,
                   f"{got} vs {want}")
        self.check("funnel report is not empty", bool(want), "")
        self.row("funnel", "s. milestone funnel report (salesperson) vs SQL floor",
                 orm_time, floor_time, goal=2.0)
        Activity = env["sales.milestone.activity.report"]
        aggregates = ["done_count:sum", "missing_count:sum", "right_activity_pct:avg",
                      "on_time_pct:avg", "with_result_pct:avg", "right_way_pct:avg"]
        def activity_floor():
            self.cr.execute(ACTIVITY_FLOOR, led_teams())
            return self.cr.fetchone()

        (orm_time, groups), (floor_time, row) = self.timed_pair(lambda: Activity._read_group(
            [("date", ">=", start), ("date", "<", stop)], [], aggregates), activity_floor)
        got = [float(v or 0.0) for v in groups[0]]
        want = [float(v or 0.0) for v in row]
        self.check("activity quality report as salesperson = SQL floor",
                   all(abs(a - b) < FLOAT_TOLERANCE for a, b in zip(got, want)),
                   f"{got} vs {want}")
        self.row("activity_report", "s. activity quality report (salesperson) vs SQL floor",
                 orm_time, floor_time, goal=2.0)
        # the activity metric of the salesperson's own plan, read as the salesperson
        own = self.targets.filtered(
            lambda t: t.plan_id.user_id == user and t.plan_id.scope == "user"
            and t.metric_id.code == "activities")
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
            lambda: self.read_figures(own, user), metric_floor)
        self.check("activity metric (salesperson) = SQL floor", all(
            abs(figures[t.id]["actual_value"] - counts.get(t.date_from.month, 0)) < 0.01
            for t in own), "")
        self.row("activity_metric", "s. activities metric, read() of own 12 targets (salesperson) "
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
        self.size = size_of(lines)
        self.data = {"size": self.size, "order_lines": lines, "leads": leads,
                     "activities_open": activities, "activities_done": done,
                     "plans": len(self.plans), "targets": len(self.targets)}
        if "figures" in self.parts:
            self.bench_figures()
        if "pivot" in self.parts:
            self.bench_pivot()
        if "dashboard" in self.parts:
            self.bench_dashboard()
        if "salesperson" in self.parts:
            self.bench_salesperson_reports()
        if self.reports and "pdf" in self.parts:
            self.bench_pdf()
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
                "date": self.today.isoformat(), "code": addon_version(self.env)}

    def table(self):
        return render_table(self.result())


def addon_version(env):
    """Where the addon's code was loaded from, and its git commit when known."""
    from odoo.modules.module import get_module_path

    path = get_module_path("sales_management")
    try:
        commit = subprocess.run(["git", "-C", path, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", path, "status", "--porcelain", "--", "."],
                               capture_output=True, text=True, check=True).stdout.strip()
        commit += "+changes" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = os.environ.get("SM_BENCH_REF", "")  # a git archive (bench/compare.py)
    return {"path": path, "commit": commit}


def fmt_value(value, unit):
    if value is None:
        return ""
    return f"{value:.0f}" if unit == "queries" else f"{value * 1000:.1f} ms"


def fmt_goal(row):
    if row.get("goal") is None:
        return ""
    goal = f"≤ {row['goal']:g}×"
    sizes = row.get("goal_sizes")
    if sizes:
        goal += f" at {', '.join(sizes)}"
    ok = row.get("ok", "unset")
    if ok is True:
        goal += " ✓ ok"
    elif ok is False:
        goal += " ✗ not ok"
    elif ok is None:
        goal += " (n/a here)"
    return goal


def render_table(result):
    """The markdown table of a benchmark result (``Bench.result()`` or its JSON)."""
    code = result.get("code") or {}
    lines = [f"data: {result['data']}",
             f"code: {code.get('commit', '?')} ({code.get('path', '?')})", "",
             "| figure | median | floor / baseline | ratio | goal | note |",
             "|---|---:|---:|---:|---|---|"]
    for r in result["rows"]:
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] is not None else ""
        lines.append(f"| {r['label']} | {fmt_value(r['value'], r['unit'])} | "
                     f"{fmt_value(r['baseline'], r['unit'])} | {ratio} | {fmt_goal(r)} | "
                     f"{r['note']} |")
    checks = result["checks"]
    failed = [c for c in checks if not c["ok"]]
    lines.append("")
    lines.append(f"correctness checks: {len(checks) - len(failed)}/{len(checks)} OK"
                 + "".join(f"\n  FAILED {c['check']}: {c['detail']}" for c in failed))
    return "\n".join(lines)


def linearity_table(results):
    """The jobs from size to size (results of ``--json``, smallest first): time and
    memory per size, and each step's growth of time against the growth of the job's
    items. Linear: time grows at most 1.5× as much as the items; bounded memory: the peak
    grows at most 2×, or at most a quarter as much as the items (a job working by chunks
    fills its first chunks at S: its memory stops growing once they are full). Memory is
    the peak of Python's allocations (tracemalloc) when both sizes have it, else the
    growth of the process's max RSS during the job (``--no-trace``)."""
    results = sorted(results, key=lambda r: r["data"]["order_lines"])
    sizes = [r["data"].get("size") or size_of(r["data"]["order_lines"]) for r in results]
    lines = ["| job | " + " | ".join(sizes) + " | linear in time | bounded memory |",
             "|---|" + "---:|" * len(sizes) + "---|---|"]
    keys = [k for k in ("job_digest", "job_deviation", "job_milestone")
            if all(k in r.get("jobs", {}) for r in results)]
    for key in keys:
        jobs = [r["jobs"][key] for r in results]
        cells, linear, bounded = [], [], []
        for i, job in enumerate(jobs):
            items = job.get("items")
            peak = f"peak {job['peak_mib']:.1f} MiB" if job["peak_mib"] else "not traced"
            cells.append(f"{job['seconds']:.1f} s, {peak}, RSS "
                         f"+{job.get('rss_growth_mib', 0):.0f} MiB"
                         + (f" ({items} items)" if items is not None else ""))
            if not i:
                continue
            prev = jobs[i - 1]
            step = f"{sizes[i - 1]}→{sizes[i]}"
            grow = (items or 1) / max(prev.get("items") or 1, 1)
            t_grow = job["seconds"] / max(prev["seconds"], 1e-9)
            linear.append(f"{step}: time ×{t_grow:.1f} for items ×{grow:.1f} "
                          + ("✓" if t_grow <= 1.5 * grow else "✗"))
            if job["peak_mib"] and prev["peak_mib"]:
                m_grow = job["peak_mib"] / prev["peak_mib"]
                bounded.append(f"{step}: peak ×{m_grow:.1f} "
                               + ("✓" if m_grow <= max(2.0, grow / 4) else "✗"))
            else:
                rss, prev_rss = job.get("rss_growth_mib", 0), prev.get("rss_growth_mib", 0)
                ok = rss <= max(2 * prev_rss, 50)
                bounded.append(f"{step}: RSS +{prev_rss:.0f} → +{rss:.0f} MiB "
                               + ("✓" if ok else "✗"))
        label = jobs[-1].get("label") or key
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {'; '.join(linear)} | "
                     f"{'; '.join(bounded)} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--table", metavar="JSON",
                        help="only print the table of a result saved with --json")
    parser.add_argument("--linearity", nargs="+", metavar="JSON",
                        help="only print the jobs' linearity table of results saved with "
                             "--json at several sizes")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--no-jobs", action="store_true")
    parser.add_argument("--no-reports", action="store_true",
                        help="no XLSX, no PDF")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"comma-separated parts to run among {', '.join(PARTS)}")
    parser.add_argument("--jobs", default="",
                        help="with part jobs: only these, comma-separated among digest, "
                             "deviation, milestone")
    parser.add_argument("--no-trace", action="store_true",
                        help="with part jobs and --repeat 1: no tracemalloc run (peak RSS only)")
    parser.add_argument("--addons-first", metavar="DIR",
                        help="a directory holding another sales_management, put first on "
                             "the addons path (bench/compare.py uses it for the 'before')")
    args = parser.parse_args(argv)
    if args.table:
        with open(args.table, encoding="utf-8") as handle:
            print(render_table(json.load(handle)))
        return 0
    if args.linearity:
        results = []
        for path in args.linearity:
            with open(path, encoding="utf-8") as handle:
                results.append(json.load(handle))
        print(linearity_table(results))
        return 0
    if not args.database:
        parser.error("-d/--database is required")
    parts = [p for p in args.parts.split(",") if p]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts {sorted(unknown)}: choose among {', '.join(PARTS)}")
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    # the patched wkhtmltopdf scripts/run installs, when present (as scripts/run does)
    wkhtmltox = os.path.join(os.path.dirname(here), ".state", "wkhtmltox", "bin")
    if os.path.isdir(wkhtmltox):
        os.environ["PATH"] = wkhtmltox + os.pathsep + os.environ.get("PATH", "")
    from generate import odoo_env

    import odoo
    registry = odoo_env(args.database, addons_first=args.addons_first)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        bench = Bench(env, args.repeat, jobs=not args.no_jobs, reports=not args.no_reports,
                      parts=parts, cursor_factory=registry.cursor,
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
