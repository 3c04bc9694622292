# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The weekly personal feedback: one e-mail per salesperson and ISO week.

Every salesperson with a salesperson plan in the running month gets their own figures,
early: the pace and gap of their plans over the month, their rank on the company's
leaderboard and its change since the previous month, their leaderboard score, their
overdue tasks, to-dos and activities, their coaching focus KPI's trend and their next 1:1.
Every figure comes from the dashboard's own methods (``sales.management.dashboard``) and
the coaching models' own measures: the e-mail shows what the screens show them.

One e-mail per person per week whatever the reruns: the job claims the person's row of
``sales.report.dispatch`` for the Monday of the week before it renders (``INSERT ... ON
CONFLICT DO NOTHING``); the row keeps the figures and the body sent. A person may opt out
from their preferences (``res.users.sales_feedback_opt_out``). The job works by batches
and isolates a person whose feedback fails (``sales.job.failure``): the others are sent.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import format_amount, format_date, formatLang

FEEDBACK_PERIOD = "month"
BATCH_SIZE = 50


class SalesFeedback(models.AbstractModel):
    _name = "sales.feedback"
    _description = "Sales Management Weekly Feedback"

    # ------------------------------------------------------------------ job
    @api.model
    def _cron_send_weekly_feedback(self):
        """Scheduled action; its last log line says how many people failed."""
        Failure = self.env["sales.job.failure"]
        since = Failure._last_id()
        sent = self._send_weekly_feedback()
        Failure._report_run("weekly_feedback", since, len(sent))
        return sent

    @api.model
    def _send_weekly_feedback(self):
        """Send this week's feedback to every recipient who has not had it; return the
        ``sales.report.dispatch`` rows claimed by this run."""
        today = fields.Date.context_today(self)
        week_start = today - timedelta(days=today.weekday())  # the ISO week's Monday
        Dispatch = self.env["sales.report.dispatch"].sudo()
        Failure = self.env["sales.job.failure"]
        Digest = self.env["sales.control.digest"]
        users = self._feedback_recipients(today)
        # the people already served this week are not computed again
        served = set(Dispatch.search([
            ("user_id", "in", users.ids), ("date_ref", "=", week_start),
        ]).user_id.ids)
        users = users.filtered(lambda u: u.id not in served)
        batch_size = self.env.context.get("sales_feedback_batch_size") or BATCH_SIZE
        sent = Dispatch.browse()
        leaderboards = {}  # company -> {user_id: leaderboard row}: once per run
        for start in range(0, len(users), batch_size):
            batch = users[start:start + batch_size]
            values = self._feedback_values_isolated(batch, today, leaderboards)
            for user in batch:
                if user.id not in values:
                    continue  # its figures failed: recorded
                try:
                    with self.env.cr.savepoint():
                        sent |= self._send_feedback(user, values[user.id], week_start)
                except Exception as error:  # isolate the person, go on
                    self.env.invalidate_all()
                    Failure._record("weekly_feedback", user, error)
            done = min(start + batch_size, len(users))
            Digest._control_commit_batch(done, len(users) - done)
            Digest._clear_cache()
        return sent

    @api.model
    def _feedback_recipients(self, today):
        """Active internal salespersons with a salesperson plan in the running period,
        who did not opt out."""
        dates = self.env["sales.management.dashboard"]._period_dates(FEEDBACK_PERIOD, today)
        groups = self.env["sales.plan"].sudo()._read_group([
            ("scope", "=", "user"), ("state", "!=", "cancelled"),
            ("date_from", "<=", dates["date_to"]), ("date_to", ">=", dates["date_from"]),
        ], ["user_id"])
        users = self.env["res.users"].union(*(user for (user,) in groups))
        salesman = self.env.ref("sales_team.group_sale_salesman")
        return users.filtered(
            lambda u: u.active and not u.share and not u.sales_feedback_opt_out
            and salesman in u.groups_id
        ).sorted("id")

    @api.model
    def _feedback_values_isolated(self, users, today, leaderboards):
        """``_feedback_values`` of the batch, or, when it fails, person by person: the
        failing ones are recorded and left out."""
        try:
            with self.env.cr.savepoint():
                return self._feedback_values(users, today, leaderboards)
        except Exception:  # find the failing person(s) below
            self.env.invalidate_all()
        values = {}
        for user in users:
            try:
                with self.env.cr.savepoint():
                    values.update(self._feedback_values(user, today, leaderboards))
            except Exception as error:  # isolate the person
                self.env.invalidate_all()
                self.env["sales.job.failure"]._record("weekly_feedback", user, error)
        return values

    # ------------------------------------------------------------------ figures
    @api.model
    def _feedback_values(self, users, today, leaderboards=None):
        """``{user_id: values}``: what the feedback of each of ``users`` says, in their
        main company, over the period containing ``today``. All from the dashboard:

        - ``plans``: their salesperson plans, as their dashboard lists them
          (``_get_plan_figures``: target, actual, pace, gap, health over the period), for
          the whole batch at once;
        - ``overdue``: the counts of their dashboard (``_get_overdue_kpis``), read as the
          person (their record rules);
        - ``rank``: their row of the company's leaderboard, as a sales manager sees it
          (``_get_leaderboard``: rank, change since the previous period, score), once per
          company and run.
        """
        leaderboards = {} if leaderboards is None else leaderboards
        result = {}
        by_company = defaultdict(lambda: self.env["res.users"])
        for user in users:
            by_company[user.company_id] |= user
        for company, company_users in by_company.items():
            Dashboard = self.env["sales.management.dashboard"].sudo().with_company(company) \
                .with_context(allowed_company_ids=[company.id])
            dates = Dashboard._period_dates(FEEDBACK_PERIOD, today, today=today)
            if company.id not in leaderboards:
                leaderboards[company.id] = {
                    row["user_id"]: row
                    for row in Dashboard._get_leaderboard(Dashboard._get_scope(), dates)
                }
            board = leaderboards[company.id]
            plan_rows = defaultdict(list)
            batch_scope = Dashboard._get_scope(company_users.ids)
            for row in Dashboard._get_plan_figures(batch_scope, dates, {}):
                plan_rows[row["user_id"]].append(row)
            for user in company_users:
                as_user = Dashboard.with_user(user).with_context(tz=user.tz or "UTC")
                overdue = as_user._get_overdue_kpis(
                    as_user._get_scope([user.id]), today, {})
                result[user.id] = self._feedback_dict(
                    user, company, dates, plan_rows[user.id], overdue, board)
        self._add_coaching_values(users, result)
        return result

    @api.model
    def _feedback_dict(self, user, company, dates, plans, overdue, board):
        """The figures of one person's feedback, raw (the tests compare them) and as
        people read them (``*_label``: the template prints these)."""
        env = self.env(context=dict(self.env.context, lang=user.lang or "en_US"))
        Dashboard = env["sales.management.dashboard"]

        def figure(value, unit):
            if unit == "amount":
                return format_amount(env, value, company.currency_id)
            if unit == "percent":
                return f"{formatLang(env, value, digits=1)} %"
            return formatLang(env, value, digits=0 if unit == "count" else 2)

        def percent(value):
            return f"{formatLang(env, value or 0.0, digits=1)} %"

        row = board.get(user.id) or {}
        score = row.get("score")
        return {
            "user_id": user.id,
            "period": Dashboard._period_label(FEEDBACK_PERIOD, dates["date_from"]),
            "date_from": fields.Date.to_string(dates["date_from"]),
            "date_to": fields.Date.to_string(dates["date_to"]),
            "plans": [{
                "id": plan["id"],
                "name": plan["name"],
                "metric": plan["metric"],
                "unit": plan["unit"],
                "target": plan["target"],
                "actual": plan["actual"],
                "pace": plan["pace"],
                "gap": plan["gap"],
                "health": plan["health"],
                "target_label": figure(plan["target"], plan["unit"]),
                "actual_label": figure(plan["actual"], plan["unit"]),
                "gap_label": figure(plan["gap"], plan["unit"]),
                "pace_label": percent(plan["pace"]),
            } for plan in plans],
            "rank": row.get("rank"),
            "rank_of": len(board),
            "previous_rank": row.get("previous_rank"),
            "rank_change": row.get("rank_change"),
            "achievement": row.get("achievement"),
            "achievement_label": percent(row.get("achievement")) if row else "",
            "score": score,
            "score_label": formatLang(env, score, digits=0) if score is not None else "",
            "overdue_tasks": overdue["overdue_tasks"],
            "overdue_todos": overdue["overdue_todos"],
            "overdue_activities": overdue["overdue_activities"],
            "overdue": overdue["overdue_tasks"] + overdue["overdue_todos"]
            + overdue["overdue_activities"],
            "focus": [],
            "next_session": None,
        }

    @api.model
    def _add_coaching_values(self, users, result):
        """The focus KPI's trend and the next 1:1 of each person (read as superuser:
        each person's own focus and sessions, which they read themselves).

        ``focus``: their confirmed focuses running today, each with its KPI since the
        focus began, its change and the effect against the team
        (``sales.coaching.focus``'s own measure); ``next_session``: their next planned
        1:1 (``sales.coaching.session._next_session``), with its date and coach."""
        today = fields.Date.context_today(self)
        focuses = self.env["sales.coaching.focus"].sudo().search([
            ("user_id", "in", users.ids), ("state", "=", "confirmed"),
            ("date_start", "<=", today), ("date_end", ">=", today),
        ], order="user_id, date_start, id")
        sessions = self.env["sales.coaching.session"].sudo()._next_session(users)
        for user in users:
            values = result.get(user.id)
            if values is None:
                continue
            env = self.env(context=dict(self.env.context, lang=user.lang or "en_US"))
            values["focus"] = [{
                "id": focus.id,
                "competency": focus.competency_id.name,
                "kpi": focus.kpi_current,
                "change": focus.kpi_change,
                "effect": focus.effect if focus.has_effect else None,
                "label": env._(
                    "%(competency)s: %(kpi)s since %(start)s (%(change)s; against the "
                    "team %(effect)s)",
                    competency=focus.competency_id.name,
                    kpi=formatLang(env, focus.kpi_current, digits=1),
                    start=format_date(env, focus.date_start),
                    change="%+.1f" % focus.kpi_change,
                    effect="%+.1f" % focus.effect if focus.has_effect else "-",
                ),
            } for focus in focuses if focus.user_id == user]
            session = sessions.get(user.id)
            if session:
                values["next_session"] = {
                    "id": session.id,
                    "date": fields.Date.to_string(session.date),
                    "coach": session.coach_id.name,
                    "label": env._("%(date)s with %(coach)s",
                                   date=format_date(env, session.date),
                                   coach=session.coach_id.name),
                }
        return result

    # ------------------------------------------------------------------ mail
    @api.model
    def _send_feedback(self, user, values, week_start):
        """Claim the person's row of the week and queue their e-mail; an empty
        recordset when they already had it."""
        Dispatch = self.env["sales.report.dispatch"].sudo()
        dispatch = Dispatch._claim_feedback(user, user.company_id, week_start, values["period"])
        if not dispatch:
            return dispatch
        dispatch.feedback = values
        template = self.env.ref("sales_management.mail_template_sales_feedback")
        mail = self.env["mail.mail"].sudo().browse(template.sudo().send_mail(dispatch.id))
        dispatch.write({"mail_id": mail.id, "body": mail.body_html})
        return dispatch
