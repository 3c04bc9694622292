# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MailActivity(models.Model):
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
