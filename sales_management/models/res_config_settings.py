# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Sales Management settings; every value is stored on the company (related fields)."""

    _inherit = "res.config.settings"

    # --- Planning (plans and targets) ---------------------------------------------------

    # --- Execution (sales tasks and to-dos) ----------------------------------------------
    sales_task_require_execution_plan = fields.Boolean(
        related="company_id.sales_task_require_execution_plan", readonly=False,
    )

    # --- Tracking (transitional milestones) ----------------------------------------------

    # --- Control (digests, escalation, deviation alerts) --------------------------------
