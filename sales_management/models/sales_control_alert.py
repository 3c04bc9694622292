# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Deviation alerts: the daily comparison of running approved targets with their pace.

A target whose actual falls below the company's "at risk" share of its expected-to-date
value (default 90 %), or "off track" share (default 75 %), gets that alert level; its plan
takes the worst level of its targets. The first time a target reaches a level, a
``sales.control.alert`` row is claimed (unique target/level, ``INSERT ... ON CONFLICT DO
NOTHING``), a message is posted on the plan and a "Corrective action" activity is scheduled
for the responsible's manager, with the numbers and the members (salespeople, customers,
products) that contribute most to the gap.
"""

import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL, format_amount, formatLang

_logger = logging.getLogger(__name__)

ALERT_LEVELS = [("at_risk", "At Risk"), ("off_track", "Off Track")]
HEALTH = [("on_track", "On Track"), ("at_risk", "At Risk"), ("off_track", "Off Track")]
HEALTH_RANK = {"on_track": 0, "at_risk": 1, "off_track": 2}
# dimensions analysed for gap contributors, with the column the metric sources group by
CONTRIBUTOR_DIMENSIONS = ("user_id", "partner_id", "product_id")
TOP_CONTRIBUTORS = 3
BATCH_SIZE = 100


class SalesControlAlert(models.Model):
    _name = "sales.control.alert"
    _description = "Sales Deviation Alert"
    _order = "date desc, id desc"
    _sql_constraints = [
        ("target_level_uniq", "unique(target_id, level)",
         "A target is alerted at most once per level."),
    ]

    target_id = fields.Many2one(
        comodel_name="sales.plan.target", required=True, readonly=True, ondelete="cascade",
        index=True,
    )
    plan_id = fields.Many2one(
        comodel_name="sales.plan", required=True, readonly=True, ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(comodel_name="res.company", readonly=True, index=True)
    level = fields.Selection(selection=ALERT_LEVELS, required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Notified", readonly=True, ondelete="set null",
    )
    activity_id = fields.Many2one(
        comodel_name="mail.activity", string="Activity", readonly=True, ondelete="set null",
    )
    target_value = fields.Float(string="Target Value", readonly=True)
    expected_to_date = fields.Float(readonly=True)
    actual_value = fields.Float(string="Actual", readonly=True)
    gap = fields.Float(readonly=True, help="Actual minus expected to date.")
    pace = fields.Float(readonly=True, help="Actual / expected to date, in %.")
    contributors = fields.Json(readonly=True)
    note = fields.Html(readonly=True)

    # ------------------------------------------------------------------ actions
    def action_create_corrective_action(self):
        """One click from an alert: a corrective action on its plan and target."""
        self.ensure_one()
        action = self.env["sales.corrective.action"]._create_from_alert(self)
        return action._get_form_action()

    # ------------------------------------------------------------------ job
    @api.model
    def _cron_deviation_alerts(self):
        """Scheduled action: compare every running approved target with its pace."""
        self._run_deviation_alerts()

    @api.model
    def _run_deviation_alerts(self):
        """Evaluate the running targets in batches; return the alerts created.

        A failing target (or company) is logged and skipped; the others go on. Safe to
        rerun and to run concurrently: alerts are claimed per target and level."""
        today = fields.Date.context_today(self)
        Target = self.env["sales.plan.target"].sudo()
        alerts = self.browse()
        companies = self.env["res.company"].sudo().search([])
        all_targets = Target.browse()
        for company in companies:
            try:
                all_targets |= Target.search([
                    ("company_id", "=", company.id),
                    ("plan_id.state", "=", "approved"),
                    ("date_from", "<=", today), ("date_to", ">=", today),
                ], order="id")
            except Exception:
                _logger.exception("Deviation alerts: listing the targets of %s failed",
                                  company.name)
        batch_size = self.env.context.get("sales_control_batch_size") or BATCH_SIZE
        Digest = self.env["sales.control.digest"]
        for start in range(0, len(all_targets), batch_size):
            batch = all_targets[start:start + batch_size]
            try:
                figures = batch.with_context(tz="UTC")._get_figures()
            except Exception:
                _logger.exception("Deviation alerts: computing figures failed")
                self.env.invalidate_all()
                continue
            for target in batch:
                try:
                    with self.env.cr.savepoint():
                        alerts |= self._evaluate_target(target, figures[target.id], today)
                except Exception:
                    self.env.invalidate_all()
                    _logger.exception("Deviation alert of target %s failed", target.id)
            try:
                with self.env.cr.savepoint():
                    batch.plan_id._update_alert_health()
            except Exception:
                self.env.invalidate_all()
                _logger.exception("Deviation alerts: updating plan health failed")
            done = min(start + batch_size, len(all_targets))
            Digest._control_commit_batch(done, len(all_targets) - done)
        return alerts

    @api.model
    def _level_from_pace(self, pace, company):
        """The same thresholds as the targets' live ``health`` (Settings → Planning)."""
        return self.env["sales.plan.target"]._health_from_pace(pace, company)

    @api.model
    def _evaluate_target(self, target, figures, today):
        """Set the target's alert level; on a level reached for the first time, claim the
        alert, post on the plan and schedule the manager's activity."""
        expected = figures["expected_to_date"]
        actual = figures["actual_value"]
        pace = 100.0 * actual / expected if expected else 100.0
        level = self._level_from_pace(pace, target.company_id)
        if target.alert_level != level:
            target.alert_level = level
        if level == "on_track":
            return self.browse()
        alert = self._claim(target, level, today)
        if not alert:
            return alert
        contributors = self._gap_contributors(target, expected, today)
        manager = self._responsible_manager(target.plan_id)
        alert.write({
            "target_value": target.target_value,
            "expected_to_date": expected,
            "actual_value": actual,
            "gap": actual - expected,
            "pace": pace,
            "contributors": contributors,
            "user_id": manager.id,
        })
        alert.note = alert._render_note()
        plan = target.plan_id.with_context(mail_create_nosubscribe=True)
        plan.message_post(body=alert.note, subtype_xmlid="mail.mt_note")
        if manager:
            activity = plan.activity_schedule(
                "sales_management.mail_activity_type_corrective_action",
                date_deadline=today + timedelta(days=3),
                summary=self.env._(
                    "%(level)s: %(target)s", level=dict(ALERT_LEVELS)[level],
                    target=target.display_name,
                ),
                note=alert.note,
                user_id=manager.id,
            )
            alert.activity_id = activity
        return alert

    @api.model
    def _claim(self, target, level, today):
        ids = self.env["sales.control.digest"]._control_claim(SQL(
            """
            INSERT INTO sales_control_alert (target_id, plan_id, company_id, level, date,
                                             create_uid, write_uid, create_date, write_date)
                 VALUES (%s, %s, %s, %s, %s, %s, %s, now() AT TIME ZONE 'UTC',
                         now() AT TIME ZONE 'UTC')
            ON CONFLICT (target_id, level) DO NOTHING
              RETURNING id
            """,
            target.id, target.plan_id.id, target.company_id.id, level, today,
            self.env.uid, self.env.uid,
        ))
        return self.browse(ids[:1])

    @api.model
    def _responsible_manager(self, plan):
        """The plan responsible's manager: the leader of the plan's team, else the parent
        plan's responsible, else the company's sales manager."""
        responsible = plan.user_id
        for candidate in (plan.team_id.user_id, plan.parent_id.user_id):
            if candidate and candidate != responsible:
                return candidate
        return self.env["sales.control.digest"]._company_sales_manager(plan.company_id)

    @api.model
    def _gap_contributors(self, target, expected, today):
        """Members of each dimension (salesperson, customer, product) that contribute most
        to the gap.

        A member's expected value is its share of the same elapsed window one year
        earlier, applied to the target's expected-to-date value (with no history there,
        an equal share of the members active now); its contribution is its actual minus
        that expectation, so the contributions of a dimension add up to the target's gap.
        Returns ``[{dimension, label, members: [{id, name, actual, expected, gap}]}]`` with
        the most negative contributions first.
        """
        metric = target.metric_id.sudo()
        if not metric or not metric.is_additive:
            return []
        slot = target._slot()
        last_year = relativedelta(years=1)
        reference = dict(
            slot, date_from=slot["date_from"] - last_year,
            date_to=min(today, slot["date_to"]) - last_year,
        )
        result = []
        for dim in CONTRIBUTOR_DIMENSIONS:
            if slot.get(dim) or dim not in metric._supported_dimensions():
                continue
            members = sorted(
                set(metric._distinct_values(dim, slot))
                | set(metric._distinct_values(dim, reference))
            )
            if not members:
                continue
            slots = []
            for member in members:
                slots.append(dict(slot, key=("now", member), **{dim: member}))
                slots.append(dict(reference, key=("ref", member), **{dim: member}))
            values = metric._compute_values(slots)
            ref_total = sum(values[("ref", m)] for m in members)
            active = [m for m in members if values[("now", m)]]
            rows = []
            for member in members:
                actual = values[("now", member)]
                if ref_total:
                    share = values[("ref", member)] / ref_total
                else:
                    share = 1.0 / len(active) if member in active else 0.0
                member_expected = expected * share
                rows.append({
                    "id": member, "actual": actual, "expected": member_expected,
                    "gap": actual - member_expected,
                })
            rows = sorted((r for r in rows if r["gap"] < 0), key=lambda r: r["gap"])
            rows = rows[:TOP_CONTRIBUTORS]
            comodel = target._fields[dim].comodel_name
            names = {
                rec.id: rec.display_name
                for rec in self.env[comodel].sudo().browse([r["id"] for r in rows])
            }
            for row in rows:
                row["name"] = names[row["id"]]
            if rows:
                result.append({
                    "dimension": dim, "label": target._fields[dim].string, "members": rows,
                })
        return result

    def _format_value(self, value):
        target = self.target_id
        if target.metric_id.unit == "amount":
            return format_amount(self.env, value, target.currency_id)
        return formatLang(self.env, value, digits=1 if target.metric_id.unit == "percent" else 0)

    def _render_note(self):
        """The alert as HTML: numbers and the main gap contributors."""
        self.ensure_one()
        fmt = self._format_value
        lines = [
            Markup("<p><b>%s</b></p>") % self.env._(
                "%(level)s: %(target)s (%(plan)s)",
                level=dict(ALERT_LEVELS)[self.level], target=self.target_id.display_name,
                plan=self.plan_id.display_name,
            ),
            Markup("<ul><li>%s</li><li>%s</li><li>%s</li><li>%s</li><li>%s</li></ul>") % (
                self.env._("Target: %(v)s", v=fmt(self.target_value)),
                self.env._("Expected to date: %(v)s", v=fmt(self.expected_to_date)),
                self.env._("Actual: %(v)s", v=fmt(self.actual_value)),
                self.env._("Gap: %(v)s", v=fmt(self.gap)),
                self.env._("Pace: %(v)s %%", v=formatLang(self.env, self.pace, digits=1)),
            ),
        ]
        for group in self.contributors or []:
            items = Markup("").join(
                Markup("<li>%s: %s (%s %s, %s %s)</li>") % (
                    member["name"], fmt(member["gap"]), self.env._("actual"),
                    fmt(member["actual"]), self.env._("expected"), fmt(member["expected"]),
                )
                for member in group["members"]
            )
            lines.append(Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Main gap contributors by %(dimension)s:",
                           dimension=escape(group["label"]).lower()),
                items,
            ))
        return Markup("").join(lines)


