# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The SQL floor of the plan figures: what a hand-written program needs to get the actual
of every target of the benchmark's plan tree, and nothing more.

ONE ``GROUP BY`` per source table, computing every measure of that table in one pass, with
``GROUPING SETS`` for the three shapes of the tree's targets (salesperson × team × month,
team × month, month):

- ``sale_order_line``: revenue (confirmed order lines, in company currency);
- ``sale_order``: new customers (first confirmed order of each commercial partner; for one
  salesperson, his orders with no earlier order of their customer: ``USER_SOURCES``);
- ``account_move_line``: invoiced (product lines of posted customer invoices and refunds);
- ``crm_lead``: opportunities (by creation month) and win rate (by closing month) in one
  scan (each opportunity gives a "created" and a "closed" row);
- ``mail_message``: done activities on opportunities;

plus one query reading the targets' rows (metric, month, plan scope). Only the metrics of
the benchmark's tree (``plan_tree.METRICS``) are covered; the targets carry no dimension
beyond their plan's scope. No ORM: plain SQL and a dict lookup per target.

Used by ``run.py`` (the floor of every figure row, and the figures' correctness checks)
and by ``plan_tree.py`` (last year's actuals, which the targets are set from).
"""

from datetime import datetime

_SETS = "GROUPING SETS ((r.user_id, r.team_id, r.m), (r.team_id, r.m), (r.m))"
_HEAD = "SELECT GROUPING(r.user_id, r.team_id), r.user_id, r.team_id, r.m"

# {table: (measure codes in column order, SQL)}
SOURCES = {
    "sale_order_line": (("revenue",), _HEAD + """, SUM(r.amount) FROM (
            SELECT so.user_id, so.team_id, date_trunc('month', so.date_order)::date AS m,
                   l.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount
              FROM sale_order_line l JOIN sale_order so ON so.id = l.order_id
             WHERE so.state = 'sale' AND l.display_type IS NULL
               AND NOT COALESCE(l.is_downpayment, FALSE) AND so.company_id = %(company)s
               AND (%(user)s::int IS NULL OR so.user_id = %(user)s)
               AND so.date_order >= %(start)s AND so.date_order < %(stop)s) r
        GROUP BY """ + _SETS),
    "sale_order": (("new_customers",), _HEAD + """, COUNT(DISTINCT r.cp) FROM (
            SELECT DISTINCT ON (p.commercial_partner_id) so.user_id, so.team_id,
                   date_trunc('month', so.date_order)::date AS m, so.date_order,
                   p.commercial_partner_id AS cp
              FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale' AND so.company_id = %(company)s
          ORDER BY p.commercial_partner_id, so.date_order, so.id) r
         WHERE r.date_order >= %(start)s AND r.date_order < %(stop)s
           AND (%(user)s::int IS NULL OR r.user_id = %(user)s)
        GROUP BY """ + _SETS),
    "account_move_line": (("invoiced",), _HEAD + """, SUM(r.amount) FROM (
            SELECT am.invoice_user_id AS user_id, am.team_id,
                   date_trunc('month', am.invoice_date)::date AS m, -aml.balance AS amount
              FROM account_move_line aml JOIN account_move am ON am.id = aml.move_id
             WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
               AND aml.display_type = 'product' AND am.company_id = %(company)s
               AND (%(user)s::int IS NULL OR am.invoice_user_id = %(user)s)
               AND am.invoice_date >= %(start)s AND am.invoice_date < %(stop)s) r
        GROUP BY """ + _SETS),
    "crm_lead": (("opportunities", "win_rate"), _HEAD + """,
               COUNT(*) FILTER (WHERE r.kind = 'created'),
               100.0 * COUNT(*) FILTER (WHERE r.kind = 'closed' AND r.won)
                     / NULLIF(COUNT(*) FILTER (WHERE r.kind = 'closed'), 0)
          FROM (
            SELECT l.user_id, l.team_id, d.kind, date_trunc('month', d.day)::date AS m,
                   l.active AS won
              FROM crm_lead l
        CROSS JOIN LATERAL (VALUES
                   ('created', l.create_date),
                   ('closed', CASE WHEN (l.active AND l.probability = 100)
                                     OR (NOT l.active AND l.probability = 0)
                                   THEN l.date_closed END)) AS d(kind, day)
             WHERE l.type = 'opportunity' AND (%(user)s::int IS NULL OR l.user_id = %(user)s)
               AND (l.company_id = %(company)s OR l.company_id IS NULL)
               AND d.day >= %(start)s AND d.day < %(stop)s) r
        GROUP BY """ + _SETS),
    "mail_message": (("activities",), _HEAD + """, COUNT(*) FROM (
            SELECT l.user_id, l.team_id, date_trunc('month', m.date)::date AS m
              FROM mail_message m JOIN crm_lead l ON l.id = m.res_id
             WHERE m.model = 'crm.lead' AND m.mail_activity_type_id IS NOT NULL
               AND (%(user)s::int IS NULL OR l.user_id = %(user)s)
               AND (l.company_id = %(company)s OR l.company_id IS NULL)
               AND m.date >= %(start)s AND m.date < %(stop)s) r
        GROUP BY """ + _SETS),
}

# a salesperson's new customers: his confirmed orders of the year with no earlier confirmed
# order of the same customer, not the first order of every customer picked and filtered
# (over the whole company, that pick is the faster one)
USER_SOURCES = {
    "sale_order": (("new_customers",), _HEAD + """, COUNT(DISTINCT r.cp) FROM (
            SELECT so.user_id, so.team_id, date_trunc('month', so.date_order)::date AS m,
                   p.commercial_partner_id AS cp
              FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale' AND so.company_id = %(company)s
               AND so.user_id = %(user)s
               AND so.date_order >= %(start)s AND so.date_order < %(stop)s
               AND NOT EXISTS (
                   SELECT FROM sale_order prev JOIN res_partner pp ON pp.id = prev.partner_id
                    WHERE prev.state = 'sale' AND prev.company_id = so.company_id
                      AND pp.commercial_partner_id = p.commercial_partner_id
                      AND (prev.date_order, prev.id) < (so.date_order, so.id))) r
        GROUP BY """ + _SETS),
}

LEVELS = {0: "user", 2: "team", 3: "company"}

# the targets' rows: plan, metric, then the key of their actual in ``source_values``
# (scope, salesperson and team as the scope keeps them, month)
TARGETS_SQL = """
    SELECT t.id, t.plan_id, m.code, p.scope,
           CASE WHEN p.scope = 'user' THEN p.user_id END,
           CASE WHEN p.scope <> 'company' THEN p.team_id END,
           EXTRACT(MONTH FROM t.date_from)::int
      FROM sales_plan_target t
      JOIN sales_plan p ON p.id = t.plan_id
      JOIN sales_metric m ON m.id = t.metric_id
"""


def source_values(cr, company_id, year, user_id=None):
    """``{(metric code, level, user, team, month): value}`` of the year, one query per
    source table (level: user, team or company; user/team None above their level).
    ``user_id``: the rows of this salesperson only (the floor of his own plans' figures;
    the team and company levels then hold his part only)."""
    params = {"company": company_id, "start": datetime(year, 1, 1),
              "stop": datetime(year + 1, 1, 1), "user": user_id}
    result = {}
    for table, (codes, query) in SOURCES.items():
        if user_id and table in USER_SOURCES:
            codes, query = USER_SOURCES[table]
        cr.execute(query, params)
        for grouping, user, team, month, *values in cr.fetchall():
            level = LEVELS[grouping]
            key = (level, user if level == "user" else None,
                   team if level != "company" else None, month.month)
            for code, value in zip(codes, values):
                if value is not None:
                    result[(code, *key)] = float(value)
    return result


def target_key(code, scope, user_id, team_id, month):
    return (code, scope, user_id if scope == "user" else None,
            team_id if scope != "company" else None, month)


def figures(cr, company_id, year, plan_ids=None, user_id=None):
    """``{target id: (plan id, metric code, actual)}``: the floor of the targets of the
    plans ``plan_ids`` (default: every plan-total target, what the *Plan vs Actual* pivot
    reads); ``user_id``: of one salesperson's own plans (``source_values``)."""
    values = source_values(cr, company_id, year, user_id)
    if plan_ids is None:
        cr.execute(TARGETS_SQL + " WHERE NOT t.is_breakdown")
    else:
        cr.execute(TARGETS_SQL + " WHERE t.plan_id = ANY(%s)", [list(plan_ids)])
    get = values.get
    return {row[0]: (row[1], row[2], get(row[2:], 0.0)) for row in cr.fetchall()}
