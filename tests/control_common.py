"""Fixtures for the control jobs' tests (the overdue digest, the escalation ladder, the
jobs' resilience): the company's escalation settings, users in UTC, and helpers to schedule
activities, run the digest job and read the e-mails it sent."""

from common import SalesManagementCommon

DIGEST = "sales.control.digest"


class ControlDigestCommon(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({
            "sales_control_escalation_leader_days": 3,
            "sales_control_escalation_manager_days": 7,
            "sales_control_manager_id": cls.user_manager.id,
            "sales_control_digest_enabled": True,
        })
        cls.todo_type = cls.env.ref("mail.mail_activity_data_todo")
        users = cls.user_salesman | cls.user_salesman_2 | cls.user_other_team \
            | cls.user_leader | cls.user_manager | cls.user_all_docs | cls.user_internal
        users.write({"tz": "UTC", "lang": "en_US"})

    def _activity(self, record, user, deadline, summary):
        return record.activity_schedule(
            act_type_xmlid="mail.mail_activity_data_todo", date_deadline=deadline,
            user_id=user.id, summary=summary,
        )

    def _digest_mails(self):
        return self.env["mail.mail"].search(
            [("model", "=", DIGEST)], order="id",
        )

    def _run(self):
        return self.env[DIGEST]._send_overdue_digests()

    def _mails_by_user(self, mails=None):
        """{user: mail} for the digest mails, asserting one recipient each."""
        result = {}
        for mail in mails if mails is not None else self._digest_mails():
            self.assertEqual(len(mail.recipient_ids), 1, mail.subject)
            user = mail.recipient_ids.user_ids
            self.assertNotIn(user, result, "one e-mail per user")
            result[user] = mail
        return result
