# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Guards on the numbers and dates users type (or a hostile client sends).

JSON-RPC accepts ``NaN`` and ``Infinity``; PostgreSQL stores them in float columns and every
sum they enter becomes NaN. Dates outside 1900-2999 are typing mistakes that break the
period arithmetic, the tracking messages and the reports. Each model below refuses them with
a ValidationError naming the field (tests/test_hostile_input.py generates such input).
"""

import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

YEAR_MIN, YEAR_MAX = 1900, 2999
# beyond this, amounts overflow the currency rounding and mean nothing in sales figures
MAX_MAGNITUDE = 1e15


def check_vals(model, vals_list):
    """Refuse NaN, infinite and absurdly large numbers in the values of a create/write
    *before* they reach the ORM: a Monetary field rounds the value on the way to the
    column, and infinity (or 1e308) overflows there with a raw OverflowError."""
    env = model.env
    for vals in vals_list:
        for name, value in vals.items():
            field = model._fields.get(name)
            if not field or field.type not in ("float", "monetary"):
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool) and (
                not math.isfinite(value) or abs(value) > MAX_MAGNITUDE
            ):
                raise ValidationError(env._(
                    "%(field)s must be a number between -%(max)s and %(max)s, not %(value)s.",
                    field=field._description_string(env), max=f"{MAX_MAGNITUDE:g}",
                    value=value,
                ))


class InputGuard(models.AbstractModel):
    """Mixed into the models below: create/write go through ``check_vals``."""

    _name = "sales.input.guard"
    _description = "Sales Management: guard on typed numbers"

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


class SalesPlan(models.Model):
    _name = "sales.plan"
    _inherit = ["sales.plan", "sales.input.guard"]

    @api.constrains("date_from", "date_to")
    def _check_input_guard(self):
        check_input(self, dates=("date_from", "date_to"))


class SalesPlanTarget(models.Model):
    _name = "sales.plan.target"
    _inherit = ["sales.plan.target", "sales.input.guard"]

    @api.constrains("date_from", "date_to", "target_value")
    def _check_input_guard(self):
        check_input(self, numbers=("target_value",), dates=("date_from", "date_to"))


class SalesTask(models.Model):
    _name = "sales.task"
    _inherit = ["sales.task", "sales.input.guard"]

    @api.constrains("date_start", "date_deadline", "expected_result", "actual_result",
                    "planned_hours", "spent_hours", "budget", "cost")
    def _check_input_guard(self):
        check_input(self, numbers=("expected_result", "actual_result"),
                    non_negative=("planned_hours", "spent_hours", "budget", "cost"),
                    dates=("date_start", "date_deadline"))


class SalesTaskTodo(models.Model):
    _name = "sales.task.todo"
    _inherit = ["sales.task.todo", "sales.input.guard"]

    @api.constrains("date_deadline", "planned_hours", "spent_hours", "expected_value",
                    "actual_value")
    def _check_input_guard(self):
        check_input(self, numbers=("expected_value", "actual_value"),
                    non_negative=("planned_hours", "spent_hours"), dates=("date_deadline",))


class SalesTaskResource(models.Model):
    _name = "sales.task.resource"
    _inherit = ["sales.task.resource", "sales.input.guard"]

    @api.constrains("quantity_planned", "quantity_used", "amount_planned", "amount_used")
    def _check_input_guard(self):
        check_input(self, non_negative=("quantity_planned", "quantity_used",
                                        "amount_planned", "amount_used"))


class SalesTaskTemplateLine(models.Model):
    _name = "sales.task.template.line"
    _inherit = ["sales.task.template.line", "sales.input.guard"]

    @api.constrains("planned_hours", "expected_value")
    def _check_input_guard(self):
        check_input(self, numbers=("expected_value",), non_negative=("planned_hours",))


class SalesCorrectiveAction(models.Model):
    _name = "sales.corrective.action"
    _inherit = ["sales.corrective.action", "sales.input.guard"]

    # the responsible works in the plan's company
    user_id = fields.Many2one(check_company=True)

    @api.constrains("date_deadline")
    def _check_input_guard(self):
        check_input(self, dates=("date_deadline",))


class SalesMilestone(models.Model):
    _name = "sales.milestone"
    _inherit = ["sales.milestone", "sales.input.guard"]

    @api.constrains("probability")
    def _check_input_guard(self):
        check_input(self, non_negative=("probability",))


class SalesLeadMilestone(models.Model):
    _name = "sales.lead.milestone"
    _inherit = ["sales.lead.milestone", "sales.input.guard"]

    # who recorded the milestone: a user of the opportunity's company
    user_id = fields.Many2one(check_company=True)

    @api.constrains("date_reached")
    def _check_input_guard(self):
        check_input(self, dates=("date_reached",))

