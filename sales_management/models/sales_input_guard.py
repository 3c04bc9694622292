# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Guards on the numbers and dates users type (or a hostile client sends).

JSON-RPC accepts ``NaN`` and ``Infinity``; PostgreSQL stores them in float columns and every
sum they enter becomes NaN. Dates outside 1900-2999 are typing mistakes that break the
period arithmetic, the tracking messages and the reports. Each model below refuses them with
a ValidationError naming the field (tests/test_hostile_input.py generates such input).
"""

import datetime
import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

YEAR_MIN, YEAR_MAX = 1900, 2999
# beyond this, amounts overflow the currency rounding and mean nothing in sales figures
MAX_MAGNITUDE = 1e15
MAX_MAGNITUDE_TEXT = "1e+15"  # a plain literal: Odoo's term extractor cannot read f-strings


INT4_MAX = 2**31 - 1
X2MANY_COMMANDS = range(7)


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


def check_vals(model, vals_list):
    """Refuse, *before* they reach the ORM, values of the wrong shape for their field (see
    ``_well_typed``) and NaN, infinite and absurdly large numbers: a Monetary field rounds
    the value on the way to the column, and infinity (or 1e308) overflows there with a raw
    OverflowError."""
    env = model.env
    for vals in vals_list:
        for name, value in vals.items():
            field = model._fields.get(name)
            if not field:
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


class CheckedValues:
    """Python mixin, first base of every guarded model and wizard, so that its create and
    write run *before* the model's own overrides (which may browse an id or read a date
    from the values): every value is checked by ``check_vals`` before anything uses it."""

    __slots__ = ()  # the layout of Odoo's record classes (BaseModel uses __slots__)

    @api.model_create_multi
    def create(self, vals_list):
        check_vals(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        check_vals(self, [vals])
        return super().write(vals)


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


class SalesPlan(CheckedValues, models.Model):
    _inherit = "sales.plan"

    @api.constrains("date_from", "date_to")
    def _check_input_guard(self):
        check_input(self, dates=("date_from", "date_to"))


class SalesPlanTarget(CheckedValues, models.Model):
    _inherit = "sales.plan.target"

    @api.constrains("date_from", "date_to", "target_value")
    def _check_input_guard(self):
        check_input(self, numbers=("target_value",), dates=("date_from", "date_to"))


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
