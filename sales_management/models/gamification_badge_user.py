# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError

# set only by the recognition job (``sales.recognition._award``), as superuser
AWARD_FIELDS = frozenset({"sales_award_key", "sales_plan_id", "sales_date"})


class GamificationBadgeUser(models.Model):
    """A badge granted by the recognition job carries the key of its achievement (badge,
    person, period): unique, so that a person gets it once per period whatever the
    reruns. Such an award is the job's: nobody edits it."""

    _inherit = "gamification.badge.user"
    _sql_constraints = [
        ("sales_award_key_uniq", "unique(sales_award_key)",
         "A sales badge is awarded once per person and period."),
    ]

    sales_award_key = fields.Char(string="Sales Award", readonly=True, copy=False, index=True)
    sales_date = fields.Date(
        string="Awarded For", readonly=True, copy=False,
        help="The last day of the period the sales badge was earned in.",
    )
    sales_plan_id = fields.Many2one(
        comodel_name="sales.plan", string="Sales Plan", readonly=True, ondelete="set null",
        index="btree_not_null",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(AWARD_FIELDS & set(vals) for vals in vals_list):
            raise AccessError(self.env._("Sales badges are awarded by their job only."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and (AWARD_FIELDS & set(vals)
                                or any(self.mapped("sales_award_key"))):
            raise AccessError(self.env._("Sales badges are awarded by their job only."))
        return super().write(vals)
