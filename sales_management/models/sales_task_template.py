# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Task templates: a reusable breakdown of a typical sales task into to-dos.

Why not ``mail.activity.plan``? An activity plan only schedules activities (a type, a
summary, an assignee rule and a delay). A sales to-do is more than a reminder: it carries
planned hours, an expected measured result and resources, it rolls up into the task's
progress and results, and its activity is *derived* from it. Reusing activity plans would
either lose those values or require a second source of truth. A small template model with
to-do lines (relative deadlines, hours, expected values) keeps a single source: applying a
template creates to-dos, and the to-dos create their activities.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_input_guard import check_input


class SalesTaskTemplate(models.Model):
    _name = "sales.task.template"
    _description = "Sales Task Template"
    _inherit = ["sales.input.guard.mixin"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company", index=True,
        help="Leave empty to share the template between companies.",
    )
    execution_plan = fields.Html(
        help="Copied to the task's execution plan when the task has none yet.",
    )
    result_unit = fields.Char(string="Measured In")
    line_ids = fields.One2many(
        comodel_name="sales.task.template.line", inverse_name="template_id",
        string="To-Dos", copy=True,
    )
    line_count = fields.Integer(compute="_compute_line_count", string="To-Do Count")

    @api.depends("line_ids")
    def _compute_line_count(self):
        for template in self:
            template.line_count = len(template.line_ids)

    def _todo_values(self, date_start, user_id):
        """Values of the to-dos this template creates for a task starting ``date_start``
        and assigned to ``user_id``."""
        self.ensure_one()
        return [
            {
                "sequence": line.sequence,
                "name": line.name,
                "user_id": user_id,
                "date_deadline": date_start + timedelta(days=line.deadline_days),
                "planned_hours": line.planned_hours,
                "expected_value": line.expected_value,
            }
            for line in self.line_ids
        ]


class SalesTaskTemplateLine(models.Model):
    _name = "sales.task.template.line"
    _description = "Sales Task Template To-Do"
    _inherit = ["sales.input.guard.mixin"]
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        comodel_name="sales.task.template", required=True, index=True, ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="To-Do", required=True, translate=True)
    deadline_days = fields.Integer(
        string="Deadline (days after start)",
        help="The to-do's deadline is the task's start date plus this many days.",
    )
    planned_hours = fields.Float()
    expected_value = fields.Float()

    @api.constrains("deadline_days", "planned_hours")
    def _check_values(self):
        for line in self:
            if line.deadline_days < 0 or line.planned_hours < 0:
                raise ValidationError(self.env._(
                    "Template to-do '%(todo)s': the deadline offset and planned hours "
                    "cannot be negative.",
                    todo=line.name,
                ))

    @api.constrains("planned_hours", "expected_value")
    def _check_input_guard(self):
        check_input(self, numbers=("expected_value",), non_negative=("planned_hours",))
