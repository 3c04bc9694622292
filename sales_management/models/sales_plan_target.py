# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A target of a sales plan: a metric, a period, optional dimensions and a value.

``_get_figures()`` is the one method that computes the live figures of a recordset of
targets in batch (actual, expected to date, achievement, pace, variance, health): one SQL
query per metric over all the targets, whatever their number. Later features (deviation
alerts, reporting) read these figures through it or through the computed fields.
"""

import calendar
import json
from datetime import date, timedelta
from operator import itemgetter

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount, formatLang
from odoo.tools.safe_eval import safe_eval

from .res_company import HEALTH, PACE_HEALTH, sales_health
from .sales_input_guard import (
    check_input,
    check_vals,
    month_start,
    normalize_seasonality,
    readable_seasonality,
)
from .sales_metric import (
    DIMENSIONS,
    EPOCH_SQL,
    SLOT_COMPANY,
    SLOT_FROM,
    SLOT_GMASK,
    SLOT_REGION,
    SLOT_TO,
    day_number,
    from_day_number,
)

# live figures the pivot, graph and grouped lists can add up (see ``_read_group``)
LIVE_SUMS = ("actual_value", "expected_to_date", "variance")
# columns of ``_figure_rows``: the computation slot with its grouping mask first
# (``sales.metric``'s SLOT_*, see ``_compute_masked_values``; days as day numbers)
FIGURE_COLUMNS = (
    "id", "company_id", "date_from", "gmask", *DIMENSIONS, "date_to", "region_id",
    "metric_id", "target_value", "seasonality", "snapshot", "header",
)
assert DIMENSIONS[:2] == ("user_id", "team_id")  # the two the plan scope narrows
assert FIGURE_COLUMNS.index("gmask") == SLOT_GMASK
assert FIGURE_COLUMNS.index("date_to") == SLOT_TO
assert FIGURE_COLUMNS.index("region_id") == SLOT_REGION
F_COMPANY, F_DATE_FROM, F_DATE_TO = SLOT_COMPANY, SLOT_FROM, SLOT_TO
F_METRIC, F_TARGET_VALUE, F_SEASONALITY, F_SNAPSHOT, F_HEADER = range(
    SLOT_REGION + 1, SLOT_REGION + 6)
# the metrics' definition read with the targets (see ``_actuals_from_rows``)
METRIC_DEFINITION = ("measure", "source", "domain")
LOCKED_FIELDS = {
    "plan_id", "metric_id", "date_from", "date_to", "target_value", "seasonality",
    "region_id", *DIMENSIONS,
}


class SalesPlanTarget(models.Model):
    _name = "sales.plan.target"
    _description = "Sales Plan Target"
    _inherit = [
        "sales.link.guard.mixin", "sales.workflow.guard.mixin", "sales.input.guard.mixin",
        "sales.task.rollup.mixin",
    ]
    _link_guard_fields = {"plan_id": "write"}
    # the actual frozen when the plan is closed (``sales.plan.action_close``)
    _workflow_fields = frozenset({"is_snapshot", "snapshot_value"})
    _order = "plan_id, sequence, date_from, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        comodel_name="sales.plan", required=True, index=True, ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status")
    metric_id = fields.Many2one(
        comodel_name="sales.metric", required=True, ondelete="restrict",
        check_company=True,
    )
    metric_unit = fields.Selection(related="metric_id.unit")
    metric_kind = fields.Selection(related="metric_id.kind", store=True)
    date_from = fields.Date(
        string="Start", required=True, compute="_compute_dates", store=True,
        readonly=False, precompute=True,
    )
    date_to = fields.Date(
        string="End", required=True, compute="_compute_dates", store=True,
        readonly=False, precompute=True,
    )
    # dimensions
    user_id = fields.Many2one(comodel_name="res.users", string="Salesperson")
    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team", check_company=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", check_company=True,
        help="The customer and its contacts.",
    )
    country_id = fields.Many2one(comodel_name="res.country", string="Country")
    state_id = fields.Many2one(
        comodel_name="res.country.state", string="Region",
        domain="[('country_id', '=?', country_id)]",
    )
    region_id = fields.Many2one(
        comodel_name="sales.region", string="Sales Region", check_company=True,
        help="A group of countries and regions (states).",
    )
    medium_id = fields.Many2one(comodel_name="utm.medium", string="Medium")
    source_id = fields.Many2one(comodel_name="utm.source", string="Source")
    product_id = fields.Many2one(
        comodel_name="product.product", string="Product", check_company=True
    )
    product_categ_id = fields.Many2one(
        comodel_name="product.category", string="Product Category"
    )
    is_breakdown = fields.Boolean(
        compute="_compute_is_breakdown", store=True,
        help="The target details its plan by customer, region, channel, product or "
        "another salesperson/team: it is not added to the plan's headline figure.",
    )
    target_value = fields.Float(string="Target", required=True, default=0.0)
    seasonality = fields.Json(
        copy=True,
        help="Share of the target expected in each month ({'YYYY-MM': share}), from the "
        "history the target was generated from. Empty: evenly over the period.",
    )
    snapshot_value = fields.Float(
        readonly=True, copy=False,
        help="Actual frozen when the plan was closed.",
    )
    is_snapshot = fields.Boolean(readonly=True, copy=False)
    seasonality_warning = fields.Char(
        compute="_compute_seasonality_warning",
        help="Set when the stored seasonality is not a valid one (data from before the "
        "input guard): the figures then spread the target evenly over its period.",
    )
    actual_value = fields.Float(string="Actual", compute="_compute_figures", aggregator="sum")
    expected_to_date = fields.Float(
        compute="_compute_figures",
        aggregator="sum",
        help="The target prorated by the time elapsed, weighted by seasonality when the "
        "target was generated from history.",
    )
    achievement = fields.Float(compute="_compute_figures", help="Actual / target, in %.")
    pace = fields.Float(compute="_compute_figures", help="Actual / expected to date, in %.")
    variance = fields.Float(
        compute="_compute_figures", aggregator="sum", help="Actual minus expected to date."
    )
    health = fields.Selection(selection=HEALTH, compute="_compute_figures")

    @api.depends("plan_id.date_from", "plan_id.date_to")
    def _compute_dates(self):
        for target in self:
            if not target.date_from:
                target.date_from = target.plan_id.date_from
            if not target.date_to:
                target.date_to = target.plan_id.date_to

    @api.depends(
        "partner_id", "country_id", "state_id", "medium_id", "source_id", "product_id",
        "product_categ_id", "user_id", "team_id", "region_id", "plan_id.scope", "plan_id.user_id",
        "plan_id.team_id",
    )
    def _compute_is_breakdown(self):
        for target in self:
            scope = target.plan_id._scope_dimensions() if target.plan_id else {}
            target.is_breakdown = bool(target.region_id) or any(
                target[dim] for dim in DIMENSIONS if dim not in ("user_id", "team_id")
            ) or bool(target.user_id and target.user_id.id != scope.get("user_id")) or bool(
                target.team_id and target.team_id.id != scope.get("team_id")
            )

    @api.depends_context("today")
    @api.depends(
        "metric_id", "date_from", "date_to", "target_value", "seasonality", "is_snapshot",
        "snapshot_value", "region_id", *DIMENSIONS,
    )
    def _compute_figures(self):
        figures = self._get_figures()
        for target in self:
            target.update(figures[target.id])

    # ------------------------------------------------------------------ constraints
    @api.constrains("date_from", "date_to", "plan_id")
    def _check_dates(self):
        for target in self:
            if target.date_from > target.date_to:
                raise ValidationError(self.env._(
                    "Target %(name)s: the start date must be on or before the end date.",
                    name=target.display_name,
                ))
            plan = target.plan_id
            if target.date_from < plan.date_from or target.date_to > plan.date_to:
                raise ValidationError(self.env._(
                    "Target %(name)s (%(start)s to %(end)s) lies outside its plan "
                    "(%(pstart)s to %(pend)s).",
                    name=target.display_name, start=target.date_from, end=target.date_to,
                    pstart=plan.date_from, pend=plan.date_to,
                ))

    @api.constrains("target_value")
    def _check_target_value(self):
        for target in self:
            if target.target_value < 0:
                raise ValidationError(self.env._(
                    "Target %(name)s: a target cannot be negative.", name=target.display_name
                ))
            if target.metric_id.unit == "percent" and target.target_value > 100:
                raise ValidationError(self.env._(
                    "Target %(name)s: a percentage target cannot exceed 100.",
                    name=target.display_name,
                ))

    @api.constrains("metric_id", *DIMENSIONS, "plan_id")
    def _check_dimensions(self):
        for target in self:
            supported = target.metric_id._supported_dimensions()
            for dim in DIMENSIONS:
                if target[dim] and dim not in supported:
                    raise ValidationError(self.env._(
                        "The metric %(metric)s cannot be broken down by %(dimension)s.",
                        metric=target.metric_id.name,
                        dimension=target._fields[dim].get_description(self.env)["string"],
                    ))
            scope = target.plan_id._scope_dimensions()
            for dim, value in scope.items():
                if target[dim] and target[dim].id != value:
                    raise ValidationError(self.env._(
                        "Target %(name)s: the plan %(plan)s only counts the sales of "
                        "%(scope)s; the target cannot name another %(dimension)s.",
                        name=target.display_name, plan=target.plan_id.name,
                        scope=target.plan_id[dim].display_name,
                        dimension=target._fields[dim].get_description(self.env)["string"],
                    ))
            if target.state_id and target.country_id \
                    and target.state_id.country_id != target.country_id:
                raise ValidationError(self.env._(
                    "Target %(name)s: the region %(state)s is not in %(country)s.",
                    name=target.display_name, state=target.state_id.name,
                    country=target.country_id.name,
                ))

    @api.depends("seasonality")
    def _compute_seasonality_warning(self):
        for target in self:
            target.seasonality_warning = (
                target.seasonality and readable_seasonality(target.seasonality) is None
            ) and self.env._(
                "The seasonality of this target is not valid: its figures spread the "
                "target evenly over the period. Regenerate the plan or clear it."
            ) or False

    @api.constrains("date_from", "date_to", "target_value")
    def _check_input_guard(self):
        check_input(self, numbers=("target_value",), dates=("date_from", "date_to"))

    @api.constrains("seasonality", "date_from", "date_to")
    def _check_seasonality_period(self):
        """The months of a seasonality lie in the target's period: a weight outside it
        would silently shift the shares of the months inside."""
        for target in self:
            if not target.seasonality or not target.date_from or not target.date_to:
                continue
            shares = readable_seasonality(target.seasonality)
            if shares is None:
                continue  # legacy value, not written now (writes are normalized)
            first = target.date_from.replace(day=1)
            outside = sorted(key for key in shares
                             if not first <= month_start(key) <= target.date_to)
            if outside:
                raise ValidationError(self.env._(
                    "Target %(name)s: the seasonality names months outside its period "
                    "(%(months)s).", name=target.display_name, months=", ".join(outside[:6]),
                ))

    @api.model
    def _guard_json_seasonality(self, value):
        """``check_vals``' hook for the seasonality: checked and normalized."""
        return normalize_seasonality(self.env, value)

    @api.depends("metric_id", "date_from", "date_to", "plan_id")
    def _compute_display_name(self):
        for target in self:
            target.display_name = " - ".join(filter(None, [
                target.plan_id.name, target.metric_id.name,
                target.date_from and target.date_to and
                f"{target.date_from} → {target.date_to}",
            ]))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = check_vals(self, vals_list)
        self._check_workflow_fields(vals_list, create=True)
        self._check_links(vals_list)
        targets = super().create(vals_list)
        targets.plan_id._check_targets_editable()
        return targets

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        self._check_workflow_fields([vals])
        self._check_links([vals])
        locked = set(vals) & LOCKED_FIELDS
        if locked:
            self.plan_id._check_targets_editable()
            tracked = self.filtered(lambda t: t.plan_id.state == "approved")
            old = {t.id: {f: t[f] for f in locked} for t in tracked}
        res = super().write(vals)
        if locked and tracked:
            tracked._post_change_message(old, locked)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_check_locked(self):
        self.plan_id._check_targets_editable()

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """Live figures are not stored: aggregate the ids, ``_read_group`` adds them up."""
        fname = aggregate_spec.split(":")[0]
        if fname in LIVE_SUMS and aggregate_spec.endswith(":sum"):
            return SQL("ARRAY_AGG(%s)", SQL.identifier(self._table, "id"))
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0,
                    limit=None, order=None):
        """Grouped sums of the live figures (pivot, graph, grouped lists), computed in
        one batch over all the groups' targets."""
        rows = super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        live = [
            (len(groupby) + i, spec.split(":")[0]) for i, spec in enumerate(aggregates)
            if spec.split(":")[0] in LIVE_SUMS and spec.endswith(":sum")
        ]
        if not live or not rows:
            return rows
        ids = {tid for row in rows for pos, _f in live for tid in (row[pos] or [])}
        figures = self.browse(ids)._get_figures()
        result = []
        for row in rows:
            row = list(row)
            for pos, fname in live:
                row[pos] = sum(figures[tid][fname] for tid in (row[pos] or []))
            result.append(tuple(row))
        return result

    # ------------------------------------------------------------------ actions
    def action_open_actual_records(self):
        """Drill down: the orders, invoices, opportunities or activities behind the
        actual of these targets (one metric source)."""
        if not self:
            return False
        if len(self.metric_id) > 1:
            raise UserError(self.env._("Open the records of one metric at a time."))
        metric = self.metric_id
        model, domain = None, []
        for target in self:
            model, slot_domain = metric._records_domain(target._slot())
            domain = slot_domain if not domain else ["|", *domain, *slot_domain]
        names = {
            "sale.order": self.env._("Orders"),
            "account.move": self.env._("Invoices"),
            "crm.lead": self.env._("Opportunities"),
            "mail.message": self.env._("Activities Done"),
        }
        return {
            "type": "ir.actions.act_window",
            "name": f"{names[model]}: {self[:1].display_name}" if len(self) == 1
            else names[model],
            "res_model": model,
            "domain": domain,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False, "active_test": False},
            "target": "current",
        }

    # ------------------------------------------------------------------ business
    def _slot(self, date_from=None, date_to=None):
        """The computation slot of a target: period, company and effective dimensions
        (its own, narrowed by the plan's team/salesperson scope)."""
        self.ensure_one()
        slot = {
            "key": self.id,
            "company_id": self.company_id.id,
            "date_from": date_from or self.date_from,
            "date_to": date_to or self.date_to,
        }
        for dim in DIMENSIONS:
            slot[dim] = self[dim].id
        slot["region_id"] = self.region_id.id
        for dim, value in self.plan_id._scope_dimensions().items():
            slot[dim] = slot[dim] or value
        return slot

    def _get_actuals(self):
        """Live actual values of the targets, ``{target_id: value}``.

        One SQL query per metric for the whole recordset (see
        ``sales.metric._compute_values``); closed plans return their snapshot.
        """
        return self._actuals_from_rows(*self._figure_rows())

    def _figure_rows(self):
        """What the figures of the (saved) targets depend on, read in ONE query whatever
        their number (the ORM would read them in prefetch batches of 1000 records).

        Returns ``(rows, header)``: each row (one per target) a tuple of ``FIGURE_COLUMNS``,
        starting with the target's computation slot (``_slot()``: its dimensions narrowed
        by the plan's scope) and its grouping mask, as
        ``sales.metric._compute_masked_values`` takes them, then the metric, value,
        seasonality (JSON text, or None) and snapshot value (None for a live target).
        Every value a row carries costs its conversion to a Python object, 16k times
        for a plan tree: dates come as day numbers, and no column repeats what is the
        same for every row. ``header`` is what every row would repeat, read once in the
        same query (see ``_fetch_figure_rows``): ``{"metrics": {id: (measure, source,
        domain)}, "types": [(metric_id, activity_type_id)], "thresholds": {company_id:
        (on-track pace, at-risk pace)}, "tz": user tz or None}``; the time zone is the
        user's when the context has none (``context_today`` would read the user and its
        partner).

        Record rules are applied in the same query (the rule domain as SQL, as ``search``
        does) instead of ``check_access``, which evaluates them in Python over the
        records and their plans; a target the query does not return is checked with
        ``check_access`` (which raises the usual access error)."""
        ids = list(dict.fromkeys(self._ids))
        if not all(ids):
            ids = [tid for tid in ids if tid]  # new records (NewId) are read by the ORM
        if not ids:
            return [], None
        rule = SQL()
        if not self.env.su:
            self.browse().check_access("read")  # the model's access rights
            domain = self.env["ir.rule"]._compute_domain(self._name, "read")
            if domain:
                rule = SQL("AND t.id IN (%s)", self._rule_subselect(domain))
        with_tz = not self.env.context.get("tz")
        self.env["sales.plan.target"].flush_model()
        self.env["sales.plan"].flush_model(["scope", "team_id", "user_id"])
        self.env["res.company"].flush_model(
            ["sales_plan_on_track_pace", "sales_plan_at_risk_pace"])
        self.env["sales.metric"].flush_model([*METRIC_DEFINITION, "activity_type_ids"])
        fetched, header = self._fetch_figure_rows(ids, rule, with_tz)
        if rule and len(fetched) < len(ids):
            missing = self.browse(set(ids).difference(map(itemgetter(0), fetched)))
            missing.check_access("read")
            # allowed after all (the rule as evaluated in Python): read them without it
            more, more_header = self._fetch_figure_rows(missing.ids, SQL(), with_tz)
            fetched += more
            header = header or more_header
        if header is None:  # the first target asked for does not exist (any more)
            self.env.cr.execute(SQL("SELECT %s", self._figure_header_sql(with_tz)))
            header = self.env.cr.fetchone()[0]
        metrics, types, thresholds, user_tz = json.loads(header)
        header = {
            "metrics": {mid: tuple(definition) for mid, *definition in metrics or ()},
            "types": types or [],
            "thresholds": {cid: (on_track or 90.0, at_risk or 75.0)
                           for cid, on_track, at_risk in thresholds or ()},
            "tz": user_tz if with_tz else None,
        }
        return fetched, header

    # operators whose SQL the domain parser builds without reading the database
    RULE_SQL_OPERATORS = frozenset(("=", "!=", "in", "not in", "<", "<=", ">", ">=", "=?",
                                    "like", "ilike", "not like", "not ilike", "=like",
                                    "=ilike"))

    def _rule_subselect(self, domain):
        """The ids the read rules let through, as a sub-select (``_search`` of the rule
        domain as superuser). Parsing the rule domain costs more Python (≈ 0.7 ms) than
        the whole query for a salesperson's targets, so its SQL is cached per domain (the
        rule domain holds the user's and companies' ids: ``ir.rule._compute_domain``) —
        only when the parse reads nothing from the database (stored fields, no
        ``child_of``/``parent_of``): the same domain then always gives the same SQL."""
        if not self._rule_sql_is_static(domain):
            return self.sudo().with_context(active_test=False)._search(domain).subselect()
        return self._rule_subselect_cached(repr(domain))

    @tools.ormcache("domain_repr")
    def _rule_subselect_cached(self, domain_repr):
        domain = safe_eval(domain_repr)
        return self.sudo().with_context(active_test=False)._search(domain).subselect()

    def _rule_sql_is_static(self, domain):
        for leaf in domain:
            if not isinstance(leaf, (tuple, list)):
                continue  # '&', '|', '!'
            path, operator, value = leaf
            if path in (0, 1) and not isinstance(path, bool):
                continue  # (1, '=', 1), (0, '=', 1)
            if operator not in self.RULE_SQL_OPERATORS or not isinstance(path, str):
                return False
            if not isinstance(value, (int, float, str, bool, list, tuple)) or (
                isinstance(value, (list, tuple))
                and not all(isinstance(v, (int, float, str, bool)) for v in value)
            ):
                return False
            model = self
            for name in path.split("."):
                field = model._fields.get(name) if model is not None else None
                if (field is None or not field.store or field.translate
                        or field.company_dependent
                        or field.type in ("one2many", "properties")):
                    return False  # no column, or SQL that depends on the context
                model = self.env[field.comodel_name] if field.relational else None
        return True

    def _fetch_figure_rows(self, ids, rule, with_tz):
        """``(rows, header)`` of the targets ``ids`` the ``rule`` lets through (see
        ``_figure_rows``): the header comes with the first target (None if that one
        was not returned)."""
        # the effective dimensions: the plan's scope narrows the target (see
        # sales.plan._scope_dimensions_of)
        dims = [
            SQL("COALESCE(t.user_id, CASE WHEN p.scope = 'user' THEN p.user_id END)"),
            SQL("COALESCE(t.team_id, CASE WHEN p.scope IN ('team', 'user') THEN p.team_id END)"),
            *(SQL("t.%s", SQL.identifier(dim)) for dim in DIMENSIONS[2:]),
        ]
        self.env.cr.execute(SQL(
            """
            SELECT t.id, t.company_id, t.date_from - %(epoch)s,
                   CASE WHEN t.region_id IS NULL AND t.partner_id IS NULL
                         AND t.company_id IS NOT NULL
                         AND date_part('day', t.date_from) = 1
                         AND t.date_to = (t.date_from + interval '1 month')::date - 1
                        THEN %(mask)s END,
                   %(dims)s, t.date_to - %(epoch)s, t.region_id,
                   t.metric_id, t.target_value,
                   CASE WHEN t.seasonality IS NOT NULL THEN t.seasonality::text END,
                   CASE WHEN t.is_snapshot THEN COALESCE(t.snapshot_value, 0.0) END,
                   CASE WHEN t.id = %(first)s THEN %(header)s END
              FROM sales_plan_target t
              JOIN sales_plan p ON p.id = t.plan_id
             WHERE t.id = ANY(%(ids)s::integer[]) %(rule)s
            """,
            dims=SQL(", ").join(dims),
            epoch=EPOCH_SQL,
            # the grouping mask of a whole-month target with no customer nor region (see
            # sales.metric._compute_masked_values): a bit per dimension it sets
            # (cheap tests: they run for every target)
            mask=SQL(" + ").join(
                SQL("CASE WHEN %s IS NULL THEN 0 ELSE %s END", dim, 1 << i)
                for i, dim in enumerate(dims)
            ),
            # the header, sent with the first target asked for
            first=ids[0],
            header=self._figure_header_sql(with_tz),
            # one array literal (not ``IN`` and 16k constants, which PostgreSQL parses
            # much more slowly): a hashed test on a scan of the targets when there are
            # many, the primary key's index when there are a few
            ids="{%s}" % ",".join(map(str, ids)),
            rule=rule,
        ))
        rows = self.env.cr.fetchall()
        return rows, next((row[F_HEADER] for row in rows if row[0] == ids[0]), None)

    def _figure_header_sql(self, with_tz):
        """The header of ``_figure_rows`` as JSON text: every metric's definition, every
        (metric, activity type) pair as the ORM reads the metrics' types (all types,
        archived ones too, in the types' order; the record filters archived ones), every
        company's health thresholds (small tables) and the user's time zone."""
        types = self.env["sales.metric"]._fields["activity_type_ids"]
        return SQL(
            """json_build_array(
                (SELECT json_agg(json_build_array(m.id, m.measure, m.source, m.domain))
                   FROM sales_metric m),
                (SELECT json_agg(json_build_array(rel.%(metric_col)s, rel.%(type_col)s)
                                 ORDER BY mat.sequence, mat.id)
                   FROM %(rel)s rel
                   JOIN mail_activity_type mat ON mat.id = rel.%(type_col)s),
                (SELECT json_agg(json_build_array(c.id, c.sales_plan_on_track_pace,
                                                  c.sales_plan_at_risk_pace))
                   FROM res_company c),
                %(tz)s
            )::text""",
            rel=SQL.identifier(types.relation), metric_col=SQL.identifier(types.column1),
            type_col=SQL.identifier(types.column2),
            tz=SQL(
                """(SELECT rp.tz FROM res_users ru JOIN res_partner rp
                     ON rp.id = ru.partner_id WHERE ru.id = %s)""", self.env.uid,
            ) if with_tz else SQL("NULL"),
        )

    def _actuals_from_rows(self, rows, header):
        """``{target_id: actual}`` of the rows of ``_figure_rows``: the snapshot of a
        closed plan's target, else one query per metric (``_compute_masked_values``)."""
        result = {row[0]: row[F_SNAPSHOT] for row in rows if row[F_SNAPSHOT] is not None}
        live = [row for row in rows if row[F_SNAPSHOT] is None] if result else rows
        by_metric = {}
        get = by_metric.get
        for row in live:
            metric_rows = get(row[F_METRIC])
            if metric_rows is None:
                metric_rows = by_metric[row[F_METRIC]] = []
            metric_rows.append(row)
        metrics = self.env["sales.metric"].sudo().browse(sorted(by_metric))
        if metrics:
            # the metrics' definition came with the rows (flushed before): put it in the
            # cache where it is not there yet, so the metrics are not read again
            definitions = header["metrics"]
            cache, fields_ = self.env.cache, metrics._fields
            for i, name in enumerate(METRIC_DEFINITION):
                cache.insert_missing(metrics, fields_[name],
                                     [definitions[mid][i] for mid in metrics._ids])
            type_ids = {mid: [] for mid in metrics._ids}
            for mid, type_id in header["types"]:
                if mid in type_ids:
                    type_ids[mid].append(type_id)
            cache.insert_missing(metrics, fields_["activity_type_ids"],
                                 [tuple(type_ids[mid]) for mid in metrics._ids])
        for metric in metrics:
            result.update(metric._compute_masked_values(by_metric[metric.id]))
        return result

    def _get_figures(self):
        """Every live figure of the targets, in batch: ``{target_id: {field: value}}``
        for actual_value, expected_to_date, achievement, pace, variance and health.

        Saved targets are read in one query (``_figure_rows``) and their actuals in one
        query per metric: the number of queries does not grow with the targets. A plan
        tree holds 16k targets: what is done per target is kept to the figures' own
        arithmetic (``_expected_value`` is called for targets whose period runs)."""
        rows, header = self._figure_rows()
        result = {}
        if rows:
            actuals = self._actuals_from_rows(rows, header)
            if not self.env.context.get("tz"):
                # the user's time zone came with the rows (no user record to read)
                today = fields.Date.context_today(self.with_context(tz=header["tz"] or "UTC"))
            else:
                today = fields.Date.context_today(self)
            today_number = day_number(today)
            additive = {mid: definition[0] != "win_ratio"
                        for mid, definition in header["metrics"].items()}
            thresholds = header["thresholds"]  # every company's
            expected_value = self._expected_value
            for row in rows:
                tid = row[0]
                value = row[F_TARGET_VALUE] or 0.0
                if today_number < row[F_DATE_FROM]:
                    expected = 0.0
                elif today_number >= row[F_DATE_TO] or not additive[row[F_METRIC]]:
                    expected = value
                else:
                    seasonality = row[F_SEASONALITY]
                    expected = expected_value(
                        from_day_number(row[F_DATE_FROM]), from_day_number(row[F_DATE_TO]),
                        value, seasonality and json.loads(seasonality), True, today,
                    )
                limits = thresholds.get(row[F_COMPANY])
                if limits is None:  # a target of no company
                    limits = thresholds[row[F_COMPANY]] = \
                        self.env.company._sales_health_thresholds()
                on_track, at_risk = limits
                actual = actuals.get(tid, 0.0)
                pace = 100.0 * actual / expected if expected else 100.0
                achievement = 100.0 * actual / value if value else 0.0
                result[tid] = {
                    "actual_value": actual,
                    "expected_to_date": expected,
                    "achievement": achievement,
                    "pace": pace,
                    "variance": actual - expected,
                    # (dates as day numbers: they compare as the dates do)
                    "health": sales_health(pace, achievement, row[F_DATE_FROM],
                                           row[F_DATE_TO], today_number, on_track, at_risk),
                }
        if len(result) < len(self._ids):
            result.update(self._new_figures([tid for tid in self._ids if tid not in result]))
        return result

    def _new_figures(self, ids):
        """``_get_figures`` of new records (an onchange), read through the ORM: no
        actual value yet."""
        result = {}
        today = fields.Date.context_today(self)
        for target in self.browse(ids):
            value = target.target_value
            expected = target._expected_to_date(today)
            actual = 0.0
            pace = 100.0 * actual / expected if expected else 100.0
            achievement = 100.0 * actual / value if value else 0.0
            result[target.id] = {
                "actual_value": actual,
                "expected_to_date": expected,
                "achievement": achievement,
                "pace": pace,
                "variance": actual - expected,
                "health": (target.company_id or self.env.company)._sales_health(
                    pace, achievement, target.date_from, target.date_to, today),
            }
        return result


    def _expected_to_date(self, today):
        """The target prorated by the time elapsed (today included). Ratio metrics
        (win rate) are expected at their full value from day one. With a seasonality
        (monthly shares from history), the elapsed months weigh by their share."""
        self.ensure_one()
        return self._expected_value(
            self.date_from, self.date_to, self.target_value, self.seasonality,
            self.metric_id.is_additive, today,
        )

    @api.model
    def _expected_value(self, date_from, date_to, target_value, seasonality, additive, today):
        if not date_from or not date_to:
            return 0.0
        if not additive:
            return target_value if today >= date_from else 0.0
        if today < date_from:
            return 0.0
        if today >= date_to:
            return target_value
        return target_value * self._elapsed_share_of(date_from, date_to, seasonality, today)

    @api.model
    def _elapsed_share_of(self, start, end, seasonality, today):
        """Share of the target expected by ``today``. An invalid stored seasonality reads
        as none (an even spread): it never crashes the figures (list, dashboard, PDF,
        deviation job)."""
        total_days = (end - start).days + 1
        elapsed_days = (today - start).days + 1
        shares = readable_seasonality(seasonality) or {}
        total_share = sum(shares.values())
        if not shares or total_share <= 0:
            return elapsed_days / total_days
        done = 0.0
        month = date(start.year, start.month, 1)
        while month <= today:
            month_end = date(
                month.year, month.month, calendar.monthrange(month.year, month.month)[1]
            )
            share = shares.get(month.strftime("%Y-%m"), 0.0) / total_share
            first, last = max(month, start), min(month_end, end)
            span = (last - first).days + 1
            if today >= last:
                done += share
            else:
                done += share * ((today - first).days + 1) / span
            month = month_end + timedelta(days=1)
        return min(done, 1.0)

    def _shift_seasonality(self, shift):
        self.ensure_one()
        if readable_seasonality(self.seasonality) is None:
            return False
        shifted = {}
        for key, share in self.seasonality.items():
            year, month = map(int, key.split("-"))
            moved = date(year, month, 1) + shift
            shifted[moved.strftime("%Y-%m")] = share
        return shifted

    def _format_figure(self, value):
        """A figure of the target as people read it: an amount in its currency, a count
        without decimals, a percentage with its sign."""
        self.ensure_one()
        unit = self.metric_id.unit
        if unit == "amount":
            return format_amount(self.env, value, self.currency_id)
        if unit == "percent":
            return f"{formatLang(self.env, value, digits=1)} %"
        return formatLang(self.env, value, digits=0 if unit == "count" else 2)

    def _post_change_message(self, old, field_names):
        """Changes to targets of an approved plan are tracked in the plan's chatter."""
        for target in self:
            changes = []
            for name in sorted(field_names):
                before, after = old[target.id][name], target[name]
                if before == after:
                    continue
                field = self._fields[name]
                if field.type == "many2one":
                    before, after = before.display_name or "", after.display_name or ""
                elif field.type == "float":
                    before, after = target._format_figure(before), target._format_figure(after)
                changes.append(self.env._(
                    "%(field)s: %(before)s → %(after)s",
                    field=field.get_description(self.env)["string"],
                    before=before, after=after,
                ))
            if changes:
                target.plan_id.sudo().message_post(
                    body=self.env._(
                        "Target %(target)s changed after approval by %(user)s: %(changes)s",
                        target=target.display_name, user=self.env.user.name,
                        changes="; ".join(changes),
                    ),
                    author_id=self.env.user.partner_id.id,
                )

    # ------------------------------------------------------------------ execution (tasks)
    task_ids = fields.One2many(
        comodel_name="sales.task", inverse_name="target_id", string="Sales Tasks",
    )

    def _task_rollup_field(self):
        return "target_id"

    def action_new_sales_task(self):
        """A task serving this target, prefilled from its dimensions."""
        self.ensure_one()
        action = self._task_action(
            [("target_id", "=", self.id)],
            {
                "default_target_id": self.id,
                "default_plan_id": self.plan_id.id,
                "default_user_id": (self.user_id or self.plan_id.user_id or self.env.user).id,
                "default_partner_id": self.partner_id.id,
                "default_name": self.display_name,
                "default_result_unit": self.metric_id.name,
                "default_date_deadline": self.date_to
                if self.date_to and self.date_to >= fields.Date.context_today(self) else False,
            },
        )
        action.update({"view_mode": "form", "views": [(False, "form")], "res_id": False})
        return action

    # ------------------------------------------------------------------ control (alerts)
    alert_level = fields.Selection(
        selection=PACE_HEALTH, string="Alert Health", readonly=True, copy=False, index=True,
        help="Set daily by the deviation alerts from the Control settings' thresholds.",
    )
    alert_ids = fields.One2many(
        comodel_name="sales.control.alert", inverse_name="target_id", string="Alerts",
        readonly=True,
    )

    # ------------------------------------------------------------------ reporting
    def _report_dimensions(self):
        """The target's dimensions as text ("All" when it has none)."""
        self.ensure_one()
        names = [self[dim].display_name for dim in DIMENSIONS if self[dim]]
        return ", ".join(names) or self.env._("All")
