"""Team Day (issue 20, point 1): per salesperson, yesterday's work, today's and
tomorrow's plan, the overdue count and the day's note, as each role sees it. Every
expected line comes from the records this test makes; the class runs frozen on Wednesday
2026-05-13 10:00 UTC (and on the calendar's edges, ``@on_edge_dates``), every date below
derived from that day."""

from datetime import datetime, time, timedelta

import psycopg2
from common import JsonRpcMixin, SalesManagementCommon, new_role_user, on_edge_dates

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase
from odoo.tools import mute_logger


@on_edge_dates
class TestTeamDay(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.user_salesman, cls.user_salesman_2, cls.user_other_team,
                     cls.user_leader, cls.user_manager):
            user.tz = "UTC"
        cls.day = fields.Date.context_today(cls.env["res.users"])
        cls.yesterday = cls.day - timedelta(days=1)
        cls.tomorrow = cls.day + timedelta(days=1)
        at = lambda day, hour: datetime.combine(day, time(hour, 0))  # noqa: E731
        Lead = cls.env["crm.lead"]
        cls.lead_sam = Lead.create({"name": "TD Sam's deal", "type": "opportunity",
                                    "user_id": cls.user_salesman.id, "team_id": cls.team.id,
                                    "partner_id": cls.customer_be.id})
        cls.lead_sara = Lead.create({"name": "TD Sara's deal", "type": "opportunity",
                                     "user_id": cls.user_salesman_2.id,
                                     "team_id": cls.team.id})
        cls.lead_otto = Lead.create({"name": "TD Otto's deal", "type": "opportunity",
                                     "user_id": cls.user_other_team.id,
                                     "team_id": cls.team_other.id})
        call = cls.env.ref("mail.mail_activity_data_call")
        meeting = cls.env.ref("mail.mail_activity_data_meeting")
        # yesterday: Sam's call done with its feedback (the message dated yesterday)
        done = cls.lead_sam.activity_schedule(
            activity_type_id=call.id, summary="TD call back", user_id=cls.user_salesman.id,
            date_deadline=cls.yesterday)
        done.with_user(cls.user_salesman).action_feedback(feedback="TD wants a demo")
        message = cls.lead_sam.message_ids.filtered("mail_activity_type_id")[:1]
        message.sudo().date = at(cls.yesterday, 15)
        message.flush_recordset()
        # yesterday: Sam sent a quotation, Sara confirmed an order
        cls.quotation = cls._create_order(cls.customer_be, cls.user_salesman,
                                          [(cls.product_goods, 1, 100.0)], confirm=False)
        cls.quotation.write({"state": "sent"})
        cls.quotation.quotation_sent_date = at(cls.yesterday, 9)
        cls.order = cls._create_order(cls.customer_us, cls.user_salesman_2,
                                      [(cls.product_goods, 2, 100.0)],
                                      date_order=at(cls.yesterday, 11))
        # yesterday: Sam's deal reached a milestone
        milestone = cls.env["sales.milestone"].search(
            [("company_id", "in", (cls.company.id, False))], limit=1)
        cls.reached = cls.env["sales.lead.milestone"].sudo().create({
            "lead_id": cls.lead_sam.id, "milestone_id": milestone.id,
            "date_reached": at(cls.yesterday, 16), "user_id": cls.user_salesman.id,
        }) if milestone else cls.env["sales.lead.milestone"]
        # to-dos: one done yesterday, one due tomorrow, one overdue
        cls.task = cls.env["sales.task"].create({
            "name": "TD task", "user_id": cls.user_salesman.id, "team_id": cls.team.id,
            "date_start": cls.day - timedelta(days=30),
            "todo_ids": [
                Command.create({"name": "TD done todo", "date_deadline": cls.yesterday}),
                Command.create({"name": "TD tomorrow todo", "date_deadline": cls.tomorrow}),
                Command.create({"name": "TD late todo",
                                "date_deadline": cls.day - timedelta(days=3)}),
            ],
        })
        done_todo = cls.task.todo_ids.filtered(lambda t: t.name == "TD done todo")
        done_todo.with_user(cls.user_salesman).action_done()
        done_todo.sudo().write({"date_done": cls.yesterday})
        # activities: Sam's meeting today, Sara's call tomorrow, Sam's late call
        cls.lead_sam.activity_schedule(
            activity_type_id=meeting.id, summary="TD demo", user_id=cls.user_salesman.id,
            date_deadline=cls.day)
        cls.lead_sara.activity_schedule(
            activity_type_id=call.id, summary="TD follow-up", user_id=cls.user_salesman_2.id,
            date_deadline=cls.tomorrow)
        cls.lead_sam.activity_schedule(
            activity_type_id=call.id, summary="TD late call", user_id=cls.user_salesman.id,
            date_deadline=cls.day - timedelta(days=2))
        cls.lead_otto.activity_schedule(
            activity_type_id=call.id, summary="TD Otto call", user_id=cls.user_other_team.id,
            date_deadline=cls.day)
        # calendar: Sam and Sara meet a customer today; Otto has a private meeting today
        Event = cls.env["calendar.event"]
        cls.event = Event.create({
            "name": "TD customer visit", "start": at(cls.day, 14), "stop": at(cls.day, 15),
            "user_id": cls.user_salesman.id,
            "partner_ids": [Command.set([cls.user_salesman.partner_id.id,
                                         cls.user_salesman_2.partner_id.id])],
        })
        cls.private = Event.create({
            "name": "TD private", "start": at(cls.day, 9), "stop": at(cls.day, 10),
            "user_id": cls.user_other_team.id, "privacy": "private",
            "partner_ids": [Command.set([cls.user_other_team.partner_id.id])],
        })
        cls.note = cls.env["sales.day.note"].with_user(cls.user_salesman).create({
            "date": cls.day, "note": "TD blocked on pricing",
        })

    def _day(self, user, **kwargs):
        self.env.invalidate_all()  # as in a request of its own: nothing read before
        return self.env["sales.team.day"].with_user(user).with_context(tz="UTC") \
            .get_team_day(fields.Date.to_string(self.day), **kwargs)

    @staticmethod
    def _person(data, user):
        [person] = [p for p in data["people"] if p["user_id"] == user.id]
        return person

    @staticmethod
    def _names(lines, kind=None):
        return sorted(line["name"] for line in lines if kind is None or line["kind"] == kind)

    def test_salesperson_sees_their_own_day(self):
        data = self._day(self.user_salesman)
        self.assertEqual((data["date"], data["yesterday"], data["tomorrow"]), (
            fields.Date.to_string(self.day), fields.Date.to_string(self.yesterday),
            fields.Date.to_string(self.tomorrow)))
        self.assertEqual([p["user_id"] for p in data["people"]], [self.user_salesman.id])
        sam = data["people"][0]
        self.assertTrue(sam["is_me"])
        # yesterday: the call done with its feedback, the quotation, the milestone, the to-do
        [call] = [line for line in sam["yesterday"] if line["kind"] == "activity_done"]
        self.assertEqual((call["model"], call["id"]), ("crm.lead", self.lead_sam.id))
        self.assertIn("TD wants a demo", call["detail"])
        self.assertEqual(call["time"], "15:00")
        self.assertEqual(self._names(sam["yesterday"], "quotation"), [self.quotation.name])
        self.assertEqual(self._names(sam["yesterday"], "todo_done"), ["TD done todo"])
        if self.reached:
            self.assertEqual([(line["model"], line["id"]) for line in sam["yesterday"]
                              if line["kind"] == "milestone"], [("crm.lead", self.lead_sam.id)])
        self.assertFalse([line for line in sam["yesterday"] if line["kind"] == "order"])
        # today: the meeting activity and the calendar visit; tomorrow: the to-do
        self.assertEqual(self._names(sam["today"], "activity"), ["Meeting: TD demo"])
        self.assertEqual(self._names(sam["today"], "meeting"), ["TD customer visit"])
        self.assertEqual(self._names(sam["tomorrow"]), ["TD tomorrow todo"])
        # overdue: the late to-do and the late call (the dashboard's definition)
        self.assertEqual(sam["overdue"], 2)
        dashboard = self.env["sales.management.dashboard"].with_user(self.user_salesman) \
            .get_dashboard_data("month", fields.Date.to_string(self.day))["kpis"]
        self.assertEqual(sam["overdue"], dashboard["overdue_todos"]
                         + dashboard["overdue_activities"] + dashboard["overdue_tasks"])
        self.assertEqual(sam["note"], {"id": self.note.id, "text": "TD blocked on pricing"})
        # every line of one's own opens its record
        self.assertTrue(all(line["openable"] for section in ("yesterday", "today", "tomorrow")
                            for line in sam[section]))

    def test_team_leader_sees_the_team(self):
        data = self._day(self.user_leader)
        self.assertEqual(data["scope"]["level"], "team")
        # oneself first, then by name
        self.assertEqual([p["user_id"] for p in data["people"]],
                         [self.user_leader.id, self.user_salesman.id, self.user_salesman_2.id])
        sara = self._person(data, self.user_salesman_2)
        self.assertEqual(self._names(sara["yesterday"], "order"), [self.order.name])
        self.assertEqual(self._names(sara["tomorrow"], "activity"), ["Call: TD follow-up"])
        self.assertEqual(self._names(sara["today"], "meeting"), ["TD customer visit"])
        sam = self._person(data, self.user_salesman)
        self.assertEqual(sam["note"]["text"], "TD blocked on pricing")
        self.assertEqual(sam["overdue"], 2)
        # a line opens only what the leader may read (Odoo's own rules on opportunities)
        Lead = self.env["crm.lead"].with_user(self.user_leader)
        can_read = bool(Lead.search([("id", "=", self.lead_sam.id)]))
        [call] = [line for line in sam["yesterday"] if line["kind"] == "activity_done"]
        self.assertEqual(call["openable"], can_read)
        # never another team's people
        self.assertNotIn(self.user_other_team.id, [p["user_id"] for p in data["people"]])
        with self.assertRaises(UserError):
            self._day(self.user_leader, team_id=self.team_other.id)

    def test_leader_reads_only_sales_documents_of_their_companies(self):
        """A leader with "Own Documents" rights reads the members' work on opportunities
        and orders of the leader's companies; not on another company's documents, nor on
        documents outside sales the leader may not read."""
        company_b = self.env["res.company"].create({"name": "TD Company B"})
        self.user_salesman.company_ids |= company_b
        call = self.env.ref("mail.mail_activity_data_call")
        lead_b = self.env["crm.lead"].create({
            "name": "TD foreign deal", "type": "opportunity", "company_id": company_b.id,
            "user_id": self.user_salesman.id})
        partner_b = self.env["res.partner"].create({"name": "TD foreign partner",
                                                    "company_id": company_b.id})
        for record, summary in ((lead_b, "TD foreign call"), (partner_b, "TD partner call")):
            record.activity_schedule(activity_type_id=call.id, summary=summary,
                                     user_id=self.user_salesman.id, date_deadline=self.day)
        done = lead_b.activity_schedule(activity_type_id=call.id, summary="TD foreign done",
                                        user_id=self.user_salesman.id,
                                        date_deadline=self.yesterday)
        done.with_user(self.user_salesman).with_company(company_b).action_feedback(
            feedback="TD foreign feedback")
        message = lead_b.message_ids.filtered("mail_activity_type_id")[:1]
        message.sudo().date = datetime.combine(self.yesterday, time(12, 0))
        self.env.flush_all()
        def day(viewer, company):
            self.env.invalidate_all()
            return self.env["sales.team.day"].with_user(viewer).with_context(
                tz="UTC", allowed_company_ids=company.ids).get_team_day(
                fields.Date.to_string(self.day))

        # in the web client's context: Company A enabled
        for viewer in (self.user_leader, self.user_manager, self.user_salesman):
            with self.subTest(viewer=viewer.login):
                sam = self._person(day(viewer, self.company), self.user_salesman)
                text = [line["name"] + line["detail"] for section in ("yesterday", "today")
                        for line in sam[section]]
                self.assertFalse([t for t in text if "foreign" in t or "partner call" in t])
                # the members' own-company work is still there
                self.assertIn("Meeting: TD demo", self._names(sam["today"], "activity"))
                self.assertTrue(any("TD wants a demo" in line["detail"]
                                    for line in sam["yesterday"]))
        # in Company B, Sam sees his own work there
        sam = day(self.user_salesman, company_b)["people"][0]
        self.assertIn("Call: TD foreign call", self._names(sam["today"], "activity"))
        self.assertTrue(any("TD foreign feedback" in line["detail"]
                            for line in sam["yesterday"]))

    def test_manager_sees_everyone_or_one_team(self):
        data = self._day(self.user_manager)
        ids = {p["user_id"] for p in data["people"]}
        self.assertTrue({self.user_salesman.id, self.user_salesman_2.id,
                         self.user_other_team.id, self.user_leader.id} <= ids)
        south = self._day(self.user_manager, team_id=self.team_other.id)
        self.assertEqual({p["user_id"] for p in south["people"]},
                         {self.user_other_team.id, self.user_manager.id})
        otto = self._person(south, self.user_other_team)
        self.assertEqual(self._names(otto["today"], "activity"), ["Call: TD Otto call"])
        # a private meeting the viewer is not invited to: busy, not opened
        [busy] = [line for line in otto["today"] if line["kind"] == "meeting"]
        self.assertEqual((busy["name"], busy["openable"], busy["id"]), ("Busy", False, False))

    def test_a_declined_meeting_is_not_planned(self):
        sara = self.event.attendee_ids.filtered(
            lambda a: a.partner_id == self.user_salesman_2.partner_id)
        sara.with_user(self.user_salesman_2).do_decline()
        data = self._day(self.user_leader)
        self.assertEqual(self._names(self._person(data, self.user_salesman_2)["today"],
                                     "meeting"), [])
        self.assertEqual(self._names(self._person(data, self.user_salesman)["today"],
                                     "meeting"), ["TD customer visit"])

    def test_the_day_moves_and_bad_input(self):
        data = self.env["sales.team.day"].with_user(self.user_salesman).with_context(
            tz="UTC").get_team_day(fields.Date.to_string(self.tomorrow))
        sam = data["people"][0]
        # seen from tomorrow, today's meeting activity is yesterday's plan, not done work
        self.assertEqual(self._names(sam["today"]), ["TD tomorrow todo"])
        self.assertFalse(sam["note"])
        for bad in ("not a date", 42, ["2026-01-01"]):
            with self.subTest(bad=bad), self.assertRaises(UserError):
                self.env["sales.team.day"].with_user(self.user_salesman).get_team_day(bad)
        with self.assertRaises(UserError):
            self._day(self.user_salesman, team_id="1; DROP TABLE")

    def test_time_zone_sets_the_day(self):
        """A call done at 23:30 UTC the day before yesterday is yesterday in Brussels
        (UTC+1 in winter, +2 in summer), not in UTC."""
        late = self.lead_sam.activity_schedule(
            activity_type_id=self.env.ref("mail.mail_activity_data_call").id,
            summary="TD late evening", user_id=self.user_salesman.id,
            date_deadline=self.yesterday)
        late.with_user(self.user_salesman).action_feedback(feedback="TD evening")
        message = self.env["mail.message"].search([
            ("model", "=", "crm.lead"), ("res_id", "=", self.lead_sam.id),
            ("mail_activity_type_id", "!=", False), ("body", "ilike", "TD evening")])
        self.assertEqual(len(message), 1)
        message.sudo().date = datetime.combine(self.day - timedelta(days=2), time(23, 30))
        message.flush_recordset()
        Day = self.env["sales.team.day"].with_user(self.user_salesman)
        utc = Day.with_context(tz="UTC").get_team_day(fields.Date.to_string(self.day))
        brussels = Day.with_context(tz="Europe/Brussels").get_team_day(
            fields.Date.to_string(self.day))
        details = lambda data: [line["detail"] for line in data["people"][0]["yesterday"]]  # noqa: E731
        self.assertFalse(any("TD evening" in d for d in details(utc)))
        self.assertTrue(any("TD evening" in d for d in details(brussels)))

    def test_notes_are_written_by_their_author(self):
        Note = self.env["sales.day.note"]
        tomorrow = fields.Date.to_string(self.tomorrow)
        note_id = Note.with_user(self.user_salesman_2).action_save_note(tomorrow, "TD help")
        again = Note.with_user(self.user_salesman_2).action_save_note(tomorrow, "TD help 2")
        self.assertEqual(note_id, again)
        note = Note.browse(note_id)
        self.assertEqual((note.user_id, note.note), (self.user_salesman_2, "TD help 2"))
        # one note per author and day
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.env.cr.savepoint(), \
                mute_logger("odoo.sql_db"):
            Note.with_user(self.user_salesman_2).create({"date": self.tomorrow, "note": "x"})
        # nobody writes in another's name, nor changes another's note
        with self.assertRaises(ValidationError):
            Note.with_user(self.user_salesman).create({
                "date": self.tomorrow, "note": "forged", "user_id": self.user_salesman_2.id})
        with self.assertRaises(AccessError):
            note.with_user(self.user_leader).write({"note": "edited by the leader"})
        with self.assertRaises(AccessError):
            note.with_user(self.user_manager).unlink()
        with self.assertRaises(ValidationError):
            note.with_user(self.user_salesman_2).write({"user_id": self.user_salesman.id})
        # the leader reads it, another team's salesperson does not
        self.assertEqual(note.with_user(self.user_leader).note, "TD help 2")
        with self.assertRaises(AccessError):
            _ = note.with_user(self.user_other_team).note
        # a past day's note is neither written, nor changed, nor removed
        yesterday = fields.Date.to_string(self.yesterday)
        with self.assertRaises(ValidationError):
            Note.with_user(self.user_salesman_2).action_save_note(yesterday, "TD late")
        past = Note.with_user(self.user_salesman_2).sudo().create(
            {"date": self.yesterday, "note": "TD past"}).sudo(False)
        for change in (lambda n: n.write({"note": "TD rewritten"}),
                       lambda n: n.write({"date": self.tomorrow}),
                       lambda n: n.unlink(),
                       lambda n: note.with_user(self.user_salesman_2).write(
                           {"date": self.yesterday - timedelta(days=1)})):
            with self.subTest(change=change), self.assertRaises(ValidationError):
                change(past)
        self.assertEqual((past.date, past.note), (self.yesterday, "TD past"))
        Day = self.env["sales.team.day"].with_user(self.user_salesman_2).with_context(tz="UTC")
        self.assertFalse(Day.get_team_day(yesterday)["note_open"])
        self.assertTrue(Day.get_team_day(tomorrow)["note_open"])
        # an empty note removes it; bad input is refused
        self.assertFalse(Note.with_user(self.user_salesman_2).action_save_note(tomorrow, " "))
        self.assertFalse(note.exists())
        with self.assertRaises(ValidationError):
            Note.with_user(self.user_salesman_2).action_save_note(tomorrow, ["x"])
        with self.assertRaises(ValidationError):
            Note.with_user(self.user_salesman_2).action_save_note(tomorrow, "x" * 2001)

    def test_queries_do_not_grow_with_the_team(self):
        """One query per source, whatever the number of people: two more salespersons
        with an activity each cost what six more do."""
        Day = self.env["sales.team.day"].with_user(self.user_manager).with_context(tz="UTC")
        call = self.env.ref("mail.mail_activity_data_call")

        def add(indexes):
            users = self.env["res.users"].union(*(
                new_role_user(self.env, "extra_salesman", index=i, tz="UTC")
                for i in indexes))
            self.team.member_ids |= users
            for user in users:
                self.lead_sam.activity_schedule(
                    activity_type_id=call.id, summary=f"TD {user.name}", user_id=user.id,
                    date_deadline=self.day)
            self.env.flush_all()

        def count():
            Day.get_team_day(fields.Date.to_string(self.day))  # warm the caches
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            data = Day.get_team_day(fields.Date.to_string(self.day))
            return self.env.cr.sql_log_count - before, data

        add(range(2))
        few, _data = count()
        add(range(2, 8))
        many, data = count()
        busy = [p for p in data["people"] if any(
            line["name"].startswith("Call: TD SM Extra") for line in p["today"])]
        self.assertEqual(len(busy), 8)
        self.assertEqual(many, few)


