# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The plan tree of the benchmark: company → teams → salespersons, 12 monthly periods of the
current year, 6 metrics (≈ 15k targets with 20 teams × 10 salespersons).

Plans are created with the ORM (a few hundred records: parent_path, contributors, scope are
the ORM's), then approved; their targets are bulk-inserted in one ``INSERT ... SELECT`` with
every stored column filled as the ORM would (``company_id`` and ``metric_kind`` related,
``is_breakdown`` False: no dimension beyond the plan's own scope). Target values follow the
previous year's actual of the same month (+10 %), computed by the benchmark's SQL floor
(``floor.py``: plain SQL, no engine method, so the tree is built the same way whatever
version of the figures engine is installed).
"""

import importlib.util
import logging
import os
import time
from datetime import date

_logger = logging.getLogger("bench.plan_tree")

METRICS = ("revenue", "invoiced", "new_customers", "opportunities", "win_rate", "activities")
PLAN_PREFIX = "Bench Plan"


def _floor():
    """``floor.py`` beside this file (loaded by path: the smoke test loads the bench's
    modules by path, without ``bench/`` on ``sys.path``)."""
    spec = importlib.util.spec_from_file_location(
        "sales_management_bench_floor", os.path.join(os.path.dirname(__file__), "floor.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def metric_records(env):
    metrics = env["sales.metric"].with_context(active_test=False).search(
        [("code", "in", METRICS)])
    by_code = {m.code: m for m in metrics}
    return [by_code[code] for code in METRICS]


def build_plan_tree(env, year=None, teams=None):
    """Build the tree (idempotent: an existing bench tree of ``year`` is returned)."""
    started = time.time()
    year = year or date.today().year
    Plan = env["sales.plan"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
    existing = Plan.search([("name", "=", f"{PLAN_PREFIX} {year}"), ("parent_id", "=", False)])
    if existing:
        return {"root_id": existing.id, "plans": Plan.search_count(
            [("id", "child_of", existing.id)])}
    teams = teams or env["crm.team"].search([("name", "=like", "Bench Team %")], order="name")
    manager = env["res.users"].search([("login", "=", "bench_manager")], limit=1) \
        or env.user
    company = env.ref("base.main_company")
    metrics = metric_records(env)
    revenue = metrics[0]
    dates = {"date_from": date(year, 1, 1), "date_to": date(year, 12, 31)}
    root = Plan.create({
        "name": f"{PLAN_PREFIX} {year}", "user_id": manager.id, "company_id": company.id,
        "scope": "company", "metric_id": revenue.id, **dates,
    })
    team_plans = Plan.create([{
        "name": f"{PLAN_PREFIX} {year} {team.name}", "parent_id": root.id,
        "user_id": team.user_id.id, "team_id": team.id, "company_id": company.id,
        "scope": "team", "metric_id": revenue.id, **dates,
    } for team in teams])
    sp_vals = []
    for team, team_plan in zip(teams, team_plans):
        for member in team.member_ids.sorted("id"):
            if member == team.user_id:
                continue
            sp_vals.append({
                "name": f"{PLAN_PREFIX} {year} {member.name}", "parent_id": team_plan.id,
                "user_id": member.id, "team_id": team.id, "company_id": company.id,
                "scope": "user", "metric_id": revenue.id, **dates,
            })
    sp_plans = Plan.create(sp_vals)
    plans = root | team_plans | sp_plans
    env.flush_all()
    # last year's actual of every (plan, metric, month): one query per source table
    floor = _floor()
    last_year = floor.source_values(env.cr, company.id, year - 1)
    rows = []
    for metric in metrics:
        for plan in plans:
            for month in range(1, 13):
                value = last_year.get(floor.target_key(
                    metric.code, plan.scope, plan.user_id.id, plan.team_id.id, month), 0.0)
                if metric.unit == "percent":
                    target = min(round(value + 5.0, 1), 100.0) if value else 30.0
                else:
                    target = round(value * 1.1, 2) if value else 1.0
                rows.append((plan.id, metric.id, month, target))
    cr = env.cr
    cr.execute("""
        INSERT INTO sales_plan_target (plan_id, sequence, company_id, metric_id, metric_kind,
                date_from, date_to, is_breakdown, is_snapshot, target_value, snapshot_value,
                create_uid, write_uid, create_date, write_date)
        SELECT r.plan_id, r.month, p.company_id, r.metric_id, m.kind,
               make_date(%(year)s, r.month, 1),
               (make_date(%(year)s, r.month, 1) + interval '1 month - 1 day')::date,
               false, false, r.target, 0, %(uid)s, %(uid)s,
               now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
          FROM unnest(%(plan)s::int[], %(metric)s::int[], %(month)s::int[],
                      %(target)s::float8[]) AS r(plan_id, metric_id, month, target)
          JOIN sales_plan p ON p.id = r.plan_id
          JOIN sales_metric m ON m.id = r.metric_id
    """, {
        "year": year, "uid": env.uid,
        "plan": [r[0] for r in rows], "metric": [r[1] for r in rows],
        "month": [r[2] for r in rows], "target": [r[3] for r in rows],
    })
    env.invalidate_all()
    # approved: what the deviation alerts watch
    cr.execute("UPDATE sales_plan SET state = 'approved' WHERE id = ANY(%s)", [plans.ids])
    env.invalidate_all()
    _logger.info("plan tree: %s plans, %s targets in %.1fs", len(plans), len(rows),
                 time.time() - started)
    return {"root_id": root.id, "plans": len(plans), "targets": len(rows)}
