"""The milestones' test data: three milestones (a criterion guard, a required activity
type, a won one), three stages, and helpers to create an opportunity and to do an activity
as its salesperson. Shared by the milestone and the activity norm tests."""

from common import SalesManagementCommon

from odoo import Command, fields


class MilestoneCommon(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call = cls.env.ref("mail.mail_activity_data_call")
        cls.meeting = cls.env.ref("mail.mail_activity_data_meeting")
        cls.email = cls.env.ref("mail.mail_activity_data_email")
        Stage = cls.env["crm.stage"]
        cls.stage_new = Stage.create({"name": "SM New", "sequence": 1})
        cls.stage_proposal = Stage.create({"name": "SM Proposal", "sequence": 5})
        cls.stage_won = Stage.create({"name": "SM Won", "sequence": 9, "is_won": True})
        Milestone = cls.env["sales.milestone"]
        cls.m1 = Milestone.create({
            "name": "Qualified", "sequence": 10,
            "activity_type_ids": [Command.set(cls.call.ids)],
            "guidance": "<p>Budget and timeline known</p>",
            "criterion_ids": [
                Command.create({"name": "Budget identified", "sequence": 1}),
                Command.create({"name": "Timeline known", "sequence": 2}),
            ],
        })
        cls.m2 = Milestone.create({
            "name": "Proposal Accepted", "sequence": 20,
            "activity_type_ids": [Command.set(cls.meeting.ids)],
            "stage_ids": [Command.set(cls.stage_proposal.ids)],
            "criterion_ids": [Command.create({"name": "Scope agreed"})],
        })
        cls.m3 = Milestone.create({"name": "Won", "sequence": 90, "is_won": True})
        cls.company.write({
            "milestone_window_months": 12, "milestone_min_closed": 5,
            "milestone_stalled_factor": 2.0,
        })

    def _lead(self, user=None, team=None, **values):
        user = user or self.user_salesman
        return self.env["crm.lead"].create({
            "name": values.pop("name", "SM Opportunity"),
            "type": "opportunity",
            "user_id": user.id,
            "team_id": (team or self.team).id,
            "partner_id": self.customer_be.id,
            "stage_id": self.stage_new.id,
            **values,
        })

    def _do_activity(self, lead, activity_type, user=None, deadline=None, feedback="Done"):
        """Schedule and mark done an activity the way a user does it."""
        user = user or lead.user_id
        activity = lead.with_user(user).activity_schedule(
            activity_type_id=activity_type.id, user_id=user.id,
            date_deadline=deadline or fields.Date.today(),
        )
        activity.with_user(user).action_feedback(feedback=feedback)
