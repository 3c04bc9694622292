# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Guards on the numbers and dates users type (or a hostile client sends).

JSON-RPC accepts ``NaN`` and ``Infinity``; PostgreSQL stores them in float columns and every
sum they enter becomes NaN. Dates outside 1900-2999 are typing mistakes that break the
period arithmetic, the tracking messages and the reports. Each model below refuses them with
a ValidationError naming the field (tests/test_hostile_input.py generates such input).
"""

import datetime
import json
import math
import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

YEAR_MIN, YEAR_MAX = 1900, 2999
# beyond this, amounts overflow the currency rounding and mean nothing in sales figures
MAX_MAGNITUDE = 1e15
MAX_MAGNITUDE_TEXT = "1e+15"  # a plain literal: Odoo's term extractor cannot read f-strings


INT4_MAX = 2**31 - 1
X2MANY_COMMANDS = range(7)
# a seasonality: {"YYYY-MM": weight}, at most this many months (a plan spans a few years)
SEASONALITY_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
SEASONALITY_MAX_MONTHS = 120
# the addon's company settings: (lowest, highest) accepted, None when unbounded
COMPANY_SETTING_BOUNDS = {
    "sales_plan_on_track_pace": (0.0, 100.0),
    "sales_plan_at_risk_pace": (0.0, 100.0),
    "milestone_window_months": (1, 120),
    "milestone_min_closed": (0, 1000000),
    "milestone_stalled_factor": (0.0, 100.0),
    "sales_control_escalation_leader_days": (0, 3650),
    "sales_control_escalation_manager_days": (0, 3650),
}


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _well_typed(env, field, value):
    """Whether ``value`` is of a shape the ORM can convert for ``field`` (what the web
    client sends). JSON-RPC lets any client send anything: a list for a date, a string for
    an id. Those must end in a clear error, not in a ValueError deep in the ORM."""
    if value is False or value is None or isinstance(value, (models.BaseModel, datetime.date)):
        return True  # what the server's own code passes: records, dates
    ftype = field.type
    if ftype == "integer":
        if isinstance(value, str):
            try:
                value = int(value)
            except ValueError:
                return False
        return isinstance(value, bool) or (_is_number(value) and abs(value) <= INT4_MAX)
    if ftype in ("float", "monetary"):
        if isinstance(value, str):
            try:
                float(value)
            except ValueError:
                return False
            return True
        return _is_number(value)
    if ftype in ("char", "text", "html"):
        return isinstance(value, str)
    if ftype in ("date", "datetime"):
        if not isinstance(value, str) or not value:
            return False
        try:
            if ftype == "date":
                fields.Date.to_date(value)
            else:
                fields.Datetime.to_datetime(value)
        except ValueError:
            return False
        return True
    if ftype == "selection":
        return isinstance(value, str) and value in dict(field._description_selection(env))
    if ftype == "many2one":
        return _is_number(value) and float(value).is_integer() and 0 < value <= INT4_MAX
    if ftype in ("many2many", "one2many"):
        if not isinstance(value, (list, tuple)):
            return False
        for command in value:
            if isinstance(command, (list, tuple)):
                if not command or command[0] not in X2MANY_COMMANDS:
                    return False
            elif not (_is_number(command) and 0 < command <= INT4_MAX):
                return False
        return True
    return True


def check_vals(model, vals_list, names=None):
    """Refuse, *before* they reach the ORM, values of the wrong shape for their field (see
    ``_well_typed``) and NaN, infinite and absurdly large numbers: a Monetary field rounds
    the value on the way to the column, and infinity (or 1e308) overflows there with a raw
    OverflowError. Structured (JSON) values go through the model's ``_guard_json_<field>``
    method, which raises or returns the value normalized.

    ``names``: only these fields (default: all). Returns the values to write (new dicts
    where a JSON value was normalized; the caller's dicts are left as they were)."""
    env = model.env
    result = []
    for vals in vals_list:
        normalized = None
        for name, value in vals.items():
            field = model._fields.get(name)
            if not field or (names is not None and name not in names):
                continue
            if field.type == "json":
                guard = getattr(model, f"_guard_json_{name}", None)
                if guard is not None:
                    normalized = normalized or dict(vals)
                    normalized[name] = guard(value)
                continue
            if not _well_typed(env, field, value):
                raise ValidationError(env._(
                    "%(field)s: %(value)s is not a valid value.",
                    field=field._description_string(env), value=repr(value)[:80],
                ))
            if field.type not in ("float", "monetary"):
                continue
            if _is_number(value) and (not math.isfinite(value) or abs(value) > MAX_MAGNITUDE):
                raise ValidationError(env._(
                    "%(field)s must be a number between -%(max)s and %(max)s, not %(value)s.",
                    field=field._description_string(env), max=MAX_MAGNITUDE_TEXT,
                    value=value,
                ))
        result.append(normalized if normalized is not None else vals)
    return result


class CheckedValues:
    """Python mixin, first base of every guarded model and wizard, so that its create and
    write run *before* the model's own overrides (which may browse an id or read a date
    from the values): every value is checked by ``check_vals`` before anything uses it."""

    __slots__ = ()  # the layout of Odoo's record classes (BaseModel uses __slots__)

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(check_vals(self, vals_list))

    def write(self, vals):
        return super().write(check_vals(self, [vals])[0])

    @api.model
    def _add_missing_default_values(self, values):
        """Defaults are values too: a client sets any ``default_<field>`` in the context.
        Those are checked before the ORM converts them, and every default (context or
        ``ir.default``) goes through ``check_vals`` (JSON values normalized)."""
        prefix = "default_"
        from_context = {
            key[len(prefix):]: value for key, value in self.env.context.items()
            if isinstance(key, str) and key.startswith(prefix)
            and key[len(prefix):] in self._fields and key[len(prefix):] not in values
        }
        if from_context:
            check_vals(self, [from_context])
        result = super()._add_missing_default_values(values)
        defaulted = {name: value for name, value in result.items() if name not in values}
        if defaulted:
            result.update(check_vals(self, [defaulted])[0])
        return result

    def onchange(self, values, field_names, fields_spec):
        """A form's values go through the same checks before the onchange computes
        anything from them (a text for a number would raise a ValueError in the ORM).
        Not the relational ones: the web client sends a line's parent as a dict of its
        values, and a line's commands, which the ORM reads itself."""
        if isinstance(values, dict):
            values = check_vals(self, [values], {
                name for name in values
                if name in self._fields and not self._fields[name].relational
            })[0]
        return super().onchange(values, field_names, fields_spec)


def check_input(records, numbers=(), non_negative=(), dates=()):
    """Raise a ValidationError when a number of ``numbers`` is NaN or infinite, one of
    ``non_negative`` is below zero, or a date of ``dates`` is outside YEAR_MIN-YEAR_MAX."""
    env = records.env
    for record in records:
        for name in (*numbers, *non_negative):
            value = record[name]
            if value and not math.isfinite(value):
                raise ValidationError(env._(
                    "%(field)s must be a number, not %(value)s.",
                    field=record._fields[name]._description_string(env), value=value,
                ))
            if name in non_negative and value < 0:
                raise ValidationError(env._(
                    "%(field)s cannot be negative.",
                    field=record._fields[name]._description_string(env),
                ))
        for name in dates:
            value = record[name]
            if value and not YEAR_MIN <= value.year <= YEAR_MAX:
                raise ValidationError(env._(
                    "%(field)s %(value)s is not a plausible date (years %(min)s to %(max)s).",
                    field=record._fields[name]._description_string(env),
                    value=fields.Date.to_string(value), min=YEAR_MIN, max=YEAR_MAX,
                ))


def _month_start(key):
    match = SEASONALITY_MONTH.match(key) if isinstance(key, str) else None
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not YEAR_MIN <= year <= YEAR_MAX:
        return None
    return datetime.date(year, month, 1)


def normalize_seasonality(env, value):
    """The seasonality a client sends, checked and normalized, or a ValidationError.

    Accepted: empty (False, None, ``{}``: evenly over the period), or a JSON object (a
    dict, or its JSON text) of at most ``SEASONALITY_MAX_MONTHS`` months ``"YYYY-MM"``
    (years YEAR_MIN-YEAR_MAX) to weights: finite numbers from 0 to MAX_MAGNITUDE, not all
    zero. Weights are relative (the share of a month is its weight over their sum): they
    are stored as given, as floats, keys sorted. That the months lie in the target's
    period is checked by a constraint (the period may come in the same write)."""
    if value in (False, None, {}, ""):
        return False
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, dict) or len(value) > SEASONALITY_MAX_MONTHS:
        raise ValidationError(env._(
            "Seasonality: expected an object of at most %(max)s months and their weights, "
            "like {\"2026-01\": 1.0, \"2026-02\": 2.5}.", max=SEASONALITY_MAX_MONTHS,
        ))
    shares = {}
    for key, weight in value.items():
        if _month_start(key) is None:
            raise ValidationError(env._(
                "Seasonality: %(key)s is not a month (YYYY-MM).", key=repr(key)[:40],
            ))
        if not _is_number(weight) or not math.isfinite(weight) \
                or not 0 <= weight <= MAX_MAGNITUDE:
            raise ValidationError(env._(
                "Seasonality: the weight of %(key)s must be a number from 0 to %(max)s, "
                "not %(value)s.", key=key, max=MAX_MAGNITUDE_TEXT, value=repr(weight)[:40],
            ))
        shares[key] = float(weight)
    if not any(shares.values()):
        raise ValidationError(env._(
            "Seasonality: at least one month must weigh more than zero (or leave it empty "
            "for an even spread)."
        ))
    return dict(sorted(shares.items()))


