# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The KPI data of a user's scope for a period: computed once, rendered three times.

``get_dashboard_data()`` is the one method behind the OWL dashboard, the salesperson
scorecard, the executive summary PDF and the XLSX exports (the mis_builder architecture:
the renderers stay thin). Every figure is computed in batch (``_read_group`` / the plans'
batch actuals) in the *current* environment, so record rules apply: a salesperson gets their
own figures, "All Documents" and managers the company's. A team leader (``crm.team.user_id``)
is usually a plain salesperson, whom the core ``sale.order`` / ``crm.lead`` rules limit to their
own documents: their order and opportunity aggregates are read as superuser, but ONLY through
``_scope_read_group()``, which always adds the explicit scope domain (their teams' documents or
their own, in the allowed companies) and returns figures, never records. Each figure carries
the domain of the records behind it (``drill``), which the dashboard opens on click.
"""

from collections import defaultdict
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .res_company import HEALTH_THRESHOLD_FIELDS, SCORE_WEIGHT_FIELDS, health_styles
from .res_users import context_today, fetch_fields
from .sales_input_guard import check_date_param, check_ids_param
from .sales_plan_target import (
    current_period_memo,
    defer_period_figures,
    memoized_plan_targets,
    period_figures_memo,
)

PERIODS = ("month", "quarter", "year")
OPEN_TASK_STATES = ("draft", "in_progress")
# the plan fields the sections read (``_plans_in_periods``): a first access to one would
# read the plans' whole rows, their texts included
PERIOD_PLAN_FIELDS = ["name", "complete_name", "parent_id", "parent_path", "company_id",
                      "currency_id", "user_id", "team_id", "scope", "date_from", "date_to",
                      "state", "metric_id"]


class SalesManagementDashboard(models.AbstractModel):
    _name = "sales.management.dashboard"
    _description = "Sales Management KPI Data"

    # ------------------------------------------------------------------ public API
    @api.model
    def get_dashboard_data(self, period="year", date_ref=None, user_ids=None):
        """KPIs of the current user's scope for the ``period`` ("month", "quarter" or
        "year") that contains ``date_ref`` (default: today).

        ``user_ids`` narrows the scope to these salespersons (the scorecard); it never
        widens it: records the current user cannot read stay out.
        """
        period, date_ref, user_ids = self._check_dashboard_params(period, date_ref, user_ids)
        # an RPC client: the user's time zone read with their name (a salesperson's
        # scope label) in one query
        today = context_today(self, partner_fields=["name"])
        ref = fields.Date.to_date(date_ref) if date_ref else today
        dates = self._period_dates(period, ref, today=today)
        scope = self._get_scope(user_ids)
        company = self.env.company
        # the fields shown only: a first access would read the company's and the
        # currency's whole records (some hundred columns, 0.9 ms of every call); with
        # the settings the sections' figures read (health, score), in the same query
        fetch_fields(company, ["name", "currency_id", *HEALTH_THRESHOLD_FIELDS,
                               *SCORE_WEIGHT_FIELDS])
        fetch_fields(company.currency_id, ["name", "symbol", "position"])
        data = {
            "period": {
                "key": period,
                "label": self._period_label(period, dates["date_from"]),
                **{key: fields.Date.to_string(value) for key, value in dates.items()},
            },
            "today": fields.Date.to_string(today),
            "scope": {
                "level": scope["level"],
                "label": scope["label"],
                "user_ids": scope["user_ids"],
                "team_ids": scope["team_ids"],
            },
            "currency": {
                "id": company.currency_id.id,
                "symbol": company.currency_id.symbol,
                "position": company.currency_id.position,
                "name": company.currency_id.name,
            },
            "drill": {},
            # the label and colours of each health: the same as the prints'
            "health_styles": health_styles(self.env),
        }
        # the sections ask for the same targets' figures: each computed once. The
        # leaderboard first: its score reads every target of the salespersons' plans in
        # one batch, which then serves a salesperson's own plans and activity targets
        with period_figures_memo():
            self._defer_period_figures(scope, dates)
            data["leaderboard"] = self._get_leaderboard(scope, dates)
            data["plans"] = self._get_plan_figures(scope, dates, data["drill"])
            data["conception"] = self._get_conception(data["plans"])
            data["kpis"] = self._get_sales_kpis(scope, dates, data["drill"])
            data["kpis"].update(self._get_pipeline_kpis(scope, data["plans"], data["drill"]))
            data["kpis"].update(self._get_overdue_kpis(scope, today, data["drill"]))
            data["kpis"].update(self._get_control_kpis(scope, data["drill"]))
            data["kpis"].update(
                self._get_activity_kpis(scope, dates, data["plans"], data["drill"]))
            data["funnel"] = self._get_funnel(scope, dates, data["drill"])
            data["teams"] = self._get_team_attainment(scope, dates)
        return data

    @api.model
    def action_print(self, kind, period="year", user_id=None):
        """The report action of the dashboard's print buttons, for the same period.
        ``user_id``: the scorecard of this salesperson (the leaderboard's print icons),
        for whoever may print it (``_check_scorecard_access``); default: one's own."""
        user = self.env.user
        if user_id:
            ids = check_ids_param(self.env, [user_id], self.env._("Salesperson"))
            user = self.env["res.users"].browse(ids).exists()
            if not user:
                raise UserError(self.env._("This salesperson does not exist."))
            self.env["report.sales_management.report_salesperson_scorecard"] \
                ._check_scorecard_access(user)
        reports = {
            "scorecard": ("sales_management.action_report_salesperson_scorecard", user),
            "summary": ("sales_management.action_report_executive_summary", self.env.company),
            "xlsx": ("sales_management.action_report_kpi_analysis_xlsx", self.env.company),
        }
        if not isinstance(kind, str) or kind not in reports \
                or not isinstance(period, str) or period not in PERIODS:
            raise UserError(self.env._("Unknown report %(kind)s.", kind=repr(kind)[:40]))
        xmlid, records = reports[kind]
        return self.env.ref(xmlid).report_action(records, data={"period": period})

    # ------------------------------------------------------------------ parameters
    @api.model
    def _check_dashboard_params(self, period, date_ref, user_ids):
        """The public methods' parameters (sent by the OWL dashboard, and by anyone over
        JSON-RPC), checked before they reach the figures."""
        if not isinstance(period, str) or period not in PERIODS:
            raise UserError(self.env._(
                "Unknown period %(period)s: choose a month, a quarter or a year.",
                period=repr(period)[:40],
            ))
        date_ref = check_date_param(self.env, date_ref, self.env._("Reference date"))
        user_ids = check_ids_param(self.env, user_ids, self.env._("Salespersons"))
        return period, date_ref, user_ids or None

    @api.model
    def _check_report_options(self, data):
        """The options a report action passes to its renderer (``data``: period and
        reference date), as the dashboard checks them; returns them cleaned."""
        if data in (None, False):
            return {}
        if not isinstance(data, dict):
            raise UserError(self.env._("The report options must be an object."))
        period, date_ref, _users = self._check_dashboard_params(
            data.get("period") or "year", data.get("date_ref"), None)
        return dict(data, period=period,
                    date_ref=date_ref and fields.Date.to_string(date_ref) or None)

    @api.model
    def _report_docids(self, docids, data):
        """The records a report prints. A report action that carries ``data`` (the
        period of the dashboard's print buttons) is called by the web client without
        record ids (``/report/pdf/NAME?options=…&context=…``): its records are then the
        ``active_ids`` of the action's context, which Odoo passes along in ``data``."""
        if docids:
            return docids
        context = data.get("context") if isinstance(data, dict) else None
        ids = context.get("active_ids") if isinstance(context, dict) else None
        return check_ids_param(self.env, ids, self.env._("Records to print"))

    # ------------------------------------------------------------------ scope
    @api.model
    def _get_scope(self, user_ids=None):
        """Whose figures the current user sees: ``own`` (a salesperson), ``team`` (the
        leader of one or more teams) or ``all`` ("All Documents" and managers)."""
        user = self.env.user
        if self.env.su or user.has_group("sales_team.group_sale_salesman_all_leads"):
            level, led_teams = "all", self.env["crm.team"]
        else:
            led_teams = self.env["crm.team"].search([("user_id", "=", user.id)])
            level = "team" if led_teams else "own"
        if level == "all":
            label = self.env._("All salespersons of %(company)s", company=self.env.company.name)
        elif level == "team":
            label = self.env._("Team %(teams)s", teams=", ".join(led_teams.mapped("name")))
        else:
            fetch_fields(user.partner_id, ["name"])  # not the partner's whole record
            label = user.name
        scope = {
            "level": level,
            "label": label,
            "user": user,
            "team_ids": led_teams.ids,
            "user_ids": [user.id] if level == "own" else [],
        }
        if user_ids:
            # only people the caller may look at: himself (own), his teams' members (team),
            # users of his companies (all); the others are dropped, never named
            users = self.env["res.users"].sudo().browse(
                [uid for uid in user_ids if isinstance(uid, int)]
            ).exists()
            if level == "own":
                users &= user.sudo()
            elif level == "team":
                users &= (led_teams.member_ids | led_teams.user_id | user).sudo()
            else:
                company_ids = set(self.env.companies.ids)
                users = users.filtered(lambda u: company_ids & set(u.company_ids.ids))
            scope["user_ids"] = users.ids or [0]
            scope["label"] = ", ".join(users.mapped("name")) or self.env._("Nobody")
        return scope

    @api.model
    def _scope_domain(self, scope, user_field="user_id", team_field="team_id"):
        """Domain restricting documents to the scope (on top of the record rules).

        A leader's scope is always bounded by their teams (or their own documents), also
        when ``user_ids`` narrows it: this domain is what keeps ``_scope_read_group()``'s
        superuser reads inside the scope."""
        domain = [("company_id", "in", [*self.env.companies.ids, False])]
        if scope["level"] == "team":
            domain = expression.AND([domain, ["|", (team_field, "in", scope["team_ids"]),
                                              (user_field, "=", scope["user"].id)]])
        if scope["user_ids"]:
            domain = expression.AND([domain, [(user_field, "in", scope["user_ids"])]])
        return domain

    @api.model
    def _scope_read_group(self, scope, model, domain, groupby, aggregates):
        """``model._read_group`` over ``domain`` AND the scope domain; returns
        ``(groups, full_domain)``.

        For a team leader (scope level ``team``) the read runs as superuser: the core
        record rules of ``sale.order`` / ``crm.lead`` give a plain salesperson their own
        documents only, which would hide the team they lead. The scope domain added here
        (their teams or themselves, in the allowed companies) is the only boundary then,
        and only aggregates come back. Salespersons and "All Documents"/managers read in
        their own environment, record rules included.

        The returned domain is the drill-down: a leader opening it in a list still gets
        the record rules of their group there, so the list may show fewer documents than
        the figure counts (their team members' orders stay out unless the leader has
        "All Documents"). We do not widen the record rules for that.
        """
        full_domain = expression.AND([self._scope_domain(scope), domain])
        if scope["level"] == "team":
            model = model.sudo()
        return model._read_group(full_domain, groupby, aggregates), full_domain

    # ------------------------------------------------------------------ plans
    @api.model
    def _plans_in_period(self, dates, extra_domain=None):
        """The plans of the period the user may read (and ``extra_domain``)."""
        return self._plans_in_periods([dates], extra_domain)[0]

    @api.model
    def _plans_in_periods(self, periods, extra_domain=None):
        """``[plans]``: for each period of ``periods`` (dicts with ``date_from`` and
        ``date_to``), the plans overlapping it that the user may read (and
        ``extra_domain``), read in one search over the periods together, with the
        fields the sections show (``PERIOD_PLAN_FIELDS``). Within a
        ``period_figures_memo`` block, a period's plans are searched once (a
        salesperson's headline plans are the leaderboard's)."""
        extra_domain = extra_domain or []
        memo = current_period_memo()
        if memo is None:
            memo = {}
        keys = [("sales.plan.search", self.env.uid, self.env.su,
                 tuple(self.env.companies.ids), period["date_from"], period["date_to"],
                 repr(extra_domain)) for period in periods]
        todo = [period for period, key in zip(periods, keys) if key not in memo]
        if todo:
            plans = self.env["sales.plan"].search_fetch(expression.AND([[
                ("state", "!=", "cancelled"),
                ("date_from", "<=", max(period["date_to"] for period in todo)),
                ("date_to", ">=", min(period["date_from"] for period in todo)),
                ("company_id", "in", self.env.companies.ids),
            ], extra_domain]), PERIOD_PLAN_FIELDS)
            for period, key in zip(periods, keys):
                if key not in memo:
                    memo[key] = plans.filtered(
                        lambda plan, period=period: plan.date_from <= period["date_to"]
                        and plan.date_to >= period["date_from"])
        return [memo[key] for key in keys]

    @api.model
    def _headline_plan_domain(self, scope):
        """The plans that state the scope's objective: the salesperson's own plans, the
        led teams' plans, or the top plans of the company."""
        if scope["user_ids"]:
            return [("user_id", "in", scope["user_ids"]), ("scope", "=", "user")]
        if scope["level"] == "team":
            return [("team_id", "in", scope["team_ids"]), ("scope", "=", "team")]
        return [("parent_id", "=", False)]

    @api.model
    def _leaderboard_plan_domain(self, scope):
        """The salespersons' plans the leaderboard ranks: the scope's (a salesperson's
        are their headline plans), a leader's teams', or all."""
        if scope["user_ids"]:
            return self._headline_plan_domain(scope)
        if scope["level"] == "team":
            return [("scope", "=", "user"), ("team_id", "in", scope["team_ids"])]
        return [("scope", "=", "user")]

    @api.model
    def _defer_period_figures(self, scope, dates):
        """The plans the other sections show besides the leaderboard's (the scope's
        headline plans, the teams'): their targets' figures are computed with the
        leaderboard's batch (``defer_period_figures``), one query per source for the
        whole screen, not one batch per section. A salesperson's are the leaderboard's."""
        leaderboard = self._leaderboard_plan_domain(scope)
        domains = [domain for domain in (self._headline_plan_domain(scope),
                                         self._team_plan_domain(scope))
                   if domain is not None and domain != leaderboard]
        if not domains:
            return
        plans = self._plans_in_period(dates, expression.OR(domains))
        targets = self.env["sales.plan.target"].browse(
            [target_id for target_id, _plan, _metric in memoized_plan_targets(plans)])
        defer_period_figures(targets, dates["date_from"], dates["date_to"])

    @api.model
    def _get_plan_figures(self, scope, dates, drill):
        plans = self._plans_in_period(dates, self._headline_plan_domain(scope))
        # one batch for the period's figures of every plan shown
        figures = plans._get_period_figures(dates["date_from"], dates["date_to"])
        # the teams' names only: a first access would read the teams' whole rows
        fetch_fields(plans.team_id, ["name"])
        rows = [plan._plan_row(figures[plan.id]) for plan in plans]
        drill["plans"] = {
            "res_model": "sales.plan",
            "domain": [("id", "in", plans.ids)],
            "name": self.env._("Plans"),
        }
        return rows

    @api.model
    def _get_conception(self, plan_rows):
        """The vision, mission, target customers and strategy above the scope's plans
        (``sales.plan._get_conception_above``): for a salesperson, those of their team's
        plan and of the company plan; a top plan (the managers' scope) shows its own.
        One section per plan, top-down, each once."""
        plans = self.env["sales.plan"].browse([row["id"] for row in plan_rows])
        top = plans.filtered(lambda plan: not plan.parent_id)
        chains = {
            **(plans - top)._get_conception_above(),
            **top._get_conception_above(include_self=True),
        }
        sections, seen = [], set()
        for plan in plans:
            for section in chains.get(plan, []):
                if section["plan_id"] not in seen:
                    seen.add(section["plan_id"])
                    sections.append(section)
        return sections

    # ------------------------------------------------------------------ sales KPIs
    @api.model
    def _amount_by_currency(self, groups):
        """Sum ``[(currency, amount)]`` groups into the company currency."""
        company = self.env.company
        today = context_today(self)
        return sum(
            currency._convert(amount or 0.0, company.currency_id, company, today)
            if currency and currency != company.currency_id else (amount or 0.0)
            for currency, amount in groups
        )

    @api.model
    def _datetime_bounds(self, date_from, date_to):
        return (
            fields.Datetime.to_string(datetime.combine(date_from, time.min)),
            fields.Datetime.to_string(datetime.combine(date_to + relativedelta(days=1), time.min)),
        )

    @api.model
    def _order_figures(self, scope, date_from, date_to):
        """Confirmed orders of the scope dated in the period: count and untaxed amount
        (company currency)."""
        start, stop = self._datetime_bounds(date_from, date_to)
        groups, domain = self._scope_read_group(scope, self.env["sale.order"], [
            ("state", "=", "sale"), ("date_order", ">=", start), ("date_order", "<", stop),
        ], ["currency_id"], ["amount_untaxed:sum", "__count"])
        amount = self._amount_by_currency([(cur, amt) for cur, amt, _count in groups])
        return {"amount": amount, "count": sum(c for _cur, _amt, c in groups), "domain": domain}

    @api.model
    def _period_orders(self, scope, dates):
        """``(groups, domain)``: the scope's quotations and orders dated in the period
        (draft, sent, confirmed, cancelled), by salesperson, state and currency, with
        their untaxed amount and count (``_scope_read_group``): the sales KPIs and the
        leaderboard's revenue. Within a ``period_figures_memo`` block, read once."""
        start, stop = self._datetime_bounds(dates["date_from"], dates["date_to"])
        memo = current_period_memo()
        key = ("sale.order:period", self.env.uid, self.env.su, tuple(self.env.companies.ids),
               start, stop, scope["level"], repr(self._scope_domain(scope)))
        if memo is not None and key in memo:
            return memo[key]
        result = self._scope_read_group(scope, self.env["sale.order"], [
            ("date_order", ">=", start), ("date_order", "<", stop),
            ("state", "in", ("draft", "sent", "sale", "cancel")),
        ], ["user_id", "state", "currency_id"], ["amount_untaxed:sum", "__count"])
        if memo is not None:
            memo[key] = result
        return result

    @api.model
    def _get_sales_kpis(self, scope, dates, drill):
        date_from, date_to = dates["date_from"], dates["date_to"]
        last_year = self._order_figures(scope, dates["ly_date_from"], dates["ly_date_to"])
        previous = self._order_figures(scope, dates["prev_date_from"], dates["prev_date_to"])
        start, stop = self._datetime_bounds(date_from, date_to)
        # the period's quotations (``_period_orders``) give both the quotations -> orders
        # conversion (every quotation dated in the period, and those confirmed) and the
        # confirmed orders' figures (the "sale" groups)
        period = [("date_order", ">=", start), ("date_order", "<", stop)]
        quote_groups, quote_domain = self._period_orders(scope, dates)
        quote_counts = defaultdict(int)
        for _user, state, _currency, _amount, count in quote_groups:
            quote_counts[state] += count
        quotations = sum(quote_counts.values())
        confirmed = quote_counts["sale"]
        orders = {
            "amount": self._amount_by_currency([
                (currency, amount) for _user, state, currency, amount, _count in quote_groups
                if state == "sale"
            ]),
            "count": confirmed,
            "domain": expression.AND([self._scope_domain(scope),
                                      [("state", "=", "sale"), *period]]),
        }
        # hit rate: opportunities closed in the period, won / (won + lost); one read
        # grouped by ``active`` (won ones are active, lost ones archived)
        Lead = self.env["crm.lead"].with_context(active_test=False)
        closed_common = [
            ("type", "=", "opportunity"),
            ("date_closed", ">=", start), ("date_closed", "<", stop),
        ]
        won = [("active", "=", True), ("stage_id.is_won", "=", True)]
        lost = [("active", "=", False), ("probability", "=", 0)]
        closed_groups, _closed_domain = self._scope_read_group(
            scope, Lead, [*closed_common, *expression.OR([won, lost])],
            ["active"], ["__count", "day_close:avg", "expected_revenue:sum"],
        )
        closed_by_active = {active: rest for active, *rest in closed_groups}
        won_count, cycle_days, won_revenue = closed_by_active.get(True, (0, None, None))
        lost_count = closed_by_active.get(False, (0,))[0]
        scope_domain = self._scope_domain(scope)
        won_domain = expression.AND([scope_domain, [*closed_common, *won]])
        lost_domain = expression.AND([scope_domain, [*closed_common, *lost]])
        closed = won_count + lost_count
        deal_size, kpi_domain = self._get_deal_size(scope, start, stop)
        drill["kpi_analysis"] = {
            "res_model": "sales.kpi.report", "domain": kpi_domain,
            "name": self.env._("KPI Analysis"),
            "views": [[False, "pivot"], [False, "graph"], [False, "list"]],
        }
        drill.update({
            "revenue": {"res_model": "sale.order", "domain": orders["domain"],
                        "name": self.env._("Confirmed Orders")},
            "revenue_last_year": {"res_model": "sale.order", "domain": last_year["domain"],
                                  "name": self.env._("Orders, Same Period Last Year")},
            "quotations": {"res_model": "sale.order", "domain": quote_domain,
                           "name": self.env._("Quotations")},
            "won": {"res_model": "crm.lead", "domain": won_domain,
                    "name": self.env._("Won Opportunities")},
            "lost": {"res_model": "crm.lead", "domain": lost_domain,
                     "name": self.env._("Lost Opportunities"), "context": {"active_test": False}},
        })
        return {
            "revenue": orders["amount"],
            "order_count": orders["count"],
            "avg_deal_size": deal_size,
            "revenue_previous": previous["amount"],
            "revenue_last_year": last_year["amount"],
            "growth": (100.0 * (orders["amount"] - last_year["amount"]) / last_year["amount"])
            if last_year["amount"] else 0.0,
            "quotation_count": quotations,
            "quotation_order_count": confirmed,
            "quotation_conversion": 100.0 * confirmed / quotations if quotations else 0.0,
            "won_count": won_count,
            "lost_count": lost_count,
            "won_revenue": won_revenue or 0.0,
            "hit_rate": 100.0 * won_count / closed if closed else 0.0,
            "cycle_days": cycle_days or 0.0,
        }

    @api.model
    def _get_deal_size(self, scope, start, stop):
        """The average deal size of the scope's opportunities closed in the period, as
        *KPI Analysis* reads it (``sales.kpi.report.deal_size``: the expected revenue of
        the won opportunities, averaged): ``(deal_size, kpi_domain)``, the domain of the
        KPI Analysis opened on the period (opportunities closed in it)."""
        closed = [("date_closed", ">=", start), ("date_closed", "<", stop)]
        [(deal_size,)], _domain = self._scope_read_group(
            scope, self.env["sales.kpi.report"], [*closed, ("status", "=", "won")],
            [], ["deal_size:avg"])
        return deal_size or 0.0, expression.AND([self._scope_domain(scope), closed])

    @api.model
    def _get_pipeline_kpis(self, scope, plan_rows, drill):
        """Pipeline coverage: the open, milestone-weighted pipeline against what remains
        to reach the amount targets of the scope's plans."""
        [(count, weighted, expected)], domain = self._scope_read_group(
            scope, self.env["crm.lead"], [
                ("type", "=", "opportunity"), ("active", "=", True),
                ("stage_id.is_won", "=", False),
            ], [], ["__count", "milestone_expected_revenue:sum", "expected_revenue:sum"],
        )
        remaining = sum(row["gap"] for row in plan_rows if row["unit"] == "amount")
        drill["pipeline"] = {"res_model": "crm.lead", "domain": domain,
                             "name": self.env._("Open Opportunities")}
        return {
            "pipeline_count": count,
            "pipeline_weighted": weighted or 0.0,
            "pipeline_expected": expected or 0.0,
            "remaining_target": remaining,
            "pipeline_coverage": 100.0 * (weighted or 0.0) / remaining if remaining else 0.0,
        }

    @api.model
    def _overdue_domains(self, today):
        """What is overdue on ``today``, by model: the one definition behind the
        dashboard's overdue figures and the Team Day's counts."""
        return {
            "sales.task": [("state", "in", OPEN_TASK_STATES), ("date_deadline", "<", today)],
            "sales.task.todo": [("state", "=", "todo"), ("date_deadline", "<", today)],
            "mail.activity": [("res_model", "in", ("crm.lead", "sale.order")),
                              ("date_deadline", "<", today)],
        }

    @api.model
    def _get_overdue_kpis(self, scope, today, drill):
        overdue = self._overdue_domains(today)
        task_domain = expression.AND([self._scope_domain(scope), overdue["sales.task"]])
        todo_domain = expression.AND([
            self._scope_domain(scope, team_field="task_id.team_id"), overdue["sales.task.todo"],
        ])
        activity_domain = list(overdue["mail.activity"])
        if scope["user_ids"]:
            activity_domain.append(("user_id", "in", scope["user_ids"]))
        elif scope["level"] == "team":
            members = self.env["crm.team"].browse(scope["team_ids"]).member_ids
            activity_domain.append(("user_id", "in", (members | scope["user"]).ids))
        drill.update({
            "overdue_tasks": {"res_model": "sales.task", "domain": task_domain,
                              "name": self.env._("Overdue Tasks")},
            "overdue_todos": {"res_model": "sales.task.todo", "domain": todo_domain,
                              "name": self.env._("Overdue To-Dos")},
            "overdue_activities": {"res_model": "mail.activity", "domain": activity_domain,
                                   "name": self.env._("Overdue Activities")},
        })
        # a leader's team activities sit on their members' opportunities and orders, which
        # the core rules hide from a plain salesperson: counted as superuser, bounded by
        # the members (as _scope_read_group does for the orders)
        Activity = self.env["mail.activity"]
        if scope["level"] == "team":
            Activity = Activity.sudo()
        return {
            "overdue_tasks": self.env["sales.task"].search_count(task_domain),
            "overdue_todos": self.env["sales.task.todo"].search_count(todo_domain),
            "overdue_activities": Activity.search_count(activity_domain),
        }

    @api.model
    def _get_control_kpis(self, scope, drill):
        """Open corrective actions of the scope (Control feature)."""
        Action = self.env["sales.corrective.action"]
        domain = expression.AND([self._scope_domain(scope), [("state", "=", "open")]])
        drill["open_corrective_actions"] = {
            "res_model": Action._name, "domain": domain,
            "name": self.env._("Open Corrective Actions"),
        }
        return {"open_corrective_actions": Action.search_count(domain)}

    @api.model
    def _get_activity_kpis(self, scope, dates, plan_rows, drill):
        """Activity quality: the right activities (required by the milestones), done the
        right way (on time, with a result) and in the right amount (against the
        activity targets of the scope's plans)."""
        start, stop = self._datetime_bounds(dates["date_from"], dates["date_to"])
        domain = expression.AND([self._scope_domain(scope), [
            ("date", ">=", start), ("date", "<", stop),
        ]])
        # the done activities and the missing ones are two kinds of rows of the report:
        # each figure counts (and its drill-down opens) its own kind only
        Report = self.env["sales.milestone.activity.report"]
        done_domain = expression.AND([domain, [("done_count", "=", 1)]])
        missing_domain = expression.AND([domain, [("missing_count", "=", 1)]])
        # both kinds in one read: the percentages are empty on the missing rows, so their
        # averages are the done activities' ones
        [(done, missing, right, on_time, with_result, right_way)] = Report._read_group(
            expression.AND([domain, ["|", ("done_count", "=", 1), ("missing_count", "=", 1)]]),
            [], [
                "done_count:sum", "missing_count:sum", "right_activity_pct:avg",
                "on_time_pct:avg", "with_result_pct:avg", "right_way_pct:avg",
            ])
        # the activity targets of the plans shown (their targets, not the breakdowns,
        # with an active metric of the activities source), from the targets the
        # leaderboard and the plans read
        rows = memoized_plan_targets(
            self.env["sales.plan"].browse([row["id"] for row in plan_rows]))
        activity = {metric.id for metric in self.env["sales.metric"].browse(
            {metric_id for _tid, _plan, metric_id in rows})
            if metric.active and metric.source == "activity"}
        targets = self.env["sales.plan.target"].browse(
            [tid for tid, _plan, metric_id in rows if metric_id in activity])
        # the targets' part of the period (the dashboard's month, quarter or year)
        figures = targets._get_period_figures(dates["date_from"], dates["date_to"])
        activity_target = sum(row["target"] for row in figures.values())
        activity_actual = sum(row["actual_value"] for row in figures.values())
        drill["activities"] = {"res_model": Report._name, "domain": done_domain,
                               "name": self.env._("Activities Done")}
        drill["activities_missing"] = {"res_model": Report._name, "domain": missing_domain,
                                       "name": self.env._("Required Activities Missing")}
        return {
            "activities_done": done or 0,
            "activities_missing": missing or 0,
            "activities_right_pct": right or 0.0,
            "activities_on_time_pct": on_time or 0.0,
            "activities_with_result_pct": with_result or 0.0,
            "activities_right_way_pct": right_way or 0.0,
            "activities_target": activity_target,
            "activities_target_actual": activity_actual,
            "activities_target_pct": 100.0 * activity_actual / activity_target
            if activity_target else 0.0,
        }

    # ------------------------------------------------------------------ funnel
    @api.model
    def _get_funnel(self, scope, dates, drill):
        """The milestone funnel of the period, one per milestone track: each sales team
        follows its own milestones (``sales.milestone._filter_for``); two teams' steps
        are never merged into one list.

        A step counts the opportunities of the track that got at least that far in the
        period, each once: ``sales.milestone.funnel.report``'s ``opportunity_count`` (the
        pivot's measure, read here grouped by team and milestone as the pivot shows it),
        so a step never counts more than the one before it and a share (of the track's
        first step) never passes 100 %. ``won``: the step's opportunities won since.
        A milestone of another team's track (an opportunity that changed teams) is left
        out of the track. The drill-down opens the pivot on the same records."""
        start, stop = self._datetime_bounds(dates["date_from"], dates["date_to"])
        domain = expression.AND([self._scope_domain(scope), [
            ("date_reached", ">=", start), ("date_reached", "<", stop),
        ]])
        Report = self.env["sales.milestone.funnel.report"]
        groups = Report._read_group(
            domain, ["company_id", "team_id", "milestone_id"],
            ["opportunity_count:count_distinct", "won_opportunity_count:count_distinct"],
        )
        steps = defaultdict(dict)  # (company, team) -> {milestone: (count, won)}
        for company, team, milestone, count, won in groups:
            steps[company, team][milestone] = (count, won)
        tracks = sorted(steps, key=lambda key: (key[1].name or "", key[1].id, key[0].id))
        milestones = self.env["sales.milestone"]._tracks(
            (company or self.env.company, team) for company, team in tracks)
        rows = []
        for company, team in tracks:
            track = milestones[company or self.env.company, team]
            track = track.filtered(lambda m, reached=steps[company, team]: m.active or m in reached)
            track_name = team.name or self.env._("No team")
            track_rows = []
            for milestone in track:
                count, won = steps[company, team].get(milestone, (0, 0))
                track_rows.append({
                    "track_id": team.id or 0,
                    "track": track_name,
                    "milestone_id": milestone.id,
                    "milestone": milestone.name,
                    "name": f"{track_name} · {milestone.name}" if len(tracks) > 1
                    else milestone.name,
                    "reached": count,
                    "won": won,
                })
            first = track_rows[0]["reached"] if track_rows else 0
            if not first:
                continue
            for row in track_rows:
                row["share"] = 100.0 * row["reached"] / first
            rows += track_rows
        drill["funnel"] = {
            "res_model": Report._name, "domain": domain,
            "name": self.env._("Milestone Funnel"),
            "views": [[False, "pivot"], [False, "list"]],
        }
        return rows

    # ------------------------------------------------------------------ leaderboard
    @api.model
    def _get_leaderboard(self, scope, dates):
        """Salespersons ranked by the achievement of their own plans in the period, with
        their rank and achievement in the previous period, and their score
        (``sales.recognition._scores``) with its own rank."""
        user_domain = self._leaderboard_plan_domain(scope)
        previous_dates = {"date_from": dates["prev_date_from"],
                          "date_to": dates["prev_date_to"]}
        # the plans of the period and of the previous one: one search
        plans, previous_plans = self._plans_in_periods([dates, previous_dates], user_domain)
        # the company's score: achievements against their own targets, weighted by kind
        # (first: it reads every target of the plans, the headline ones included, in one
        # batch that the achievements below are served from)
        scores = self.env["sales.recognition"]._scores(plans, dates["date_from"],
                                                       dates["date_to"])
        current = self._achievement_by_user(plans, dates["date_from"], dates["date_to"])
        score_rank = {
            uid: rank for rank, uid in enumerate(sorted(
                (uid for uid in current if scores.get(uid) is not None),
                key=lambda uid: (-scores[uid], uid)), 1)
        }
        # the same people's plans over the previous period (the year plan's previous
        # month, or last year's plan): the figures of the change
        previous = self._achievement_by_user(
            previous_plans, dates["prev_date_from"], dates["prev_date_to"])
        previous_rank = {
            uid: rank for rank, (uid, _ach) in enumerate(
                sorted(previous.items(), key=lambda kv: (-kv[1]["achievement"], kv[0])), 1
            )
        }
        # the confirmed orders' revenue of each person, from the sales KPIs' read
        revenue = defaultdict(list)
        if current:
            for user, state, currency, amount, _count in self._period_orders(scope, dates)[0]:
                if state == "sale" and user.id in current:
                    revenue[user.id].append((currency, amount))
        revenue = {uid: self._amount_by_currency(amounts) for uid, amounts in revenue.items()}
        users = self.env["res.users"].browse(list(current))
        names = {u.id: u.name for u in users}
        rows = []
        ranked = sorted(current.items(), key=lambda kv: (-kv[1]["achievement"], names[kv[0]]))
        for rank, (uid, figures) in enumerate(ranked, 1):
            before = previous.get(uid)
            rows.append({
                "rank": rank,
                "user_id": uid,
                "name": names[uid],
                "plan_ids": figures["plan_ids"],
                "target": figures["target"],
                "actual": figures["actual"],
                "achievement": figures["achievement"],
                "pace": figures["pace"],
                "health": figures["health"],
                "revenue": revenue.get(uid, 0.0),
                "previous_achievement": before["achievement"] if before else None,
                "change": figures["achievement"] - before["achievement"] if before else None,
                "previous_rank": previous_rank.get(uid),
                "rank_change": previous_rank[uid] - rank if uid in previous_rank else None,
                "score": scores.get(uid),
                "score_rank": score_rank.get(uid),
            })
        return rows

    @api.model
    def _achievement_by_user(self, plans, date_from, date_to):
        """{user_id: figures} over the users' plans for the period (amount plans added
        up; each plan's part of the period, ``sales.plan._get_period_figures``), with
        the health of the person's row (``_summed_health``)."""
        result = {}
        period = plans._get_period_figures(date_from, date_to)
        for plan in plans:
            figures = result.setdefault(plan.user_id.id, {
                "plan_ids": [], "target": 0.0, "actual": 0.0, "expected": 0.0,
                "healths": [], "period_from": None, "period_to": None,
            })
            self._add_plan_figures(figures, plan, period[plan.id])
        today = context_today(self)
        for figures in result.values():
            target, expected = figures["target"], figures["expected"]
            figures["achievement"] = 100.0 * figures["actual"] / target if target else 0.0
            figures["pace"] = 100.0 * figures["actual"] / expected if expected else 0.0
            figures["health"] = self._summed_health(figures, today)
            del figures["healths"]
        return result

    @api.model
    def _add_plan_figures(self, row, plan, figures):
        """Add a plan's period figures (``sales.plan._get_period_figures``) to a row of
        several plans (a salesperson's, a team's)."""
        row["target"] += figures["target"]
        row["actual"] += figures["actual"]
        row["expected"] += figures["expected"]
        row["healths"].append(figures["health"])
        row["period_from"] = min(filter(None, [row["period_from"], figures["period_from"]]))
        row["period_to"] = max(filter(None, [row["period_to"], figures["period_to"]]))
        row["plan_ids"].append(plan.id)

    @api.model
    def _team_plan_domain(self, scope):
        """The team plans of the team attainment section (None: no such section, a
        salesperson's scope)."""
        if scope["user_ids"]:
            return None
        if scope["level"] == "team":
            return [("scope", "=", "team"), ("team_id", "in", scope["team_ids"])]
        return [("scope", "=", "team")]

    @api.model
    def _get_team_attainment(self, scope, dates):
        domain = self._team_plan_domain(scope)
        if domain is None:
            return []
        rows = {}
        plans = self._plans_in_period(dates, domain)
        period = plans._get_period_figures(dates["date_from"], dates["date_to"])
        for plan in plans:
            row = rows.setdefault(plan.team_id.id, {
                "team_id": plan.team_id.id, "name": plan.team_id.name,
                "target": 0.0, "actual": 0.0, "expected": 0.0, "plan_ids": [],
                "healths": [], "period_from": None, "period_to": None,
            })
            self._add_plan_figures(row, plan, period[plan.id])
        result = sorted(rows.values(), key=lambda r: r["name"])
        today = context_today(self)
        for row in result:
            row["achievement"] = 100.0 * row["actual"] / row["target"] if row["target"] else 0.0
            row["health"] = self._summed_health(row, today)
            del row["healths"]
        return result

    @api.model
    def _summed_health(self, row, today):
        """The health of a row of plans (a team's bar, a salesperson's leaderboard row)
        over the dashboard's period: its plan's (``sales.plan._get_period_figures``), or
        for several plans the one their summed figures give over their combined part of
        the period (``res.company._sales_health``)."""
        if len(row["healths"]) == 1:
            return row["healths"][0] or ""
        pace = 100.0 * row["actual"] / row["expected"] if row["expected"] else 100.0
        return self.env.company._sales_health(
            pace, row["achievement"], fields.Date.to_date(row["period_from"]),
            fields.Date.to_date(row["period_to"]), today,
        )

    @api.model
    def _get_monthly_revenue(self, date_to):
        """Confirmed revenue of the 12 months ending with ``date_to``'s month and of the
        same months a year earlier, in one grouped query."""
        end = date_to.replace(day=1)
        first = end - relativedelta(months=11)
        start, stop = self._datetime_bounds(
            first - relativedelta(years=1), end + relativedelta(months=1, days=-1),
        )
        scope = self._get_scope()
        groups, _domain = self._scope_read_group(scope, self.env["sale.order"], [
            ("state", "=", "sale"), ("date_order", ">=", start), ("date_order", "<", stop),
        ], ["date_order:month", "currency_id"], ["amount_untaxed:sum"])
        by_month = {}
        for month, currency, amount in groups:
            key = (month.year, month.month)
            by_month[key] = by_month.get(key, 0.0) + self._amount_by_currency([(currency, amount)])
        rows = []
        for i in range(12):
            month = first + relativedelta(months=i)
            rows.append({
                "label": month.strftime("%m/%y"),
                "revenue": by_month.get((month.year, month.month), 0.0),
                "revenue_last_year": by_month.get((month.year - 1, month.month), 0.0),
            })
        return rows

    # ------------------------------------------------------------------ periods
    @api.model
    def _period_dates(self, period, ref, today=None):
        """The period containing ``ref``, the previous one and the same period last year;
        while the period is running (it contains ``today``), last year stops at the same
        day, so that growth compares like with like."""
        months = {"month": 1, "quarter": 3, "year": 12}[period]
        if period == "month":
            start = date(ref.year, ref.month, 1)
        elif period == "quarter":
            start = date(ref.year, 3 * ((ref.month - 1) // 3) + 1, 1)
        else:
            start = date(ref.year, 1, 1)
        stop = start + relativedelta(months=months, days=-1)
        prev_start = start - relativedelta(months=months)
        return {
            "date_from": start,
            "date_to": stop,
            "prev_date_from": prev_start,
            "prev_date_to": start - relativedelta(days=1),
            "ly_date_from": start - relativedelta(years=1),
            "ly_date_to": (min(stop, today) if today and start <= today else stop)
            - relativedelta(years=1),
        }

    @api.model
    def _period_label(self, period, start):
        if period == "month":
            return start.strftime("%Y-%m")
        if period == "quarter":
            return f"Q{(start.month - 1) // 3 + 1} {start.year}"
        return str(start.year)
