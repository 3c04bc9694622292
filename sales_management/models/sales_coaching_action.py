# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Agreed actions of a 1:1 coaching session.

Each action has a description, an owner, a deadline and a state. Converting it
(``_convert``, the session's button) makes the piece of work it becomes: a to-do of the
sales task it names, else an activity on its opportunity, else an activity on the
session — owned by the action's owner, due on its deadline. Its state then follows that
to-do or activity (``_sync_state``): done when they are done, cancelled when the activity
was cancelled.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .sales_coaching_session import ACTION_STATES
from .sales_input_guard import check_input, check_vals


class SalesCoachingAction(models.Model):
    _name = "sales.coaching.action"
    _description = "Sales Coaching Agreed Action"
    _inherit = [
        "sales.link.guard.mixin", "sales.workflow.guard.mixin", "sales.input.guard.mixin",
    ]
    _order = "session_id, sequence, id"
    _check_company_auto = True
    # the state moves by the buttons and follows the to-do / activity made from it
    _workflow_fields = frozenset({"state", "todo_id", "activity_id", "is_converted"})
    _link_guard_fields = {
        "session_id": "write", "user_id": "assign", "lead_id": "read", "task_id": "write",
    }

    session_id = fields.Many2one(
        comodel_name="sales.coaching.session", string="Session", required=True, index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="session_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Action", required=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Owner", required=True, index=True,
        domain=[("share", "=", False)], check_company=True,
        compute="_compute_user_id", store=True, readonly=False, precompute=True,
        help="Who does it: the salesperson by default.",
    )
    date_deadline = fields.Date(
        string="Deadline", required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=7),
    )
    lead_id = fields.Many2one(
        comodel_name="crm.lead", string="Opportunity", check_company=True,
        ondelete="set null", help="The activity is scheduled on this opportunity.",
    )
    task_id = fields.Many2one(
        comodel_name="sales.task", string="Sales Task", check_company=True,
        ondelete="set null", help="The action becomes a to-do of this task.",
    )
    state = fields.Selection(
        selection=ACTION_STATES, default="open", required=True, readonly=True, copy=False,
    )
    todo_id = fields.Many2one(
        comodel_name="sales.task.todo", string="To-Do", readonly=True, copy=False,
        ondelete="set null",
    )
    activity_id = fields.Many2one(
        comodel_name="mail.activity", string="Activity", readonly=True, copy=False,
        ondelete="set null",
    )
    is_converted = fields.Boolean(
        string="Converted", readonly=True, copy=False,
        help="A to-do or an activity was made from the action.",
    )

    @api.depends("session_id")
    def _compute_user_id(self):
        for action in self:
            if not action.user_id:
                action.user_id = action.session_id.user_id

    @api.constrains("date_deadline")
    def _check_input_guard(self):
        check_input(self, dates=("date_deadline",))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = check_vals(self, vals_list)
        self._check_workflow_fields(vals_list, create=True)
        self._check_links(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        self._check_workflow_fields([vals])
        self._check_links([vals])
        return super().write(vals)

    # ------------------------------------------------------------------ actions
    def action_done(self):
        """The owner, or whoever runs the session, marks the action done."""
        self._check_may_close()
        self._workflow_write({"state": "done"})
        return True

    def action_cancel(self):
        self._check_may_close()
        self._workflow_write({"state": "cancelled"})
        return True

    def _check_may_close(self):
        self.check_access("read")
        refused = self.filtered(
            lambda a: a.user_id != self.env.user and not a.session_id._may_coach())
        if refused:
            raise AccessError(self.env._(
                "Only the owner or the coach closes the action %(name)s.",
                name=", ".join(refused.mapped("name")),
            ))
        if self.filtered(lambda a: a.state != "open"):
            raise UserError(self.env._("Only open actions can be closed."))

    # ------------------------------------------------------------------ business
    def _convert(self):
        """Make each action's to-do or activity (see the module docstring). The caller's
        rights decide: a to-do is created as the caller (the task's rules), an activity
        on an opportunity only for an opportunity the caller reads."""
        Todo = self.env["sales.task.todo"]
        for action in self:
            session = action.session_id
            if action.task_id:
                todo = Todo.create({
                    "task_id": action.task_id.id, "name": action.name,
                    "user_id": action.user_id.id, "date_deadline": action.date_deadline,
                })
                action._workflow_write({"todo_id": todo.id, "is_converted": True})
                continue
            if action.lead_id:
                action.lead_id.check_access("read")
                record = action.lead_id.sudo()
            else:
                record = session.sudo()
            activity = record.activity_schedule(
                "sales_management.mail_activity_type_coaching_action",
                date_deadline=action.date_deadline, user_id=action.user_id.id,
                summary=action.name,
                note=self.env._("Agreed in %(session)s", session=session.display_name),
            )
            action._workflow_write({"activity_id": activity.id, "is_converted": True})

    def _sync_state(self):
        """Open converted actions follow their to-do or activity: done when it is done,
        cancelled when the to-do was cancelled or the activity deleted."""
        for action in self.sudo().filtered(lambda a: a.state == "open" and a.is_converted):
            state = "open"
            if action.todo_id:
                state = {"done": "done", "cancelled": "cancelled"}.get(
                    action.todo_id.state, "open")
            elif action.activity_id:
                activity = action.activity_id.with_context(active_test=False)
                if not activity.active and activity.date_done:
                    state = "done"
            else:
                state = "cancelled"  # its to-do or activity was deleted
            if state != "open":
                action.state = state
