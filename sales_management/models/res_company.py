# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Per-company settings of Sales Management (exposed in res.config.settings).

    Each feature keeps its settings in its own section below.
    """

    _inherit = "res.company"

    # --- Planning (plans and targets) ---------------------------------------------------
    sales_plan_on_track_pace = fields.Float(
        string="On Track from (% of pace)",
        default=95.0,
        help="A target is on track when its actual reaches this share of what should be "
        "reached by today.",
    )
    sales_plan_at_risk_pace = fields.Float(
        string="At Risk from (% of pace)",
        default=80.0,
        help="Below the on-track threshold but from this share on, a target is at risk; "
        "below it, off track.",
    )

    @api.constrains("sales_plan_on_track_pace", "sales_plan_at_risk_pace")
    def _check_sales_plan_pace(self):
        for company in self:
            if not 0 < company.sales_plan_at_risk_pace <= company.sales_plan_on_track_pace:
                raise ValidationError(self.env._(
                    "The at-risk threshold must be positive and at most the on-track "
                    "threshold."
                ))

    # --- Execution (sales tasks and to-dos) ----------------------------------------------
    sales_task_require_execution_plan = fields.Boolean(
        string="Execution Plan Required to Start Tasks",
        help="A sales task cannot start until its execution plan is written.",
    )

    # --- Tracking (transitional milestones) ----------------------------------------------
    milestone_window_months = fields.Integer(
        string="Milestone History Window (months)", default=12,
        help="Milestone probabilities and durations are learnt from the milestones reached "
             "in this many trailing months.",
    )
    milestone_min_closed = fields.Integer(
        string="Minimum Closed Opportunities per Team", default=10,
        help="A team gets its own milestone probabilities once it has closed this many "
             "opportunities in the window; below that, the company-wide figures apply.",
    )
    milestone_stalled_factor = fields.Float(
        string="Stalled Factor", default=2.0,
        help="An opportunity is stalled when it stays in its milestone longer than this many "
             "times the milestone's median duration.",
    )

    @api.constrains("milestone_window_months", "milestone_min_closed", "milestone_stalled_factor")
    def _check_milestone_settings(self):
        for company in self:
            if company.milestone_window_months < 1:
                raise ValidationError(
                    self.env._("The milestone history window is at least one month.")
                )
            if company.milestone_min_closed < 0:
                raise ValidationError(
                    self.env._("The minimum of closed opportunities cannot be negative.")
                )
            if company.milestone_stalled_factor <= 0:
                raise ValidationError(self.env._("The stalled factor must be positive."))

    # --- Control (digests, escalation, deviation alerts) --------------------------------
