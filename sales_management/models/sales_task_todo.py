# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""To-do items of a sales task, their resources, and their reminder activities."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sales_input_guard import check_input, check_vals
from .sales_overrun_mixin import OVERRUN_FIELDS

TODO_STATES = [("todo", "To Do"), ("done", "Done"), ("cancelled", "Cancelled")]
# a change of these to-do fields may create, move, reassign, close or remove its activity
ACTIVITY_FIELDS = {"state", "date_deadline", "user_id", "name", "task_id"}

class SalesTaskTodo(models.Model):
    _name = "sales.task.todo"
    _description = "Sales Task To-Do"
    _inherit = [
        "sales.link.guard.mixin", "sales.workflow.guard.mixin", "sales.input.guard.mixin",
        "sales.overrun.mixin",
    ]
    _order = "task_id, sequence, id"
    # set by the state transitions only (create/write, below)
    _workflow_fields = frozenset({"date_done"}) | OVERRUN_FIELDS
    _check_company_auto = True
    _link_guard_fields = {"task_id": "write", "user_id": "assign"}
    _overrun_money_fields = ("amount_planned", "amount_used")

    # ------------------------------------------------------------------ fields
    task_id = fields.Many2one(
        comodel_name="sales.task", string="Task", required=True, index=True,
        ondelete="cascade", check_company=True,
    )
    company_id = fields.Many2one(related="task_id.company_id", store=True, index=True)
    # computed before create (precompute): the properties of a new to-do need its team
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", index=True,
        compute="_compute_team_id", store=True, precompute=True,
    )
    todo_properties = fields.Properties(
        string="Properties", definition="team_id.sales_todo_properties_definition", copy=True,
    )
    currency_id = fields.Many2one(related="task_id.currency_id")
    task_state = fields.Selection(related="task_id.state", string="Task Status")
    result_unit = fields.Char(related="task_id.result_unit")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="To-Do", required=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Owner", index=True, check_company=True,
        domain="[('share', '=', False)]",
        compute="_compute_user_id", store=True, readonly=False, precompute=True,
        help="Who does it; gets the reminder activity. Defaults to the task's assignee.",
    )
    date_deadline = fields.Date(string="Deadline", index=True)
    date_done = fields.Date(string="Done On", readonly=True, copy=False)
    planned_hours = fields.Float()
    spent_hours = fields.Float()
    resource_ids = fields.One2many(
        comodel_name="sales.task.resource", inverse_name="todo_id", string="Resources",
        copy=True,
    )
    amount_planned = fields.Monetary(
        string="Planned Resources", currency_field="currency_id",
        compute="_compute_amounts", store=True,
    )
    amount_used = fields.Monetary(
        string="Used Resources", currency_field="currency_id",
        compute="_compute_amounts", store=True,
    )
    expected_value = fields.Float(help="The measured result this to-do should bring.")
    actual_value = fields.Float(help="The measured result it brought.")
    result_note = fields.Text(string="Result Notes")
    state = fields.Selection(
        selection=TODO_STATES, default="todo", required=True, index=True, copy=False,
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue",
    )
    is_due_this_week = fields.Boolean(
        string="Due This Week", compute="_compute_is_due_this_week",
        search="_search_is_due_this_week",
        help="To do, with a deadline in the current week (see the task's field).",
    )
    activity_ids = fields.One2many(
        comodel_name="mail.activity", inverse_name="sales_task_todo_id",
        string="Reminder Activities", readonly=True,
    )

    # ------------------------------------------------------------------ computes
    @api.depends("task_id.team_id")
    def _compute_team_id(self):
        for todo in self:
            todo.team_id = todo.task_id.team_id

    @api.depends("task_id")
    def _compute_user_id(self):
        for todo in self:
            if not todo.user_id:
                todo.user_id = todo.task_id.user_id

    @api.depends("resource_ids.amount_planned", "resource_ids.amount_used")
    def _compute_amounts(self):
        for todo in self:
            todo.amount_planned = sum(todo.resource_ids.mapped("amount_planned"))
            todo.amount_used = sum(todo.resource_ids.mapped("amount_used"))

    @api.depends_context("tz")
    @api.depends("state", "date_deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for todo in self:
            todo.is_overdue = bool(
                todo.state == "todo" and todo.date_deadline and todo.date_deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported on 'Overdue'."))
        today = fields.Date.context_today(self)
        domain = [("state", "=", "todo"), ("date_deadline", "<", today)]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", *domain]

    @api.depends_context("tz", "lang")
    @api.depends("state", "date_deadline")
    def _compute_is_due_this_week(self):
        start, end = self.env["sales.task"]._current_week()
        for todo in self:
            todo.is_due_this_week = bool(
                todo.state == "todo" and todo.date_deadline
                and start <= todo.date_deadline <= end
            )

    def _search_is_due_this_week(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported on 'Due This Week'."))
        start, end = self.env["sales.task"]._current_week()
        domain = [("state", "=", "todo"),
                  ("date_deadline", ">=", start), ("date_deadline", "<=", end)]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", "&", *domain]

    # ------------------------------------------------------------------ constraints
    @api.constrains("planned_hours", "spent_hours")
    def _check_hours(self):
        for todo in self:
            if todo.planned_hours < 0 or todo.spent_hours < 0:
                raise ValidationError(self.env._(
                    "The hours of to-do '%(todo)s' cannot be negative.", todo=todo.name,
                ))

    @api.constrains("date_deadline", "planned_hours", "spent_hours", "expected_value",
                    "actual_value")
    def _check_input_guard(self):
        check_input(self, numbers=("expected_value", "actual_value"),
                    non_negative=("planned_hours", "spent_hours"), dates=("date_deadline",))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = check_vals(self, vals_list)
        self._check_workflow_fields(vals_list, create=True)
        self._check_links(vals_list)
        task_ids = {vals.get("task_id") for vals in vals_list if vals.get("task_id")}
        self.env["sales.task"].browse(task_ids)._check_accepts_todos()
        for vals in vals_list:
            if vals.get("state") == "done":
                vals["date_done"] = fields.Date.context_today(self)
        # property values are written once the to-do has its team (their definition):
        # given to create, the team's computation after the insert would drop them
        properties = [vals.pop("todo_properties", None) for vals in vals_list]
        todos = super().create(vals_list)
        for todo, values in zip(todos, properties):
            if values:
                todo.todo_properties = values
        todos._sync_activities()
        return todos

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        self._check_workflow_fields([vals])
        self._check_links([vals])
        if vals.get("task_id"):
            self.env["sales.task"].browse(vals["task_id"])._check_accepts_todos()
        if vals.get("state") == "done":
            vals["date_done"] = fields.Date.context_today(self)
        elif vals.get("state"):
            vals["date_done"] = False
        res = super().write(vals)
        if ACTIVITY_FIELDS & vals.keys():
            self._sync_activities()
        return res

    def unlink(self):
        self.sudo().activity_ids.unlink()
        return super().unlink()

    # ------------------------------------------------------------------ actions
    def action_done(self):
        self.filtered(lambda t: t.state == "todo").write({"state": "done"})
        return True

    def action_cancel(self):
        self.filtered(lambda t: t.state == "todo").write({"state": "cancelled"})
        return True

    def action_reopen(self):
        if self.task_id.filtered(lambda t: t.state not in ("draft", "in_progress")):
            raise UserError(self.env._("Reopen the task before reopening its to-dos."))
        self.filtered(lambda t: t.state != "todo").write({"state": "todo"})
        return True

    def action_open_form(self):
        self.ensure_one()
        return self._get_records_action(view_mode="form", target="new", context={})

    # ------------------------------------------------------------------ activities
    def _needs_activity(self):
        self.ensure_one()
        return bool(
            self.state == "todo" and self.date_deadline and self.user_id
            and self.task_id.state in ("draft", "in_progress")
        )

    def _activity_values(self):
        self.ensure_one()
        return {
            "res_model_id": self.env["ir.model"]._get_id("sales.task"),
            "res_id": self.task_id.id,
            "activity_type_id": self._activity_type().id,
            "summary": self.name,
            "date_deadline": self.date_deadline,
            "user_id": self.user_id.id,
            "sales_task_todo_id": self.id,
        }

    @api.model
    def _activity_type(self):
        return self.env.ref(
            "sales_management.mail_activity_type_sales_todo", raise_if_not_found=False,
        ) or self.env.ref("mail.mail_activity_data_todo")

    def _sync_activities(self):
        """Keep exactly one open ``mail.activity`` per open to-do with a deadline and an
        owner: create the missing ones, move/reassign/rename the stale ones, mark the
        activities of done to-dos done (a message in the task's chatter), remove those
        of cancelled to-dos or of to-dos without deadline.

        Batched: one search for all the to-dos' activities, one create for the missing
        ones, one write per distinct set of changes (rescheduling ten to-dos to the same
        day is one write).
        Access was checked on the to-dos themselves; activities are handled as superuser
        because the owner of a to-do is not necessarily allowed to edit the whole task.
        """
        if not self:
            return
        Activity = self.env["mail.activity"].sudo()
        activities = Activity.search([("sales_task_todo_id", "in", self.ids)])
        by_todo = defaultdict(Activity.browse)
        for activity in activities:
            by_todo[activity.sales_task_todo_id.id] |= activity
        to_create, to_remove, to_done = [], Activity, Activity
        to_update = defaultdict(Activity.browse)
        for todo in self.exists():
            current = by_todo[todo.id]
            if todo.state == "done":
                to_done |= current
            elif not todo._needs_activity():
                to_remove |= current
            elif not current:
                to_create.append(todo._activity_values())
            else:
                keep = current[0]
                to_remove |= current[1:]
                changes = {}
                if keep.date_deadline != todo.date_deadline:
                    changes["date_deadline"] = todo.date_deadline
                if keep.user_id != todo.user_id:
                    changes["user_id"] = todo.user_id.id
                if keep.summary != todo.name:
                    changes["summary"] = todo.name
                if keep.res_id != todo.task_id.id:
                    changes["res_id"] = todo.task_id.id
                if changes:
                    # to-dos rescheduled together share one write
                    to_update[tuple(sorted(changes.items()))] |= keep
        to_remove.unlink()
        for changes, acts in to_update.items():
            acts.write(dict(changes))
        if to_create:
            # Subscribe each owner once per task first: mail.activity's batch create
            # subscribes per (user, task) and inserts the same follower twice when one
            # batch holds two activities of one user on one task.
            per_user = defaultdict(set)
            for vals in to_create:
                per_user[vals["user_id"]].add(vals["res_id"])
            Users = self.env["res.users"].sudo()
            for user_id, task_ids in per_user.items():
                self.env["sales.task"].sudo().browse(task_ids).message_subscribe(
                    partner_ids=Users.browse(user_id).partner_id.ids,
                )
            Activity.create(to_create)
        if to_done:
            to_done._action_done()


class SalesTaskResource(models.Model):
    """Resources planned and used by a to-do: people involved, budget, materials."""

    _name = "sales.task.resource"
    _description = "Sales Task Resource"
    _inherit = ["sales.input.guard.mixin"]
    _order = "todo_id, sequence, id"
    _check_company_auto = True

    todo_id = fields.Many2one(
        comodel_name="sales.task.todo", string="To-Do", required=True, index=True,
        ondelete="cascade",
    )
    task_id = fields.Many2one(related="todo_id.task_id", store=True, index=True)
    company_id = fields.Many2one(related="todo_id.company_id", store=True)
    currency_id = fields.Many2one(related="todo_id.currency_id")
    sequence = fields.Integer(default=10)
    type = fields.Selection(
        selection=[
            ("people", "People"),
            ("budget", "Budget"),
            ("material", "Material"),
            ("other", "Other"),
        ],
        required=True, default="people",
    )
    description = fields.Char(required=True)
    quantity_planned = fields.Float(
        help="People: person-days; materials: units; budget: leave 0 and use the amount.",
    )
    quantity_used = fields.Float()
    amount_planned = fields.Monetary(currency_field="currency_id")
    amount_used = fields.Monetary(currency_field="currency_id")

    @api.constrains("quantity_planned", "quantity_used", "amount_planned", "amount_used")
    def _check_positive(self):
        for line in self:
            if min(line.quantity_planned, line.quantity_used, line.amount_planned,
                   line.amount_used) < 0:
                raise ValidationError(self.env._(
                    "Quantities and amounts of resource '%(resource)s' cannot be negative.",
                    resource=line.description,
                ))

    @api.constrains("quantity_planned", "quantity_used", "amount_planned", "amount_used")
    def _check_input_guard(self):
        check_input(self, non_negative=("quantity_planned", "quantity_used",
                                        "amount_planned", "amount_used"))
