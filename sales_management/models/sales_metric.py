# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a sales target measures, and the one place that turns Odoo records into actuals.

A metric reads one *source* (a fixed SQL row set over sale order lines, invoice lines,
opportunities or done activities, each with a date, the dimensions a target can filter on
and the measured values), keeps the rows matching an optional domain on the source model,
and aggregates them with its *measure*. ``_compute_values(slots)`` answers for any number
of (period, dimensions) slots with **one SQL query**: whole-month slots are answered by one
``GROUPING SETS`` aggregation of the source rows, the others joined by shape, so the query
count never grows with the number of targets.
"""

import functools
import re
from datetime import date, timedelta
from itertools import repeat
from operator import itemgetter

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

# Dimensions a target can carry, in the order of the slot tuples of ``_compute_masked_values``.
DIMENSIONS = (
    "user_id", "team_id", "partner_id", "country_id", "state_id",
    "medium_id", "source_id", "product_id", "product_categ_id",
)
PRODUCT_DIMENSIONS = ("product_id", "product_categ_id")
# Positions in the slot tuples of ``_compute_masked_values``: (key, company_id, first day,
# grouping mask, *DIMENSIONS values, last day, region_id); days are day numbers
# (``day_number``). A slot tuple may carry more items after these. What a grouped slot is
# looked up by comes first: ``slot[SLOT_COMPANY:SLOT_END]``, or a shorter slice when no
# grouped slot sets the last dimensions (see ``_compute_masked_values``).
SLOT_KEY, SLOT_COMPANY, SLOT_FROM, SLOT_GMASK, SLOT_DIMS = range(5)
SLOT_END = SLOT_DIMS + len(DIMENSIONS)
SLOT_TO, SLOT_REGION = SLOT_END, SLOT_END + 1
PARTNER_POS = DIMENSIONS.index("partner_id")
# Day numbers: days since EPOCH. 16k targets' dates cost much less read as integers (and
# hashed as integers) than as date objects.
EPOCH = date(2000, 1, 1)
EPOCH_SQL = SQL("DATE '2000-01-01'")


def day_number(day):
    return (day - EPOCH).days


def from_day_number(number):
    return EPOCH + timedelta(days=number)

# the month of a source row (its date a timestamp or a date: a date is truncated as a
# timestamp, not converted to a timestamp with time zone first)
MONTH_SQL = SQL("date_trunc('month', r.date::timestamp)::date")


# Joins a query of the source rows may leave out, with the columns they give: the SQL
# below carries them between markers, and ``_source_rows_sql`` cuts them out when the
# query uses none of their columns (PostgreSQL drops such LEFT JOINs itself, but only
# after planning them, and still reads their join keys: ≈ 10 % of a metric's query).
_PARTNER_JOIN = """
    /*partner-join:*/LEFT JOIN res_partner p ON p.id = {partner}
    LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id/*:partner-join*/
"""
_PRODUCT_JOIN = """
    /*product-join:*/LEFT JOIN product_product pp ON pp.id = {product}
    LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id/*:product-join*/
