# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo history generator.

The demo organisation (teams, users, customers, products) is plain XML in
``demo/sales_management_demo.xml``. What XML cannot express well is *history relative to
today*: two years of opportunities, quotations, confirmed orders and posted invoices with a
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
    def _demo_profiles(self):
        """Per salesperson: monthly revenue level a year ago, year-over-year growth and win
        rate. Europe grows, Americas struggles (one salesperson clearly off track), so the
        plans generated from last year (+12 %) show green, orange and red."""
        ref = self.env.ref
        return {
            ref("sales_management.demo_user_alice"): {"level": 21000, "growth": 0.24, "win": 0.58},
            ref("sales_management.demo_user_bruno"): {"level": 18000, "growth": 0.15, "win": 0.52},
            ref("sales_management.demo_user_carla"): {"level": 16500, "growth": -0.01, "win": 0.47},
            ref("sales_management.demo_user_dylan"): {"level": 14000, "growth": -0.25, "win": 0.38},
            # team leaders coach and work a few large deals; their teams' orders are booked
            # by the salespersons (so the team plans split exactly over the salespersons')
            ref("sales_management.demo_user_leader_eu"): {"level": 0, "growth": 0.1, "win": 0.6},
            ref("sales_management.demo_user_leader_us"): {"level": 0, "growth": 0.0, "win": 0.55},
        }

    @api.model
    def _generate_history(self):
        """Create two years of sales history for the demo teams; idempotent.

        Each salesperson sells along the seasonality with their own year-over-year growth
        (a few % of noise a month); opportunities close weeks after they were created (won
        deals take longer than lost ones), the most recent ones are still open.
        """
        if self.env["sale.order"].search_count(
            [("client_order_ref", "=like", "SM-DEMO-%")], limit=1
        ):
            return
        rng = random.Random(20240601)
        teams, products, mediums, sources = self._demo_refs()
        profiles = self._demo_profiles()
        today = fields.Date.context_today(self)
        now = datetime.combine(today, time(8, 0))
        months = 24
        first_month = (today - relativedelta(months=months - 1)).replace(day=1)
        mean_season = sum(SEASONALITY.values()) / 12
        order_vals, orders_meta, lead_vals = [], [], []

        def random_day(month_start, month_index, last=None):
            last_day = today.day if month_index == months - 1 else 27
            return month_start.replace(day=rng.randint(1, min(27, last_day, last or 27)))

        def order_lines(amount):
            picked = rng.sample(products, rng.randint(1, 3))
            weights = [rng.uniform(0.5, 1.5) for _p in picked]
            return [
                Command.create({
                    "product_id": product.id,
                    "product_uom_qty": max(1, round(amount * w / sum(weights) / product.lst_price)),
                })
                for product, w in zip(picked, weights)
            ]

        for team, spec in teams.items():
            for seller in spec["sellers"]:
                profile = profiles[seller]
                for month_index in range(months):
                    month_start = first_month + relativedelta(months=month_index)
                    # growth is continuous: the same month a year later is (1 + growth) x
                    trend = (1 + profile["growth"]) ** ((month_index - (months - 12)) / 12)
                    budget = profile["level"] * SEASONALITY[month_start.month] / mean_season \
                        * trend * rng.uniform(0.92, 1.08)
                    if month_index == months - 1:
                        month_end = month_start + relativedelta(day=31)
                        budget *= today.day / month_end.day
                    n_orders = max(2, round(budget / 6500)) if budget else 0
                    shares = [rng.uniform(0.6, 1.4) for _n in range(n_orders)]
                    for n, share in enumerate(shares):
                        ref = f"SM-DEMO-{team.id}-{seller.id}-{month_index:02d}-{n}"
                        order_vals.append(self._demo_order_vals(
                            rng, ref, spec, seller, team, mediums, sources,
                            order_lines(budget * share / sum(shares)),
                        ))
                        orders_meta.append((ref, random_day(month_start, month_index), True))
                    if budget and month_index >= months - 2:
                        # a live pipeline: quotations of the last weeks not yet confirmed
                        for n in range(2 if month_index == months - 1 else 1):
                            ref = f"SM-DEMO-{team.id}-{seller.id}-{month_index:02d}-Q{n}"
                            order_vals.append(self._demo_order_vals(
                                rng, ref, spec, seller, team, mediums, sources,
                                order_lines(rng.uniform(3000, 9000)),
                            ))
                            orders_meta.append((ref, random_day(month_start, month_index), False))
                    # opportunities created during the month: won, lost or still open
                    if profile["level"]:
                        expected = 3 * trend
                    else:
                        expected = 1.2
                    n_leads = int(expected) + (1 if rng.random() < expected % 1 else 0)
                    for _n in range(n_leads):
                        created = datetime.combine(
                            random_day(month_start, month_index), time(rng.randint(8, 17)),
                        )
                        won = rng.random() < profile["win"]
                        # won deals take weeks (3 to 11), lost ones are dropped sooner
                        delay = rng.randint(20, 80) if won else rng.randint(8, 50)
                        closed = created + relativedelta(days=delay, hours=rng.randint(0, 6))
                        outcome = "won" if won else "lost"
                        if closed >= now or rng.random() < 0.04:
                            outcome, closed = "open", None
                        customer = rng.choice(spec["customers"])
                        revenue = rng.randrange(4000, 30000, 500) if profile["level"] \
                            else rng.randrange(25000, 60000, 1000)
                        deadline = (closed or created).date() if outcome != "open" else \
                            max(created.date() + relativedelta(days=60),
                                today + relativedelta(days=rng.randint(7, 75)))
                        lead_vals.append((
                            {
                                "name": f"{rng.choice(products).name} for {customer.name}",
                                "type": "opportunity",
                                "partner_id": customer.id,
                                "user_id": seller.id,
                                "team_id": team.id,
                                "expected_revenue": revenue,
                                "medium_id": rng.choice(mediums).id if mediums else False,
                                "source_id": rng.choice(sources).id if sources else False,
                                "date_deadline": deadline,
                            },
                            created,
                            closed,
                            outcome,
                        ))
        SaleOrder = self.env["sale.order"].with_context(tracking_disable=True)
        orders = SaleOrder.create(order_vals)
        by_ref = {order.client_order_ref: order for order in orders}
        confirmed = SaleOrder.browse(
            [by_ref[ref].id for ref, _d, confirm in orders_meta if confirm]
        )
        confirmed.action_confirm()
        # confirmation stamps "now": put each order back in its month
        by_date = {}
        for ref, order_date, _confirm in orders_meta:
            by_date.setdefault(order_date, []).append(by_ref[ref].id)
        for order_date, ids in by_date.items():
            SaleOrder.browse(ids).write({"date_order": datetime.combine(order_date, time(10))})
        # invoice and post every confirmed order older than two weeks
        to_invoice = confirmed.filtered(
            lambda o: o.date_order.date() <= today - relativedelta(days=14)
        )
        if to_invoice:
            moves = to_invoice._create_invoices(grouped=True)
            for move in moves:
                order = move.line_ids.sale_line_ids.order_id[:1]
                move.invoice_date = min(order.date_order.date() + relativedelta(days=3), today)
            moves.action_post()
        Lead = self.env["crm.lead"].with_context(tracking_disable=True, mail_notrack=True)
        leads = Lead.create([vals for vals, _c, _d, _o in lead_vals])
        outcomes = [outcome for _v, _c, _d, outcome in lead_vals]
        leads.browse([lead.id for lead, o in zip(leads, outcomes) if o == "won"]).action_set_won()
        leads.browse([lead.id for lead, o in zip(leads, outcomes) if o == "lost"]).action_set_lost()
        # put creation and closing dates back in history (reporting reads them), one query
        # after the ORM wrote its own (closing "now")
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE crm_lead l
               SET create_date = v.created, date_open = v.created,
                   date_last_stage_update = COALESCE(v.closed, v.created),
                   date_closed = v.closed, day_open = 0,
                   day_close = CASE WHEN v.closed IS NULL THEN NULL
                               ELSE EXTRACT(DAY FROM v.closed - v.created) END
              FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[]) AS v(id, created, closed)
             WHERE l.id = v.id
            """,
            (
                leads.ids,
                [created for _v, created, _d, _o in lead_vals],
                [closed for _v, _c, closed, _o in lead_vals],
            ),
        )
        leads.invalidate_recordset()
        self._generate_history_hook(rng, teams, leads, orders)
        _logger.info(
            "Sales Management demo: %s orders (%s confirmed), %s opportunities",
            len(orders), len(confirmed), len(leads),
        )

    @api.model
    def _demo_order_vals(self, rng, ref, spec, seller, team, mediums, sources, lines):
        return {
            "partner_id": rng.choice(spec["customers"]).id,
            "user_id": seller.id,
            "team_id": team.id,
            "client_order_ref": ref,
            "medium_id": rng.choice(mediums).id if mediums else False,
            "source_id": rng.choice(sources).id if sources else False,
            "order_line": lines,
        }

    @api.model
    def _generate_history_hook(self, rng, teams, leads, orders):
        """Extension point: feature modules add their own demo history here."""
        return True
