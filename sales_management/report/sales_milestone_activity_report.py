# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

# A constant TRUE the report's conditions call: declared PARALLEL UNSAFE, it keeps
# PostgreSQL from planning the report's queries in parallel (see ``init``).
SERIAL_PLAN_FUNCTION = "sales_management_serial_plan"


class SalesMilestoneActivityReport(models.Model):
    """Activity quality per milestone: the right activities, done the right way, in the right
    amount.

    Two kinds of rows: each activity done on an opportunity, attributed to the milestone the
    opportunity reached next (``done_count`` = 1; "Not reached yet" when it has not); and
    each activity type a milestone requires that was not done before the opportunity reached
    it (``missing_count`` = 1). Percentages average 0/100 flags over the done activities:
    ``right_activity_pct`` (the type is one the milestone requires), ``on_time_pct`` (done by
    its deadline), ``with_result_pct`` (a feedback was recorded), ``right_way_pct`` (both).

    A third kind, the right amount: each milestone reached whose milestone has activity
    norms (``sales.milestone.norm``), ``norm_line_count`` = 1 and ``norm_met_pct`` 100 when
    every norm was met, 0 otherwise (activities done up to the moment it was reached, as
    the missing rows count them). The other kinds leave ``norm_met_pct`` empty, so that
    its average is the compliance; theirs are empty here (figures unchanged).
    """

    _name = "sales.milestone.activity.report"
    _inherit = ["sales.opportunity.report.mixin"]
    _description = "Milestone Activity Quality"
    _auto = False
    _order = "date desc"
    _rec_name = "activity_type_id"

    milestone_id = fields.Many2one(comodel_name="sales.milestone", readonly=True)
    lead_id = fields.Many2one(comodel_name="crm.lead", string="Opportunity", readonly=True)
    activity_type_id = fields.Many2one(
        comodel_name="mail.activity.type", string="Activity Type", readonly=True,
    )
    date = fields.Datetime(string="Done On", readonly=True)
    is_required = fields.Boolean(string="Required Type", readonly=True)
    done_count = fields.Integer(string="Done", readonly=True, aggregator="sum")
    missing_count = fields.Integer(string="Required but Missing", readonly=True, aggregator="sum")
    right_activity_pct = fields.Float(
        string="Right Activity (%)", readonly=True, aggregator="avg", digits=(16, 1),
    )
    on_time_pct = fields.Float(string="On Time (%)", readonly=True, aggregator="avg",
                               digits=(16, 1))
    with_result_pct = fields.Float(
        string="Result Recorded (%)", readonly=True, aggregator="avg", digits=(16, 1),
    )
    right_way_pct = fields.Float(
        string="Right Way (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Done on time with a result recorded.",
    )
    norm_line_count = fields.Integer(
        string="Milestones with Norms", readonly=True, aggregator="sum",
        help="Milestones reached whose activity norms were due.",
    )
    norm_met_count = fields.Integer(
        string="Norms Met", readonly=True, aggregator="sum",
        help="Milestones reached with every activity norm met.",
    )
    norm_met_pct = fields.Float(
        string="Norm Met (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Share of the milestones reached with every activity norm met (enough done "
             "activities of each type before the milestone was reached).",
    )

    def _select(self):
        params = {"serial": SQL.identifier(SERIAL_PLAN_FUNCTION),
                  "team_leader": self.TEAM_LEADER}
        branches = [SQL(self._DONE_ROWS, **params), SQL(self._MISSING_ROWS, **params)]
        if not self._part_only():  # the norms' rows (``_PART_MEASURES``)
            branches.append(SQL(self._NORM_ROWS, **params))
        return SQL("\n UNION ALL \n").join(branches)

    _DONE_ROWS = """
            -- done activities, attributed to the milestone reached next
            SELECT msg.id * 2 AS id,
                   ml.milestone_id AS milestone_id,
                   l.id AS lead_id,
                   msg.mail_activity_type_id AS activity_type_id,
                   msg.date AS date,
                   l.team_id AS team_id,
                   l.user_id AS user_id,
                   %(team_leader)s AS team_user_id,
                   l.company_id AS company_id,
                   (req.activity_type_id IS NOT NULL) AS is_required,
                   1 AS done_count,
                   0 AS missing_count,
                   CASE WHEN req.activity_type_id IS NOT NULL THEN 100.0 ELSE 0.0 END
                       AS right_activity_pct,
                   CASE WHEN msg.activity_deadline_date IS NOT NULL
                             AND msg.date::date <= msg.activity_deadline_date
                        THEN 100.0 ELSE 0.0 END AS on_time_pct,
                   CASE WHEN msg.activity_feedback_recorded THEN 100.0 ELSE 0.0 END
                       AS with_result_pct,
                   CASE WHEN msg.activity_feedback_recorded
                             AND msg.activity_deadline_date IS NOT NULL
                             AND msg.date::date <= msg.activity_deadline_date
                        THEN 100.0 ELSE 0.0 END AS right_way_pct,
                   0 AS norm_line_count,
                   0 AS norm_met_count,
                   NULL::numeric AS norm_met_pct
              FROM mail_message msg
              JOIN crm_lead l ON l.id = msg.res_id
              LEFT JOIN LATERAL (
                    SELECT n.milestone_id
                      FROM sales_lead_milestone n
                     WHERE n.lead_id = l.id AND n.date_reached >= msg.date
                  ORDER BY n.date_reached, n.id
                     LIMIT 1
              ) ml ON TRUE
              LEFT JOIN sales_milestone_activity_type_rel req
                     ON req.milestone_id = ml.milestone_id
                    AND req.activity_type_id = msg.mail_activity_type_id
             WHERE msg.model = 'crm.lead' AND msg.mail_activity_type_id IS NOT NULL
               AND l.type = 'opportunity' AND %(serial)s()
    """

    _MISSING_ROWS = """
            -- required activity types not done before the milestone was reached
            SELECT -(ml.id * 1000 + req.activity_type_id) AS id,
                   ml.milestone_id,
                   l.id,
                   req.activity_type_id,
                   ml.date_reached,
                   l.team_id,
                   l.user_id,
                   %(team_leader)s,
                   l.company_id,
                   TRUE,
                   0,
                   1,
                   NULL,
                   NULL,
                   NULL,
                   NULL,
                   0,
                   0,
                   NULL
              FROM sales_lead_milestone ml
              JOIN crm_lead l ON l.id = ml.lead_id
              JOIN sales_milestone_activity_type_rel req ON req.milestone_id = ml.milestone_id
             WHERE l.type = 'opportunity' AND %(serial)s()
               AND NOT EXISTS (
                    SELECT 1 FROM mail_message msg
                     WHERE msg.model = 'crm.lead' AND msg.res_id = l.id
                       AND msg.mail_activity_type_id = req.activity_type_id
                       AND msg.date <= ml.date_reached
               )
    """

    _NORM_ROWS = """
            -- milestones reached, measured against their activity norms
            SELECT ml.id * 2 + 1,
                   ml.milestone_id,
                   l.id,
                   NULL,
                   ml.date_reached,
                   l.team_id,
                   l.user_id,
                   %(team_leader)s,
                   l.company_id,
                   FALSE,
                   0,
                   0,
                   NULL,
                   NULL,
                   NULL,
                   NULL,
                   1,
                   CASE WHEN met.ok THEN 1 ELSE 0 END,
                   CASE WHEN met.ok THEN 100.0 ELSE 0.0 END
              FROM sales_lead_milestone ml
              JOIN crm_lead l ON l.id = ml.lead_id
              CROSS JOIN LATERAL (
                    SELECT NOT EXISTS (
                        SELECT 1 FROM sales_milestone_norm n
                         WHERE n.milestone_id = ml.milestone_id
                           AND n.min_count > (
                                SELECT count(*) FROM mail_message msg
                                 WHERE msg.model = 'crm.lead' AND msg.res_id = l.id
                                   AND msg.mail_activity_type_id = n.activity_type_id
                                   AND msg.date <= ml.date_reached)
                    ) AS ok
              ) met
             WHERE l.type = 'opportunity' AND %(serial)s()
               AND ml.milestone_id IN (SELECT milestone_id FROM sales_milestone_norm)
    """

    # a read of the done and missing activities' measures alone (the dashboard's activity
    # quality) leaves the norms' rows out of the query: they are zero or empty in these
    _PART_MEASURES = frozenset({
        "done_count", "missing_count", "right_activity_pct", "on_time_pct",
        "with_result_pct", "right_way_pct",
    })
    _PART_DOMAIN = [("norm_line_count", "=", 0)]

    def _from(self):
        return SQL("")

    def _where(self):
        return SQL("")

    def _query(self):
        """The union above; ``_from``/``_where``/``_group_by`` wrap it for extensions."""
        query = SQL("SELECT * FROM (%s) rows", self._select())
        if self._from().code:
            query = SQL("%s %s", query, self._from())
        if self._where().code:
            query = SQL("%s WHERE %s", query, self._where())
        if self._group_by().code:
            query = SQL("%s GROUP BY %s", query, self._group_by())
        return query

    def init(self):
        res = super().init()
        # Both halves look up, per selected opportunity, its done activities, next
        # milestone and required types (index probes): a salesperson's few thousand
        # opportunities at L cost 28 ms serially and 40 ms as parallel plans (``Gather``
        # of each half, workers started for a few ms of work: 1.7x the SQL floor instead
        # of 1.2x); a manager's 200k, 1.7-1.9 s against 2.3-5.5 s. A parallel-unsafe
        # function anywhere in a query makes PostgreSQL plan all of it serially; this
        # one is constant (folded at planning) and costs nothing per row.
        self.env.cr.execute(SQL(
            "CREATE OR REPLACE FUNCTION %s() RETURNS boolean LANGUAGE sql IMMUTABLE "
            "PARALLEL UNSAFE AS 'SELECT TRUE'", SQL.identifier(SERIAL_PLAN_FUNCTION),
        ))
        return res
