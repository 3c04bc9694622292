# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Target generation: history + growth → seasonal period targets → allocation down the tree.

The method, with the guarantees the tests check:

1. The base period (default: the plan's period one year earlier) is split like the plan into
   months or quarters; ``b_p`` is the metric's actual in base period ``p`` (plan's scope).
2. Each period's raw target is ``b_p × (1 + growth)``. A period without history is planned
   like the weakest period that has history (a flat split when there is no history at all).
   The proposed total is the sum of these; the user may ask for more, never for less.
3. The total is spread over the periods along the seasonal index ``raw_p / mean(raw)``, so
   the seasonally adjusted series ``target_p / index_p`` is flat. Rounding (to the currency
   or to whole units) leaves no cent behind: the periods add up *exactly* to the total
   (``split_periods_exact``), ``target_p ≥ b_p × (1 + growth)`` always holds (at the
   rounding's precision), and the adjusted series moves by less than one rounding unit
   per period, never more (it would have to gain cents the total does not have).
4. Allocation lines (sub-plans, salespersons, customers, product categories, sales
   regions, countries, UTM media or sources) weigh by their history in the base period.
   The lines: every sub-plan, every member of the plan's team, every sales region of the
   plan's company (a region, a plan's territory, is planned even before it sells); the
   customers, categories, countries, media and sources that have history. By region,
   country, medium or source, the history that has none (an order without a UTM medium,
   a customer in no region) is one more line, *the rest*: it takes its share like the
   others, and stays on the plan's own target without a breakdown target.
   **Fair share**: a line without history weighs as much as the average line with
   history (all lines share equally when nobody has history). An overridden line keeps its
   amount; the others are rebalanced by weight. In each period the allocations are
   rounded by largest remainder, so they add up *exactly* to the period's target.
