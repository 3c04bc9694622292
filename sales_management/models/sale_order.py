# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    quotation_sent_date = fields.Datetime(
        copy=False,
        readonly=True,
        help="When the quotation was first sent to the customer (the 'quotations sent' "
        "metric counts by this date).",
    )

    def write(self, vals):
        if vals.get("state") == "sent":
            to_stamp = self.filtered(lambda o: not o.quotation_sent_date)
            res = super().write(vals)
            if to_stamp:
                to_stamp.sudo().write({"quotation_sent_date": fields.Datetime.now()})
            return res
        return super().write(vals)
