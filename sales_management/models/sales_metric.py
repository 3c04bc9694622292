# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a sales target measures, and the one place that turns Odoo records into actuals.

A metric reads one *source*: rows of sale order lines, invoice lines, opportunities or done
activities, each with a date, the dimensions a target can filter on and the measured values
(``SOURCES``). It keeps the rows matching its optional domain and aggregates them with its
*measure*.

The engine answers for *slots*: a ``Slot`` is a period, a company and optional dimensions
(a target's slot is ``sales.plan.target._slots()``). ``_compute_all({metric: slots})``
computes every slot of every metric with **one SQL query per source**: the metrics reading
the same source share one scan of its rows, each aggregating the rows its own filter keeps
(``FILTER (WHERE ...)``); the opportunities by creation and by closing date are one scan
of the opportunities (``Source.scan``). Inside that query, the slots of whole calendar
months without a customer or region are answered by one ``GROUP BY GROUPING SETS``
aggregation (one grouping set per combination of dimensions the slots use), the others by
joining the rows to the slots by shape. The number of queries never grows with the number of slots.

Repeat customers and retention (source ``repeat_customer``) are sets of customers, not sums
of rows: a customer (commercial partner) is a *repeat customer* of a slot when it has a
confirmed order of the slot's dimensions in the period AND one in the metric's
``lookback_months`` before the period's start (from the start minus N months included, the
start excluded); the *retention rate* is the repeat customers over the customers with an
order in those N months, in %. Their query (``_compute_repeat``, one per source too) joins
each slot to its orders of the period and of the window, per customer, then counts.
"""

import functools
from collections import defaultdict
from datetime import date, timedelta
from typing import NamedTuple

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

# Dimensions a target can carry (the order of ``Slot``'s fields and of GROUPING() bits).
DIMENSIONS = (
    "user_id", "team_id", "partner_id", "country_id", "state_id",
    "medium_id", "source_id", "product_id", "product_categ_id",
)
PRODUCT_DIMENSIONS = ("product_id", "product_categ_id")

# the month of a source row (its date a timestamp or a date: a date is truncated as a
# timestamp, not converted to a timestamp with time zone first)
MONTH_SQL = SQL("date_trunc('month', r.date::timestamp)::date")


# the bit of each of ``DIMENSIONS`` in a grouping mask
_BITS = tuple(1 << i for i in range(len(DIMENSIONS)))


@functools.lru_cache(maxsize=1024)
def _is_month(start, end):
    """Whether ``start``..``end`` is one whole calendar month (cached: the slots of a tree
    share a few dozen periods)."""
    return (start.day == 1 and (start.year, start.month) == (end.year, end.month)
            and (end + timedelta(days=1)).day == 1)


class Slot(NamedTuple):
    """What an actual is computed for: the records of ``company_id`` (and of no company)
    dated ``date_from``..``date_to`` (both included), restricted to the dimensions that
    are set (a customer matches its contacts too; a region any of its countries or
    states). ``key`` is what the caller gets the value back by."""

    key: object
    company_id: int
    date_from: date
    date_to: date
    region_id: int = None
    user_id: int = None
    team_id: int = None
    partner_id: int = None
    country_id: int = None
    state_id: int = None
    medium_id: int = None
    source_id: int = None
    product_id: int = None
    product_categ_id: int = None

    @classmethod
    def of(cls, values):
        """A slot from a mapping (``{"key", "company_id", "date_from", ...}``, dates as
        dates or strings, dimensions as ids or False)."""
        if isinstance(values, cls):
            return values
        get = values.get
        return cls(
            values["key"], values["company_id"] or None,
            fields.Date.to_date(values["date_from"]), fields.Date.to_date(values["date_to"]),
            get("region_id") or None, *(get(dim) or None for dim in DIMENSIONS),
        )

    @property
    def dimensions(self):
        """The dimensions the slot sets, in ``DIMENSIONS`` order."""
        return tuple(dim for dim in DIMENSIONS if getattr(self, dim))

    @property
    def is_month(self):
        """Whether the slot is one whole calendar month."""
        return _is_month(self.date_from, self.date_to)

    @property
    def grouping_mask(self):
        """The bits (``1 << i`` for ``DIMENSIONS[i]``) of the dimensions of a slot the
        GROUPING SETS aggregation answers (a whole month of a company, no customer nor
        region), else None: the slot is joined to the rows."""
        if self.region_id or self.partner_id or not self.company_id or not self.is_month:
            return None
        mask = 0
        for bit, value in zip(_BITS, self[_FIRST_DIMENSION:]):
            if value:
                mask |= bit
        return mask


# the position of ``DIMENSIONS[0]`` in a slot: its dimensions are ``slot[_FIRST_DIMENSION:]``
_FIRST_DIMENSION = Slot._fields.index(DIMENSIONS[0])
assert Slot._fields[_FIRST_DIMENSION:] == DIMENSIONS


class Source(NamedTuple):
    """The rows of a metric source: ``SELECT <columns> FROM <tables> <joins> WHERE
    <where>``. A column is SQL, or ``(SQL, join)`` when it needs one of ``joins``: a
    query joins only what the columns it reads need."""

    model: str  # the model a metric's domain applies to
    rid: str  # the id of the record of ``model`` a row comes from
    tables: str
    where: str
    columns: dict
    joins: dict
    dimensions: tuple = DIMENSIONS
    unique_ref: bool = False  # one row per record counted: "count" is COUNT(*)
    # sources of the same scan read the same rows of the same tables (``where``), theirs
    # those where ``role`` holds: the metrics of all of them share one query
    scan: str = None
    role: str = None


def _partner_columns(partner, fallback=None):
    """The customer's company and its country and state (``fallback``: the record's own
    country/state columns when the customer has none)."""
    country, state = "cp.country_id", "cp.state_id"
    if fallback:
        country, state = f"COALESCE(cp.country_id, {fallback}.country_id)", \
            f"COALESCE(cp.state_id, {fallback}.state_id)"
    return (
        {"partner_id": partner, "commercial_partner_id": ("p.commercial_partner_id", "partner"),
         "country_id": (country, "partner"), "state_id": (state, "partner")},
        {"partner": f"LEFT JOIN res_partner p ON p.id = {partner} "
                    "LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id"},
    )


def _order_lines(date_column, where):
    partner_columns, partner_join = _partner_columns("so.partner_id")
    return Source(
        model="sale.order.line", rid="l.id",
        tables="sale_order_line l JOIN sale_order so ON so.id = l.order_id",
        where=where,
        columns={
            "company_id": "so.company_id", "date": date_column, "user_id": "so.user_id",
            "team_id": "so.team_id", **partner_columns, "medium_id": "so.medium_id",
            "source_id": "so.source_id", "product_id": "l.product_id",
            "product_categ_id": ("pt.categ_id", "product"),
            "amount": "l.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1)",
            "quantity": "l.product_uom_qty", "ref": "so.id",
        },
        joins={**partner_join,
               "product": "LEFT JOIN product_product pp ON pp.id = l.product_id "
                          "LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id"},
    )


def _opportunities(date_column, where, won=None, tables="crm_lead l", rid="l.id",
                   model="crm.lead", amount="l.expected_revenue", ref="l.id", **scan):
    partner_columns, partner_join = _partner_columns("l.partner_id", fallback="l")
    columns = {
        "company_id": "l.company_id", "date": date_column, "user_id": "l.user_id",
        "team_id": "l.team_id", **partner_columns, "medium_id": "l.medium_id",
        "source_id": "l.source_id", "amount": amount, "quantity": "1.0", "ref": ref,
    }
    if won:
        columns["won"] = won
    return Source(
        model=model, rid=rid, tables=tables, where=where, columns=columns,
        joins=partner_join, unique_ref=True,
        dimensions=tuple(d for d in DIMENSIONS if d not in PRODUCT_DIMENSIONS), **scan,
    )


# The opportunities by their two dates, in one scan of the table: each opportunity is a
# row dated on its creation (``created``) and, once won or lost, a row dated on its
# closing (``closed``); the two sources below are one role each.
_LEAD_DATES = """crm_lead l CROSS JOIN LATERAL (VALUES
        ('created', l.create_date),
        ('closed', CASE WHEN (l.active AND l.probability = 100)
                          OR (NOT l.active AND l.probability = 0) THEN l.date_closed END)
    ) AS d(role, date)"""


def _lead_dates(role):
    return _opportunities(
        "d.date", "l.type = 'opportunity' AND d.date IS NOT NULL",
        won="(l.active AND l.probability = 100)", tables=_LEAD_DATES,
        scan="lead_dates", role=f"d.role = '{role}'",
    )


_invoice_partner, _invoice_join = _partner_columns("am.partner_id")

SOURCES = {
    "sale_line": _order_lines(
        "so.date_order",
        "so.state = 'sale' AND l.display_type IS NULL AND NOT COALESCE(l.is_downpayment, FALSE)",
    ),
    "quotation_line": _order_lines(
        "so.quotation_sent_date",
        "so.quotation_sent_date IS NOT NULL AND so.state != 'cancel' "
        "AND l.display_type IS NULL",
    ),
    # the first confirmed order of each customer (its company): a confirmed order with no
    # earlier one (by order date, then id) of the same customer in the same company. Not a
    # DISTINCT ON over every order: the conditions on the rows (a salesperson, a month)
    # reach the orders' scan, and only the orders they keep look for an earlier one.
    "first_order": Source(
        model="sale.order", rid="first.rid",
        tables="""(SELECT so.id AS rid, so.company_id, so.date_order AS date, so.user_id,
                          so.team_id, so.partner_id, p.commercial_partner_id, so.medium_id,
                          so.source_id
                     FROM sale_order so
                     JOIN res_partner p ON p.id = so.partner_id
                    WHERE so.state = 'sale'
                      AND NOT EXISTS (
                          SELECT FROM sale_order prev
                            JOIN res_partner pp ON pp.id = prev.partner_id
                           WHERE prev.state = 'sale'
                             AND pp.commercial_partner_id = p.commercial_partner_id
                             AND prev.company_id = so.company_id
                             AND (prev.date_order, prev.id) < (so.date_order, so.id))
                  ) AS first""",
        where="TRUE",
        columns={
            "company_id": "first.company_id", "date": "first.date",
            "user_id": "first.user_id", "team_id": "first.team_id",
            "partner_id": "first.partner_id",
            "commercial_partner_id": "first.commercial_partner_id",
            "country_id": ("cp.country_id", "partner"), "state_id": ("cp.state_id", "partner"),
            "medium_id": "first.medium_id", "source_id": "first.source_id",
            "amount": "0.0", "quantity": "0.0", "ref": "first.commercial_partner_id",
        },
        joins={"partner": "LEFT JOIN res_partner cp ON cp.id = first.commercial_partner_id"},
        dimensions=tuple(d for d in DIMENSIONS if d not in PRODUCT_DIMENSIONS),
    ),
    # confirmed orders, one row per order: a customer is a repeat customer of a period when
    # it has rows in the period and in the N months before (``_compute_repeat``)
    "repeat_customer": Source(
        model="sale.order", rid="so.id", tables="sale_order so", where="so.state = 'sale'",
        columns={
            "company_id": "so.company_id", "date": "so.date_order", "user_id": "so.user_id",
            "team_id": "so.team_id", **_partner_columns("so.partner_id")[0],
            "medium_id": "so.medium_id", "source_id": "so.source_id",
            "amount": "0.0", "quantity": "0.0", "ref": "so.id",
        },
        joins=_partner_columns("so.partner_id")[1],
        dimensions=tuple(d for d in DIMENSIONS if d not in PRODUCT_DIMENSIONS),
        unique_ref=True,
    ),
    "invoice_line": Source(
        model="account.move.line", rid="aml.id",
        tables="account_move_line aml JOIN account_move am ON am.id = aml.move_id",
        where="am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund') "
              "AND aml.display_type = 'product'",
        columns={
            "company_id": "am.company_id", "date": "am.invoice_date",
            "user_id": "am.invoice_user_id", "team_id": "am.team_id", **_invoice_partner,
            "medium_id": "am.medium_id", "source_id": "am.source_id",
            "product_id": "aml.product_id", "product_categ_id": ("pt.categ_id", "product"),
            "amount": "-aml.balance",
            "quantity": "CASE WHEN am.move_type = 'out_refund' THEN -aml.quantity "
                        "ELSE aml.quantity END",
            "ref": "am.id",
        },
        joins={**_invoice_join,
               "product": "LEFT JOIN product_product pp ON pp.id = aml.product_id "
                          "LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id"},
    ),
    "lead_created": _lead_dates("created"),
    "lead_closed": _lead_dates("closed"),
    "activity": _opportunities(
        "m.date", "m.mail_activity_type_id IS NOT NULL",
        tables="mail_message m JOIN crm_lead l ON m.model = 'crm.lead' AND m.res_id = l.id",
        rid="m.id", model="mail.message", amount="0.0", ref="m.id",
    ),
}


# measures that are rates of their rows: they never add up over periods nor plans
RATIO_MEASURES = ("win_ratio", "retention_ratio")


def _width(masks):
    """How many dimensions a grouped slot's key carries: up to the last one a mask sets."""
    return max(masks).bit_length() if masks else 0


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
            ("repeat_customer", "Customers ordering in the period and in the N months "
                                "before (confirmed orders, by order date)"),
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
            ("retention_ratio", "Repeat customers / customers of the N months before, in %"),
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
    lookback_months = fields.Integer(
        string="Repeat Window (months)",
        default=12,
        help="For repeat customer metrics: a customer who ordered in the period is a "
        "repeat customer when it also ordered in these months before the period's start.",
    )
    is_additive = fields.Boolean(
        compute="_compute_is_additive",
        help="Additive metrics add up over periods and down the plan hierarchy.",
    )

    @api.depends("source")
    def _compute_model_name(self):
        for metric in self:
            metric.model_name = SOURCES[metric.source].model if metric.source else False

    @api.depends("measure")
    def _compute_is_additive(self):
        for metric in self:
            metric.is_additive = metric.measure not in RATIO_MEASURES

    @api.constrains("source", "measure", "unit", "domain", "lookback_months")
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
            if (metric.measure == "retention_ratio") != (
                    metric.source == "repeat_customer" and metric.measure != "count"):
                raise ValidationError(self.env._(
                    "Metric %(name)s: repeat customers are counted or measured as a "
                    "retention rate, and only they.", name=metric.name,
                ))
            if metric.measure == "retention_ratio" and metric.unit != "percent":
                raise ValidationError(self.env._(
                    "Metric %(name)s: a retention rate is expressed in percent.",
                    name=metric.name,
                ))
            if metric.source == "repeat_customer" and not 1 <= metric.lookback_months <= 120:
                raise ValidationError(self.env._(
                    "Metric %(name)s: the repeat window is 1 to 120 months.",
                    name=metric.name,
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
        return SOURCES[self.source].dimensions

    # ------------------------------------------------------------------ engine
    def _row_filter(self):
        """The condition a row of the source meets to count for this metric (its domain,
        its activity types), as SQL on the source's tables; None when every row counts."""
        self.ensure_one()
        source = SOURCES[self.source]
        conditions = []
        domain = self._get_domain()
        if domain:
            query = self.env[source.model].sudo().with_context(active_test=False)._search(
                domain)
            conditions.append(SQL("%s IN %s", SQL(source.rid), query.subselect()))
        if self.source == "activity" and self.activity_type_ids:
            conditions.append(
                SQL("m.mail_activity_type_id = ANY(%s)", list(self.activity_type_ids.ids)))
        return SQL(" AND ").join(conditions) if conditions else None

    @api.model
    def _rows_sql(self, source_name, used, flags=(), conditions=(), whole_scan=False):
        """``SELECT`` of the rows of a source: the columns ``used`` (NULL where the
        source has none, e.g. a product on an opportunity), with only the joins they
        need, then one boolean column ``f<i>`` per SQL condition of ``flags``; the rows
        restricted by ``conditions`` (SQL on the source's tables). ``whole_scan``: the
        rows of every source of its scan (``Source.scan``), not of its role only."""
        source = SOURCES[source_name]
        if source.role and not whole_scan:
            conditions = [SQL(source.role), *conditions]
        columns, joins = [], set()
        for name in sorted(used):
            expr = source.columns.get(name)
            if isinstance(expr, tuple):
                expr, join = expr
                joins.add(join)
            if expr is None:
                expr = "NULL::boolean" if name == "won" else "NULL::integer"
            columns.append(SQL("%s AS %s", SQL(expr), SQL.identifier(name)))
        columns += [
            SQL("COALESCE(%s, FALSE) AS %s", flag, SQL.identifier(f"f{i}"))
            for i, flag in enumerate(flags)
        ]
        return SQL(
            "SELECT %s FROM %s %s WHERE %s",
            SQL(", ").join(columns), SQL(source.tables),
            SQL(" ").join(SQL(sql) for name, sql in source.joins.items() if name in joins),
            SQL(" AND ").join([SQL(source.where), *conditions]),
        )

    def _source_rows_sql(self):
        """Every column of the metric's rows (those its filter keeps): what the alerts'
        gap contributors and ``_distinct_values`` aggregate on their own."""
        self.ensure_one()
        flag = self._row_filter()
        used = {"company_id", "date", "commercial_partner_id", "amount", "quantity", "ref",
                "won", *DIMENSIONS}
        return self._rows_sql(self.source, used, conditions=[flag] if flag else [])

    def _aggregate_sql(self, flag=None):
        """The measure over the rows ``r`` (those where ``flag``, SQL, holds)."""
        self.ensure_one()

        def over(expression, condition=flag):
            if condition is None:
                return SQL(expression)
            return SQL("%s FILTER (WHERE %s)", SQL(expression), condition)

        if self.measure == "amount":
            return over("SUM(r.amount)")
        if self.measure == "quantity":
            return over("SUM(r.quantity)")
        if self.measure == "win_ratio":
            won = SQL("r.won AND %s", flag) if flag else SQL("r.won")
            return SQL("100.0 * %s / NULLIF(%s, 0)", over("COUNT(*)", won), over("COUNT(*)"))
        if SOURCES[self.source].unique_ref:
            return over("COUNT(*)")
        return over("COUNT(DISTINCT r.ref)")

    def _aggregate_columns(self):
        """Columns of the source rows the measure aggregates."""
        self.ensure_one()
        if self.measure == "count" and SOURCES[self.source].unique_ref:
            return ()
        return {"amount": ("amount",), "quantity": ("quantity",),
                "win_ratio": ("won",)}.get(self.measure, ("ref",))

    def _compute_values(self, slots):
        """Actual values of this metric for many slots (``Slot`` or mappings, see
        ``Slot.of``), in one SQL query: ``{slot key: value}``."""
        self.ensure_one()
        return self._compute_all({self: slots})[self.id]

    @api.model
    def _compute_all(self, slots_by_metric):
        """Actual values of many metrics for many slots, ``{metric: slots}`` →
        ``{metric id: {slot key: value}}`` (0.0 for a slot without any row), with one
        SQL query per source: the metrics reading the same rows share the query."""
        result = {metric.id: {} for metric in slots_by_metric}
        by_scan = defaultdict(list)
        for metric, slots in slots_by_metric.items():
            if slots:
                scan = SOURCES[metric.source].scan or metric.source
                by_scan[scan].append((metric, [Slot.of(slot) for slot in slots]))
        for scan, entries in by_scan.items():
            if scan == "repeat_customer":
                result.update(self._compute_repeat(entries))
            else:
                result.update(self._compute_source(entries))
        return result

    @api.model
    def _compute_repeat(self, entries):
        """``_compute_all`` for the repeat customer metrics, ``entries`` = ``[(metric,
        [Slot])]``: one query. Each distinct slot is joined to its orders (its company,
        customer, region and dimensions) from the start of its longest window to its end;
        per slot and customer, whether it ordered in the period (``cur``) and in each
        metric's window (``prev``: from the start minus N months, included, to the start,
        excluded); per slot, the repeat customers (both) or the retention (both / prev)."""
        metrics = [metric for metric, _slots in entries]
        flags = [metric._row_filter() for metric in metrics]
        distinct, joined = {}, []
        shapes = defaultdict(list)  # (dims, has region) -> [(index, slot)]
        for i, (_metric, slots) in enumerate(entries):
            for slot in slots:
                idx = distinct.get(slot[1:])
                if idx is None:
                    idx = distinct[slot[1:]] = len(distinct)
                    shapes[(slot.dimensions, bool(slot.region_id))].append((idx, slot))
                joined.append((i, slot.key, idx))
        longest = max(metric.lookback_months for metric in metrics)
        since = SQL("t.date_from - make_interval(months => %s)", longest)
        per_customer, aggregates = [], []
        for i, (metric, flag) in enumerate(zip(metrics, flags)):
            kept = SQL(" AND r.%s", SQL.identifier(f"f{i}")) if flag else SQL("")
            per_customer += [
                SQL("bool_or(r.date >= t.date_from%s) AS %s", kept,
                    SQL.identifier(f"cur{i}")),
                SQL("bool_or(r.date < t.date_from AND r.date >= t.date_from - "
                    "make_interval(months => %s)%s) AS %s", metric.lookback_months, kept,
                    SQL.identifier(f"prev{i}")),
            ]
            both = SQL("COUNT(*) FILTER (WHERE c.%s AND c.%s)", SQL.identifier(f"cur{i}"),
                       SQL.identifier(f"prev{i}"))
            if metric.measure == "retention_ratio":
                aggregates.append(SQL("100.0 * %s / NULLIF(COUNT(*) FILTER (WHERE c.%s), 0)",
                                      both, SQL.identifier(f"prev{i}")))
            else:
                aggregates.append(both)
        branches = []
        used = {"company_id", "date", "commercial_partner_id"}
        for (dims, has_region), items in shapes.items():
            used.update(dims)
            if has_region:
                used.update(("country_id", "state_id"))
            columns = ["idx", "company_id", "date_from", "date_to", *dims]
            slots = [slot for _idx, slot in items]
            arrays = [
                SQL("%s::integer[]", [idx for idx, _slot in items]),
                SQL("%s::integer[]", [slot.company_id for slot in slots]),
                SQL("%s::date[]", [slot.date_from.isoformat() for slot in slots]),
                SQL("%s::date[]", [slot.date_to.isoformat() for slot in slots]),
                *(SQL("%s::integer[]", [getattr(slot, dim) for slot in slots])
                  for dim in dims),
            ]
            if has_region:
                columns.append("region_id")
                arrays.append(SQL("%s::integer[]", [slot.region_id for slot in slots]))
            branches.append(SQL(
                """(SELECT c.idx, %s FROM (
                        SELECT t.idx, %s FROM r JOIN %s ON %s
                         WHERE r.commercial_partner_id IS NOT NULL
                      GROUP BY t.idx, r.commercial_partner_id) AS c GROUP BY c.idx)""",
                SQL(", ").join(SQL("(%s)::float8", agg) for agg in aggregates),
                SQL(", ").join(per_customer),
                self._unnest_table(columns, arrays),
                SQL(" AND ").join(self._slot_conditions(dims, has_region, since=since)),
            ))
        all_slots = [slot for _metric, slots in entries for slot in slots]
        start = min(slot.date_from for slot in all_slots)
        conditions = [SQL(
            "src.date >= %s::date - make_interval(months => %s) AND src.date < %s::date + 1",
            start, longest, max(slot.date_to for slot in all_slots),
        )]
        if all(flags):
            conditions.append(SQL("(%s)", SQL(" OR ").join(
                SQL("src.%s", SQL.identifier(f"f{i}")) for i in range(len(flags)))))
        query = SQL(
            "WITH r AS %s (SELECT * FROM (%s) AS src WHERE %s) %s",
            SQL("MATERIALIZED" if len(branches) > 1 else "NOT MATERIALIZED"),
            self._rows_sql("repeat_customer", used,
                           flags=[flag or SQL("TRUE") for flag in flags] if any(flags) else []),
            SQL(" AND ").join(conditions),
            SQL(" UNION ALL ").join(branches),
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        by_index = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        result = {metric.id: {} for metric in metrics}
        for i, key, idx in joined:
            values = by_index.get(idx)
            result[metrics[i].id][key] = (values[i] or 0.0) if values else 0.0
        return result

    @api.model
    def _compute_source(self, entries):
        """``_compute_all`` for the metrics of one source (or of the sources of one
        scan, each metric then counting its source's rows), ``entries`` = ``[(metric,
        [Slot])]``: one query, ``WITH r AS (the rows) <grouped branch> UNION ALL <one
        branch per slot shape>``. Each branch returns ``(idx, *group key, v0, v1, ...)``:
        one value per metric. The grouped branch (``idx`` NULL) is keyed as a grouped slot
        is (``group_key``); a shape branch by the index of a distinct joined slot."""
        metrics = [metric for metric, _slots in entries]
        source = metrics[0].source
        flags = [metric._row_filter() for metric in metrics]
        # metrics of several sources of one scan: the rows of them all, each metric
        # counting those of its own source (its role, then its filter)
        whole_scan = len({metric.source for metric in metrics}) > 1
        if whole_scan:
            flags = [SQL(" AND ").join(filter(None, [SQL(SOURCES[metric.source].role), flag]))
                     for metric, flag in zip(metrics, flags)]
        aggregates = [
            metric._aggregate_sql(SQL("r.%s", SQL.identifier(f"f{i}")) if flag else None)
            for i, (metric, flag) in enumerate(zip(metrics, flags))
        ]
        grouped = []  # (metric index, slot, grouping mask)
        joined = []  # (metric index, slot key, index of the distinct slot)
        shapes = defaultdict(list)  # (dims, has region, whole month) -> [(index, slot)]
        distinct = {}
        for i, (_metric, slots) in enumerate(entries):
            for slot in slots:
                mask = slot.grouping_mask
                if mask is not None:
                    grouped.append((i, slot, mask))
                    continue
                idx = distinct.get(slot[1:])  # the same slot (but its key) is read once
                if idx is None:
                    idx = distinct[slot[1:]] = len(distinct)
                    shapes[(slot.dimensions, bool(slot.region_id), slot.is_month)].append(
                        (idx, slot))
                joined.append((i, slot.key, idx))
        masks = sorted({mask for _i, _slot, mask in grouped})
        width = _width(masks)
        group_dims = [dim for i, dim in enumerate(DIMENSIONS) if any(m & 1 << i for m in masks)]
        companies = sorted({slot.company_id for _i, slot, _mask in grouped})
        branches = []
        if grouped:
            branches.append(self._grouping_sets_sql(
                companies, masks, group_dims, width, aggregates, inline=not shapes))
        pad = [SQL("NULL::integer"), SQL("NULL::text"), SQL("NULL::integer"),
               *(SQL("NULL::integer") for _dim in range(width))] if grouped else []
        for (dims, has_region, monthly), items in shapes.items():
            branches.append(self._shape_sql(dims, has_region, monthly, items, aggregates, pad))
        # the rows of the slots' whole period, only the columns the slots use
        used = {"company_id", "date", *group_dims}
        for metric in metrics:
            used.update(metric._aggregate_columns())
        for dims, has_region, _monthly in shapes:
            used.update(dims)
            if "partner_id" in dims:
                used.add("commercial_partner_id")
            if has_region:
                used.update(("country_id", "state_id"))
        all_slots = [slot for _metric, slots in entries for slot in slots]
        conditions = [SQL(
            "src.date >= %s::date AND src.date < %s::date + 1",
            min(slot.date_from for slot in all_slots), max(slot.date_to for slot in all_slots),
        )]
        if grouped and not shapes:
            conditions += self._grouped_filters([slot for _i, slot, _m in grouped],
                                                companies, masks)
        if all(flags):  # rows no metric counts are left out
            conditions.append(SQL("(%s)", SQL(" OR ").join(
                SQL("src.%s", SQL.identifier(f"f{i}")) for i in range(len(flags)))))
        query = SQL(
            """WITH r AS %s (SELECT * FROM (%s) AS src WHERE %s) %s""",
            SQL("MATERIALIZED" if len(branches) > 1 else "NOT MATERIALIZED"),
            self._rows_sql(source, used, flags=[flag or SQL("TRUE") for flag in flags]
                           if any(flags) else [], whole_scan=whole_scan),
            SQL(" AND ").join(conditions),
            SQL(" UNION ALL ").join(branches),
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        found, by_index = {}, {}
        start = len(pad) + 1
        for row in self.env.cr.fetchall():
            if row[0] is None:
                found[row[1:start]] = row[start:]
            else:
                by_index[row[0]] = row[start:]
        result = {metric.id: {} for metric in metrics}
        for i, slot, mask in grouped:
            values = found.get(self._group_key(slot, mask, width))
            result[metrics[i].id][slot.key] = (values[i] or 0.0) if values else 0.0
        for i, key, idx in joined:
            values = by_index.get(idx)
            result[metrics[i].id][key] = (values[i] or 0.0) if values else 0.0
        return result

    @staticmethod
    def _group_key(slot, mask, width):
        """What the grouped branch keys a slot's row by: company, month (ISO text: cheaper
        to read than dates), grouping mask and the first ``width`` dimensions (None where
        the slot sets none)."""
        return (slot.company_id, slot.date_from.isoformat(), mask,
                *slot[_FIRST_DIMENSION:_FIRST_DIMENSION + width])

    @staticmethod
    def _grouping_id(dims, group_dims):
        """``GROUPING(*group_dims)`` of the grouping set of ``dims``: a bit per column
        (the first one the most significant), set when the column is not grouped."""
        width = len(group_dims)
        return sum(1 << (width - 1 - i) for i, dim in enumerate(group_dims) if dim not in dims)

    @staticmethod
    def _mask_dims(mask):
        return tuple(dim for i, dim in enumerate(DIMENSIONS) if mask & 1 << i)

    def _grouped_filters(self, slots, companies, masks):
        """Conditions on the source rows (``src``) that keep every row the grouped
        ``slots`` need: their companies, and the dimension ids of the slots when all masks
        set one (indexes apply: one salesperson's targets do not read the whole company)."""
        if len(companies) == 1:
            conditions = [SQL("(src.company_id = %s OR src.company_id IS NULL)", companies[0])]
        else:
            conditions = [SQL("(src.company_id = ANY(%s::integer[]) OR src.company_id IS NULL)",
                              companies)]
        if all(masks):
            alternatives = []
            for mask in masks:
                items = [slot for slot in slots if slot.grouping_mask == mask]
                tests = []
                for dim in self._mask_dims(mask):
                    ids = sorted({getattr(slot, dim) for slot in items})
                    tests.append(SQL("src.%s = ANY(%s::integer[])", SQL.identifier(dim), ids))
                alternatives.append(SQL("(%s)", SQL(" AND ").join(tests)))
            conditions.append(SQL("(%s)", SQL(" OR ").join(alternatives)))
        return conditions

    def _grouping_sets_sql(self, companies, masks, group_dims, width, aggregates, inline):
        """One aggregation of the rows for all the grouped slots, ``GROUP BY GROUPING
        SETS ((company, month, dims of a mask), ...)``: ``SELECT NULL, company, month,
        mask, *DIMENSIONS[:width] (NULL when not grouped), v0, v1...``. A row of no
        company counts for every company (as in ``_slot_conditions``)."""
        if len(companies) == 1:
            # one company: a constant outside the aggregation (not a grouping column)
            company, company_key, join = SQL("%s::integer", companies[0]), [], SQL("")
            where = SQL("") if inline else SQL(
                "WHERE (r.company_id = %s OR r.company_id IS NULL)", companies[0])
        else:
            company, company_key = SQL("g.cid"), [SQL("c.cid")]
            join = SQL("JOIN unnest(%s::integer[]) AS c(cid) "
                       "ON (r.company_id = c.cid OR r.company_id IS NULL)", companies)
            where = SQL("")
        columns = {dim: SQL("r.%s", SQL.identifier(dim)) for dim in group_dims}
        sets = SQL(", ").join(
            SQL("(%s)", SQL(", ").join(
                [*company_key, MONTH_SQL, *(columns[dim] for dim in self._mask_dims(mask))]))
            for mask in masks
        )
        # GROUPING() of the grouped columns -> the mask of the slots of that grouping set
        gmask = SQL("CASE g.gid %s END", SQL(" ").join(
            SQL("WHEN %s THEN %s", self._grouping_id(self._mask_dims(mask), group_dims), mask)
            for mask in masks
        )) if group_dims else SQL("0")
        names = [SQL.identifier(f"v{i}") for i in range(len(aggregates))]
        return SQL(
            """(SELECT NULL::integer, %(company)s, g.month::text, %(gmask)s%(dims)s, %(values)s
                  FROM (SELECT %(gid)s AS gid%(cid)s, %(month)s AS month%(columns)s,
                               %(aggregates)s
                          FROM r %(join)s %(where)s
                      GROUP BY GROUPING SETS (%(sets)s)) AS g)""",
            company=company,
            gmask=gmask,
            dims=SQL("").join(
                SQL(", g.%s", SQL.identifier(dim)) if dim in columns else SQL(", NULL::integer")
                for dim in DIMENSIONS[:width]
            ),
            values=SQL(", ").join(SQL("g.%s::float8", name) for name in names),
            gid=SQL("GROUPING(%s)", SQL(", ").join(columns.values())) if columns else SQL("0"),
            cid=SQL(", c.cid") if company_key else SQL(""),
            month=MONTH_SQL,
            columns=SQL("").join(SQL(", %s", col) for col in columns.values()),
            aggregates=SQL(", ").join(
                SQL("%s AS %s", aggregate, name) for aggregate, name in zip(aggregates, names)),
            join=join,
            where=where,
            sets=sets,
        )

    def _shape_sql(self, dims, has_region, monthly, items, aggregates, pad):
        """``SELECT idx, *pad, v0, v1...`` of the distinct slots ``items`` (``[(idx,
        Slot)]``) sharing their dimensions: the rows joined to the slots, sent as one
        array per column (unnest)."""
        slots = [slot for _idx, slot in items]
        columns = ["idx", "company_id", "date_from", "date_to", *dims]
        arrays = [
            SQL("%s::integer[]", [idx for idx, _slot in items]),
            SQL("%s::integer[]", [slot.company_id for slot in slots]),
            SQL("%s::date[]", [slot.date_from.isoformat() for slot in slots]),
            SQL("%s::date[]", [slot.date_to.isoformat() for slot in slots]),
            *(SQL("%s::integer[]", [getattr(slot, dim) for slot in slots]) for dim in dims),
        ]
        if has_region:
            columns.append("region_id")
            arrays.append(SQL("%s::integer[]", [slot.region_id for slot in slots]))
        return SQL(
            "(SELECT t.idx%s, %s FROM r JOIN %s ON %s GROUP BY t.idx)",
            SQL("").join(SQL(", %s", column) for column in pad),
            SQL(", ").join(SQL("(%s)::float8", aggregate) for aggregate in aggregates),
            self._unnest_table(columns, arrays),
            SQL(" AND ").join(self._slot_conditions(dims, has_region, monthly)),
        )

    @api.model
    def _unnest_table(self, columns, arrays):
        """``unnest(arrays) AS t(columns)``: slots sent as one array per column."""
        return SQL(
            "unnest(%s) AS t(%s)", SQL(", ").join(arrays),
            SQL(", ").join(SQL.identifier(col) for col in columns),
        )

    def _slot_conditions(self, dims, has_region, monthly=False, since=None):
        """How the source rows ``r`` join the slots ``t`` (columns ``company_id``,
        ``date_from``, ``date_to``, the ``dims`` and, ``has_region``, ``region_id``): a
        row of no company counts for every company, a partner matches its contacts too,
        a region any of its countries or states. ``monthly``: the slots are whole
        calendar months (the month itself is a join key). ``since``: SQL of the first
        instant of the rows instead of the slot's start (the repeat customers' window)."""
        conditions = [SQL("(r.company_id = t.company_id OR r.company_id IS NULL)")]
        if since is not None:
            conditions.append(SQL("r.date >= %s AND r.date < t.date_to + 1", since))
        elif monthly:
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
        slot = Slot.of(slot)
        conditions = [
            SQL("(r.company_id = %s OR r.company_id IS NULL)", slot.company_id),
            SQL("r.date >= %s::date AND r.date < %s::date + 1", slot.date_from, slot.date_to),
            SQL("r.%s IS NOT NULL", SQL.identifier(dimension)),
        ]
        for dim in slot.dimensions:
            if dim != "partner_id":
                conditions.append(SQL("r.%s = %s", SQL.identifier(dim), getattr(slot, dim)))
        column = "commercial_partner_id" if dimension == "partner_id" else dimension
        self.env.flush_all()
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
        if self.source in ("sale_line", "quotation_line", "first_order", "repeat_customer"):
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
        if self.source == "repeat_customer":
            domain = self._repeat_domain(domain, slot, dt_from)
        return model, domain

    def _repeat_domain(self, domain, slot, dt_from):
        """The orders of the period (``domain``) of the customers that also have an order
        of the slot in the metric's window (``_compute_repeat``): the repeat customers'
        orders of the period."""
        since = fields.Datetime.to_string(fields.Datetime.to_datetime(
            fields.Date.subtract(fields.Date.to_date(slot["date_from"]),
                                 months=self.lookback_months)))
        window = [
            ("date_order", ">=", since) if leaf[:2] == ("date_order", ">=") else
            ("date_order", "<", dt_from) if leaf[:2] == ("date_order", "<") else leaf
            for leaf in (tuple(item) if isinstance(item, list) else item for item in domain)
        ]
        orders = self.env["sale.order"].sudo().with_context(active_test=False)
        customers = orders.search(window).partner_id.commercial_partner_id
        return domain + [("partner_id.commercial_partner_id", "in", customers.ids)]
