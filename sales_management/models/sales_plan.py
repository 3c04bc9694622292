# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hierarchical sales plans: a company plan, team plans below it, salesperson plans below.

A plan carries the conception (strategy), the responsible's commitment, its targets, and a
workflow draft → submitted → approved → closed (or cancelled). Every figure is computed by
``sales.plan.target._get_actuals()`` in batch for the whole recordset.
"""

from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_round

from .res_company import HEALTH, PACE_HEALTH
from .sales_input_guard import check_input, check_vals

HEALTH_RANK = {"on_track": 0, "at_risk": 1, "off_track": 2}
# how many sub-plans and targets the plan report lists as the main gap contributors
GAP_CONTRIBUTORS = 5
# fields a salesperson (not leader, not manager) may change on their own draft plan
CONTRIBUTOR_FIELDS = {"commitment"}
# changed only by the actions (submit, approve, reset, close, cancel)
WORKFLOW_FIELDS = frozenset({"state"})


class SalesPlan(models.Model):
    _name = "sales.plan"
    _description = "Sales Plan"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "sales.link.guard.mixin",
        "sales.workflow.guard.mixin", "sales.input.guard.mixin", "sales.task.rollup.mixin",
    ]
    _parent_store = True
    _order = "date_from desc, parent_path, id"
    _rec_name = "complete_name"
    _check_company_auto = True
    _link_guard_fields = {"parent_id": "write", "user_id": "assign", "team_id": "assign"}
    _workflow_fields = WORKFLOW_FIELDS

    name = fields.Char(required=True, tracking=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    parent_id = fields.Many2one(
        comodel_name="sales.plan",
        string="Parent Plan",
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many(
        comodel_name="sales.plan", inverse_name="parent_id", string="Sub-plans"
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", check_company=True, tracking=True
    )
    scope = fields.Selection(
        selection=[
            ("company", "Whole company"),
            ("team", "Sales team"),
            ("user", "Responsible's own sales"),
        ],
        compute="_compute_scope",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="Which sales count for this plan's targets: the whole company, the sales "
        "team, or only the responsible's own documents (a salesperson plan).",
    )
    date_from = fields.Date(
        string="Start", required=True, tracking=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(
        string="End", required=True, tracking=True,
        default=lambda self: fields.Date.context_today(self).replace(month=12, day=31),
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    strategy = fields.Html(
        help="The conception: vision, market potential, strengths and weaknesses, the "
        "customer history that matters."
    )
    commitment = fields.Html(help="How the responsible will reach the targets.")
    target_ids = fields.One2many(
        comodel_name="sales.plan.target", inverse_name="plan_id", string="Targets", copy=True
    )
    target_count = fields.Integer(compute="_compute_target_count")
    contributor_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="sales_plan_contributor_rel",
        column1="plan_id",
        column2="user_id",
        string="Contributors",
        compute="_compute_contributor_user_ids",
        store=True,
        recursive=True,
        help="Responsibles and team leaders of this plan and of every plan below it: "
        "they may read it.",
    )
    metric_id = fields.Many2one(
        comodel_name="sales.metric",
        string="Main Metric",
        default=lambda self: self.env.ref(
            "sales_management.sales_metric_revenue", raise_if_not_found=False
        ),
        help="The metric the plan's headline figures (achievement, pace, health) follow.",
    )
    metric_unit = fields.Selection(related="metric_id.unit")
    main_target_id = fields.Many2one(
        comodel_name="sales.plan.target", compute="_compute_figures",
        help="The first target of the main metric.",
    )
    target_value = fields.Float(
        string="Target", compute="_compute_figures",
        help="The plan's own target on the main metric (its headline targets added up).",
    )
    actual_value = fields.Float(string="Actual", compute="_compute_figures")
    expected_to_date = fields.Float(compute="_compute_figures")
    achievement = fields.Float(
        compute="_compute_figures", help="Actual / target, in %."
    )
    pace = fields.Float(
        compute="_compute_figures",
        help="Actual / what should have been reached by today, in % (100 = on plan).",
    )
    health = fields.Selection(selection=HEALTH, compute="_compute_figures")
    children_target_value = fields.Float(
        string="Allocated to Sub-plans", compute="_compute_figures",
        help="Sum of the sub-plans' targets on the same metric.",
    )
    coverage = fields.Float(
        compute="_compute_figures",
        help="Allocated to sub-plans / own target, in %.",
    )
    unallocated_value = fields.Float(
        string="Unallocated", compute="_compute_figures",
        help="Own target not yet allocated to sub-plans.",
    )
    is_locked = fields.Boolean(compute="_compute_is_locked")
    can_manage = fields.Boolean(
        compute="_compute_can_manage",
        help="The current user manages this plan: a sales manager, the leader of its team "
        "or the responsible of its parent plan.",
    )
    can_edit_commitment = fields.Boolean(compute="_compute_can_manage")
    can_approve = fields.Boolean(
        compute="_compute_can_manage",
        help="Whether the current user may approve this plan: a sales manager, or the "
             "responsible of the parent plan.",
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for plan in self:
            plan.complete_name = (
                f"{plan.parent_id.complete_name} / {plan.name}" if plan.parent_id else plan.name
            )

    @api.depends("team_id", "user_id")
    def _compute_scope(self):
        """Default scope: a team member's plan counts their own sales, a team plan (led by
        the team leader or anyone outside the team) the team's, else the company's."""
        for plan in self:
            # a member of the team (not its leader) is a salesperson: their own sales
            if plan.team_id and plan.user_id in plan.team_id.member_ids \
                    and plan.user_id != plan.team_id.user_id:
                plan.scope = "user"
            elif plan.team_id:
                plan.scope = "team"
            else:
                plan.scope = plan.scope or "company"

    @api.depends("target_ids")
    def _compute_target_count(self):
        for plan in self:
            plan.target_count = len(plan.target_ids)

    @api.depends("user_id", "team_id.user_id", "child_ids.contributor_user_ids")
    def _compute_contributor_user_ids(self):
        for plan in self:
            plan.contributor_user_ids = (
                plan.user_id | plan.team_id.user_id | plan.child_ids.contributor_user_ids
            )

    @api.depends_context("today")
    @api.depends(
        "metric_id", "target_ids.target_value", "target_ids.date_from",
        "target_ids.date_to", "child_ids.target_ids.target_value", "state",
    )
    def _compute_figures(self):
        today = fields.Date.context_today(self)
        # only the headline targets (main metric) count here: their figures in one batch
        headlines = (self | self.child_ids)._headline_targets_batch()
        values = self.env["sales.plan.target"].union(
            *(headlines[plan] for plan in self)
        )._get_figures()
        for plan in self:
            main = headlines[plan]
            figures = [values[t.id] for t in main]
            additive = plan.metric_id.is_additive
            plan.main_target_id = main[:1]
            if additive:
                target = sum(main.mapped("target_value"))
                actual = sum(f["actual_value"] for f in figures)
                expected = sum(f["expected_to_date"] for f in figures)
            else:
                first = figures[0] if figures else {}
                target = main[:1].target_value
                actual = first.get("actual_value", 0.0)
                expected = first.get("expected_to_date", 0.0)
            children = sum(
                sum(headlines[c].mapped("target_value")) for c in plan.child_ids
            ) if additive else 0.0
            plan.target_value = target
            plan.actual_value = actual
            plan.expected_to_date = expected
            plan.achievement = 100.0 * actual / target if target else 0.0
            plan.pace = 100.0 * actual / expected if expected else (100.0 if main else 0.0)
            plan.health = (plan.company_id or self.env.company)._sales_health(
                plan.pace, plan.achievement, plan.date_from, plan.date_to, today,
            ) if main else False
            plan.children_target_value = children
            plan.coverage = 100.0 * children / target if target else 0.0
            plan.unallocated_value = float_round(
                target - children, precision_rounding=plan.currency_id.rounding or 0.01
            ) if additive else 0.0

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_is_locked(self):
        is_manager = self.env.user.has_group("sales_team.group_sale_manager")
        for plan in self:
            plan.is_locked = plan.state in ("closed", "cancelled") or (
                plan.state == "approved" and not is_manager
            )

    @api.depends("team_id.user_id", "parent_id.user_id", "user_id", "state")
    @api.depends_context("uid")
    def _compute_can_manage(self):
        for plan in self:
            plan.can_manage = plan._is_plan_manager()
            plan.can_edit_commitment = plan.can_manage or (
                plan.state == "draft" and plan.user_id == self.env.user
            )
            plan.can_approve = plan._can_approve()

    # ------------------------------------------------------------------ constraints
    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for plan in self:
            if plan.date_from > plan.date_to:
                raise ValidationError(self.env._(
                    "Plan %(name)s: the start date must be on or before the end date.",
                    name=plan.name,
                ))

    @api.constrains("date_from", "date_to")
    def _check_input_guard(self):
        check_input(self, dates=("date_from", "date_to"))

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._(
                "A plan cannot be its own ancestor: choose another parent plan."
            ))

    @api.constrains("date_from", "date_to", "parent_id")
    def _check_within_parent(self):
        for plan in self.filtered("parent_id"):
            parent = plan.parent_id
            if plan.date_from < parent.date_from or plan.date_to > parent.date_to:
                raise ValidationError(self.env._(
                    "Plan %(name)s runs from %(start)s to %(end)s, outside its parent plan "
                    "%(parent)s (%(pstart)s to %(pend)s).",
                    name=plan.name, start=plan.date_from, end=plan.date_to,
                    parent=parent.name, pstart=parent.date_from, pend=parent.date_to,
                ))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = check_vals(self, vals_list)
        self._check_workflow_fields(vals_list, create=True)
        self._check_links(vals_list)
        plans = super().create(vals_list)
        return plans

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        self._check_workflow_fields([vals])
        if not self.env.su:
            self._check_write_fields(set(vals))
        self._check_links([vals])
        if vals.get("parent_id"):
            self._check_no_cycle(self.browse(vals["parent_id"]))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        if self.filtered(lambda p: p.state in ("approved", "closed")):
            raise UserError(self.env._(
                "Approved or closed plans cannot be deleted: cancel them instead."
            ))

    # ------------------------------------------------------------------ actions
    def action_submit(self):
        self.check_access("read")  # record rules first; then who may do what
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._(
                    "Only draft plans can be submitted (%(name)s).", name=plan.name
                ))
            plan._check_can_manage(allow_responsible=True)
            plan._check_has_targets()
        self._workflow_write({"state": "submitted"})
        for plan in self.filtered(lambda p: p.parent_id.user_id):
            plan.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=plan.parent_id.user_id.id,
                summary=self.env._("Approve the plan %(name)s", name=plan.name),
            )
        return True

    def action_approve(self):
        self.check_access("read")  # record rules first; then who may do what
        for plan in self:
            if plan.state not in ("draft", "submitted"):
                raise UserError(self.env._(
                    "Only draft or submitted plans can be approved (%(name)s).", name=plan.name
                ))
            if not plan._can_approve():
                raise AccessError(self.env._(
                    "Only a sales manager or the responsible of the parent plan can approve "
                    "%(name)s.", name=plan.name,
                ))
            plan._check_has_targets()
        self._workflow_write({"state": "approved"})
        self._close_approval_activities(self.env._("Approved"))
        return True

    def action_reset_draft(self):
        self.check_access("read")  # record rules first; then who may do what
        for plan in self:
            if plan.state not in ("submitted", "cancelled"):
                raise UserError(self.env._(
                    "Only submitted or cancelled plans go back to draft (%(name)s).",
                    name=plan.name,
                ))
            plan._check_can_manage(allow_responsible=plan.state == "submitted")
        self._workflow_write({"state": "draft"})
        self._close_approval_activities(self.env._("Sent back to draft"))
        return True

    def action_close(self):
        """Close the plans and freeze their targets' actuals as snapshot values."""
        self.check_access("read")  # record rules first; then who may do what
        for plan in self:
            if plan.state != "approved":
                raise UserError(self.env._(
                    "Only approved plans can be closed (%(name)s).", name=plan.name
                ))
            plan._check_can_manage()
        targets = self.target_ids
        figures = targets._get_figures()
        for target in targets:
            target.sudo().write({
                "snapshot_value": figures[target.id]["actual_value"],
                "is_snapshot": True,
            })
        self._workflow_write({"state": "closed"})
        return True

    def action_cancel(self):
        self.check_access("read")  # record rules first; then who may do what
        for plan in self:
            if plan.state == "closed":
                raise UserError(self.env._(
                    "A closed plan cannot be cancelled (%(name)s).", name=plan.name
                ))
            plan._check_can_manage()
            if plan.state == "approved" and not plan._can_approve():
                # cancelling, then resetting to draft, would reopen an approved plan
                raise AccessError(self.env._(
                    "Only a sales manager or the responsible of the parent plan can cancel "
                    "the approved plan %(name)s.", name=plan.name,
                ))
        self._workflow_write({"state": "cancelled"})
        return True

    def action_copy_next_period(self):
        """Copy each plan with its whole tree of sub-plans and targets to the next period."""
        self.ensure_one()
        self._check_can_manage()
        shift = self._next_period_shift()
        parent = self.parent_id
        if parent:
            start, end = (self._shift_date(d, shift) for d in (self.date_from, self.date_to))
            if start < parent.date_from or end > parent.date_to:
                # the parent's own copy for the next period, when it exists
                parent = self.search([
                    ("name", "in", (parent.name, parent._next_period_name(shift))),
                    ("company_id", "=", self.company_id.id),
                    ("date_from", "<=", start), ("date_to", ">=", end),
                    ("state", "!=", "cancelled"), ("id", "!=", parent.id),
                ], limit=1)
        new_plan = self._copy_tree(shift, parent)
        return {
            "type": "ir.actions.act_window",
            "res_model": "sales.plan",
            "res_id": new_plan.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_open_targets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_management.sales_plan_target_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    def action_open_generate_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Generate Targets"),
            "res_model": "sales.plan.generate",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def action_open_actual_records(self):
        self.ensure_one()
        return self._headline_targets()[:1].action_open_actual_records() \
            if len(self._headline_targets()) == 1 \
            else self._headline_targets().action_open_actual_records()

    # ------------------------------------------------------------------ business
    def _headline_targets(self):
        """Targets that state the plan's own objective on its main metric: no breakdown
        by customer, product, region or channel."""
        self.ensure_one()
        return self.target_ids.filtered(
            lambda t: t.metric_id == self.metric_id and not t.is_breakdown
        )

    def _headline_targets_batch(self):
        """``{plan: _headline_targets()}`` for many plans: one grouped query and one
        search for the saved plans, not a filter over every target of every plan."""
        Target = self.env["sales.plan.target"]
        result = {}
        saved = self.filtered(lambda p: isinstance(p.id, int))
        if saved:
            metric_of = {plan.id: plan.metric_id.id for plan in saved}
            owner = {}
            for plan, metric, ids in Target._read_group(
                [("plan_id", "in", saved.ids), ("is_breakdown", "=", False)],
                ["plan_id", "metric_id"], ["id:array_agg"],
            ):
                if metric.id == metric_of[plan.id]:
                    owner.update(dict.fromkeys(ids, plan.id))
            by_plan = {}
            # the targets' own order (plan, sequence, date), as target_ids gives them
            for target in Target.search([("id", "in", list(owner))]):
                by_plan.setdefault(owner[target.id], []).append(target.id)
            prefetch = tuple(owner)  # one prefetch set: their fields read in one query
            for plan in saved:
                result[plan] = Target.browse(by_plan.get(plan.id, [])).with_prefetch(prefetch)
        for plan in self - saved:
            result[plan] = plan._headline_targets()
        return result

    def _scope_dimensions(self):
        """Dimensions every target of the plan is restricted to (team / salesperson)."""
        self.ensure_one()
        return self._scope_dimensions_of(self.scope, self.team_id.id, self.user_id.id)

    @api.model
    def _scope_dimensions_of(self, scope, team_id, user_id):
        dims = {}
        if scope in ("team", "user") and team_id:
            dims["team_id"] = team_id
        if scope == "user":
            dims["user_id"] = user_id
        return dims

    def _is_plan_manager(self):
        """Managers, and leaders of the plan's team, manage the plan."""
        self.ensure_one()
        user = self.env.user
        return self.env.su or user.has_group("sales_team.group_sale_manager") or (
            self.team_id.user_id == user
        ) or self.parent_id.user_id == user

    def _can_approve(self):
        self.ensure_one()
        user = self.env.user
        return self.env.su or user.has_group("sales_team.group_sale_manager") or bool(
            self.parent_id and self.parent_id.user_id == user
        )

    def _check_can_manage(self, allow_responsible=False):
        for plan in self:
            if plan._is_plan_manager() or (allow_responsible and plan.user_id == self.env.user):
                continue
            raise AccessError(self.env._(
                "You are not allowed to change the plan %(name)s.", name=plan.name
            ))

    def _check_no_cycle(self, parent):
        """Refuse a parent that is the plan itself or one of its descendants, before
        anything is written (the recursive computes would otherwise loop)."""
        for plan in self.filtered("parent_path"):
            if parent == plan or (parent.parent_path or "").startswith(plan.parent_path):
                raise ValidationError(self.env._(
                    "A plan cannot be its own ancestor: %(parent)s is below %(name)s.",
                    parent=parent.name, name=plan.name,
                ))

    def _close_approval_activities(self, feedback):
        """Mark the 'approve the plan' to-dos of these plans done."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        activities = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == todo and a.summary
            and a.summary.startswith(self.env._("Approve the plan"))
        )
        if activities:
            activities.action_feedback(feedback=feedback)

    def _check_has_targets(self):
        for plan in self:
            if not plan.target_ids:
                raise UserError(self.env._(
                    "Plan %(name)s has no target yet: add or generate targets first.",
                    name=plan.name,
                ))

    def _check_targets_editable(self):
        """Targets of approved plans are locked for everyone but sales managers; those of
        closed or cancelled plans for everyone."""
        is_manager = self.env.su or self.env.user.has_group("sales_team.group_sale_manager")
        for plan in self:
            if plan.state in ("closed", "cancelled"):
                raise UserError(self.env._(
                    "The targets of plan %(name)s are frozen (%(state)s).",
                    name=plan.name,
                    state=dict(plan._fields["state"].selection)[plan.state],
                ))
            if plan.state == "approved" and not is_manager:
                raise UserError(self.env._(
                    "The targets of plan %(name)s are approved: only a sales manager can "
                    "change them.", name=plan.name,
                ))

    def _check_write_fields(self, field_names):
        """Salespersons edit only the commitment of their own draft plan; locked plans
        are edited only by managers."""
        # workflow-owned fields reach here only unchanged (``_check_workflow_fields``)
        field_names = field_names - {"message_main_attachment_id"} - WORKFLOW_FIELDS
        is_manager = self.env.su or self.env.user.has_group("sales_team.group_sale_manager")
        for plan in self:
            if plan.state in ("closed", "cancelled") and field_names:
                raise UserError(self.env._(
                    "Plan %(name)s is %(state)s: it cannot be changed.",
                    name=plan.name, state=plan.state,
                ))
            if is_manager:
                continue
            if plan.state == "approved":
                raise UserError(self.env._(
                    "Plan %(name)s is approved: only a sales manager can change it.",
                    name=plan.name,
                ))
            if plan._is_plan_manager():
                continue
            if plan.user_id != self.env.user or plan.state != "draft" or (
                field_names - CONTRIBUTOR_FIELDS
            ):
                raise AccessError(self.env._(
                    "You may only edit the commitment of your own draft plan %(name)s.",
                    name=plan.name,
                ))

    def _next_period_shift(self):
        """relativedelta moving the plan to the period that follows it: whole months when
        the plan covers whole months, else its length in days."""
        self.ensure_one()
        start, end = self.date_from, self.date_to
        if start.day == 1 and (end + relativedelta(days=1)).day == 1:
            months = (end.year - start.year) * 12 + end.month - start.month + 1
            return relativedelta(months=months)
        return relativedelta(days=(end - start).days + 1)

    def _next_period_name(self, shift):
        """The plan's name with its year moved along ("Europe 2025" → "Europe 2026")."""
        self.ensure_one()
        old_year = str(self.date_from.year)
        new_year = str(self._shift_date(self.date_from, shift).year)
        return self.name.replace(old_year, new_year) if old_year != new_year else self.name

    def _shift_date(self, date, shift):
        moved = date + shift
        # keep month ends at month ends (Feb 28 -> Feb 29 in a leap year, Jun 30 -> Jul 31)
        if shift.months and (date + relativedelta(days=1)).day == 1:
            moved = moved + relativedelta(day=31)
        return moved

    def _copy_tree(self, shift, parent):
        self.ensure_one()
        new_plan = self.sudo().copy({
            "name": self._next_period_name(shift),
            "parent_id": parent.id,
            "date_from": self._shift_date(self.date_from, shift),
            "date_to": self._shift_date(self.date_to, shift),
            "target_ids": [
                (0, 0, {
                    **{k: v for k, v in target.copy_data()[0].items() if k != "plan_id"},
                    "date_from": self._shift_date(target.date_from, shift),
                    "date_to": self._shift_date(target.date_to, shift),
                    "seasonality": target._shift_seasonality(shift),
                })
                for target in self.target_ids
            ],
        })
        for child in self.child_ids.filtered(lambda c: c.state != "cancelled"):
            child._copy_tree(shift, new_plan)
        return new_plan.sudo(False)

    # ------------------------------------------------------------------ execution (tasks)
    task_ids = fields.One2many(
        comodel_name="sales.task", inverse_name="plan_id", string="Sales Tasks",
    )
    task_tree_ids = fields.Many2many(
        comodel_name="sales.task", string="Tasks of the Plan Tree",
        compute="_compute_task_tree_ids", recursive=True,
        help="The tasks of this plan and of all its sub-plans.",
    )

    @api.depends("task_ids", "child_ids.task_tree_ids")
    def _compute_task_tree_ids(self):
        """One search for the sub-trees of all the plans, distributed by parent path."""
        ids = [plan._origin.id for plan in self if plan._origin.id]
        tasks = self.env["sales.task"].search([("plan_id", "child_of", ids)]) if ids else []
        per_plan = defaultdict(list)
        for task in tasks:
            for owner in self._task_rollup_owners(task.plan_id):
                per_plan[owner].append(task.id)
        for plan in self:
            plan.task_tree_ids = [fields.Command.set(per_plan.get(plan._origin.id, []))]

    def _task_rollup_field(self):
        return "plan_id"

    def _task_rollup_domain(self, ids):
        # a parent plan shows the tasks of its whole sub-tree
        return [("plan_id", "child_of", ids)]

    def _task_rollup_owners(self, record):
        return [int(pid) for pid in record.parent_path.split("/") if pid]

    def action_view_sales_tasks(self):
        self.ensure_one()
        return self._task_action(
            [("plan_id", "child_of", self.id)],
            {"default_plan_id": self.id, "default_user_id": self.user_id.id or self.env.uid},
        )

    # ------------------------------------------------------------------ control (alerts)
    alert_health = fields.Selection(
        selection=PACE_HEALTH, readonly=True, copy=False, index=True,
        help="Worst alert health of the plan's running targets (daily deviation alerts).",
    )
    corrective_action_ids = fields.One2many(
        comodel_name="sales.corrective.action", inverse_name="plan_id",
        string="Corrective Actions",
    )
    corrective_action_count = fields.Integer(compute="_compute_corrective_action_count")

    @api.depends("corrective_action_ids.state")
    def _compute_corrective_action_count(self):
        counts = dict(self.env["sales.corrective.action"]._read_group(
            [("plan_id", "in", self.ids), ("state", "=", "open")], ["plan_id"], ["__count"],
        ))
        for plan in self:
            plan.corrective_action_count = counts.get(plan, 0)

    def action_open_corrective_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_management.sales_corrective_action_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id, "search_default_open": 1}
        return action

    def action_new_corrective_action(self):
        """One click from the plan (its alert activity lives here): a corrective action on
        the target of the plan's latest, most severe alert, largest gap first (or the
        plan alone)."""
        self.ensure_one()
        self.check_access("read")  # the plan's alerts are read with sudo() below
        alert = self.env["sales.control.alert"].sudo().search(
            [("plan_id", "=", self.id)], order="date desc, level desc, gap, id desc", limit=1,
        )
        Action = self.env["sales.corrective.action"]
        if alert:
            return Action._create_from_alert(alert)._get_form_action()
        return Action.create({"plan_id": self.id})._get_form_action()

    def _update_alert_health(self):
        """Plan health = worst alert level of its running targets."""
        today = fields.Date.context_today(self)
        levels = {}
        for target in self.sudo().target_ids:
            if target.date_from <= today <= target.date_to and target.alert_level:
                current = levels.get(target.plan_id.id, "on_track")
                if HEALTH_RANK[target.alert_level] > HEALTH_RANK[current]:
                    current = target.alert_level
                levels[target.plan_id.id] = current
        for plan in self.sudo():
            health = levels.get(plan.id, "on_track")
            if plan.alert_health != health:
                plan.alert_health = health

    # ------------------------------------------------------------------ reporting
    def _get_performance_data(self):
        """``{plan_id: data}`` for the plans in ``self``: the plan tree below each plan
        (depth-first, with its figures), its targets with their live figures, and the gap
        contributors (sub-plans and targets furthest behind what they should have reached
        by today). Figures come in batch from the plans' ``_compute_figures`` and the
        targets' ``_get_figures``."""
        trees = self.search([("id", "child_of", self.ids)])
        figures = self.target_ids._get_figures()
        # the plans' own figures for the whole tree at once (the walk below goes from a
        # plan to its children: by itself the ORM would compute them family by family)
        trees.mapped("actual_value")
        result = {}
        for plan in self:
            rows = []
            self._performance_walk(plan, 0, rows, trees)
            targets = []
            for target in plan.target_ids:
                values = figures[target.id]
                targets.append({
                    "id": target.id,
                    "metric": target.metric_id.name,
                    "unit": target.metric_unit or "amount",
                    "dimensions": target._report_dimensions(),
                    "date_from": target.date_from,
                    "date_to": target.date_to,
                    "target": target.target_value,
                    "is_breakdown": target.is_breakdown,
                    **values,
                })
            contributors = [
                {"kind": "plan", "name": row["short_name"], "user": row["user"],
                 "variance": row["actual"] - row["expected"], "target": row["target"],
                 "actual": row["actual"], "pace": row["pace"], "health": row["health"],
                 "unit": row["unit"]}
                for row in rows if row["depth"] == 1
            ] + [
                {"kind": "target", "name": f"{t['metric']} · {t['dimensions']}", "user": "",
                 "variance": t["variance"], "target": t["target"], "actual": t["actual_value"],
                 "pace": t["pace"], "health": t["health"], "unit": t["unit"]}
                for t in targets if t["is_breakdown"]
            ]
            contributors = sorted(
                (c for c in contributors if c["variance"] < 0), key=lambda c: c["variance"],
            )[:GAP_CONTRIBUTORS]
            result[plan.id] = {
                "plan": plan,
                "row": rows[0],
                "tree": rows,
                "targets": targets,
                "gap_contributors": contributors,
                "today": fields.Date.context_today(self),
            }
        return result

    def _performance_walk(self, plan, depth, rows, trees):
        row = plan._plan_row()
        row["depth"] = depth
        rows.append(row)
        # siblings by name (the model's order sorts parent_path as text: ".../1000/"
        # would come before ".../993/")
        children = plan.child_ids.filtered(lambda c: c in trees and c.state != "cancelled")
        for child in children.sorted(lambda c: (c.name or "", c.id)):
            self._performance_walk(child, depth + 1, rows, trees)

    def _get_period_figures(self, date_from, date_to):
        """The plans' headline figures for the period ``date_from``..``date_to`` (the
        dashboard's month, quarter or year): ``{plan_id: {target, actual, expected,
        achievement, pace, health, gap, period_from, period_to}}``.

        The headline targets overlapping the period count their part of it
        (``sales.plan.target._get_period_figures``: whole when inside the period,
        prorated by their expected-value function when they span more). An additive
        metric adds the parts up; a ratio metric (win rate) reads its first target
        overlapping the period. The health is judged over the plan's part of the period:
        a finished month reads Achieved/Missed, a month not started Not started."""
        today = fields.Date.context_today(self)
        headlines = self._headline_targets_batch()
        parts = self.env["sales.plan.target"].union(
            *headlines.values())._get_period_figures(date_from, date_to)
        result = {}
        for plan in self:
            rows = [parts[t.id] for t in headlines[plan] if t.id in parts]
            if not plan.metric_id.is_additive:
                rows = rows[:1]
            target = sum(row["target"] for row in rows)
            actual = sum(row["actual_value"] for row in rows)
            expected = sum(row["expected_to_date"] for row in rows)
            start = max(plan.date_from, date_from)
            end = min(plan.date_to, date_to)
            achievement = 100.0 * actual / target if target else 0.0
            pace = 100.0 * actual / expected if expected else (100.0 if rows else 0.0)
            result[plan.id] = {
                "target": target,
                "actual": actual,
                "expected": expected,
                "achievement": achievement,
                "pace": pace,
                "health": (plan.company_id or self.env.company)._sales_health(
                    pace, achievement, start, end, today) if rows else "",
                "gap": max(target - actual, 0.0),
                "period_from": fields.Date.to_string(start),
                "period_to": fields.Date.to_string(end),
            }
        return result

    def _plan_row(self, period_figures=None):
        """The plan as one row of figures, as the dashboard, the PDF and the XLSX show it;
        ``period_figures``: its figures for the dashboard's period
        (``_get_period_figures``), which replace the figures over its whole period."""
        self.ensure_one()
        plan = self
        if period_figures is not None:
            return {**plan._plan_row(), **period_figures}
        return {
            "id": plan.id,
            "name": plan.complete_name,
            "short_name": plan.name,
            "user": plan.user_id.name,
            "user_id": plan.user_id.id,
            "team": plan.team_id.name or "",
            "state": plan.state,
            "metric": plan.metric_id.name or "",
            "unit": plan.metric_unit or "amount",
            "date_from": fields.Date.to_string(plan.date_from),
            "date_to": fields.Date.to_string(plan.date_to),
            "target": plan.target_value,
            "actual": plan.actual_value,
            "expected": plan.expected_to_date,
            "achievement": plan.achievement,
            "pace": plan.pace,
            "health": plan.health or "",
            "gap": max(plan.target_value - plan.actual_value, 0.0),
        }

    def action_print_scorecard(self):
        """The scorecard of the plan's responsible, for the plan's year (a door for the
        managers and team leaders who may print it)."""
        self.ensure_one()
        self.check_access("read")
        today = fields.Date.context_today(self)
        date_ref = min(max(today, self.date_from), self.date_to)
        return self.env["sales.management.dashboard"].action_print(
            "scorecard", "year", user_id=self.user_id.id,
        ) | {"data": {"period": "year", "date_ref": fields.Date.to_string(date_ref)}}
