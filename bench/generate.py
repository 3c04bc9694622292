#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Deterministic benchmark data for sales_management, generated fast with bulk SQL.

    python3 bench/generate.py -d DB --size S|M|L [--seed N] [--check]

The database must have ``sales_management`` installed (demo data not needed). The small
reference records (users, teams, milestones, products, one template of each document) are
created with the ORM; the volume (customers, opportunities and their milestone history,
activities done/planned/overdue, quotations, orders and lines, posted invoices and their
lines) is *cloned* from an ORM-made template record with ``INSERT ... SELECT`` over
``generate_series``: every column the template has (NOT NULL ones, stored computes, related
fields) is copied, and the columns that vary are computed in SQL with the same formulas as
the ORM (no taxes, company currency, so subtotal = total = qty × price × (1 − discount)).
Pseudo-random values are hashes of (seed, row number, salt): the same seed gives the same
data whatever the evaluation order. Ids are allocated explicitly and every id sequence is
reset (setval) at the end, then the database is VACUUMed and ANALYZEd.

``--check`` proves the data valid: ORM aggregates equal raw SQL totals, and recomputing
stored computed fields on a sample gives the stored values.
"""

import argparse
import calendar
import logging
import os
import sys
import time
from datetime import date, datetime, timedelta

_logger = logging.getLogger("bench.generate")

# volume per size; teams × salespersons per team is the plan tree's shape
SIZES = {
    # smoke test size (tests/test_bench_smoke.py): a few seconds inside the test suite
    "XS": {"lines": 1_500, "leads": 600, "activities": 1_500, "customers": 200,
           "products": 30, "teams": 4, "per_team": 5},
    "S": {"lines": 10_000, "leads": 2_000, "activities": 5_000, "customers": 1_000,
          "products": 50, "teams": 20, "per_team": 10},
    "M": {"lines": 100_000, "leads": 20_000, "activities": 50_000, "customers": 5_000,
          "products": 200, "teams": 20, "per_team": 10},
    "L": {"lines": 1_000_000, "leads": 200_000, "activities": 500_000, "customers": 20_000,
          "products": 500, "teams": 20, "per_team": 10},
}
MONTHS = 24
GROWTH = 0.25  # yearly growth of the volume
SEASON = [0.85, 0.9, 1.05, 1.0, 1.05, 0.95, 0.8, 0.75, 1.05, 1.1, 1.15, 1.3]
COUNTRIES = {  # country code: number of its states used (0: no state)
    "US": 12, "DE": 6, "FR": 0, "BE": 0, "IN": 8, "BR": 6, "CA": 5, "ES": 0, "IT": 0, "AU": 4,
}
MILESTONES = [  # (name, sequence, is_won, required activity type xmlid)
    ("Qualified", 10, False, None),
    ("Discovery Done", 20, False, "mail.mail_activity_data_call"),
    ("Proposal Sent", 30, False, "mail.mail_activity_data_meeting"),
    ("Negotiation", 40, False, None),
    ("Won", 50, True, None),
]
PREFIX = "BENCH"


def log(msg, *args):
    _logger.info(msg, *args)


def R(seed, n, salt):
    """SQL of a pseudo-random float in [0, 1) from (seed, row number expression, salt)."""
    return (f"((hashint8extended(({n})::bigint, {int(seed) * 1000 + salt}) & 2147483647)"
            f"::float8 / 2147483648.0)")


def pick(array_param, seed, n, salt, power=1.0):
    """SQL picking an element of an int[] parameter, skewed towards the first ones."""
    r = R(seed, n, salt)
    if power != 1.0:
        r = f"power({r}, {power})"
    return (f"(%({array_param})s::int[])"
            f"[1 + floor({r} * cardinality(%({array_param})s::int[]))::int]")


def month_slots(today, total):
    """24 monthly slots ending with the current month: (start, days, count, cumulative),
    ``total`` spread by seasonality and growth (largest remainder)."""
    first = date(today.year, today.month, 1)
    months = []
    for i in range(MONTHS):
        back = MONTHS - 1 - i
        y, m = divmod(first.year * 12 + first.month - 1 - back, 12)
        start = date(y, m + 1, 1)
        days = calendar.monthrange(start.year, start.month)[1]
        if back == 0:
            days = today.day
        weight = SEASON[start.month - 1] * (1 + GROWTH * i / 12) * days / 30.0
        months.append([start, days, weight])
    wsum = sum(m[2] for m in months)
    raw = [total * m[2] / wsum for m in months]
    counts = [int(x) for x in raw]
    for i in sorted(range(MONTHS), key=lambda i: raw[i] - counts[i], reverse=True)[
        : total - sum(counts)
    ]:
        counts[i] += 1
    slots, cum = [], 0
    for (start, days, _w), cnt in zip(months, counts):
        slots.append((start, days, cnt, cum))
        cum += cnt
    return slots


def months_sql(slots):
    return "(VALUES " + ", ".join(
        f"('{s.isoformat()}'::timestamp, {d}, {c}, {cum})" for s, d, c, cum in slots
    ) + ") AS mo(start, days, cnt, cum)"


class Generator:
    def __init__(self, env, size="S", seed=1, scale=None):
        self.env = env
        self.cr = env.cr
        self.seed = seed
        self.size = size
        self.p = dict(SIZES[size])
        if scale:
            for key in ("lines", "leads", "activities", "customers"):
                self.p[key] = max(int(self.p[key] * scale), 10)
        self.today = date.today()
        self.now = datetime.now().replace(microsecond=0)
        self.company = env.ref("base.main_company")
        self.stats = {}

    # ------------------------------------------------------------------ helpers
    def sql(self, query, params=None):
        self.cr.execute(query, params or {})

    def one(self, query, params=None):
        self.cr.execute(query, params or {})
        return self.cr.fetchone()[0]

    def columns(self, table):
        self.cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND table_schema = current_schema() "
            "ORDER BY ordinal_position", (table,))
        return [r[0] for r in self.cr.fetchall()]

    def next_id(self, table):
        return self.one(f"SELECT COALESCE(MAX(id), 0) FROM {table}") + 1000

    def clone(self, table, template_id, source, overrides, params=None):
        """INSERT INTO table SELECT every column from the template row, except the
        ``overrides`` (column: SQL expression over ``g``, the rows of ``source``)."""
        cols = self.columns(table)
        unknown = set(overrides) - set(cols)
        assert not unknown, f"{table}: unknown columns {unknown}"
        exprs = [overrides.get(col, f"tpl.{col}") for col in cols]
        query = (
            f"INSERT INTO {table} ({', '.join(cols)}) "
            f"SELECT {', '.join(exprs)} FROM ({source}) AS g "
            f"CROSS JOIN (SELECT * FROM {table} WHERE id = %(template_id)s) AS tpl"
        )
        started = time.time()
        # the ids cloned rows point to are existing records by construction: skip the
        # per-row foreign key triggers (superuser only; else they run, just slower)
        self.sql("SAVEPOINT bench_fk")
        try:
            self.sql("SET LOCAL session_replication_role = replica")
            self.sql("RELEASE SAVEPOINT bench_fk")
            fast = True
        except Exception:
            self.sql("ROLLBACK TO SAVEPOINT bench_fk")
            fast = False
        self.sql(query, {**(params or {}), "template_id": template_id})
        count = self.cr.rowcount
        if fast:
            self.sql("SET LOCAL session_replication_role = origin")
        self.stats[table] = self.stats.get(table, 0) + count
        log("%s: %s rows in %.1fs", table, count, time.time() - started)
        return count

    # ------------------------------------------------------------------ run
    def run(self):
        started = time.time()
        env = self.env
        if env["res.users"].search_count([("login", "=like", f"{PREFIX.lower()}_%")], limit=1):
            raise SystemExit("this database already holds benchmark data (bench_* users)")
        self.setup_reference()
        self.make_templates()
        env.flush_all()
        env.invalidate_all()
        self.gen_customers()
        self.gen_leads()
        self.gen_milestone_lines()
        self.gen_activities()
        self.gen_orders()
        self.gen_invoices()
        self.finish()
        self.stats["seconds"] = round(time.time() - started, 1)
        log("generated %s", self.stats)
        return self.stats

    # ------------------------------------------------------------------ reference data
    def setup_reference(self):
        env = self.env
        t0 = time.time()
        ctx = {"no_reset_password": True, "tracking_disable": True, "mail_create_nolog": True,
               "mail_notrack": True}
        Users = env["res.users"].with_context(**ctx)
        group_sale = env.ref("sales_team.group_sale_salesman")
        group_manager = env.ref("sales_team.group_sale_manager")
        company = self.company
        n_teams, per_team = self.p["teams"], self.p["per_team"]
        base = {"company_id": company.id, "company_ids": [(6, 0, [company.id])],
                "tz": "UTC"}
        vals = [{**base, "name": "Bench Manager", "login": f"{PREFIX.lower()}_manager",
                 "email": "bench.manager@example.com",
                 "groups_id": [(6, 0, [group_manager.id])]}]
        for t in range(n_teams):
            vals.append({**base, "name": f"Bench Leader {t + 1:02d}",
                         "login": f"{PREFIX.lower()}_leader_{t + 1:02d}",
                         "email": f"bench.leader{t + 1}@example.com",
                         "groups_id": [(6, 0, [group_sale.id])]})
            for s in range(per_team):
                k = t * per_team + s + 1
                vals.append({**base, "name": f"Bench Salesperson {k:03d}",
                             "login": f"{PREFIX.lower()}_sp_{k:03d}",
                             "email": f"bench.sp{k}@example.com",
                             "groups_id": [(6, 0, [group_sale.id])]})
        users = Users.create(vals)
        self.manager = users[0]
        leaders, salespersons, teams = [], [], []
        Team = env["crm.team"].with_context(**ctx)
        team_vals = []
        for t in range(n_teams):
            chunk = users[1 + t * (per_team + 1): 1 + (t + 1) * (per_team + 1)]
            leader, members = chunk[0], chunk[1:]
            leaders.append(leader)
            salespersons.append(members)
            team_vals.append({
                "name": f"Bench Team {t + 1:02d}", "user_id": leader.id,
                "company_id": company.id, "use_opportunities": True, "use_leads": False,
                "member_ids": [(6, 0, members.ids)],
            })
        teams = Team.create(team_vals)
        self.teams = teams
        self.leaders = leaders
        self.salespersons = salespersons
        log("users and teams: %s users, %s teams in %.1fs", len(users), len(teams),
            time.time() - t0)
        # milestone sequence of each team
        Milestone = env["sales.milestone"].with_context(**ctx)
        ms_vals = []
        for team in teams:
            for name, seq, is_won, act in MILESTONES:
                ms_vals.append({
                    "name": name, "sequence": seq, "is_won": is_won,
                    "company_id": company.id, "team_ids": [(6, 0, team.ids)],
                    "activity_type_ids": [(6, 0, [env.ref(act).id])] if act else [],
                })
        milestones = Milestone.create(ms_vals)
        self.milestone_ids = milestones.ids  # team t, step s: [t * 5 + s]
        # products
        Categ = env["product.category"]
        categs = Categ.create([{"name": f"Bench Category {c + 1}"} for c in range(8)])
        Product = env["product.product"].with_context(**ctx)
        product_vals = []
        for i in range(self.p["products"]):
            service = i % 4 == 3
            product_vals.append({
                "name": f"Bench Product {i + 1:04d}",
                "default_code": f"BP{i + 1:04d}",
                "categ_id": categs[i % len(categs)].id,
                "type": "service" if service else "consu",
                "list_price": float(20 + (i * 37) % 980),
                "invoice_policy": "order",
                "taxes_id": [(5, 0, 0)],
                "supplier_taxes_id": [(5, 0, 0)],
            })
        self.products = Product.create(product_vals)
        # countries and states of the customers
        areas = []
        for code, n_states in COUNTRIES.items():
            country = env["res.country"].search([("code", "=", code)])
            states = env["res.country.state"].search(
                [("country_id", "=", country.id)], order="id", limit=n_states,
            ) if n_states else []
            if states:
                areas += [(country.id, s.id) for s in states]
            else:
                areas.append((country.id, None))
        self.areas = areas
        log("reference data in %.1fs", time.time() - t0)

    def make_templates(self):
        """One record of each bulk table made by the ORM: cloning copies its columns."""
        env = self.env
        ctx = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
        user = self.salespersons[0][0]
        team = self.teams[0]
        self.tpl_partner = env["res.partner"].with_context(**ctx).create({
            "name": "Bench Template Customer", "is_company": True,
            "email": "bench.template@example.com", "country_id": self.areas[0][0],
            "state_id": self.areas[0][1], "customer_rank": 1, "lang": "en_US",
        })
        stage = env["crm.stage"].search([("is_won", "=", False)], order="sequence", limit=1)
        self.tpl_lead = env["crm.lead"].with_context(**ctx).create({
            "name": "Bench Template Opportunity", "type": "opportunity",
            "partner_id": self.tpl_partner.id, "user_id": user.id, "team_id": team.id,
            "stage_id": stage.id, "expected_revenue": 1000.0,
        })
        self.tpl_line = env["sales.lead.milestone"].create({
            "lead_id": self.tpl_lead.id, "milestone_id": self.milestone_ids[0],
            "user_id": user.id,
        })
        self.tpl_activity = env["mail.activity"].with_context(**ctx).create({
            "res_model_id": env["ir.model"]._get_id("crm.lead"),
            "res_id": self.tpl_lead.id,
            "activity_type_id": env.ref("mail.mail_activity_data_call").id,
            "summary": "Follow up", "user_id": user.id,
            "date_deadline": self.today + timedelta(days=3),
        })
        self.tpl_message = env["mail.message"].create({
            "model": "crm.lead", "res_id": self.tpl_lead.id, "message_type": "notification",
            "subtype_id": env.ref("mail.mt_activities").id,
            "mail_activity_type_id": env.ref("mail.mail_activity_data_call").id,
            "author_id": user.partner_id.id, "body": "<p>Call done</p>",
            "record_name": self.tpl_lead.name, "activity_deadline_date": self.today,
            "activity_feedback_recorded": True,
        })
        order = env["sale.order"].with_context(**ctx).create({
            "partner_id": self.tpl_partner.id, "user_id": user.id, "team_id": team.id,
            "order_line": [(0, 0, {"product_id": self.products[0].id, "product_uom_qty": 2})],
        })
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self.tpl_order = order
        self.tpl_order_line = order.order_line
        self.tpl_move = invoice
        self.tpl_aml_product = invoice.line_ids.filtered(
            lambda line: line.display_type == "product")
        self.tpl_aml_term = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term")
        assert len(self.tpl_aml_product) == 1 and len(self.tpl_aml_term) == 1, \
            "template invoice must have one product line and one receivable line (no taxes)"
        assert not invoice.line_ids.filtered(lambda line: line.display_type == "tax")

    # ------------------------------------------------------------------ volume
    def gen_customers(self):
        n = self.p["customers"]
        self.cust_base = self.next_id("res_partner")
        s = self.seed
        params = {
            "countries": [a[0] for a in self.areas],
            "states": [a[1] or 0 for a in self.areas],
            "base": self.cust_base, "now": self.now,
        }
        area = f"(1 + floor({R(s, 'n', 1)} * cardinality(%(countries)s::int[]))::int)"
        source = f"SELECT n, {area} AS a FROM generate_series(1, {n}) AS n"
        name = "'Bench Customer ' || lpad(g.n::text, 6, '0')"
        self.clone("res_partner", self.tpl_partner.id, source, {
            "id": "%(base)s + g.n",
            "name": name,
            "complete_name": name,
            "commercial_partner_id": "%(base)s + g.n",
            "commercial_company_name": name,
            "email": "'customer' || g.n || '@bench.example.com'",
            "email_normalized": "'customer' || g.n || '@bench.example.com'",
            "ref": "'BC' || g.n",
            "country_id": "(%(countries)s::int[])[g.a]",
            "state_id": "NULLIF((%(states)s::int[])[g.a], 0)",
            "create_date": "%(now)s", "write_date": "%(now)s",
            "partner_gid": "NULL",
        }, params)
        self.cust_ids = list(range(self.cust_base + 1, self.cust_base + n + 1))

    def _sp_arrays(self):
        sp_ids, sp_teams, sp_partners, sp_tidx = [], [], [], []
        for t, members in enumerate(self.salespersons):
            for u in members:
                sp_ids.append(u.id)
                sp_teams.append(self.teams[t].id)
                sp_partners.append(u.partner_id.id)
                sp_tidx.append(t)
        return sp_ids, sp_teams, sp_partners, sp_tidx

    def gen_leads(self):
        """Opportunities over 24 months: won, lost (archived) and open ones in a stage."""
        s = self.seed
        n = self.p["leads"]
        slots = month_slots(self.today, n)
        sp_ids, sp_teams, sp_partners, sp_tidx = self._sp_arrays()
        stages = self.env["crm.stage"].search([], order="sequence, id")
        won_stage = stages.filtered("is_won")[:1]
        open_stages = stages - won_stage
        mediums = self.env["utm.medium"].search([]).ids
        sources = self.env["utm.source"].search([]).ids
        lost_reasons = self.env["crm.lost.reason"].search([]).ids or [0]
        self.lead_base = self.next_id("crm_lead")
        # the lead's own rows in a temp table: its milestones and activities reuse them
        self.sql("DROP TABLE IF EXISTS bench_lead")
        self.sql(f"""
            CREATE TEMP TABLE bench_lead AS
            SELECT g.n, %(base)s + g.n AS id, g.sp, g.create_date,
                   g.outcome, g.stage, g.revenue,
                   CASE WHEN g.outcome = 'open' THEN NULL
                        ELSE LEAST(g.create_date + (3 + {R(s, 'g.n', 14)} * 87) * interval '1 day',
                                   %(now)s::timestamp - interval '1 hour') END AS date_closed
              FROM (
                SELECT x.n, x.sp, x.create_date, x.revenue,
                       CASE WHEN x.age > 45 AND x.r < 0.32 THEN 'won'
                            WHEN x.age > 45 AND x.r < 0.78 THEN 'lost'
                            WHEN x.age <= 45 AND x.r < 0.08 THEN 'won'
                            WHEN x.age <= 45 AND x.r < 0.2 THEN 'lost'
                            ELSE 'open' END AS outcome,
                       1 + floor({R(s, 'x.n', 12)} * %(n_open)s)::int AS stage
                  FROM (
                    SELECT mo.cum + k AS n,
                           1 + floor(power({R(s, 'mo.cum + k', 10)}, 1.15)
                                     * cardinality(%(sp)s::int[]))::int AS sp,
                           LEAST(mo.start + ({R(s, 'mo.cum + k', 11)} * mo.days)
                                 * interval '1 day', %(now)s::timestamp - interval '2 hours')
                               AS create_date,
                           {R(s, 'mo.cum + k', 13)} AS r,
                           round((500 + power({R(s, 'mo.cum + k', 15)}, 2) * 60000)::numeric,
                                 -1) AS revenue,
                           EXTRACT(EPOCH FROM %(now)s::timestamp - mo.start) / 86400 AS age
                      FROM {months_sql(slots)}, generate_series(1, mo.cnt) AS k
                  ) AS x
              ) AS g
        """, {"base": self.lead_base, "now": self.now, "sp": sp_ids,
              "n_open": len(open_stages)})
        params = {
            "sp": sp_ids, "sp_teams": sp_teams, "sp_tidx": sp_tidx,
            "open_stages": open_stages.ids,
            "open_prob": [round(10 + 25 * i, 2) for i in range(len(open_stages))],
            "won_stage": won_stage.id, "mediums": mediums, "sources": sources,
            "reasons": lost_reasons, "cust": [self.cust_base + 1, len(self.cust_ids)],
            "now": self.now,
        }
        prob = ("CASE g.outcome WHEN 'won' THEN 100 WHEN 'lost' THEN 0 "
                "ELSE (%(open_prob)s::float8[])[g.stage] END")
        source = f"""
            SELECT bl.*, p.id AS partner_id, p.email, p.country_id, p.state_id,
                   p.name AS partner_name
              FROM bench_lead bl
              JOIN res_partner p ON p.id = (%(cust)s::int[])[1]
                   + floor({R(s, 'bl.n', 16)} * (%(cust)s::int[])[2])::int
        """
        self.clone("crm_lead", self.tpl_lead.id, source, {
            "id": "g.id",
            "name": "'Bench Opportunity ' || lpad(g.n::text, 7, '0')",
            "user_id": "(%(sp)s::int[])[g.sp]",
            "team_id": "(%(sp_teams)s::int[])[g.sp]",
            "company_id": str(self.company.id),
            "partner_id": "g.partner_id",
            "email_from": "g.email", "email_normalized": "g.email",
            "email_domain_criterion": "'bench.example.com'",
            "country_id": "g.country_id", "state_id": "g.state_id",
            "stage_id": "CASE WHEN g.outcome = 'won' THEN %(won_stage)s "
                        "ELSE (%(open_stages)s::int[])[g.stage] END",
            "active": "g.outcome != 'lost'",
            "probability": prob, "automated_probability": prob,
            "expected_revenue": "g.revenue",
            "prorated_revenue": f"round((g.revenue * {prob} / 100.0)::numeric, 2)",
            "lost_reason_id": "CASE WHEN g.outcome = 'lost' THEN NULLIF((%(reasons)s::int[])"
                              f"[1 + floor({R(s, 'g.n', 17)} * cardinality(%(reasons)s::int[]))"
                              "::int], 0) END",
            "medium_id": f"CASE WHEN {R(s, 'g.n', 18)} < 0.8 THEN "
                         + pick("mediums", s, "g.n", 19) + " END",
            "source_id": f"CASE WHEN {R(s, 'g.n', 20)} < 0.6 THEN "
                         + pick("sources", s, "g.n", 21) + " END",
            "create_date": "g.create_date", "write_date": "COALESCE(g.date_closed, "
                                                          "g.create_date)",
            "date_open": "g.create_date", "date_conversion": "g.create_date",
            "date_closed": "g.date_closed",
            "date_last_stage_update": "COALESCE(g.date_closed, g.create_date)",
            "date_deadline": "(g.create_date + interval '45 days')::date",
            "day_open": "0",
            "day_close": "CASE WHEN g.date_closed IS NOT NULL THEN "
                         "abs(EXTRACT(EPOCH FROM g.date_closed - g.create_date) / 86400)::int "
                         "ELSE NULL END",
            "milestone_id": "NULL", "milestone_date": "NULL",
            "milestone_probability": "0", "milestone_expected_revenue": "0",
            "create_uid": "(%(sp)s::int[])[g.sp]", "write_uid": "(%(sp)s::int[])[g.sp]",
        }, params)

    def gen_milestone_lines(self):
        """Milestone history: won opportunities reached every step then Won; lost ones
        stopped early; open ones are on their way (dates between creation and closing)."""
        s = self.seed
        sp_ids, sp_teams, sp_partners, sp_tidx = self._sp_arrays()
        base = self.next_id("sales_lead_milestone")
        steps = len(MILESTONES) - 1
        # k: steps reached; the won line is step ``steps + 1`` at the closing date
        source = f"""
            SELECT row_number() OVER (ORDER BY bl.n, st) AS rn, bl.*, st, x.k,
                   CASE WHEN st > x.k THEN bl.date_closed
                        ELSE bl.create_date + (COALESCE(bl.date_closed, %(now)s::timestamp)
                             - bl.create_date) * st / (x.k + 1.0) END AS reached
              FROM bench_lead bl
              CROSS JOIN LATERAL (SELECT CASE bl.outcome WHEN 'won' THEN {steps}
                   WHEN 'lost' THEN floor({R(s, 'bl.n', 30)} * 3)::int
                   ELSE floor({R(s, 'bl.n', 31)} * {steps})::int END AS k) AS x
              CROSS JOIN LATERAL generate_series(1, x.k
                   + CASE WHEN bl.outcome = 'won' THEN 1 ELSE 0 END) AS st
        """
        ms = f"(%(ms)s::int[])[(%(sp_tidx)s::int[])[g.sp] * {len(MILESTONES)} + g.st]"
        self.clone("sales_lead_milestone", self.tpl_line.id, source, {
            "id": "%(base)s + g.rn",
            "lead_id": "g.id",
            "milestone_id": ms,
            "sequence": f"CASE WHEN g.st > {steps} THEN {MILESTONES[-1][1]} "
                        f"ELSE (%(seqs)s::int[])[g.st] END",
            "date_reached": "g.reached",
            "user_id": "(%(sp)s::int[])[g.sp]",
            "salesperson_id": "(%(sp)s::int[])[g.sp]",
            "team_id": "(%(sp_teams)s::int[])[g.sp]",
            "company_id": str(self.company.id),
            "overridden": f"{R(s, 'g.rn', 32)} < 0.05",
            "note": "NULL",
            "create_date": "g.reached", "write_date": "g.reached",
            "create_uid": "(%(sp)s::int[])[g.sp]", "write_uid": "(%(sp)s::int[])[g.sp]",
        }, {"base": base, "now": self.now, "ms": self.milestone_ids, "sp_tidx": sp_tidx,
            "sp": sp_ids, "sp_teams": sp_teams, "seqs": [m[1] for m in MILESTONES]})
        # the opportunity's last milestone (stored compute of crm.lead)
        self.sql("""
            UPDATE crm_lead l SET milestone_id = x.milestone_id, milestone_date = x.date_reached
              FROM (SELECT DISTINCT ON (ml.lead_id) ml.lead_id, ml.milestone_id, ml.date_reached
                      FROM sales_lead_milestone ml
                      JOIN bench_lead bl ON bl.id = ml.lead_id
                  ORDER BY ml.lead_id, ml.date_reached DESC, ml.sequence DESC, ml.id DESC) AS x
             WHERE l.id = x.lead_id
        """)

    def gen_activities(self):
        """Done activities (mail.message with mail_activity_type_id, as Odoo 18 keeps them)
        on every kind of opportunity, planned and overdue ones (mail.activity) on open
        opportunities: half done, a quarter overdue, a quarter planned."""
        s = self.seed
        env = self.env
        total = self.p["activities"]
        n_done = total // 2
        n_overdue = total // 4
        n_planned = total - n_done - n_overdue
        sp_ids, sp_teams, sp_partners, sp_tidx = self._sp_arrays()
        types = [env.ref(x).id for x in (
            "mail.mail_activity_data_call", "mail.mail_activity_data_email",
            "mail.mail_activity_data_meeting", "mail.mail_activity_data_todo")]
        n_leads = self.one("SELECT count(*) FROM bench_lead")
        self.sql("CREATE INDEX ON bench_lead (n)")
        base = self.next_id("mail_message")
        source = f"""
            SELECT x.*, bl.id AS lead_id, bl.sp, bl.create_date AS lead_date,
                   bl.create_date + (COALESCE(bl.date_closed, %(now)s::timestamp)
                       - bl.create_date) * {R(s, 'x.i', 41)} AS done_date
              FROM (SELECT i, 1 + floor({R(s, 'i', 40)} * %(n_leads)s)::int AS ln
                      FROM generate_series(1, %(count)s) AS i) AS x
              JOIN bench_lead bl ON bl.n = x.ln
        """
        atype = pick("types", s, "g.i", 42)
        self.clone("mail_message", self.tpl_message.id, source, {
            "id": "%(base)s + g.i",
            "res_id": "g.lead_id",
            "record_name": "'Bench Opportunity ' || lpad(g.ln::text, 7, '0')",
            "mail_activity_type_id": atype,
            "author_id": "(%(sp_partners)s::int[])[g.sp]",
            "date": "g.done_date", "create_date": "g.done_date", "write_date": "g.done_date",
            "create_uid": "(%(sp)s::int[])[g.sp]", "write_uid": "(%(sp)s::int[])[g.sp]",
            "activity_deadline_date": f"(g.done_date + (floor({R(s, 'g.i', 43)} * 9) - 4)"
                                      " * interval '1 day')::date",
            "activity_feedback_recorded": f"{R(s, 'g.i', 44)} < 0.7",
            "message_id": "'<bench-activity-' || g.i || '@bench.example.com>'",
            "body": "'<p>Activity done</p>'",
        }, {"base": base, "now": self.now, "n_leads": n_leads, "count": n_done,
            "types": types, "sp": sp_ids, "sp_partners": sp_partners})
        # planned and overdue activities on open opportunities
        self.sql("DROP TABLE IF EXISTS bench_open")
        self.sql("CREATE TEMP TABLE bench_open AS SELECT row_number() OVER (ORDER BY n) AS o, "
                 "id, n, sp FROM bench_lead WHERE outcome = 'open'")
        self.sql("CREATE INDEX ON bench_open (o)")
        n_open = self.one("SELECT count(*) FROM bench_open")
        base = self.next_id("mail_activity")
        source = f"""
            SELECT x.i, x.overdue, bo.id AS lead_id, bo.n AS ln, bo.sp
              FROM (SELECT i, i <= %(n_overdue)s AS overdue,
                           1 + floor({R(s, 'i', 50)} * %(n_open)s)::int AS o
                      FROM generate_series(1, %(count)s) AS i) AS x
              JOIN bench_open bo ON bo.o = x.o
        """
        self.clone("mail_activity", self.tpl_activity.id, source, {
            "id": "%(base)s + g.i",
            "res_id": "g.lead_id",
            "res_name": "'Bench Opportunity ' || lpad(g.ln::text, 7, '0')",
            "activity_type_id": pick("types", s, "g.i", 51),
            "user_id": "(%(sp)s::int[])[g.sp]",
            "summary": "CASE WHEN g.overdue THEN 'Overdue follow-up' ELSE 'Follow-up' END",
            "date_deadline": f"CASE WHEN g.overdue THEN %(today)s::date - 1 - floor("
                             f"{R(s, 'g.i', 52)} * 60)::int ELSE %(today)s::date + floor("
                             f"{R(s, 'g.i', 53)} * 30)::int END",
            "create_date": "%(now)s::timestamp - interval '70 days'",
            "write_date": "%(now)s::timestamp - interval '70 days'",
            "create_uid": "(%(sp)s::int[])[g.sp]", "write_uid": "(%(sp)s::int[])[g.sp]",
        }, {"base": base, "n_overdue": n_overdue if n_open else 0, "n_open": n_open,
            "count": (n_overdue + n_planned) if n_open else 0, "types": types,
            "sp": sp_ids, "today": self.today, "now": self.now})

    def gen_orders(self):
        """Orders over 24 months (seasonality, growth): confirmed (most invoiced), sent and
        draft quotations, cancelled ones; 1 to 7 lines each, no taxes."""
        s = self.seed
        n_orders = max(self.p["lines"] // 4, 1)
        slots = month_slots(self.today, n_orders)
        sp_ids, sp_teams, sp_partners, sp_tidx = self._sp_arrays()
        products = self.products
        self.order_base = self.next_id("sale_order")
        self.sql("DROP TABLE IF EXISTS bench_order")
        self.sql(f"""
            CREATE TEMP TABLE bench_order AS
            SELECT x.*, %(base)s + x.n AS id,
                   CASE WHEN x.r < 0.06 THEN 'cancel'
                        WHEN x.recent AND x.r < 0.3 THEN 'draft'
                        WHEN x.r < (CASE WHEN x.recent THEN 0.45 ELSE 0.16 END) THEN 'sent'
                        ELSE 'sale' END AS state
              FROM (
                SELECT mo.cum + k AS n,
                       1 + floor(power({R(s, 'mo.cum + k', 60)}, 1.15)
                                 * cardinality(%(sp)s::int[]))::int AS sp,
                       (%(cust)s::int[])[1] + floor(power({R(s, 'mo.cum + k', 61)}, 1.3)
                                 * (%(cust)s::int[])[2])::int AS partner_id,
                       LEAST(mo.start + ({R(s, 'mo.cum + k', 62)} * mo.days) * interval '1 day',
                             %(now)s::timestamp - interval '1 hour') AS date_order,
                       {R(s, 'mo.cum + k', 63)} AS r,
                       mo.start >= %(recent)s::timestamp AS recent,
                       1 + floor({R(s, 'mo.cum + k', 64)} * 7)::int AS nlines,
                       {R(s, 'mo.cum + k', 65)} AS r2
                  FROM {months_sql(slots)}, generate_series(1, mo.cnt) AS k
              ) AS x
        """, {"base": self.order_base, "sp": sp_ids, "now": self.now,
              "cust": [self.cust_base + 1, len(self.cust_ids)],
              "recent": (self.today.replace(day=1) - timedelta(days=1)).replace(day=1)})
        # invoiced: confirmed orders older than 20 days (95 % of them)
        self.sql("ALTER TABLE bench_order ADD COLUMN invoiced boolean")
        self.sql("UPDATE bench_order SET invoiced = state = 'sale' AND "
                 "date_order < %(limit)s AND r2 < 0.95",
                 {"limit": self.now - timedelta(days=20)})
        # lines
        self.line_base = self.next_id("sale_order_line")
        self.sql("DROP TABLE IF EXISTS bench_line")
        self.sql(f"""
            CREATE TEMP TABLE bench_line AS
            SELECT row_number() OVER (ORDER BY o.n, j) AS ln, o.n AS on_, o.id AS order_id,
                   j, o.state, o.invoiced,
                   1 + floor(power({R(s, 'o.n * 8 + j', 70)}, 1.5)
                             * cardinality(%(products)s::int[]))::int AS p,
                   (1 + floor({R(s, 'o.n * 8 + j', 71)} * 10))::numeric AS qty,
                   CASE WHEN {R(s, 'o.n * 8 + j', 72)} < 0.2 THEN 10.0 ELSE 0.0 END AS discount
              FROM bench_order o, generate_series(1, o.nlines) AS j
        """, {"products": products.ids})
        self.sql("""
            ALTER TABLE bench_line ADD COLUMN id integer, ADD COLUMN price numeric,
                ADD COLUMN subtotal numeric;
            UPDATE bench_line SET id = %(base)s + ln,
                price = (%(prices)s::numeric[])[p],
                subtotal = round(qty * (%(prices)s::numeric[])[p] * (1 - discount / 100), 2);
            CREATE INDEX ON bench_line (order_id);
            ANALYZE bench_line; ANALYZE bench_order;
        """, {"base": self.line_base, "prices": [p.list_price for p in products]})
        params = {"sp": sp_ids, "sp_teams": sp_teams, "mediums":
                  self.env["utm.medium"].search([]).ids}
        source = """
            SELECT o.*, t.amount, p.commercial_partner_id
              FROM bench_order o
              JOIN (SELECT order_id, sum(subtotal) AS amount FROM bench_line GROUP BY order_id)
                   AS t ON t.order_id = o.id
              JOIN res_partner p ON p.id = o.partner_id
        """
        self.clone("sale_order", self.tpl_order.id, source, {
            "id": "g.id",
            "name": "'BS' || lpad(g.n::text, 7, '0')",
            "partner_id": "g.partner_id", "partner_invoice_id": "g.partner_id",
            "partner_shipping_id": "g.partner_id",
            "user_id": "(%(sp)s::int[])[g.sp]", "team_id": "(%(sp_teams)s::int[])[g.sp]",
            "company_id": str(self.company.id),
            "state": "g.state",
            "invoice_status": "CASE WHEN g.state != 'sale' THEN 'no' WHEN g.invoiced THEN "
                              "'invoiced' ELSE 'to invoice' END",
            "date_order": "g.date_order",
            "validity_date": "(g.date_order + interval '30 days')::date",
            "quotation_sent_date": "CASE WHEN g.state = 'sent' OR (g.state IN ('sale', "
                                   "'cancel') AND g.r2 < 0.7) THEN g.date_order - "
                                   "interval '2 days' END",
            "amount_untaxed": "g.amount", "amount_total": "g.amount", "amount_tax": "0",
            "currency_rate": "1.0",
            "medium_id": f"CASE WHEN {R(s, 'g.n', 66)} < 0.5 THEN "
                         + pick("mediums", s, "g.n", 67) + " END",
            "source_id": "NULL", "campaign_id": "NULL", "opportunity_id": "NULL",
            "origin": "NULL", "reference": "NULL", "client_order_ref": "NULL",
            "access_token": "NULL", "signed_by": "NULL", "signed_on": "NULL",
            "create_date": "g.date_order", "write_date": "g.date_order",
            "create_uid": "(%(sp)s::int[])[g.sp]", "write_uid": "(%(sp)s::int[])[g.sp]",
            "locked": "false",
        }, params)
        source = """
            SELECT l.*, so.partner_id, so.user_id, so.date_order
              FROM bench_line l JOIN sale_order so ON so.id = l.order_id
        """
        self.clone("sale_order_line", self.tpl_order_line.id, source, {
            "id": "g.id", "order_id": "g.order_id", "sequence": "10 + g.j",
            "company_id": str(self.company.id),
            "order_partner_id": "g.partner_id", "salesman_id": "g.user_id",
            "product_id": "(%(products)s::int[])[g.p]",
            "product_uom": "(%(uoms)s::int[])[g.p]",
            "state": "g.state",
            "invoice_status": "CASE WHEN g.state != 'sale' THEN 'no' WHEN g.invoiced THEN "
                              "'invoiced' ELSE 'to invoice' END",
            "qty_delivered_method": "'manual'",
            "name": "(%(names)s::text[])[g.p]",
            "product_uom_qty": "g.qty", "price_unit": "g.price",
            "technical_price_unit": "g.price",
            "discount": "g.discount",
            "price_subtotal": "g.subtotal", "price_total": "g.subtotal", "price_tax": "0",
            "price_reduce_taxexcl": "round(g.subtotal / g.qty, 2)",
            "price_reduce_taxinc": "round(g.subtotal / g.qty, 2)",
            "qty_delivered": "CASE WHEN g.state = 'sale' AND g.invoiced THEN g.qty ELSE 0 END",
            "qty_invoiced": "CASE WHEN g.invoiced THEN g.qty ELSE 0 END",
            "qty_to_invoice": "CASE WHEN g.state = 'sale' AND NOT g.invoiced THEN g.qty "
                              "ELSE 0 END",
            "untaxed_amount_invoiced": "CASE WHEN g.invoiced THEN g.subtotal ELSE 0 END",
            "untaxed_amount_to_invoice": "CASE WHEN g.state = 'sale' AND NOT g.invoiced "
                                         "THEN g.subtotal ELSE 0 END",
            "create_date": "g.date_order", "write_date": "g.date_order",
            "create_uid": "g.user_id", "write_uid": "g.user_id",
            "analytic_distribution": "NULL",
        }, {"products": products.ids, "uoms": products.uom_id.ids and
            [p.uom_id.id for p in products], "names": [p.display_name for p in products]})

    def gen_invoices(self):
        """One posted customer invoice per invoiced order: a product line per order line
        (credit, income account) and one receivable line (debit), not paid."""
        s = self.seed  # noqa: F841 (kept for symmetry: invoices follow their orders)
        move_base = self.next_id("account_move")
        self.sql("DROP TABLE IF EXISTS bench_move")
        self.sql("""
            CREATE TEMP TABLE bench_move AS
            SELECT o.id AS order_id, o.n, %(base)s + row_number() OVER (ORDER BY o.n) AS id,
                   d.invoice_date,
                   'INV/' || EXTRACT(YEAR FROM d.invoice_date)::int || '/' AS prefix,
                   row_number() OVER (PARTITION BY EXTRACT(YEAR FROM d.invoice_date)
                                      ORDER BY d.invoice_date, o.n) AS seqn
              FROM bench_order o
              CROSS JOIN LATERAL (SELECT LEAST((o.date_order + interval '3 days')::date,
                                               %(today)s::date) AS invoice_date) AS d
             WHERE o.invoiced
        """, {"base": move_base, "today": self.today})
        # continue each year's numbering after the existing invoices of the journal
        self.sql("""
            ALTER TABLE bench_move ADD COLUMN number integer, ADD COLUMN amount numeric;
            UPDATE bench_move b SET number = b.seqn + COALESCE((
                SELECT max(sequence_number) FROM account_move am
                 WHERE am.journal_id = %(journal)s AND am.sequence_prefix = b.prefix), 0);
            UPDATE bench_move b SET amount = t.amount FROM (
                SELECT order_id, sum(subtotal) AS amount FROM bench_line GROUP BY order_id) t
             WHERE t.order_id = b.order_id;
            CREATE INDEX ON bench_move (order_id);
            ANALYZE bench_move;
        """, {"journal": self.tpl_move.journal_id.id})
        source = """
            SELECT b.*, b.prefix || lpad(b.number::text, 5, '0') AS name, so.partner_id,
                   so.user_id, so.team_id, so.name AS order_name, so.medium_id,
                   p.commercial_partner_id, p.name AS partner_name
              FROM bench_move b
              JOIN sale_order so ON so.id = b.order_id
              JOIN res_partner p ON p.id = so.partner_id
        """
        self.clone("account_move", self.tpl_move.id, source, {
            "id": "g.id", "name": "g.name", "sequence_prefix": "g.prefix",
            "sequence_number": "g.number", "payment_reference": "g.name",
            "partner_id": "g.partner_id", "commercial_partner_id": "g.commercial_partner_id",
            "partner_shipping_id": "g.partner_id",
            "invoice_partner_display_name": "g.partner_name",
            "invoice_user_id": "g.user_id", "team_id": "g.team_id",
            "medium_id": "g.medium_id", "source_id": "NULL", "campaign_id": "NULL",
            "invoice_origin": "g.order_name",
            "date": "g.invoice_date", "invoice_date": "g.invoice_date",
            "invoice_date_due": "g.invoice_date + 30",
            "amount_untaxed": "g.amount", "amount_tax": "0", "amount_total": "g.amount",
            "amount_residual": "g.amount", "amount_untaxed_signed": "g.amount",
            "amount_untaxed_in_currency_signed": "g.amount", "amount_tax_signed": "0",
            "amount_total_signed": "g.amount", "amount_total_in_currency_signed": "g.amount",
            "amount_residual_signed": "g.amount",
            "payment_state": "'not_paid'", "access_token": "NULL",
            "inalterable_hash": "NULL", "secure_sequence_number": "NULL",
            "create_date": "g.invoice_date::timestamp + interval '9 hours'",
            "write_date": "g.invoice_date::timestamp + interval '9 hours'",
            "create_uid": "g.user_id", "write_uid": "g.user_id",
            "message_main_attachment_id": "NULL", "is_move_sent": "false",
            "sending_data": "NULL",
        })
        aml_base = self.next_id("account_move_line")
        # product lines: ids aml_base + order line rank; receivable lines after them
        self.sql("DROP TABLE IF EXISTS bench_aml")
        self.sql("""
            CREATE TEMP TABLE bench_aml AS
            SELECT %(base)s + row_number() OVER (ORDER BY l.ln) AS id, l.id AS sol_id,
                   l.qty, l.price, l.discount, l.subtotal, l.p, l.j,
                   m.id AS move_id, m.invoice_date, m.prefix || lpad(m.number::text, 5, '0')
                       AS move_name
              FROM bench_line l JOIN bench_move m ON m.order_id = l.order_id
        """, {"base": aml_base})
        products = self.products
        source = """
            SELECT a.*, am.commercial_partner_id, am.invoice_user_id
              FROM bench_aml a JOIN account_move am ON am.id = a.move_id
        """
        self.clone("account_move_line", self.tpl_aml_product.id, source, {
            "id": "g.id", "move_id": "g.move_id", "move_name": "g.move_name",
            "sequence": "10 + g.j", "partner_id": "g.commercial_partner_id",
            "product_id": "(%(products)s::int[])[g.p]",
            "product_uom_id": "(%(uoms)s::int[])[g.p]",
            "name": "(%(names)s::text[])[g.p]",
            "date": "g.invoice_date", "invoice_date": "g.invoice_date",
            "quantity": "g.qty", "price_unit": "g.price", "discount": "g.discount",
            "price_subtotal": "g.subtotal", "price_total": "g.subtotal",
            "debit": "0", "credit": "g.subtotal", "balance": "-g.subtotal",
            "amount_currency": "-g.subtotal", "amount_residual": "0",
            "amount_residual_currency": "0", "tax_base_amount": "0",
            "create_date": "g.invoice_date::timestamp + interval '9 hours'",
            "write_date": "g.invoice_date::timestamp + interval '9 hours'",
            "create_uid": "g.invoice_user_id", "write_uid": "g.invoice_user_id",
            "analytic_distribution": "NULL", "matching_number": "NULL",
            "full_reconcile_id": "NULL", "reconciled": "false",
        }, {"products": products.ids, "uoms": [p.uom_id.id for p in products],
            "names": [p.display_name for p in products]})
        term_base = self.next_id("account_move_line")
        source = """
            SELECT row_number() OVER (ORDER BY b.id) AS k, b.*,
                   b.prefix || lpad(b.number::text, 5, '0') AS move_name,
                   am.commercial_partner_id, am.invoice_user_id, am.payment_reference
              FROM bench_move b JOIN account_move am ON am.id = b.id
        """
        self.clone("account_move_line", self.tpl_aml_term.id, source, {
            "id": "%(base)s + g.k", "move_id": "g.id", "move_name": "g.move_name",
            "partner_id": "g.commercial_partner_id", "name": "g.payment_reference",
            "date": "g.invoice_date", "invoice_date": "g.invoice_date",
            "date_maturity": "g.invoice_date + 30",
            "price_unit": "0", "price_subtotal": "0", "price_total": "0", "quantity": "0",
            "debit": "g.amount", "credit": "0", "balance": "g.amount",
            "amount_currency": "g.amount", "amount_residual": "g.amount",
            "amount_residual_currency": "g.amount",
            "create_date": "g.invoice_date::timestamp + interval '9 hours'",
            "write_date": "g.invoice_date::timestamp + interval '9 hours'",
            "create_uid": "g.invoice_user_id", "write_uid": "g.invoice_user_id",
            "matching_number": "NULL", "full_reconcile_id": "NULL", "reconciled": "false",
        }, {"base": term_base})
        self.sql("""
            INSERT INTO sale_order_line_invoice_rel (invoice_line_id, order_line_id)
            SELECT id, sol_id FROM bench_aml
        """)

    def finish(self):
        tables = ["res_partner", "crm_lead", "sales_lead_milestone", "mail_message",
                  "mail_activity", "sale_order", "sale_order_line", "account_move",
                  "account_move_line"]
        for table in tables:
            self.sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                     f"(SELECT MAX(id) FROM {table}))")
        for temp in ("bench_lead", "bench_open", "bench_order", "bench_line", "bench_move",
                     "bench_aml"):
            self.sql(f"DROP TABLE IF EXISTS {temp}")
        self.env.invalidate_all()
        self.env.registry.clear_cache()


# ---------------------------------------------------------------------- check
def check(env, sample=300):
    """ORM aggregates equal SQL totals; stored computes recomputed on a sample are equal.
    Returns a list of (check, orm value, sql value, ok)."""
    cr = env.cr
    env.flush_all()
    env.invalidate_all()
    results = []

    def compare(name, orm, sql_value, tol=0.005):
        orm = float(orm or 0.0)
        sql_value = float(sql_value or 0.0)
        results.append((name, orm, sql_value, abs(orm - sql_value) <= tol))

    def sql(query, params=None):
        cr.execute(query, params)
        return cr.fetchone()[0]

    SOL = env["sale.order.line"]
    [(total,)] = SOL._read_group([("state", "=", "sale")], [], ["price_subtotal:sum"])
    compare("sale.order.line confirmed price_subtotal", total, sql(
        "SELECT sum(l.price_subtotal) FROM sale_order_line l "
        "JOIN sale_order o ON o.id = l.order_id WHERE o.state = 'sale'"))
    for (state, qty, inv) in SOL._read_group(
            [], ["state"], ["product_uom_qty:sum", "qty_invoiced:sum"]):
        cr.execute("SELECT sum(product_uom_qty), sum(qty_invoiced) FROM sale_order_line "
                   "WHERE state = %s", (state,))
        s_qty, s_inv = cr.fetchone()
        compare(f"sale.order.line {state} qty", qty, s_qty)
        compare(f"sale.order.line {state} qty_invoiced", inv, s_inv)
    [(amount, count)] = env["sale.order"]._read_group(
        [("state", "=", "sale")], [], ["amount_total:sum", "__count"])
    compare("sale.order confirmed amount_total", amount, sql(
        "SELECT sum(amount_total) FROM sale_order WHERE state = 'sale'"))
    compare("sale.order confirmed count", count, sql(
        "SELECT count(*) FROM sale_order WHERE state = 'sale'"))
    compare("sale.order amount_total = sum of its lines", sql(
        "SELECT sum(amount_total) FROM sale_order"), sql(
        "SELECT sum(price_total) FROM sale_order_line"))
    [(report_total,)] = env["sale.report"]._read_group(
        [("state", "=", "sale")], [], ["price_subtotal:sum"])
    compare("sale.report price_subtotal = order lines", report_total, sql(
        "SELECT sum(l.price_subtotal) FROM sale_order_line l "
        "JOIN sale_order o ON o.id = l.order_id WHERE o.state = 'sale' "
        "AND l.product_id IS NOT NULL"))
    Move = env["account.move"]
    [(inv_total, inv_residual)] = Move._read_group(
        [("state", "=", "posted"), ("move_type", "=", "out_invoice")], [],
        ["amount_total:sum", "amount_residual:sum"])
    compare("account.move posted invoices amount_total", inv_total, sql(
        "SELECT sum(amount_total) FROM account_move WHERE state = 'posted' "
        "AND move_type = 'out_invoice'"))
    compare("account.move amount_residual", inv_residual, sql(
        "SELECT sum(amount_residual) FROM account_move WHERE state = 'posted' "
        "AND move_type = 'out_invoice'"))
    [(balance,)] = env["account.move.line"]._read_group(
        [("parent_state", "=", "posted")], [], ["balance:sum"])
    compare("account.move.line balanced", balance, 0.0)
    compare("invoiced order lines = invoice product lines", sql(
        "SELECT sum(untaxed_amount_invoiced) FROM sale_order_line"), sql(
        "SELECT -sum(aml.balance) FROM account_move_line aml JOIN account_move am "
        "ON am.id = aml.move_id WHERE am.move_type = 'out_invoice' AND am.state = 'posted' "
        "AND aml.display_type = 'product'"))
    Lead = env["crm.lead"].with_context(active_test=False)
    for active in (True, False):
        [(count, revenue)] = Lead._read_group(
            [("type", "=", "opportunity"), ("active", "=", active)], [],
            ["__count", "expected_revenue:sum"])
        cr.execute("SELECT count(*), sum(expected_revenue) FROM crm_lead "
                   "WHERE type = 'opportunity' AND active = %s", (active,))
        s_count, s_revenue = cr.fetchone()
        compare(f"crm.lead active={active} count", count, s_count)
        compare(f"crm.lead active={active} expected_revenue", revenue, s_revenue)
    [(count,)] = env["sales.lead.milestone"]._read_group([], [], ["__count"])
    compare("sales.lead.milestone count", count, sql("SELECT count(*) FROM sales_lead_milestone"))
    [(count,)] = env["mail.message"]._read_group(
        [("model", "=", "crm.lead"), ("mail_activity_type_id", "!=", False)], [], ["__count"])
    compare("done activities (mail.message) count", count, sql(
        "SELECT count(*) FROM mail_message WHERE model = 'crm.lead' "
        "AND mail_activity_type_id IS NOT NULL"))
    [(count,)] = env["mail.activity"]._read_group(
        [("res_model", "=", "crm.lead"), ("date_deadline", "<", date.today())], [],
        ["__count"])
    compare("overdue activities count", count, sql(
        "SELECT count(*) FROM mail_activity WHERE res_model = 'crm.lead' "
        "AND date_deadline < %s", [date.today()]))  # the ORM's today, not the server's
    # stored computes recomputed on a sample equal the stored values
    recompute = {
        "sale.order.line": ["price_subtotal", "price_total", "price_tax", "qty_invoiced",
                            "qty_to_invoice", "invoice_status", "untaxed_amount_invoiced",
                            "untaxed_amount_to_invoice", "price_reduce_taxexcl"],
        "sale.order": ["amount_untaxed", "amount_total", "amount_tax", "invoice_status"],
        "account.move": ["amount_untaxed", "amount_total", "amount_residual",
                         "amount_total_signed", "payment_state", "commercial_partner_id"],
        # (balance is not recomputed on invoice lines: it is their input)
        "account.move.line": ["price_subtotal", "price_total", "amount_residual",
                              "amount_residual_currency", "parent_state", "move_name"],
        "crm.lead": ["prorated_revenue", "milestone_id", "milestone_date",
                     "milestone_probability", "email_from", "country_id"],
        "sales.lead.milestone": ["sequence", "company_id", "team_id", "salesperson_id"],
        "res.partner": ["commercial_partner_id", "complete_name"],
    }
    for model, fnames in recompute.items():
        Model = env[model].with_context(active_test=False)
        table = Model._table
        cr.execute(f"SELECT id FROM {table} ORDER BY hashint4(id) LIMIT %s", (sample,))
        ids = [r[0] for r in cr.fetchall()]
        records = Model.browse(ids)
        stored = {r["id"]: r for r in records.read(fnames, load=False)}
        env.invalidate_all()
        for fname in fnames:
            env.add_to_compute(Model._fields[fname], records)
        records._recompute_recordset(fnames)
        mismatches = 0
        for rec in records:
            for fname in fnames:
                field = Model._fields[fname]
                new = field.convert_to_read(rec[fname], rec, use_display_name=False)
                if isinstance(new, tuple):
                    new = new[0]
                old = stored[rec.id][fname]
                if isinstance(new, float) or isinstance(old, float):
                    same = abs(float(new or 0) - float(old or 0)) < 0.005
                else:
                    same = (new or False) == (old or False)
                if not same:
                    mismatches += 1
                    if mismatches <= 5:
                        _logger.warning("%s(%s).%s stored %r recomputed %r",
                                        model, rec.id, fname, old, new)
        results.append((f"{model} recompute {len(ids)} records: mismatches", mismatches, 0,
                        mismatches == 0))
        env.invalidate_all()  # drop the recomputed values: nothing is written
        env.transaction.clear()
    return results


# ---------------------------------------------------------------------- CLI
def odoo_env(db, addons_first=None):
    """The registry of ``db`` with the repository's addons path (``addons_first``: a
    directory put before it, e.g. an older version of the addon)."""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    import odoo
    import odoo.addons
    from odoo.tools import config

    root = os.path.dirname(os.path.dirname(os.path.realpath(odoo.__file__)))
    paths = [os.path.realpath(addons_first)] if addons_first else []
    paths.append(repo)
    if os.path.isdir(os.path.join(root, "addons", "crm")):
        paths.append(os.path.join(root, "addons"))
    paths += [os.path.realpath(p) for p in odoo.addons.__path__ if os.path.isdir(p)]
    args = ["-d", db, "--addons-path", ",".join(dict.fromkeys(paths))]
    args += ["--db_host", os.environ.get("PGHOST", "127.0.0.1"),
             "--db_port", os.environ.get("PGPORT", "5432")]
    if os.environ.get("PGUSER"):
        args += ["--db_user", os.environ["PGUSER"]]
    config.parse_config(args)
    return odoo.modules.registry.Registry(db)


def vacuum(database):
    """``VACUUM ANALYZE`` the database (outside a transaction, as it must run): the
    generator's updates leave dead rows (four in ten opportunities) that autovacuum would
    clean on a live database, but that stay on a server without it. Dead index entries
    at the ends of a range slow the planner down (it reads the real bounds of a range
    condition from the index), and dead rows the scans, unlike in production."""
    import odoo.sql_db
    connection = odoo.sql_db.db_connect(database)
    with connection.cursor() as cr:
        cr._cnx.autocommit = True
        try:
            cr.execute("VACUUM ANALYZE")
        finally:
            cr._cnx.autocommit = False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=None,
                        help="multiply the document volume of the size (e.g. 0.5)")
    parser.add_argument("--check", action="store_true",
                        help="only check the data of the database (no generation)")
    parser.add_argument("--no-plan", action="store_true",
                        help="do not build the plan tree (bench/plan_tree.py)")
    parser.add_argument("--plan-only", action="store_true",
                        help="only build the plan tree on already generated data")
    args = parser.parse_args(argv)
    import odoo
    registry = odoo_env(args.database)
    if not args.check:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            stats = {} if args.plan_only else \
                Generator(env, args.size, args.seed, args.scale).run()
            if not args.no_plan:
                sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
                from plan_tree import build_plan_tree
                stats["plan"] = build_plan_tree(env)
            env.flush_all()
            cr.commit()
        vacuum(args.database)
        print(f"generated size {args.size} seed {args.seed}: {stats}")
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        results = check(env)
        cr.rollback()
    width = max(len(r[0]) for r in results)
    failed = 0
    for name, orm, sql_value, ok in results:
        failed += not ok
        print(f"{'OK ' if ok else 'BAD'} {name:<{width}}  orm={orm:,.2f}  sql={sql_value:,.2f}")
    print(f"check: {len(results) - failed}/{len(results)} OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
