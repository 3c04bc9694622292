# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo sales tasks relative to today (some running late) for the demo salespersons."""

from datetime import timedelta

from odoo import Command, api, fields, models


class SalesManagementDemo(models.AbstractModel):
    _inherit = "sales.management.demo"

    @api.model
    def _generate_demo_tasks(self):
        """A few tasks per demo salesperson, built from today's date; idempotent."""
        Task = self.env["sales.task"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True,
        )
        if Task.search_count([("name", "=like", "[Demo] %")], limit=1):
            return
        ref = self.env.ref
        today = fields.Date.context_today(self)
        template = ref("sales_management.sales_task_template_key_account_review")
        # each salesperson reviews one of their team's key accounts
        customers = [
            ref("sales_management.demo_customer_lyon"),
            ref("sales_management.demo_customer_munich"),
            ref("sales_management.demo_customer_sf"),
            ref("sales_management.demo_customer_ny"),
        ]
        sellers = [
            ref("sales_management.demo_user_alice"), ref("sales_management.demo_user_bruno"),
            ref("sales_management.demo_user_carla"), ref("sales_management.demo_user_dylan"),
        ]
        # the review serves the seller's own plan target when the plans demo made one
        Target = self.env["sales.plan.target"]
        vals_list = []
        for index, seller in enumerate(sellers):
            customer = customers[index]
            domain = [
                ("plan_id.user_id", "=", seller.id),
                ("date_from", "<=", today), ("date_to", ">=", today),
            ]
            target = Target.search(
                domain + [("metric_id.code", "=", "revenue")], limit=1,
            ) or Target.search(domain, limit=1)
            # the deal the review prepares: the salesperson's largest open one there, else
            # their largest open deal (and its customer)
            open_deals = [
                ("user_id", "=", seller.id), ("type", "=", "opportunity"),
                ("probability", "<", 100), ("partner_id", "!=", False),
            ]
            Lead = self.env["crm.lead"]
            lead = Lead.search(
                open_deals + [("partner_id", "=", customer.id)], limit=1,
                order="expected_revenue desc, id",
            ) or Lead.search(open_deals, limit=1, order="expected_revenue desc, id")
            customer = lead.partner_id or customer
            # a running review from the template, started three weeks ago: overdue to-dos
            vals_list.append({
                "lead_id": lead.id,
                "name": f"[Demo] Quarterly review {customer.name}",
                "user_id": seller.id,
                "partner_id": customer.id,
                "template_id": template.id,
                "target_id": target.id,
                "date_start": today - timedelta(days=21),
                "date_deadline": today + timedelta(days=7 + index),
                "priority": "1",
                "result_unit": "EUR of signed orders",
            })
            # a prospecting push, late
            vals_list.append({
                "name": f"[Demo] Prospecting push {index + 1}",
                "user_id": seller.id,
                "date_start": today - timedelta(days=30),
                "date_deadline": today - timedelta(days=2 + index),
                "result_unit": "meetings booked",
                "execution_plan": "<p>Call the dormant accounts of the territory, book "
                "meetings with the decision makers.</p>",
                "todo_ids": [
                    Command.create({
                        "name": "Build the call list", "planned_hours": 2,
                        "spent_hours": 2.5, "date_deadline": today - timedelta(days=25),
                        "state": "done",
                    }),
                    Command.create({
                        "name": "Call 30 dormant accounts", "planned_hours": 10,
                        "spent_hours": 6, "expected_value": 8, "actual_value": 5,
                        "date_deadline": today - timedelta(days=3),
                        "resource_ids": [Command.create({
                            "type": "people", "description": "Inside sales support",
                            "quantity_planned": 2, "quantity_used": 1,
                            "amount_planned": 600, "amount_used": 300,
                        })],
                    }),
                    Command.create({
                        "name": "Send the follow-up offer", "planned_hours": 3,
                        "expected_value": 4, "date_deadline": today + timedelta(days=4),
                    }),
                ],
            })
        tasks = Task.create(vals_list)
        tasks.filtered(lambda t: t.execution_plan).action_start()
        tasks[:2].todo_ids[:1].write({"state": "done", "spent_hours": 1.5})
        return tasks
