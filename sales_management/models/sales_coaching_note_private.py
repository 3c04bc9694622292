# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .sales_input_guard import check_vals


class SalesCoachingNotePrivate(models.Model):
    """The private notes of a session: a model of their own, so that the record rules
    keep them from the salesperson whatever the way in (read, search, export, RPC);
    no chatter, no tracking."""

    _name = "sales.coaching.note.private"
    _description = "Sales Coaching Private Note"
    _inherit = ["sales.link.guard.mixin", "sales.input.guard.mixin"]
    _check_company_auto = True
    _link_guard_fields = {"session_id": "write"}
    _sql_constraints = [
        ("session_uniq", "unique(session_id)", "A session has one private note."),
    ]

    session_id = fields.Many2one(
        comodel_name="sales.coaching.session", required=True, index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="session_id.company_id", store=True, index=True)
    body = fields.Html(string="Private Notes", sanitize=True)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = check_vals(self, vals_list)
        self._check_links(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        if "session_id" in vals:
            raise UserError(self.env._("A private note stays on its session."))
        return super().write(vals)