def readable_seasonality(value):
    """The stored seasonality as the figures use it, or None (an even spread) when it is
    not a valid one: legacy data written before the guard must not break the readers."""
    if not value:
        return None
    if not isinstance(value, dict) or len(value) > SEASONALITY_MAX_MONTHS:
        return None
    for key, weight in value.items():
        if _month_start(key) is None or not _is_number(weight) \
                or not math.isfinite(weight) or not 0 <= weight <= MAX_MAGNITUDE:
            return None
    if not any(value.values()):
        return None
    return value


class SalesPlan(CheckedValues, models.Model):
    _inherit = "sales.plan"

    @api.constrains("date_from", "date_to")
    def _check_input_guard(self):
        check_input(self, dates=("date_from", "date_to"))


class SalesPlanTarget(CheckedValues, models.Model):
    _inherit = "sales.plan.target"

    seasonality_warning = fields.Char(
        compute="_compute_seasonality_warning",
        help="Set when the stored seasonality is not a valid one (data from before the "
        "input guard): the figures then spread the target evenly over its period.",
    )

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
                             if not first <= _month_start(key) <= target.date_to)
            if outside:
                raise ValidationError(self.env._(
                    "Target %(name)s: the seasonality names months outside its period "
                    "(%(months)s).", name=target.display_name, months=", ".join(outside[:6]),
                ))

    @api.model
    def _guard_json_seasonality(self, value):
        return normalize_seasonality(self.env, value)

    @api.model
    def _elapsed_share_of(self, start, end, seasonality, today):
        """An invalid stored seasonality reads as none (an even spread), never crashes
        the figures (list, dashboard, PDF, deviation job)."""
        return super()._elapsed_share_of(start, end, readable_seasonality(seasonality), today)

    def _shift_seasonality(self, shift):
        if readable_seasonality(self.seasonality) is None:
            return False
        return super()._shift_seasonality(shift)


