# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo history generator.

The demo organisation (teams, users, customers, products) is plain XML in
``demo/sales_management_demo.xml``. What XML cannot express well is *history relative to
today*: two years of opportunities, quotations, confirmed orders and posted invoices with a
seasonal shape and a growth trend. This model builds it, deterministically (fixed seed),
only when demo data is loaded. Feature modules extend ``_generate_history`` through
``_generate_history_<feature>`` hooks instead of re-reading the data.

The same model also builds, each from its own ``<function>`` in ``demo/*.xml``:

* plans (``_generate_plans``): a company plan for the current year, a plan per demo team
  and per demo salesperson, revenue targets generated from last year's history (+12 %),
  and operational targets set from each salesperson's own figures of last year;
* tasks (``_generate_demo_tasks``): sales tasks relative to today (some running late) for
  the demo salespersons;
* milestones (``_generate_milestone_history``): reached milestones and done activities on
  the demo opportunities;
* 1:1 coaching (``_generate_demo_coaching``): a past session with agreed actions and the
  next one planned for each demo salesperson.
"""

import logging
import random
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools import float_compare

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

    # ------------------------------------------------------------------ plans
    @api.model
    def _generate_plans(self):
        """Create the demo plan tree once (idempotent)."""
        ref = self.env.ref
        Plan = self.env["sales.plan"].with_context(tracking_disable=True)
        if Plan.search_count([("name", "=like", "Demo %")], limit=1):
            return
        today = fields.Date.context_today(self)
        start, end = today.replace(month=1, day=1), today.replace(month=12, day=31)
        company_plan = Plan.create({
            "name": f"Demo {start.year} Company Plan",
            "user_id": ref("base.user_admin").id,
            "scope": "company",
            "date_from": start,
            "date_to": end,
            "vision": "<p>Every retailer we serve runs its store floor on our equipment, "
                      "and calls us first when it grows.</p>",
            "mission": "<p>We equip retailers with dependable scanners, printers and "
                       "terminals, and keep them running. We keep our word on delivery "
                       "dates, we say what we know and what we do not, and a customer's "
                       "problem is ours until it is solved.</p>",
            "target_customers": "<p>Retail chains of 10 to 200 stores in Europe; in the "
                                "Americas, fast-growing chains that need onboarding and "
                                "support with the hardware.</p>",
            "strategy": "<p>Grow recurring equipment sales in Europe and open the "
                        "Americas with services bundles.</p>",
        })
        teams = [
            (ref("sales_management.demo_team_europe"),
             [ref("sales_management.demo_user_alice"), ref("sales_management.demo_user_bruno")]),
            (ref("sales_management.demo_team_americas"),
             [ref("sales_management.demo_user_carla"), ref("sales_management.demo_user_dylan")]),
        ]
        Generate = self.env["sales.plan.generate"]
        for team, sellers in teams:
            team_plan = Plan.create({
                "name": f"Demo {start.year} {team.name}",
                "parent_id": company_plan.id,
                "user_id": team.user_id.id,
                "team_id": team.id,
                "date_from": start,
                "date_to": end,
            })
            for seller in sellers:
                Plan.create({
                    "name": f"Demo {start.year} {seller.name}",
                    "parent_id": team_plan.id,
                    "user_id": seller.id,
                    "team_id": team.id,
                    "scope": "user",
                    "date_from": start,
                    "date_to": end,
                    "commitment": "<p>Two customer visits a week, a follow-up call "
                                  "within 48 hours of every quotation.</p>",
                })
        wizard = Generate.create({
            "plan_id": company_plan.id, "growth": 12.0, "periodicity": "quarter",
            "allocate_by": "sub_plans",
        })
        wizard.action_load_lines()
        wizard.action_generate()
        for team_plan in company_plan.child_ids:
            allocated = sum(team_plan.target_ids.mapped("target_value"))
            wizard = Generate.create({
                "plan_id": team_plan.id, "growth": 12.0, "periodicity": "quarter",
                "allocate_by": "sub_plans",
            })
            # the team keeps what the company allocated to it, to the cent (unless its own
            # growth asks for more than that)
            rounding = team_plan.currency_id.rounding
            wizard.total_target = allocated if float_compare(
                allocated, wizard.proposed_total - rounding, precision_rounding=rounding) >= 0 \
                else wizard.proposed_total
            wizard.action_load_lines()
            wizard.action_generate()
        # the same revenue, also broken down by sales region and by channel
        self._generate_demo_breakdown(company_plan, "region")
        self._generate_demo_breakdown(
            company_plan.child_ids.filtered(
                lambda p: p.team_id == ref("sales_management.demo_team_europe")), "medium")
        self._generate_demo_commitment(company_plan)
        # operational targets: last year's figures of each salesperson, a little better
        self._generate_operational_targets(company_plan.child_ids.child_ids)
        self._generate_last_year_plans(company_plan.child_ids.child_ids)
        plans = company_plan | company_plan.child_ids | company_plan.child_ids.child_ids
        plans.action_submit()
        (company_plan | company_plan.child_ids).action_approve()
        # today's deviation check has run: a plan behind its pace got its alert, and the
        # alert its corrective action
        alerts = self.env["sales.control.alert"]._run_deviation_alerts()
        Action = self.env["sales.corrective.action"]
        for alert in alerts:
            Action._create_from_alert(alert)

    @api.model
    def _generate_demo_breakdown(self, plan, allocate_by):
        """The plan's revenue also broken down by ``allocate_by`` (sales region, UTM
        medium), through Generate Targets and for the plan's own total: the plan's
        quarterly targets come out as they were, its sub-plans' untouched."""
        revenue = self.env.ref("sales_management.sales_metric_revenue")
        heads = plan.target_ids.filtered(
            lambda t: t.metric_id == revenue and not t.is_breakdown)
        wizard = self.env["sales.plan.generate"].create({
            "plan_id": plan.id, "metric_id": revenue.id, "growth": 12.0,
            "periodicity": "quarter", "allocate_by": allocate_by,
            "total_target": sum(heads.mapped("target_value")),
        })
        wizard.action_load_lines()
        wizard.action_generate()

    @api.model
    def _generate_demo_commitment(self, company_plan):
        """Alice's plan states her role and key accounts; she accepts her commitment and
        her team leader countersigns it, through the actions (as each of them)."""
        ref = self.env.ref
        alice = ref("sales_management.demo_user_alice")
        plan = company_plan.child_ids.child_ids.filtered(lambda p: p.user_id == alice)[:1]
        if not plan:
            return
        plan.write({
            "role": "Key-account manager for France and Benelux",
            "key_partner_ids": [Command.set([
                ref("sales_management.demo_customer_paris").id,
                ref("sales_management.demo_customer_brussels").id,
            ])],
            "key_product_ids": [Command.set([
                ref("sales_management.demo_product_terminal").id,
                ref("sales_management.demo_product_support").id,
            ])],
        })
        plan.with_user(alice).action_accept_commitment()
        plan.with_user(plan.team_id.user_id).action_countersign_commitment()

    @api.model
    def _generate_operational_targets(self, plans):
        """Opportunities created and won: last year's count + 10 %; win rate: last year's
        + 3 points (one query per metric for all plans)."""
        ref = self.env.ref
        year = relativedelta(years=1)
        specs = [
            ("sales_management.sales_metric_opportunities", lambda v: max(10, round(v * 1.1))),
            ("sales_management.sales_metric_won", lambda v: max(4, round(v * 1.1))),
            ("sales_management.sales_metric_win_rate", lambda v: min(75, round(v + 3) or 50)),
        ]
        vals_list = []
        for xmlid, rule in specs:
            metric = ref(xmlid)
            history = metric.sudo()._compute_values([
                {"key": plan.id, "company_id": plan.company_id.id,
                 **plan._scope_dimensions(),
                 "date_from": plan.date_from - year, "date_to": plan.date_to - year}
                for plan in plans
            ])
            vals_list += [
                {"plan_id": plan.id, "metric_id": metric.id,
                 "target_value": rule(history[plan.id])}
                for plan in plans
            ]
        return self.env["sales.plan.target"].create(vals_list)

    @api.model
    def _generate_last_year_plans(self, plans):
        """Last year's closed plans of the salespersons (their revenue target against what
        they sold), so that the leaderboard shows how each one moved since."""
        Plan = self.env["sales.plan"].with_context(tracking_disable=True)
        revenue = self.env.ref("sales_management.sales_metric_revenue")
        year = relativedelta(years=1)
        # achievement of last year's target, by salesperson login
        achieved = {"sm_alice": 0.86, "sm_bruno": 0.9, "sm_carla": 0.88, "sm_dylan": 0.92}
        history = revenue.sudo()._compute_values([
            {"key": plan.id, "company_id": plan.company_id.id, **plan._scope_dimensions(),
             "date_from": plan.date_from - year, "date_to": plan.date_to - year}
            for plan in plans
        ])
        last_year = Plan.create([{
            "name": f"Demo {plan.date_from.year - 1} {plan.user_id.name}",
            "user_id": plan.user_id.id,
            "team_id": plan.team_id.id,
            "scope": "user",
            "date_from": plan.date_from - year,
            "date_to": plan.date_to - year,
            "target_ids": [Command.create({
                "metric_id": revenue.id,
                "target_value": round(
                    history[plan.id] / achieved.get(plan.user_id.login, 1.0), -2
                ) or 1000.0,
            })],
        } for plan in plans])
        last_year.action_submit()
        last_year.action_approve()
        last_year.action_close()
        return last_year

    # ------------------------------------------------------------------ tasks
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

    # ------------------------------------------------------------------ milestones
    @api.model
    def _generate_milestone_history(self):
        """Reached milestones and done activities on the demo opportunities; idempotent.

        Won opportunities reached every milestone of their team; lost ones stopped early
        (more often at the first milestones); open ones are on their way. Dates lie between
        the opportunity's creation and its closing (or today).
        """
        teams = [
            self.env.ref("sales_management.demo_team_europe", raise_if_not_found=False),
            self.env.ref("sales_management.demo_team_americas", raise_if_not_found=False),
        ]
        teams = [team for team in teams if team]
        Lead = self.env["crm.lead"].with_context(active_test=False)
        leads = Lead.search([
            ("team_id", "in", [team.id for team in teams]), ("type", "=", "opportunity"),
        ], order="id")
        if not leads or self.env["sales.lead.milestone"].search_count(
            [("lead_id", "in", leads.ids)], limit=1
        ):
            return
        rng = random.Random(20240605)
        # the activity norms draw from their own sequence: the rest of the history stays
        norm_rng = random.Random(20261204)
        now = fields.Datetime.now()
        Milestone = self.env["sales.milestone"]
        call = self.env.ref("mail.mail_activity_data_call")
        email = self.env.ref("mail.mail_activity_data_email")
        subtype = self.env.ref("mail.mt_activities")
        line_vals, message_vals, confirmed = [], [], {}
        sequences = {}
        for lead in leads:
            key = (lead.team_id, lead.company_id)
            if key not in sequences:
                sequences[key] = Milestone.search(Milestone._applicable_domain(*key))
            sequence = sequences[key]
            steps = sequence.filtered(lambda m: not m.is_won)
            won_milestone = sequence.filtered("is_won")[:1]
            is_won = lead.active and lead.stage_id.is_won
            start = lead.create_date
            end = lead.date_closed or now
            if is_won:
                reached = steps
            elif not lead.active:
                # lost: most stop at the first or second milestone
                reached = steps[:rng.choice([0, 1, 1, 2, 2, 3])]
            else:
                reached = steps[:rng.randint(0, len(steps))]
            span = max((end - start).total_seconds(), 3600 * 24)
            count = len(reached) + (1 if is_won else 0)
            moments = sorted(rng.uniform(0.1, 0.95) for _i in range(len(reached)))
            for milestone, ratio in zip(reached, moments):
                date = start + relativedelta(seconds=int(span * ratio))
                line_vals.append({
                    "lead_id": lead.id, "milestone_id": milestone.id, "date_reached": date,
                    "user_id": lead.user_id.id,
                    "overridden": rng.random() < 0.05,
                })
                for activity_type in milestone.activity_type_ids:
                    # most required activities were done; some are missing
                    if rng.random() < 0.85:
                        message_vals.append(self._demo_activity_message(
                            rng, lead, activity_type, date, subtype,
                        ))
                if rng.random() < 0.6:
                    message_vals.append(self._demo_activity_message(
                        rng, lead, rng.choice([call, email]), date, subtype,
                    ))
                message_vals += self._demo_norm_messages(norm_rng, lead, milestone, date,
                                                         subtype, message_vals)
                confirmed.setdefault(lead.id, []).extend(milestone.criterion_ids.ids)
            if is_won and won_milestone:
                line_vals.append({
                    "lead_id": lead.id, "milestone_id": won_milestone.id, "date_reached": end,
                    "user_id": lead.user_id.id,
                })
            if not count and lead.active and steps:
                # a new opportunity: part of the first criteria confirmed
                confirmed[lead.id] = steps[0].criterion_ids[:1].ids
        self.env["sales.lead.milestone"].create(line_vals)
        self.env["mail.message"].sudo().create(message_vals)
        for lead in leads:
            if confirmed.get(lead.id):
                lead.with_context(tracking_disable=True).milestone_criterion_ids = [
                    fields.Command.set(confirmed[lead.id])
                ]
        self.env["sales.milestone"]._compute_statistics(force=True)
        _logger.info(
            "Sales Management demo: %s milestones reached, %s activities done on %s "
            "opportunities", len(line_vals), len(message_vals), len(leads),
        )

    @api.model
    def _demo_norm_messages(self, rng, lead, milestone, before, subtype, message_vals):
        """The activities of ``milestone``'s norms done before ``before``: most meet the
        norm, a quarter miss one (Activity Quality shows a compliance below 100%)."""
        result = []
        for norm in milestone.norm_ids:
            done = sum(1 for vals in message_vals if vals["res_id"] == lead.id
                       and vals["mail_activity_type_id"] == norm.activity_type_id.id)
            wanted = norm.min_count - (1 if rng.random() < 0.25 else 0)
            result += [
                self._demo_activity_message(rng, lead, norm.activity_type_id, before, subtype)
                for _i in range(max(wanted - done, 0))
            ]
        return result

    @api.model
    def _demo_activity_message(self, rng, lead, activity_type, before, subtype):
        done = before - relativedelta(days=rng.randint(1, 10), hours=rng.randint(0, 8))
        deadline = (done + relativedelta(days=rng.choice([-3, -1, 0, 1, 2, 5]))).date()
        return {
            "model": "crm.lead",
            "res_id": lead.id,
            "message_type": "notification",
            "subtype_id": subtype.id,
            "mail_activity_type_id": activity_type.id,
            "author_id": lead.user_id.partner_id.id,
            "date": done,
            "body": f"<p>{activity_type.name} done</p>",
            "activity_deadline_date": deadline,
            "activity_feedback_recorded": rng.random() < 0.7,
        }

    @api.model
    def _generate_demo_coaching(self):
        """1:1 coaching (``demo/sales_coaching_demo.xml``): for each demo salesperson, a
        session held two weeks ago with its notes and agreed actions (converted: one done,
        one open), and the next session planned in the coming days, its agenda prepared
        from the demo data and an activity for the coach; idempotent."""
        Session = self.env["sales.coaching.session"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True,
        )
        if Session.search_count([], limit=1):
            return
        ref = self.env.ref
        today = fields.Date.context_today(self)
        sellers = [ref(f"sales_management.demo_user_{name}")
                   for name in ("alice", "bruno", "carla", "dylan")]
        agreed = [
            ("Call back the three quotations older than a month", 7),
            ("Prepare the discovery questions for the next two first meetings", 21),
        ]
        for index, seller in enumerate(sellers):
            held = today - timedelta(days=14 + index)
            session = Session.create({
                "user_id": seller.id, "date": held,
                "shared_note": "<p>Pipeline reviewed deal by deal; more discovery before "
                               "proposals.</p>",
                "private_note": "<p>Confident on closing, avoids cold calls: coach by "
                                "shadowing two calls.</p>",
                "action_ids": [Command.create({
                    "name": name, "user_id": seller.id,
                    "date_deadline": held + timedelta(days=days),
                }) for name, days in agreed],
            })
            session.action_convert_actions()
            first = session.action_ids[:1]
            first.activity_id.action_feedback(feedback="Done: two of three signed")
            first.action_done()
            session.action_done()
            session.next_date = today + timedelta(days=2 + index)
            session.action_schedule_next()
        _logger.info("Sales Management demo: %s coaching sessions", len(sellers) * 2)

    @api.model
    def _generate_demo_properties(self):
        """Forms each team shapes: Europe's plans and tasks carry a "Segment" property."""
        team = self.env.ref("sales_management.demo_team_europe", raise_if_not_found=False)
        if not team:
            return
        segment = {
            "name": "demo_segment", "string": "Segment", "type": "selection",
            "selection": [["smb", "Small Business"], ["enterprise", "Enterprise"]],
        }
        team.write({
            "sales_plan_properties_definition": [segment],
            "sales_task_properties_definition": [segment],
            "sales_todo_properties_definition": [
                {"name": "demo_channel", "string": "Channel", "type": "char"}],
        })
        # closed plans and finished tasks are no longer edited
        plans = self.env["sales.plan"].search(
            [("team_id", "=", team.id), ("state", "not in", ("closed", "cancelled"))], order="id")
        tasks = self.env["sales.task"].search(
            [("team_id", "=", team.id), ("state", "in", ("draft", "in_progress"))], order="id")
        for index, record in enumerate(plans):
            record.plan_properties = {"demo_segment": ("enterprise", "smb")[index % 2]}
        for index, record in enumerate(tasks):
            record.task_properties = {"demo_segment": ("smb", "enterprise")[index % 2]}
        _logger.info("Sales Management demo: properties on %s plans, %s tasks",
                     len(plans), len(tasks))

    @api.model
    def _generate_demo_day_notes(self):
        """Today's notes on the Team Day of two of Europe's salespersons (written in their
        own names, as only the author writes one); idempotent."""
        notes = {
            "sales_management.demo_user_alice":
                "Waiting for Lyon's legal team to approve the contract: can you call them?",
            "sales_management.demo_user_bruno": "Need a discount approval for Munich today.",
        }
        for xmlid, text in notes.items():
            user = self.env.ref(xmlid, raise_if_not_found=False)
            if user:
                self.env["sales.day.note"].with_user(user).with_context(tz=user.tz) \
                    .action_save_note(fields.Date.context_today(user), text)
