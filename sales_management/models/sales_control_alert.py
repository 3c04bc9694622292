# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Deviation alerts: the daily comparison of running approved targets with their pace.

A target whose actual falls below the company's "at risk" share of its expected-to-date
value (default 90 %), or "off track" share (default 75 %), gets that alert level; its plan
takes the worst level of its targets. The first time a target reaches a level, a
``sales.control.alert`` row is claimed (unique target/level, ``INSERT ... ON CONFLICT DO
NOTHING``), a message is posted on the plan and a "Corrective action" activity is scheduled
for the responsible's manager, with the numbers and the members (salespeople, customers,
products) that contribute most to the gap. The message notifies the salesperson concerned
(the plan's responsible, the target's salesperson): they learn it as early as their manager.
"""

import logging
from datetime import timedelta

import psycopg2
from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL, formatLang

from .res_company import sales_health
from .sales_metric import DIMENSIONS

_logger = logging.getLogger(__name__)

ALERT_LEVELS = [("at_risk", "At Risk"), ("off_track", "Off Track")]
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
        # _create_from_alert reads the alert with sudo() (its note becomes the action's
        # description): only for an alert the caller reads
        self.check_access("read")
        action = self.env["sales.corrective.action"]._create_from_alert(self)
        return action._get_form_action()

    # ------------------------------------------------------------------ job
    @api.model
    def _cron_deviation_alerts(self):
        """Scheduled action: compare every running approved target with its pace; its
        last log line says how many targets failed (``sales.job.failure``)."""
        Failure = self.env["sales.job.failure"]
        since = Failure._last_id()
        alerts = self._run_deviation_alerts()
        Failure._report_run("deviation_alerts", since, len(alerts))

    @api.model
    def _run_deviation_alerts(self):
        """Evaluate the running targets in batches; return the alerts created.

        A failing target (or company, or plan) is skipped and recorded
        (``sales.job.failure``, and a note on its plan); the others go on: when the
        figures of a batch fail, they are computed target by target. Safe to rerun and to
        run concurrently: alerts are claimed per target and level."""
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
            except Exception as error:  # isolate the company
                self.env.invalidate_all()
                self.env["sales.job.failure"]._record("deviation_alerts", company, error)
        batch_size = self.env.context.get("sales_control_batch_size") or BATCH_SIZE
        Digest = self.env["sales.control.digest"]
        for start in range(0, len(all_targets), batch_size):
            batch = all_targets[start:start + batch_size]
            figures, batch = self._batch_figures(batch)
            self._prepare_gap_contributors(batch, figures, today)
            # a second worker skips the targets the first one evaluated meanwhile (instead
            # of failing on their rows, with an error logged for each)
            free = self._lock_rows("sales_plan_target", batch.ids)
            for target in batch:
                if target.id not in free:
                    _logger.info("Deviation alert of target %s: evaluated by a concurrent "
                                 "worker", target.id)
                    continue
                try:
                    with self.env.cr.savepoint():
                        alerts |= self._evaluate_target(target, figures[target.id], today)
                except psycopg2.errors.SerializationFailure:
                    # a concurrent worker evaluated this target and committed since this
                    # transaction began (repeatable read): its result stands
                    self.env.invalidate_all()
                    _logger.info("Deviation alert of target %s: evaluated by a concurrent "
                                 "worker", target.id)
                except Exception as error:  # isolate the target
                    self.env.invalidate_all()
                    self.env["sales.job.failure"]._record("deviation_alerts", target, error)
            plans = batch.plan_id
            free_plans = self._lock_rows("sales_plan", plans.ids)
            try:
                with self.env.cr.savepoint():
                    plans.browse(sorted(free_plans))._update_alert_health()
            except psycopg2.errors.SerializationFailure:
                self.env.invalidate_all()
                _logger.info("Deviation alerts: plan health updated by a concurrent worker")
            except Exception:  # plan by plan, to find the failing one
                self.env.invalidate_all()
                for plan in plans.browse(sorted(free_plans)):
                    try:
                        with self.env.cr.savepoint():
                            plan._update_alert_health()
                    except Exception as error:  # isolate the plan
                        self.env.invalidate_all()
                        self.env["sales.job.failure"]._record("deviation_alerts", plan,
                                                              error)
            done = min(start + batch_size, len(all_targets))
            Digest._control_commit_batch(done, len(all_targets) - done)
            Digest._clear_cache()  # memory bounded by a batch
        return alerts

    @api.model
    def _batch_figures(self, batch):
        """``(figures, targets)``: the figures of the batch in one computation, or, when
        that fails, target by target, the failing ones recorded and left out."""
        try:
            with self.env.cr.savepoint():
                return batch.with_context(tz="UTC")._get_figures(), batch
        except Exception:  # find the failing target(s) below
            self.env.invalidate_all()
        figures, ok = {}, batch.browse()
        for target in batch:
            try:
                with self.env.cr.savepoint():
                    figures.update(target.with_context(tz="UTC")._get_figures())
                    ok |= target
            except Exception as error:  # isolate the target
                self.env.invalidate_all()
                self.env["sales.job.failure"]._record("deviation_alerts", target, error)
        return figures, ok

    @api.model
    def _lock_rows(self, table, ids):
        """Lock the rows ``ids`` of ``table`` for this transaction (``FOR NO KEY UPDATE``,
        in id order: two workers cannot deadlock) and return the ids locked: all of
        them, but those a concurrent worker changed and committed since this transaction
        began (repeatable read) — that worker's result stands, this one leaves them.
        One query; one per row only when a concurrent worker is at it."""
        if not ids:
            return set()
        self.env.flush_all()

        def lock(row_ids):
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(SQL(
                        "SELECT id FROM %s WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                        SQL.identifier(table), list(row_ids),
                    ), log_exceptions=False)
                    return True
            except psycopg2.errors.SerializationFailure:
                return False

        if lock(ids):
            return set(ids)
        return {row_id for row_id in ids if lock([row_id])}

    @api.model
    def _level_from_pace(self, pace, company):
        """The same thresholds as the targets' live ``health`` (Settings → Planning)."""
        on_track, at_risk = company._sales_health_thresholds()
        return sales_health(pace, 0.0, None, None, None, on_track, at_risk)

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
        contributors = figures.get("gap_contributors")
        if contributors is None:  # not prepared for the batch (see below)
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
        # the salesperson concerned is notified too (inbox or e-mail, their preference)
        plan.message_post(body=alert.note, subtype_xmlid="mail.mt_note",
                          partner_ids=self._alert_salespersons(target, manager).partner_id.ids)
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
    def _alert_salespersons(self, target, manager):
        """Who the alert concerns besides the manager (who gets the activity): the plan's
        responsible and the salesperson the target is set on, active internal users."""
        users = target.plan_id.user_id | target.user_id
        return users.filtered(lambda u: u.active and not u.share and u != manager)

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
    def _prepare_gap_contributors(self, targets, figures, today):
        """Compute the gap contributors of the targets of a batch that are about to get a
        new alert (behind their pace, no alert at that level yet) all at once, into
        ``figures[target_id]["gap_contributors"]``: a few grouped queries per metric for
        the whole batch instead of several per alert. The claim still decides which alert
        is created; a failure here only means each alert computes its own."""
        pending = {}
        self.env.cr.execute(SQL(
            "SELECT target_id, level FROM sales_control_alert WHERE target_id = ANY(%s)",
            targets.ids,
        ))
        existing = set(self.env.cr.fetchall())
        for target in targets:
            values = figures.get(target.id)
            if not values:
                continue
            expected = values["expected_to_date"]
            pace = 100.0 * values["actual_value"] / expected if expected else 100.0
            level = self._level_from_pace(pace, target.company_id)
            if level != "on_track" and (target.id, level) not in existing:
                pending[target.id] = expected
        if not pending:
            return
        try:
            with self.env.cr.savepoint():
                contributors = self._gap_contributors_batch(
                    targets.browse(list(pending)), pending, today,
                )
        except Exception:
            _logger.exception("Deviation alerts: batch contributor analysis failed")
            self.env.invalidate_all()
            return
        for target_id, result in contributors.items():
            figures[target_id]["gap_contributors"] = result

    @api.model
    def _gap_contributors(self, target, expected, today):
        """Members of each dimension (salesperson, customer, product) that contribute most
        to the gap (see ``_gap_contributors_batch``)."""
        return self._gap_contributors_batch(target, {target.id: expected}, today)[target.id]

    @api.model
    def _gap_contributors_batch(self, targets, expected, today):
        """Members of each dimension (salesperson, customer, product) that contribute most
        to the gap of each target; ``expected``: ``{target_id: expected-to-date value}``.

        A salesperson with her own target for the same metric, period and scope (see
        ``_own_targets``) is expected what her own target expects to date: one expected
        value per person, whichever screen shows it. Every other member is expected its
        share of the target's value not given to those own targets — its share of the same
        elapsed window one year earlier among these members (with no history there, an
        equal share of the members active now) — prorated the way the target is
        (``sales.plan.target._expected_value``, the target's seasonality). Without own
        targets that is the member's share of the target's expected-to-date value, and
        the contributions (actual minus expected) of a dimension add up to the target's
        gap; they still do when the own targets fit in the target and share its
        seasonality. Returns ``{target_id: [{dimension, label, members: [{id, name, actual,
        expected, gap}]}]}`` with the most negative contributions first.

        Set-based over the targets: per metric, one query per (dimension, slot shape) for
        the members with history, and one ``_compute_values`` for every member's actual
        now and a year earlier.
        """
        result = {target.id: [] for target in targets}
        last_year = relativedelta(years=1)
        by_metric = {}
        for target in targets:
            metric = target.metric_id.sudo()
            # repeat customers are sets, not sums of rows: no per-row contributors
            if metric and metric.is_additive and metric.source != "repeat_customer":
                by_metric.setdefault(metric, []).append(target)
        names_wanted = {}
        rows_of = {}
        slots = targets._slots()
        Target = self.env["sales.plan.target"]
        for metric, metric_targets in by_metric.items():
            supported = metric._supported_dimensions()
            own_targets = self._own_targets(metric, metric_targets, today)
            entries = []  # (target, dim, slot, reference)
            for target in metric_targets:
                slot = slots[target.id]._asdict()
                reference = dict(
                    slot, date_from=slot["date_from"] - last_year,
                    date_to=min(today, slot["date_to"]) - last_year,
                )
                for dim in CONTRIBUTOR_DIMENSIONS:
                    if slot.get(dim) or dim not in supported:
                        continue
                    entries.append((target, dim, slot, reference))
            member_values = self._member_values(metric, entries)
            for index, (target, dim, _slot, _reference) in enumerate(entries):
                found = dict(member_values[index])
                # {member: expected to date of her own target}
                own = own_targets.get(target.id, {}) if dim == "user_id" else {}
                for member in own:
                    found.setdefault(member, [0.0, 0.0])
                dim_members = sorted(found)
                if not dim_members:
                    continue
                others = [m for m in dim_members if m not in own]
                ref_total = sum(found[m][1] for m in others)
                active = [m for m in others if found[m][0]]
                if own:
                    # the target's value the own targets leave to the other members
                    rest = max(target.target_value - sum(v[0] for v in own.values()), 0.0)
                rows = []
                for member in dim_members:
                    actual = found[member][0]
                    if member in own:
                        member_expected = own[member][1]
                    else:
                        if ref_total:
                            share = found[member][1] / ref_total
                        else:
                            share = 1.0 / len(active) if member in active else 0.0
                        if own:
                            member_expected = Target._expected_value(
                                target.date_from, target.date_to, rest * share,
                                target.seasonality, True, today,
                            )
                        else:
                            member_expected = expected[target.id] * share
                    rows.append({
                        "id": member, "actual": actual, "expected": member_expected,
                        "gap": actual - member_expected,
                    })
                rows = sorted((r for r in rows if r["gap"] < 0), key=lambda r: r["gap"])
                rows = rows[:TOP_CONTRIBUTORS]
                if rows:
                    comodel = target._fields[dim].comodel_name
                    names_wanted.setdefault(comodel, set()).update(r["id"] for r in rows)
                    rows_of[(target.id, dim)] = (comodel, rows)
        names = {
            comodel: {rec.id: rec.display_name for rec in self.env[comodel].sudo().browse(ids)}
            for comodel, ids in names_wanted.items()
        }
        for target in targets:
            for dim in CONTRIBUTOR_DIMENSIONS:
                if (target.id, dim) not in rows_of:
                    continue
                comodel, rows = rows_of[(target.id, dim)]
                for row in rows:
                    row["name"] = names[comodel][row["id"]]
                result[target.id].append({
                    "dimension": dim, "label": target._fields[dim].string, "members": rows,
                })
        return result

    @api.model
    def _own_targets(self, metric, targets, today):
        """The salespeople's own targets behind ``targets`` (of ``metric``):
        ``{target_id: {user_id: (target value, expected to date)}}``.

        A salesperson's own target for a target is a target of the same metric, company
        and period whose scope (``_slots()``) is the target's narrowed to her — the same
        team, customer, region... — in a plan of the same plan tree that is not
        cancelled; her own plan's target (a salesperson plan) comes first, then the
        lowest id. Its expected value is the one its own figures give
        (``_expected_value``, with its seasonality): one query for the candidates."""
        Target = self.env["sales.plan.target"].sudo()
        target_slots = Target.browse([t.id for t in targets])._slots()
        targets = [t for t in targets if not target_slots[t.id].user_id]
        if not targets:
            return {}
        candidates = Target.search([
            ("metric_id", "=", metric.id),
            ("company_id", "in", list({t.company_id.id for t in targets})),
            ("date_from", "in", list({t.date_from for t in targets})),
            ("date_to", "in", list({t.date_to for t in targets})),
            ("plan_id.state", "!=", "cancelled"),
            "|", ("user_id", "!=", False), ("plan_id.scope", "=", "user"),
        ], order="id")
        roots = {}
        for plan in (candidates.plan_id | Target.browse([t.id for t in targets]).plan_id):
            roots[plan.id] = (plan.parent_path or f"{plan.id}/").split("/")[0]
        by_key = {}
        candidate_slots = candidates._slots()
        for candidate in candidates:
            slot = candidate_slots[candidate.id]._asdict()
            user_id = slot.get("user_id")
            if not user_id:
                continue
            key = (candidate.company_id.id, candidate.date_from, candidate.date_to,
                   roots[candidate.plan_id.id])
            by_key.setdefault(key, []).append((candidate, slot))
        result = {}
        for target in targets:
            scope = target_slots[target.id]._asdict()
            key = (target.company_id.id, target.date_from, target.date_to,
                   roots[target.plan_id.id])
            chosen = {}
            for candidate, slot in by_key.get(key, []):
                user_id = slot["user_id"]
                if candidate.id == target.id or any(
                    slot.get(dim) != scope.get(dim) for dim in (*DIMENSIONS, "region_id")
                    if dim != "user_id" and (dim != "team_id" or scope.get(dim))
                ):
                    continue
                own_plan = candidate.plan_id.scope == "user" \
                    and candidate.plan_id.user_id.id == user_id
                rank = (0 if own_plan else 1, candidate.id)
                if user_id not in chosen or rank < chosen[user_id][0]:
                    chosen[user_id] = (rank, candidate)
            if chosen:
                result[target.id] = {
                    user_id: (own.target_value, own._expected_value(
                        own.date_from, own.date_to, own.target_value, own.seasonality,
                        True, today,
                    ))
                    for user_id, (_rank, own) in chosen.items()
                }
        return result

    @api.model
    def _member_values(self, metric, entries):
        """For each ``(target, dim, slot, reference)`` of ``entries``: ``{member: [value
        in the slot, value in the reference]}`` for every member of ``dim`` with source
        rows in either period. One grouped query per dimension and slot shape for all the
        entries (instead of two queries per entry for the members and one for their
        values): the metric's source rows joined with the slots like
        ``sales.metric._compute_values`` does, grouped by slot, period and member.

        A member with rows only outside the slot's restrictions is left out, where the
        per-target analysis had it with zero values: it contributes nothing (no share,
        no actual), so the result is the same."""
        result = [{} for _entry in entries]
        groups = {}
        for index, (_target, dim, slot, reference) in enumerate(entries):
            dims = tuple(d for d in DIMENSIONS if slot.get(d))
            shape = (dim, dims, bool(slot.get("region_id")))
            groups.setdefault(shape, []).extend(
                [(index, 0, slot), (index, 1, reference)]
            )
        for (dim, dims, has_region), rows in groups.items():
            column = "commercial_partner_id" if dim == "partner_id" else dim
            columns = ["idx", "period", "company_id", "date_from", "date_to", *dims]
            arrays = [
                SQL("%s::integer[]", [index for index, _period, _slot in rows]),
                SQL("%s::integer[]", [period for _index, period, _slot in rows]),
                SQL("%s::integer[]", [slot["company_id"] for _i, _p, slot in rows]),
                SQL("%s::date[]", [fields.Date.to_string(slot["date_from"])
                                   for _i, _p, slot in rows]),
                SQL("%s::date[]", [fields.Date.to_string(slot["date_to"])
                                   for _i, _p, slot in rows]),
                *(SQL("%s::integer[]", [slot[d] for _i, _p, slot in rows]) for d in dims),
            ]
            if has_region:
                columns.append("region_id")
                arrays.append(SQL("%s::integer[]", [slot["region_id"] for _i, _p, slot in rows]))
            date_from = min(fields.Date.to_date(slot["date_from"]) for _i, _p, slot in rows)
            date_to = max(fields.Date.to_date(slot["date_to"]) for _i, _p, slot in rows)
            self.env.flush_all()
            self.env.cr.execute(SQL(
                """
                SELECT t.idx, t.period, r.%(column)s, %(aggregate)s
                  FROM (%(rows)s) AS r
                  JOIN %(table)s ON %(conditions)s
                 WHERE r.%(dim)s IS NOT NULL AND r.%(column)s IS NOT NULL
                   AND r.date >= %(date_from)s::date AND r.date < %(date_to)s::date + 1
              GROUP BY t.idx, t.period, r.%(column)s
                """,
                column=SQL.identifier(column), aggregate=metric._aggregate_sql(),
                rows=metric._source_rows_sql(), table=metric._unnest_table(columns, arrays),
                conditions=SQL(" AND ").join(metric._slot_conditions(dims, has_region)),
                dim=SQL.identifier(dim),
                date_from=date_from, date_to=date_to,
            ))
            for index, period, member, value in self.env.cr.fetchall():
                result[index].setdefault(member, [0.0, 0.0])[period] = float(value or 0.0)
        return result

    def _format_value(self, value):
        return self.target_id._format_figure(value)

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
