# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmLead(models.Model):
    """Execution: sales tasks created from an opportunity (smart button + action)."""

    _inherit = "crm.lead"

    sales_task_ids = fields.One2many(
        comodel_name="sales.task", inverse_name="lead_id", string="Sales Tasks",
    )
    sales_task_count = fields.Integer(
        compute="_compute_sales_task_count", string="Sales Task Count",
    )

    def _compute_sales_task_count(self):
        counts = dict(self.env["sales.task"]._read_group(
            [("lead_id", "in", self.ids)], ["lead_id"], ["__count"],
        ))
        for lead in self:
            lead.sales_task_count = counts.get(lead, 0)

    def action_view_sales_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_management.sales_task_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_user_id": (self.user_id or self.env.user).id,
            "default_name": self.name,
        }
        return action

    def action_new_sales_task(self):
        self.ensure_one()
        action = self.action_view_sales_tasks()
        action.update({"view_mode": "form", "views": [(False, "form")], "res_id": False})
        return action
