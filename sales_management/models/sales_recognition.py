# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Objective recognition: the leaderboard score and the badges awarded by a job.

The score of a salesperson over a period is a weighted average of their achievements, one
per metric with a target on their own (salesperson) plans, each measured against THEIR OWN
target for the period (``sales.plan.target._get_period_figures``: the target's part of the
period, by its seasonality; a ratio metric's rate as it is). The weight of a metric is the
company's weight of its kind (Settings: volume / operational), so revenue and activities
count in the proportion the company chose, and amounts are never added to counts: only
achievements (%) are averaged. A person without any target with a weight has no score.

The badges are Odoo's own (``gamification``), granted by the monthly job for the month
that just ended, each once per person and period: the award carries a key
(``gamification.badge.user.sales_award_key``: badge, person, period) under a unique
constraint, and the job skips the keys already awarded, so a rerun awards nothing.
"""

from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models

from .sales_plan_target import memoized_plan_targets

# the shipped badges: xmlid -> award key prefix
BADGES = {
    "sales_management.badge_target_achieved": "target_achieved",
    "sales_management.badge_most_improved": "most_improved",
    "sales_management.badge_focus_improved": "focus_improved",
}
BADGE_PERIOD = "month"
BATCH_SIZE = 100


class SalesRecognition(models.AbstractModel):
    _name = "sales.recognition"
    _description = "Sales Management Recognition (score and badges)"

    # ------------------------------------------------------------------ score
    @api.model
    def _metric_achievements(self, plans, date_from, date_to):
        """``{user_id: {metric: {"target", "actual", "achievement"}}}``: the achievement
        of each person on each metric of their plans' headline targets (not the
        breakdowns) over ``date_from``..``date_to``, read by the figures engine in one
        batch. An additive metric adds up the parts of its targets; a ratio metric (win
        rate) reads its first target, as ``sales.plan._get_period_figures`` does."""
        Target = self.env["sales.plan.target"]
        rows = memoized_plan_targets(plans)
        parts = Target.browse([tid for tid, _plan, _metric in rows])._get_period_figures(
            date_from, date_to)
        user_of = {plan.id: plan.user_id.id for plan in plans}
        metrics = {metric.id: metric for metric in self.env["sales.metric"].browse(
            {metric_id for _tid, _plan, metric_id in rows})}
        result = defaultdict(dict)
        for tid, plan_id, metric_id in rows:
            part = parts.get(tid)
            if part is None:
                continue
            metric = metrics[metric_id]
            row = result[user_of[plan_id]].get(metric)
            if row is None:
                row = result[user_of[plan_id]][metric] = {"target": 0.0, "actual": 0.0}
            elif not metric.is_additive:
                continue
            row["target"] += part["target"]
            row["actual"] += part["actual_value"]
        for metrics in result.values():
            for row in metrics.values():
                row["achievement"] = (100.0 * row["actual"] / row["target"]
                                      if row["target"] else None)
        return dict(result)

    @api.model
    def _score(self, metrics, company):
        """The weighted average of the achievements (``_metric_achievements`` of one
        person), each metric weighted by its kind's weight in ``company``; None when no
        metric has a target and a weight."""
        weights = company._sales_score_weights()
        total = weighted = 0.0
        for metric, row in metrics.items():
            weight = weights.get(metric.kind, 0.0)
            if row["achievement"] is None or not weight:
                continue
            total += weight
            weighted += weight * row["achievement"]
        return weighted / total if total else None

    @api.model
    def _scores(self, plans, date_from, date_to):
        """``{user_id: score}`` of the plans' responsibles over the period (see
        ``_score``), the company's weights; the dashboard's leaderboard shows it."""
        company = self.env.company
        return {
            uid: self._score(metrics, company)
            for uid, metrics in self._metric_achievements(plans, date_from, date_to).items()
        }

    # ------------------------------------------------------------------ badges
    @api.model
    def _cron_award_badges(self):
        """Scheduled action: the badges of the month that just ended; its last log line
        says how many awards failed (``sales.job.failure``)."""
        Failure = self.env["sales.job.failure"]
        since = Failure._last_id()
        awards = self._award_badges()
        Failure._report_run("badges", since, len(awards))
        return awards

    @api.model
    def _award_badges(self, date_ref=None):
        """Award the badges of the period before the one containing ``date_ref`` (default
        today), company by company; return the ``gamification.badge.user`` created.

        A company whose figures fail, or a person whose award fails, is recorded
        (``sales.job.failure``) and the others go on."""
        today = fields.Date.context_today(self)
        ref = (date_ref or today) - relativedelta(months=1)
        Dashboard = self.env["sales.management.dashboard"]
        dates = Dashboard._period_dates(BADGE_PERIOD, ref, today=today)
        Failure = self.env["sales.job.failure"]
        awards = self.env["gamification.badge.user"]
        for company in self.env["res.company"].sudo().search([]):
            try:
                with self.env.cr.savepoint():
                    candidates = self._badge_candidates(company, dates)
            except Exception as error:  # isolate the company
                self.env.invalidate_all()
                Failure._record("badges", company, error)
                continue
            keys = [candidate["key"] for candidate in candidates]
            done = set(self.env["gamification.badge.user"].sudo().search(
                [("sales_award_key", "in", keys)]).mapped("sales_award_key"))
            todo = [candidate for candidate in candidates if candidate["key"] not in done]
            for start in range(0, len(todo), BATCH_SIZE):
                for candidate in todo[start:start + BATCH_SIZE]:
                    try:
                        with self.env.cr.savepoint():
                            awards |= self._award(candidate)
                    except Exception as error:  # isolate the person
                        self.env.invalidate_all()
                        Failure._record("badges", candidate["user"], error)
                done_count = min(start + BATCH_SIZE, len(todo))
                self.env["sales.control.digest"]._control_commit_batch(
                    done_count, len(todo) - done_count)
        return awards

    @api.model
    def _badge_candidates(self, company, dates):
        """The awards ``company``'s salespersons earned over ``dates``: a list of dicts
        (key, badge, user, plan, comment). Read as superuser over the whole company,
        with the figures the dashboard's leaderboard shows a sales manager."""
        Dashboard = self.env["sales.management.dashboard"].sudo().with_company(company) \
            .with_context(allowed_company_ids=[company.id])
        period = Dashboard._period_label(BADGE_PERIOD, dates["date_from"])
        scope = Dashboard._get_scope()
        rows = Dashboard._get_leaderboard(scope, dates)
        plans = Dashboard.env["sales.plan"].browse(
            [pid for row in rows for pid in row["plan_ids"]])
        achievements = self.with_env(Dashboard.env)._metric_achievements(
            plans, dates["date_from"], dates["date_to"])
        badges = {prefix: self.env.ref(xmlid) for xmlid, prefix in BADGES.items()}
        users = self.env["res.users"].browse([row["user_id"] for row in rows])
        candidates = []

        def candidate(prefix, row, comment):
            plan = plans.browse(row["plan_ids"][:1])
            candidates.append({
                "key": f"{prefix}:{row['user_id']}:{period}",
                "badge": badges[prefix],
                "user": users.browse(row["user_id"]),
                "plan": plan,
                "period": period,
                "date": dates["date_to"],
                "comment": comment,
            })

        # Target achieved: every metric with a target reached 100 % over the period
        for row in rows:
            metrics = [m for m in achievements.get(row["user_id"], {}).values()
                       if m["achievement"] is not None]
            if metrics and all(round(m["achievement"], 6) >= 100.0 for m in metrics):
                candidate("target_achieved", row, self.env._(
                    "All your targets of %(period)s achieved.", period=period))
        # Most improved: per team, the largest rise of the achievement since the previous
        # period (a rise only; ties: the first by name, as the leaderboard orders them)
        best = {}
        for row in rows:
            if not row["change"] or row["change"] <= 0:
                continue
            team = plans.browse(row["plan_ids"][:1]).team_id.id
            if team not in best or row["change"] > best[team]["change"]:
                best[team] = row
        for row in best.values():
            candidate("most_improved", row, self.env._(
                "Most improved of your team in %(period)s: achievement up %(points)s points.",
                period=period, points="%.1f" % row["change"]))
        candidates += self._focus_badge_candidates(company, dates, period)
        return candidates

    @api.model
    def _focus_badge_candidates(self, company, dates, period):
        """"Focus improved": a coaching focus that ended in the period (confirmed or
        done) with a positive effect (``sales.coaching.focus.effect``: the person's change
        of the focus KPI minus the team's over the focus), once per person and period."""
        focuses = self.env["sales.coaching.focus"].sudo().with_company(company).search([
            ("company_id", "=", company.id), ("state", "in", ("confirmed", "done")),
            ("date_end", ">=", dates["date_from"]), ("date_end", "<=", dates["date_to"]),
        ], order="user_id, date_end, id")
        improved = focuses.filtered(lambda f: f.has_effect and f.effect > 0)
        if not improved:
            return []
        plans = self.env["sales.plan"].sudo().search([
            ("user_id", "in", improved.user_id.ids), ("scope", "=", "user"),
            ("state", "!=", "cancelled"), ("company_id", "=", company.id),
            ("date_from", "<=", dates["date_to"]), ("date_to", ">=", dates["date_from"]),
        ], order="date_from desc, id")
        badge = self.env.ref("sales_management.badge_focus_improved")
        candidates = []
        for user in improved.user_id:
            names = ", ".join(improved.filtered(lambda f, u=user: f.user_id == u)
                              .competency_id.mapped("name"))
            candidates.append({
                "key": f"focus_improved:{user.id}:{period}",
                "badge": badge,
                "user": user,
                "plan": plans.filtered(lambda p, u=user: p.user_id == u)[:1],
                "period": period,
                "date": dates["date_to"],
                "comment": self.env._(
                    "Your coaching focus %(focus)s beat the team's trend in %(period)s.",
                    focus=names, period=period),
            })
        return candidates

    @api.model
    def _award(self, candidate):
        """Grant one badge (the gamification way: the user gets its e-mail) and announce
        it in the chatter of the salesperson's plan."""
        user = candidate["user"]
        award = self.env["gamification.badge.user"].sudo().create({
            "user_id": user.id,
            "badge_id": candidate["badge"].id,
            "comment": candidate["comment"],
            "sales_award_key": candidate["key"],
            "sales_date": candidate["date"],
            "sales_plan_id": candidate["plan"].id,
        })
        award._send_badge()
        if candidate["plan"]:
            candidate["plan"].sudo().with_context(mail_create_nosubscribe=True).message_post(
                body=Markup("<p>%s</p>") % self.env._(
                    "Badge %(badge)s awarded to %(user)s: %(comment)s",
                    badge=candidate["badge"].name, user=user.name,
                    comment=candidate["comment"],
                ),
                partner_ids=user.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        return award
