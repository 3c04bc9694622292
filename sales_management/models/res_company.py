# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    """Per-company settings of Sales Management (exposed in res.config.settings).

    Each feature keeps its settings in its own section below.
    """

    _inherit = "res.company"

    # --- Planning (plans and targets) ---------------------------------------------------

    # --- Execution (sales tasks and to-dos) ----------------------------------------------
    sales_task_require_execution_plan = fields.Boolean(
        string="Execution Plan Required to Start Tasks",
        help="A sales task cannot start until its execution plan is written.",
    )

    # --- Tracking (transitional milestones) ----------------------------------------------

    # --- Control (digests, escalation, deviation alerts) --------------------------------
