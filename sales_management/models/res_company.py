# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from .res_users import fetch_fields
from .sales_input_guard import (
    COMPANY_SETTING_BOUNDS,
    SALES_COMPANY_SETTINGS,
    check_setting_bounds,
    check_vals,
)

# The health of a figure, read the same everywhere (screens, prints, exports): while its
# period runs, from its pace; before, "not started"; once over, achieved or missed.
HEALTH = [
    ("not_started", "Not Started"),
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("off_track", "Off Track"),
    ("achieved", "Achieved"),
    ("missed", "Missed"),
]
# what the daily deviation alerts set (running periods only)
PACE_HEALTH = HEALTH[1:4]
# The one mapping of a health to its colour, read by every surface: the Bootstrap context
# of the screens (badges and list decorations ``*-success``..., the dashboard's badges and
# bars ``text-bg-*``/``bg-*``) and, for the prints (PDF badges and charts), the hex colour
# of that context.
HEALTH_CONTEXT = {
    "not_started": "secondary", "on_track": "success", "at_risk": "warning",
    "off_track": "danger", "achieved": "success", "missed": "danger",
}
CONTEXT_COLOURS = {
    "secondary": "#6c757d", "success": "#28a745", "warning": "#f0ad4e", "danger": "#dc3545",
}
HEALTH_COLOURS = {health: CONTEXT_COLOURS[context] for health, context in HEALTH_CONTEXT.items()}
# the company's settings the figures read (``_sales_health_thresholds``,
# ``_sales_score_weights``): a screen showing both reads them in one query
HEALTH_THRESHOLD_FIELDS = ("sales_plan_on_track_pace", "sales_plan_at_risk_pace")
SCORE_WEIGHT_FIELDS = ("sales_score_volume_weight", "sales_score_operational_weight")


def health_styles(env):
    """``{health: {label, context, colour}}``: the label (in the user's language) and the
    colours of each health, as the dashboard, the PDF and the XLSX show it."""
    labels = dict(env["sales.plan"]._fields["health"]._description_selection(env))
    return {
        health: {"label": labels.get(health, health), "context": context,
                 "colour": HEALTH_COLOURS[health]}
        for health, context in HEALTH_CONTEXT.items()
    }


def sales_health(pace, achievement, date_from, date_to, today, on_track=90.0, at_risk=75.0):
    """The one definition of a figure's health (see ``HEALTH``); ``res.company``'s
    ``_sales_health`` gives it the company's thresholds."""
    if date_from and today < date_from:
        return "not_started"
    if date_to and today > date_to:
        return "achieved" if round(achievement, 6) >= 100.0 else "missed"
    if pace >= on_track:
        return "on_track"
    if pace >= at_risk:
        return "at_risk"
    return "off_track"


