# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class SalesMilestoneForecastReport(models.Model):
    """Revenue forecast of the open pipeline by expected closing month: milestone-weighted
    expected revenue beside CRM's own probability-weighted (prorated) revenue."""

    _name = "sales.milestone.forecast.report"
    _inherit = ["sales.opportunity.report.mixin"]
    _description = "Milestone Revenue Forecast"
    _auto = False
    _order = "date_deadline"
    _rec_name = "lead_id"

    lead_id = fields.Many2one(comodel_name="crm.lead", string="Opportunity", readonly=True)
    date_deadline = fields.Date(string="Expected Closing", readonly=True)
    milestone_id = fields.Many2one(comodel_name="sales.milestone", readonly=True)
    stage_id = fields.Many2one(comodel_name="crm.stage", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    nbr = fields.Integer(string="# Opportunities", readonly=True, aggregator="sum")
    expected_revenue = fields.Monetary(readonly=True, currency_field="currency_id")
    prorated_revenue = fields.Monetary(
        string="CRM Weighted Revenue", readonly=True, currency_field="currency_id",
        help="Expected revenue × CRM probability (CRM's own forecast).",
    )
    milestone_expected_revenue = fields.Monetary(
        string="Milestone-Weighted Revenue", readonly=True, currency_field="currency_id",
        help="Expected revenue × milestone probability learnt from history.",
    )
    milestone_probability = fields.Float(readonly=True, aggregator="avg", digits=(16, 1))
    probability = fields.Float(string="CRM Probability", readonly=True, aggregator="avg")

    def _select(self):
        return SQL("""
            l.id AS id,
            l.id AS lead_id,
            l.date_deadline AS date_deadline,
            l.milestone_id AS milestone_id,
            l.stage_id AS stage_id,
            l.team_id AS team_id,
            l.user_id AS user_id,
            %(team_leader)s AS team_user_id,
            l.company_id AS company_id,
            c.currency_id AS currency_id,
            1 AS nbr,
            COALESCE(l.expected_revenue, 0) AS expected_revenue,
            COALESCE(l.prorated_revenue, 0) AS prorated_revenue,
            COALESCE(l.milestone_expected_revenue, 0) AS milestone_expected_revenue,
            COALESCE(l.milestone_probability, 0) AS milestone_probability,
            COALESCE(l.probability, 0) AS probability
        """, team_leader=self.TEAM_LEADER)

    def _from(self):
        return SQL("""
            crm_lead l
            JOIN res_company c ON c.id = l.company_id
            LEFT JOIN crm_stage s ON s.id = l.stage_id
        """)

    def _where(self):
        return SQL(
            "l.type = 'opportunity' AND l.active AND NOT COALESCE(s.is_won, FALSE)"
        )
