# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesMilestoneNorm(models.Model):
    """The right amount of an activity type before a milestone: at least ``min_count``
    done activities of ``activity_type_id`` on the opportunity before it reaches the
    milestone (e.g. two meetings before *Proposal*).

    Checked like the milestone's required activity types (``crm.lead._milestone_context``
    counts the done activities, ``_milestone_missing_lines`` refuses the advance) and
    reported as compliance by the Activity Quality report. Configuration: sales managers
    edit it in the milestone form, salespersons read it."""

    _name = "sales.milestone.norm"
    _description = "Sales Milestone Activity Norm"
    _inherit = ["sales.input.guard.mixin"]
    _order = "milestone_id, sequence, id"
    _rec_name = "activity_type_id"

    milestone_id = fields.Many2one(
        comodel_name="sales.milestone", string="Milestone", required=True,
        ondelete="cascade", index=True,
    )
    sequence = fields.Integer(default=10)
    activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type", string="Activity Type", required=True,
        ondelete="cascade",
        domain="['|', ('res_model', '=', False), ('res_model', '=', 'crm.lead')]",
    )
    min_count = fields.Integer(
        string="Minimum", required=True, default=1,
        help="Done activities of this type the opportunity needs before it reaches the "
             "milestone.",
    )
    company_id = fields.Many2one(
        related="milestone_id.company_id", store=True, index=True, string="Company",
    )

    _sql_constraints = [
        ("milestone_type_uniq", "UNIQUE(milestone_id, activity_type_id)",
         "One norm per activity type and milestone."),
        ("min_count_positive", "CHECK(min_count >= 1)",
         "A norm requires at least one activity."),
    ]

    @api.constrains("min_count")
    def _check_min_count(self):
        for norm in self:
            if norm.min_count < 1:
                raise ValidationError(self.env._(
                    "The minimum number of %(activity)s activities must be at least 1.",
                    activity=norm.activity_type_id.name,
                ))

    @api.depends("activity_type_id", "min_count")
    def _compute_display_name(self):
        for norm in self:
            norm.display_name = self.env._(
                "%(count)s × %(activity)s",
                count=norm.min_count, activity=norm.activity_type_id.name or "",
            )

    def _progress_line(self, done):
        """"Meeting: 1 of 2 done", in the user's language."""
        self.ensure_one()
        return self.env._(
            "%(activity)s: %(done)s of %(minimum)s done",
            activity=self.activity_type_id.name, done=done, minimum=self.min_count,
        )