class SalesPlanTarget(models.Model):
    _inherit = "sales.plan.target"

    alert_level = fields.Selection(
        selection=HEALTH, string="Alert Health", readonly=True, copy=False, index=True,
        help="Set daily by the deviation alerts from the Control settings' thresholds.",
    )
    alert_ids = fields.One2many(
        comodel_name="sales.control.alert", inverse_name="target_id", string="Alerts",
        readonly=True,
    )


class SalesPlan(models.Model):
    _inherit = "sales.plan"

    alert_health = fields.Selection(
        selection=HEALTH, readonly=True, copy=False, index=True,
        help="Worst alert health of the plan's running targets (daily deviation alerts).",
    )
    corrective_action_ids = fields.One2many(
        comodel_name="sales.corrective.action", inverse_name="plan_id",
        string="Corrective Actions",
    )
    corrective_action_count = fields.Integer(compute="_compute_corrective_action_count")

    @api.depends("corrective_action_ids.state")
    def _compute_corrective_action_count(self):
        counts = dict(self.env["sales.corrective.action"]._read_group(
            [("plan_id", "in", self.ids), ("state", "=", "open")], ["plan_id"], ["__count"],
        ))
        for plan in self:
            plan.corrective_action_count = counts.get(plan, 0)

    def action_open_corrective_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_management.sales_corrective_action_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id, "search_default_open": 1}
        return action

    def action_new_corrective_action(self):
        """One click from the plan (its alert activity lives here): a corrective action on
        the target of the plan's latest, most severe alert, largest gap first (or the
        plan alone)."""
        self.ensure_one()
        alert = self.env["sales.control.alert"].sudo().search(
            [("plan_id", "=", self.id)], order="date desc, level desc, gap, id desc", limit=1,
        )
        Action = self.env["sales.corrective.action"]
        if alert:
            return Action._create_from_alert(alert)._get_form_action()
        return Action.create({"plan_id": self.id})._get_form_action()

    def _update_alert_health(self):
        """Plan health = worst alert level of its running targets."""
        today = fields.Date.context_today(self)
        levels = {}
        for target in self.sudo().target_ids:
            if target.date_from <= today <= target.date_to and target.alert_level:
                current = levels.get(target.plan_id.id, "on_track")
                if HEALTH_RANK[target.alert_level] > HEALTH_RANK[current]:
                    current = target.alert_level
                levels[target.plan_id.id] = current
        for plan in self.sudo():
            health = levels.get(plan.id, "on_track")
            if plan.alert_health != health:
                plan.alert_health = health
