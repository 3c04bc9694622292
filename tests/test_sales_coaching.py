"""1:1 coaching (issue 19, point 3): sessions, their prepared agenda, private notes, agreed
actions and the next session."""

from datetime import date, timedelta

from common import SalesManagementCommon

from odoo.exceptions import AccessError, ValidationError


class CoachingCommon(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = date.today()
        cls.Session = cls.env["sales.coaching.session"]

    @classmethod
    def _session(cls, user, coach=None, as_user=None, **values):
        Session = cls.Session.with_user(as_user or coach or cls.user_leader)
        vals = {"user_id": user.id, "date": cls.today, **values}
        if coach:
            vals["coach_id"] = coach.id
        return Session.create(vals).with_env(cls.env)


class TestCoachingSession(CoachingCommon):
    def test_coach_defaults_to_team_leader(self):
        session = self._session(self.user_salesman)
        self.assertEqual(session.coach_id, self.user_leader)
        self.assertEqual(session.team_id, self.team)
        self.assertEqual(session.state, "planned")
        # a manager coaches anyone, and is the coach when the salesperson leads the team
        session = self.Session.with_user(self.user_manager).create({
            "user_id": self.user_leader.id, "date": self.today,
        })
        self.assertEqual(session.coach_id, self.user_manager)
        with self.assertRaises(ValidationError):
            self.Session.with_user(self.user_manager).create({
                "user_id": self.user_manager.id, "coach_id": self.user_manager.id,
            })

    def test_next_session_one_query(self):
        past = self._session(self.user_salesman, date=self.today - timedelta(days=7))
        later = self._session(self.user_salesman, date=self.today + timedelta(days=20))
        sooner = self._session(self.user_salesman, date=self.today + timedelta(days=3))
        sara_today = self._session(self.user_salesman_2, date=self.today)
        cancelled = self._session(self.user_salesman_2, date=self.today + timedelta(days=1))
        cancelled.with_user(self.user_leader).action_cancel()
        users = self.user_salesman | self.user_salesman_2 | self.user_other_team
        self.env.flush_all()
        self.env.invalidate_all()
        self.env.user.tz  # noqa: B018 (the caller's time zone, for "today": read once)
        with self.assertQueryCount(1):
            result = self.Session._next_session(users)
        self.assertEqual(result, {self.user_salesman.id: sooner,
                                  self.user_salesman_2.id: sara_today})
        self.assertNotIn(past, result.values())
        self.assertNotIn(later, result.values())
        # the read rules apply: Sam sees his own next session only
        own = self.Session.with_user(self.user_salesman)._next_session(users)
        self.assertEqual(list(own), [self.user_salesman.id])

    def test_state_only_by_buttons(self):
        session = self._session(self.user_salesman)
        with self.assertRaises(AccessError):
            session.with_user(self.user_leader).write({"state": "done"})
        with self.assertRaises(AccessError):
            session.with_user(self.user_leader).write({"agenda": "<p>forged</p>"})
        with self.assertRaises(AccessError):
            session.with_user(self.user_salesman).action_done()
        session.with_user(self.user_leader).action_done()
        self.assertEqual(session.state, "done")
