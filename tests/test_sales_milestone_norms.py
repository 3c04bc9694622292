"""The right amount per milestone: activity norms (a minimum number of done activities of a
type before a milestone is reached) enforced on the advance as a salesperson, shown as
progress on the opportunity, reported as compliance in Activity Quality, and editable by
sales managers only."""

from datetime import timedelta
from unittest.mock import patch

from common import JsonRpcMixin
from milestone_common import MilestoneCommon

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase


class NormCommon(MilestoneCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only the norm stands between the milestones: no criteria, m1 needs nothing
        (cls.m1 | cls.m2).criterion_ids.unlink()
        cls.m1.activity_type_ids = False
        cls.m2.write({"norm_ids": [Command.create({
            "activity_type_id": cls.meeting.id, "min_count": 2,
        })]})
        cls.norm = cls.m2.norm_ids

    def _at_m1(self, user=None):
        lead = self._lead(user=user)
        lead.with_user(lead.user_id).action_milestone_advance()
        self.assertEqual(lead.milestone_id, self.m1)
        return lead


class TestMilestoneNorms(NormCommon):
    def test_advance_refused_with_one_of_two_meetings_then_allowed(self):
        lead = self._at_m1()
        as_sam = lead.with_user(self.user_salesman)
        self.assertEqual(as_sam.next_milestone_id, self.m2)
        self.assertEqual(as_sam.milestone_norm_progress, "Meeting: 0 of 2 done")
        self._do_activity(lead, self.meeting)
        # an e-mail is not a meeting
        self._do_activity(lead, self.email)
        as_sam.invalidate_recordset()
        self.assertEqual(as_sam.milestone_norm_progress, "Meeting: 1 of 2 done")
        self.assertIn("Meeting: 1 of 2 done", as_sam.milestone_missing)
        self.assertFalse(as_sam.milestone_ready)
        with self.assertRaisesRegex(UserError, "Meeting: 1 of 2 done") as error:
            as_sam.action_milestone_advance()
        self.assertIn("cannot reach Proposal Accepted yet", str(error.exception))
        self.assertEqual(lead.milestone_line_ids.milestone_id, self.m1)
        # the wizard refuses the same way and shows what is missing
        wizard = self.env["sales.lead.milestone.reach"].with_user(self.user_salesman).create(
            {"lead_id": lead.id, "milestone_id": self.m2.id})
        self.assertIn("Meeting: 1 of 2 done", wizard.missing)
        with self.assertRaisesRegex(UserError, "Meeting: 1 of 2 done"):
            wizard.action_confirm()
        # the second meeting: allowed, not overridden
        self._do_activity(lead, self.meeting)
        as_sam.invalidate_recordset()
        self.assertEqual(as_sam.milestone_norm_progress, "Meeting: 2 of 2 done")
        self.assertFalse(as_sam.milestone_missing)
        self.assertTrue(as_sam.milestone_ready)
        as_sam.action_milestone_advance()
        line = lead.milestone_line_ids.filtered(lambda m: m.milestone_id == self.m2)
        self.assertTrue(line)
        self.assertFalse(line.overridden)
        self.assertEqual(lead.milestone_id, self.m2)

    def test_override_logs_the_unmet_norm(self):
        lead = self._at_m1()
        self._do_activity(lead, self.meeting)
        with self.assertRaises(AccessError):
            lead.with_user(self.user_salesman).action_milestone_override()
        lead.with_user(self.user_manager).action_milestone_override()
        line = lead.milestone_line_ids.filtered(lambda m: m.milestone_id == self.m2)
        self.assertTrue(line.overridden)
        self.assertIn("Meeting: 1 of 2 done", line.note)

    def test_norm_rights(self):
        Norm = self.env["sales.milestone.norm"]
        for user in (self.user_salesman, self.user_leader, self.user_all_docs):
            with self.subTest(user=user.login):
                self.assertEqual(Norm.with_user(user).search([("id", "=", self.norm.id)]),
                                 self.norm)
                with self.assertRaises(AccessError):
                    self.norm.with_user(user).write({"min_count": 1})
                with self.assertRaises(AccessError):
                    Norm.with_user(user).create({
                        "milestone_id": self.m1.id, "activity_type_id": self.call.id})
                with self.assertRaises(AccessError):
                    self.m2.with_user(user).write({"norm_ids": [Command.clear()]})
                with self.assertRaises(AccessError):
                    self.norm.with_user(user).unlink()
        self.assertEqual(self.norm.min_count, 2)
        # the manager edits the norms in the milestone form
        self.m2.with_user(self.user_manager).write({"norm_ids": [
            Command.update(self.norm.id, {"min_count": 3}),
            Command.create({"activity_type_id": self.call.id, "min_count": 1}),
        ]})
        self.assertEqual(self.norm.min_count, 3)
        self.assertEqual(len(self.m2.norm_ids), 2)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.norm.with_user(self.user_manager).write({"min_count": 0})

    def test_salesperson_cannot_record_the_milestone_line(self):
        lead = self._at_m1()
        self._do_activity(lead, self.meeting)
        Line = self.env["sales.lead.milestone"].with_user(self.user_salesman)
        with self.assertRaises(AccessError):
            Line.create({"lead_id": lead.id, "milestone_id": self.m2.id})
        line = lead.milestone_line_ids
        with self.assertRaises(AccessError):
            line.with_user(self.user_salesman).write({"milestone_id": self.m2.id})
        with self.assertRaises(AccessError):
            lead.with_user(self.user_salesman).write({"milestone_id": self.m2.id})
        self.assertEqual(lead.milestone_line_ids.milestone_id, self.m1)


class TestMilestoneNormCompliance(NormCommon):
    def _set_message_date(self, lead, activity_type, date):
        messages = self.env["mail.message"].search([
            ("model", "=", "crm.lead"), ("res_id", "=", lead.id),
            ("mail_activity_type_id", "=", activity_type.id)], order="id desc", limit=1)
        messages.sudo().write({"date": date})

    def test_compliance_per_salesperson_and_milestone(self):
        now = fields.Datetime.now()
        # Sam: one compliant line, two not (one meeting; one meeting before and one after)
        ok = self._at_m1()
        self._do_activity(ok, self.meeting)
        self._do_activity(ok, self.meeting)
        ok.with_user(self.user_salesman).action_milestone_advance()
        short = self._at_m1()
        self._do_activity(short, self.meeting)
        short.with_user(self.user_manager).action_milestone_override()
        late = self._at_m1()
        self._do_activity(late, self.meeting)
        late.with_user(self.user_manager).action_milestone_override()
        self._do_activity(late, self.meeting)
        self._set_message_date(late, self.meeting, now + timedelta(days=1))
        # Sally (same team): one compliant line
        other = self._at_m1(user=self.user_salesman_2)
        self._do_activity(other, self.meeting)
        self._do_activity(other, self.meeting)
        other.with_user(self.user_salesman_2).action_milestone_advance()
        self.env.flush_all()
        leads = ok | short | late | other
        # hand-computed: a line is compliant when the meetings done up to its date reach 2
        expected = {}
        for lead in leads:
            line = lead.milestone_line_ids.filtered(lambda m: m.milestone_id == self.m2)
            meetings = self.env["mail.message"].search_count([
                ("model", "=", "crm.lead"), ("res_id", "=", lead.id),
                ("mail_activity_type_id", "=", self.meeting.id),
                ("date", "<=", line.date_reached)])
            lines, met = expected.get(lead.user_id, (0, 0))
            expected[lead.user_id] = (lines + 1, met + (meetings >= 2))
        self.assertEqual(expected, {self.user_salesman: (3, 1), self.user_salesman_2: (1, 1)})
        Report = self.env["sales.milestone.activity.report"]
        groups = Report._read_group(
            [("lead_id", "in", leads.ids)], ["user_id", "milestone_id"],
            ["norm_line_count:sum", "norm_met_count:sum", "norm_met_pct:avg"])
        got = {(user, milestone): rest for user, milestone, *rest in groups}
        self.assertAlmostEqual(got[self.user_salesman, self.m2][2], 100.0 / 3)
        self.assertEqual(tuple(got[self.user_salesman, self.m2][:2]), (3, 1))
        self.assertEqual(tuple(got[self.user_salesman_2, self.m2]), (1, 1, 100.0))
        # m1 has no norm: no compliance measured there
        self.assertEqual(tuple(got[self.user_salesman, self.m1][:2]), (0, 0))
        self.assertFalse(got[self.user_salesman, self.m1][2])
        # a salesperson reads their own compliance only
        [(lines, met, pct)] = Report.with_user(self.user_salesman)._read_group(
            [("lead_id", "in", leads.ids)], [],
            ["norm_line_count:sum", "norm_met_count:sum", "norm_met_pct:avg"])
        self.assertEqual((lines, met), (3, 1))
        self.assertAlmostEqual(pct, 100.0 / 3)
        # the other figures only count their own rows: 7 meetings done, no type missing
        [(done, missing)] = Report._read_group(
            [("lead_id", "in", leads.ids)], [], ["done_count:sum", "missing_count:sum"])
        self.assertEqual((done, missing), (7, 0))


    def test_activity_measures_read_without_the_norm_rows(self):
        """A read of the done and missing activities' measures alone (the dashboard's
        activity quality) queries the report without its norms' rows: the same values
        as a read of every row, and no group of norms' rows only."""
        met = self._at_m1()
        self._do_activity(met, self.meeting)
        self._do_activity(met, self.meeting)
        met.with_user(self.user_salesman).action_milestone_advance()
        short = self._at_m1()
        short.with_user(self.user_manager).action_milestone_override()
        self.env.flush_all()
        leads = met | short
        Report = self.env["sales.milestone.activity.report"]
        select = type(Report)._select
        parts = []

        def spy(report):
            parts.append(report._part_only())
            return select(report)

        domain = [("lead_id", "in", leads.ids)]
        groupby = ["lead_id", "is_required"]
        measures = ["done_count:sum", "missing_count:sum", "right_activity_pct:avg",
                    "on_time_pct:avg", "with_result_pct:avg", "right_way_pct:avg"]
        with patch.object(type(Report), "_select", spy):
            alone = {(lead, required): values for lead, required, *values
                     in Report._read_group(domain, groupby, measures)}
            every_row = {(lead, required): values for lead, required, count, *values
                         in Report._read_group(domain, groupby, ["__count", *measures])}
        self.assertEqual(parts, [True, False])
        # the norms' rows: one per line of m2, not required; short's stands alone (its
        # meeting is missing, a required row)
        norm_only = {key for key, values in every_row.items() if not values[0] + values[1]}
        self.assertIn((short, False), norm_only)
        self.assertEqual(set(alone), set(every_row) - norm_only)
        self.assertEqual(alone, {key: every_row[key] for key in alone})
        self.assertEqual(sum(values[0] for values in alone.values()), 2)
        self.assertEqual(sum(values[1] for values in alone.values()), 1)


class TestMilestoneNormRpc(JsonRpcMixin, NormCommon, HttpCase):
    def test_salesperson_rpc_refused(self):
        lead = self._at_m1()
        self._do_activity(lead, self.meeting)
        self.authenticate(self.user_salesman.login, self.user_salesman.login)
        for model, method, args in (
            ("sales.milestone.norm", "write", [self.norm.ids, {"min_count": 1}]),
            ("sales.milestone", "write", [self.m2.ids, {"norm_ids": [Command.clear()]}]),
            ("sales.lead.milestone", "create",
             [{"lead_id": lead.id, "milestone_id": self.m2.id}]),
            ("crm.lead", "action_milestone_advance", [lead.ids]),
            ("crm.lead", "action_milestone_override", [lead.ids]),
        ):
            with self.subTest(model=model, method=method):
                reply = self._rpc(model, method, args)
                self.assertIn("error", reply)
        self.assertEqual(self.norm.min_count, 2)
        # writing the opportunity's milestone directly is refused too
        reply = self._rpc("crm.lead", "write", [lead.ids, {"milestone_id": self.m2.id}])
        self.assertIn("Reach Next Milestone", reply["error"]["data"]["message"])
        lead.invalidate_recordset()
        self.assertEqual(lead.milestone_line_ids.milestone_id, self.m1)
        self.assertEqual(lead.milestone_id, self.m1)
        error = self._rpc("crm.lead", "action_milestone_advance", [lead.ids])["error"]
        self.assertIn("Meeting: 1 of 2 done", error["data"]["message"])
