# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    # --- Tracking (transitional milestones) ----------------------------------------------
    milestone_allow_skip = fields.Boolean(
        string="Allow Skipping Milestones",
        help="Salespersons of this team may advance an opportunity past milestones it has "
             "not reached. Without it, milestones are reached one after the other.",
    )
