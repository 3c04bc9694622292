# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MailActivitySalesTask(models.Model):
    """Reminder activities of sales to-dos (see ``sales.task.todo._sync_activities``)."""

    _inherit = "mail.activity"

    sales_task_todo_id = fields.Many2one(
        comodel_name="sales.task.todo", string="Sales To-Do", index="btree_not_null",
        ondelete="set null", readonly=True,
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking a to-do's reminder done (systray, chatter, mobile app) marks the to-do
        done: the activity is the to-do's reminder, not a separate piece of work."""
        todos = self.sales_task_todo_id.filtered(lambda t: t.state == "todo")
        res = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if todos:
            todos.write({"state": "done"})
        return res


class MailActivity(models.Model):
    _inherit = "mail.activity"

    # --- Tracking (transitional milestones) ----------------------------------------------
    def _action_done(self, feedback=False, attachment_ids=None):
        """Keep the deadline and whether a result was recorded on the "done" message of
        opportunities' activities (activity quality per milestone reads them)."""
        pending = {}
        for activity in self.filtered(lambda a: a.res_model == "crm.lead"):
            key = (activity.res_id, activity.activity_type_id.id)
            pending.setdefault(key, []).append(activity.date_deadline)
        messages, next_activities = super()._action_done(
            feedback=feedback, attachment_ids=attachment_ids,
        )
        if pending:
            for message in messages.filtered(lambda m: m.model == "crm.lead"):
                deadlines = pending.get((message.res_id, message.mail_activity_type_id.id))
                if deadlines:
                    message.sudo().write({
                        "activity_deadline_date": deadlines.pop(0),
                        "activity_feedback_recorded": bool(feedback and feedback.strip()),
                    })
        return messages, next_activities