"""
_OPTIONAL_COLUMNS = {
    "partner": ("commercial_partner_id", "country_id", "state_id"),
    "product": ("product_categ_id",),
}

# Each source yields rows: rid (id of a record of ``model``), company_id, date, the
# dimension columns (partner_id is the document's partner, commercial_partner_id its
# company), amount, quantity, ref (what "count" counts, distinct) and won (ratio metrics).
SOURCES = {
    "sale_line": {
        "model": "sale.order.line",
        "rid": "l.id",
        "dimensions": DIMENSIONS,
        "sql": """
            SELECT l.id AS rid, so.company_id, so.date_order AS date,
                   so.user_id, so.team_id, so.partner_id,
                   /*partner:*/p.commercial_partner_id/*:partner*/ AS commercial_partner_id,
                   /*partner:*/cp.country_id/*:partner*/ AS country_id,
                   /*partner:*/cp.state_id/*:partner*/ AS state_id,
                   so.medium_id, so.source_id, l.product_id,
                   /*product:*/pt.categ_id/*:product*/ AS product_categ_id,
                   l.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount,
                   l.product_uom_qty AS quantity, so.id AS ref, NULL::boolean AS won
              FROM sale_order_line l
              JOIN sale_order so ON so.id = l.order_id
              """ + _PARTNER_JOIN.format(partner="so.partner_id") + _PRODUCT_JOIN.format(
                  product="l.product_id") + """
             WHERE so.state = 'sale' AND l.display_type IS NULL
               AND NOT COALESCE(l.is_downpayment, FALSE) AND {filter}
        """,
    },
    "quotation_line": {
        "model": "sale.order.line",
        "rid": "l.id",
        "dimensions": DIMENSIONS,
        "sql": """
            SELECT l.id AS rid, so.company_id, so.quotation_sent_date AS date,
                   so.user_id, so.team_id, so.partner_id,
                   /*partner:*/p.commercial_partner_id/*:partner*/ AS commercial_partner_id,
                   /*partner:*/cp.country_id/*:partner*/ AS country_id,
                   /*partner:*/cp.state_id/*:partner*/ AS state_id,
                   so.medium_id, so.source_id, l.product_id,
                   /*product:*/pt.categ_id/*:product*/ AS product_categ_id,
                   l.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount,
                   l.product_uom_qty AS quantity, so.id AS ref, NULL::boolean AS won
              FROM sale_order_line l
              JOIN sale_order so ON so.id = l.order_id
              """ + _PARTNER_JOIN.format(partner="so.partner_id") + _PRODUCT_JOIN.format(
                  product="l.product_id") + """
             WHERE so.quotation_sent_date IS NOT NULL AND so.state != 'cancel'
               AND l.display_type IS NULL AND {filter}
        """,
    },
    "first_order": {
        "model": "sale.order",
        "rid": "first.rid",
        "dimensions": tuple(d for d in DIMENSIONS if d not in PRODUCT_DIMENSIONS),
        # the first order is picked with the order's own columns only; the customer's
        # country and state are joined outside, so that PostgreSQL can leave that join out
        # when a query does not use them. The customer leads the sort (a constant company
        # first makes every comparison go to the second key: 1.7x slower at size L)
        "sql": """
            SELECT first.rid, first.company_id, first.date, first.user_id, first.team_id,
                   first.partner_id, first.commercial_partner_id,
                   /*partner:*/cp.country_id/*:partner*/ AS country_id,
                   /*partner:*/cp.state_id/*:partner*/ AS state_id,
                   first.medium_id, first.source_id,
                   NULL::integer AS product_id, NULL::integer AS product_categ_id,
                   0.0 AS amount, 0.0 AS quantity, first.commercial_partner_id AS ref,
                   NULL::boolean AS won
              FROM (
                SELECT DISTINCT ON (p.commercial_partner_id, so.company_id)
                       so.id AS rid, so.company_id, so.date_order AS date,
                       so.user_id, so.team_id, so.partner_id, p.commercial_partner_id,
                       so.medium_id, so.source_id
                  FROM sale_order so
                  LEFT JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale' AND {filter}
              ORDER BY p.commercial_partner_id, so.company_id, so.date_order, so.id
              ) AS first
              /*partner-join:*/LEFT JOIN res_partner cp
                     ON cp.id = first.commercial_partner_id/*:partner-join*/
        """,
    },
    "invoice_line": {
        "model": "account.move.line",
        "rid": "aml.id",
        "dimensions": DIMENSIONS,
        "sql": """
            SELECT aml.id AS rid, am.company_id, am.invoice_date AS date,
                   am.invoice_user_id AS user_id, am.team_id, am.partner_id,
                   /*partner:*/p.commercial_partner_id/*:partner*/ AS commercial_partner_id,
                   /*partner:*/cp.country_id/*:partner*/ AS country_id,
                   /*partner:*/cp.state_id/*:partner*/ AS state_id,
                   am.medium_id, am.source_id, aml.product_id,
                   /*product:*/pt.categ_id/*:product*/ AS product_categ_id,
                   -aml.balance AS amount,
                   CASE WHEN am.move_type = 'out_refund' THEN -aml.quantity
                        ELSE aml.quantity END AS quantity,
                   am.id AS ref, NULL::boolean AS won
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              """ + _PARTNER_JOIN.format(partner="am.partner_id") + _PRODUCT_JOIN.format(
                  product="aml.product_id") + """
             WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
               AND aml.display_type = 'product' AND {filter}
        """,
    },
    "lead_created": {
        "model": "crm.lead",
        "rid": "l.id",
        # one row per record counted: "count" is COUNT(*), no DISTINCT needed
        "unique_ref": True,
        "dimensions": tuple(d for d in DIMENSIONS if d not in PRODUCT_DIMENSIONS),
        "sql": """
            SELECT l.id AS rid, l.company_id, l.create_date AS date,
                   l.user_id, l.team_id, l.partner_id,
                   /*partner:*/p.commercial_partner_id/*:partner*/ AS commercial_partner_id,
                   /*partner:*/COALESCE(cp.country_id, l.country_id)/*:partner*/ AS country_id,
                   /*partner:*/COALESCE(cp.state_id, l.state_id)/*:partner*/ AS state_id,
                   l.medium_id, l.source_id,
                   NULL::integer AS product_id, NULL::integer AS product_categ_id,
                   l.expected_revenue AS amount, 1.0 AS quantity, l.id AS ref,
                   NULL::boolean AS won
              FROM crm_lead l
              """ + _PARTNER_JOIN.format(partner="l.partner_id") + """
             WHERE l.type = 'opportunity' AND {filter}
        """,
    },
    "lead_closed": {
        "model": "crm.lead",
        "rid": "l.id",
        # one row per record counted: "count" is COUNT(*), no DISTINCT needed
        "unique_ref": True,
        "dimensions": tuple(d for d in DIMENSIONS if d not in PRODUCT_DIMENSIONS),
        "sql": """
            SELECT l.id AS rid, l.company_id, l.date_closed AS date,
                   l.user_id, l.team_id, l.partner_id,
                   /*partner:*/p.commercial_partner_id/*:partner*/ AS commercial_partner_id,
                   /*partner:*/COALESCE(cp.country_id, l.country_id)/*:partner*/ AS country_id,
                   /*partner:*/COALESCE(cp.state_id, l.state_id)/*:partner*/ AS state_id,
                   l.medium_id, l.source_id,
                   NULL::integer AS product_id, NULL::integer AS product_categ_id,
                   l.expected_revenue AS amount, 1.0 AS quantity, l.id AS ref,
                   (l.active AND l.probability = 100) AS won
              FROM crm_lead l
              """ + _PARTNER_JOIN.format(partner="l.partner_id") + """
             WHERE l.type = 'opportunity' AND l.date_closed IS NOT NULL
               AND ((l.active AND l.probability = 100) OR (NOT l.active AND l.probability = 0))
               AND {filter}
        """,
    },
    "activity": {
        "model": "mail.message",
        "rid": "m.id",
        # one row per record counted: "count" is COUNT(*), no DISTINCT needed
        "unique_ref": True,
        "dimensions": tuple(d for d in DIMENSIONS if d not in PRODUCT_DIMENSIONS),
        "sql": """
            SELECT m.id AS rid, l.company_id, m.date,
                   l.user_id, l.team_id, l.partner_id,
                   /*partner:*/p.commercial_partner_id/*:partner*/ AS commercial_partner_id,
                   /*partner:*/COALESCE(cp.country_id, l.country_id)/*:partner*/ AS country_id,
                   /*partner:*/COALESCE(cp.state_id, l.state_id)/*:partner*/ AS state_id,
                   l.medium_id, l.source_id,
                   NULL::integer AS product_id, NULL::integer AS product_categ_id,
                   0.0 AS amount, 1.0 AS quantity, m.id AS ref,
                   NULL::boolean AS won, m.mail_activity_type_id
              FROM mail_message m
              JOIN crm_lead l ON m.model = 'crm.lead' AND m.res_id = l.id
              """ + _PARTNER_JOIN.format(partner="l.partner_id") + """
             WHERE m.mail_activity_type_id IS NOT NULL AND {filter}
        """,
    },
}


@functools.cache
def _source_sql(source, parts):
    """The SQL of a source with the optional joins of ``parts`` only (see
    ``_OPTIONAL_COLUMNS``): the others and their columns (NULL) cut out."""
    sql = SOURCES[source]["sql"]
    for part in _OPTIONAL_COLUMNS:
        if part in parts:
            sql = sql.replace(f"/*{part}-join:*/", "").replace(f"/*:{part}-join*/", "")
            sql = sql.replace(f"/*{part}:*/", "").replace(f"/*:{part}*/", "")
        else:
            sql = re.sub(rf"/\*{part}-join:\*/.*?/\*:{part}-join\*/", "", sql, flags=re.S)
            sql = re.sub(rf"/\*{part}:\*/.*?/\*:{part}\*/", "NULL::integer", sql,
                         flags=re.S)
    return sql


class SalesMetric(models.Model):
    _name = "sales.metric"
    _description = "Sales Metric"
    _inherit = ["sales.input.guard.mixin"]
    _order = "sequence, id"
    _check_company_auto = True
    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "A metric with this code already exists."),
    ]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical code, part of the public interface (e.g. revenue, won).",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        help="Leave empty to share the metric between companies.",
    )
    description = fields.Text(translate=True)
    kind = fields.Selection(
        selection=[("volume", "Volume"), ("operational", "Operational")],
        required=True,
        default="volume",
        help="Volume metrics measure results (revenue, units); operational ones measure "
        "the work that produces them (opportunities, activities, win rate).",
    )
    unit = fields.Selection(
        selection=[
            ("amount", "Amount"),
            ("quantity", "Quantity"),
            ("count", "Count"),
            ("percent", "Percent"),
        ],
        required=True,
        default="amount",
    )
    source = fields.Selection(
        selection=[
            ("sale_line", "Confirmed sale order lines (by order date)"),
            ("quotation_line", "Sent quotations (by sending date)"),
            ("first_order", "First confirmed order of each customer (by order date)"),
            ("invoice_line", "Posted customer invoices and refunds (by invoice date)"),
            ("lead_created", "Opportunities (by creation date)"),
            ("lead_closed", "Won and lost opportunities (by closing date)"),
            ("activity", "Activities done on opportunities (by completion date)"),
        ],
        required=True,
        default="sale_line",
        help="The Odoo records the actual is computed from, and the date that places "
        "them in a period.",
    )
    measure = fields.Selection(
        selection=[
            ("amount", "Sum of amounts (untaxed, company currency)"),
            ("quantity", "Sum of quantities"),
            ("count", "Number of documents"),
            ("win_ratio", "Won / (won + lost), in %"),
        ],
        required=True,
        default="amount",
    )
    model_name = fields.Char(
        string="Source Model",
        compute="_compute_model_name",
        help="Model the optional domain applies to.",
    )
    domain = fields.Char(
        default="[]",
        help="Optional filter on the source records (e.g. a product category, a tag).",
    )
    activity_type_ids = fields.Many2many(
        comodel_name="mail.activity.type",
        string="Activity Types",
        help="For activity metrics: count only these types (calls, meetings, e-mails). "
        "Empty counts every type.",
    )
    is_additive = fields.Boolean(
        compute="_compute_is_additive",
        help="Additive metrics add up over periods and down the plan hierarchy.",
    )

    @api.depends("source")
    def _compute_model_name(self):
        for metric in self:
            metric.model_name = SOURCES[metric.source]["model"] if metric.source else False

    @api.depends("measure")
    def _compute_is_additive(self):
        for metric in self:
            metric.is_additive = metric.measure != "win_ratio"

    @api.constrains("source", "measure", "unit", "domain")
    def _check_definition(self):
        for metric in self:
            if metric.measure == "win_ratio" and metric.source != "lead_closed":
                raise ValidationError(self.env._(
                    "Metric %(name)s: a win ratio is computed from won and lost "
                    "opportunities only.", name=metric.name,
                ))
            if metric.measure == "win_ratio" and metric.unit != "percent":
                raise ValidationError(self.env._(
                    "Metric %(name)s: a win ratio is expressed in percent.", name=metric.name,
                ))
            if metric.source == "first_order" and metric.measure != "count":
                raise ValidationError(self.env._(
                    "Metric %(name)s: new customers can only be counted.", name=metric.name,
                ))
            if metric.activity_type_ids and metric.source != "activity":
                raise ValidationError(self.env._(
                    "Metric %(name)s: activity types only filter activity metrics.",
                    name=metric.name,
                ))
            metric._get_domain()

    # ------------------------------------------------------------------ business
    def _get_domain(self):
        """The metric's optional domain as a list; a clear error when it is not one."""
        self.ensure_one()
        if (self.domain or "[]").strip() == "[]":
            return []  # nothing to check (most metrics)
        try:
            domain = safe_eval(self.domain or "[]")
            self.env[self.model_name].sudo()._search(domain)
        except Exception as error:
            raise ValidationError(self.env._(
                "Metric %(name)s: the filter is not a valid domain on %(model)s (%(error)s).",
                name=self.name, model=self.model_name, error=error,
            )) from error
        return domain

    def _supported_dimensions(self):
        self.ensure_one()
        return SOURCES[self.source]["dimensions"]

    def _source_rows_sql(self, used=None):
        """SQL of the metric's source rows, the optional domain and activity types applied.
        ``used``: the columns the query reads; the joins that give none of them are left
        out (their columns are NULL)."""
        self.ensure_one()
        source = SOURCES[self.source]
        conditions = [SQL("TRUE")]
        domain = self._get_domain()
        if domain:
            query = self.env[source["model"]].sudo().with_context(active_test=False)._search(
                domain
            )
            conditions.append(SQL("%s IN %s", SQL(source["rid"]), query.subselect()))
        if self.source == "activity" and self.activity_type_ids:
            conditions.append(
                SQL("m.mail_activity_type_id IN %s", tuple(self.activity_type_ids.ids))
            )
        parts = frozenset(
            part for part, columns in _OPTIONAL_COLUMNS.items()
            if used is None or not used.isdisjoint(columns)
        )
        return SQL(_source_sql(self.source, parts).replace("{filter}", "%s"),
                   SQL(" AND ").join(conditions))

    def _aggregate_sql(self):
        self.ensure_one()
        if self.measure == "amount":
            return SQL("SUM(r.amount)")
        if self.measure == "quantity":
            return SQL("SUM(r.quantity)")
        if self.measure == "win_ratio":
            return SQL(
                "100.0 * COUNT(*) FILTER (WHERE r.won) / NULLIF(COUNT(*), 0)"
            )
        if SOURCES[self.source].get("unique_ref"):
            return SQL("COUNT(*)")
        return SQL("COUNT(DISTINCT r.ref)")

    def _compute_values(self, slots):
        """Actual values of this metric for many slots, in one SQL query.

        :param slots: list of dicts with a ``key`` (any hashable), ``company_id``,
            ``date_from``, ``date_to`` (dates, both included) and optional dimension ids
            (see ``DIMENSIONS``; a partner matches its contacts too) and an optional
            ``region_id`` (a ``sales.region``: any of its countries or states).
        :return: ``{key: value}`` with 0.0 for slots without any record.
        """
        self.ensure_one()
        to_date = fields.Date.to_date
        is_month = self._is_month_period
        rows = []
        for slot in slots:
            start, end = slot["date_from"], slot["date_to"]
            if start.__class__ is not date or end.__class__ is not date:
                start, end = to_date(start), to_date(end)
            get = slot.get
            values = [get(dim) or None for dim in DIMENSIONS]
            region = get("region_id") or None
            gmask = None
            if (is_month(start, end) and not region and not values[PARTNER_POS]
                    and slot["company_id"]):
                gmask = sum(1 << i for i, value in enumerate(values) if value)
            rows.append((slot["key"], slot["company_id"], day_number(start), gmask,
                         *values, day_number(end), region))
        return self._compute_masked_values(rows)

    def _compute_masked_values(self, slots):
        """``_compute_values`` of slots given as tuples (see ``SLOT_*``) that carry their
        grouping mask: ``None`` for a slot joined to the rows by shape (a partial month, a
        customer, a region, no company), else the bits (``1 << i``) of the
        ``DIMENSIONS`` it sets. ``sales.plan.target`` reads the targets' slots with their
        mask in one query.

        Slots of whole calendar months whose dimensions are plain columns (no customer,
        no region) are answered by ONE aggregation of the source rows, ``GROUP BY
        GROUPING SETS`` of (company, month, the dimensions of each mask), each result row
        keyed exactly as a slot is (``slot[SLOT_COMPANY:SLOT_END]``): one dictionary
        lookup per slot, done in C, and each source row read and aggregated once whatever
        the number of slots. The other slots are joined to the rows by shape
        (``_shape_query``), in the same query.
        """
        self.ensure_one()
        if not slots:
            return {}
        grouped = [slot for slot in slots if slot[SLOT_GMASK] is not None]
        joined = {}
        if len(grouped) < len(slots):
            is_month = self._is_month_period
            for slot in slots:
                if slot[SLOT_GMASK] is None:
                    dims = tuple(dim for dim, value in zip(DIMENSIONS, slot[SLOT_DIMS:SLOT_END])
                                 if value)
                    monthly = is_month(from_day_number(slot[SLOT_FROM]),
                                       from_day_number(slot[SLOT_TO]))
                    joined.setdefault((dims, bool(slot[SLOT_REGION]), monthly), []).append(slot)
        result = {}
        date_from = from_day_number(min(map(itemgetter(SLOT_FROM), slots)))
        date_to = from_day_number(max(map(itemgetter(SLOT_TO), slots)))
        keys = [slot[SLOT_KEY] for shape_slots in joined.values() for slot in shape_slots]
        index = {key: i for i, key in enumerate(keys)}
        branches = [
            self._shape_query(dims, has_region, monthly, shape_slots, index)
            for (dims, has_region, monthly), shape_slots in joined.items()
        ]
        masks = sorted(set(map(itemgetter(SLOT_GMASK), grouped)))
        companies = sorted(set(map(itemgetter(SLOT_COMPANY), grouped)))
        # the dimensions of the grouped slots, in a fixed order: GROUPING() bits
        group_dims = [dim for i, dim in enumerate(DIMENSIONS) if any(m & 1 << i for m in masks)]
        # the key of a grouped slot stops after the last dimension a mask sets (beyond, its
        # dimensions are all None): usually (company, month, mask, salesperson, team)
        width = max(masks).bit_length() if masks else 0
        if grouped:
            if branches:
                # same columns as the grouped branch: (idx, *slot key, value)
                pad = SQL(", ").join(
                    SQL("NULL::integer") for _col in range(SLOT_COMPANY, SLOT_DIMS + width))
                branches = [
                    SQL("(SELECT b.idx, %s, b.value FROM %s AS b(idx, value))", pad, branch)
                    for branch in branches
                ]
            branches.insert(0, self._grouping_sets_query(companies, masks, group_dims,
                                                         width, inline=not joined))
        # only the rows of the slots' whole period are read (once, whatever the shapes),
        # and only the columns the slots use: joins nobody needs are left out by PostgreSQL
        used = {"company_id", "date", *self._aggregate_columns(), *group_dims}
        for dims, has_region, _monthly in joined:
            used.update(dims)
            if "partner_id" in dims:
                used.add("commercial_partner_id")
            if has_region:
                used.update(("country_id", "state_id"))
        conditions = [SQL("src.date >= %s::date AND src.date < %s::date + 1",
                          date_from.isoformat(), date_to.isoformat())]
        if grouped and not joined:
            # rows of the grouped slots only: their companies and, when every mask sets
            # a dimension, the ids they name (indexes apply: one salesperson's targets
            # do not aggregate the whole company)
            conditions.extend(self._grouped_filters(grouped, companies, masks))
        query = SQL(
            """
            WITH r AS %(materialized)s (
                SELECT %(columns)s FROM (%(rows)s) AS src WHERE %(conditions)s
            )
            %(branches)s
            """,
            materialized=SQL("MATERIALIZED" if len(branches) > 1 else "NOT MATERIALIZED"),
            columns=SQL(", ").join(SQL("src.%s", SQL.identifier(col)) for col in sorted(used)),
            rows=self._source_rows_sql(used),
            conditions=SQL(" AND ").join(conditions),
            branches=SQL(" UNION ALL ").join(branches),
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        rows = self.env.cr.fetchall()
        if keys:
            result.update(dict.fromkeys(keys, 0.0))
        if not grouped:
            for idx, value in rows:
                result[keys[idx]] = value or 0.0
            return result
        # grouped rows: (NULL, *slot key, value); joined rows: (idx, NULLs..., value)
        found = {}
        for row in rows:
            if row[0] is not None:
                result[keys[row[0]]] = row[-1] or 0.0
            elif row[-1]:
                found[row[1:-1]] = row[-1]
        result.update(zip(
            map(itemgetter(SLOT_KEY), grouped),
            map(found.get, map(itemgetter(slice(SLOT_COMPANY, SLOT_DIMS + width)), grouped),
                repeat(0.0)),
        ))
        return result

    @staticmethod
    def _grouping_id(dims, group_dims):
        """``GROUPING(*group_dims)`` of the grouping set of ``dims``: a bit per column
        (the first one the most significant), set when the column is not grouped."""
        width = len(group_dims)
        return sum(1 << (width - 1 - i) for i, dim in enumerate(group_dims) if dim not in dims)

    @staticmethod
    def _mask_dims(mask):
        return tuple(dim for i, dim in enumerate(DIMENSIONS) if mask & 1 << i)

    def _grouped_filters(self, grouped, companies, masks):
        """Conditions on the source rows (``src``) that keep every row a grouped slot
        needs: its companies, and the dimension ids of the slots when all masks set one."""
        if len(companies) == 1:
            conditions = [SQL("(src.company_id = %s OR src.company_id IS NULL)", companies[0])]
        else:
            conditions = [SQL("(src.company_id = ANY(%s::integer[]) OR src.company_id IS NULL)",
                              companies)]
        if all(masks):
            alternatives = []
            for mask in masks:
                items = [slot for slot in grouped if slot[SLOT_GMASK] == mask]
                tests = []
                for dim in self._mask_dims(mask):
                    pos = SLOT_DIMS + DIMENSIONS.index(dim)
                    ids = sorted({slot[pos] for slot in items})
                    if len(ids) == 1:
                        tests.append(SQL("src.%s = %s", SQL.identifier(dim), ids[0]))
                    else:
                        tests.append(SQL("src.%s = ANY(%s::integer[])",
                                         SQL.identifier(dim), ids))
                alternatives.append(SQL("(%s)", SQL(" AND ").join(tests)))
            conditions.append(SQL("(%s)", SQL(" OR ").join(alternatives)))
        return conditions

    def _grouping_sets_query(self, companies, masks, group_dims, width, inline=False):
        """One aggregation of the rows for all the grouped slots, ``GROUP BY GROUPING
        SETS ((company, month, dims of a mask), ...)``, each row keyed as a slot is:
        ``SELECT NULL, company, month (day number), mask, *DIMENSIONS[:width] (NULL when
        not grouped), value``. A row of no company counts for every company (as in
        ``_shape_query``)."""
        if len(companies) == 1:
            # one company: a constant outside the aggregation (not a grouping column)
            company, company_key = SQL("%s::integer", companies[0]), []
            join = SQL("")
            where = SQL("") if inline else SQL(
                "WHERE (r.company_id = %s OR r.company_id IS NULL)", companies[0])
        else:
            company, company_key = SQL("g.cid"), [SQL("c.cid")]
            join = SQL(
                "JOIN unnest(%s::integer[]) AS c(cid) "
                "ON (r.company_id = c.cid OR r.company_id IS NULL)", companies,
            )
            where = SQL("")
        columns = {dim: SQL("r.%s", SQL.identifier(dim)) for dim in group_dims}
        sets = SQL(", ").join(
            SQL("(%s)", SQL(", ").join(
                [*company_key, MONTH_SQL, *(columns[dim] for dim in self._mask_dims(mask))]
            ))
            for mask in masks
        )
        if group_dims:
            # GROUPING() of the grouped columns -> the slots' mask of that grouping set
            gmask = SQL("CASE g.gid %s END", SQL(" ").join(
                SQL("WHEN %s THEN %s", self._grouping_id(self._mask_dims(mask), group_dims), mask)
                for mask in masks
            ))
        else:
            gmask = SQL("0")
        # the aggregation returns its narrow rows (PostgreSQL hashes them in memory), the
        # outer query shapes them as slot keys
        return SQL(
            """(SELECT NULL::integer, %(company)s, g.month - %(epoch)s,
                       %(gmask)s%(dims)s, g.value::float8
                  FROM (SELECT %(gid)s AS gid%(cid)s, %(month)s AS month%(columns)s,
                               %(agg)s AS value
                          FROM r %(join)s %(where)s
                      GROUP BY GROUPING SETS (%(sets)s)) AS g)""",
            company=company,
            epoch=EPOCH_SQL,
            dims=SQL("").join(
                SQL(", g.%s", SQL.identifier(dim)) if dim in columns else SQL(", NULL::integer")
                for dim in DIMENSIONS[:width]
            ),
            gmask=gmask,
            gid=SQL("GROUPING(%s)", SQL(", ").join(columns.values())) if columns else SQL("0"),
            cid=SQL(", c.cid") if company_key else SQL(""),
            month=MONTH_SQL,
            columns=SQL("").join(SQL(", %s", col) for col in columns.values()),
            agg=self._aggregate_sql(),
            join=join,
            where=where,
            sets=sets,
        )

    @staticmethod
    def _is_month_period(start, end):
        """Whether ``start``..``end`` (dates, included) is one whole calendar month."""
        if start.day != 1 or start.year != end.year or start.month != end.month:
            return False
        return (end + timedelta(days=1)).day == 1

    def _aggregate_columns(self):
        """Columns of the source rows the measure aggregates."""
        self.ensure_one()
        if self.measure == "count" and SOURCES[self.source].get("unique_ref"):
            return ()
        return {"amount": ("amount",), "quantity": ("quantity",),
                "win_ratio": ("won",)}.get(self.measure, ("ref",))

    def _shape_query(self, dims, has_region, monthly, slots, index):
        """``SELECT idx, value`` of slots (tuples, see ``SLOT_*``) sharing
        their dimensions: equality joins. The slots come as one array per column
        (unnest), not one VALUES tuple each."""
        columns = ["idx", "company_id", "date_from", "date_to", *dims]
        arrays = [
            SQL("%s::integer[]", [index[slot[SLOT_KEY]] for slot in slots]),
            SQL("%s::integer[]", [slot[SLOT_COMPANY] for slot in slots]),
            # ISO strings: psycopg2 adapts them much faster than date objects
            SQL("%s::date[]", [from_day_number(slot[SLOT_FROM]).isoformat() for slot in slots]),
            SQL("%s::date[]", [from_day_number(slot[SLOT_TO]).isoformat() for slot in slots]),
            *(SQL("%s::integer[]", [slot[SLOT_DIMS + DIMENSIONS.index(dim)] for slot in slots])
              for dim in dims),
        ]
        if has_region:
            # a region's countries and states: one row per (slot, region) joined below
            columns.append("region_id")
            arrays.append(SQL("%s::integer[]", [slot[SLOT_REGION] for slot in slots]))
        table = self._unnest_table(columns, arrays)
        conditions = self._slot_conditions(dims, has_region, monthly)
        return SQL(
            "(SELECT t.idx, (%s)::float8 FROM r JOIN %s ON %s GROUP BY t.idx)",
            self._aggregate_sql(), table, SQL(" AND ").join(conditions),
        )

    @api.model
    def _unnest_table(self, columns, arrays):
        """``unnest(arrays) AS t(columns)``: slots sent as one array per column."""
        return SQL(
            "unnest(%s) AS t(%s)", SQL(", ").join(arrays),
            SQL(", ").join(SQL.identifier(col) for col in columns),
        )

    def _slot_conditions(self, dims, has_region, monthly=False):
        """How the source rows ``r`` join the slots ``t`` (columns ``company_id``,
        ``date_from``, ``date_to``, the ``dims`` and, ``has_region``, ``region_id``): a
        row of no company counts for every company, a partner matches its contacts too,
        a region any of its countries or states. ``monthly``: the slots are whole
        calendar months (the month itself is a join key)."""
        conditions = [SQL("(r.company_id = t.company_id OR r.company_id IS NULL)")]
        if monthly:
            conditions.append(SQL("%s = t.date_from", MONTH_SQL))
        else:
            conditions.append(SQL("r.date >= t.date_from AND r.date < t.date_to + 1"))
        for dim in dims:
            if dim == "partner_id":
                conditions.append(SQL(
                    "(r.partner_id = t.partner_id OR r.commercial_partner_id = t.partner_id)"
                ))
            else:
                conditions.append(SQL("r.%s = t.%s", SQL.identifier(dim), SQL.identifier(dim)))
        if has_region:
            region_fields = self.env["sales.region"]._fields
            countries, states = region_fields["country_ids"], region_fields["state_ids"]
            conditions.append(SQL(
                """(r.country_id IN (SELECT %s FROM %s WHERE %s = t.region_id)
                    OR r.state_id IN (SELECT %s FROM %s WHERE %s = t.region_id))""",
                SQL.identifier(countries.column2), SQL.identifier(countries.relation),
                SQL.identifier(countries.column1),
                SQL.identifier(states.column2), SQL.identifier(states.relation),
                SQL.identifier(states.column1),
            ))
        return conditions

    def _distinct_values(self, dimension, slot):
        """Ids of ``dimension`` (e.g. ``user_id``) found in the source rows of ``slot``:
        who or what has history there (one query)."""
        self.ensure_one()
        conditions = [
            SQL("(r.company_id = %s OR r.company_id IS NULL)", slot["company_id"]),
            SQL("r.date >= %s::date AND r.date < %s::date + 1",
                slot["date_from"], slot["date_to"]),
            SQL("r.%s IS NOT NULL", SQL.identifier(dimension)),
        ]
        for dim in DIMENSIONS:
            if slot.get(dim) and dim != "partner_id":
                conditions.append(SQL("r.%s = %s", SQL.identifier(dim), slot[dim]))
        column = "commercial_partner_id" if dimension == "partner_id" else dimension
        self.env.cr.execute(SQL(
            "SELECT DISTINCT r.%s FROM (%s) AS r WHERE %s",
            SQL.identifier(column), self._source_rows_sql(), SQL(" AND ").join(conditions),
        ))
        return [row[0] for row in self.env.cr.fetchall()]

    def _region_domain(self, slot, country_path, state_path):
        if not slot.get("region_id"):
            return []
        region = self.env["sales.region"].sudo().browse(slot["region_id"])
        return ["|", (country_path, "in", region.country_ids.ids),
                (state_path, "in", region.state_ids.ids)]

    def _records_domain(self, slot):
        """Domain on the records behind a slot's actual (drill-down), and their model.

        Returns ``(model, domain)``: sale orders, invoices, opportunities or messages.
        """
        self.ensure_one()
        dt_from = fields.Datetime.to_string(fields.Datetime.to_datetime(slot["date_from"]))
        dt_to = fields.Datetime.to_string(
            fields.Datetime.to_datetime(fields.Date.add(slot["date_to"], days=1))
        )
        company = [("company_id", "in", (slot["company_id"], False))]
        if self.source in ("sale_line", "quotation_line", "first_order"):
            date_field = "quotation_sent_date" if self.source == "quotation_line" \
                else "date_order"
            domain = company + [(date_field, ">=", dt_from), (date_field, "<", dt_to)]
            if self.source == "quotation_line":
                domain.append(("state", "!=", "cancel"))
            else:
                domain.append(("state", "=", "sale"))
            model = "sale.order"
            dims = {
                "user_id": "user_id", "team_id": "team_id", "medium_id": "medium_id",
                "source_id": "source_id", "country_id": "partner_id.commercial_partner_id."
                "country_id", "state_id": "partner_id.commercial_partner_id.state_id",
                "product_id": "order_line.product_id",
                "product_categ_id": "order_line.product_id.categ_id",
            }
            partner = "partner_id"
        elif self.source == "invoice_line":
            model = "account.move"
            domain = company + [
                ("state", "=", "posted"), ("move_type", "in", ("out_invoice", "out_refund")),
                ("invoice_date", ">=", slot["date_from"]), ("invoice_date", "<=", slot["date_to"]),
            ]
            dims = {
                "user_id": "invoice_user_id", "team_id": "team_id", "medium_id": "medium_id",
                "source_id": "source_id",
                "country_id": "partner_id.commercial_partner_id.country_id",
                "state_id": "partner_id.commercial_partner_id.state_id",
                "product_id": "invoice_line_ids.product_id",
                "product_categ_id": "invoice_line_ids.product_id.categ_id",
            }
            partner = "partner_id"
        elif self.source in ("lead_created", "lead_closed"):
            model = "crm.lead"
            date_field = "create_date" if self.source == "lead_created" else "date_closed"
            domain = company + [
                ("type", "=", "opportunity"),
                (date_field, ">=", dt_from), (date_field, "<", dt_to),
                ("active", "in", (True, False)),
            ]
            if self.source == "lead_closed":
                domain += ["|", "&", ("active", "=", True), ("probability", "=", 100),
                           "&", ("active", "=", False), ("probability", "=", 0)]
            dims = {
                "user_id": "user_id", "team_id": "team_id", "medium_id": "medium_id",
                "source_id": "source_id", "country_id": "country_id", "state_id": "state_id",
            }
            partner = "partner_id"
        else:
            model = "mail.message"
            lead_domain = [
                ("company_id", "in", (slot["company_id"], False)),
                ("active", "in", (True, False)),
            ]
            dims = {
                "user_id": "user_id", "team_id": "team_id", "medium_id": "medium_id",
                "source_id": "source_id", "country_id": "country_id", "state_id": "state_id",
            }
            for dim, path in dims.items():
                if slot.get(dim):
                    lead_domain.append((path, "=", slot[dim]))
            lead_domain += self._region_domain(slot, "country_id", "state_id")
            if slot.get("partner_id"):
                lead_domain.append(("partner_id", "child_of", slot["partner_id"]))
            leads = self.env["crm.lead"].with_context(active_test=False)._search(lead_domain)
            domain = [
                ("model", "=", "crm.lead"), ("res_id", "in", leads),
                ("mail_activity_type_id", "!=", False),
                ("date", ">=", dt_from), ("date", "<", dt_to),
            ]
            if self.activity_type_ids:
                domain.append(("mail_activity_type_id", "in", self.activity_type_ids.ids))
            return model, domain
        if self.model_name == model:
            domain += self._get_domain()
        domain += self._region_domain(slot, dims["country_id"], dims["state_id"])
        for dim, path in dims.items():
            if slot.get(dim):
                domain.append((path, "=", slot[dim]))
        if slot.get("partner_id"):
            domain.append((partner, "child_of", slot["partner_id"]))
        return model, domain
