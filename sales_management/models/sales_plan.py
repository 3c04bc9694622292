# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hierarchical sales plans: a company plan, team plans below it, salesperson plans below.

A plan carries the conception (vision, mission and values, target customers, strategy),
which every plan below it shows; the responsible's role and contribution (share of the parent's
target, key accounts and products) and commitment, which the responsible accepts and their
leader countersigns; its targets, and a workflow draft → submitted → approved → closed (or
cancelled). Every figure is computed by
``sales.plan.target._get_actuals()`` in batch for the whole recordset.
"""

from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_round, format_datetime, is_html_empty

from .res_company import HEALTH, PACE_HEALTH
from .res_users import context_today, fetch_fields
from .sales_input_guard import check_input, check_vals
from .sales_plan_target import memoized_period_figures, memoized_plan_targets

HEALTH_RANK = {"on_track": 0, "at_risk": 1, "off_track": 2}
# how many sub-plans and targets the plan report lists as the main gap contributors
GAP_CONTRIBUTORS = 5
# fields a salesperson (not leader, not manager) may change on their own draft plan
# what the salesperson of a draft plan writes: their commitment, the team's properties
CONTRIBUTOR_FIELDS = {"commitment", "plan_properties"}
# the two sides of the commitment: set by action_accept_commitment and
# action_countersign_commitment, reset when the commitment's text changes
AGREEMENT_FIELDS = (
    "commitment_accepted_date", "commitment_accepted_user_id",
    "commitment_countersigned_date", "commitment_countersigned_user_id",
)
# changed only by the actions (submit, approve, reset, close, cancel, accept, countersign)
WORKFLOW_FIELDS = frozenset({"state", *AGREEMENT_FIELDS})
# the conception, top-down as the plans below show it (field name, heading)
CONCEPTION_FIELDS = ("vision", "mission", "target_customers", "strategy")


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
    plan_properties = fields.Properties(
        string="Properties", definition="team_id.sales_plan_properties_definition", copy=True,
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
    # --- conception: stated on the company plan, refined below, shown to every plan below
    vision = fields.Html(
        help="Where the company is heading: the picture everyone below this plan works "
        "towards."
    )
    mission = fields.Html(
        string="Mission and Values",
        help="What the sales organisation is for, and the values it keeps on the way.",
    )
    target_customers = fields.Html(
        help="Whom we sell to: the segments, industries and accounts this plan aims at."
    )
    strategy = fields.Html(
        help="How the targets will be reached: market potential, strengths and "
        "weaknesses, the customer history that matters."
    )
    inherited_conception = fields.Html(
        string="From the Plans Above",
        compute="_compute_inherited_conception",
        help="The vision, mission, target customers and strategy of every plan above this "
        "one, read-only (shown even to a salesperson who cannot open those plans).",
    )
    # --- role and contribution (a salesperson's plan)
    role = fields.Char(
        tracking=True,
        help="The responsible's role in the plan above, e.g. \"Key-account manager for "
        "Benelux\".",
    )
    contribution_share = fields.Float(
        string="Share of the Parent's Target",
        compute="_compute_contribution_share",
        help="This plan's target over its parent's target on the same metric for the same "
        "period, in % (0 when the parent follows another metric or a ratio).",
    )
    key_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="sales_plan_key_partner_rel",
        column1="plan_id",
        column2="partner_id",
        string="Key Accounts",
        check_company=True,
        help="The customers the responsible is accountable for in this plan.",
    )
    key_product_ids = fields.Many2many(
        comodel_name="product.product",
        relation="sales_plan_key_product_rel",
        column1="plan_id",
        column2="product_id",
        string="Key Products",
        check_company=True,
        help="The products the responsible is accountable for in this plan.",
    )
    commitment = fields.Html(help="How the responsible will reach the targets.")
    # --- the commitment as a two-sided agreement (workflow-owned: set by the actions)
    commitment_accepted_date = fields.Datetime(
        string="Commitment Accepted on", readonly=True, copy=False,
    )
    commitment_accepted_user_id = fields.Many2one(
        comodel_name="res.users", string="Commitment Accepted by", readonly=True, copy=False,
    )
    commitment_countersigned_date = fields.Datetime(
        string="Commitment Countersigned on", readonly=True, copy=False,
    )
    commitment_countersigned_user_id = fields.Many2one(
        comodel_name="res.users", string="Commitment Countersigned by", readonly=True,
        copy=False,
    )
    commitment_status = fields.Selection(
        selection=[
            ("open", "Not Accepted Yet"),
            ("accepted", "Accepted, to Countersign"),
            ("agreed", "Accepted and Countersigned"),
        ],
        compute="_compute_commitment_status",
    )
    can_accept_commitment = fields.Boolean(compute="_compute_commitment_status")
    can_countersign_commitment = fields.Boolean(compute="_compute_commitment_status")
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
        today = context_today(self)
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

    @api.depends(*(f"parent_id.{name}" for name in CONCEPTION_FIELDS), "parent_id.name",
                 "parent_id.parent_id")
    def _compute_inherited_conception(self):
        sections = self._get_conception_above()
        for plan in self:
            plan.inherited_conception = self._conception_html(sections.get(plan, []))

    @api.depends(
        "target_value", "metric_id", "date_from", "date_to", "parent_id.metric_id",
        "parent_id.target_ids.target_value", "parent_id.target_ids.date_from",
        "parent_id.target_ids.date_to",
    )
    def _compute_contribution_share(self):
        """The plan's target over its parent's target on the same metric, for the plan's
        own period: the parent's headline targets count their part of that period
        (``sales.plan.target._period_part``), so a quarter plan below a year plan gets its
        share of the quarter. Only the parent's targets are read (as superuser, for the
        plans the user may read): never its figures or its other fields."""
        readable = self._readable_plans()
        parents = readable.sudo().parent_id
        headlines = parents._headline_targets_batch() if parents else {}
        for plan in self:
            parent = plan.sudo().parent_id if plan in readable else None
            share = 0.0
            if parent and parent.metric_id == plan.metric_id and plan.metric_id.is_additive:
                parent_target = sum(
                    target._period_part(plan.date_from, plan.date_to)
                    for target in headlines.get(parent, [])
                )
                if parent_target:
                    share = 100.0 * plan.target_value / parent_target
            plan.contribution_share = share

    @api.depends(*AGREEMENT_FIELDS, "commitment", "user_id", "team_id.user_id", "state")
    @api.depends_context("uid")
    def _compute_commitment_status(self):
        user = self.env.user
        for plan in self:
            if plan.commitment_countersigned_date:
                plan.commitment_status = "agreed"
            elif plan.commitment_accepted_date:
                plan.commitment_status = "accepted"
            else:
                plan.commitment_status = "open"
            running = plan.state not in ("closed", "cancelled")
            plan.can_accept_commitment = running and plan.commitment_status == "open" \
                and plan.user_id == user and not is_html_empty(plan.commitment)
            plan.can_countersign_commitment = running \
                and plan.commitment_status == "accepted" and plan._can_countersign()

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
        # a commitment already accepted or countersigned: its text before the change
        agreed = {
            plan: plan.commitment for plan in self
            if "commitment" in vals and plan.commitment_accepted_date
        }
        result = super().write(vals)
        if agreed:
            changed = self.browse(
                [plan.id for plan, text in agreed.items() if plan.commitment != text]
            )
            changed._reset_commitment_agreement()
        return result

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
            plan._check_commitment_agreed()
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

    def action_accept_commitment(self):
        """The responsible accepts the commitment of their plan (dated, in the chatter);
        their leader countersigns it next."""
        self.check_access("read")  # record rules first; then who may do what
        for plan in self:
            if plan.user_id != self.env.user:
                raise AccessError(self.env._(
                    "Only %(user)s, the responsible of %(name)s, can accept its commitment.",
                    user=plan.user_id.name, name=plan.name,
                ))
            plan._check_commitment_open()
            if plan.commitment_accepted_date:
                raise UserError(self.env._(
                    "The commitment of %(name)s is already accepted.", name=plan.name,
                ))
            if is_html_empty(plan.commitment):
                raise UserError(self.env._(
                    "Plan %(name)s has no commitment yet: write how you will reach the "
                    "targets first.", name=plan.name,
                ))
        now = fields.Datetime.now()
        self._workflow_write({
            "commitment_accepted_date": now, "commitment_accepted_user_id": self.env.uid,
        })
        for plan in self:
            plan.sudo().message_post(body=self.env._(
                "Commitment accepted by %(user)s on %(date)s.",
                user=self.env.user.name, date=format_datetime(self.env, now),
            ), subtype_xmlid="mail.mt_note")
            # the other side: the team leader gets a to-do to countersign
            leader = plan.team_id.user_id
            if leader and leader != plan.user_id:
                plan.sudo().activity_schedule(
                    "mail.mail_activity_data_todo", user_id=leader.id,
                    summary=self.env._("Countersign the commitment of %(name)s",
                                       name=plan.name),
                )
        return True

    def action_countersign_commitment(self):
        """The leader of the plan's team, or a sales manager, countersigns the commitment
        the responsible accepted (dated, in the chatter)."""
        self.check_access("read")  # record rules first; then who may do what
        for plan in self:
            if not plan._can_countersign():
                raise AccessError(self.env._(
                    "Only the leader of the team of %(name)s or a sales manager can "
                    "countersign its commitment, and never its own responsible.",
                    name=plan.name,
                ))
            plan._check_commitment_open()
            if not plan.commitment_accepted_date:
                raise UserError(self.env._(
                    "The commitment of %(name)s must be accepted by %(user)s before it is "
                    "countersigned.", name=plan.name, user=plan.user_id.name,
                ))
            if plan.commitment_countersigned_date:
                raise UserError(self.env._(
                    "The commitment of %(name)s is already countersigned.", name=plan.name,
                ))
        now = fields.Datetime.now()
        self._workflow_write({
            "commitment_countersigned_date": now,
            "commitment_countersigned_user_id": self.env.uid,
        })
        for plan in self:
            plan.sudo().message_post(body=self.env._(
                "Commitment countersigned by %(user)s on %(date)s.",
                user=self.env.user.name, date=format_datetime(self.env, now),
            ), subtype_xmlid="mail.mt_note")
        self._countersign_activities().action_feedback(feedback=self.env._("Countersigned"))
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
        """``{plan: _headline_targets()}`` for many plans: one query for the saved plans
        (the targets' read rules applied), not a filter over every target of every plan."""
        Target = self.env["sales.plan.target"]
        result = {}
        saved = self.filtered(lambda p: isinstance(p.id, int))
        if saved:
            # the same plans' targets, when this dashboard read them already (the score)
            rows = memoized_plan_targets(saved, reuse_only=True)
            if rows is not None:
                metric_of = {plan.id: plan.metric_id.id for plan in saved}
                pairs = [(target_id, owner) for target_id, owner, metric_id in rows
                         if metric_id == metric_of[owner]]
            else:
                # the plans' metric is read in SQL below: pending changes written first
                saved.flush_recordset(["metric_id"])
                query = Target._search(
                    [("plan_id", "in", saved.ids), ("is_breakdown", "=", False)],
                    order=Target._order)
                plan_id = Target._field_to_sql(Target._table, "plan_id", query)
                query.add_where(SQL(
                    "%s = (SELECT p.metric_id FROM sales_plan p WHERE p.id = %s)",
                    Target._field_to_sql(Target._table, "metric_id", query), plan_id))
                pairs = self.env.execute_query(
                    query.select(SQL.identifier(Target._table, "id"), plan_id))
            by_plan = defaultdict(list)
            # the targets' own order (plan, sequence, date), as target_ids gives them
            for target_id, owner in pairs:
                by_plan[owner].append(target_id)
            prefetch = tuple(tid for ids in by_plan.values() for tid in ids)
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

    def _can_countersign(self):
        """The leader of the plan's team or a sales manager, never the plan's own
        responsible (an agreement has two sides)."""
        self.ensure_one()
        user = self.env.user
        if self.user_id == user:
            return False
        return user.has_group("sales_team.group_sale_manager") or bool(
            self.team_id and self.team_id.user_id == user
        )

    def _check_commitment_open(self):
        for plan in self:
            if plan.state in ("closed", "cancelled"):
                raise UserError(self.env._(
                    "Plan %(name)s is %(state)s: its commitment can no longer be signed.",
                    name=plan.name,
                    state=dict(plan._fields["state"]._description_selection(self.env))[
                        plan.state],
                ))

    def _check_commitment_agreed(self):
        """The company setting "Commitment required before approval": a salesperson's plan
        is approved only once its commitment is accepted and countersigned."""
        for plan in self:
            if plan.scope == "user" and plan.company_id.sales_plan_commitment_required \
                    and not (plan.commitment_accepted_date
                             and plan.commitment_countersigned_date):
                raise UserError(self.env._(
                    "Plan %(name)s cannot be approved yet: %(user)s must accept its "
                    "commitment and their team leader or a sales manager countersign it "
                    "first.", name=plan.name, user=plan.user_id.name,
                ))

    def _reset_commitment_agreement(self):
        """The commitment's text changed: what was accepted and countersigned no longer
        holds (both sides sign again), logged in the chatter."""
        if not self:
            return
        self._workflow_write(dict.fromkeys(AGREEMENT_FIELDS, False))
        self._countersign_activities().unlink()  # nothing accepted to countersign any more
        for plan in self:
            plan.sudo().message_post(body=self.env._(
                "The commitment was changed by %(user)s: its acceptance and countersignature "
                "are reset, both sides sign it again.", user=self.env.user.name,
            ), subtype_xmlid="mail.mt_note")

    def _countersign_activities(self):
        """The open 'countersign the commitment' to-dos of these plans (as superuser: the
        callers have checked their rights)."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        prefix = self.env._("Countersign the commitment of %(name)s", name="").strip()
        return self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == todo and a.summary
            and a.summary.startswith(prefix)
        )

    def _readable_plans(self):
        """The plans of ``self`` the current user may read (new records included): only
        for those are the plans above read as superuser."""
        saved = self.filtered(lambda p: isinstance(p.id, int))
        if not saved or self.env.su:
            return self
        if not saved.browse().has_access("read"):  # the model's access rights
            return self - saved
        # the record rules in one query, not evaluated on each plan in Python (which
        # reads their contributors, their team and its leader)
        readable = set(saved.with_context(active_test=False)._search([("id", "in", saved.ids)]))
        return self.filtered(lambda p: not isinstance(p.id, int) or p.id in readable)

    def _get_conception_above(self, include_self=False):
        """``{plan: [section, ...]}``: the conception of every plan above each plan of
        ``self`` (and of the plan itself with ``include_self``), top-down; a section is
        ``{"plan_id", "name", "parts": [{"key", "label", "html"}]}``, only the non-empty
        parts, sections without any left out.

        Exposed, also to a salesperson who cannot read the plans above their own: their
        names and their vision, mission and values, target customers and strategy. Nothing
        else of them (responsible, targets, figures, commitment, key accounts) is read.
        They are read as superuser only for the plans of ``self`` the user may read."""
        readable = self._readable_plans()
        chains = {}
        for plan in readable:
            node = (plan if include_self else plan.parent_id)._origin.sudo()
            path = None
            if not include_self and isinstance(plan.id, int):
                # a saved plan's own path without itself, while its parent is the one of
                # the path: no read of the parent
                own = [int(pid) for pid in (plan.parent_path or "").split("/") if pid]
                if own[-2:-1] == node.ids:
                    path = own[:-1]
            if path is None:
                # a plan being edited (onchange) reads its stored parent's chain
                path = [int(pid) for pid in (node.parent_path or "").split("/") if pid]
            chains[plan] = path
        above = self.sudo().browse(sorted({pid for ids in chains.values() for pid in ids}))
        labels = {
            name: self._fields[name]._description_string(self.env)
            for name in CONCEPTION_FIELDS
        }
        sections = {}
        # these columns only: a first access would read the plans' whole rows
        fetch_fields(above, ["name", *CONCEPTION_FIELDS])
        for ancestor in above:
            parts = [
                {"key": name, "label": labels[name], "html": ancestor[name]}
                for name in CONCEPTION_FIELDS if not is_html_empty(ancestor[name])
            ]
            if parts:
                sections[ancestor.id] = {
                    "plan_id": ancestor.id, "name": ancestor.name, "parts": parts,
                }
        return {
            plan: [sections[pid] for pid in ids if pid in sections]
            for plan, ids in chains.items()
        }

    @api.model
    def _conception_html(self, sections):
        """The sections of ``_get_conception_above`` as one block of HTML: the plans'
        names escaped, their texts as stored (sanitized on the way in)."""
        if not sections:
            return False
        blocks = []
        for section in sections:
            parts = Markup("").join(
                Markup("<h6 class=\"mt-2 mb-1\">%s</h6>%s") % (part["label"], part["html"])
                for part in section["parts"]
            )
            blocks.append(
                Markup("<section class=\"o_sm_conception mb-3\"><h5>%s</h5>%s</section>")
                % (section["name"], parts)
            )
        return Markup("").join(blocks)

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
        """Salespersons edit only the commitment (and property values) of their own draft
        plan; locked plans
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
        today = context_today(self)
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
                "today": context_today(self),
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
        return memoized_period_figures(self, date_from, date_to)

    def _compute_period_figures(self, date_from, date_to):
        """``_get_period_figures``, computed."""
        today = context_today(self)
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
        row = {
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
        }
        if period_figures is not None:  # the whole period's figures are not read
            return {**row, **period_figures}
        return {
            **row,
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
        today = context_today(self)
        date_ref = min(max(today, self.date_from), self.date_to)
        return self.env["sales.management.dashboard"].action_print(
            "scorecard", "year", user_id=self.user_id.id,
        ) | {"data": {"period": "year", "date_ref": fields.Date.to_string(date_ref)}}
