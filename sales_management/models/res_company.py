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

    # --- Control (digests, escalation, deviation alerts) --------------------------------
