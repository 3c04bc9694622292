# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class SalesKpiReport(models.Model):
    """KPI analysis: one row per opportunity, with what makes the sales funnel's KPIs.

    Ratios aggregate as averages of 0/100 flags that are NULL where they do not apply, so
    any grouping gives the true ratio: ``hit_rate`` is won / (won + lost) over the closed
    opportunities of the group, ``quotation_conversion`` the confirmed share of their
    quotations' opportunities; ``deal_size`` averages the won opportunities only and
    ``cycle_days`` the closed ones. Extend it through ``_select``/``_from``/``_where``/
    ``_group_by`` as with ``sale.report``.
    """

    _name = "sales.kpi.report"
    _inherit = ["sales.sql.view.mixin"]
    _description = "Sales KPI Analysis"
    _auto = False
    _order = "date_closed desc, id desc"
    _rec_name = "lead_id"

    lead_id = fields.Many2one(comodel_name="crm.lead", string="Opportunity", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
    country_id = fields.Many2one(comodel_name="res.country", string="Country", readonly=True)
    stage_id = fields.Many2one(comodel_name="crm.stage", string="Stage", readonly=True)
    milestone_id = fields.Many2one(comodel_name="sales.milestone", string="Milestone",
                                   readonly=True)
    medium_id = fields.Many2one(comodel_name="utm.medium", string="Medium", readonly=True)
    source_id = fields.Many2one(comodel_name="utm.source", string="Source", readonly=True)
    status = fields.Selection(
        selection=[("open", "Open"), ("won", "Won"), ("lost", "Lost")], readonly=True,
    )
    opportunity_count = fields.Integer(string="Opportunities", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    hit_rate = fields.Float(
        string="Hit Rate (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Won / (won + lost), over the closed opportunities.",
    )
    expected_revenue = fields.Float(string="Expected Revenue", readonly=True)
    won_revenue = fields.Float(string="Won Revenue", readonly=True)
    deal_size = fields.Float(
        string="Average Deal Size", readonly=True, aggregator="avg",
        help="Expected revenue of the won opportunities, averaged.",
    )
    weighted_pipeline = fields.Float(
        string="Weighted Pipeline", readonly=True,
        help="Open opportunities' expected revenue × milestone probability.",
    )
    cycle_days = fields.Float(
        string="Sales Cycle (days)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Days from creation to closing, over the closed opportunities.",
    )
    quotation_count = fields.Integer(string="Quotations", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    order_amount = fields.Float(string="Ordered Amount", readonly=True)

    def _select(self):
        return SQL("""
            l.id AS id,
            l.id AS lead_id,
            l.create_date AS create_date,
            l.date_closed AS date_closed,
            l.user_id AS user_id,
            l.team_id AS team_id,
            l.company_id AS company_id,
            l.partner_id AS partner_id,
            l.country_id AS country_id,
            l.stage_id AS stage_id,
            l.milestone_id AS milestone_id,
            l.medium_id AS medium_id,
            l.source_id AS source_id,
            CASE WHEN l.active AND s.is_won THEN 'won'
                 WHEN NOT l.active AND l.probability = 0 THEN 'lost'
                 ELSE 'open' END AS status,
            1 AS opportunity_count,
            CASE WHEN l.active AND s.is_won THEN 1 ELSE 0 END AS won_count,
            CASE WHEN NOT l.active AND l.probability = 0 THEN 1 ELSE 0 END AS lost_count,
            CASE WHEN l.active AND s.is_won THEN 100.0
                 WHEN NOT l.active AND l.probability = 0 THEN 0.0 END AS hit_rate,
            COALESCE(l.expected_revenue, 0) AS expected_revenue,
            CASE WHEN l.active AND s.is_won THEN COALESCE(l.expected_revenue, 0)
                 ELSE 0 END AS won_revenue,
            CASE WHEN l.active AND s.is_won THEN COALESCE(l.expected_revenue, 0)
                 END AS deal_size,
            CASE WHEN l.active AND NOT COALESCE(s.is_won, FALSE)
                 THEN COALESCE(l.milestone_expected_revenue, 0) ELSE 0 END
                AS weighted_pipeline,
            CASE WHEN l.date_closed IS NOT NULL
                      AND ((l.active AND s.is_won) OR (NOT l.active AND l.probability = 0))
                 THEN EXTRACT(EPOCH FROM l.date_closed - l.create_date) / 86400.0
                 END AS cycle_days,
            COALESCE(so.quotation_count, 0) AS quotation_count,
            COALESCE(so.order_count, 0) AS order_count,
            COALESCE(so.order_amount, 0) AS order_amount
        """)

    def _from(self):
        return SQL("""
            crm_lead l
            LEFT JOIN crm_stage s ON s.id = l.stage_id
            LEFT JOIN (
                SELECT o.opportunity_id,
                       COUNT(*) AS quotation_count,
                       COUNT(*) FILTER (WHERE o.state = 'sale') AS order_count,
                       SUM(CASE WHEN o.state = 'sale'
                                THEN o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1)
                                ELSE 0 END) AS order_amount
                  FROM sale_order o
                 WHERE o.opportunity_id IS NOT NULL
              GROUP BY o.opportunity_id
            ) so ON so.opportunity_id = l.id
        """)

    def _where(self):
        return SQL("l.type = 'opportunity'")
