# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Guards on the numbers and dates users type (or a hostile client sends): the checks
themselves, called by ``sales.input.guard.mixin``, by the models' own ``create``/``write``
(``check_vals``) and constraints (``check_input``), and by the dashboard's and the reports'
parameters (``check_date_param``, ``check_ids_param``).

JSON-RPC accepts ``NaN`` and ``Infinity``; PostgreSQL stores them in float columns and every
sum they enter becomes NaN. Dates outside 1900-2999 are typing mistakes that break the
period arithmetic, the tracking messages and the reports. Each model below refuses them with
a ValidationError naming the field (tests/test_hostile_input.py generates such input).
"""

import datetime
import json
import math
import re

from odoo import fields, models
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
    "sales_score_volume_weight": (0.0, 100.0),
    "sales_score_operational_weight": (0.0, 100.0),
    "sales_overrun_tolerance": (0.0, 1000.0),
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


def month_start(key):
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
        if month_start(key) is None:
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
        if month_start(key) is None or not _is_number(weight) \
                or not math.isfinite(weight) or not 0 <= weight <= MAX_MAGNITUDE:
            return None
    if not any(value.values()):
        return None
    return value


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
    "sales_plan_commitment_required",
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


