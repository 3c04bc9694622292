"""A team leader runs a 1:1 in a real browser (headless Chromium): at desktop size and at
phone size with touch events (``TestCoachingTourPhone``: 390x844, the kanban first, the
header buttons in the cog menu), like tests/test_journeys.py.

The tour (``static/tests/tours/sales_journey_coaching.js``) opens the planned session,
prepares its agenda, adds an agreed action, converts it and marks the session done; the
test then checks the database.
"""

from datetime import date, timedelta

from common import DISABLED_MAIL_CONTEXT, SALESMAN, SalesManagementHttpCommon

from odoo import Command
from odoo.tests import new_test_user


class TestCoachingTour(SalesManagementHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.lea = new_test_user(cls.env, login="sm_coach_lea", password="sm_coach_lea",
                                groups=SALESMAN, name="Coach Tour Lea")
        cls.sam = new_test_user(cls.env, login="sm_coach_sam", password="sm_coach_sam",
                                groups=SALESMAN, name="Coach Tour Sam")
        cls.team = cls.env["crm.team"].create({
            "name": "Coach Tour North", "user_id": cls.lea.id,
            "member_ids": [Command.set(cls.sam.ids)],
        })
        cls.today = date.today()
        cls.one_to_one = cls.env["sales.coaching.session"].create({
            "user_id": cls.sam.id, "date": cls.today,
        })
        # late since the session was planned: the agenda shows it once prepared again
        task = cls.env["sales.task"].create({
            "name": "Coach Tour task", "user_id": cls.sam.id, "team_id": cls.team.id,
            "date_start": cls.today - timedelta(days=20),
        })
        cls.todo = cls.env["sales.task.todo"].create({
            "task_id": task.id, "name": "Tour late call back",
            "date_deadline": cls.today - timedelta(days=4),
        })

    def test_leader_runs_a_one_to_one(self):
        self.assertEqual(self.one_to_one.coach_id, self.lea)
        self.assertNotIn("Tour late call back", self.one_to_one.agenda)
        self.start_tour("/odoo/action-sales_management.sales_coaching_session_action",
                        "sales_journey_coaching", login="sm_coach_lea")
        self.assertEqual(self.one_to_one.state, "done")
        self.assertEqual([(t["id"], t["days_late"]) for t in
                          self.one_to_one.agenda_data["overdue_todos"]], [(self.todo.id, 4)])
        action = self.one_to_one.action_ids
        self.assertEqual(
            (action.name, action.user_id, action.date_deadline, action.is_converted),
            ("Tour call three lapsed customers", self.sam, self.today + timedelta(days=7),
             True))
        activity = action.activity_id
        self.assertEqual(
            (activity.res_model, activity.res_id, activity.user_id, activity.date_deadline),
            ("sales.coaching.session", self.one_to_one.id, self.sam,
             self.today + timedelta(days=7)))


class TestCoachingTourPhone(TestCoachingTour):
    """The same 1:1 on a phone: 390x844 viewport, touch events."""

    browser_size = "390x844"
    touch_enabled = True
