# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    """Execution: sales tasks for a customer (its contacts included)."""

    _inherit = "res.partner"

    sales_task_count = fields.Integer(
        compute="_compute_sales_task_count", string="Sales Task Count",
        groups="sales_team.group_sale_salesman",
    )

    def _compute_sales_task_count(self):
        """One grouped query for the partners and all their contacts."""
        self.sales_task_count = 0
        all_partners = self.with_context(active_test=False).search_fetch(
            [("id", "child_of", self.ids)], ["parent_id"],
        )
        groups = self.env["sales.task"]._read_group(
            [("partner_id", "in", all_partners.ids)], ["partner_id"], ["__count"],
        )
        self_ids = set(self._ids)
        for partner, count in groups:
            while partner:
                if partner.id in self_ids:
                    partner.sales_task_count += count
                partner = partner.parent_id

    def action_view_sales_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_management.sales_task_action"
        )
        action["domain"] = [("partner_id", "child_of", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