"""

import math

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_round

from ..models.sales_input_guard import check_input, check_vals

ALLOCATIONS = [
    ("none", "No allocation"),
    ("sub_plans", "Sub-plans"),
    ("user", "Salespersons"),
    ("partner", "Customers"),
    ("product_categ", "Product categories"),
    ("region", "Sales regions"),
    ("country", "Countries"),
    ("medium", "Channels (UTM medium)"),
    ("source", "Sources (UTM source)"),
]
# allocations whose lines may leave history out (no medium, no region...): a "rest" line
REST_ALLOCATIONS = ("region", "country", "medium", "source")
KEY_FIELDS = {
    "sub_plans": "sub_plan_id",
    "user": "user_id",
    "partner": "partner_id",
    "product_categ": "product_categ_id",
    "region": "region_id",
    "country": "country_id",
    "medium": "medium_id",
    "source": "source_id",
}


def split_exact(total, weights, rounding):
    """Split ``total`` by ``weights`` into multiples of ``rounding`` adding up exactly to
    ``total`` (largest remainder method). Equal split when all weights are zero."""
    units = round(total / rounding)
    if not weights:
        return []
    weight_sum = sum(weights)
    if weight_sum <= 0:
        weights, weight_sum = [1.0] * len(weights), float(len(weights))
    exact = [units * w / weight_sum for w in weights]
    floors = [int(x) for x in exact]
    remainder = units - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:remainder]:
        floors[i] += 1
    digits = max(0, -int(f"{rounding:e}".split("e")[1]))
    return [round(n * rounding, digits) for n in floors]


def split_periods_exact(wanted, minimums, total_units):
    """Periods' targets in rounding units: close to ``wanted`` (floats, in units), each at
    least its ``minimums`` (ints), adding up exactly to ``total_units`` — or to the sum of
    the minimums when that is more (the minimums are the guarantee). Start from the floors,
    then hand the remaining units out by largest remainder (later periods first on ties),
    or take back the surplus from the periods furthest above what they wanted."""
    units = [max(int(math.floor(round(w, 6))), m) for w, m in zip(wanted, minimums)]
    total_units = max(total_units, sum(minimums))
    left = total_units - sum(units)
    if left > 0:
        order = sorted(range(len(units)), key=lambda i: (-(wanted[i] - units[i]), -i))
        for step in range(left):
            units[order[step % len(order)]] += 1
    while left < 0:
        above = [i for i in range(len(units)) if units[i] > minimums[i]]
        i = max(above, key=lambda i: (units[i] - wanted[i], i))
        units[i] -= 1
        left += 1
    return units


class SalesPlanGenerate(models.TransientModel):
    _name = "sales.plan.generate"
    _description = "Generate Sales Plan Targets"
    _inherit = ["sales.wizard.guard.mixin"]
    _check_company_auto = True
    _link_guard_fields = {"plan_id": "read"}
    # only on plans the user may read: the history it shows is computed with sudo()
    _wizard_access = ("plan_id", "read")

    plan_id = fields.Many2one(comodel_name="sales.plan", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id")
    currency_id = fields.Many2one(related="plan_id.currency_id")
    metric_id = fields.Many2one(
        comodel_name="sales.metric",
        required=True,
        check_company=True,
        compute="_compute_metric_id",
        store=True,
        precompute=True,
        readonly=False,
        domain="[('measure', 'not in', ('win_ratio', 'retention_ratio'))]",
    )
    base_date_from = fields.Date(
        string="Base Period Start",
        compute="_compute_base_date_from",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="Start of the history the targets grow from (default: the same period "
        "last year).",
    )
    base_date_to = fields.Date(string="Base Period End", compute="_compute_base_date_to")
    base_warning = fields.Char(
        compute="_compute_base_warning",
        help="Set when the base period is not over: its last days have no sales yet.",
    )
    growth = fields.Float(string="Growth (%)", default=10.0)
    periodicity = fields.Selection(
        selection=[("month", "Monthly"), ("quarter", "Quarterly")],
        default="month",
        required=True,
    )
    allocate_by = fields.Selection(
        selection=ALLOCATIONS,
        compute="_compute_allocate_by",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    base_total = fields.Float(string="History", compute="_compute_totals")
    proposed_total = fields.Float(
        compute="_compute_totals",
        help="History × (1 + growth), periods without history planned like the weakest "
        "period with history.",
    )
    total_target = fields.Float(
        string="Total Target",
        help="Leave 0 to use the proposed total; a higher value raises every period "
        "proportionally.",
    )
    line_ids = fields.One2many(
        comodel_name="sales.plan.generate.line", inverse_name="wizard_id", string="Allocation"
    )
    period_preview = fields.Html(compute="_compute_totals", string="Periods")

    @api.constrains("base_date_from", "growth", "total_target")
    def _check_input_guard(self):
        check_input(self, numbers=("growth", "total_target"), dates=("base_date_from",))

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        self._check_links([vals])
        return super().write(vals)

    @api.depends("plan_id")
    def _compute_metric_id(self):
        for wizard in self:
            wizard.metric_id = wizard.plan_id.metric_id.filtered("is_additive") or \
                self.env.ref("sales_management.sales_metric_revenue")

    @api.depends("plan_id")
    def _compute_base_date_from(self):
        """The same period one year back, or further back until it is over: next year's
        plan made in December grows from the last complete year, not from an unfinished
        one whose last weeks have no sales yet."""
        today = fields.Date.context_today(self)
        for wizard in self:
            plan = wizard.plan_id
            if not plan.date_from:
                wizard.base_date_from = False
                continue
            years = 1
            while plan.date_to and plan.date_to - relativedelta(years=years) >= today \
                    and years < 100:
                years += 1
            wizard.base_date_from = plan.date_from - relativedelta(years=years)

    @api.depends("base_date_from", "base_date_to")
    def _compute_base_warning(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            end = wizard.base_date_to
            wizard.base_warning = end and end >= today and self.env._(
                "The base period is not over (it ends on %(end)s): its last %(days)s days "
                "have no sales yet, and the targets grown from it will be too low for "
                "them. Choose a complete period.",
                end=end, days=(end - today).days + 1,
            ) or False

    @api.depends("plan_id.date_from", "plan_id.date_to", "base_date_from")
    def _compute_base_date_to(self):
        for wizard in self:
            plan = wizard.plan_id
            wizard.base_date_to = wizard.base_date_from and plan.date_to and (
                plan.date_to - wizard._base_shift()
            )

    @api.depends("plan_id")
    def _compute_allocate_by(self):
        for wizard in self:
            wizard.allocate_by = "sub_plans" if wizard.plan_id.child_ids else "none"

    @api.depends(
        "metric_id", "base_date_from", "growth", "periodicity", "total_target", "plan_id"
    )
    def _compute_totals(self):
        for wizard in self:
            if not (wizard.plan_id and wizard.metric_id and wizard.base_date_from):
                wizard.base_total = wizard.proposed_total = 0.0
                wizard.period_preview = False
                continue
            plan_data = wizard._compute_period_targets()
            wizard.base_total = sum(p["base"] for p in plan_data)
            wizard.proposed_total = sum(p["raw"] for p in plan_data)
            rows = "".join(
                f"<tr><td>{p['date_from']} → {p['date_to']}</td>"
                f"<td class='text-end'>{p['base']:,.2f}</td>"
                f"<td class='text-end'>{p['target']:,.2f}</td></tr>"
                for p in plan_data
            )
            wizard.period_preview = (
                "<table class='table table-sm'><thead><tr>"
                f"<th>{self.env._('Period')}</th>"
                f"<th class='text-end'>{self.env._('History')}</th>"
                f"<th class='text-end'>{self.env._('Target')}</th>"
                f"</tr></thead><tbody>{rows}</tbody></table>"
            )

    # ------------------------------------------------------------------ constraints
    @api.constrains("growth", "total_target")
    def _check_values(self):
        for wizard in self:
            if wizard.growth < 0:
                raise ValidationError(self.env._(
                    "Growth cannot be negative: targets grow from the base period."
                ))
            if wizard.total_target < 0:
                raise ValidationError(self.env._("A target cannot be negative."))

    @api.onchange("allocate_by", "metric_id", "base_date_from")
    def _onchange_allocate_by(self):
        self.action_load_lines()

    # ------------------------------------------------------------------ actions
    def action_load_lines(self):
        """(Re)build the allocation lines with each key's history."""
        for wizard in self:
            commands = [fields.Command.clear()]
            if wizard.allocate_by != "none" and wizard.metric_id and wizard.plan_id:
                for key, history in wizard._allocation_keys():
                    commands.append(fields.Command.create({
                        KEY_FIELDS[wizard.allocate_by]: key,
                        "history_value": history,
                    }))
            wizard.line_ids = commands
        return self._reopen()

    def action_generate(self):
        """Create the period targets on the plan and the allocations, replacing the
        previous targets of the metric on the same periods."""
        self.ensure_one()
        plan = self.plan_id
        plan.check_access("write")
        plan._check_can_manage()
        if not self.metric_id.is_additive:
            raise UserError(self.env._(
                "Targets can only be generated for metrics that add up (not %(metric)s).",
                metric=self.metric_id.name,
            ))
        if self.allocate_by != "none" and not self.line_ids:
            raise UserError(self.env._("Add at least one allocation line, or allocate to none."))
        if self.allocate_by == "sub_plans" and not plan.child_ids:
            raise UserError(self.env._(
                "Plan %(name)s has no sub-plan to allocate to.", name=plan.name
            ))
        self._check_lines()
        periods = self._compute_period_targets()
        # the lines in the order the allocations follow (unlinking the old targets below
        # may reload them in another order)
        lines = self.line_ids
        allocations = self._compute_allocations(periods)
        Target = self.env["sales.plan.target"]
        plans = plan | (self.line_ids.sub_plan_id if self.allocate_by == "sub_plans" else plan)
        old = Target.search([
            ("plan_id", "in", plans.ids),
            ("metric_id", "=", self.metric_id.id),
            ("date_from", ">=", plan.date_from),
            ("date_to", "<=", plan.date_to),
        ])
        if self.allocate_by in ("none", "sub_plans"):
            old = old.filtered(lambda t: not t.is_breakdown)
        else:
            field = KEY_FIELDS[self.allocate_by]
            old = old.filtered(lambda t: not t.is_breakdown or t[field])
        old.unlink()
        vals_list = []
        for period in periods:
            base = {
                "metric_id": self.metric_id.id,
                "date_from": period["date_from"],
                "date_to": period["date_to"],
                "seasonality": period["seasonality"],
            }
            vals_list.append({**base, "plan_id": plan.id, "target_value": period["target"]})
            for line, amount in zip(lines, allocations[period["index"]]):
                if self.allocate_by == "sub_plans":
                    vals_list.append({
                        **base, "plan_id": line.sub_plan_id.id, "target_value": amount,
                    })
                elif line[KEY_FIELDS[self.allocate_by]]:  # the rest: no breakdown target
                    field = KEY_FIELDS[self.allocate_by]
                    vals_list.append({
                        **base, "plan_id": plan.id, "target_value": amount,
                        field: line[field].id,
                    })
        targets = Target.create(vals_list)
        plan.message_post(body=self.env._(
            "%(count)s targets generated for %(metric)s: base %(base_from)s → %(base_to)s, "
            "growth %(growth)s %%, total %(total)s.",
            count=len(targets), metric=self.metric_id.name, base_from=self.base_date_from,
            base_to=self.base_date_to, growth=self.growth,
            total=sum(p["target"] for p in periods),
        ))
        return {"type": "ir.actions.act_window_close"}

    # ------------------------------------------------------------------ business
    def _check_lines(self):
        """Refuse lines that would make wrong targets: a value on two lines (two targets
        for one region, one customer...), a plan that is not a sub-plan, a sales region of
        another company than the plan's. (Each line's value was checked for the caller's
        right to read or assign it when the line was written: ``_link_guard_fields``.)"""
        self.ensure_one()
        if self.allocate_by == "none":
            return
        field = KEY_FIELDS[self.allocate_by]
        keys = self.line_ids[field]
        if len(keys) != len(self.line_ids.filtered(field)):
            twice = next(key for key in keys if len(
                self.line_ids.filtered(lambda line, key=key: line[field] == key)) > 1)
            raise UserError(self.env._(
                "%(value)s is on two allocation lines: each value gets one share.",
                value=twice.display_name,
            ))
        if self.allocate_by == "sub_plans" and keys - self.plan_id.child_ids:
            raise UserError(self.env._(
                "Plan %(name)s is not a sub-plan of plan %(plan)s.",
                name=(keys - self.plan_id.child_ids)[0].name, plan=self.plan_id.name,
            ))
        if self.allocate_by == "region":
            foreign = keys.filtered(
                lambda r: r.company_id and r.company_id != self.plan_id.company_id)
            if foreign:
                raise UserError(self.env._(
                    "Sales region %(region)s belongs to another company than plan %(plan)s.",
                    region=foreign[0].display_name, plan=self.plan_id.name,
                ))

    def _reopen(self):
        if len(self) != 1 or not self.id:
            return True
        return self._get_records_action(view_mode="form", target="new", context={})

    def _rounding(self):
        self.ensure_one()
        if self.metric_id.unit == "amount":
            return self.plan_id.currency_id.rounding or 0.01
        if self.metric_id.unit == "count":
            return 1.0
        return 0.01

    def _base_shift(self):
        """How far back the base period lies, in whole months when possible."""
        self.ensure_one()
        start, base = self.plan_id.date_from, self.base_date_from
        if not (start and base):
            return relativedelta()
        if start.day == base.day:
            return relativedelta(months=(start.year - base.year) * 12 + start.month - base.month)
        return relativedelta(days=(start - base).days)

    def _periods(self):
        """The plan's months or quarters (clipped to the plan), as (date_from, date_to)."""
        self.ensure_one()
        plan = self.plan_id
        step = relativedelta(months=1 if self.periodicity == "month" else 3)
        periods, start = [], plan.date_from
        while start <= plan.date_to:
            end = min(start + step - relativedelta(days=1), plan.date_to)
            periods.append((start, end))
            start = end + relativedelta(days=1)
        return periods

    def _months(self, date_from, date_to):
        months, start = [], date_from
        while start <= date_to:
            end = min(start + relativedelta(day=31), date_to)
            months.append((start, end))
            start = end + relativedelta(days=1)
        return months

    def _compute_period_targets(self):
        """Period targets per the module docstring: ``[{index, date_from, date_to, base,
        raw, target, seasonality}]``. Two queries (base by period, base by month)."""
        self.ensure_one()
        plan, metric = self.plan_id, self.metric_id
        # the history below is read with sudo(): only for a plan the caller reads (an
        # onchange may name any plan id)
        plan.check_access("read")
        shift = self._base_shift()
        periods = self._periods()
        months = self._months(plan.date_from, plan.date_to)
        scope = {"company_id": plan.company_id.id, **plan._scope_dimensions()}
        slots = [
            {**scope, "key": ("p", i), "date_from": start - shift, "date_to": end - shift}
            for i, (start, end) in enumerate(periods)
        ] + [
            {**scope, "key": ("m", i), "date_from": start - shift, "date_to": end - shift}
            for i, (start, end) in enumerate(months)
        ]
        history = metric.sudo()._compute_values(slots)
        rounding = self._rounding()
        factor = 1.0 + self.growth / 100.0
        bases = [history[("p", i)] for i in range(len(periods))]
        positive = [b for b in bases if b > 0]
        floor = min(positive) if positive else 1.0
        raws = [(b if b > 0 else floor) * factor for b in bases]
        if not positive:
            raws = [0.0] * len(bases)
        raw_total = sum(raws)
        # a total asked for may fall short of history x growth by less than one rounding
        # unit (a sub-plan regenerated for exactly what it was allocated), not more
        if self.total_target and float_compare(
            self.total_target, raw_total - rounding, precision_rounding=rounding
        ) < 0:
            raise UserError(self.env._(
                "The total target (%(total)s) is below history × growth (%(proposed)s): "
                "targets must grow from the base period.",
                total=self.total_target,
                proposed=float_round(raw_total, precision_rounding=rounding),
            ))
        # a total asked for is kept to the cent (not raised by the fraction of a cent by
        # which history x growth may exceed it)
        total = self.total_target or raw_total
        # seasonal index: raw_p / mean(raw) (flat without history)
        if raw_total > 0:
            mean = raw_total / len(raws)
            index = [r / mean for r in raws]
        else:
            index = [1.0] * len(raws)
        level = total / len(raws) if raws else 0.0
        # in rounding units: the seasonal split of the total, each period at least its
        # history x growth (at the rounding's precision: what float_compare accepts)
        wanted = [level * index[i] / rounding for i in range(len(periods))]
        # (amounts in units rounded to 6 decimals first: 409852.80000000005 is 40985280
        # units, not 40985281)
        total_units = int(math.ceil(round(total / rounding, 6)))
        minimums = [int(math.floor(round(raw / rounding, 6) + 0.5)) for raw in raws]
        if self.total_target and sum(minimums) > total_units:
            # a total asked for is kept to the cent: when it is history x growth itself
            # (a sub-plan regenerated for its allocation), the seasonal split alone decides
            # and a period may stay below its own growth by about one rounding unit
            minimums = [0] * len(raws)
        units = split_periods_exact(wanted, minimums, total_units)
        digits = max(0, -int(f"{rounding:e}".split("e")[1]))
        result = []
        for i, (start, end) in enumerate(periods):
            target = round(units[i] * rounding, digits)
            month_history = {
                ms.strftime("%Y-%m"): history[("m", j)]
                for j, (ms, _me) in enumerate(months) if start <= ms <= end
            }
            seasonality = month_history if len(month_history) > 1 and any(
                month_history.values()
            ) else False
            result.append({
                "index": i, "date_from": start, "date_to": end, "base": bases[i],
                "raw": raws[i], "target": target, "seasonality": seasonality,
            })
        return result

    def _allocation_keys(self):
        """``[(key id, history)]`` for the allocation: the sub-plans, the team's members
        (and whoever sold in the base period), the customers or categories with history."""
        self.ensure_one()
        plan, metric = self.plan_id, self.metric_id
        # per-key history (colleagues' figures): only for whoever may write the plan
        plan.check_access("write")
        base_slot = {
            "company_id": plan.company_id.id, **plan._scope_dimensions(),
            "date_from": self.base_date_from, "date_to": self.base_date_to,
        }
        if self.allocate_by == "sub_plans":
            children = plan.child_ids._filtered_access("read").filtered(
                lambda c: c.state != "cancelled"
            )
            slots = [
                {**base_slot, **child._scope_dimensions(), "key": child.id}
                for child in children
            ]
            history = metric.sudo()._compute_values(slots)
            return [(child.id, history[child.id]) for child in children]
        if self.allocate_by == "region":
            return self._region_keys(base_slot)
        dimension = KEY_FIELDS[self.allocate_by]
        if dimension not in metric._supported_dimensions():
            raise UserError(self.env._(
                "The metric %(metric)s cannot be allocated by %(dimension)s.",
                metric=metric.name, dimension=dict(ALLOCATIONS)[self.allocate_by],
            ))
        ids = metric.sudo()._distinct_values(dimension, {**base_slot, "key": "_"})
        if dimension == "user_id":
            if base_slot.get("user_id"):
                raise UserError(self.env._(
                    "Plan %(name)s already counts one salesperson's sales only.",
                    name=plan.name,
                ))
            members = plan.team_id.member_ids if plan.team_id else self.env["res.users"]
            ids = list(dict.fromkeys(members.ids + ids))
            # a leader sees his team's members, a salesperson himself, a manager anyone
            visible = self._link_guard_assignable(self.env["res.users"].browse(ids))
            ids = [key for key in ids if key in visible.ids]
        slots = [{**base_slot, dimension: key, "key": key} for key in ids]
        if self.allocate_by in REST_ALLOCATIONS:
            slots.append({**base_slot, "key": "_all"})
        history = metric.sudo()._compute_values(slots)
        keys = sorted(((key, history[key]) for key in ids), key=lambda kv: (-kv[1], kv[0]))
        return self._with_rest(keys, history.get("_all", 0.0))

    def _with_rest(self, keys, total):
        """``keys`` and, by region, country, medium or source, the rest of the history
        (``total`` minus the keys', when it is worth a rounding unit) as a key ``False``."""
        if self.allocate_by not in REST_ALLOCATIONS:
            return keys
        rest = total - sum(history for _key, history in keys)
        if float_compare(rest, self._rounding() / 2.0, precision_digits=6) > 0:
            keys.append((False, rest))
        return keys

    def _region_keys(self, base_slot):
        """``[(region id, history)]``: the active sales regions of the plan's company
        (or shared) that the user reads, each with the metric's history in its countries
        and states (one query)."""
        plan, metric = self.plan_id, self.metric_id
        if base_slot.get("region_id") is not None or \
                "country_id" not in metric._supported_dimensions():
            raise UserError(self.env._(
                "The metric %(metric)s cannot be allocated by %(dimension)s.",
                metric=metric.name, dimension=dict(ALLOCATIONS)["region"],
            ))
        regions = self.env["sales.region"].search(
            [("company_id", "in", (plan.company_id.id, False))], order="name, id")
        slots = [{**base_slot, "region_id": region.id, "key": region.id}
                 for region in regions] + [{**base_slot, "key": "_all"}]
        history = metric.sudo()._compute_values(slots)
        keys = sorted(((region.id, history[region.id]) for region in regions),
                      key=lambda kv: (-kv[1], kv[0]))
        return self._with_rest(keys, history["_all"])

    def _line_weights(self):
        """Fair-share weights: history, or the average history for a line without any."""
        self.ensure_one()
        histories = self.line_ids.mapped("history_value")
        positive = [h for h in histories if h > 0]
        fair = sum(positive) / len(positive) if positive else 1.0
        return [h if h > 0 else fair for h in histories]

    def _compute_allocations(self, periods):
        """``{period index: [amount per line]}``: overridden lines keep their amount
        (spread over the periods like the plan), the others share the rest by weight; in
        each period the amounts add up exactly to the period target."""
        self.ensure_one()
        if self.allocate_by == "none" or not self.line_ids:
            return {p["index"]: [] for p in periods}
        rounding = self._rounding()
        lines = list(self.line_ids)
        total = sum(p["target"] for p in periods)
        overridden = [i for i, line in enumerate(lines) if line.is_override]
        free = [i for i in range(len(lines)) if i not in overridden]
        override_total = sum(lines[i].override_amount for i in overridden)
        if float_compare(override_total, total, precision_rounding=rounding) > 0:
            raise UserError(self.env._(
                "The overridden amounts (%(overrides)s) exceed the total target (%(total)s).",
                overrides=override_total, total=total,
            ))
        if not free and float_compare(override_total, total, precision_rounding=rounding):
            raise UserError(self.env._(
                "Every line is overridden but they add up to %(overrides)s instead of the "
                "total target %(total)s.", overrides=override_total, total=total,
            ))
        weights = self._line_weights()
        period_weights = [p["target"] for p in periods]
        # each override spread over the periods like the plan's targets
        override_by_period = {
            i: split_exact(lines[i].override_amount, period_weights, rounding) for i in overridden
        }
        result = {}
        for k, period in enumerate(periods):
            amounts = [0.0] * len(lines)
            for i in overridden:
                amounts[i] = override_by_period[i][k]
            rest = period["target"] - sum(amounts)
            if free:
                rest = max(rest, 0.0)
                for i, amount in zip(free, split_exact(rest, [weights[i] for i in free],
                                                       rounding)):
                    amounts[i] = amount
            result[period["index"]] = amounts
        return result


