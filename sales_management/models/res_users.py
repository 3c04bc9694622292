# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    sales_feedback_opt_out = fields.Boolean(
        string="No Weekly Sales Feedback",
        help="Do not send me the weekly e-mail with my pace, gap, rank and next 1:1.",
    )

    def _sales_badges(self, date_from, date_to):
        """The sales badges (``sales.recognition``) the user earned in periods ending
        within ``date_from``..``date_to``: the scorecard's Badges section."""
        self.ensure_one()
        return self.env["gamification.badge.user"].search([
            ("user_id", "=", self.id), ("sales_award_key", "!=", False),
            ("sales_date", ">=", date_from), ("sales_date", "<=", date_to),
        ], order="sales_date, id")

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["sales_feedback_opt_out"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        # the salesperson decides it from their own preferences
        return super().SELF_WRITEABLE_FIELDS + ["sales_feedback_opt_out"]
