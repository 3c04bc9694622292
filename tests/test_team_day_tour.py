"""A salesperson's Team Day in a real browser (headless Chromium), at desktop size and at
phone size with touch events (``TestTeamDayTourPhone``): from the dashboard, yesterday's
call with its feedback, today's call and meeting, the overdue count, the day's note saved
and an activity's opportunity opened (``static/tests/tours/sales_journey_team_day_tour.js``).
The test then checks the note in the database."""

from datetime import datetime, time, timedelta

from common import DISABLED_MAIL_CONTEXT, SALESMAN, SalesManagementHttpCommon

from odoo import Command, fields
from odoo.tests import new_test_user


def lead_with_call_done_yesterday(env, user, team, name, summary, feedback):
    """An opportunity of ``user`` whose call was done yesterday with ``feedback`` (its
    message dated yesterday, 10:00)."""
    today = fields.Date.context_today(user)
    lead = env["crm.lead"].create({
        "name": name, "type": "opportunity", "user_id": user.id, "team_id": team.id,
    })
    done = lead.activity_schedule(activity_type_id=env.ref("mail.mail_activity_data_call").id,
                                  summary=summary, user_id=user.id, date_deadline=today)
    done.with_user(user).action_feedback(feedback=feedback)
    message = lead.message_ids.filtered("mail_activity_type_id")[:1]
    message.sudo().date = datetime.combine(today - timedelta(days=1), time(10, 0))
    return lead



class TestTeamDayTour(SalesManagementHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.sam = new_test_user(cls.env, login="sm_day_sam", password="sm_day_sam",
                                groups=SALESMAN, name="Day Tour Sam", tz="UTC")
        cls.team = cls.env["crm.team"].create({
            "name": "Day Tour North", "member_ids": [Command.set(cls.sam.ids)],
        })
        cls.today = fields.Date.context_today(cls.sam)
        lead = lead_with_call_done_yesterday(cls.env, cls.sam, cls.team, "Day Tour deal",
                                             "Day tour done", "Day tour feedback")
        call = cls.env.ref("mail.mail_activity_data_call")
        lead.activity_schedule(activity_type_id=call.id, summary="Day tour call",
                               user_id=cls.sam.id, date_deadline=cls.today)
        lead.activity_schedule(activity_type_id=call.id, summary="Day tour late",
                               user_id=cls.sam.id, date_deadline=cls.today - timedelta(days=3))
        cls.env["calendar.event"].create({
            "name": "Day Tour visit", "user_id": cls.sam.id,
            "start": datetime.combine(cls.today, time(15, 0)),
            "stop": datetime.combine(cls.today, time(16, 0)),
            "partner_ids": [Command.set(cls.sam.partner_id.ids)],
        })
        cls.env.flush_all()

    def test_salesperson_day(self):
        self.start_tour("/odoo/action-sales_management.sales_management_dashboard_action",
                        "sales_journey_team_day", login="sm_day_sam")
        note = self.env["sales.day.note"].search([("user_id", "=", self.sam.id)])
        self.assertEqual((note.date, note.note), (self.today, "Waiting for the price list"))


class TestTeamDayTourPhone(TestTeamDayTour):
    """The same day on a phone: 390x844 viewport, touch events."""

    browser_size = "390x844"
    touch_enabled = True


class TestTeamDayLeaderTour(SalesManagementHttpCommon):
    """A team leader ("Own Documents" rights) opens the Team Day from the menu and reads a
    member's day (``sales_journey_team_day_leader_tour.js``): the note, a section and a
    card folded, the next day and back, the member's to-do opened."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.lea = new_test_user(cls.env, login="sm_day_lea", password="sm_day_lea",
                                groups=SALESMAN, name="Day Lead Lea", tz="UTC")
        cls.sam = new_test_user(cls.env, login="sm_day_lsam", password="sm_day_lsam",
                                groups=SALESMAN, name="Day Lead Sam", tz="UTC")
        cls.team = cls.env["crm.team"].create({
            "name": "Day Lead North", "user_id": cls.lea.id,
            "member_ids": [Command.set((cls.lea | cls.sam).ids)],
        })
        cls.today = fields.Date.context_today(cls.sam)
        lead_with_call_done_yesterday(cls.env, cls.sam, cls.team, "Day Lead deal",
                                      "Lead tour done", "Lead tour feedback")
        cls.env["sales.task"].create({
            "name": "Day Lead task", "user_id": cls.sam.id, "team_id": cls.team.id,
            "todo_ids": [Command.create({"name": "Lead tour todo",
                                         "date_deadline": cls.today + timedelta(days=1)})],
        })
        cls.env["sales.day.note"].with_user(cls.sam).create({
            "date": cls.today, "note": "Need a discount approval"})
        cls.env.flush_all()

    def test_leader_day(self):
        self.start_tour("/odoo/action-sales_management.sales_management_dashboard_action",
                        "sales_journey_team_day_leader", login="sm_day_lea")
        # reading the team's day writes nothing
        self.assertEqual(self.env["sales.day.note"].search([]).mapped("note"),
                         ["Need a discount approval"])


class TestTeamDayLeaderTourPhone(TestTeamDayLeaderTour):
    """The same on a phone: 390x844 viewport, touch events."""

    browser_size = "390x844"
    touch_enabled = True
