# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A target of a sales plan: a metric, a period, optional dimensions and a value.

``_get_figures()`` is the one method that computes the live figures of a recordset of
targets (actual, expected to date, achievement, pace, variance, health): the targets are
read in one query (``_target_rows``: each becomes a ``Slot``), their actuals computed by
``sales.metric._compute_all`` in one query per source, whatever their number. The computed
fields, the pivot's sums, the reports, the alerts and the mails all read it.
"""

import calendar
import contextvars
import gc
from collections import defaultdict
from contextlib import contextmanager
from datetime import date, timedelta
from typing import NamedTuple

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.models import PREFETCH_MAX
from odoo.tools import SQL, format_amount, formatLang

from .res_company import HEALTH, PACE_HEALTH, sales_health
from .res_users import context_today
from .sales_input_guard import (
    check_input,
    check_vals,
    month_start,
    normalize_seasonality,
    readable_seasonality,
)
from .sales_metric import DIMENSIONS, Slot

# live figures the pivot, graph and grouped lists can add up (see ``_read_group``)
LIVE_SUMS = ("actual_value", "expected_to_date", "variance")
FIGURE_FIELDS = ("actual_value", "expected_to_date", "achievement", "pace", "variance",
                 "health")
# figures a group never adds up: they are ratios of its sums (see ``_read_group_ratios``)
LIVE_RATIOS = ("achievement", "pace")
# the sums ``_read_group_ratios`` checks: one metric and one plan level per group
CHECKED_SUMS = ("target_value", *LIVE_SUMS)
# the order ``_fetch_target_rows`` reads them in; the plan scope narrows the first two
assert DIMENSIONS == ("user_id", "team_id", "partner_id", "country_id", "state_id",
                      "medium_id", "source_id", "product_id", "product_categ_id")


#: the figures of a period already computed in this call (``period_figures_memo``)
_PERIOD_MEMO = contextvars.ContextVar("sales_management_period_figures", default=None)


def memoized_period_figures(records, date_from, date_to):
    """``records._compute_period_figures(date_from, date_to)`` (``{id: figures}``) inside
    a ``period_figures_memo`` block: the records already computed for this period are
    served again, only the others computed (in one batch). Outside a block: computed."""
    memo = _PERIOD_MEMO.get()
    if memo is None:
        return records._compute_period_figures(date_from, date_to)
    known, done, deferred = _period_entry(memo, records, date_from, date_to)
    missing = [rid for rid in dict.fromkeys(records._ids) if rid not in done]
    if missing:
        # the records deferred for this period join the batch: one query per source
        batch = list(dict.fromkeys([*missing, *(rid for rid in deferred if rid not in done)]))
        known.update(records.browse(batch)._compute_period_figures(date_from, date_to))
        done.update(batch)
        deferred.clear()
    return {rid: known[rid] for rid in records._ids if rid in known}


def defer_period_figures(records, date_from, date_to):
    """Inside a ``period_figures_memo`` block: compute the figures of ``records`` for
    this period with the next batch that computes any (``memoized_period_figures``),
    not in a batch of their own. Outside a block: nothing."""
    memo = _PERIOD_MEMO.get()
    if memo is not None:
        _period_entry(memo, records, date_from, date_to)[2].update(records._ids)


def _period_entry(memo, records, date_from, date_to):
    """``(figures by id, ids computed, ids deferred)`` of the memo for the records' model
    and this period, keyed by user, companies and day."""
    key = _memo_key(records.env, records._name, date_from, date_to, context_today(records))
    return memo.setdefault(key, ({}, set(), set()))


def _memo_key(env, *key):
    """A key of the period memo: ``key`` as this user, superuser or not, in these
    companies (what the access rules and the figures depend on)."""
    return (*key, env.uid, env.su, env.company.id, tuple(env.companies.ids))


def memoized_plan_targets(plans, reuse_only=False):
    """``[(target id, plan id, metric id)]``: the targets of the saved ``plans`` that are
    not a breakdown, in the targets' order, read with the user's access rules. Inside a
    ``period_figures_memo`` block, read once per set of plans: a dashboard's score and
    its plans' headline figures read the same plans' targets. ``reuse_only``: None
    unless this block read them already."""
    env = plans.env
    memo = _PERIOD_MEMO.get()
    key = None
    if memo is not None:
        key = _memo_key(env, "sales.plan.target:plans", frozenset(plans.ids))
        if key in memo:
            return memo[key]
    if reuse_only:
        return None
    Target = env["sales.plan.target"]
    query = Target._search([("plan_id", "in", plans.ids), ("is_breakdown", "=", False)],
                           order=Target._order)
    # the whole rows of the figures in the same query: the figures of these targets
    # (``_target_rows``) are then served from the memo, not read again
    plan_alias = query.left_join(Target._table, "plan_id", "sales_plan", "id", "plan_id")
    Target._flush_target_rows()
    target_rows = Target._parse_target_rows(
        env.execute_query(query.select(Target._target_row_columns(Target._table, plan_alias))))
    rows = [(row.id, row.plan_id, row.metric_id) for row in target_rows]
    if key is not None:
        memo[key] = rows
        memo.setdefault(_memo_key(env, "sales.plan.target:rows"), {}).update(
            (row.id, row) for row in target_rows)
    return rows


def current_period_memo():
    """The memo of the current ``period_figures_memo`` block (a dict), None outside one."""
    return _PERIOD_MEMO.get()


@contextmanager
def period_figures_memo():
    """Within this block, ``sales.plan.target._get_period_figures`` and
    ``sales.plan._get_period_figures`` compute the figures of a target or a plan for a
    period once and serve them again: a read-only call (the dashboard's data) asks for
    the same plans and targets from several sections (the plans, the leaderboard, the
    score, activity quality). Keyed by user, company, period and day;
    the memo lives in this thread's context only and ends with the block. Never around
    writes."""
    token = _PERIOD_MEMO.set({})
    try:
        yield
    finally:
        _PERIOD_MEMO.reset(token)


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused while the figures of many targets are
    built. They allocate a few short-lived tuples and dicts per target, without cycles
    (16k targets: about 100k), enough to start a full collection over the whole server's
    heap that finds nothing to free (about 100 ms at size M, a quarter of a tree's read;
    ``bench/README.md``). Reference counting still frees them; the collector resumes as
    it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class TargetRow(NamedTuple):
    """What the figures of a saved target depend on (``_target_rows``)."""

    id: int
    plan_id: int
    metric_id: int
    target_value: float
    seasonality: dict
    snapshot: float  # the actual frozen when its plan was closed, else None
    plan_scope: str  # company, team or user: the level of its plan
    slot: Slot


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
    plan_scope = fields.Selection(
        related="plan_id.scope", store=True, string="Plan Level",
        help="Company, team or salesperson plan: the pivot groups by it, never adds them.",
    )
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
    achievement = fields.Float(
        compute="_compute_figures", aggregator="avg",
        help="Actual / target, in %. In a group: its actual / its target.")
    pace = fields.Float(
        compute="_compute_figures", aggregator="avg",
        help="Actual / expected to date, in %. In a group: its actual / its expected to date.")
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

    def fetch(self, field_names):
        """Figures only (the list view's figure columns, an export of them): nothing to
        fetch. Their own query (``_target_rows``) applies the access rules, in SQL, where
        ``fetch`` would read a column of every record (or evaluate the rules in Python on
        16k records) for nothing."""
        if field_names and all(name in FIGURE_FIELDS for name in field_names):
            return
        super().fetch(field_names)

    def _read_format(self, fnames, load="_classic_read"):
        """``read()`` (the list view, the export, the web client's reads) takes the
        figures of all its records from one ``_get_figures()``, where the ORM would
        compute them by batches of 1,000 records and read them field by field: the same
        queries for 16k targets as for ten."""
        figure_names = [name for name in fnames if name in FIGURE_FIELDS]
        if len(self) <= 1 or not figure_names:
            return super()._read_format(fnames, load)
        others = [name for name in fnames if name not in FIGURE_FIELDS]
        if not others:
            # figures only (``fetch`` read nothing): the records that exist and the user
            # may read are those ``_target_rows`` returns (it raises on the others)
            with collector_paused():
                _rows, figures = self._rows_and_figures()
                if len(figure_names) == len(FIGURE_FIELDS):
                    return [{"id": tid, **figures[tid]} for tid in self._ids if tid in figures]
                return [
                    {"id": tid, **{name: figures[tid][name] for name in figure_names}}
                    for tid in self._ids if tid in figures
                ]
        result = super()._read_format(others, load)
        figures = self._get_figures()
        for vals in result:
            if "id" in vals:  # (a record that no longer exists has empty values)
                target_figures = figures[vals["id"]]
                for name in figure_names:
                    vals[name] = target_figures[name]
        return result

    def _determine_fields_to_fetch(self, field_names, ignore_when_in_cache=False):
        """The figures read their targets in SQL (``_target_rows``): ``read()`` need not
        fetch their dependencies (every column of 16k targets) into the cache first."""
        return super()._determine_fields_to_fetch(
            [name for name in field_names if name not in FIGURE_FIELDS], ignore_when_in_cache)

    def _in_cache_without(self, field, limit=PREFETCH_MAX):
        """The figures are computed for every record of the prefetch set at once (e.g.
        ``mapped()``), not per batch of 1,000."""
        if field.name in FIGURE_FIELDS:
            limit = None
        return super()._in_cache_without(field, limit)

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
        if fname in LIVE_SUMS and aggregate_spec.endswith(":sum") \
                or fname in CHECKED_SUMS and aggregate_spec.endswith(":sum") \
                or fname in LIVE_RATIOS:
            return SQL("ARRAY_AGG(%s)", SQL.identifier(self._table, "id"))
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0,
                    limit=None, order=None):
        """Grouped sums of the live figures (pivot, graph, grouped lists), computed in
        one batch over all the groups' targets."""
        rows = super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        if any(spec.split(":")[0] in CHECKED_SUMS + LIVE_RATIOS for spec in aggregates):
            with collector_paused():
                return self._read_group_ratios(rows, len(groupby), aggregates)
        live = [
            (len(groupby) + i, spec.split(":")[0]) for i, spec in enumerate(aggregates)
            if spec.split(":")[0] in LIVE_SUMS and spec.endswith(":sum")
        ]
        if not live or not rows:
            return rows
        ids = {tid for row in rows for pos, _f in live for tid in (row[pos] or [])}
        with collector_paused():
            figures = self.browse(ids)._get_figures()
            result = []
            for row in rows:
                row = list(row)
                for pos, fname in live:
                    row[pos] = sum(figures[tid][fname] for tid in (row[pos] or []))
                result.append(tuple(row))
            return result

    @api.model
    def _read_group_ratios(self, rows, width, aggregates):
        """The aggregates of ``_read_group`` rows whose figure columns hold the groups'
        target ids (``_read_group_select``): the pivot's, graph's and grouped lists'
        totals, which must mean something.

        - A group mixing metrics (revenue and opportunity counts), plan levels (the
          company plan and its team and salesperson plans, which count the same sales
          again) or a ratio metric's targets (win rates) has no sum: ``False``, an
          empty cell. The plan vs actual pivot groups by metric and plan level by default.
        - Otherwise the target, actual, expected to date and variance are added up, and
          achievement and pace are the ratios of the group's sums (actual / target,
          actual / expected to date), never a sum nor an average of percentages; the
          figures of a group of one target are its own."""
        positions = [
            (width + i, spec.split(":")[0]) for i, spec in enumerate(aggregates)
            if spec.split(":")[0] in LIVE_RATIOS
            or spec.split(":")[0] in CHECKED_SUMS and spec.endswith(":sum")
        ]
        ids = {tid for row in rows for pos, _f in positions for tid in (row[pos] or [])}
        target_rows, figures = self.browse(ids)._rows_and_figures()
        additive = {metric.id: metric.is_additive for metric in self.env["sales.metric"].sudo()
                    .browse({row.metric_id for row in target_rows})}
        kind = {row.id: (row.metric_id, row.plan_scope, additive[row.metric_id])
                for row in target_rows}
        value = {row.id: row.target_value for row in target_rows}
        result = []
        for row in rows:
            row = list(row)
            group = next((row[pos] for pos, _f in positions if row[pos]), None) or []
            kinds = {kind[tid] for tid in group}
            summable = len(group) == 1 or len(kinds) == 1 and next(iter(kinds))[2]
            sums = {
                "target_value": sum(value[tid] for tid in group),
                **{fname: sum(figures[tid][fname] for tid in group) for fname in LIVE_SUMS},
            }
            ratios = {
                "achievement": 100.0 * sums["actual_value"] / sums["target_value"]
                if sums["target_value"] else 0.0,
                "pace": 100.0 * sums["actual_value"] / sums["expected_to_date"]
                if sums["expected_to_date"] else (100.0 if group else 0.0),
            }
            if len(group) == 1:  # its own figures (a ratio metric's too)
                ratios = {fname: figures[group[0]][fname] for fname in LIVE_RATIOS}
            for pos, fname in positions:
                if not summable:
                    row[pos] = False
                else:
                    row[pos] = ratios[fname] if fname in LIVE_RATIOS else sums[fname]
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
        slots = self._slots()
        for target in self:
            model, slot_domain = metric._records_domain(slots[target.id]._asdict())
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
    def _slots(self):
        """``{target id: Slot}``: the computation slot of each saved target (its period,
        company and effective dimensions: its own, narrowed by the plan's scope)."""
        return {row.id: row.slot for row in self._target_rows()}

    def _slot(self, date_from=None, date_to=None):
        """The slot of one saved target as a mapping (``Slot.of`` takes it back), its
        period optionally replaced."""
        self.ensure_one()
        slot = self._slots()[self.id]._asdict()
        slot["date_from"] = date_from or slot["date_from"]
        slot["date_to"] = date_to or slot["date_to"]
        return slot

    def _target_rows(self):
        """``[TargetRow]`` of the saved targets, read in ONE query whatever their number
        (the ORM would read them in batches of 1,000). The read rules apply in the query,
        through the ORM (``_search``): a target the user may not read raises the usual
        access error. Inside a ``period_figures_memo`` block, the rows its plans' targets
        were read with (``memoized_plan_targets``) are not read again."""
        ids = [tid for tid in dict.fromkeys(self._ids) if tid]
        if not ids:
            return []
        memo = _PERIOD_MEMO.get()
        known = memo.get(_memo_key(self.env, "sales.plan.target:rows")) if memo else None
        if known and all(tid in known for tid in ids):
            return [known[tid] for tid in ids]
        allowed = SQL()
        if not self.env.su:
            query = self._search([])  # the model's access rights and read rules
            if query.where_clause:
                allowed = SQL("AND t.id IN %s", query.subselect())
        self._flush_target_rows()
        rows = self._fetch_target_rows(ids, allowed)
        if allowed and len(rows) < len(ids):
            found = {row.id for row in rows}
            self.browse([tid for tid in ids if tid not in found]).exists().check_access("read")
        return rows

    @api.model
    def _flush_target_rows(self):
        """Flush what ``_target_row_columns`` reads."""
        self.env["sales.plan.target"].flush_model()
        self.env["sales.plan"].flush_model(["scope", "team_id", "user_id"])

    @api.model
    def _target_row_columns(self, target, plan):
        """The columns of a ``TargetRow`` (``_parse_target_rows``) on the aliases of the
        targets' table ``target`` and of their plans' ``plan``."""
        def column(name):
            return SQL.identifier(target, name)
        return SQL(", ").join([
            column("id"), column("plan_id"), column("metric_id"), column("target_value"),
            column("seasonality"),
            SQL("CASE WHEN %s THEN COALESCE(%s, 0.0) END", column("is_snapshot"),
                column("snapshot_value")),
            column("company_id"), SQL("%s::text", column("date_from")),
            SQL("%s::text", column("date_to")), column("region_id"),
            *(column(dim) for dim in DIMENSIONS),
            SQL.identifier(plan, "scope"), SQL.identifier(plan, "team_id"),
            SQL.identifier(plan, "user_id"),
        ])

    def _fetch_target_rows(self, ids, condition):
        self.env.cr.execute(SQL(
            """SELECT %s
                 FROM sales_plan_target t
                 JOIN sales_plan p ON p.id = t.plan_id
                WHERE t.id = ANY(%s::integer[]) %s""",
            self._target_row_columns("t", "p"),
            # one array literal: PostgreSQL parses it several times faster than the
            # ARRAY[...] of 16k constants a list becomes
            "{%s}" % ",".join(map(str, ids)), condition,
        ))
        return self._parse_target_rows(self.env.cr.fetchall())

    @api.model
    def _parse_target_rows(self, fetched):
        """``[TargetRow]`` of rows selected by ``_target_row_columns``."""
        scope_of = self.env["sales.plan"]._scope_dimensions_of
        # dates as text, parsed once per distinct date (a tree has a few dozen)
        dates = {}
        plans, rows = {}, []
        for tid, plan_id, metric, value, seasonality, snapshot, company, start, end, region, \
                user, team, partner, country, state, medium, source, product, categ, \
                scope, plan_team, plan_user in fetched:
            plan = plans.get(plan_id)
            if plan is None:  # the plan's scope narrows its targets (salesperson, team)
                narrow = scope_of(scope, plan_team, plan_user)
                plan = plans[plan_id] = (narrow.get("user_id"), narrow.get("team_id"))
            date_from = dates.get(start) or dates.setdefault(start, date.fromisoformat(start))
            date_to = dates.get(end) or dates.setdefault(end, date.fromisoformat(end))
            rows.append(TargetRow(
                tid, plan_id, metric, value or 0.0, seasonality, snapshot, scope,
                Slot(tid, company, date_from, date_to, region, user or plan[0],
                     team or plan[1], partner, country, state, medium, source, product,
                     categ)))
        return rows

    def _get_actuals(self):
        """Live actual values of the targets, ``{target_id: value}`` (closed plans: their
        snapshot)."""
        return {tid: figures["actual_value"] for tid, figures in self._get_figures().items()}

    def _get_figures(self):
        """Every live figure of the targets, ``{target_id: {field: value}}`` for
        actual_value, expected_to_date, achievement, pace, variance and health: the
        targets in one query, their actuals in one query per source (see
        ``sales.metric._compute_all``)."""
        _rows, result = self._rows_and_figures()
        if len(result) < len(self._ids):
            result.update(self._new_figures([tid for tid in self._ids if tid not in result]))
        return result

    def _rows_and_figures(self):
        """``(self._target_rows(), their figures)`` (``_figures_of``), the collector
        paused (``collector_paused``)."""
        with collector_paused():
            rows = self._target_rows()
            return rows, self._figures_of(rows)

    def _figures_of(self, rows):
        """``_get_figures`` of the saved targets of ``rows`` (``_target_rows``)."""
        live = defaultdict(list)
        for row in rows:
            if row.snapshot is None:
                live[row.metric_id].append(row.slot)
        metrics = self.env["sales.metric"].sudo().browse({row.metric_id for row in rows})
        actuals = metrics._compute_all({metric: live[metric.id] for metric in metrics})
        additive = {metric.id: metric.is_additive for metric in metrics}
        companies = self.env["res.company"].sudo().browse(
            {row.slot.company_id for row in rows} - {None})
        thresholds = {company.id: company._sales_health_thresholds() for company in companies}
        thresholds[None] = self.env.company._sales_health_thresholds()
        today = context_today(self)
        expected_value = self._expected_value
        result = {}
        for row in rows:
            slot = row.slot
            actual = actuals[row.metric_id][row.id] if row.snapshot is None else row.snapshot
            expected = expected_value(slot.date_from, slot.date_to, row.target_value,
                                      row.seasonality, additive[row.metric_id], today)
            result[row.id] = self._figures(actual, expected, row.target_value, slot.date_from,
                                           slot.date_to, today, *thresholds[slot.company_id])
        return result

    @api.model
    def _figures(self, actual, expected, target_value, date_from, date_to, today, on_track,
                 at_risk):
        """The figures of a target from its actual and expected-to-date values: the one
        definition of achievement, pace, variance and health."""
        pace = 100.0 * actual / expected if expected else 100.0
        achievement = 100.0 * actual / target_value if target_value else 0.0
        return {
            "actual_value": actual,
            "expected_to_date": expected,
            "achievement": achievement,
            "pace": pace,
            "variance": actual - expected,
            "health": sales_health(pace, achievement, date_from, date_to, today, on_track,
                                   at_risk),
        }

    def _new_figures(self, ids):
        """``_get_figures`` of new records (an onchange): no actual value yet."""
        result = {}
        today = context_today(self)
        for target in self.browse(ids):
            thresholds = (target.company_id or self.env.company)._sales_health_thresholds()
            result[target.id] = self._figures(
                0.0, target._expected_to_date(today), target.target_value, target.date_from,
                target.date_to, today, *thresholds)
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
                if self.date_to and self.date_to >= context_today(self) else False,
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

    # ------------------------------------------------------------------ period figures
    def _period_part(self, date_from, date_to):
        """The part of the target's value inside ``date_from``..``date_to``: whole when
        the target lies inside; for an additive metric spanning more, what its
        expected-value function puts inside (expected by the end minus expected by the day
        before the start); a ratio's rate as it is; 0 when they do not overlap. The one
        definition behind ``_get_period_figures`` and a plan's share of its parent."""
        self.ensure_one()
        return self._period_part_of(
            self.date_from, self.date_to, self.target_value, self.seasonality,
            self.metric_id.is_additive, date_from, date_to)

    @api.model
    def _period_part_of(self, start, end, target_value, seasonality, additive, date_from,
                        date_to):
        """``_period_part`` of a target given by its values."""
        if date_from <= start and end <= date_to:
            return target_value
        lower, upper = max(start, date_from), min(end, date_to)
        if lower > upper:
            return 0.0
        if not additive:
            return target_value
        return self._expected_value(start, end, target_value, seasonality, True, upper) \
            - self._expected_value(start, end, target_value, seasonality, True,
                                   lower - timedelta(days=1))

    def _get_period_figures(self, date_from, date_to):
        """The figures of the targets for the part of their period inside
        ``date_from``..``date_to`` (the dashboard's month, quarter or year):
        ``{target_id: {"target", "actual_value", "expected_to_date", "date_from",
        "date_to"}}``; targets not overlapping the period are left out.

        - A target inside the period counts whole, with its own figures
          (``_get_figures``: its snapshot when its plan is closed): the sum of the monthly
          targets inside a quarter is the quarter's target.
        - A target spanning more than the period counts the part of its value that its
          expected-value function (``_expected_value``: even over the days, or by its
          seasonality's monthly shares) puts inside the period, i.e. expected by the
          period's end minus expected by the day before its start; its expected to date is
          prorated the same way up to today; its actual is the metric's value over the
          overlap only (one query per metric, ``sales.metric._compute_values``).
        - A ratio metric (win rate) is not prorated: its target is its rate, its actual
          the rate over the overlap.
        """
        if not all(self._ids):  # new records (an onchange): no figures of a period
            return {}
        return memoized_period_figures(self, date_from, date_to)

    def _compute_period_figures(self, date_from, date_to):
        """``_get_period_figures``, computed."""
        with collector_paused():
            rows = self._target_rows()  # one query, the read rules applied
            inside, spanning = [], []
            for row in rows:
                start, end = row.slot.date_from, row.slot.date_to
                if date_from <= start and end <= date_to:
                    inside.append(row)
                elif start <= date_to and end >= date_from:
                    spanning.append(row)
            figures = self._figures_of(inside)
            result = {
                row.id: {
                    "target": row.target_value,
                    "actual_value": figures[row.id]["actual_value"],
                    "expected_to_date": figures[row.id]["expected_to_date"],
                    "date_from": row.slot.date_from,
                    "date_to": row.slot.date_to,
                } for row in inside
            }
            if not spanning:
                return result
            metrics = self.env["sales.metric"].sudo().browse(
                {row.metric_id for row in spanning})
            additive = {metric.id: metric.is_additive for metric in metrics}
            today = context_today(self)
            expected_value = self._expected_value
            slots = defaultdict(list)
            for row in spanning:
                slot = row.slot
                start, end = max(slot.date_from, date_from), min(slot.date_to, date_to)
                is_additive = additive[row.metric_id]
                part = self._period_part_of(slot.date_from, slot.date_to, row.target_value,
                                            row.seasonality, is_additive, date_from, date_to)
                if today < start:
                    expected = 0.0
                elif is_additive:
                    expected = expected_value(
                        slot.date_from, slot.date_to, row.target_value, row.seasonality,
                        True, min(today, end),
                    ) - expected_value(slot.date_from, slot.date_to, row.target_value,
                                       row.seasonality, True, start - timedelta(days=1))
                else:
                    expected = part
                result[row.id] = {
                    "target": part, "actual_value": 0.0,
                    "expected_to_date": max(expected, 0.0), "date_from": start, "date_to": end,
                }
                slots[row.metric_id].append(slot._replace(date_from=start, date_to=end))
            for metric in metrics:
                for tid, value in metric._compute_values(slots[metric.id]).items():
                    result[tid]["actual_value"] = value
        return result
