# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..models.sales_plan_target import current_period_memo

# context key set by ``_read_group``: the report's query of its rows of ``_PART_DOMAIN``
# alone. A read filter, never a right: the rows it leaves out are those the read it is set
# for leaves out by its domain anyway
PART_ONLY = "sales_report_part_only"


class SalesOpportunityReportMixin(models.AbstractModel):
    """The columns every opportunity report carries for its record rules: the
    opportunity's salesperson, team, team leader and company. The leader rule reads
    ``team_user_id`` (the opportunity's ``team_id.user_id``, ``TEAM_LEADER`` in the
    view), which ``_condition_to_sql`` turns into a test of the team column.
    ``_depends`` flushes what the view reads of the teams and opportunities before a
    search, so a change of leader shows at once."""

    # the view's ``team_user_id`` on the opportunity ``l``: a sub-select, read only where
    # a query reads the column (a grouping by leader), where a join to the teams would
    # be planned at every read of the report
    TEAM_LEADER = SQL("(SELECT tm.user_id FROM crm_team tm WHERE tm.id = l.team_id)")

    _name = "sales.opportunity.report.mixin"
    _inherit = ["sales.sql.view.mixin"]
    _description = "Sales Management: opportunity report (rule columns)"
    _depends = {"crm.team": ["user_id"], "crm.lead": ["user_id", "team_id", "company_id"]}

    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Salesperson", readonly=True)
    team_user_id = fields.Many2one(
        comodel_name="res.users", string="Team Leader", readonly=True,
        help="Leader of the opportunity's sales team.",
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)

    # a read of these measures alone (no count, no having) takes them from the rows of
    # ``_PART_DOMAIN`` alone: the other rows are zero or empty in them
    _PART_MEASURES = frozenset()
    _PART_DOMAIN = []

    def _read_group(self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None,
                    order=None):
        """A read of ``_PART_MEASURES`` alone reads the rows of ``_PART_DOMAIN`` alone,
        by a query (``PART_ONLY``) without what the other rows need, which PostgreSQL
        would plan at every read. A group of the other rows only, all zero, is left
        out."""
        if (self._PART_MEASURES and aggregates and not having
                and all(spec.split(":")[0] in self._PART_MEASURES for spec in aggregates)
                and "__count" not in (order or "")):
            domain = expression.AND([domain, self._PART_DOMAIN])
            self = self.with_context(**{PART_ONLY: True})
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    def _part_only(self):
        """Whether this read queries the rows of ``_PART_DOMAIN`` alone."""
        return bool(self._PART_MEASURES and self.env.context.get(PART_ONLY))

    def _led_team_ids(self, user_ids):
        """The ids of the teams these users lead, archived included, as the rule reads
        them: one plain query (an ORM search costs as much again in Python at each
        read); within a ``period_figures_memo`` block (the dashboard, which reads
        several reports), once."""
        memo = current_period_memo()
        key = ("crm.team:led", tuple(sorted(user_ids)))
        if memo is not None and key in memo:
            return memo[key]
        self.env["crm.team"].flush_model(["user_id"])
        self.env.cr.execute(SQL(
            "SELECT id FROM crm_team WHERE user_id = ANY(%s) ORDER BY id", list(user_ids)))
        team_ids = [team_id for team_id, in self.env.cr.fetchall()]
        if memo is not None:
            memo[key] = team_ids
        return team_ids

    def _condition_to_sql(self, alias, fname, operator, value, query):
        """``team_user_id`` = / in users: the opportunity's team among the teams these
        users lead, read now (one small query, nothing cached: a change of leader shows at
        once), FALSE when they lead none. On the joined team's column, the test made
        PostgreSQL scan every opportunity for a salesperson's rule; on the team column,
        the rule's tests (own, unassigned, led teams) use the opportunities' indexes."""
        if fname == "team_user_id" and operator in ("=", "in"):
            user_ids = [value] if operator == "=" else value
            if isinstance(user_ids, (list, tuple)) and user_ids and all(
                    isinstance(uid, int) and not isinstance(uid, bool) and uid > 0
                    for uid in user_ids):
                team_ids = self._led_team_ids(user_ids)
                if not team_ids:
                    return SQL("FALSE")
                return SQL("%s = ANY(%s)", self._field_to_sql(alias, "team_id", query),
                           team_ids)
        return super()._condition_to_sql(alias, fname, operator, value, query)
