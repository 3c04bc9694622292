"""Fixtures for the sales plan tests: a year of known history (2025).

Confirmed orders (date, salesperson, customer, lines → untaxed):
  o_mar_be   2025-03-10  Sam   BE contact  2 widgets @100 + 1 day @800  = 1000 (qty 3)
  o_mar_us   2025-03-20  Sara  US (CA)     5 widgets @100               =  500 (qty 5)
                          medium/source set (channel)
  o_apr_be   2025-04-05  Otto  BE (other team) 2 days @800                = 1600 (qty 2)
  o_dec_be   2024-12-15  Sam   BE          1 widget @100                =  100 (qty 1)
  o_draft    2025-03-15  Sam   US  10 widgets (quotation, sent 2025-03-16: not revenue)
Invoices: 2025-03-12 BE/Sam 1000, refund 2025-03-25 BE/Sam -100, 2025-04-02 US/Sara 300.
Opportunities (team North): created 2025-01-10 (Sam, won 2025-03-15), 2025-02-01 (Sam, BE,
won 2025-03-01), 2025-02-10 (Sam, US, lost 2025-03-05), 2025-03-01 (Sara, open).
Activities done on the first won opportunity, 2025-02-15: a call and a meeting (Sam's lead).
"""

from datetime import datetime

from common import SalesManagementCommon

from odoo import Command


class SalesPlanCommon(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.metric = {
            code: ref(f"sales_management.sales_metric_{code}")
            for code in (
                "revenue", "invoiced", "quantity", "orders", "new_customers", "opportunities",
                "won", "win_rate", "activities", "quotations_sent", "repeat_customers",
                "retention_rate",
            )
        }
        cls.medium = cls.env["utm.medium"].create({"name": "SM Trade Fair"})
        cls.source = cls.env["utm.source"].create({"name": "SM Partner Referral"})
        cls.o_mar_be = cls._create_order(
            cls.customer_be_contact, cls.user_salesman,
            [(cls.product_goods, 2, 100.0), (cls.product_service, 1, 800.0)],
            date_order=datetime(2025, 3, 10, 10, 0),
        )
        cls.o_mar_us = cls._create_order(
            cls.customer_us, cls.user_salesman_2, [(cls.product_goods, 5, 100.0)],
            date_order=datetime(2025, 3, 20, 10, 0),
        )
        cls.o_mar_us.write({"medium_id": cls.medium.id, "source_id": cls.source.id})
        cls.o_apr_be = cls._create_order(
            cls.customer_be, cls.user_other_team, [(cls.product_service, 2, 800.0)],
            date_order=datetime(2025, 4, 5, 10, 0), team=cls.team_other,
        )
        cls.o_dec_be = cls._create_order(
            cls.customer_be, cls.user_salesman, [(cls.product_goods, 1, 100.0)],
            date_order=datetime(2024, 12, 15, 10, 0),
        )
        cls.o_draft = cls._create_order(
            cls.customer_us, cls.user_salesman, [(cls.product_goods, 10, 100.0)],
            date_order=datetime(2025, 3, 15, 10, 0), confirm=False,
        )
        cls.o_draft.write({"state": "sent"})
        cls.o_draft.quotation_sent_date = datetime(2025, 3, 16, 9, 0)
        cls.o_draft.flush_recordset()
        # invoices
        Move = cls.env["account.move"]

        def invoice(move_type, partner, user, date, lines, team=cls.team):
            move = Move.create({
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_user_id": user.id,
                "team_id": team.id,
                "invoice_date": date,
                "invoice_line_ids": [
                    Command.create({
                        "product_id": p.id, "quantity": q, "price_unit": pu, "tax_ids": False,
                    })
                    for p, q, pu in lines
                ],
            })
            move.action_post()
            return move

        cls.inv_mar_be = invoice(
            "out_invoice", cls.customer_be, cls.user_salesman, "2025-03-12",
            [(cls.product_goods, 2, 100.0), (cls.product_service, 1, 800.0)],
        )
        cls.refund_mar_be = invoice(
            "out_refund", cls.customer_be, cls.user_salesman, "2025-03-25",
            [(cls.product_goods, 1, 100.0)],
        )
        cls.inv_apr_us = invoice(
            "out_invoice", cls.customer_us, cls.user_salesman_2, "2025-04-02",
            [(cls.product_goods, 3, 100.0)],
        )
        # opportunities
        Lead = cls.env["crm.lead"]
        specs = [
            ("SM won early", cls.user_salesman, False, "2025-01-10", "won", "2025-03-15"),
            ("SM won BE", cls.user_salesman, cls.customer_be, "2025-02-01", "won",
             "2025-03-01"),
            ("SM lost US", cls.user_salesman, cls.customer_us, "2025-02-10", "lost",
             "2025-03-05"),
            ("SM open", cls.user_salesman_2, False, "2025-03-01", "open", None),
        ]
        cls.leads = Lead
        for name, user, partner, created, outcome, closed in specs:
            lead = Lead.create({
                "name": name, "type": "opportunity", "user_id": user.id,
                "team_id": cls.team.id, "partner_id": partner and partner.id,
                "expected_revenue": 1000,
            })
            if outcome == "won":
                lead.action_set_won()
            elif outcome == "lost":
                lead.action_set_lost()
            cls.env.flush_all()
            cls.env.cr.execute(
                "UPDATE crm_lead SET create_date = %s, date_closed = %s WHERE id = %s",
                (created, closed, lead.id),
            )
            cls.leads |= lead
        cls.lead_won_be = cls.leads[1]
        cls.type_call = ref("mail.mail_activity_data_call")
        cls.type_meeting = ref("mail.mail_activity_data_meeting")
        activities = cls.env["mail.activity"]
        for vals in [
            {
                "res_model_id": cls.env["ir.model"]._get_id("crm.lead"),
                "res_id": cls.lead_won_be.id,
                "activity_type_id": activity_type.id,
                "user_id": cls.user_salesman.id,
                "summary": f"SM {activity_type.name}",
            }
            for activity_type in (cls.type_call, cls.type_meeting)
        ]:
            activities |= activities.create(vals)
        activities.action_feedback(feedback="done")
        cls.activity_messages = cls.env["mail.message"].search([
            ("model", "=", "crm.lead"), ("res_id", "=", cls.lead_won_be.id),
            ("mail_activity_type_id", "!=", False),
        ])
        assert len(cls.activity_messages) == 2
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE mail_message SET date = '2025-02-15 10:00' WHERE id IN %s",
            (tuple(cls.activity_messages.ids),),
        )
        cls.env.invalidate_all()

    @classmethod
    def _plan(cls, name="SM Plan", **vals):
        return cls.env["sales.plan"].create({
            "name": name, "date_from": "2025-01-01", "date_to": "2025-12-31",
            "user_id": cls.user_manager.id, **vals,
        })

    @classmethod
    def _target(cls, plan, code, value=100.0, **vals):
        return cls.env["sales.plan.target"].create({
            "plan_id": plan.id, "metric_id": cls.metric[code].id, "target_value": value,
            **vals,
        })