class TestTeamDayRpc(JsonRpcMixin, SalesManagementCommon, HttpCase):
    """Over JSON-RPC with real sessions: a note is never written in another's name nor
    changed by anyone but its author, and another team's day is not served."""

    def test_notes_and_scope_over_rpc(self):
        Note = self.env["sales.day.note"]
        note = Note.with_user(self.user_salesman).create({"date": "2026-05-13", "note": "mine"})
        self.authenticate("sm_salesman2", "sm_salesman2")
        forged = self._rpc("sales.day.note", "create",
                           [{"date": "2026-05-14", "note": "forged",
                             "user_id": self.user_salesman.id}])
        self.assertEqual(forged["error"]["data"]["name"], "odoo.exceptions.ValidationError")
        for method, args in (("write", [note.ids, {"note": "changed"}]),
                             ("unlink", [note.ids]),
                             ("read", [note.ids, ["note"]])):
            reply = self._rpc("sales.day.note", method, args)
            self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.AccessError",
                             method)
        self.assertEqual(Note.search([("user_id", "=", self.user_salesman.id)]).note, "mine")
        self.assertFalse(Note.search([("note", "=", "forged")]))
        # the leader reads the note in the Team Day; another team's day is refused
        self.authenticate("sm_leader", "sm_leader")
        day = self._rpc("sales.team.day", "get_team_day", ["2026-05-13"])["result"]
        sam = [p for p in day["people"] if p["user_id"] == self.user_salesman.id]
        self.assertEqual(sam[0]["note"]["text"], "mine")
        refused = self._rpc("sales.team.day", "get_team_day", ["2026-05-13",
                                                                self.team_other.id])
        self.assertEqual(refused["error"]["data"]["name"], "odoo.exceptions.UserError")
        bad = self._rpc("sales.day.note", "action_save_note", ["2026-13-45", "x"])
        self.assertEqual(bad["error"]["data"]["name"], "odoo.exceptions.UserError")
