# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError


class SalesTaskDoneWizard(models.TransientModel):
    """Close tasks whose to-dos are still open: the user decides, explicitly, whether the
    open to-dos were done or are dropped. Writing ``state='done'`` on a task with open
    to-dos anywhere else is refused."""

    _name = "sales.task.done.wizard"
    _description = "Close Sales Tasks with Open To-Dos"
    _inherit = ["sales.wizard.guard.mixin"]
    # only on tasks the user may change (the wizard holds no rights of its own)
    _wizard_access = ("task_ids", "write")

    task_ids = fields.Many2many(comodel_name="sales.task", string="Tasks", required=True)
    todo_ids = fields.Many2many(
        comodel_name="sales.task.todo", string="Open To-Dos",
        compute="_compute_todo_ids",
    )

    @api.depends("task_ids")
    def _compute_todo_ids(self):
        for wizard in self:
            wizard.todo_ids = wizard.task_ids.todo_ids.filtered(lambda t: t.state == "todo")

    def action_done_todos(self):
        """Mark the open to-dos done, then the tasks."""
        return self._close("done")

    def action_cancel_todos(self):
        """Cancel the open to-dos, then mark the tasks done."""
        return self._close("cancelled")

    def _close(self, todo_state):
        self.ensure_one()
        tasks = self.task_ids
        if tasks.filtered(lambda t: t.state not in ("draft", "in_progress")):
            raise UserError(self.env._("Only draft or running tasks can be closed."))
        tasks.todo_ids.filtered(lambda t: t.state == "todo").write({"state": todo_state})
        tasks.write({"state": "done"})
        return {"type": "ir.actions.act_window_close"}
