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

    # --- People (1:1 coaching) ---------------------------------------------------------
    coaching_session_count = fields.Integer(
        string="1:1 Sessions", compute="_compute_coaching_session_count",
    )

    @api.depends_context("uid")
    def _compute_coaching_session_count(self):
        """The team's sessions the user reads (their rules), in one grouped query."""
        counts = dict(self.env["sales.coaching.session"]._read_group(
            [("team_id", "in", self.ids)], ["team_id"], ["__count"],
        ))
        for team in self:
            team.coaching_session_count = counts.get(team, 0)

    def action_view_coaching_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_management.sales_coaching_session_action")
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id}
        return action
