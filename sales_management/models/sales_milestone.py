# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Transitional milestones: the key steps of a sale and what they say about its outcome.

A milestone carries its definition (criteria to confirm, activity types to have done,
CRM stages that record it) and figures learnt from history by a scheduled job:
``probability`` (share of opportunities that reached it and were later won) and
``median_days_to_next``. Per-team figures live in ``sales.milestone.stat``.
"""

import hashlib
import json
import logging

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .sales_input_guard import check_input

_logger = logging.getLogger(__name__)

FINGERPRINT_PARAM = "sales_management.milestone_stats_fingerprint"
# advisory lock key of the probability job (an arbitrary constant of this addon)
STATISTICS_LOCK = 718_180_001


class SalesMilestone(models.Model):
    _name = "sales.milestone"
    _description = "Sales Milestone"
    _inherit = ["sales.input.guard.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Order of the milestones in the sales process.")
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        comodel_name="res.company", string="Company", index=True,
        help="Leave empty to use the milestone in every company.",
    )
    team_ids = fields.Many2many(
        comodel_name="crm.team", relation="sales_milestone_crm_team_rel",
        column1="milestone_id", column2="team_id", string="Sales Teams", check_company=True,
        help="Teams following this milestone; empty means every team.",
    )
    guidance = fields.Html(
        translate=True, help="What good looks like at this milestone; shown on the opportunity.",
    )
    criterion_ids = fields.One2many(
        comodel_name="sales.milestone.criterion", inverse_name="milestone_id",
        string="Criteria", copy=True,
    )
    activity_type_ids = fields.Many2many(
        comodel_name="mail.activity.type", relation="sales_milestone_activity_type_rel",
        column1="milestone_id", column2="activity_type_id", string="Required Activities",
        domain="['|', ('res_model', '=', False), ('res_model', '=', 'crm.lead')]",
        help="Activity types that must have been done on the opportunity before it reaches "
             "this milestone (e.g. a meeting).",
    )
    norm_ids = fields.One2many(
        comodel_name="sales.milestone.norm", inverse_name="milestone_id",
        string="Activity Norms", copy=True,
        help="The right amount: minimum numbers of done activities of given types the "
             "opportunity needs before it reaches this milestone (e.g. two meetings).",
    )
    is_won = fields.Boolean(
        string="Won Milestone", help="The final milestone: the opportunity is won.",
    )
    stage_ids = fields.Many2many(
        comodel_name="crm.stage", relation="sales_milestone_crm_stage_rel",
        column1="milestone_id", column2="stage_id", string="Mapped Stages",
        help="Moving an opportunity into one of these stages records this milestone.",
    )
    probability = fields.Float(
        readonly=True, aggregator="avg", digits=(16, 1),
        help="Company-wide share (%) of the closed opportunities that reached this milestone "
             "in the trailing window and were won. Recomputed by a scheduled job.",
    )
    median_days_to_next = fields.Float(
        string="Median Days to Next", readonly=True, digits=(16, 1),
        help="Median number of days opportunities spent at this milestone before reaching the "
             "next one (trailing window).",
    )
    sample_count = fields.Integer(
        string="Closed Opportunities", readonly=True,
        help="Closed opportunities behind the company-wide probability.",
    )
    stat_ids = fields.One2many(
        comodel_name="sales.milestone.stat", inverse_name="milestone_id",
        string="Per-Team Figures", readonly=True,
    )
    criterion_count = fields.Integer(compute="_compute_criterion_count", string="# Criteria")

    _sql_constraints = [
        ("probability_range", "CHECK(probability >= 0 AND probability <= 100)",
         "A milestone probability lies between 0 and 100."),
    ]

    @api.constrains("probability")
    def _check_input_guard(self):
        check_input(self, non_negative=("probability",))

    @api.depends("criterion_ids")
    def _compute_criterion_count(self):
        for milestone in self:
            milestone.criterion_count = len(milestone.criterion_ids)

    # ------------------------------------------------------------------ TOOLS
    @api.model
    def _applicable_domain(self, team, company):
        return [
            ("company_id", "in", [company.id, False]),
            "|", ("team_ids", "=", False), ("team_ids", "in", team.ids),
        ]

    def _filter_for(self, team, company):
        """Milestones of ``self`` that apply to an opportunity of ``team`` in ``company``."""
        return self.filtered(
            lambda m: m.company_id in (company, self.env["res.company"])
            and (not m.team_ids or team in m.team_ids)
        )

    @api.model
    def _tracks(self, keys):
        """``{(company, team): milestones}`` for each ``(company, team)`` of ``keys``: the
        milestones an opportunity of that team in that company follows (``_filter_for``),
        archived ones included, ordered by sequence; those the user may read only. One
        query for any number of tracks (a manager's dashboard shows one per team)."""
        keys = list(keys)
        if not keys:
            return {}
        query = self.with_context(active_test=False)._search([])
        self.flush_model(["sequence", "company_id", "team_ids"])
        self.env.cr.execute(SQL(
            """SELECT k.i, array_agg(m.id ORDER BY m.sequence, m.id)
                 FROM unnest(%s::int[], %s::int[]) WITH ORDINALITY AS k(company_id, team_id, i)
                 JOIN sales_milestone m
                      ON (m.company_id IS NULL OR m.company_id = k.company_id)
                     AND (NOT EXISTS (SELECT FROM sales_milestone_crm_team_rel r
                                       WHERE r.milestone_id = m.id)
                          OR EXISTS (SELECT FROM sales_milestone_crm_team_rel r
                                      WHERE r.milestone_id = m.id AND r.team_id = k.team_id))
                WHERE m.id IN %s
             GROUP BY k.i""",
            [company.id or None for company, _team in keys],
            [team.id or None for _company, team in keys], query.subselect(),
        ))
        rows = self.env.cr.fetchall()
        # one prefetch set: the tracks' milestones are read together
        every = tuple({mid for _index, ids in rows for mid in ids})
        tracks = dict.fromkeys(keys, self.browse())
        for index, ids in rows:
            tracks[keys[index - 1]] = self.browse(ids).with_prefetch(every)
        return tracks

    # ------------------------------------------------------------------ STATISTICS
    @api.model
    def _cron_compute_probabilities(self):
        """Scheduled job: recompute milestone figures from history, when inputs changed.

        One run at a time: a second worker starting while a run is in progress skips (the
        running one computes the same figures) instead of waiting on its row locks and
        failing to serialize. The computation is one transaction: a run killed midway
        leaves nothing behind, the next one does it all again."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", STATISTICS_LOCK))
        if not self.env.cr.fetchone()[0]:
            return False
        # A run that committed after this transaction's snapshot was taken (it held the
        # lock until then) changed the fingerprint: its figures stand, and writing over
        # them would fail to serialize (repeatable read) — checked on the fingerprint's
        # row first; a row it (or another transaction) wrote since, when written here: no
        # error logged either way, the fingerprint is left for the next run.
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(SQL(
                    "SELECT id FROM ir_config_parameter WHERE key = %s FOR NO KEY UPDATE",
                    FINGERPRINT_PARAM,
                ), log_exceptions=False)
                Failure = self.env["sales.job.failure"]
                since = Failure._last_id()
                computed = self._compute_statistics()
                Failure._report_run("milestone_statistics", since, int(computed))
                return computed
        except psycopg2.errors.SerializationFailure:
            _logger.info("Milestone probabilities: rows changed by a concurrent transaction "
                         "(another run of the job): skipped, the next run recomputes if needed")
            return False

    @api.model
    def _statistics_fingerprint(self):
        """A hash of everything the figures depend on: lines, closed opportunities, settings,
        milestone definitions and the window start. Two cheap aggregate queries."""
        self.env.cr.execute("""
            SELECT count(*), coalesce(max(id), 0), max(write_date)::text
              FROM sales_lead_milestone
        """)
        lines = self.env.cr.fetchone()
        self.env.cr.execute("""
            SELECT count(*), max(l.write_date)::text, max(l.date_closed)::text
              FROM crm_lead l
             WHERE l.type = 'opportunity'
               AND EXISTS (SELECT 1 FROM sales_lead_milestone m WHERE m.lead_id = l.id)
        """)
        leads = self.env.cr.fetchone()
        self.env.cr.execute("""
            SELECT count(*), max(write_date)::text FROM sales_milestone
        """)
        milestones = self.env.cr.fetchone()
        companies = self.env["res.company"].sudo().search([])
        settings = [
            (c.id, c.milestone_window_months, c.milestone_min_closed) for c in companies
        ]
        today = fields.Date.context_today(self)
        payload = json.dumps([lines, leads, milestones, settings, str(today)], default=str)
        return hashlib.sha256(payload.encode()).hexdigest()

    @api.model
    def _compute_statistics(self, force=False):
        """Recompute ``probability``, ``median_days_to_next`` and the per-team figures.

        Set-based: a handful of SQL queries per company whatever the number of
        opportunities. Skipped entirely when the fingerprint of the inputs is unchanged.
        Returns True when figures were recomputed.
        """
        params = self.env["ir.config_parameter"].sudo()
        fingerprint = self._statistics_fingerprint()
        if not force and params.get_param(FINGERPRINT_PARAM) == fingerprint:
            return False
        self.env.flush_all()
        Milestone = self.sudo().with_context(active_test=False)
        Stat = self.env["sales.milestone.stat"].sudo()
        milestones = Milestone.search([])
        global_values = {m.id: {"probability": 0.0, "median_days_to_next": 0.0,
                                "sample_count": 0} for m in milestones}
        stat_vals = []
        today = fields.Date.context_today(self)
        failed = self.env["res.company"]
        for company in self.env["res.company"].sudo().search([]):
            window_start = today - relativedelta(months=max(company.milestone_window_months, 1))
            try:
                with self.env.cr.savepoint():
                    outcome = self._statistics_outcomes(company, window_start)
                    medians = self._statistics_medians(company, window_start)
            except Exception as error:  # isolate the company
                self.env.invalidate_all()
                self.env["sales.job.failure"]._record("milestone_statistics", company, error)
                failed |= company
                continue
            for (milestone_id, team_id), (closed, won) in outcome["team"].items():
                enough = outcome["team_closed"].get(team_id, 0) >= company.milestone_min_closed
                if enough and closed:
                    stat_vals.append({
                        "milestone_id": milestone_id, "team_id": team_id,
                        "company_id": company.id, "sample_count": closed,
                        "probability": round(100.0 * won / closed, 1),
                    })
            for milestone in milestones:
                if milestone.company_id not in (company, Milestone.company_id):
                    continue
                closed, won = outcome["company"].get(milestone.id, (0, 0))
                values = global_values[milestone.id]
                # a milestone shared by companies keeps the figures of the one with most history
                if closed > values["sample_count"] or (
                    not values["sample_count"] and milestone.id in medians
                ):
                    values.update(
                        probability=round(100.0 * won / closed, 1) if closed else 0.0,
                        sample_count=closed,
                        median_days_to_next=medians.get(milestone.id, 0.0),
                    )
        # written in SQL, not with ``write``: the ORM would mark every opportunity at a
        # changed milestone for recompute (``milestone_probability`` depends on it) and
        # recompute them all in one flush, its memory growing with the opportunities
        changed_ids = set()
        if failed:
            # the failed companies keep their figures until a run computes them
            milestones = milestones.filtered(lambda m: m.company_id not in failed)
            stat_vals += [{
                "milestone_id": stat.milestone_id.id, "team_id": stat.team_id.id,
                "company_id": stat.company_id.id, "sample_count": stat.sample_count,
                "probability": stat.probability,
            } for stat in Stat.search([("company_id", "in", failed.ids)])]
        for milestone in milestones:
            values = global_values[milestone.id]
            if any(milestone[name] != value for name, value in values.items()):
                self.env.cr.execute(SQL(
                    """
                    UPDATE sales_milestone
                       SET probability = %(probability)s,
                           median_days_to_next = %(median)s,
                           sample_count = %(samples)s,
                           write_uid = %(uid)s, write_date = %(now)s
                     WHERE id = %(id)s
                    """,
                    probability=values["probability"], median=values["median_days_to_next"],
                    samples=values["sample_count"], uid=self.env.uid,
                    now=self.env.cr.now(), id=milestone.id,
                ), log_exceptions=False)  # a concurrent run: see _cron_compute_probabilities
                changed_ids.add(milestone.id)
        milestones.invalidate_recordset(
            ["probability", "median_days_to_next", "sample_count", "write_uid", "write_date"]
        )
        old_stats = {(s.milestone_id.id, s.team_id.id): s.probability for s in Stat.search([])}
        new_stats = {(v["milestone_id"], v["team_id"]): v["probability"] for v in stat_vals}
        if old_stats != new_stats:
            changed_ids |= {key[0] for key in set(old_stats) ^ set(new_stats)}
            changed_ids |= {key[0] for key in new_stats if old_stats.get(key) != new_stats[key]}
            Stat.search([]).unlink()
            Stat.create(stat_vals)
        if changed_ids:
            self.env.flush_all()
            self._write_lead_probabilities(sorted(changed_ids))
        if not failed:  # else the next run computes again
            params.set_param(FINGERPRINT_PARAM, self._statistics_fingerprint())
        return True

    @api.model
    def _write_lead_probabilities(self, milestone_ids):
        """Store ``milestone_probability`` and ``milestone_expected_revenue`` of every
        opportunity at one of ``milestone_ids`` with one set-based ``UPDATE`` (only the
        rows whose values change), then drop those fields from the ORM cache.

        The same figures as ``crm.lead._compute_milestone_probability`` and
        ``_compute_milestone_expected_revenue`` (the team's figure of the milestone when it
        has one, else the milestone's; expected revenue × probability rounded half-up to
        the cent), without loading the opportunities: memory does not grow with them."""
        probability = SQL(
            "CASE WHEN s.id IS NOT NULL THEN COALESCE(s.probability, 0)"
            " ELSE COALESCE(m.probability, 0) END"
        )
        self.env.cr.execute(SQL(
            """
            UPDATE crm_lead l
               SET milestone_probability = v.probability,
                   milestone_expected_revenue = v.expected,
                   write_uid = %(uid)s, write_date = %(now)s
              FROM (SELECT l2.id, %(probability)s AS probability,
                           ROUND(COALESCE(l2.expected_revenue, 0)::numeric
                                 * (%(probability)s)::numeric / 100.0, 2) AS expected
                      FROM crm_lead l2
                      JOIN sales_milestone m ON m.id = l2.milestone_id
                 LEFT JOIN sales_milestone_stat s
                        ON s.milestone_id = l2.milestone_id AND s.team_id = l2.team_id
                     WHERE l2.milestone_id = ANY(%(ids)s)) v
             WHERE l.id = v.id
               AND (l.milestone_probability IS DISTINCT FROM v.probability
                    OR l.milestone_expected_revenue IS DISTINCT FROM v.expected)
            """,
            probability=probability, uid=self.env.uid, now=self.env.cr.now(),
            ids=list(milestone_ids),
        ), log_exceptions=False)  # a concurrent run: see _cron_compute_probabilities
        count = self.env.cr.rowcount
        self.env["crm.lead"].invalidate_model([
            "milestone_probability", "milestone_expected_revenue", "write_uid", "write_date",
        ])
        return count

    @api.model
    def _statistics_outcomes(self, company, window_start):
        """Closed opportunities per milestone (company-wide and per team) and how many were
        won, for the lines reached since ``window_start``; plus closed opportunities per team.

        Won: active and in a won stage. Lost: archived (CRM archives lost opportunities).
        """
        result = {}
        self.env.cr.execute(SQL("""
            SELECT ml.milestone_id, l.team_id, count(DISTINCT l.id),
                   count(DISTINCT l.id) FILTER (WHERE l.active AND s.is_won)
              FROM sales_lead_milestone ml
              JOIN crm_lead l ON l.id = ml.lead_id
         LEFT JOIN crm_stage s ON s.id = l.stage_id
             WHERE ml.date_reached >= %(start)s AND l.type = 'opportunity'
               AND l.company_id = %(company)s AND l.team_id IS NOT NULL
               AND ((l.active AND s.is_won) OR NOT l.active)
          GROUP BY ml.milestone_id, l.team_id
        """, company=company.id, start=window_start))
        result["team"] = {(m, t): (closed, won) for m, t, closed, won in self.env.cr.fetchall()}
        self.env.cr.execute(SQL("""
            SELECT ml.milestone_id, count(DISTINCT l.id),
                   count(DISTINCT l.id) FILTER (WHERE l.active AND s.is_won)
              FROM sales_lead_milestone ml
              JOIN crm_lead l ON l.id = ml.lead_id
         LEFT JOIN crm_stage s ON s.id = l.stage_id
             WHERE ml.date_reached >= %(start)s AND l.type = 'opportunity'
               AND l.company_id = %(company)s
               AND ((l.active AND s.is_won) OR NOT l.active)
          GROUP BY ml.milestone_id
        """, company=company.id, start=window_start))
        result["company"] = {m: (closed, won) for m, closed, won in self.env.cr.fetchall()}
        self.env.cr.execute(SQL("""
            SELECT l.team_id, count(*)
              FROM crm_lead l
         LEFT JOIN crm_stage s ON s.id = l.stage_id
             WHERE l.type = 'opportunity' AND l.company_id = %(company)s
               AND l.team_id IS NOT NULL AND l.date_closed >= %(start)s
               AND ((l.active AND s.is_won) OR NOT l.active)
          GROUP BY l.team_id
        """, company=company.id, start=window_start))
        result["team_closed"] = dict(self.env.cr.fetchall())
        return result

    @api.model
    def _statistics_medians(self, company, window_start):
        """Median days from reaching a milestone to reaching the following one (next line of
        the same opportunity in time), per milestone, over the trailing window."""
        self.env.cr.execute(SQL("""
            WITH steps AS (
                SELECT ml.milestone_id, ml.date_reached,
                       LEAD(ml.date_reached) OVER (
                           PARTITION BY ml.lead_id ORDER BY ml.date_reached, ml.id
                       ) AS next_reached
                  FROM sales_lead_milestone ml
                 WHERE ml.company_id = %(company)s
            )
            SELECT milestone_id,
                   percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY EXTRACT(EPOCH FROM next_reached - date_reached) / 86400.0
                   )
              FROM steps
             WHERE next_reached IS NOT NULL AND date_reached >= %(start)s
          GROUP BY milestone_id
        """, company=company.id, start=window_start))
        return {m: round(median or 0.0, 1) for m, median in self.env.cr.fetchall()}


class SalesMilestoneCriterion(models.Model):
    _name = "sales.milestone.criterion"
    _description = "Sales Milestone Criterion"
    _inherit = ["sales.input.guard.mixin"]
    _order = "milestone_id, sequence, id"

    milestone_id = fields.Many2one(
        comodel_name="sales.milestone", string="Milestone", required=True,
        ondelete="cascade", index=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Criterion", required=True, translate=True)
    description = fields.Char(help="How the salesperson checks this criterion.")


class SalesMilestoneStat(models.Model):
    _name = "sales.milestone.stat"
    _description = "Sales Milestone Figures per Team"
    _order = "milestone_id, team_id"

    milestone_id = fields.Many2one(
        comodel_name="sales.milestone", required=True, ondelete="cascade", index=True,
    )
    team_id = fields.Many2one(comodel_name="crm.team", required=True, ondelete="cascade")
    company_id = fields.Many2one(comodel_name="res.company", required=True, ondelete="cascade")
    probability = fields.Float(digits=(16, 1))
    sample_count = fields.Integer(string="Closed Opportunities")

    _sql_constraints = [
        ("milestone_team_uniq", "UNIQUE(milestone_id, team_id)",
         "One set of figures per milestone and team."),
    ]