class SalesPlanGenerateLine(models.TransientModel):
    _name = "sales.plan.generate.line"
    _description = "Generate Sales Plan Targets: allocation line"
    _inherit = ["sales.wizard.guard.mixin"]
    # the value a line allocates to: one the caller may read (a salesperson: one he may
    # assign), like the lines the wizard loads itself
    _link_guard_fields = {
        "sub_plan_id": "read", "user_id": "assign", "partner_id": "read",
        "product_categ_id": "read", "region_id": "read", "country_id": "read",
        "medium_id": "read", "source_id": "read",
    }
    # only in one's own wizard (the wizards' record rule)
    _wizard_access = ("wizard_id", "write")
    _order = "history_value desc, id"

    wizard_id = fields.Many2one(
        comodel_name="sales.plan.generate", required=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    sub_plan_id = fields.Many2one(comodel_name="sales.plan", string="Sub-plan")
    user_id = fields.Many2one(comodel_name="res.users", string="Salesperson")
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer")
    product_categ_id = fields.Many2one(comodel_name="product.category", string="Category")
    region_id = fields.Many2one(comodel_name="sales.region", string="Sales Region")
    country_id = fields.Many2one(comodel_name="res.country", string="Country")
    medium_id = fields.Many2one(comodel_name="utm.medium", string="Medium")
    source_id = fields.Many2one(comodel_name="utm.source", string="Source")
    history_value = fields.Float(string="History", readonly=True)
    rest_label = fields.Char(
        string="Not Broken Down", compute="_compute_labels",
        help="The history without this dimension: its share stays on the plan's own "
        "target, without a breakdown target.",
    )
    label = fields.Char(
        string="Allocated To", compute="_compute_labels",
        help="The sales region, country, medium or source, or the history without any.",
    )
    share = fields.Float(string="Share (%)", compute="_compute_amount")
    is_override = fields.Boolean(
        string="Override", help="Keep this amount; the other lines are rebalanced."
    )
    override_amount = fields.Float(string="Overridden Amount")
    amount = fields.Float(
        compute="_compute_amount", help="Allocated over the whole plan period."
    )

    @api.constrains("override_amount")
    def _check_input_guard(self):
        check_input(self, non_negative=("override_amount",))

    def write(self, vals):
        # a value changed on a line: checked like one given at creation
        self._check_links([vals])
        return super().write(vals)

    @api.depends("wizard_id.allocate_by", "region_id", "country_id", "medium_id", "source_id")
    def _compute_labels(self):
        labels = {
            "region": self.env._("In no sales region"),
            "country": self.env._("No country"),
            "medium": self.env._("No medium"),
            "source": self.env._("No source"),
        }
        for line in self:
            kind = line.wizard_id.allocate_by
            key = line[KEY_FIELDS[kind]] if kind in labels else False
            line.rest_label = labels[kind] if kind in labels and not key else False
            line.label = key.display_name if key else line.rest_label

    @api.depends(
        "wizard_id.proposed_total", "wizard_id.total_target", "is_override", "override_amount",
        "wizard_id.line_ids.history_value", "wizard_id.line_ids.is_override",
        "wizard_id.line_ids.override_amount",
    )
    def _compute_amount(self):
        for wizard in self.wizard_id:
            total = max(wizard.total_target, wizard.proposed_total)
            lines = list(wizard.line_ids)
            weights = wizard._line_weights()
            free = [i for i, line in enumerate(lines) if not line.is_override]
            rest = total - sum(line.override_amount for line in lines if line.is_override)
            free_weight = sum(weights[i] for i in free)
            for i, line in enumerate(lines):
                if i in free:
                    line.amount = max(rest, 0.0) * weights[i] / free_weight \
                        if free_weight else 0.0
                else:
                    line.amount = line.override_amount
                line.share = 100.0 * line.amount / total if total else 0.0
        for line in self.filtered(lambda rec: not rec.wizard_id):
            line.amount = line.share = 0.0

    @api.onchange("override_amount")
    def _onchange_override_amount(self):
        if self._origin.override_amount != self.override_amount:
            self.is_override = True

    @api.constrains("override_amount")
    def _check_amount(self):
        for line in self:
            if line.override_amount < 0:
                raise ValidationError(self.env._("An allocation cannot be negative."))