class SalesTask(CheckedValues, models.Model):
    _inherit = "sales.task"

    @api.constrains("date_start", "date_deadline", "expected_result", "actual_result",
                    "planned_hours", "spent_hours", "budget", "cost")
    def _check_input_guard(self):
        check_input(self, numbers=("expected_result", "actual_result"),
                    non_negative=("planned_hours", "spent_hours", "budget", "cost"),
                    dates=("date_start", "date_deadline"))


class SalesTaskTodo(CheckedValues, models.Model):
    _inherit = "sales.task.todo"

    @api.constrains("date_deadline", "planned_hours", "spent_hours", "expected_value",
                    "actual_value")
    def _check_input_guard(self):
        check_input(self, numbers=("expected_value", "actual_value"),
                    non_negative=("planned_hours", "spent_hours"), dates=("date_deadline",))


class SalesTaskResource(CheckedValues, models.Model):
    _inherit = "sales.task.resource"

    @api.constrains("quantity_planned", "quantity_used", "amount_planned", "amount_used")
    def _check_input_guard(self):
        check_input(self, non_negative=("quantity_planned", "quantity_used",
                                        "amount_planned", "amount_used"))


class SalesTaskTemplateLine(CheckedValues, models.Model):
    _inherit = "sales.task.template.line"

    @api.constrains("planned_hours", "expected_value")
    def _check_input_guard(self):
        check_input(self, numbers=("expected_value",), non_negative=("planned_hours",))


