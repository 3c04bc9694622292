# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo history generator.

The demo organisation (teams, users, customers, products) is plain XML in
``demo/sales_management_demo.xml``. What XML cannot express well is *history relative to
today*: a year of opportunities, quotations, confirmed orders and posted invoices with a
seasonal shape and a growth trend. This model builds it, deterministically (fixed seed),
only when demo data is loaded. Feature modules extend ``_generate_history`` through
``_generate_history_<feature>`` hooks instead of re-reading the data.
"""

import logging
import random
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)

# Month-of-year weights: a visible seasonality (strong Q4, weak summer).
SEASONALITY = {
    1: 0.8, 2: 0.85, 3: 1.0, 4: 1.0, 5: 1.05, 6: 0.95,
    7: 0.7, 8: 0.6, 9: 1.05, 10: 1.15, 11: 1.3, 12: 1.4,
}


class SalesManagementDemo(models.AbstractModel):
    _name = "sales.management.demo"
    _description = "Sales Management demo data generator"

    @api.model
    def _demo_refs(self):
        ref = self.env.ref
        teams = {
            ref("sales_management.demo_team_europe"): {
                "sellers": [
                    ref("sales_management.demo_user_alice"),
                    ref("sales_management.demo_user_bruno"),
                    ref("sales_management.demo_user_leader_eu"),
                ],
                "customers": [
                    ref("sales_management.demo_customer_lyon"),
                    ref("sales_management.demo_customer_paris"),
                    ref("sales_management.demo_customer_munich"),
                    ref("sales_management.demo_customer_brussels"),
                ],
            },
            ref("sales_management.demo_team_americas"): {
                "sellers": [
                    ref("sales_management.demo_user_carla"),
                    ref("sales_management.demo_user_dylan"),
                    ref("sales_management.demo_user_leader_us"),
                ],
                "customers": [
                    ref("sales_management.demo_customer_sf"),
                    ref("sales_management.demo_customer_austin"),
                    ref("sales_management.demo_customer_ny"),
                    ref("sales_management.demo_customer_toronto"),
                ],
            },
        }
        products = (
            ref("sales_management.demo_product_scanner")
            | ref("sales_management.demo_product_printer")
            | ref("sales_management.demo_product_terminal")
            | ref("sales_management.demo_product_onboarding")
            | ref("sales_management.demo_product_support")
        )
        mediums = self.env["utm.medium"].search([], limit=4, order="id")
        sources = self.env["utm.source"].search([], limit=4, order="id")
        return teams, products, mediums, sources

    @api.model
    def _generate_history(self):
        """Create a year of sales history for the demo teams; idempotent."""
        if self.env["sale.order"].search_count(
            [("client_order_ref", "=like", "SM-DEMO-%")], limit=1
        ):
            return
        rng = random.Random(20240601)
        teams, products, mediums, sources = self._demo_refs()
        today = fields.Date.context_today(self)
        first_month = (today - relativedelta(months=11)).replace(day=1)
        orders_to_confirm = []
        order_vals = []
        lead_vals = []
        for team, spec in teams.items():
            for seller in spec["sellers"]:
                for month_index in range(12):
                    month_start = first_month + relativedelta(months=month_index)
                    last_day = today.day if month_index == 11 else 27
                    # growth of ~2 % a month on top of the seasonality
                    weight = SEASONALITY[month_start.month] * (1 + 0.02 * month_index)
                    n_orders = max(1, round(2 * weight))
                    for n in range(n_orders):
                        order_date = datetime.combine(
                            month_start.replace(day=rng.randint(1, min(27, last_day))),
                            time(10, 0),
                        )
                        lines = [
                            Command.create({
                                "product_id": product.id,
                                "product_uom_qty": rng.randint(1, 6),
                            })
                            for product in rng.sample(products, rng.randint(1, 3))
                        ]
                        ref = f"SM-DEMO-{team.id}-{seller.id}-{month_index:02d}-{n}"
                        order_vals.append({
                            "partner_id": rng.choice(spec["customers"]).id,
                            "user_id": seller.id,
                            "team_id": team.id,
                            "client_order_ref": ref,
                            "medium_id": rng.choice(mediums).id if mediums else False,
                            "source_id": rng.choice(sources).id if sources else False,
                            "order_line": lines,
                        })
                        # the most recent orders stay quotations (a live pipeline)
                        orders_to_confirm.append(
                            (ref, order_date, month_index < 11 or n % 2 == 0)
                        )
                    # opportunities created during the month: won, lost or still open
                    for _n in range(3):
                        outcome = rng.choice(["won", "won", "lost", "open"]) \
                            if month_index < 10 else "open"
                        lead_vals.append((
                            {
                                "name": f"{rng.choice(products).name} for "
                                        f"{rng.choice(spec['customers']).name}",
                                "type": "opportunity",
                                "partner_id": rng.choice(spec["customers"]).id,
                                "user_id": seller.id,
                                "team_id": team.id,
                                "expected_revenue": rng.randrange(2000, 40000, 500),
                                "medium_id": rng.choice(mediums).id if mediums else False,
                                "source_id": rng.choice(sources).id if sources else False,
                                "date_deadline": month_start + relativedelta(months=2),
                            },
                            datetime.combine(
                                month_start.replace(day=rng.randint(1, min(27, last_day))),
                                time(9),
                            ),
                            outcome,
                        ))
        SaleOrder = self.env["sale.order"].with_context(tracking_disable=True)
        orders = SaleOrder.create(order_vals)
        by_ref = {order.client_order_ref: order for order in orders}
        confirmed = self.env["sale.order"]
        for ref, order_date, confirm in orders_to_confirm:
            order = by_ref[ref]
            if confirm:
                order.action_confirm()
                confirmed |= order
            # confirmation stamps "now": put the order back in its month
            order.write({"date_order": order_date})
        # invoice and post every confirmed order older than two weeks
        to_invoice = confirmed.filtered(
            lambda o: o.date_order.date() <= today - relativedelta(days=14)
        )
        if to_invoice:
            moves = to_invoice._create_invoices(grouped=True)
            for move in moves:
                order = move.line_ids.sale_line_ids.order_id[:1]
                move.invoice_date = (order.date_order + relativedelta(days=3)).date()
            moves.action_post()
        Lead = self.env["crm.lead"].with_context(tracking_disable=True, mail_notrack=True)
        leads = Lead.create([vals for vals, _create, _outcome in lead_vals])
        won = leads.browse([lead.id for lead, (_v, _c, o) in zip(leads, lead_vals) if o == "won"])
        lost = leads.browse([lead.id for lead, (_v, _c, o) in zip(leads, lead_vals) if o == "lost"])
        won.action_set_won()
        lost.action_set_lost()
        # put creation and closing dates back in history (reporting reads them)
        for lead, (_vals, created, outcome) in zip(leads, lead_vals):
            closed = created + relativedelta(days=rng.randint(10, 60)) \
                if outcome in ("won", "lost") else None
            self.env.cr.execute(
                "UPDATE crm_lead SET create_date = %s, date_open = %s, date_closed = %s "
                "WHERE id = %s",
                (created, created, closed, lead.id),
            )
        leads.invalidate_recordset()
        self._generate_history_hook(rng, teams, leads, orders)
        _logger.info(
            "Sales Management demo: %s orders (%s confirmed), %s opportunities",
            len(orders), len(confirmed), len(leads),
        )

    @api.model
    def _generate_history_hook(self, rng, teams, leads, orders):
        """Extension point: feature modules add their own demo history here."""
        return True
