"""1:1 coaching (issue 19, point 3): sessions, their prepared agenda, private notes, agreed
actions and the next session."""

from datetime import date, datetime, timedelta

from common import JsonRpcMixin, SalesManagementCommon, new_role_user

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase
from odoo.tools import convert_file


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
        with self.assertRaises(UserError):  # done: not again, nor cancelled
            session.with_user(self.user_leader).action_cancel()
        session.with_user(self.user_leader).action_reset_planned()
        session.with_user(self.user_leader).action_cancel()
        self.assertEqual(session.state, "cancelled")
        with self.assertRaises(AccessError):
            session.with_user(self.user_salesman).action_reset_planned()
        self.assertEqual(self.Session.new({}).display_name, "New 1:1")


def percentile(values, share):
    """Linear interpolation between the closest ranks (PostgreSQL ``percentile_cont``)."""
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class TestCoachingAgenda(CoachingCommon):
    """The agenda computed from this test's own data: Sam's running target and orders,
    his overdue to-do and activity, a stalled deal, the milestone conversions of the four
    salespersons of team North, and what was agreed in his last session."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.extra = [new_role_user(env, "extra_salesman", index) for index in (1, 2)]
        cls.team.member_ids = [Command.link(user.id) for user in cls.extra]
        cls.year = cls.today.year
        cls._setup_target()
        cls._setup_follow_up()
        cls._setup_funnel()
        cls._setup_competencies()

    @classmethod
    def _setup_target(cls):
        revenue = cls.env.ref("sales_management.sales_metric_revenue")
        cls.plan = cls.env["sales.plan"].create({
            "name": "SM Coaching Sam", "user_id": cls.user_salesman.id,
            "team_id": cls.team.id, "scope": "user",
            "date_from": date(cls.year, 1, 1), "date_to": date(cls.year, 12, 31),
            "target_ids": [Command.create({"metric_id": revenue.id,
                                           "target_value": 120000.0})],
        })
        cls.plan.action_approve()
        cls.target = cls.plan.target_ids
        # a draft (still being written) and last year's: not running targets
        for name, year in (("SM Coaching Sam draft", cls.year), ("SM Coaching Sam old",
                                                                   cls.year - 1)):
            cls.env["sales.plan"].create({
                "name": name, "user_id": cls.user_salesman.id, "team_id": cls.team.id,
                "scope": "user", "date_from": date(year, 1, 1), "date_to": date(year, 12, 31),
                "target_ids": [Command.create({"metric_id": revenue.id,
                                               "target_value": 5000.0})],
            })
        # this year: Sam sells 1000 to the Brussels customer, 3000 to the Californian one
        cls._create_order(cls.customer_be, cls.user_salesman, [(cls.product_goods, 10, 100.0)])
        cls._create_order(cls.customer_us, cls.user_salesman, [(cls.product_goods, 30, 100.0)])
        # Sara's order is not Sam's
        cls._create_order(cls.customer_us, cls.user_salesman_2,
                          [(cls.product_goods, 50, 100.0)])

    @classmethod
    def _setup_follow_up(cls):
        cls.task = cls.env["sales.task"].create({
            "name": "SM Coaching task", "user_id": cls.user_salesman.id,
            "team_id": cls.team.id, "date_start": cls.today - timedelta(days=30),
        })
        Todo = cls.env["sales.task.todo"]
        cls.todo_late = Todo.create({
            "task_id": cls.task.id, "name": "SM call back late",
            "date_deadline": cls.today - timedelta(days=3),
        })
        Todo.create({"task_id": cls.task.id, "name": "SM next week",
                     "date_deadline": cls.today + timedelta(days=7)})
        done = Todo.create({"task_id": cls.task.id, "name": "SM done late",
                            "date_deadline": cls.today - timedelta(days=9)})
        done.state = "done"

    @classmethod
    def _setup_funnel(cls):
        Milestone = cls.env["sales.milestone"]
        north = [Command.set(cls.team.ids)]
        cls.m1 = Milestone.create({"name": "SMC Qualified", "sequence": 1, "team_ids": north})
        cls.m2 = Milestone.create({"name": "SMC Proposal", "sequence": 2, "team_ids": north})
        cls.m3 = Milestone.create({"name": "SMC Won", "sequence": 3, "is_won": True,
                                   "team_ids": north})
        # stalled after more than 2 x 5 days at Qualified
        cls.company.milestone_stalled_factor = 2.0
        cls.m1.sudo().median_days_to_next = 5.0
        sam, sara = cls.user_salesman, cls.user_salesman_2
        x1, x2 = cls.extra
        # (salesperson, [(milestone, days ago)]) per opportunity
        cls.funnel = [
            (sam, [(cls.m1, 40), (cls.m2, 35), (cls.m3, 30)]),
            (sam, [(cls.m1, 30)]),  # stalled: 30 days at Qualified
            (sam, [(cls.m1, 3)]),
            (sam, [(cls.m1, 2)]),
            (sara, [(cls.m1, 50), (cls.m2, 45)]),
            (sara, [(cls.m1, 20), (cls.m2, 8)]),
            (x1, [(cls.m1, 60), (cls.m2, 50)]),
            (x1, [(cls.m1, 4)]),
            (x2, [(cls.m1, 90), (cls.m2, 80), (cls.m3, 70)]),
            (x2, [(cls.m1, 60), (cls.m2, 50)]),
            (x2, [(cls.m1, 30), (cls.m2, 25)]),
            (x2, [(cls.m1, 6)]),
        ]
        now = datetime.now()
        cls.leads = cls.env["crm.lead"]
        for index, (user, path) in enumerate(cls.funnel):
            lead = cls.env["crm.lead"].create({
                "name": f"SMC deal {index}", "type": "opportunity", "user_id": user.id,
                "team_id": cls.team.id, "expected_revenue": 1000.0,
            })
            cls.env["sales.lead.milestone"].create([{
                "lead_id": lead.id, "milestone_id": milestone.id,
                "date_reached": now - timedelta(days=days),
            } for milestone, days in path])
            cls.leads |= lead
        cls.stalled_lead = cls.leads[1]
        # an overdue activity of Sam's (and one not yet due)
        for lead, days, summary in ((cls.leads[2], -2, "SM send the case study"),
                                    (cls.leads[3], 1, "SM not yet due")):
            lead.activity_schedule(
                "mail.mail_activity_data_call", date_deadline=cls.today + timedelta(days=days),
                user_id=sam.id, summary=summary,
            )
        cls.env.flush_all()

    @classmethod
    def _setup_competencies(cls):
        """Lea rates Sam: discovery 1 (its KPI: conversion from Qualified), closing 2 (no
        KPI), presenting 4."""
        Competency = cls.env["sales.competency"]
        cls.discovery = Competency.create({
            "name": "SMC Discovery", "sequence": 1, "kpi_type": "milestone_conversion",
            "milestone_id": cls.m1.id,
        })
        cls.closing = Competency.create({"name": "SMC Closing", "sequence": 2})
        cls.presenting = Competency.create({"name": "SMC Presenting", "sequence": 3})
        cls.env["sales.competency.rating"].with_user(cls.user_leader).create([{
            "user_id": cls.user_salesman.id, "competency_id": competency.id,
            "kind": "leader", "level": level,
        } for competency, level in ((cls.discovery, 1), (cls.closing, 2),
                                    (cls.presenting, 4))])

    def _expected_conversions(self, window=None):
        """Per salesperson, Qualified -> next: share of their opportunities at Qualified
        that reached a later milestone, in %."""
        result = {}
        for user, path in self.funnel:
            milestones = [m for m, _days in path]
            if window and dict(path).get(self.m1, 0) >= window:
                continue  # reached Qualified before the window
            if self.m1 in milestones:
                reached, went_on = result.get(user.id, (0, 0))
                result[user.id] = (reached + 1, went_on + (len(milestones) > 1))
        return {uid: 100.0 * on / reached for uid, (reached, on) in result.items()}

    def test_agenda_content(self):
        session = self._session(self.user_salesman)
        data = session.agenda_data
        # (a) the target: expected = 120000 x elapsed days / days of the year
        elapsed = (self.today - date(self.year, 1, 1)).days + 1
        days = (date(self.year, 12, 31) - date(self.year, 1, 1)).days + 1
        expected = 120000.0 * elapsed / days
        [row] = data["targets"]
        self.assertEqual(row["id"], self.target.id)
        self.assertAlmostEqual(row["actual"], 4000.0)
        self.assertAlmostEqual(row["expected"], expected, places=2)
        self.assertAlmostEqual(row["gap"], 4000.0 - expected, places=2)
        self.assertAlmostEqual(row["pace"], 100.0 * 4000.0 / expected, places=4)
        # the same figures as the target's own (one definition)
        self.assertAlmostEqual(row["pace"], self.target.pace, places=6)
        # contributors by customer: no history, an equal share of the expected value each
        by_dimension = {group["dimension"]: group["members"] for group in row["contributors"]}
        customers = [(m["id"], round(m["gap"], 2)) for m in by_dimension["partner_id"]]
        self.assertEqual(customers, [
            (self.customer_be.id, round(1000.0 - expected / 2, 2)),
            (self.customer_us.id, round(3000.0 - expected / 2, 2)),
        ])
        self.assertEqual([m["id"] for m in by_dimension["product_id"]],
                         [self.product_goods.id])
        # (b) overdue: the to-do 3 days late; the call 2 days late (not the one to come)
        self.assertEqual([(t["id"], t["days_late"]) for t in data["overdue_todos"]],
                         [(self.todo_late.id, 3)])
        self.assertEqual([(a["summary"], a["days_late"]) for a in data["overdue_activities"]],
                         [("SM send the case study", 2)])
        # (c) stalled: only the deal 30 days at Qualified (> 2 x 5 days)
        self.assertEqual([(d["id"], d["days"]) for d in data["stalled_deals"]],
                         [(self.stalled_lead.id, 30)])
        # (d) Qualified: Sam 1 of 4 (25 %), team [25, 100, 50, 75]
        conversions = self._expected_conversions()
        team_values = list(conversions.values())
        self.assertEqual(sorted(team_values), [25.0, 50.0, 75.0, 100.0])
        conversion = data["conversion"]
        self.assertEqual(conversion["milestone_id"], self.m1.id)
        self.assertAlmostEqual(conversion["conversion"], 25.0)
        self.assertAlmostEqual(conversion["median"], percentile(team_values, 0.5))  # 62.5
        self.assertAlmostEqual(conversion["top_quartile"], percentile(team_values, 0.75))
        self.assertAlmostEqual(conversion["top_quartile"], 81.25)
        self.assertEqual(conversion["salespersons"], 4)
        # (e) the two lowest-rated: discovery (KPI over the last 90 days: Sam 1 of 4;
        # the team without X2's deal of 90 days ago) and closing (no KPI)
        window = self._expected_conversions(window=90)
        self.assertEqual(sorted(window.values()), [25.0, 50.0, 200.0 / 3, 100.0])
        self.assertEqual(
            [(c["id"], c["value"], c["team_median"]) for c in data["competencies"]],
            [(self.discovery.id, 25.0, percentile(list(window.values()), 0.5)),
             (self.closing.id, None, None)])
        self.assertAlmostEqual(data["competencies"][0]["team_median"], (50.0 + 200.0 / 3) / 2)
        # (f) no previous session yet
        self.assertEqual(data["last_actions"], {})
        # the HTML snapshot says the same
        self.assertIn("SM call back late", session.agenda)
        self.assertIn(self.stalled_lead.name, session.agenda)
        self.assertIn("SMC Qualified", session.agenda)
        self.assertIn("62.5", session.agenda)
        self.assertIn("SMC Discovery: 25.0 %", session.agenda)

    def test_agenda_snapshot_and_last_actions(self):
        previous = self._session(self.user_salesman, date=self.today - timedelta(days=14))
        previous.with_user(self.user_leader).write({"action_ids": [
            Command.create({"name": "SM call the three stalled deals",
                            "date_deadline": self.today - timedelta(days=7)}),
            Command.create({"name": "SM update the forecast",
                            "date_deadline": self.today + timedelta(days=7)}),
        ]})
        previous.with_user(self.user_leader).action_convert_actions()
        first, second = previous.action_ids
        first.activity_id.with_user(self.user_salesman).action_feedback(feedback="Done")
        previous.with_user(self.user_leader).action_done()
        snapshot = previous.agenda
        session = self._session(self.user_salesman)
        last = session.agenda_data["last_actions"]
        self.assertEqual(last["session_id"], previous.id)
        self.assertEqual([(a["id"], a["state"]) for a in last["actions"]],
                         [(first.id, "done"), (second.id, "open")])
        self.assertEqual(first.state, "done")
        # the done session's agenda is a snapshot: more data does not change it
        self.env["sales.task.todo"].create({
            "task_id": self.task.id, "name": "SM very late",
            "date_deadline": self.today - timedelta(days=20),
        })
        self.assertEqual(previous.agenda, snapshot)
        self.assertNotIn("SM very late", session.agenda)
        session.with_user(self.user_leader).action_prepare_agenda()
        self.assertIn("SM very late", session.agenda)
        with self.assertRaises(UserError):  # a done session keeps its agenda
            previous.with_user(self.user_leader).action_prepare_agenda()
        with self.assertRaises(AccessError):
            session.with_user(self.user_salesman).action_prepare_agenda()


class TestCoachingRights(CoachingCommon):
    """Who reads and runs which session; private notes never reach the salesperson."""

    SECRET = "SM secret: thinks about leaving"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = cls._session(cls.user_salesman)
        cls.session.with_user(cls.user_leader).write({
            "shared_note": "<p>SM shared: more discovery calls</p>",
            "private_note": f"<p>{cls.SECRET}</p>",
        })
        cls.session_sara = cls._session(cls.user_salesman_2)
        cls.session_otto = cls._session(cls.user_other_team, coach=cls.user_manager)

    def test_read_scope_per_role(self):
        sessions = self.session | self.session_sara | self.session_otto
        expected = {
            self.user_salesman: self.session,
            self.user_salesman_2: self.session_sara,
            self.user_other_team: self.session_otto,
            self.user_leader: self.session | self.session_sara,
            self.user_manager: sessions,
            self.user_all_docs: self.Session,
        }
        for user, visible in expected.items():
            with self.subTest(user=user.login):
                found = self.Session.with_user(user).search([("id", "in", sessions.ids)])
                self.assertEqual(found, visible.with_user(user))
        with self.assertRaises(AccessError):
            self.Session.with_user(self.user_internal).search([])
        with self.assertRaises(AccessError):
            self.session.with_user(self.user_salesman_2).read(["shared_note"])

    def test_team_smart_button(self):
        for user, count in ((self.user_leader, 2), (self.user_manager, 2),
                            (self.user_salesman, 1)):
            with self.subTest(user=user.login):
                team = self.team.with_user(user)
                self.assertEqual(team.coaching_session_count, count)
                action = team.action_view_coaching_sessions()
                self.assertEqual(self.Session.with_user(user).search_count(action["domain"]),
                                 count)

    def test_who_runs_a_session(self):
        # the salesperson reads their shared notes but writes nothing
        as_sam = self.session.with_user(self.user_salesman)
        self.assertIn("more discovery calls", as_sam.shared_note)
        for vals in ({"shared_note": "<p>mine</p>"}, {"coach_id": self.user_salesman_2.id},
                     {"date": "2030-01-01"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_sam.write(vals)
        # a salesperson cannot open a session, for himself or a colleague
        with self.assertRaises(AccessError):
            self.Session.with_user(self.user_salesman).create({
                "user_id": self.user_salesman.id, "coach_id": self.user_leader.id})
        with self.assertRaises(AccessError):
            self.Session.with_user(self.user_salesman).create({
                "user_id": self.user_salesman_2.id, "coach_id": self.user_salesman.id})
        # a leader coaches their team only; the manager anyone
        with self.assertRaises(AccessError):
            self.Session.with_user(self.user_leader).create({
                "user_id": self.user_other_team.id})
        with self.assertRaises(AccessError):
            self.session_otto.with_user(self.user_leader).action_done()
        self.session_sara.with_user(self.user_leader).write({"shared_note": "<p>ok</p>"})
        self.session_otto.with_user(self.user_manager).action_done()
        self.assertEqual(self.session_otto.state, "done")
        # a leader coached by the manager never runs his own session
        own = self.Session.with_user(self.user_manager).create({
            "user_id": self.user_leader.id})
        self.assertEqual(own.coach_id, self.user_manager)
        with self.assertRaises(AccessError):
            own.with_user(self.user_leader).write({"shared_note": "<p>self-coached</p>"})
        with self.assertRaises(AccessError):
            own.with_user(self.user_leader).action_done()

    def test_private_notes_never_reach_the_salesperson_orm(self):
        Note = self.env["sales.coaching.note.private"]
        note = Note.search([("session_id", "=", self.session.id)])
        self.assertEqual(len(note), 1)
        self.assertIn(self.SECRET, self.session.with_user(self.user_leader).private_note)
        self.assertIn(self.SECRET, self.session.with_user(self.user_manager).private_note)
        as_sam = self.session.with_user(self.user_salesman)
        self.assertFalse(as_sam.private_note)
        self.assertFalse(as_sam.can_coach)
        self.assertEqual(as_sam.read(["private_note"])[0]["private_note"], False)
        self.user_salesman.groups_id = [Command.link(self.env.ref("base.group_allow_export").id)]
        exported = as_sam.export_data(["shared_note", "private_note"])["datas"]
        self.assertIn("more discovery calls", exported[0][0])
        self.assertFalse(exported[0][1])
        self.assertFalse(Note.with_user(self.user_salesman).search([]))
        self.assertFalse(Note.with_user(self.user_salesman).search_count(
            [("body", "ilike", "leaving")]))
        with self.assertRaises(AccessError):
            note.with_user(self.user_salesman).read(["body"])
        # searching the session on the note finds it for the coach only
        for user, found in ((self.user_salesman, self.Session), (self.user_leader, self.session),
                            (self.user_manager, self.session)):
            self.assertEqual(self.Session.with_user(user).search(
                [("private_note", "ilike", "leaving")]), found.with_user(user))
        with self.assertRaises(AccessError):
            as_sam.write({"private_note": "<p>overwritten</p>"})
        with self.assertRaises(AccessError):
            Note.with_user(self.user_salesman).create({
                "session_id": self.session_sara.id, "body": "<p>x</p>"})
        # nothing in the chatter either, tracking on
        self.session.with_user(self.user_leader).with_context(
            tracking_disable=False, mail_notrack=False,
        ).write({
            "private_note": f"<p>{self.SECRET} (updated)</p>",
            "date": self.today + timedelta(days=1),
        })
        self.env.flush_all()
        self.env.cr.precommit.run()  # the tracking messages
        bodies = self.env["mail.message"].search([
            ("model", "=", "sales.coaching.session"), ("res_id", "=", self.session.id),
        ])
        self.assertTrue(bodies.tracking_value_ids, "the date change is tracked")
        dumped = str(bodies.mapped("body")) + str(bodies.tracking_value_ids.mapped(
            lambda t: (t.old_value_char, t.new_value_char, t.old_value_text, t.new_value_text)))
        self.assertNotIn("leaving", dumped)
        # the same for a sales manager coached by another manager
        boss = new_role_user(self.env, "manager_b")
        theirs = self.Session.with_user(self.user_manager).create({"user_id": boss.id})
        theirs.with_user(self.user_manager).private_note = "<p>SM boss secret</p>"
        self.assertIn("boss secret", theirs.with_user(self.user_manager).private_note)
        self.assertFalse(theirs.with_user(boss).private_note)


class TestCoachingActions(CoachingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = cls._session(cls.user_salesman)
        cls.task = cls.env["sales.task"].create({
            "name": "SM Coaching task", "user_id": cls.user_salesman.id,
            "team_id": cls.team.id,
        })
        cls.lead = cls.env["crm.lead"].create({
            "name": "SM Coaching deal", "type": "opportunity",
            "user_id": cls.user_salesman.id, "team_id": cls.team.id,
        })

    def test_actions_become_todos_and_activities(self):
        d1, d2, d3 = (self.today + timedelta(days=n) for n in (3, 5, 7))
        as_lea = self.session.with_user(self.user_leader)
        as_lea.write({"action_ids": [
            Command.create({"name": "SM call the buyer", "task_id": self.task.id,
                            "date_deadline": d1}),
            Command.create({"name": "SM shadow a demo", "user_id": self.user_leader.id,
                            "date_deadline": d3}),
        ]})
        # Lea does not read Sam's opportunities (CRM's rules): the manager links it
        self.session.with_user(self.user_manager).write({"action_ids": [
            Command.create({"name": "SM send the proposal", "lead_id": self.lead.id,
                            "date_deadline": d2, "sequence": 11}),
        ]})
        todo_action, own_action, lead_action = self.session.action_ids
        self.assertEqual(todo_action.user_id, self.user_salesman, "the salesperson by default")
        with self.assertRaises(AccessError):  # nor converts it
            as_lea.action_convert_actions()
        self.session.with_user(self.user_manager).action_convert_actions()
        # a to-do in the task, owned by Sam, due on its deadline (its reminder too)
        todo = todo_action.todo_id
        self.assertEqual((todo.task_id, todo.name, todo.user_id, todo.date_deadline),
                         (self.task, "SM call the buyer", self.user_salesman, d1))
        self.assertEqual(todo.activity_ids.user_id, self.user_salesman)
        # an activity on the opportunity for Sam, and one on the session for Lea
        coaching = self.env.ref("sales_management.mail_activity_type_coaching_action")
        for action, record, owner, deadline in (
            (lead_action, self.lead, self.user_salesman, d2),
            (own_action, self.session, self.user_leader, d3),
        ):
            activity = action.activity_id
            self.assertEqual(
                (activity.res_model, activity.res_id, activity.user_id,
                 activity.date_deadline, activity.summary, activity.activity_type_id),
                (record._name, record.id, owner, deadline, action.name, coaching))
        self.assertTrue(all(self.session.action_ids.mapped("is_converted")))
        with self.assertRaises(UserError):  # nothing left to convert
            as_lea.action_convert_actions()
        # the salesperson cannot convert, nor forge the conversion or the state
        with self.assertRaises(AccessError):
            self.session.with_user(self.user_salesman).action_convert_actions()
        with self.assertRaises(AccessError):
            lead_action.with_user(self.user_leader).write({"state": "done"})
        # their state follows the work: the to-do done, the activity done
        todo.with_user(self.user_salesman).action_done()
        lead_action.activity_id.with_user(self.user_salesman).action_feedback(feedback="Sent")
        self.session.action_ids._sync_state()
        self.assertEqual([todo_action.state, lead_action.state, own_action.state],
                         ["done", "done", "open"])
        # the owner closes their own action; Sam cannot close Lea's
        with self.assertRaises(AccessError):
            own_action.with_user(self.user_salesman).action_done()
        own_action.with_user(self.user_leader).action_done()
        self.assertEqual(own_action.state, "done")

    def test_action_links_checked(self):
        other_lead = self.env["crm.lead"].create({
            "name": "SM South deal", "type": "opportunity",
            "user_id": self.user_other_team.id, "team_id": self.team_other.id,
        })
        as_lea = self.session.with_user(self.user_leader)
        for vals in ({"lead_id": other_lead.id}, {"lead_id": self.lead.id},
                     {"user_id": self.user_other_team.id}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_lea.write({"action_ids": [Command.create({
                    "name": "SM sneaky", "date_deadline": self.today, **vals})]})
        self.assertFalse(self.session.action_ids)

    def test_schedule_next(self):
        as_lea = self.session.with_user(self.user_leader)
        next_date = self.today + timedelta(days=21)
        as_lea.next_date = next_date
        as_lea.action_schedule_next()
        following = self.session.next_session_id
        self.assertEqual((following.user_id, following.coach_id, following.date,
                          following.state),
                         (self.user_salesman, self.user_leader, next_date, "planned"))
        activity = following.activity_ids
        self.assertEqual(
            (activity.user_id, activity.date_deadline, activity.activity_type_id),
            (self.user_leader, next_date,
             self.env.ref("sales_management.mail_activity_type_coaching_session")))
        # the salesperson's "next 1:1"
        self.assertEqual(self.Session._next_session(self.user_salesman),
                         {self.user_salesman.id: self.session})
        self.session.with_user(self.user_leader).action_done()
        self.assertEqual(self.Session._next_session(self.user_salesman),
                         {self.user_salesman.id: following})
        with self.assertRaises(UserError):
            as_lea.action_schedule_next()
        # default: two weeks after the session
        other = self._session(self.user_salesman_2)
        other.with_user(self.user_leader).action_schedule_next()
        self.assertEqual(other.next_session_id.date, self.today + timedelta(days=14))
        with self.assertRaises(AccessError):
            self._session(self.user_salesman_2).with_user(
                self.user_salesman_2).action_schedule_next()


class TestCoachingRpc(JsonRpcMixin, CoachingCommon, HttpCase):
    """Private notes over JSON-RPC with a real session, every way a client could ask."""

    SECRET = "SM rpc secret: thinks about leaving"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coaching = cls._session(cls.user_salesman)
        cls.coaching.with_user(cls.user_leader).write({
            "shared_note": "<p>SM shared over rpc</p>",
            "private_note": f"<p>{cls.SECRET}</p>",
        })
        cls.note = cls.env["sales.coaching.note.private"].search(
            [("session_id", "=", cls.coaching.id)])
        cls.user_salesman.groups_id = [Command.link(cls.env.ref("base.group_allow_export").id)]

    def _error(self, reply):
        self.assertIn("error", reply, reply)
        return reply["error"]["data"]["name"]

    def test_private_notes_over_rpc(self):
        model, ids = "sales.coaching.session", self.coaching.ids
        self.authenticate("sm_salesman", "sm_salesman")
        replies = [
            self._rpc(model, "read", [ids, ["shared_note", "private_note"]]),
            self._rpc(model, "web_read", [ids], {"specification": {
                "shared_note": {}, "private_note": {}}}),
            self._rpc(model, "search_read", [[("private_note", "ilike", "leaving")]],
                      {"fields": ["private_note"]}),
            self._rpc(model, "export_data", [ids, ["private_note"]]),
            self._rpc("sales.coaching.note.private", "search_read", [[]], {"fields": ["body"]}),
            self._rpc("sales.coaching.note.private", "read_group",
                      [[], ["body"], ["session_id"]]),
        ]
        for reply in replies:
            self.assertNotIn("error", reply, reply)
            self.assertNotIn("leaving", str(reply["result"]))
        self.assertIn("SM shared over rpc", replies[0]["result"][0]["shared_note"])
        self.assertIs(replies[0]["result"][0]["private_note"], False)
        self.assertEqual(replies[2]["result"], [])
        self.assertEqual(replies[4]["result"], [])
        # by id, or by writing: refused, nothing written
        self.assertEqual(self._error(self._rpc(
            "sales.coaching.note.private", "read", [self.note.ids, ["body"]])),
            "odoo.exceptions.AccessError")
        self.assertEqual(self._error(self._rpc(
            model, "write", [ids, {"private_note": "<p>mine</p>"}])),
            "odoo.exceptions.AccessError")
        self.assertEqual(self._error(self._rpc(
            model, "action_prepare_agenda", [ids])), "odoo.exceptions.AccessError")
        self.note.invalidate_recordset()
        self.assertIn("leaving", self.note.body)
        # the coach reads it
        self.authenticate("sm_leader", "sm_leader")
        reply = self._rpc(model, "read", [ids, ["private_note"]])
        self.assertIn("leaving", reply["result"][0]["private_note"])


class TestCoachingDemo(SalesManagementCommon):
    def test_demo_sessions(self):
        for name in ("demo/sales_management_demo.xml", "demo/sales_plan_demo.xml",
                     "demo/sales_coaching_demo.xml"):
            convert_file(self.env, "sales_management", name, {}, mode="init",
                         noupdate=False, kind="demo")
        sellers = [self.env.ref(f"sales_management.demo_user_{name}")
                   for name in ("alice", "bruno", "carla", "dylan")]
        Session = self.env["sales.coaching.session"]
        sessions = Session.search([("user_id", "in", [s.id for s in sellers])])
        self.assertEqual(len(sessions), 8)
        today = date.today()
        for seller in sellers:
            with self.subTest(seller=seller.login):
                held, planned = sessions.filtered(lambda s, u=seller: s.user_id == u).sorted(
                    "date")
                self.assertEqual((held.state, planned.state), ("done", "planned"))
                self.assertEqual(held.coach_id, seller.sale_team_id.user_id)
                self.assertEqual(held.next_session_id, planned)
                self.assertGreater(planned.date, today)
                self.assertEqual(held.action_ids.mapped("state"), ["done", "open"])
                self.assertTrue(all(held.action_ids.mapped("is_converted")))
                self.assertTrue(held.private_note)
                # the planned session's agenda: the seller's running targets, last actions
                self.assertTrue(planned.agenda_data["targets"])
                self.assertEqual(planned.agenda_data["last_actions"]["session_id"], held.id)
                self.assertEqual(planned.activity_ids.user_id, held.coach_id)
                self.assertEqual(Session._next_session(seller), {seller.id: planned})
        self.env["sales.management.demo"]._generate_demo_coaching()
        self.assertEqual(Session.search_count([]), 8, "idempotent")
