# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sales tasks: how a salesperson executes an assignment, broken down into to-dos.

A ``sales.task`` is the unit of execution: the salesperson writes an execution plan, splits
the work into ``sales.task.todo`` items (time, resources, measured result), and the task
rolls everything up: progress, hours, budget/cost and results. Reminders are not a parallel
notification system: each open to-do with a deadline owns exactly one ``mail.activity`` on
the task (see ``sales.task.todo._sync_activities``), so the systray, "My Activities", the
mobile app and e-mail reminders show it without any extra UI.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

from .sales_input_guard import check_input, check_vals
from .sales_overrun_mixin import OVERRUN_FIELDS

TASK_STATES = [
    ("draft", "Draft"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
OPEN_TASK_STATES = ("draft", "in_progress")
HEALTH = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("off_track", "Off Track"),
]


class SalesTask(models.Model):
    _name = "sales.task"
    _description = "Sales Task"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "sales.link.guard.mixin",
        "sales.workflow.guard.mixin", "sales.input.guard.mixin", "sales.overrun.mixin",
    ]
    _order = "priority desc, date_deadline asc, id desc"
    # set by the state transitions only (write, below)
    _workflow_fields = frozenset({"date_done"}) | OVERRUN_FIELDS
    _check_company_auto = True
    _link_guard_fields = {
        "plan_id": "read", "target_id": "read", "lead_id": "read",
        "user_id": "assign", "team_id": "assign",
    }
    # Invariants (dates, non-negative amounts) are Python constraints, not SQL CHECKs:
    # create() inserts the row before constraints run, and a CHECK would surface as a raw
    # IntegrityError instead of a translated ValidationError naming the task.

    # ------------------------------------------------------------------ fields
    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    plan_id = fields.Many2one(
        comodel_name="sales.plan", string="Sales Plan", index="btree_not_null",
        check_company=True, tracking=True,
        compute="_compute_plan_id", store=True, readonly=False, precompute=True,
        help="The plan this task contributes to (set from the target when there is one).",
    )
    target_id = fields.Many2one(
        comodel_name="sales.plan.target", string="Target", index="btree_not_null",
        check_company=True, tracking=True,
        domain="[('plan_id', '=?', plan_id)]",
        help="The plan target this task serves; its results roll up to the target.",
    )
    lead_id = fields.Many2one(
        comodel_name="crm.lead", string="Opportunity", index="btree_not_null",
        check_company=True, tracking=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", index="btree_not_null",
        check_company=True, tracking=True,
        compute="_compute_partner_id", store=True, readonly=False, precompute=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Assigned to", index=True, tracking=True,
        default=lambda self: self.env.user, check_company=True,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", index=True, tracking=True,
        check_company=True,
        compute="_compute_team_id", store=True, readonly=False, precompute=True,
    )
    task_properties = fields.Properties(
        string="Properties", definition="team_id.sales_task_properties_definition", copy=True,
    )
    manager_id = fields.Many2one(
        related="team_id.user_id", string="Team Leader", store=True,
        help="The leader of the task's sales team: they follow and may edit the task.",
    )
    template_id = fields.Many2one(
        comodel_name="sales.task.template", string="Template", check_company=True,
        help="Choosing a template on a new task fills in its to-dos, their hours, expected "
        "results and deadlines relative to the start date.",
    )
    priority = fields.Selection(
        selection=[("0", "Normal"), ("1", "Important"), ("2", "High"), ("3", "Urgent")],
        default="0", index=True, tracking=True,
    )
    date_start = fields.Date(
        string="Start Date", default=fields.Date.context_today, tracking=True,
    )
    date_deadline = fields.Date(string="Deadline", index=True, tracking=True)
    date_done = fields.Date(string="Completed On", readonly=True, copy=False)
    state = fields.Selection(
        selection=TASK_STATES, default="draft", required=True, index=True,
        tracking=True, copy=False, group_expand="_group_expand_states",
    )
    execution_plan = fields.Html(
        help="How you will carry out the task: approach, people, arguments, milestones. "
        "A company setting can require it before the task starts.",
    )
    result_unit = fields.Char(
        string="Measured In", tracking=True,
        help="The metric or unit of the expected and actual results, e.g. 'meetings', "
        "'EUR of signed orders', 'demos'.",
    )
    expected_result = fields.Float(
        compute="_compute_results", store=True, readonly=False, tracking=True,
        help="Rolled up from the expected values of the to-dos when they measure a "
        "result; typed in on the task otherwise.",
    )
    actual_result = fields.Float(
        compute="_compute_results", store=True, readonly=False, tracking=True,
        help="Rolled up from the actual values of the to-dos when they measure a result; "
        "typed in on the task otherwise.",
    )
    result_note = fields.Text(string="Result Notes")
    planned_hours = fields.Float(
        compute="_compute_hours", store=True, readonly=False, tracking=True,
        help="Sum of the to-dos' planned hours (cancelled ones excluded) once the task "
        "has to-dos.",
    )
    spent_hours = fields.Float(
        compute="_compute_hours", store=True, readonly=False,
        help="Sum of the hours spent on the to-dos (cancelled ones included: the time "
        "was spent) once the task has to-dos.",
    )
    budget = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_money", store=True, readonly=False, tracking=True,
        help="Sum of the amounts planned on the to-dos' resources when there are any; "
        "typed in on the task otherwise.",
    )
    cost = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_money", store=True, readonly=False,
        help="Sum of the amounts used on the to-dos' resources when there are any; typed "
        "in on the task otherwise.",
    )
    progress = fields.Float(
        compute="_compute_progress", store=True, aggregator="avg",
        help="Share of the to-dos done, weighted by planned hours when every open to-do "
        "has planned hours; 100% when the task is done.",
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue",
    )
    is_due_this_week = fields.Boolean(
        string="Due This Week", compute="_compute_is_due_this_week",
        search="_search_is_due_this_week",
        help="Open, with a deadline in the current week; the week starts on the first day "
        "of the week of the user's language, as in Odoo's calendar.",
    )
    health = fields.Selection(
        selection=HEALTH, compute="_compute_health",
        help="Off track: overdue. At risk: progress behind the time elapsed between start "
        "and deadline, or an overdue to-do. On track otherwise.",
    )
    kanban_color = fields.Integer(compute="_compute_is_overdue")
    todo_ids = fields.One2many(
        comodel_name="sales.task.todo", inverse_name="task_id", string="To-Dos", copy=True,
    )
    todo_count = fields.Integer(compute="_compute_todo_stats")
    todo_done_count = fields.Integer(compute="_compute_todo_stats")
    todo_open_count = fields.Integer(compute="_compute_todo_stats")
    todo_overdue_count = fields.Integer(compute="_compute_todo_stats")
    results_from_todos = fields.Boolean(compute="_compute_todo_stats")
    money_from_todos = fields.Boolean(compute="_compute_todo_stats")

    # ------------------------------------------------------------------ computes
    @api.depends("target_id")
    def _compute_plan_id(self):
        for task in self:
            if task.target_id:
                task.plan_id = task.target_id.plan_id

    @api.depends("lead_id")
    def _compute_partner_id(self):
        for task in self:
            if task.lead_id.partner_id:
                task.partner_id = task.lead_id.partner_id

    @api.depends("user_id")
    def _compute_team_id(self):
        """Keep the team when the assignee belongs to it, else take the assignee's team
        (one lookup per distinct user, not per task)."""
        cache = {}
        Team = self.env["crm.team"]
        for task in self:
            user = task.user_id
            if not user or user in (task.team_id.member_ids | task.team_id.user_id):
                continue
            if user.id not in cache:
                cache[user.id] = Team._get_default_team_id(
                    user_id=user.id, domain=[("company_id", "in", [False, task.company_id.id])],
                )
            task.team_id = cache[user.id]

    @api.depends("todo_ids.state", "todo_ids.expected_value", "todo_ids.actual_value")
    def _compute_results(self):
        for task in self:
            todos = task.todo_ids.filtered(lambda t: t.state != "cancelled")
            if any(todos.mapped("expected_value")):
                task.expected_result = sum(todos.mapped("expected_value"))
                task.actual_result = sum(todos.mapped("actual_value"))

    @api.depends("todo_ids.state", "todo_ids.planned_hours", "todo_ids.spent_hours")
    def _compute_hours(self):
        for task in self:
            if task.todo_ids:
                task.planned_hours = sum(
                    task.todo_ids.filtered(lambda t: t.state != "cancelled").mapped(
                        "planned_hours"
                    )
                )
                task.spent_hours = sum(task.todo_ids.mapped("spent_hours"))

    @api.depends("todo_ids.resource_ids.amount_planned", "todo_ids.resource_ids.amount_used")
    def _compute_money(self):
        for task in self:
            resources = task.todo_ids.resource_ids
            if resources:
                task.budget = sum(resources.mapped("amount_planned"))
                task.cost = sum(resources.mapped("amount_used"))

    @api.depends("state", "todo_ids.state", "todo_ids.planned_hours")
    def _compute_progress(self):
        for task in self:
            task.progress = task._progress_from_todos(task.todo_ids)

    @api.depends_context("tz")
    @api.depends("state", "date_deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for task in self:
            task.is_overdue = bool(
                task.state in OPEN_TASK_STATES
                and task.date_deadline
                and task.date_deadline < today
            )
            task.kanban_color = 1 if task.is_overdue else 0

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported on 'Overdue'."))
        today = fields.Date.context_today(self)
        domain = [("state", "in", OPEN_TASK_STATES), ("date_deadline", "<", today)]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", *domain]

    @api.depends_context("tz", "lang")
    @api.depends("state", "date_deadline")
    def _compute_is_due_this_week(self):
        start, end = self._current_week()
        for task in self:
            task.is_due_this_week = bool(
                task.state in OPEN_TASK_STATES and task.date_deadline
                and start <= task.date_deadline <= end
            )

    def _search_is_due_this_week(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported on 'Due This Week'."))
        start, end = self._current_week()
        domain = [("state", "in", OPEN_TASK_STATES),
                  ("date_deadline", ">=", start), ("date_deadline", "<=", end)]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", "&", *domain]

    @api.depends_context("tz")
    @api.depends("state", "date_start", "date_deadline", "progress", "todo_ids.is_overdue")
    def _compute_health(self):
        today = fields.Date.context_today(self)
        for task in self:
            task.health = task._health_on(today)

    @api.depends("todo_ids.state", "todo_ids.is_overdue", "todo_ids.expected_value",
                 "todo_ids.resource_ids")
    def _compute_todo_stats(self):
        for task in self:
            todos = task.todo_ids
            task.todo_count = len(todos)
            task.todo_done_count = len(todos.filtered(lambda t: t.state == "done"))
            task.todo_open_count = len(todos.filtered(lambda t: t.state == "todo"))
            task.todo_overdue_count = len(todos.filtered("is_overdue"))
            task.results_from_todos = any(
                todos.filtered(lambda t: t.state != "cancelled").mapped("expected_value")
            )
            task.money_from_todos = bool(todos.resource_ids)

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in TASK_STATES]

    # ------------------------------------------------------------------ constraints
    @api.constrains("date_start", "date_deadline")
    def _check_dates(self):
        for task in self:
            if task.date_start and task.date_deadline and task.date_deadline < task.date_start:
                raise ValidationError(self.env._(
                    "The deadline of task '%(task)s' (%(deadline)s) cannot be before its "
                    "start date (%(start)s).",
                    task=task.name, deadline=task.date_deadline, start=task.date_start,
                ))

    @api.constrains("plan_id", "target_id")
    def _check_target_in_plan(self):
        for task in self:
            if task.target_id and task.target_id.plan_id != task.plan_id:
                raise ValidationError(self.env._(
                    "The target of task '%(task)s' belongs to plan '%(target_plan)s', not to "
                    "'%(plan)s'.",
                    task=task.name, target_plan=task.target_id.plan_id.display_name,
                    plan=task.plan_id.display_name,
                ))

    @api.constrains("planned_hours", "spent_hours", "budget", "cost")
    def _check_amounts(self):
        for task in self:
            if min(task.planned_hours, task.spent_hours, task.budget, task.cost) < 0:
                raise ValidationError(self.env._(
                    "Hours, budget and cost of task '%(task)s' cannot be negative.",
                    task=task.name,
                ))

    @api.constrains("state")
    def _check_done_without_open_todos(self):
        for task in self.filtered(lambda t: t.state == "done"):
            if task.todo_ids.filtered(lambda t: t.state == "todo"):
                raise ValidationError(task._open_todos_message())

    # ------------------------------------------------------------------ onchanges
    @api.onchange("template_id")
    def _onchange_template_id(self):
        """On a new task the template replaces the to-dos typed so far; on a saved task
        use the "Apply Template" button (it appends)."""
        if self.template_id and not self._origin.id:
            self.todo_ids = [fields.Command.clear()] + [
                fields.Command.create(vals) for vals in self._template_todo_values()
            ]
            if not self.execution_plan and self.template_id.execution_plan:
                self.execution_plan = self.template_id.execution_plan
            if not self.result_unit and self.template_id.result_unit:
                self.result_unit = self.template_id.result_unit

    @api.constrains("date_start", "date_deadline", "expected_result", "actual_result",
                    "planned_hours", "spent_hours", "budget", "cost")
    def _check_input_guard(self):
        check_input(self, numbers=("expected_result", "actual_result"),
                    non_negative=("planned_hours", "spent_hours", "budget", "cost"),
                    dates=("date_start", "date_deadline"))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = check_vals(self, vals_list)
        self._check_workflow_fields(vals_list, create=True)
        self._check_links(vals_list)
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                # a task starts as a draft: the transitions and their checks apply
                raise UserError(self.env._(
                    "A new task starts as a draft; start it with the Start button."
                ))
            if vals.get("template_id") and not vals.get("todo_ids"):
                template = self.env["sales.task.template"].browse(vals["template_id"])
                vals.setdefault("execution_plan", template.execution_plan)
                vals.setdefault("result_unit", template.result_unit)
                vals["todo_ids"] = [
                    fields.Command.create(line_vals)
                    for line_vals in template._todo_values(
                        fields.Date.to_date(vals.get("date_start"))
                        or fields.Date.context_today(self),
                        vals.get("user_id") or self.env.uid,
                    )
                ]
        # The to-dos are created once the tasks exist: a to-do's reminder activity
        # subscribes its owner to the task, and mail.thread's create then inserts the
        # creator as follower without checking, which fails when the creator owns a to-do.
        todo_commands = [vals.pop("todo_ids", None) or [] for vals in vals_list]
        tasks = super().create(vals_list)
        todo_vals = []
        for task, commands in zip(tasks, todo_commands):
            others = []
            for command in commands:
                if command[0] == fields.Command.CREATE:
                    todo_vals.append({**command[2], "task_id": task.id})
                else:
                    others.append(command)
            if others:
                task.write({"todo_ids": others})
        if todo_vals:
            self.env["sales.task.todo"].create(todo_vals)
        return tasks

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        self._check_workflow_fields([vals])
        self._check_links([vals])
        state = vals.get("state")
        if state == "done":
            self._check_no_open_todos()
        if state == "in_progress":
            self._check_can_start(vals)
        if state == "done":
            vals["date_done"] = fields.Date.context_today(self)
        elif state:
            vals["date_done"] = False
        previous_users = {}
        if "user_id" in vals:
            previous_users = {task.id: task.user_id for task in self}
        res = super().write(vals)
        if previous_users:
            # to-dos owned by the previous assignee follow the task to the new one
            todos = self.todo_ids.filtered(
                lambda t: t.state == "todo" and t.user_id == previous_users.get(t.task_id.id)
                and t.user_id != t.task_id.user_id
            )
            if todos and vals["user_id"]:
                todos.write({"user_id": vals["user_id"]})
        return res

    # ------------------------------------------------------------------ actions
    def action_start(self):
        self.write({"state": "in_progress"})
        return True

    def action_done(self):
        """Close the tasks; when to-dos are still open, ask what to do with them."""
        if self.todo_ids.filtered(lambda t: t.state == "todo"):
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Close Task"),
                "res_model": "sales.task.done.wizard",
                "view_mode": "form",
                "target": "new",
                "context": {"default_task_ids": self.ids},
            }
        self.write({"state": "done"})
        return True

    def action_cancel(self):
        self.todo_ids.filtered(lambda t: t.state == "todo").write({"state": "cancelled"})
        self.write({"state": "cancelled"})
        return True

    def action_reset_draft(self):
        self.write({"state": "draft"})
        return True

    def action_apply_template(self):
        """Append the template's to-dos to saved tasks (one click)."""
        for task in self:
            if not task.template_id:
                raise UserError(self.env._("Choose a template first."))
            if task.state not in OPEN_TASK_STATES:
                raise UserError(self.env._(
                    "Templates apply to draft or running tasks only."
                ))
            task.write({
                "todo_ids": [fields.Command.create(v) for v in task._template_todo_values()],
            })
        return True

    def action_open_todos(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_management.sales_task_todo_action"
        )
        action["domain"] = [("task_id", "=", self.id)]
        action["context"] = {"default_task_id": self.id, "search_default_open": 0}
        return action

    # ------------------------------------------------------------------ helpers
    def _template_todo_values(self):
        self.ensure_one()
        return self.template_id._todo_values(
            self.date_start or fields.Date.context_today(self), self.user_id.id,
        )

    def _open_todos_message(self):
        self.ensure_one()
        return self.env._(
            "Task '%(task)s' still has %(count)s open to-do(s). Mark them done or cancel "
            "them first, or close the task with the Mark as Done button, which asks what "
            "to do with them.",
            task=self.name, count=len(self.todo_ids.filtered(lambda t: t.state == "todo")),
        )

    def _check_no_open_todos(self):
        for task in self:
            if task.todo_ids.filtered(lambda t: t.state == "todo"):
                raise UserError(task._open_todos_message())

    def _check_accepts_todos(self):
        closed = self.filtered(lambda t: t.state not in OPEN_TASK_STATES)
        if closed:
            raise UserError(self.env._(
                "Task '%(task)s' is %(state)s: it accepts no new to-dos. Reset it to draft "
                "first.",
                task=closed[0].name,
                state=dict(self._fields["state"]._description_selection(self.env))[
                    closed[0].state
                ],
            ))

    def _check_can_start(self, vals):
        for task in self:
            company = task.company_id
            plan = vals.get("execution_plan", task.execution_plan)
            if company.sales_task_require_execution_plan and not html2plaintext(
                plan or ""
            ).strip():
                raise UserError(self.env._(
                    "Describe the execution plan of task '%(task)s' before starting it: "
                    "your company requires it.",
                    task=task.name,
                ))

    def _progress_from_todos(self, todos):
        """Progress in % of this task from ``todos``.

        Cancelled to-dos do not count. When every remaining to-do has planned hours the
        share is weighted by them (a 6-hour workshop weighs more than a 1-hour call);
        otherwise each to-do weighs the same. A done task is 100%.
        """
        self.ensure_one()
        if self.state == "done":
            return 100.0
        counted = todos.filtered(lambda t: t.state != "cancelled")
        if not counted:
            return 0.0
        if all(t.planned_hours > 0 for t in counted):
            total = sum(counted.mapped("planned_hours"))
            done = sum(counted.filtered(lambda t: t.state == "done").mapped("planned_hours"))
        else:
            total = len(counted)
            done = len(counted.filtered(lambda t: t.state == "done"))
        return round(100.0 * done / total, 2)

    @api.model
    def _current_week(self):
        """First and last day of the user's current week: today in their time zone, the
        week starting on their language's first day of the week (Sunday for English (US),
        Monday for most others), as Odoo's calendar views do."""
        today = fields.Date.context_today(self)
        lang = self.env["res.lang"]._get_data(code=self.env.lang or self.env.user.lang)
        first_weekday = int(lang.week_start or 7) - 1  # as date.weekday(): Monday is 0
        start = today - timedelta(days=(today.weekday() - first_weekday) % 7)
        return start, start + timedelta(days=6)

    def _health_on(self, today):
        """Health of one task on ``today`` (see the field's help)."""
        self.ensure_one()
        if self.state == "done":
            return "on_track"
        if self.state == "cancelled":
            return False
        if self.date_deadline and self.date_deadline < today:
            return "off_track"
        if self.todo_ids.filtered("is_overdue"):
            return "at_risk"
        if self.date_start and self.date_deadline and self.date_start < today:
            span = (self.date_deadline - self.date_start).days or 1
            elapsed = min((today - self.date_start).days, span)
            if self.progress + 1e-6 < 100.0 * elapsed / span - 25.0:
                return "at_risk"
        return "on_track"
