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

    # --- Forms each team shapes (properties) -----------------------------------------------
    # written through crm.team's own rights: managers only (salespersons read the team)
    sales_plan_properties_definition = fields.PropertiesDefinition(
        string="Sales Plan Properties",
        help="The extra fields this team's sales plans carry.",
    )
    sales_task_properties_definition = fields.PropertiesDefinition(
        string="Sales Task Properties",
        help="The extra fields this team's sales tasks carry.",
    )
    sales_todo_properties_definition = fields.PropertiesDefinition(
        string="To-Do Properties",
        help="The extra fields the to-dos of this team's tasks carry.",
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

    # --- People (competencies) -----------------------------------------------------------
    competency_matrix_html = fields.Html(
        string="Competency Matrix", compute="_compute_competency_matrix_html",
        sanitize=False,
        help="Latest level of each member on each competency (leader rating, else self "
             "rating), with the self/leader gap and the trend.",
    )

    @api.depends_context("uid")
    def _compute_competency_matrix_html(self):
        """The members' rows the user may read (a leader or manager: all; a member: their
        own), from ``sales.competency.rating._matrix_data`` (the caller's rights)."""
        Rating = self.env["sales.competency.rating"]
        is_manager = self.env.user.has_group("sales_team.group_sale_manager")
        for team in self:
            members = (team.member_ids - team.user_id).sorted("name")
            if not (is_manager or team.user_id == self.env.user):
                members &= self.env.user
            team.competency_matrix_html = self.env["ir.qweb"]._render(
                "sales_management.competency_matrix", {"matrix": Rating._matrix_data(members)})

    # --- People (coaching focus) ---------------------------------------------------------
    def action_propose_focus(self):
        """Draft coaching focuses for the team's members (``sales.coaching.focus.
        _propose_for_team``: the leader or a manager only), then the team's focuses."""
        self.ensure_one()
        focuses = self.env["sales.coaching.focus"]._propose_for_team(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_management.sales_coaching_focus_action")
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"search_default_open": 1}
        if not focuses:
            action["help"] = self.env._(
                "<p>No new focus to propose: every member is at or above the team median, "
                "or already has an open focus.</p>")
        return action

    def action_open_competency_matrix(self):
        """The rating pivot (salespersons x competencies) of the team."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_management.sales_competency_rating_action_matrix")
        action["domain"] = [("team_id", "=", self.id)]
        return action
