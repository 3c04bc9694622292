# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo plans: a company plan for the current year, a plan per demo team and per demo
salesperson, revenue targets generated from last year's history (+12 %), and operational
targets set from each salesperson's own figures of last year."""

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models


class SalesManagementDemo(models.AbstractModel):
    _inherit = "sales.management.demo"

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
            # the team keeps what the company allocated to it (when it beats its own growth)
            wizard.total_target = max(allocated, wizard.proposed_total)
            wizard.action_load_lines()
            wizard.action_generate()
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