class SalesCorrectiveAction(CheckedValues, models.Model):
    _inherit = "sales.corrective.action"

    # the responsible works in the plan's company
    user_id = fields.Many2one(check_company=True)

    @api.constrains("date_deadline")
    def _check_input_guard(self):
        check_input(self, dates=("date_deadline",))


class SalesMilestone(CheckedValues, models.Model):
    _inherit = "sales.milestone"

    @api.constrains("probability")
    def _check_input_guard(self):
        check_input(self, non_negative=("probability",))


class SalesLeadMilestone(CheckedValues, models.Model):
    _inherit = "sales.lead.milestone"

    # who recorded the milestone: a user of the opportunity's company
    user_id = fields.Many2one(check_company=True)

    @api.constrains("date_reached")
    def _check_input_guard(self):
        check_input(self, dates=("date_reached",))



class SalesRegion(CheckedValues, models.Model):
    _inherit = "sales.region"


class SalesMilestoneCriterion(CheckedValues, models.Model):
    _inherit = "sales.milestone.criterion"


class SalesTaskTemplate(CheckedValues, models.Model):
    _inherit = "sales.task.template"


class SalesMetric(CheckedValues, models.Model):
    _inherit = "sales.metric"


# ---------------------------------------------------------------------- company settings
class ResCompany(models.Model):
    """The addon's company settings: checked on the way in like the documents' values
    (``check_vals``: a text for a number, NaN, infinity) and bounded (``COMPANY_SETTING_BOUNDS``).
    Only the addon's fields: the core's company fields keep the core's rules."""

    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(check_vals(self, vals_list, SALES_COMPANY_SETTINGS))

    def write(self, vals):
        return super().write(check_vals(self, [vals], SALES_COMPANY_SETTINGS)[0])

    @api.constrains(*COMPANY_SETTING_BOUNDS)
    def _check_sales_settings_bounds(self):
        check_setting_bounds(self)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(check_vals(self, vals_list, SALES_COMPANY_SETTINGS))

    def write(self, vals):
        return super().write(check_vals(self, [vals], SALES_COMPANY_SETTINGS)[0])
    # (the bounds are checked on the company, where the related settings are stored)


