# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Skills and behaviours a salesperson is rated on, and the KPI that shows each from the
records.

A competency describes five levels ("what good looks like" at 1..5) and may be linked to a
KPI that the addon already defines elsewhere, never a second definition of it:

* ``metric``: a ``sales.metric`` of the figures engine (prospecting: *Opportunities
  Created*; closing: *Win Rate*), computed by ``sales.metric._compute_all``;
* ``milestone_conversion``: the milestone funnel's *Conversion to Next (%)* of a milestone
  (``sales.milestone.funnel.report``, the first milestone when none is set): discovery;
* ``activity_on_time``: the activity quality report's *On Time (%)*
  (``sales.milestone.activity.report``: activities done on the salesperson's
  opportunities by their deadline): CRM discipline.
"""

from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

KPI_TYPES = [
    ("none", "None"),
    ("metric", "Sales metric"),
    ("milestone_conversion", "Milestone conversion to next (%)"),
    ("activity_on_time", "Activities done on time (%)"),
]


class SalesCompetency(models.Model):
    _name = "sales.competency"
    _description = "Sales Competency"
    _inherit = ["sales.input.guard.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        help="Leave empty to share the competency between companies.",
    )
    description = fields.Text(translate=True)
    level1_description = fields.Text(string="Level 1", translate=True)
    level2_description = fields.Text(string="Level 2", translate=True)
    level3_description = fields.Text(string="Level 3", translate=True)
    level4_description = fields.Text(string="Level 4", translate=True)
    level5_description = fields.Text(string="Level 5", translate=True)
    kpi_type = fields.Selection(
        selection=KPI_TYPES, string="Linked KPI", required=True, default="none",
        help="The figure, computed from the records, that shows this competency at work.",
    )
    metric_id = fields.Many2one(
        comodel_name="sales.metric", string="Metric", check_company=True,
        ondelete="restrict",
    )
    milestone_id = fields.Many2one(
        comodel_name="sales.milestone", string="From Milestone", check_company=True,
        ondelete="set null",
        help="Conversion from this milestone to the next one; empty: the first milestone.",
    )
    kpi_unit = fields.Selection(
        selection=[("percent", "Percent"), ("count", "Count"), ("amount", "Amount"),
                   ("quantity", "Quantity")],
        compute="_compute_kpi_unit",
    )
    rating_count = fields.Integer(compute="_compute_rating_count")

    @api.depends("kpi_type", "metric_id.unit")
    def _compute_kpi_unit(self):
        for competency in self:
            if competency.kpi_type == "metric":
                competency.kpi_unit = competency.metric_id.unit
            elif competency.kpi_type == "none":
                competency.kpi_unit = False
            else:
                competency.kpi_unit = "percent"

    def _compute_rating_count(self):
        counts = dict(self.env["sales.competency.rating"]._read_group(
            [("competency_id", "in", self.ids)], ["competency_id"], ["__count"],
        ))
        for competency in self:
            competency.rating_count = counts.get(competency, 0)

    @api.constrains("kpi_type", "metric_id")
    def _check_kpi(self):
        for competency in self:
            if competency.kpi_type == "metric" and not competency.metric_id:
                raise ValidationError(self.env._(
                    "Competency %(name)s: pick the metric its KPI reads.",
                    name=competency.name,
                ))

    # ------------------------------------------------------------------ helpers
    def _level_description(self, level):
        """The descriptor of ``level`` (1..5) of this competency."""
        self.ensure_one()
        if not level or not 1 <= int(level) <= 5:
            return False
        return self[f"level{int(level)}_description"]

    def _first_milestone(self):
        """The milestone a conversion KPI starts from: the competency's, or the first
        active milestone (by sequence) of the current company or of none."""
        self.ensure_one()
        if self.milestone_id:
            return self.milestone_id
        return self.env["sales.milestone"].sudo().search(
            [("company_id", "in", [self.env.company.id, False])], order="sequence, id",
            limit=1,
        )

    def _kpi_values(self, users, date_from, date_to):
        """The linked KPI of each competency of ``self`` for each of ``users`` over
        ``date_from``..``date_to`` (dates, both included), in the current company:
        ``{user_id: {competency_id: float or None}}``.

        ``None``: the competency has no KPI, or the KPI is a ratio without any case in
        the period (no milestone reached, no activity done, nothing won or lost). A count
        without any record is 0.0.

        One grouped query per KPI (the metrics share one query per source), never one
        per user. Computed as superuser: the caller shows the values only to a user
        allowed to see those salespersons' figures (themself, their leader, managers),
        or as a team aggregate (the median).
        """
        users = users if isinstance(users, models.BaseModel) else \
            self.env["res.users"].browse(users)
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        result = {user.id: dict.fromkeys(self.ids) for user in users}
        if not users or not self:
            return result
        company = self.env.company
        # the report rows are dated by timestamps: the period is [from 00:00, to+1 00:00)
        dt_from = datetime.combine(date_from, time.min)
        dt_to = datetime.combine(date_to + timedelta(days=1), time.min)
        # metrics: the figures engine, one query per source for all of them
        metric_competencies = self.filtered(lambda c: c.kpi_type == "metric")
        slots_by_metric = {
            metric: [{"key": user.id, "company_id": company.id, "date_from": date_from,
                      "date_to": date_to, "user_id": user.id} for user in users]
            for metric in metric_competencies.metric_id.sudo()
        }
        if slots_by_metric:
            values = self.env["sales.metric"].sudo()._compute_all(slots_by_metric)
            for competency in metric_competencies:
                by_user = values.get(competency.metric_id.id, {})
                for user in users:
                    value = by_user.get(user.id)
                    result[user.id][competency.id] = None if value is None else float(value)
        # the milestone funnel's conversion to the next milestone
        Funnel = self.env["sales.milestone.funnel.report"].sudo()
        for competency in self.filtered(lambda c: c.kpi_type == "milestone_conversion"):
            milestone = competency._first_milestone()
            if not milestone:
                continue
            groups = Funnel._read_group([
                ("milestone_id", "=", milestone.id), ("is_passed", "=", False),
                ("date_reached", ">=", dt_from), ("date_reached", "<", dt_to),
                ("user_id", "in", users.ids), ("company_id", "in", [company.id, False]),
            ], ["user_id"], ["conversion_next:avg"])
            for user, value in groups:
                if value is not None:
                    result[user.id][competency.id] = float(value)
        # the activity quality report's share of activities done on time
        Activity = self.env["sales.milestone.activity.report"].sudo()
        for competency in self.filtered(lambda c: c.kpi_type == "activity_on_time"):
            groups = Activity._read_group([
                ("done_count", "=", 1),
                ("date", ">=", dt_from), ("date", "<", dt_to),
                ("user_id", "in", users.ids), ("company_id", "in", [company.id, False]),
            ], ["user_id"], ["on_time_pct:avg"])
            for user, value in groups:
                if value is not None:
                    result[user.id][competency.id] = float(value)
        return result
