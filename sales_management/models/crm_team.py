# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    # --- Tracking (transitional milestones) ----------------------------------------------
    milestone_allow_skip = fields.Boolean(
        string="Allow Skipping Milestones",
        help="Salespersons of this team may advance an opportunity past milestones it has "
             "not reached. Without it, milestones are reached one after the other.",
    )

    # --- Record rules -----------------------------------------------------------------------
    # The reports' record rules read the teams a user leads from the rule evaluation context
    # (``ir.rule._eval_context``: ``sales_led_team_ids``), and rule domains are cached per
    # user: a change of leader clears that cache, as Odoo does when groups change.
    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        if any(vals.get("user_id") for vals in vals_list):
            self.env.registry.clear_cache()
        return teams

    def write(self, vals):
        if "user_id" in vals and any(team.user_id.id != vals["user_id"] for team in self):
            result = super().write(vals)
            self.env.registry.clear_cache()
            return result
        return super().write(vals)

    def unlink(self):
        led = any(self.mapped("user_id"))
        result = super().unlink()
        if led:
            self.env.registry.clear_cache()
        return result