def check_setting_bounds(records):
    env = records.env
    for record in records:
        for name, (low, high) in COMPANY_SETTING_BOUNDS.items():
            value = record[name]
            if not (math.isfinite(value) and low <= value <= high):
                raise ValidationError(env._(
                    "%(field)s must be between %(low)s and %(high)s, not %(value)s.",
                    field=record._fields[name]._description_string(env), low=low,
                    high=high, value=value,
                ))


# every stored company setting of the addon (res.company fields, related in the settings)
SALES_COMPANY_SETTINGS = frozenset((
    *COMPANY_SETTING_BOUNDS,
    "sales_task_require_execution_plan", "sales_control_digest_enabled",
    "sales_control_digest_leads", "sales_control_digest_orders",
    "sales_control_digest_tasks", "sales_control_digest_todos",
    "sales_control_digest_plans", "sales_control_manager_id",
    "sales_report_recipient_ids", "sales_report_period",
))


# ---------------------------------------------------------------------- dashboard, reports
def check_date_param(env, value, label):
    """A date parameter of the dashboard or a report (a date or its ISO text, years
    YEAR_MIN-YEAR_MAX) as a date, or a UserError."""
    if value in (None, False, ""):
        return None
    parsed = None
    if isinstance(value, datetime.date):
        parsed = value
    elif isinstance(value, str) and len(value) <= 32:
        try:
            parsed = fields.Date.to_date(value[:10])
        except ValueError:
            parsed = None
    if parsed is None or not YEAR_MIN <= parsed.year <= YEAR_MAX:
        raise UserError(env._(
            "%(label)s: %(value)s is not a date between %(min)s and %(max)s.",
            label=label, value=repr(value)[:40], min=YEAR_MIN, max=YEAR_MAX,
        ))
    return parsed


def check_ids_param(env, value, label):
    """A list of record ids sent by a client: positive integers (int4), or a UserError."""
    if value in (None, False):
        return []
    if not isinstance(value, (list, tuple)) or len(value) > 10000 or not all(
        _is_number(v) and float(v).is_integer() and 0 < v <= INT4_MAX for v in value
    ):
        raise UserError(env._(
            "%(label)s: expected a list of record ids, not %(value)s.",
            label=label, value=repr(value)[:40],
        ))
    return [int(v) for v in value]


class SalesManagementDashboard(models.AbstractModel):
    """The dashboard's public methods (called over JSON-RPC by the OWL dashboard and by
    anyone): every parameter checked before it reaches the figures."""

    _inherit = "sales.management.dashboard"

    @api.model
    def get_dashboard_data(self, period="year", date_ref=None, user_ids=None):
        period, date_ref, user_ids = self._check_dashboard_params(period, date_ref, user_ids)
        return super().get_dashboard_data(period, date_ref, user_ids)

    @api.model
    def action_print(self, kind, period="year"):
        if not isinstance(kind, str) or not isinstance(period, str):
            raise UserError(self.env._("Unknown report %(kind)s.", kind=repr(kind)[:40]))
        return super().action_print(kind, period)

    @api.model
    def _check_dashboard_params(self, period, date_ref, user_ids):
        if not isinstance(period, str) or period not in ("month", "quarter", "year"):
            raise UserError(self.env._(
                "Unknown period %(period)s: choose a month, a quarter or a year.",
                period=repr(period)[:40],
            ))
        date_ref = check_date_param(self.env, date_ref, self.env._("Reference date"))
        user_ids = check_ids_param(self.env, user_ids, self.env._("Salespersons"))
        return period, date_ref, user_ids or None

    @api.model
    def _check_report_options(self, data):
        """The options a report action passes to its renderer (``data``: period and
        reference date), as the dashboard checks them; returns them cleaned."""
        if data in (None, False):
            return {}
        if not isinstance(data, dict):
            raise UserError(self.env._("The report options must be an object."))
        period, date_ref, _users = self._check_dashboard_params(
            data.get("period") or "year", data.get("date_ref"), None)
        return dict(data, period=period,
                    date_ref=date_ref and fields.Date.to_string(date_ref) or None)
