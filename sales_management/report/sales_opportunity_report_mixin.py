# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SalesOpportunityReportMixin(models.AbstractModel):
    """The columns every opportunity report carries for its record rules: the
    opportunity's salesperson, team, team leader and company. The leader rule reads
    ``team_user_id`` (the opportunity's ``team_id.user_id``, joined in the view): a column
    test the planner pushes into the view, where a ``team_id.user_id`` sub-select made a
    salesperson's report 4x slower. ``_depends`` flushes what the view reads of the teams
    and opportunities before a search, so a change of leader shows at once."""

    _name = "sales.opportunity.report.mixin"
    _inherit = ["sales.sql.view.mixin"]
    _description = "Sales Management: opportunity report (rule columns)"
    _depends = {"crm.team": ["user_id"], "crm.lead": ["user_id", "team_id", "company_id"]}

    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Salesperson", readonly=True)
    team_user_id = fields.Many2one(
        comodel_name="res.users", string="Team Leader", readonly=True,
        help="Leader of the opportunity's sales team.",
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
