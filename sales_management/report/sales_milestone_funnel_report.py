# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class SalesMilestoneFunnelReport(models.Model):
    """Milestone funnel: one row per milestone reached by an opportunity, and one per
    milestone of its track it went through to get there.

    Each sales team follows its own milestones (its *track*, ``sales.milestone._filter_for``).
    An opportunity reaching a milestone of its track on a date went through every earlier
    milestone of that track (reached before, or skipped): the report has a row for each
    of them at that date (``is_passed``), so that the funnel step of a milestone,
    ``opportunity_count`` (the DISTINCT opportunities of the group), counts the
    opportunities that got at least that far in the period. Grouped by team then
    milestone, a step never counts more than the step before it, and a total counts each
    opportunity once: totals never add steps. ``won_opportunity_count``: the distinct
    won ones. The dashboard's funnel reads these two measures.

    On the milestones actually reached (``is_passed`` false) the other measures keep their
    meaning: summing ``reached_count`` gives the milestones reached in a period (filter on
    ``date_reached``); ``conversion_next`` / ``conversion_won`` average 0/100 flags, i.e. the
    conversion % to the next milestone and to won of any group; ``median_days_to_next`` is
    aggregated as a true median (see ``_read_group_select``).
    """

    _name = "sales.milestone.funnel.report"
    _inherit = ["sales.opportunity.report.mixin"]
    _description = "Milestone Funnel Analysis"
    _auto = False
    _order = "date_reached desc"
    _rec_name = "milestone_id"
    # what the query reads besides the mixin's columns, written before each read
    _depends = {
        "sales.milestone": ["sequence", "company_id", "active", "team_ids"],
        "sales.lead.milestone": ["lead_id", "milestone_id", "date_reached", "overridden"],
        "crm.lead": ["type", "active", "stage_id"],
        "crm.stage": ["is_won"],
    }

    milestone_id = fields.Many2one(comodel_name="sales.milestone", readonly=True)
    milestone_sequence = fields.Integer(readonly=True)
    lead_id = fields.Many2one(comodel_name="crm.lead", string="Opportunity", readonly=True)
    date_reached = fields.Datetime(string="Reached On", readonly=True)
    overridden = fields.Boolean(readonly=True)
    is_passed = fields.Boolean(
        string="Passed Through", readonly=True,
        help="A milestone of the track before the one reached on this date.",
    )
    opportunity_count = fields.Integer(
        string="Opportunities", readonly=True, aggregator="count_distinct",
        help="Opportunities that got at least this far (each counted once).",
    )
    won_opportunity_count = fields.Integer(
        string="Won Opportunities", readonly=True, aggregator="count_distinct",
        help="Of these opportunities, the won ones.",
    )
    reached_count = fields.Integer(string="Reached", readonly=True, aggregator="sum")
    next_count = fields.Integer(string="Reached Next", readonly=True, aggregator="sum")
    won_count = fields.Integer(string="Won", readonly=True, aggregator="sum")
    conversion_next = fields.Float(
        string="Conversion to Next (%)", readonly=True, aggregator="avg", digits=(16, 1),
    )
    conversion_won = fields.Float(
        string="Conversion to Won (%)", readonly=True, aggregator="avg", digits=(16, 1),
    )
    days_to_next = fields.Float(
        string="Average Days to Next", readonly=True, aggregator="avg", digits=(16, 1),
    )
    median_days_to_next = fields.Float(
        string="Median Days to Next", readonly=True, aggregator="avg", digits=(16, 1),
        help="Median number of days between reaching this milestone and the next one.",
    )

    # the opportunity's milestone lines after this one, in time (index on lead_id)
    _LATER_LINES = """
        FROM sales_lead_milestone n
       WHERE n.lead_id = ml.lead_id
         AND (n.date_reached, n.id) > (ml.date_reached, ml.id)
    """

    def _select(self):
        # The next milestone is read by scalar sub-queries, not a LATERAL join: PostgreSQL
        # evaluates a column's sub-query only when the query reads that column, so the
        # funnel counts (reached, won) do no per-row lookup at all.
        later = SQL(self._LATER_LINES)
        next_date = SQL(
            "(SELECT n.date_reached %s ORDER BY n.date_reached, n.id LIMIT 1)", later)
        has_next = SQL("EXISTS (SELECT 1 %s)", later)
        # the line's own measures: on the milestone reached, not on those passed through
        line = SQL("NOT step.is_passed")
        return SQL("""
            CASE WHEN step.is_passed THEN -(ml.id::bigint * 100000 + step.milestone_id)
                 ELSE ml.id END AS id,
            step.milestone_id AS milestone_id,
            step.sequence AS milestone_sequence,
            ml.lead_id AS lead_id,
            ml.date_reached AS date_reached,
            l.team_id AS team_id,
            l.user_id AS user_id,
            %(team_leader)s AS team_user_id,
            l.company_id AS company_id,
            ml.overridden AS overridden,
            step.is_passed AS is_passed,
            l.id AS opportunity_count,
            CASE WHEN l.active AND s.is_won THEN l.id END AS won_opportunity_count,
            CASE WHEN %(line)s THEN 1 ELSE 0 END AS reached_count,
            CASE WHEN %(line)s AND %(has_next)s THEN 1 ELSE 0 END AS next_count,
            CASE WHEN %(line)s AND l.active AND s.is_won THEN 1 ELSE 0 END AS won_count,
            CASE WHEN %(line)s THEN
                CASE WHEN %(has_next)s THEN 100.0 ELSE 0.0 END END AS conversion_next,
            CASE WHEN %(line)s THEN
                CASE WHEN l.active AND s.is_won THEN 100.0 ELSE 0.0 END END AS conversion_won,
            CASE WHEN %(line)s THEN
                EXTRACT(EPOCH FROM %(next_date)s - ml.date_reached) / 86400.0
                END AS days_to_next,
            CASE WHEN %(line)s THEN
                EXTRACT(EPOCH FROM %(next_date)s - ml.date_reached) / 86400.0
                END AS median_days_to_next
        """, has_next=has_next, next_date=next_date, line=line,
                   team_leader=self.TEAM_LEADER)

    # The steps of each milestone ``m_id``: the milestone itself (``is_passed`` false,
    # ``team_id`` -1: for every opportunity), and for each track (the milestones of a
    # team, ``team_id``, or of every team, 0: a team without milestones of its own
    # follows these, ``sales.milestone._filter_for``) the active milestones of the track
    # before it, when it is on the track. A few hundred rows read from the milestones at
    # each read of the report, hash-joined to the lines: no work per line.
    _STEPS = """
        WITH ms AS (
            SELECT m.id, m.sequence, m.company_id, m.active,
                   NOT EXISTS (SELECT 1 FROM sales_milestone_crm_team_rel r
                                WHERE r.milestone_id = m.id) AS every_team
              FROM sales_milestone m
        ), on_track AS (
            SELECT r.team_id, m.*
              FROM sales_milestone_crm_team_rel r JOIN ms m ON m.id = r.milestone_id
             UNION ALL
            SELECT tr.team_id, m.*
              FROM (SELECT DISTINCT team_id FROM sales_milestone_crm_team_rel
                     UNION ALL SELECT 0) tr
              JOIN ms m ON m.every_team
        )
        SELECT m.id AS m_id, -1 AS team_id, m.id AS milestone_id, m.sequence,
               FALSE AS is_passed, NULL::int AS company_id, NULL::int AS m_company_id
          FROM ms m
         UNION ALL
        SELECT m.id, m.team_id, b.id, b.sequence, TRUE, b.company_id, m.company_id
          FROM on_track m
          JOIN on_track b ON b.team_id = m.team_id AND b.active
                         AND (b.sequence, b.id) < (m.sequence, m.id)
    """

    def _from(self):
        if self._part_only():
            # the reached milestones alone (``_PART_MEASURES``): each line is its own step
            return SQL("""
                sales_lead_milestone ml
                JOIN crm_lead l ON l.id = ml.lead_id
                CROSS JOIN LATERAL (SELECT ml.milestone_id, ml.sequence,
                                           FALSE AS is_passed) step
                LEFT JOIN crm_stage s ON s.id = l.stage_id
            """)
        # each line: its milestone, and the active milestones of the opportunity's track
        # before it when it is on that track, of the opportunity's company or of none (a
        # line of another team's track, left by an opportunity that changed teams,
        # stands alone)
        return SQL("""
            sales_lead_milestone ml
            JOIN crm_lead l ON l.id = ml.lead_id
            JOIN (%(steps)s) step ON step.m_id = ml.milestone_id
                 AND (NOT step.is_passed
                      OR step.team_id = (CASE WHEN l.team_id IN (
                                                  SELECT team_id
                                                    FROM sales_milestone_crm_team_rel)
                                              THEN l.team_id ELSE 0 END)
                      AND (step.company_id IS NULL OR step.company_id = l.company_id)
                      AND (step.m_company_id IS NULL OR step.m_company_id = l.company_id))
            LEFT JOIN crm_stage s ON s.id = l.stage_id
        """, steps=SQL(self._STEPS))

    def _where(self):
        return SQL("l.type = 'opportunity'")

    # a read of the reached milestones' measures alone (the coaching's conversions, a
    # "Reached" figure) reads the reached milestones alone: the rows passed through are
    # zero or empty in these measures, and the query has no join to the tracks
    _PART_MEASURES = frozenset({
        "reached_count", "next_count", "won_count", "conversion_next", "conversion_won",
        "days_to_next", "median_days_to_next",
    })
    _PART_DOMAIN = [("is_passed", "=", False)]

    def _read_group_select(self, aggregate_spec, query):
        """``median_days_to_next`` aggregates as a median in every group (pivot, graph)."""
        if aggregate_spec.split(":")[0] == "median_days_to_next":
            sql_field = self._field_to_sql(self._table, "median_days_to_next", query)
            return SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY %s)", sql_field)
        return super()._read_group_select(aggregate_spec, query)
