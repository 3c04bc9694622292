# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a sales target measures, and the one place that turns Odoo records into actuals.

A metric reads one *source* (a fixed SQL row set over sale order lines, invoice lines,
opportunities or done activities, each with a date, the dimensions a target can filter on
and the measured values), keeps the rows matching an optional domain on the source model,
and aggregates them with its *measure*. ``_compute_values(slots)`` answers for any number
of (period, dimensions) slots with **one SQL query**: the slots are joined as a VALUES
table, so the query count never grows with the number of targets.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

# Dimensions a target can carry, in the order of the VALUES table of ``_compute_values``.
DIMENSIONS = (
    "user_id", "team_id", "partner_id", "country_id", "state_id",
    "medium_id", "source_id", "product_id", "product_categ_id",
)
PRODUCT_DIMENSIONS = ("product_id", "product_categ_id")

_PARTNER_JOIN = """
    LEFT JOIN res_partner p ON p.id = {partner}
    LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
"""

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
                   so.user_id, so.team_id, so.partner_id, p.commercial_partner_id,
                   cp.country_id, cp.state_id, so.medium_id, so.source_id,
                   l.product_id, pt.categ_id AS product_categ_id,
                   l.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount,
                   l.product_uom_qty AS quantity, so.id AS ref, NULL::boolean AS won
              FROM sale_order_line l
              JOIN sale_order so ON so.id = l.order_id
              """ + _PARTNER_JOIN.format(partner="so.partner_id") + """
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
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
                   so.user_id, so.team_id, so.partner_id, p.commercial_partner_id,
                   cp.country_id, cp.state_id, so.medium_id, so.source_id,
                   l.product_id, pt.categ_id AS product_categ_id,
                   l.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount,
                   l.product_uom_qty AS quantity, so.id AS ref, NULL::boolean AS won
              FROM sale_order_line l
              JOIN sale_order so ON so.id = l.order_id
              """ + _PARTNER_JOIN.format(partner="so.partner_id") + """
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE so.quotation_sent_date IS NOT NULL AND so.state != 'cancel'
               AND l.display_type IS NULL AND {filter}
        """,
    },
    "first_order": {
        "model": "sale.order",
        "rid": "so.id",
        "dimensions": tuple(d for d in DIMENSIONS if d not in PRODUCT_DIMENSIONS),
        "sql": """
            SELECT DISTINCT ON (so.company_id, p.commercial_partner_id)
                   so.id AS rid, so.company_id, so.date_order AS date,
                   so.user_id, so.team_id, so.partner_id, p.commercial_partner_id,
                   cp.country_id, cp.state_id, so.medium_id, so.source_id,
                   NULL::integer AS product_id, NULL::integer AS product_categ_id,
                   0.0 AS amount, 0.0 AS quantity, p.commercial_partner_id AS ref,
                   NULL::boolean AS won
              FROM sale_order so
              """ + _PARTNER_JOIN.format(partner="so.partner_id") + """
             WHERE so.state = 'sale' AND {filter}
          ORDER BY so.company_id, p.commercial_partner_id, so.date_order, so.id
        """,
    },
    "invoice_line": {
        "model": "account.move.line",
        "rid": "aml.id",
        "dimensions": DIMENSIONS,
        "sql": """
            SELECT aml.id AS rid, am.company_id, am.invoice_date AS date,
                   am.invoice_user_id AS user_id, am.team_id, am.partner_id,
                   p.commercial_partner_id, cp.country_id, cp.state_id,
                   am.medium_id, am.source_id,
                   aml.product_id, pt.categ_id AS product_categ_id,
                   -aml.balance AS amount,
                   CASE WHEN am.move_type = 'out_refund' THEN -aml.quantity
                        ELSE aml.quantity END AS quantity,
                   am.id AS ref, NULL::boolean AS won
              FROM account_move_line aml
              JOIN account_move am ON am.id = aml.move_id
              """ + _PARTNER_JOIN.format(partner="am.partner_id") + """
              LEFT JOIN product_product pp ON pp.id = aml.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE am.state = 'posted' AND am.move_type IN ('out_invoice', 'out_refund')
               AND aml.display_type = 'product' AND {filter}
        """,
    },
    "lead_created": {
        "model": "crm.lead",
        "rid": "l.id",
        "dimensions": tuple(d for d in DIMENSIONS if d not in PRODUCT_DIMENSIONS),
        "sql": """
            SELECT l.id AS rid, l.company_id, l.create_date AS date,
                   l.user_id, l.team_id, l.partner_id, p.commercial_partner_id,
                   COALESCE(cp.country_id, l.country_id) AS country_id,
                   COALESCE(cp.state_id, l.state_id) AS state_id,
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
        "dimensions": tuple(d for d in DIMENSIONS if d not in PRODUCT_DIMENSIONS),
        "sql": """
            SELECT l.id AS rid, l.company_id, l.date_closed AS date,
                   l.user_id, l.team_id, l.partner_id, p.commercial_partner_id,
                   COALESCE(cp.country_id, l.country_id) AS country_id,
                   COALESCE(cp.state_id, l.state_id) AS state_id,
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
        "dimensions": tuple(d for d in DIMENSIONS if d not in PRODUCT_DIMENSIONS),
        "sql": """
            SELECT m.id AS rid, l.company_id, m.date,
                   l.user_id, l.team_id, l.partner_id, p.commercial_partner_id,
                   COALESCE(cp.country_id, l.country_id) AS country_id,
                   COALESCE(cp.state_id, l.state_id) AS state_id,
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


