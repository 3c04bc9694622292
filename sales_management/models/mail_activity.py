# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MailActivity(models.Model):
    """Sales Management hooks on activities:

    - Execution: reminder activities of sales to-dos (see ``sales.task.todo._sync_activities``);
      marking one done marks its to-do done.
    - Tracking: the "done" message of an opportunity's activity keeps the activity's deadline
      and whether a result was recorded (activity quality per milestone reads them).
    """

    _inherit = "mail.activity"

    sales_task_todo_id = fields.Many2one(
        comodel_name="sales.task.todo", string="Sales To-Do", index="btree_not_null",
        ondelete="set null", readonly=True,
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        # Execution: the activity is the to-do's reminder, not a separate piece of work
        todos = self.sales_task_todo_id.filtered(lambda t: t.state == "todo")
        # Tracking: remember deadlines before the activities are deleted
        pending = {}
        for activity in self.filtered(lambda a: a.res_model == "crm.lead"):
            key = (activity.res_id, activity.activity_type_id.id)
            pending.setdefault(key, []).append(activity.date_deadline)
        messages, next_activities = super()._action_done(
            feedback=feedback, attachment_ids=attachment_ids,
        )
        if todos:
            todos.write({"state": "done"})
        if pending:
            for message in messages.filtered(lambda m: m.model == "crm.lead"):
                deadlines = pending.get((message.res_id, message.mail_activity_type_id.id))
                if deadlines:
                    message.sudo().write({
                        "activity_deadline_date": deadlines.pop(0),
                        "activity_feedback_recorded": bool(feedback and feedback.strip()),
                    })
        return messages, next_activities
