# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResConfigSettings(models.TransientModel):
    """Sales Management settings; every value is stored on the company (related fields)."""

    _inherit = "res.config.settings"

    # --- Planning (plans and targets) ---------------------------------------------------

    # --- Execution (sales tasks and to-dos) ----------------------------------------------

    # --- Tracking (transitional milestones) ----------------------------------------------

    # --- Control (digests, escalation, deviation alerts) --------------------------------