class SalesMetric(models.Model):
    _name = "sales.metric"
    _description = "Sales Metric"
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

    def _source_rows_sql(self):
        """SQL of the metric's source rows, the optional domain and activity types applied."""
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
        return SQL(source["sql"].replace("{filter}", "%s"), SQL(" AND ").join(conditions))

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
        result = {slot["key"]: 0.0 for slot in slots}
        if not slots:
            return result
        keys = list(result)
        index = {key: i for i, key in enumerate(keys)}
        # Slots of the same shape (the dimensions they set, a region or not, whole calendar
        # months or not) are matched to the rows by equality, which PostgreSQL hashes: each
        # row meets only its own slots instead of every slot (a nested loop rows × slots).
        shapes = {}
        slots = [
            dict(slot, date_from=fields.Date.to_date(slot["date_from"]),
                 date_to=fields.Date.to_date(slot["date_to"]))
            for slot in slots
        ]
        for slot in slots:
            dims = tuple(dim for dim in DIMENSIONS if slot.get(dim))
            shape = (dims, bool(slot.get("region_id")), self._is_calendar_month(slot))
            shapes.setdefault(shape, []).append(slot)
        branches = [
            self._shape_query(dims, has_region, monthly, shape_slots, index)
            for (dims, has_region, monthly), shape_slots in shapes.items()
        ]
        # only the rows of the slots' whole period are read (once, whatever the shapes),
        # and only the columns the slots use: joins nobody needs are left out by PostgreSQL
        date_from = min(slot["date_from"] for slot in slots)
        date_to = max(slot["date_to"] for slot in slots)
        used = {"company_id", "date", *self._aggregate_columns()}
        for dims, has_region, _monthly in shapes:
            used.update(dims)
            if "partner_id" in dims:
                used.add("commercial_partner_id")
            if has_region:
                used.update(("country_id", "state_id"))
        query = SQL(
            """
            WITH r AS %(materialized)s (
                SELECT %(columns)s FROM (%(rows)s) AS src
                 WHERE src.date >= %(date_from)s::date AND src.date < %(date_to)s::date + 1
            )
            %(branches)s
            """,
            materialized=SQL("MATERIALIZED" if len(branches) > 1 else "NOT MATERIALIZED"),
            columns=SQL(", ").join(SQL("src.%s", SQL.identifier(col)) for col in sorted(used)),
            rows=self._source_rows_sql(),
            date_from=date_from,
            date_to=date_to,
            branches=SQL(" UNION ALL ").join(branches),
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        for idx, value in self.env.cr.fetchall():
            result[keys[idx]] = float(value or 0.0)
        return result

    @staticmethod
    def _is_calendar_month(slot):
        start, end = slot["date_from"], slot["date_to"]
        if start.day != 1 or start.year != end.year or start.month != end.month:
            return False
        return (end + timedelta(days=1)).day == 1

    def _aggregate_columns(self):
        """Columns of the source rows the measure aggregates."""
        self.ensure_one()
        return {"amount": ("amount",), "quantity": ("quantity",),
                "win_ratio": ("won",)}.get(self.measure, ("ref",))

    def _shape_query(self, dims, has_region, monthly, slots, index):
        """``SELECT idx, value`` of slots sharing their dimensions: equality joins. The
        slots come as one array per column (unnest), not one VALUES tuple each."""
        columns = ["idx", "company_id", "date_from", "date_to", *dims]
        arrays = [
            SQL("%s::integer[]", [index[slot["key"]] for slot in slots]),
            SQL("%s::integer[]", [slot["company_id"] for slot in slots]),
            # ISO strings: psycopg2 adapts them much faster than date objects
            SQL("%s::date[]", [slot["date_from"].isoformat() for slot in slots]),
            SQL("%s::date[]", [slot["date_to"].isoformat() for slot in slots]),
            *(SQL("%s::integer[]", [slot[dim] for slot in slots]) for dim in dims),
        ]
        if has_region:
            # a region's countries and states: one row per (slot, region) joined below
            columns.append("region_id")
            arrays.append(SQL("%s::integer[]", [slot["region_id"] for slot in slots]))
        table = SQL(
            "unnest(%s) AS t(%s)", SQL(", ").join(arrays),
            SQL(", ").join(SQL.identifier(col) for col in columns),
        )
        conditions = [SQL("(r.company_id = t.company_id OR r.company_id IS NULL)")]
        if monthly:
            # whole calendar months: the month itself is a join key
            conditions.append(SQL("date_trunc('month', r.date)::date = t.date_from"))
        else:
            conditions.append(SQL("r.date >= t.date_from AND r.date < t.date_to + 1"))
        for dim in dims:
            if dim == "partner_id":
                # a partner matches its contacts too
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
        return SQL(
            "(SELECT t.idx, %s FROM r JOIN %s ON %s GROUP BY t.idx)",
            self._aggregate_sql(), table, SQL(" AND ").join(conditions),
        )

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
