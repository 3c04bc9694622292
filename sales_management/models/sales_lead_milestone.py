# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .sales_input_guard import check_input, check_vals

# what a sales manager may correct on a recorded line (each correction logged in the
# opportunity's chatter); everything else is written once, by ``crm.lead._reach_milestone``
CORRECTABLE_FIELDS = frozenset({"date_reached", "note"})


class SalesLeadMilestone(models.Model):
    """A milestone reached by an opportunity: when, by whom, and whether the rules were
    overridden: the data the learned probabilities and the forecast are computed from.

    The log is append-only: lines are created only by ``crm.lead._reach_milestone`` (the
    *Reach Next Milestone* button and the stage mapping, which check the rules and the
    caller's right to change the opportunity), through ``sudo()``. A sales manager may
    correct the date and the note of a line, or delete it; each correction is logged in the
    opportunity's chatter. Salespersons only read the lines."""

    _name = "sales.lead.milestone"
    _description = "Milestone Reached by an Opportunity"
    _inherit = ["sales.workflow.guard.mixin", "sales.input.guard.mixin"]
    _workflow_fields = frozenset({"lead_id", "milestone_id", "user_id", "overridden"})
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
        check_company=True,  # a user of the opportunity's company
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

    @api.constrains("date_reached")
    def _check_input_guard(self):
        check_input(self, dates=("date_reached",))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._(
                "Milestones are recorded with the Reach Next Milestone button of the "
                "opportunity, which checks the milestone's rules."
            ))
        return super().create(vals_list)

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        self._check_workflow_fields([vals])
        if self.env.su:
            return super().write(vals)
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._(
                "Only a sales manager may correct a recorded milestone."
            ))
        changed = CORRECTABLE_FIELDS.intersection(vals)
        old = {line.id: {f: line[f] for f in changed} for line in self}
        res = super().write(vals)
        for line in self:
            line._log_correction(old[line.id], changed)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_by_manager_logged(self):
        if not self.env.su:
            if not self.env.user.has_group("sales_team.group_sale_manager"):
                raise AccessError(self.env._(
                    "Only a sales manager may delete a recorded milestone."
                ))
            for line in self:
                line.lead_id.message_post(
                    body=Markup("<p>%s</p>") % self.env._(
                        "Milestone %(milestone)s (reached on %(date)s) deleted by %(user)s.",
                        milestone=line.milestone_id.name,
                        date=fields.Datetime.to_string(line.date_reached),
                        user=self.env.user.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _log_correction(self, old, changed):
        """Post the manager's correction of this line in the opportunity's chatter."""
        lines = []
        for fname in sorted(changed):
            if old[fname] == self[fname]:
                continue
            field = self._fields[fname]
            lines.append(Markup("<li>%s: %s → %s</li>") % (
                field._description_string(self.env),
                field.convert_to_display_name(old[fname], self) or "—",
                field.convert_to_display_name(self[fname], self) or "—",
            ))
        if lines:
            self.lead_id.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>") % (
                    self.env._(
                        "Milestone %(milestone)s corrected by %(user)s:",
                        milestone=self.milestone_id.name, user=self.env.user.name,
                    ),
                    Markup("").join(lines),
                ),
                subtype_xmlid="mail.mt_note",
            )