class ResCompany(models.Model):
    """Per-company settings of Sales Management (exposed in res.config.settings).

    Each feature keeps its settings in its own section below.
    """

    _inherit = "res.company"

    # --- Planning (plans and targets) ---------------------------------------------------
    sales_plan_on_track_pace = fields.Float(
        string="On Track from (% of pace)",
        default=90.0,
        help="A target is on track when its actual reaches this share of what should be "
        "reached by today.",
    )
    sales_plan_at_risk_pace = fields.Float(
        string="At Risk from (% of pace)",
        default=75.0,
        help="Below the on-track threshold but from this share on, a target is at risk; "
        "below it, off track.",
    )

    sales_plan_commitment_required = fields.Boolean(
        string="Commitment Required before Approval",
        help="A salesperson's plan is approved only once its commitment is accepted by the "
        "salesperson and countersigned by their team leader or a sales manager.",
    )

    @api.constrains("sales_plan_on_track_pace", "sales_plan_at_risk_pace")
    def _check_sales_plan_pace(self):
        for company in self:
            if not 0 < company.sales_plan_at_risk_pace <= company.sales_plan_on_track_pace <= 100:
                raise ValidationError(self.env._(
                    "The at-risk threshold must be positive and at most the on-track "
                    "threshold, itself at most 100 %."
                ))

    # --- Execution (sales tasks and to-dos) ----------------------------------------------
    sales_task_require_execution_plan = fields.Boolean(
        string="Execution Plan Required to Start Tasks",
        help="A sales task cannot start until its execution plan is written.",
    )
    sales_overrun_tolerance = fields.Float(
        string="Overrun Tolerance (%)", default=10.0,
        help="A to-do or task is flagged as over plan when its spent hours or used "
        "resources exceed what was planned by more than this percentage (0-1000).",
    )

    # --- Tracking (transitional milestones) ----------------------------------------------
    milestone_window_months = fields.Integer(
        string="Milestone History Window (months)", default=12,
        help="Milestone probabilities and durations are learnt from the milestones reached "
             "in this many trailing months.",
    )
    milestone_min_closed = fields.Integer(
        string="Minimum Closed Opportunities per Team", default=10,
        help="A team gets its own milestone probabilities once it has closed this many "
             "opportunities in the window; below that, the company-wide figures apply.",
    )
    milestone_stalled_factor = fields.Float(
        string="Stalled Factor", default=2.0,
        help="An opportunity is stalled when it stays in its milestone longer than this many "
             "times the milestone's median duration.",
    )

    @api.constrains("milestone_window_months", "milestone_min_closed", "milestone_stalled_factor")
    def _check_milestone_settings(self):
        for company in self:
            if company.milestone_window_months < 1:
                raise ValidationError(
                    self.env._("The milestone history window is at least one month.")
                )
            if company.milestone_min_closed < 0:
                raise ValidationError(
                    self.env._("The minimum of closed opportunities cannot be negative.")
                )
            if company.milestone_stalled_factor <= 0:
                raise ValidationError(self.env._("The stalled factor must be positive."))

    # --- Control (digests, escalation, deviation alerts) --------------------------------
    sales_control_digest_enabled = fields.Boolean(
        string="Daily Overdue Digest", default=True,
        help="Every morning, each user with overdue sales items receives one e-mail "
        "listing them.",
    )
    sales_control_digest_leads = fields.Boolean(string="Digest: Leads/Opportunities", default=True)
    sales_control_digest_orders = fields.Boolean(string="Digest: Quotations/Orders", default=True)
    sales_control_digest_tasks = fields.Boolean(string="Digest: Sales Tasks", default=True)
    sales_control_digest_todos = fields.Boolean(string="Digest: To-Dos", default=True)
    sales_control_digest_plans = fields.Boolean(string="Digest: Sales Plans", default=True)
    sales_control_escalation_leader_days = fields.Integer(
        string="Escalate to Team Leader After (days)", default=3,
        help="Days overdue after which an item appears in its team leader's digest "
        "(0: never).",
    )
    sales_control_escalation_manager_days = fields.Integer(
        string="Escalate to Manager After (days)", default=7,
        help="Days overdue after which an item appears in the sales manager's (or the "
        "parent plan responsible's) digest (0: never).",
    )
    sales_control_manager_id = fields.Many2one(
        comodel_name="res.users", string="Sales Manager for Escalations",
        domain=[("share", "=", False)],
        help="Receives the second escalation level and deviation alerts nobody closer is "
        "responsible for. Empty: the first sales manager of the company.",
    )

    @api.constrains(
        "sales_control_escalation_leader_days", "sales_control_escalation_manager_days",
    )
    def _check_sales_control_settings(self):
        for company in self:
            leader = company.sales_control_escalation_leader_days
            manager = company.sales_control_escalation_manager_days
            if leader < 0 or manager < 0:
                raise ValidationError(self.env._(
                    "%(company)s: escalation delays cannot be negative.", company=company.name,
                ))
            if leader and manager and manager < leader:
                raise ValidationError(self.env._(
                    "%(company)s: an item escalates to the manager (%(manager)s days) no "
                    "earlier than to the team leader (%(leader)s days).",
                    company=company.name, manager=manager, leader=leader,
                ))

    # --- Reporting (KPI reports, scheduled management report) ----------------------------
    sales_report_recipient_ids = fields.Many2many(
        comodel_name="res.partner", relation="res_company_sales_report_recipient_rel",
        column1="company_id", column2="partner_id", string="Management Report Recipients",
        help="Every month, these contacts receive the executive sales summary (PDF).",
    )
    sales_report_period = fields.Selection(
        selection=[("month", "The month just ended"), ("quarter", "Its quarter to date"),
                   ("year", "Its year to date")],
        string="Management Report Covers", default="month",
        help="Empty reads as the month just ended. Not NOT NULL in the database: a company "
        "created while this addon's models are not loaded (another module's install tests) "
        "gets no default.",
    )

    # --- People (leaderboard score) -----------------------------------------------------
    sales_score_volume_weight = fields.Float(
        string="Score Weight of Volume Metrics", default=70.0,
        help="Weight of each volume metric (revenue, orders, new customers...) in the "
        "leaderboard score: the achievement against the person's own target.",
    )
    sales_score_operational_weight = fields.Float(
        string="Score Weight of Operational Metrics", default=30.0,
        help="Weight of each operational metric (activities, opportunities created, win "
        "rate...) in the leaderboard score: the achievement against the person's own "
        "target.",
    )

    @api.constrains("sales_score_volume_weight", "sales_score_operational_weight")
    def _check_sales_score_weights(self):
        for company in self:
            if not company.sales_score_volume_weight + company.sales_score_operational_weight:
                raise ValidationError(self.env._(
                    "%(company)s: give the leaderboard score at least one weight.",
                    company=company.name,
                ))

    def _sales_score_weights(self):
        """{metric kind: weight} of the leaderboard score (``sales.recognition``)."""
        self.ensure_one()
        # these two columns only: a first access would fetch the company's whole record
        fetch_fields(self, SCORE_WEIGHT_FIELDS)
        return {"volume": self.sales_score_volume_weight,
                "operational": self.sales_score_operational_weight}

    @api.model
    def _cron_send_sales_management_report(self):
        """Monthly job: e-mail the executive summary of the period just ended to the
        recipients configured on each company (one mail per company, PDF attached).

        Idempotent (``sales.report.dispatch``: a rerun in the month sends nothing) and
        isolated: a company whose report fails is recorded (``sales.job.failure``) and
        the others are sent; committed per company when the scheduler runs it."""
        Failure = self.env["sales.job.failure"]
        since = Failure._last_id()
        companies = self.search([("sales_report_recipient_ids", "!=", False)])
        sent = self.env["mail.mail"]
        for done, company in enumerate(companies, 1):
            try:
                with self.env.cr.savepoint():
                    sent |= company._send_sales_management_report() or sent.browse()
            except Exception as error:  # isolate the company, go on
                self.env.invalidate_all()
                Failure._record("management_report", company, error)
            self.env["sales.control.digest"]._control_commit_batch(
                done, len(companies) - done)
        Failure._report_run("management_report", since, len(sent))
        return sent

    def _send_sales_management_report(self, date_ref=None):
        """Render and mail the report of the period ending ``date_ref`` (default: the
        last day of the previous month), once: nothing (False) when this period's report
        of the company was already claimed (``sales.report.dispatch``)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        date_ref = date_ref or today.replace(day=1) - relativedelta(days=1)
        period = self.sales_report_period or "month"
        dispatch = self.env["sales.report.dispatch"].sudo()._claim(self, date_ref, period)
        if not dispatch:
            return False
        data = {"period": period, "date_ref": fields.Date.to_string(date_ref)}
        report = self.env["ir.actions.report"].with_company(self).with_context(
            allowed_company_ids=[self.id],
        )
        pdf, _type = report._render_qweb_pdf(
            "sales_management.action_report_executive_summary", self.ids, data=data,
        )
        label = self.env["sales.management.dashboard"]._period_label(
            period, self.env["sales.management.dashboard"]._period_dates(
                period, date_ref)["date_from"],
        )
        name = self.env._("Executive Sales Summary %(period)s", period=label)
        attachment = self.env["ir.attachment"].create({
            "name": f"{name}.pdf",
            "type": "binary",
            "raw": pdf,
            "mimetype": "application/pdf",
            "res_model": "res.company",
            "res_id": self.id,
        })
        mail = self.env["mail.mail"].sudo().create({
            "subject": f"{self.name}: {name}",
            "body_html": Markup("<p>%s</p>") % self.env._(
                "Please find attached the executive sales summary of %(company)s for "
                "%(period)s.", company=self.name, period=label,
            ),
            "email_from": self.email_formatted or self.env.user.email_formatted,
            "recipient_ids": [Command.set(self.sales_report_recipient_ids.ids)],
            "attachment_ids": [Command.set(attachment.ids)],
            "auto_delete": False,
        })
        dispatch.mail_id = mail
        return mail

    # ------------------------------------------------------------------ settings' values
    # The addon's settings are checked on the way in like the documents' values (a text
    # for a number, NaN, infinity) and bounded (COMPANY_SETTING_BOUNDS). Only the addon's
    # fields: the core's company fields keep the core's rules.
    @api.model_create_multi
    def create(self, vals_list):
        return super().create(check_vals(self, vals_list, SALES_COMPANY_SETTINGS))

    def write(self, vals):
        return super().write(check_vals(self, [vals], SALES_COMPANY_SETTINGS)[0])

    @api.constrains(*COMPANY_SETTING_BOUNDS)
    def _check_sales_settings_bounds(self):
        check_setting_bounds(self)

    # ------------------------------------------------------------------ health of figures
    def _sales_health_thresholds(self):
        """(on-track pace, at-risk pace) of the company (defaults 90 % and 75 %)."""
        self.ensure_one()
        # these two columns only: a first access would fetch the company's whole record
        fetch_fields(self, HEALTH_THRESHOLD_FIELDS)
        return (self.sales_plan_on_track_pace or 90.0, self.sales_plan_at_risk_pace or 75.0)

    def _sales_health(self, pace, achievement, date_from, date_to, today):
        """``sales_health`` with the company's thresholds."""
        self.ensure_one()
        on_track, at_risk = self._sales_health_thresholds()
        return sales_health(pace, achievement, date_from, date_to, today, on_track, at_risk)
