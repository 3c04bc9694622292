# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SalesLeadMilestone(models.Model):
    """A milestone reached by an opportunity: when, by whom, and whether the rules were
    overridden. Lines are written by ``crm.lead._reach_milestone`` (which checks the rules),
    never edited by hand afterwards except their note."""

    _name = "sales.lead.milestone"
    _description = "Milestone Reached by an Opportunity"
    _order = "date_reached desc, id desc"
    _check_company_auto = True
    _rec_name = "milestone_id"

    lead_id = fields.Many2one(
        comodel_name="crm.lead", string="Opportunity", required=True, ondelete="cascade",
        index=True, check_company=True,
    )
    milestone_id = fields.Many2one(
        comodel_name="sales.milestone", string="Milestone", required=True, ondelete="restrict",
        index=True,
    )
    sequence = fields.Integer(related="milestone_id.sequence", store=True)
    date_reached = fields.Datetime(
        string="Reached On", required=True, default=fields.Datetime.now, index=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Recorded By", default=lambda self: self.env.user,
    )
    note = fields.Text()
    overridden = fields.Boolean(
        help="Recorded although the milestone's rules were not met (manager override or a "
             "stage change): see the note and the chatter.",
    )
    company_id = fields.Many2one(
        related="lead_id.company_id", store=True, index=True, string="Company",
    )
    team_id = fields.Many2one(related="lead_id.team_id", store=True, string="Sales Team")
    salesperson_id = fields.Many2one(
        related="lead_id.user_id", store=True, string="Salesperson",
    )

    _sql_constraints = [
        ("lead_milestone_uniq", "UNIQUE(lead_id, milestone_id)",
         "An opportunity reaches a milestone only once."),
    ]

    @api.depends("milestone_id", "lead_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.lead_id.name} – {line.milestone_id.name}"
