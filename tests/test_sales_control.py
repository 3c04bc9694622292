"""Control: the daily overdue digest and the escalation ladder.

Known data, frozen clock: each test states which users must receive which e-mail with which
items, then checks the ``mail.mail`` records the job created (recipients, subject, body),
the ledgers, and that rerunning or a concurrent worker sends nothing twice.
"""

from datetime import date
from unittest.mock import patch

from control_common import DIGEST, ControlDigestCommon
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError


class TestOverdueDigest(ControlDigestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-10 08:00:00"):
            cls.lead_1 = cls._lead_cls("SM Lead Alpha", cls.user_salesman)
            cls.lead_2 = cls._lead_cls("SM Lead Beta", cls.user_salesman_2)
            cls.lead_3 = cls._lead_cls("SM Lead Gamma", cls.user_other_team, cls.team_other)
            cls.order_1 = cls._create_order(
                cls.customer_us, cls.user_salesman, [(cls.product_goods, 2, 100.0)],
                confirm=False,
            )
            cls.task = cls.env["sales.task"].create({
                "name": "SM Key account review", "user_id": cls.user_salesman_2.id,
                "team_id": cls.team.id,
                "todo_ids": [Command.create({
                    "name": "SM Prepare slides", "user_id": cls.user_salesman_2.id,
                    "date_deadline": date(2026, 3, 8),
                })],
            })

    @classmethod
    def _lead_cls(cls, name, user, team=None):
        return cls.env["crm.lead"].create({
            "name": name, "type": "opportunity", "user_id": user.id,
            "team_id": (team or cls.team).id, "partner_id": cls.customer_be.id,
        })

    def _schedule_known_activities(self):
        self.act_lead_1 = self._activity(self.lead_1, self.user_salesman, date(2026, 3, 9),
                                         "Call back Alpha")
        self.act_order_1 = self._activity(self.order_1, self.user_salesman, date(2026, 3, 5),
                                          "Chase signature")
        # due today: not overdue
        self._activity(self.lead_2, self.user_salesman_2, date(2026, 3, 10), "Send offer")
        self.act_lead_3 = self._activity(self.lead_3, self.user_other_team, date(2026, 3, 1),
                                         "Visit Gamma")

    @freeze_time("2026-03-10 08:00:00")
    def test_digest_recipients_subjects_items(self):
        """One e-mail per user with overdue items, grouped by kind, escalations included;
        nobody without overdue items gets one; a second run the same day sends nothing."""
        self._schedule_known_activities()
        todo_activity = self.task.todo_ids.activity_ids
        self.assertEqual(len(todo_activity), 1, "the to-do keeps its reminder activity")

        digests = self._run()
        mails = self._mails_by_user()
        self.assertEqual(
            set(mails),
            {self.user_salesman, self.user_salesman_2, self.user_other_team, self.user_leader,
             self.user_manager},
        )
        self.assertEqual(len(digests), 5)

        sam = mails[self.user_salesman]
        self.assertEqual(sam.subject, "Overdue sales items: 2")
        self.assertIn("Call back Alpha", sam.body_html)
        self.assertIn("Chase signature", sam.body_html)
        self.assertIn(self.lead_1.name, sam.body_html)
        self.assertIn(self.order_1.name, sam.body_html)
        self.assertIn("Opportunities", sam.body_html)
        self.assertIn("Quotations and Orders", sam.body_html)
        self.assertLess(sam.body_html.index("Opportunities"),
                        sam.body_html.index("Quotations and Orders"))
        self.assertIn(f"/mail/view?model=crm.lead&amp;res_id={self.lead_1.id}", sam.body_html)
        self.assertNotIn("Send offer", sam.body_html)
        self.assertNotIn("Escalated to you", sam.body_html)

        sara = mails[self.user_salesman_2]
        self.assertEqual(sara.subject, "Overdue sales items: 1")
        self.assertIn("To-Dos", sara.body_html)
        self.assertIn("SM Prepare slides", sara.body_html)
        self.assertNotIn("Send offer", sara.body_html, "due today is not overdue")

        # order_1 is 5 days late: team leader level (3 days), not yet manager (7 days)
        lea = mails[self.user_leader]
        self.assertEqual(lea.subject, "Overdue sales items: 0 yours, 1 escalated")
        self.assertIn("Escalated to you", lea.body_html)
        self.assertIn("Chase signature", lea.body_html)
        self.assertIn(self.user_salesman.name, lea.body_html)
        self.assertNotIn("Call back Alpha", lea.body_html, "1 day late does not escalate")

        # lead_3 is 9 days late: its team's leader and the sales manager are both Mia
        mia = mails[self.user_manager]
        self.assertEqual(mia.subject, "Overdue sales items: 0 yours, 1 escalated")
        self.assertEqual(mia.body_html.count("Visit Gamma"), 1, "listed once")
        otto = mails[self.user_other_team]
        self.assertIn("Visit Gamma", otto.body_html)

        ledger = self.env["sales.control.escalation"].search([])
        self.assertEqual(
            {(e.item_model, e.item_id, e.level, e.user_id) for e in ledger},
            {
                ("mail.activity", self.act_order_1.id, "team_leader", self.user_leader),
                ("mail.activity", self.act_lead_3.id, "team_leader", self.user_manager),
                ("mail.activity", self.act_lead_3.id, "manager", self.user_manager),
            },
        )
        # escalations are visible in the documents' chatter too
        self.assertTrue(self.order_1.message_ids.filtered(
            lambda m: "escalated to" in (m.body or "") and self.user_leader.name in m.body
        ))
        # every recipient's digest is recorded with its lines
        sam_digest = digests.filtered(lambda d: d.user_id == self.user_salesman)
        self.assertEqual(sam_digest.mail_id.subject, sam.subject)
        self.assertEqual(
            sorted(sam_digest.line_ids.mapped("summary")), ["Call back Alpha", "Chase signature"],
        )
        self.assertEqual(
            {line.summary: line.days_overdue for line in sam_digest.line_ids},
            {"Call back Alpha": 1, "Chase signature": 5},
        )

        # same day again: nothing new
        count = len(self._digest_mails())
        self.assertFalse(self._run())
        self.assertEqual(len(self._digest_mails()), count)
        self.assertEqual(len(self.env["sales.control.escalation"].search([])), 3)

    def _sent(self, digests):
        """What each recipient got: {login: {(section, summary)}}, checked against the
        e-mail bodies."""
        result = {}
        for digest in digests:
            for line in digest.line_ids:
                self.assertIn(line.summary, digest.mail_id.body_html)
            result[digest.user_id.login] = {(li.section, li.summary) for li in digest.line_ids}
        self.assertEqual(len(self._mails_by_user(digests.mail_id)), len(digests))
        return result

    def test_escalation_ladder_once_per_level_and_resolved_items(self):
        """Days late per item: lead_1 from the 9th, order_1 from the 5th, lead_2 from the
        10th, lead_3 from the 1st (team South, led by Mia), the to-do from the 8th. The
        leader is told at 3 days, the manager (Mia) at 7, each once; a resolved item stops."""
        sam_items = {("own", "Call back Alpha"), ("own", "Chase signature")}
        with freeze_time("2026-03-10 08:00:00"):
            self._schedule_known_activities()
            self.assertEqual(self._sent(self._run()), {
                "sm_salesman": sam_items,
                "sm_salesman2": {("own", "SM Prepare slides")},
                "sm_other": {("own", "Visit Gamma")},
                "sm_leader": {("escalated", "Chase signature")},
                "sm_manager": {("escalated", "Visit Gamma")},
            })
        with freeze_time("2026-03-11 08:00:00"):
            self.assertEqual(self._sent(self._run()), {
                "sm_salesman": sam_items,
                "sm_salesman2": {("own", "SM Prepare slides"), ("own", "Send offer")},
                "sm_other": {("own", "Visit Gamma")},
                "sm_leader": {("escalated", "SM Prepare slides")},
            })
        # lead_3 gets resolved: no more reminders nor escalations for it
        self.act_lead_3.action_feedback(feedback="Visited")
        sara_items = {("own", "SM Prepare slides"), ("own", "Send offer")}
        with freeze_time("2026-03-12 08:00:00"):
            self.assertEqual(self._sent(self._run()), {
                "sm_salesman": sam_items,
                "sm_salesman2": sara_items,
                "sm_leader": {("escalated", "Call back Alpha")},
                "sm_manager": {("escalated", "Chase signature")},
            })
        with freeze_time("2026-03-13 08:00:00"):
            self.assertEqual(self._sent(self._run()), {
                "sm_salesman": sam_items,
                "sm_salesman2": sara_items,
                "sm_leader": {("escalated", "Send offer")},
            })
        with freeze_time("2026-03-15 08:00:00"):
            self.assertEqual(self._sent(self._run()), {
                "sm_salesman": sam_items,
                "sm_salesman2": sara_items,
                "sm_manager": {("escalated", "SM Prepare slides")},
            })
        levels = self.env["sales.control.escalation"].search(
            [("item_model", "=", "mail.activity"), ("item_id", "=", self.act_order_1.id)]
        )
        self.assertEqual(
            sorted((e.level, e.user_id.id, e.date) for e in levels),
            [("manager", self.user_manager.id, date(2026, 3, 12)),
             ("team_leader", self.user_leader.id, date(2026, 3, 10))],
        )
        self.assertEqual(len(self.env["sales.control.escalation"].search([])), 8)

    @freeze_time("2026-03-10 08:00:00")
    def test_concurrent_worker_already_claimed(self):
        """Another worker that claimed a user's digest or an escalation first wins: this
        run sends neither (the unique constraints are the arbiter)."""
        self._schedule_known_activities()
        Digest = self.env[DIGEST]
        # another worker committed Sam's digest and the order's leader escalation
        self.assertTrue(Digest._claim_digest(self.user_salesman, self.company, date(2026, 3, 10)))
        self.assertFalse(
            Digest._claim_digest(self.user_salesman, self.company, date(2026, 3, 10)),
            "the second claim of the same user and day fails",
        )
        row = {
            "item_model": "mail.activity", "item_id": self.act_order_1.id,
            "level": "team_leader", "user_id": self.user_leader.id, "date": date(2026, 3, 10),
            "company_id": self.company.id,
        }
        Escalation = self.env["sales.control.escalation"]
        self.assertEqual(len(Escalation._claim([row])), 1)
        self.assertFalse(Escalation._claim([row]), "an item escalates once per level")

        mails = self._mails_by_user(self._run().mail_id)
        self.assertNotIn(self.user_salesman, mails)
        self.assertNotIn(self.user_leader, mails, "its only escalation was already sent")
        self.assertEqual(set(mails), {self.user_salesman_2, self.user_other_team,
                                      self.user_manager})
        self.assertFalse(self.env[DIGEST].search([("user_id", "=", self.user_leader.id)]))

    @freeze_time("2026-03-10 08:00:00")
    def test_mail_lists_a_bounded_number_of_lines(self):
        """The digest keeps every item; its e-mail lists at most MAIL_LINES per group, the
        most overdue first, and says how many more there are."""
        for deadline, summary in ((date(2026, 3, 9), "Least overdue call"),
                                  (date(2026, 3, 2), "Most overdue call"),
                                  (date(2026, 3, 5), "Middle overdue call")):
            self._activity(self.lead_1, self.user_salesman, deadline, summary)
        with patch("odoo.addons.sales_management.models.sales_control_digest.MAIL_LINES", 2):
            digests = self._run()
        digest = digests.filtered(lambda d: d.user_id == self.user_salesman)
        self.assertEqual(digest.item_count, 3)
        self.assertEqual(len(digest.line_ids), 3, "the digest keeps them all")
        body = self._mails_by_user()[self.user_salesman].body_html
        self.assertIn("Most overdue call", body)
        self.assertIn("Middle overdue call", body)
        self.assertNotIn("Least overdue call", body)
        self.assertIn("1 more", body)

    @freeze_time("2026-03-10 08:00:00")
    def test_failure_in_the_middle_of_a_batch(self):
        """A failing recipient is recorded (sales.job.failure) and skipped; the others of
        the same batch are sent; the next run sends the missing one only."""
        self._schedule_known_activities()
        Digest = type(self.env[DIGEST])
        original = Digest._send_digest

        def failing(self_, user, own, escalations):
            if user == self.user_salesman_2:
                raise RuntimeError("SMTP template exploded")
            return original(self_, user, own, escalations)

        with patch.object(Digest, "_send_digest", failing), \
                self.assertLogs("odoo.addons.sales_management.models.sales_job_failure",
                                level="ERROR"):
            first = self.env[DIGEST].with_context(sales_control_batch_size=2) \
                ._send_overdue_digests()
        failure = self.env["sales.job.failure"].search([("job", "=", "overdue_digest")])
        self.assertEqual((failure.res_model, failure.res_id),
                         ("res.users", self.user_salesman_2.id), "recorded for a manager")
        self.assertEqual(
            set(first.user_id),
            {self.user_salesman, self.user_other_team, self.user_leader, self.user_manager},
        )
        self.assertFalse(self.env[DIGEST].search([("user_id", "=", self.user_salesman_2.id)]))
        second = self._run()
        self.assertEqual(second.user_id, self.user_salesman_2)
        mails = self._mails_by_user()
        self.assertEqual(len(mails), 5)
        self.assertEqual(len(self.env["sales.control.escalation"].search([])), 3)

    def test_language_and_time_zone_of_the_recipient(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.user_salesman_2.write({"lang": "fr_FR", "tz": "Pacific/Auckland"})
        # 23:30 UTC on the 10th is already the 11th in Auckland
        with freeze_time("2026-03-10 23:30:00"):
            self._activity(self.lead_2, self.user_salesman_2, date(2026, 3, 10), "Relancer")
            self._activity(self.lead_1, self.user_salesman, date(2026, 3, 10), "Call today")
            digests = self._run()
        mails = self._mails_by_user()
        self.assertNotIn(self.user_salesman, mails, "still the 10th in UTC: not overdue")
        body = mails[self.user_salesman_2].body_html
        self.assertIn("Relancer", body)
        self.assertIn("11/03/2026", body, "dates in the recipient's language format")
        self.assertIn("10/03/2026", body)
        digest = digests.filtered(lambda d: d.user_id == self.user_salesman_2)
        self.assertEqual(digest.date, date(2026, 3, 11))
        relancer = digest.line_ids.filtered(lambda line: line.summary == "Relancer")
        self.assertEqual(relancer.days_overdue, 1)

    @freeze_time("2026-03-10 08:00:00")
    def test_settings_cover_models_and_switch_off(self):
        self._schedule_known_activities()
        self.company.sales_control_digest_orders = False
        self.company.sales_control_digest_todos = False
        mails = self._mails_by_user(self._run().mail_id)
        self.assertNotIn(self.user_salesman_2, mails, "to-dos are not covered")
        self.assertNotIn(self.user_leader, mails, "orders are not covered")
        self.assertNotIn("Chase signature", mails[self.user_salesman].body_html)
        self.assertIn("Call back Alpha", mails[self.user_salesman].body_html)

        self.company.sales_control_digest_enabled = False
        with freeze_time("2026-03-11 08:00:00"):
            self.assertFalse(self._run())

    def test_settings_validation(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.sales_plan_on_track_pace, 90.0)
        self.assertEqual(settings.sales_plan_at_risk_pace, 75.0)
        for values in (
            {"sales_plan_at_risk_pace": 95.0},
            {"sales_plan_on_track_pace": 120.0},
            {"sales_plan_at_risk_pace": 0.0},
            {"sales_control_escalation_leader_days": 8},
            {"sales_control_escalation_manager_days": -1},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError), \
                    self.env.cr.savepoint():
                self.company.write(values)
        self.assertEqual(self.company.sales_plan_on_track_pace, 90.0)

    @freeze_time("2026-03-10 08:00:00")
    def test_ledgers_read_by_managers_only(self):
        self._schedule_known_activities()
        self._run()
        self.assertEqual(
            len(self.env[DIGEST].with_user(self.user_manager).search([])), 5,
        )
        self.assertEqual(
            len(self.env["sales.control.escalation"].with_user(self.user_manager).search([])), 3,
        )
        for user in (self.user_salesman, self.user_leader, self.user_all_docs):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env[DIGEST].with_user(user).search([])
        with self.assertRaises(AccessError):
            self.env[DIGEST].with_user(self.user_manager).search([], limit=1).write(
                {"name": "x"}
            )

    @freeze_time("2026-03-10 08:00:00")
    def test_plan_items_escalate_to_the_parent_plan_responsible(self):
        """A plan's overdue item escalates to its team leader, then to the parent plan's
        responsible (not the company's sales manager); a task's item to its team leader."""
        Plan = self.env["sales.plan"]
        parent = Plan.create({
            "name": "SM Company 2026", "user_id": self.user_all_docs.id,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31),
        })
        child = Plan.create({
            "name": "SM North 2026", "user_id": self.user_salesman.id, "team_id": self.team.id,
            "parent_id": parent.id,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31),
        })
        self._activity(child, self.user_salesman, date(2026, 3, 1), "Write the commitment")
        self._activity(self.task, self.user_salesman_2, date(2026, 3, 6), "Plan the visit")
        sent = {d.user_id: d for d in self._run()}
        self.assertEqual(set(sent), {self.user_salesman, self.user_salesman_2,
                                     self.user_leader, self.user_all_docs})
        sam_lines = sent[self.user_salesman].line_ids
        self.assertEqual(sam_lines.mapped("kind"), ["plan"])
        self.assertIn("Sales Plans", sent[self.user_salesman].mail_id.body_html)
        self.assertEqual(
            {(li.summary, li.kind) for li in sent[self.user_salesman_2].line_ids},
            {("Plan the visit", "task"), ("SM Prepare slides", "todo")},
        )
        self.assertEqual(
            {(li.summary, li.level) for li in sent[self.user_leader].line_ids},
            {("Write the commitment", "team_leader"), ("Plan the visit", "team_leader")},
        )
        self.assertEqual(
            {(li.summary, li.level) for li in sent[self.user_all_docs].line_ids},
            {("Write the commitment", "manager")},
        )
        self.assertIn("Write the commitment", sent[self.user_all_docs].mail_id.body_html)
