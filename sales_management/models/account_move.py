# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models, tools

# posted customer invoices and refunds, per salesperson and invoice date: what the
# "invoiced" figures of one salesperson's targets read (``sales.metric``'s
# ``invoice_line`` source); partial, so it holds those invoices only
INVOICE_USER_INDEX = "account_move_sm_invoice_user_date_idx"


class AccountMove(models.Model):
    _inherit = "account.move"

    def init(self):
        res = super().init()
        tools.create_index(
            self.env.cr, INVOICE_USER_INDEX, self._table,
            ["invoice_user_id", "invoice_date"],
            where="state = 'posted' AND move_type IN ('out_invoice', 'out_refund')",
        )
        return res
