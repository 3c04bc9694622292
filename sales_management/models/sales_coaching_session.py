# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""1:1 coaching sessions between a salesperson and their coach (issue 19, point 3).

A session has a salesperson, a coach (the leader of the salesperson's team by default; a
sales manager may coach anyone), a date and a state changed only by its buttons. Its
**agenda** is prepared by the system from the data (``action_prepare_agenda``, and on
creation) and stored as a snapshot, so that it reads the same later:

a. pace and gap of the salesperson's running targets, with the gap contributors of the
   targets behind their pace (``sales.plan.target._get_figures`` and
   ``sales.control.alert._gap_contributors_batch``: the figures of every other screen);
b. overdue to-dos and overdue activities;
c. stalled opportunities (``crm.lead.milestone_stalled``);
d. the weakest milestone conversion against the team's median and top quartile
   (``sales.milestone.funnel.report``'s ``conversion_next``);
e. the linked KPIs of the two lowest-rated competencies, against the team's median
   (``sales.competency.rating._lowest_competencies``, ``sales.competency._kpi_values``);
f. the agreed actions of the last session and their state.

Shared notes are read by the salesperson; private notes live in their own model
(``sales.coaching.note.private``) whose record rules never give them to the salesperson.
Agreed actions (``sales.coaching.action``) become to-dos or activities, and the next
session is scheduled as an activity of the coach.
"""

import statistics
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date, formatLang

from .sales_input_guard import check_input, check_vals

SESSION_STATES = [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")]
ACTION_STATES = [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")]
# the window of milestone conversions compared with the team (section d)
CONVERSION_WINDOW_DAYS = 365
# days between two sessions when the coach does not say
DEFAULT_INTERVAL_DAYS = 14
AGENDA_LIST_LIMIT = 10
# the window of the competencies' KPIs (section e)
KPI_WINDOW_DAYS = 90


class SalesCoachingSession(models.Model):
    _name = "sales.coaching.session"
    _description = "Sales 1:1 Coaching Session"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "sales.link.guard.mixin",
        "sales.workflow.guard.mixin", "sales.input.guard.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True
    # the state moves by the buttons; the agenda is the system's snapshot
    _workflow_fields = frozenset({"state", "agenda", "agenda_data", "agenda_date"})
    _link_guard_fields = {"user_id": "assign", "coach_id": "assign", "team_id": "assign"}

    # ------------------------------------------------------------------ fields
    user_id = fields.Many2one(
        comodel_name="res.users", string="Salesperson", required=True, index=True,
        tracking=True, domain=[("share", "=", False)], check_company=True,
    )
    coach_id = fields.Many2one(
        comodel_name="res.users", string="Coach", required=True, index=True, tracking=True,
        domain=[("share", "=", False)], check_company=True,
        compute="_compute_coach_id", store=True, readonly=False, precompute=True,
        help="The leader of the salesperson's team by default; a sales manager may coach "
        "anyone.",
    )
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", index=True, check_company=True,
        compute="_compute_team_id", store=True, readonly=False, precompute=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True,
        default=lambda self: self.env.company,
    )
    date = fields.Date(
        required=True, index=True, tracking=True, default=fields.Date.context_today,
    )
    state = fields.Selection(
        selection=SESSION_STATES, default="planned", required=True, index=True,
        tracking=True, readonly=True, copy=False,
    )
    agenda = fields.Html(
        readonly=True, copy=False, sanitize=True,
        help="Prepared by the system from the figures (button Prepare Agenda); kept as "
        "prepared so that it reads the same later.",
    )
    agenda_data = fields.Json(readonly=True, copy=False)
    agenda_date = fields.Datetime(string="Agenda Prepared On", readonly=True, copy=False)
    shared_note = fields.Html(
        string="Shared Notes", help="What was discussed; the salesperson reads them.",
    )
    private_note = fields.Html(
        string="Private Notes", compute="_compute_private_note",
        inverse="_inverse_private_note", search="_search_private_note", sanitize=True,
        help="Only the coach, the team leader and the sales managers read them; never the "
        "salesperson.",
    )
    can_coach = fields.Boolean(compute="_compute_can_coach")
    action_ids = fields.One2many(
        comodel_name="sales.coaching.action", inverse_name="session_id",
        string="Agreed Actions",
    )
    action_count = fields.Integer(compute="_compute_action_count")
    action_open_count = fields.Integer(compute="_compute_action_count")
    action_to_convert_count = fields.Integer(compute="_compute_action_count")
    next_date = fields.Date(
        string="Next Session On",
        help="When the next session takes place (button Schedule Next); two weeks after "
        "this one when empty.",
    )
    next_session_id = fields.Many2one(
        comodel_name="sales.coaching.session", string="Next Session", readonly=True,
        copy=False, ondelete="set null",
    )

    # ------------------------------------------------------------------ computes
    @api.depends("user_id")
    def _compute_team_id(self):
        for session in self:
            session.team_id = session.user_id.sale_team_id

    @api.depends("user_id", "team_id")
    def _compute_coach_id(self):
        for session in self:
            if session.coach_id and session.coach_id != session.user_id:
                continue
            leader = session.team_id.user_id
            if leader and leader != session.user_id:
                session.coach_id = leader
            elif session.env.user != session.user_id:
                session.coach_id = session.env.user
            else:
                session.coach_id = False

    @api.depends_context("uid")
    def _compute_private_note(self):
        """The private notes the caller may read: the note model's record rules decide
        (a salesperson never reads the notes on their own sessions)."""
        notes = self.env["sales.coaching.note.private"].search_fetch(
            [("session_id", "in", self.ids)], ["session_id", "body"],
        ) if self.ids else []
        by_session = {note.session_id.id: note.body for note in notes}
        for session in self:
            session.private_note = by_session.get(session.id, False)

    def _inverse_private_note(self):
        Note = self.env["sales.coaching.note.private"]
        for session in self:
            if not session.id:
                continue
            if not session._may_coach():
                raise AccessError(self.env._(
                    "Only the coach, the team leader and the sales managers write the "
                    "private notes of a coaching session."))
            note = Note.search([("session_id", "=", session.id)], limit=1)
            if note:
                note.body = session.private_note
            elif session.private_note:
                Note.create({"session_id": session.id, "body": session.private_note})

    def _search_private_note(self, operator, value):
        """Searched in the notes the caller reads (their record rules): a salesperson's
        search finds nothing, not even by guessing words."""
        notes = self.env["sales.coaching.note.private"]._search([("body", operator, value)])
        return [("id", "in", notes.subselect("session_id"))]

    @api.depends_context("uid")
    @api.depends("user_id", "coach_id", "team_id")
    def _compute_can_coach(self):
        for session in self:
            session.can_coach = session._may_coach()

    @api.depends("action_ids.state", "action_ids.is_converted")
    def _compute_action_count(self):
        for session in self:
            open_actions = session.action_ids.filtered(lambda a: a.state == "open")
            session.action_count = len(session.action_ids)
            session.action_open_count = len(open_actions)
            session.action_to_convert_count = len(
                open_actions.filtered(lambda a: not a.is_converted))

    def _compute_display_name(self):
        for session in self:
            if not session.user_id:
                session.display_name = self.env._("New 1:1")
                continue
            session.display_name = self.env._(
                "1:1 %(user)s, %(date)s", user=session.user_id.name,
                date=format_date(self.env, session.date) if session.date else "",
            )

    # ------------------------------------------------------------------ constraints
    @api.constrains("user_id", "coach_id")
    def _check_coach(self):
        for session in self:
            if session.coach_id == session.user_id:
                raise ValidationError(self.env._(
                    "%(user)s cannot coach themselves: choose another coach.",
                    user=session.user_id.name,
                ))

    @api.constrains("date", "next_date")
    def _check_input_guard(self):
        check_input(self, dates=("date", "next_date"))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = check_vals(self, vals_list)
        self._check_workflow_fields(vals_list, create=True)
        self._check_links(vals_list)
        sessions = super().create(vals_list)
        # the creator passed the create rule (coach, team leader or manager)
        sessions._prepare_agenda()
        return sessions

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        self._check_workflow_fields([vals])
        self._check_links([vals])
        return super().write(vals)

    # ------------------------------------------------------------------ actions
    def action_prepare_agenda(self):
        """(Re)prepare the agenda from today's data: a snapshot kept until the next
        preparation. Coach, team leader or manager, on a planned session."""
        self._check_coach_rights()
        self._check_state("planned")
        self.action_ids._sync_state()
        self._prepare_agenda()
        return True

    def action_done(self):
        self._check_coach_rights()
        self._check_state("planned")
        self.action_ids._sync_state()
        self._workflow_write({"state": "done"})
        return True

    def action_cancel(self):
        self._check_coach_rights()
        self._check_state("planned")
        self._workflow_write({"state": "cancelled"})
        return True

    def action_reset_planned(self):
        self._check_coach_rights()
        if self.filtered(lambda s: s.state == "planned"):
            raise UserError(self.env._("The session is already planned."))
        self._workflow_write({"state": "planned"})
        return True

    def action_convert_actions(self):
        """Every agreed action not converted yet becomes a to-do (when it names a sales
        task) or an activity (on its opportunity, else on the session), with its owner and
        deadline."""
        self._check_coach_rights()
        actions = self.action_ids.filtered(lambda a: a.state == "open" and not a.is_converted)
        if not actions:
            raise UserError(self.env._("There is no open agreed action left to convert."))
        actions._convert()
        return True

    def action_schedule_next(self):
        """The next session: planned on ``next_date`` (two weeks later by default), with
        an activity for the coach on its date."""
        self.ensure_one()
        self._check_coach_rights()
        if self.next_session_id:
            raise UserError(self.env._(
                "The next session is already scheduled: %(name)s.",
                name=self.next_session_id.display_name,
            ))
        date = self.next_date or (max(self.date, fields.Date.context_today(self))
                                  + timedelta(days=DEFAULT_INTERVAL_DAYS))
        if date <= self.date:
            raise UserError(self.env._("The next session must come after this one."))
        Session = self.sudo().with_context(mail_create_nosubscribe=True)
        session = Session.create({
            "user_id": self.user_id.id, "coach_id": self.coach_id.id,
            "team_id": self.team_id.id, "company_id": self.company_id.id, "date": date,
        })
        session.activity_schedule(
            "sales_management.mail_activity_type_coaching_session",
            date_deadline=date, user_id=self.coach_id.id,
            summary=self.env._("1:1 with %(user)s", user=self.user_id.name),
        )
        self.sudo().next_session_id = session
        return session.with_env(self.env)._get_records_action(
            view_mode="form", target="current", context={})

    # ------------------------------------------------------------------ rights
    def _may_coach(self):
        """Whether the current user coaches this session: its coach, the leader of its
        team, or a sales manager — never its salesperson."""
        self.ensure_one()
        user = self.env.user
        if user == self.user_id:
            return False
        if self.env.su or user.has_group("sales_team.group_sale_manager"):
            return True
        return user in (self.coach_id | self.sudo().team_id.user_id)

    def _check_coach_rights(self):
        self.check_access("write")
        refused = self.filtered(lambda s: not s._may_coach())
        if refused:
            raise AccessError(self.env._(
                "Only the coach, the team leader or a sales manager runs the session "
                "%(name)s.", name=", ".join(refused.mapped("display_name")),
            ))

    def _check_state(self, state):
        wrong = self.filtered(lambda s: s.state != state)
        if wrong:
            raise UserError(self.env._(
                "These sessions are not %(state)s: %(names)s",
                state=dict(SESSION_STATES)[state].lower(),
                names=", ".join(wrong.mapped("display_name")),
            ))

    # ------------------------------------------------------------------ business
    @api.model
    def _next_session(self, users):
        """``{user_id: session}``: the next planned session of each of ``users`` (today
        or later; the earliest, then the lowest id), in ONE query. The caller's read rules
        apply: server code reading for someone else (the weekly feedback mail) calls it
        with ``sudo()`` after its own check."""
        today = fields.Date.context_today(self)
        sessions = self.search_fetch([
            ("user_id", "in", users.ids), ("state", "=", "planned"), ("date", ">=", today),
        ], ["user_id", "date"], order="user_id, date, id")
        result = {}
        for session in sessions:
            result.setdefault(session.user_id.id, session)
        return result

    def _prepare_agenda(self):
        """Write the agenda snapshot of the sessions (``_agenda_values``): HTML and
        structured data. Callers have checked the rights."""
        now = fields.Datetime.now()
        for session in self:
            data = session.sudo()._agenda_values()
            session._workflow_write({
                "agenda_data": data,
                "agenda": session.sudo()._render_agenda(data),
                "agenda_date": now,
            })

    def _agenda_values(self):
        """The agenda's content as plain data (JSON), one key per section."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        session = self.with_company(self.company_id)
        return {
            "date": fields.Date.to_string(today),
            "targets": session._agenda_targets(today),
            "overdue_todos": session._agenda_overdue_todos(today),
            "overdue_activities": session._agenda_overdue_activities(today),
            "stalled_deals": session._agenda_stalled_deals(),
            "conversion": session._agenda_conversion(today),
            "competencies": session._agenda_competencies(today),
            "last_actions": session._agenda_last_actions(),
        }

    def _running_targets(self, today):
        """The salesperson's running targets: today in their period, for them (the
        target's salesperson, or their own salesperson plan), of a plan submitted or
        approved (a draft is still being written; the dashboard leaves out only the
        cancelled plans, the deviation alerts watch the approved ones)."""
        uid = self.user_id.id
        return self.env["sales.plan.target"].search([
            ("company_id", "=", self.company_id.id),
            ("plan_id.state", "in", ("submitted", "approved")),
            ("date_from", "<=", today), ("date_to", ">=", today),
            "|", ("user_id", "=", uid),
            "&", ("user_id", "=", False),
            "&", ("plan_id.scope", "=", "user"), ("plan_id.user_id", "=", uid),
        ], order="date_to, id")

    def _agenda_targets(self, today):
        """(a) Pace and gap of each running target (``_get_figures``), and for those behind
        their pace the main gap contributors (``_gap_contributors_batch``, the deviation
        alerts' analysis)."""
        targets = self._running_targets(today)
        if not targets:
            return []
        figures = targets._get_figures()
        behind = targets.filtered(lambda t: figures[t.id]["variance"] < 0)
        contributors = self.env["sales.control.alert"]._gap_contributors_batch(
            behind, {t.id: figures[t.id]["expected_to_date"] for t in behind}, today,
        ) if behind else {}
        rows = []
        for target in targets:
            values = figures[target.id]
            for group in contributors.get(target.id, []):
                for member in group["members"]:
                    member["formatted_gap"] = target._format_figure(member["gap"])
            rows.append({
                "id": target.id,
                "name": target.display_name,
                "plan": target.plan_id.display_name,
                "unit": target.metric_id.unit,
                "target": target.target_value,
                "expected": values["expected_to_date"],
                "actual": values["actual_value"],
                "pace": values["pace"],
                "gap": values["variance"],
                "health": values["health"],
                "contributors": contributors.get(target.id, []),
                "formatted": {
                    key: target._format_figure(values[field])
                    for key, field in (("expected", "expected_to_date"),
                                       ("actual", "actual_value"), ("gap", "variance"))
                } | {"target": target._format_figure(target.target_value)},
            })
        return rows

    def _agenda_overdue_todos(self, today):
        """(b) The salesperson's to-dos past their deadline."""
        todos = self.env["sales.task.todo"].search([
            ("user_id", "=", self.user_id.id), ("state", "=", "todo"),
            ("date_deadline", "<", today), ("company_id", "in", [self.company_id.id, False]),
        ], order="date_deadline, id")
        return [{
            "id": todo.id, "name": todo.name, "task": todo.task_id.name,
            "deadline": fields.Date.to_string(todo.date_deadline),
            "days_late": (today - todo.date_deadline).days,
        } for todo in todos]

    def _agenda_overdue_activities(self, today):
        """(b) The salesperson's activities past their deadline (to-do reminders left out:
        the to-dos are listed above)."""
        activities = self.env["mail.activity"].search([
            ("user_id", "=", self.user_id.id), ("date_deadline", "<", today),
            ("sales_task_todo_id", "=", False),
        ], order="date_deadline, id")
        return [{
            "id": activity.id, "summary": activity.summary or activity.activity_type_id.name,
            "record": activity.res_name, "model": activity.res_model,
            "deadline": fields.Date.to_string(activity.date_deadline),
            "days_late": (today - activity.date_deadline).days,
        } for activity in activities]

    def _agenda_stalled_deals(self):
        """(c) The salesperson's opportunities stalled in their milestone (longer than the
        company's factor × the milestone's median duration)."""
        leads = self.env["crm.lead"].search([
            ("user_id", "=", self.user_id.id), ("type", "=", "opportunity"),
            ("company_id", "in", [self.company_id.id, False]),
            ("milestone_stalled", "=", True),
        ], order="milestone_date, id")
        return [{
            "id": lead.id, "name": lead.name, "milestone": lead.milestone_id.name,
            "days": lead.milestone_days, "expected_revenue": lead.expected_revenue,
        } for lead in leads]

    def _agenda_conversion(self, today):
        """(d) The salesperson's weakest milestone conversion against the team.

        The conversion of a milestone is the funnel report's ``conversion_next``: the share
        of the opportunities that reached it (over the last ``CONVERSION_WINDOW_DAYS``) and
        went on to a next milestone. Per milestone, the team's median and top quartile
        (75th percentile, linear interpolation like PostgreSQL's ``percentile_cont``) are
        taken over the team's salespersons with opportunities reaching it. The weakest
        milestone is the one furthest below the team median (won milestones left out);
        none when the salesperson is at or above the median everywhere."""
        team = self.team_id
        if not team:
            return {}
        rows = self.env["sales.milestone.funnel.report"]._read_group([
            ("team_id", "=", team.id), ("company_id", "=", self.company_id.id),
            ("is_passed", "=", False), ("user_id", "!=", False),
            ("milestone_id.is_won", "=", False),
            ("date_reached", ">=", fields.Datetime.to_datetime(today)
             - timedelta(days=CONVERSION_WINDOW_DAYS)),
        ], ["milestone_id", "user_id"], ["conversion_next:avg", "reached_count:sum"])
        by_milestone = {}
        for milestone, user, conversion, reached in rows:
            if reached:
                by_milestone.setdefault(milestone, {})[user.id] = conversion or 0.0
        weakest = None
        for milestone, values in sorted(by_milestone.items(),
                                        key=lambda item: (item[0].sequence, item[0].id)):
            own = values.get(self.user_id.id)
            if own is None or len(values) < 2:
                continue
            team_values = list(values.values())
            median = statistics.median(team_values)
            top_quartile = statistics.quantiles(team_values, n=4, method="inclusive")[2]
            gap = own - median
            if gap < 0 and (weakest is None or gap < weakest["gap"]):
                weakest = {
                    "milestone_id": milestone.id, "milestone": milestone.name,
                    "conversion": own, "median": median, "top_quartile": top_quartile,
                    "gap": gap, "salespersons": len(team_values),
                }
        return weakest or {}

    def _agenda_competencies(self, today):
        """(e) The linked KPIs of the salesperson's two lowest-rated competencies
        (``sales.competency.rating._lowest_competencies``, ``sales.competency._kpi_values``)
        over the last ``KPI_WINDOW_DAYS``, next to the team's median of the same KPI (over
        the team's members)."""
        lowest = self.env["sales.competency.rating"]._lowest_competencies(self.user_id, limit=2)
        if not lowest:
            return []
        date_from = today - timedelta(days=KPI_WINDOW_DAYS - 1)
        members = (self.team_id.member_ids | self.user_id) - self.team_id.user_id \
            if self.team_id else self.user_id
        values = lowest._kpi_values(members, date_from, today)
        rows = []
        for competency in lowest:
            own = values[self.user_id.id][competency.id]
            team = [values[member.id][competency.id] for member in members
                    if values[member.id][competency.id] is not None]
            rows.append({
                "id": competency.id, "name": competency.name, "kpi_type": competency.kpi_type,
                "unit": competency.kpi_unit, "value": own,
                "team_median": statistics.median(team) if team else None,
                "date_from": fields.Date.to_string(date_from),
            })
        return rows

    def _agenda_last_actions(self):
        """(f) The agreed actions of the salesperson's last session before this one, with
        their state now (a to-do or activity done since counts)."""
        previous = self.search([
            ("user_id", "=", self.user_id.id), ("id", "!=", self.id),
            ("state", "=", "done"), ("date", "<=", self.date),
        ], order="date desc, id desc", limit=1)
        if not previous:
            return {}
        previous.action_ids._sync_state()
        return {
            "session_id": previous.id, "session": previous.display_name,
            "actions": [{
                "id": action.id, "name": action.name, "owner": action.user_id.name,
                "deadline": action.date_deadline and fields.Date.to_string(
                    action.date_deadline),
                "state": action.state,
            } for action in previous.action_ids],
        }

    def _render_agenda(self, data):
        """The agenda snapshot as HTML (what the form and the phone show)."""
        pct = lambda value: f"{formatLang(self.env, value, digits=1)} %"  # noqa: E731
        parts = []

        def section(title, items, empty):
            body = Markup("").join(Markup("<li>%s</li>") % item for item in items) if items \
                else Markup("<li><i>%s</i></li>") % empty
            parts.append(Markup("<h5>%s</h5><ul>%s</ul>") % (title, body))

        target_items = []
        for row in data["targets"]:
            item = self.env._("%(target)s: pace %(pace)s, gap %(gap)s (actual %(actual)s, expected "
                     "%(expected)s, target %(value)s)", target=row["name"],
                     pace=pct(row["pace"]), gap=row["formatted"]["gap"],
                     actual=row["formatted"]["actual"],
                     expected=row["formatted"]["expected"], value=row["formatted"]["target"])
            members = [
                self.env._("%(dimension)s %(name)s (%(gap)s)", dimension=group["label"],
                           name=member["name"], gap=member["formatted_gap"])
                for group in row["contributors"] for member in group["members"]
            ]
            if members:
                item += " — " + self.env._("main gap contributors: %(names)s",
                                  names=", ".join(members))
            target_items.append(item)
        section(self.env._("Targets: pace and gap"), target_items, self.env._("No running target."))
        section(self.env._("Overdue to-dos"), [
            self.env._("%(name)s (%(task)s), %(days)s days late", name=t["name"], task=t["task"],
              days=t["days_late"]) for t in data["overdue_todos"]
        ][:AGENDA_LIST_LIMIT], self.env._("None."))
        section(self.env._("Overdue activities"), [
            self.env._("%(summary)s on %(record)s, %(days)s days late", summary=a["summary"],
              record=a["record"] or "", days=a["days_late"])
            for a in data["overdue_activities"]
        ][:AGENDA_LIST_LIMIT], self.env._("None."))
        section(self.env._("Stalled deals"), [
            self.env._("%(name)s: %(days)s days in %(milestone)s", name=d["name"], days=d["days"],
              milestone=d["milestone"]) for d in data["stalled_deals"]
        ][:AGENDA_LIST_LIMIT], self.env._("None."))
        conversion = data["conversion"]
        section(self.env._("Weakest milestone conversion"), [self.env._(
            "%(milestone)s → next: %(own)s; team median %(median)s, top quartile "
            "%(top)s (%(count)s salespersons)", milestone=conversion["milestone"],
            own=pct(conversion["conversion"]), median=pct(conversion["median"]),
            top=pct(conversion["top_quartile"]), count=conversion["salespersons"],
        )] if conversion else [], self.env._("No milestone below the team median."))
        def kpi(value, unit):
            if value is None:
                return self.env._("no data")
            return pct(value) if unit == "percent" else formatLang(
                self.env, value, digits=0 if unit == "count" else 2)

        competencies = data.get("competencies", [])
        section(self.env._("Lowest-rated competencies: their KPIs"), [
            self.env._("%(name)s: %(value)s (team median %(median)s)", name=row["name"],
                       value=kpi(row["value"], row["unit"]),
                       median=kpi(row["team_median"], row["unit"]))
            if row["kpi_type"] != "none" else
            self.env._("%(name)s: no linked KPI", name=row["name"])
            for row in competencies
        ], self.env._("No rated competency."))
        last = data["last_actions"]
        states = dict(ACTION_STATES)
        section(
            self.env._("Agreed last time (%(session)s)", session=last["session"]) if last
            else self.env._("Agreed last time"),
            [self.env._("%(name)s — %(owner)s, %(state)s", name=a["name"], owner=a["owner"],
               state=states[a["state"]]) for a in last.get("actions", [])],
            self.env._("No previous session."),
        )
        return Markup("").join(parts)

