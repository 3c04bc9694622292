# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .sales_input_guard import SALES_COMPANY_SETTINGS, check_vals


class ResConfigSettings(models.TransientModel):
    """Sales Management settings; every value is stored on the company (related fields)."""

    _inherit = "res.config.settings"

    # --- Planning (plans and targets) ---------------------------------------------------
    sales_plan_on_track_pace = fields.Float(
        related="company_id.sales_plan_on_track_pace", readonly=False
    )
    sales_plan_at_risk_pace = fields.Float(
        related="company_id.sales_plan_at_risk_pace", readonly=False
    )
    sales_plan_commitment_required = fields.Boolean(
        related="company_id.sales_plan_commitment_required", readonly=False
    )

    # --- Execution (sales tasks and to-dos) ----------------------------------------------
    sales_task_require_execution_plan = fields.Boolean(
        related="company_id.sales_task_require_execution_plan", readonly=False,
    )
    sales_overrun_tolerance = fields.Float(
        related="company_id.sales_overrun_tolerance", readonly=False,
    )

    # --- Tracking (transitional milestones) ----------------------------------------------
    milestone_window_months = fields.Integer(
        related="company_id.milestone_window_months", readonly=False,
    )
    milestone_min_closed = fields.Integer(
        related="company_id.milestone_min_closed", readonly=False,
    )
    milestone_stalled_factor = fields.Float(
        related="company_id.milestone_stalled_factor", readonly=False,
    )

    # --- Control (digests, escalation, deviation alerts) --------------------------------
    sales_control_digest_enabled = fields.Boolean(
        related="company_id.sales_control_digest_enabled", readonly=False,
    )
    sales_control_digest_leads = fields.Boolean(
        related="company_id.sales_control_digest_leads", readonly=False,
    )
    sales_control_digest_orders = fields.Boolean(
        related="company_id.sales_control_digest_orders", readonly=False,
    )
    sales_control_digest_tasks = fields.Boolean(
        related="company_id.sales_control_digest_tasks", readonly=False,
    )
    sales_control_digest_todos = fields.Boolean(
        related="company_id.sales_control_digest_todos", readonly=False,
    )
    sales_control_digest_plans = fields.Boolean(
        related="company_id.sales_control_digest_plans", readonly=False,
    )
    sales_control_escalation_leader_days = fields.Integer(
        related="company_id.sales_control_escalation_leader_days", readonly=False,
    )
    sales_control_escalation_manager_days = fields.Integer(
        related="company_id.sales_control_escalation_manager_days", readonly=False,
    )
    sales_control_manager_id = fields.Many2one(
        related="company_id.sales_control_manager_id", readonly=False,
    )

    # --- Reporting (KPI reports, scheduled management report) ----------------------------
    sales_report_recipient_ids = fields.Many2many(
        related="company_id.sales_report_recipient_ids", readonly=False,
    )
    sales_report_period = fields.Selection(
        related="company_id.sales_report_period", readonly=False,
    )

    # --- People (leaderboard score) -----------------------------------------------------
    sales_score_volume_weight = fields.Float(
        related="company_id.sales_score_volume_weight", readonly=False,
    )
    sales_score_operational_weight = fields.Float(
        related="company_id.sales_score_operational_weight", readonly=False,
    )

    # the addon's settings checked on the way in (their bounds: on the company, where the
    # related settings are stored)
    @api.model_create_multi
    def create(self, vals_list):
        return super().create(check_vals(self, vals_list, SALES_COMPANY_SETTINGS))

    def write(self, vals):
        return super().write(check_vals(self, [vals], SALES_COMPANY_SETTINGS)[0])
