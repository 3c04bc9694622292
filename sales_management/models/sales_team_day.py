# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Team Day: per salesperson, what was done yesterday, what is planned today and
tomorrow, the overdue count and the day's note, built from the records themselves
(issue 20, point 1).

One data method, ``get_team_day``, feeds the screen (``static/src/team_day``): one query
per source for all the people shown, never one per person. Who is shown is the
dashboard's scope (``sales.management.dashboard._get_scope``): a salesperson sees
themselves, a team leader their teams' members, "All Documents" and managers everyone in
a sales team of their companies (one team at a time when they choose one). What is shown
is read with the viewer's rights; a team leader's view of their members' activities,
messages and meetings, which Odoo's own rules hide from a leader with "Own Documents"
rights, is read as the dashboard reads their overdue counts: as superuser, bounded by the
members, and only on the documents the dashboard counts for them (opportunities and
orders, ``LEADER_MODELS``) of the viewer's companies; the members' work on other documents
is read with the viewer's rights. Each line says whether the viewer may open its record
(``openable``); a private meeting the viewer is not invited to shows as busy."""

from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from .sales_input_guard import check_date_param, check_ids_param

DETAIL_MAX = 160

#: The documents whose activities and messages a team leader reads as superuser for their
#: members (the dashboard's overdue activities are counted on the same models).
LEADER_MODELS = ("crm.lead", "sale.order")


class SalesTeamDay(models.AbstractModel):
    _name = "sales.team.day"
    _description = "Sales Team Day"

    # ------------------------------------------------------------------ public API
    @api.model
    def get_team_day(self, day=None, team_id=None):
        """The Team Day of ``day`` (default: today in the user's time zone): ``{date,
        yesterday, tomorrow, scope, teams, team_id, people: [{user_id, name, is_me,
        overdue, note, yesterday: [line], today: [line], tomorrow: [line]}]}``; a line is
        ``{kind, model, id, name, detail, time, openable}``."""
        today = self._check_day(day) or fields.Date.context_today(self)
        Dashboard = self.env["sales.management.dashboard"]
        scope = Dashboard._get_scope()
        teams = self._visible_teams(scope)
        if team_id not in (None, False):
            [team_id] = check_ids_param(self.env, [team_id], self.env._("Sales Team"))
            if team_id not in teams.ids:
                raise UserError(self.env._("You cannot see this sales team's day."))
        users = self._people(scope, teams, team_id)
        # read as the viewer, or as superuser bounded by the members for a team leader
        env = self.env(su=True) if scope["level"] == "team" else self.env
        yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
        people = {user.id: {
            "user_id": user.id, "name": user.name, "is_me": user == self.env.user,
            "overdue": 0, "note": False, "yesterday": [], "today": [], "tomorrow": [],
        } for user in users}
        days = {yesterday: "yesterday", today: "today", tomorrow: "tomorrow"}
        if users:
            lines = []
            lines += self._done_activities(env, users, yesterday)
            lines += self._orders(env, users, yesterday)
            lines += self._milestones(env, users, yesterday)
            lines += self._todos(env, users, yesterday, today, tomorrow)
            lines += self._activities(env, users, today, tomorrow)
            lines += self._meetings(env, users, today, tomorrow)
            self._mark_openable(lines)
            for uid, day_key, line in sorted(lines, key=lambda r: (r[2]["time"] or "",
                                                                 r[2]["name"] or "")):
                people[uid][days[day_key]].append(line)
            for uid, count in self._overdue_counts(scope, users, today).items():
                people[uid]["overdue"] = count
            for note in self.env["sales.day.note"].search([
                ("user_id", "in", users.ids), ("date", "=", today),
            ]):
                people[note.user_id.id]["note"] = {"id": note.id, "text": note.note or ""}
        ordered = sorted(people.values(), key=lambda p: (not p["is_me"], p["name"]))
        return {
            "date": fields.Date.to_string(today),
            "yesterday": fields.Date.to_string(yesterday),
            "tomorrow": fields.Date.to_string(tomorrow),
            "is_today": today == fields.Date.context_today(self),
            # one's note is written for today or a later day (sales.day.note)
            "note_open": today >= fields.Date.context_today(self),
            "scope": {"level": scope["level"], "label": scope["label"]},
            "teams": [{"id": team.id, "name": team.name} for team in teams],
            "team_id": team_id or False,
            "people": ordered,
        }

    # ------------------------------------------------------------------ parameters
    @api.model
    def _check_day(self, day):
        return check_date_param(self.env, day, self.env._("Day"))

    @api.model
    def _visible_teams(self, scope):
        if scope["level"] == "team":
            return self.env["crm.team"].browse(scope["team_ids"])
        if scope["level"] == "all":
            return self.env["crm.team"].search([])
        return self.env["crm.team"]

    @api.model
    def _people(self, scope, teams, team_id):
        """The salespersons shown: oneself (own), the led teams' members and oneself
        (team), everyone in a sales team of one's companies (all), or one team's."""
        user = self.env.user
        if scope["level"] == "own":
            return user
        if team_id:
            teams = teams.filtered(lambda t: t.id == team_id)
        people = (teams.sudo().member_ids | teams.sudo().user_id).filtered(
            lambda u: u.active and not u.share
            and set(u.company_ids.ids) & set(self.env.companies.ids))
        if scope["level"] == "team" and not team_id:
            people |= user
        return people.sorted("name").with_env(self.env)

    # ------------------------------------------------------------------ tools
    def _bounds(self, day, days=1):
        """UTC datetimes of the viewer's day ``day`` (``days`` days from it)."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        start = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)
        stop = tz.localize(datetime.combine(day + timedelta(days=days), time.min)).astimezone(
            pytz.utc)
        return start.replace(tzinfo=None), stop.replace(tzinfo=None)

    def _local_time(self, value):
        if not value:
            return ""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        return pytz.utc.localize(value).astimezone(tz).strftime("%H:%M")

    def _local_day(self, value):
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        return pytz.utc.localize(value).astimezone(tz).date()

    @staticmethod
    def _line(kind, model, res_id, name, detail="", at=""):
        return {"kind": kind, "model": model, "id": res_id, "name": name or "",
                "detail": (detail or "")[:DETAIL_MAX], "time": at, "openable": False}

    def _search_on_documents(self, env, model, domain, model_field):
        """``model`` records (activities, messages) attached to documents (``model_field``
        and ``res_id``) matching ``domain``, read as ``env``, on documents of the viewer's
        companies only (Odoo shows a user their own activities in every company). When
        ``env`` is the superuser's for a team leader, only those on ``LEADER_MODELS``
        documents are read so; the rest with the viewer's own rights."""
        if env.su and not self.env.su:
            records = env[model].search([*domain, (model_field, "in", LEADER_MODELS)]) \
                | self.env[model].search(
                    [*domain, (model_field, "not in", LEADER_MODELS)]).with_env(env)
        else:
            records = env[model].search(domain)
        documents = defaultdict(set)
        for record in records:
            documents[record[model_field]].add(record.res_id)
        kept = set()
        for doc_model, ids in documents.items():
            Document = self.env[doc_model].sudo() if doc_model in self.env else None
            if Document is None or "company_id" not in Document._fields \
                    or not Document._fields["company_id"].store:
                kept.update((doc_model, doc_id) for doc_id in ids)
                continue
            kept.update((doc_model, doc_id) for doc_id in Document.search([
                ("id", "in", list(ids)),
                ("company_id", "in", [*self.env.companies.ids, False]),
            ]).ids)
        return records.filtered(lambda r: (r[model_field], r.res_id) in kept)

    def _mark_openable(self, lines):
        """``openable``: the viewer may read the line's record (one query per model)."""
        by_model = defaultdict(set)
        for _uid, _day, line in lines:
            if line["model"] and line["id"]:
                by_model[line["model"]].add(line["id"])
        readable = {}
        for model, ids in by_model.items():
            if model not in self.env:
                continue
            records = self.env[model].browse(ids).exists()
            readable[model] = set(records._filtered_access("read").ids)
        for _uid, _day, line in lines:
            line["openable"] = line["id"] in readable.get(line["model"], ())

    # ------------------------------------------------------------------ sources
    def _done_activities(self, env, users, day):
        """Activities done on ``day`` (their messages), with the feedback given."""
        partner_user = {user.partner_id.id: user.id for user in users.sudo()}
        start, stop = self._bounds(day)
        messages = self._search_on_documents(env, "mail.message", [
            ("mail_activity_type_id", "!=", False), ("message_type", "=", "notification"),
            ("author_id", "in", list(partner_user)), ("model", "!=", False),
            ("date", ">=", start), ("date", "<", stop),
        ], "model")
        return [(partner_user[message.author_id.id], day, self._line(
            "activity_done", message.model, message.res_id,
            "%s: %s" % (message.mail_activity_type_id.name, message.record_name or ""),
            html2plaintext(message.body or "").strip(), self._local_time(message.date),
        )) for message in messages]

    def _orders(self, env, users, day):
        """Quotations sent and orders confirmed on ``day``."""
        start, stop = self._bounds(day)
        orders = env["sale.order"].search([
            ("user_id", "in", users.ids), ("company_id", "in", self.env.companies.ids),
            "|", "&", ("quotation_sent_date", ">=", start), ("quotation_sent_date", "<", stop),
            "&", "&", ("state", "=", "sale"), ("date_order", ">=", start),
            ("date_order", "<", stop),
        ])
        lines = []
        for order in orders:
            amount = order.currency_id.format(order.amount_untaxed)
            if order.quotation_sent_date and start <= order.quotation_sent_date < stop:
                lines.append((order.user_id.id, day, self._line(
                    "quotation", "sale.order", order.id, order.name,
                    "%s · %s" % (order.partner_id.display_name, amount),
                    self._local_time(order.quotation_sent_date))))
            if order.state == "sale" and start <= order.date_order < stop:
                lines.append((order.user_id.id, day, self._line(
                    "order", "sale.order", order.id, order.name,
                    "%s · %s" % (order.partner_id.display_name, amount),
                    self._local_time(order.date_order))))
        return lines

    def _milestones(self, env, users, day):
        """Milestones the salespersons' opportunities reached on ``day``."""
        start, stop = self._bounds(day)
        reached = env["sales.lead.milestone"].search([
            ("salesperson_id", "in", users.ids), ("date_reached", ">=", start),
            ("date_reached", "<", stop),
            ("company_id", "in", [*self.env.companies.ids, False]),
        ])
        return [(line.salesperson_id.id, day, self._line(
            "milestone", "crm.lead", line.lead_id.id,
            "%s: %s" % (line.milestone_id.name, line.lead_id.name),
            line.note or "", self._local_time(line.date_reached),
        )) for line in reached]

    def _todos(self, env, users, yesterday, today, tomorrow):
        """To-dos done yesterday, and those due today and tomorrow."""
        todos = env["sales.task.todo"].search([
            ("user_id", "in", users.ids), ("company_id", "in", self.env.companies.ids),
            "|", "&", ("state", "=", "done"), ("date_done", "=", yesterday),
            "&", ("state", "=", "todo"), ("date_deadline", "in", [today, tomorrow]),
        ])
        lines = []
        for todo in todos:
            day = yesterday if todo.state == "done" else todo.date_deadline
            lines.append((todo.user_id.id, day, self._line(
                "todo_done" if todo.state == "done" else "todo", "sales.task.todo", todo.id,
                todo.name, todo.task_id.name)))
        return lines

    def _activities(self, env, users, today, tomorrow):
        """Activities planned for today and tomorrow (on the document they are about)."""
        # a to-do's reminder is the to-do's own line
        todo_type = self.env.ref("sales_management.mail_activity_type_sales_todo",
                                 raise_if_not_found=False)
        activities = self._search_on_documents(env, "mail.activity", [
            ("user_id", "in", users.ids), ("date_deadline", "in", [today, tomorrow]),
            ("activity_type_id", "not in", todo_type.ids),
        ], "res_model")
        return [(activity.user_id.id, activity.date_deadline, self._line(
            "activity", activity.res_model, activity.res_id,
            "%s: %s" % (activity.activity_type_id.name or "",
                        activity.summary or activity.res_name or ""),
            activity.res_name if activity.summary else "",
        )) for activity in activities]

    def _meetings(self, env, users, today, tomorrow):
        """Meetings of today and tomorrow in the calendar, per attendee shown (not those
        they declined). Who attends is read apart: Odoo hides a private event's attendees
        from whoever is not invited, and such an event shows as busy."""
        start, stop = self._bounds(today, days=2)
        partner_user = {user.partner_id.id: user.id for user in users.sudo()}
        viewer = self.env.user
        events = env["calendar.event"].search([
            ("partner_ids", "in", list(partner_user)), ("start", "<", stop),
            ("stop", ">=", start),
        ], order="start")
        attendees = defaultdict(set)
        for event, partner in self.env["calendar.attendee"].sudo()._read_group([
            ("event_id", "in", events.ids), ("state", "!=", "declined"),
            ("partner_id", "in", [*partner_user, viewer.partner_id.id]),
        ], ["event_id", "partner_id"]):
            attendees[event.id].add(partner.id)
        lines = []
        for event in events:
            owner = event.user_id.sudo()
            private = (event.privacy == "private" or not event.privacy and owner
                       and owner.calendar_default_privacy == "private") \
                and owner != viewer and viewer.partner_id.id not in attendees[event.id]
            day = max(self._local_day(event.start), today)
            if day > tomorrow:
                continue
            for partner_id in sorted(attendees[event.id]):
                if partner_id not in partner_user:
                    continue
                lines.append((partner_user[partner_id], day, self._line(
                    "meeting", False if private else "calendar.event",
                    False if private else event.id,
                    self.env._("Busy") if private else event.name,
                    "" if private else (event.location or ""),
                    "" if event.allday else self._local_time(event.start))))
        return lines

    def _overdue_counts(self, scope, users, today):
        """``{user_id: overdue tasks + to-dos + activities}``: the dashboard's overdue
        (``sales.management.dashboard._overdue_domains``), per salesperson."""
        Dashboard = self.env["sales.management.dashboard"]
        counts = defaultdict(int)
        for model, domain in Dashboard._overdue_domains(today).items():
            Model = self.env[model]
            if model == "mail.activity" and scope["level"] == "team":
                Model = Model.sudo()  # bounded by the members, as the dashboard counts
            for user, count in Model._read_group(
                    [*domain, ("user_id", "in", users.ids)], ["user_id"], ["__count"]):
                counts[user.id] += count
        return counts
