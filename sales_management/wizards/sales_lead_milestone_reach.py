# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SalesLeadMilestoneReach(models.TransientModel):
    """Reach a chosen milestone with a note; a manager may override the rules here."""

    _name = "sales.lead.milestone.reach"
    _description = "Reach a Milestone"
    _inherit = ["sales.wizard.guard.mixin"]
    # only on opportunities the user may read (the wizard holds no rights of its own)
    _wizard_access = ("lead_id", "read")

    lead_id = fields.Many2one(comodel_name="crm.lead", required=True, ondelete="cascade")
    candidate_ids = fields.Many2many(
        comodel_name="sales.milestone", compute="_compute_candidate_ids",
    )
    milestone_id = fields.Many2one(
        comodel_name="sales.milestone", required=True,
        domain="[('id', 'in', candidate_ids)]",
    )
    missing = fields.Text(compute="_compute_missing", string="Still Missing")
    note = fields.Text()
    override = fields.Boolean(
        string="Override the Rules",
        help="Sales managers only: record the milestone although criteria, activities or "
             "earlier milestones are missing. The override is logged.",
    )
    is_manager = fields.Boolean(compute="_compute_candidate_ids")

    @api.depends("lead_id")
    def _compute_candidate_ids(self):
        is_manager = self.env.user.has_group("sales_team.group_sale_manager")
        for wizard in self:
            if wizard.lead_id:
                ctx = wizard.lead_id._milestone_context()[wizard.lead_id.id]
                wizard.candidate_ids = ctx["applicable"] - ctx["reached"]
            else:
                wizard.candidate_ids = False
            wizard.is_manager = is_manager

    @api.depends("lead_id", "milestone_id")
    def _compute_missing(self):
        for wizard in self:
            lines = []
            if wizard.lead_id and wizard.milestone_id:
                lead = wizard.lead_id
                ctx = lead._milestone_context()[lead.id]
                lines = lead._milestone_missing_lines(wizard.milestone_id, ctx)
                skipped = lead._milestone_skipped(wizard.milestone_id, ctx)
                if skipped:
                    lines.append(self.env._(
                        "Skips: %(milestones)s", milestones=", ".join(skipped.mapped("name")),
                    ))
            wizard.missing = "\n".join(lines)

    def action_confirm(self):
        self.ensure_one()
        self.lead_id._reach_milestone(self.milestone_id, note=self.note, override=self.override)
        return {"type": "ir.actions.act_window_close"}
