# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Corrective actions tracked to closure.

Created in one click from a deviation alert (or a plan), an action records the target's
gap when it was opened (``gap_at_open``) next to the target's gap now (``gap``), so
everyone sees whether the action is working.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sales_input_guard import check_input, check_vals

STATES = [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")]


class SalesCorrectiveAction(models.Model):
    _name = "sales.corrective.action"
    _description = "Sales Corrective Action"
    _inherit = [
        "mail.thread", "mail.activity.mixin", "sales.link.guard.mixin",
        "sales.workflow.guard.mixin", "sales.input.guard.mixin",
    ]
    # the gap the action was opened on (computed at creation) and the alert it answers
    # (set by ``_create_from_alert``)
    _workflow_fields = frozenset({"gap_at_open", "alert_id"})
    _order = "state, date_deadline, id desc"
    _check_company_auto = True
    _link_guard_fields = {"plan_id": "read", "target_id": "read", "user_id": "assign"}

    name = fields.Char(required=True, tracking=True)
    plan_id = fields.Many2one(
        comodel_name="sales.plan", string="Plan", required=True, index=True,
        ondelete="cascade", tracking=True, check_company=True,
    )
    target_id = fields.Many2one(
        comodel_name="sales.plan.target", string="Target", index="btree_not_null",
        ondelete="set null", domain="[('plan_id', '=', plan_id)]", tracking=True,
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True,
    )
    currency_id = fields.Many2one(related="plan_id.currency_id")
    plan_user_id = fields.Many2one(
        related="plan_id.user_id", string="Plan Responsible", store=True, index=True,
    )
    team_id = fields.Many2one(related="plan_id.team_id", store=True, index=True)
    team_leader_id = fields.Many2one(
        related="plan_id.team_id.user_id", string="Team Leader", store=True, index=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Responsible", required=True, index=True,
        tracking=True, default=lambda self: self.env.user, domain=[("share", "=", False)],
        check_company=True,  # the responsible works in the plan's company
    )
    date_deadline = fields.Date(string="Deadline", tracking=True)
    description = fields.Html(help="What will be done, by whom, and the expected effect.")
    state = fields.Selection(
        selection=STATES, default="open", required=True, index=True, tracking=True,
    )
    alert_id = fields.Many2one(
        comodel_name="sales.control.alert", string="Alert", readonly=True,
        ondelete="set null",
    )
    gap_at_open = fields.Float(
        string="Gap at Opening", readonly=True, copy=False,
        help="The target's gap (actual minus expected to date) when the action was opened.",
    )
    gap = fields.Float(
        string="Gap Now", compute="_compute_gap",
        help="The target's gap today (actual minus expected to date).",
    )
    gap_change = fields.Float(
        string="Improvement", compute="_compute_gap",
        help="Gap now minus gap at opening: positive when the target caught up.",
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    @api.depends("target_id", "gap_at_open")
    def _compute_gap(self):
        """The live gap of all targets in one batch (see ``_get_figures``)."""
        # the figures are computed with sudo() (a target's actual counts colleagues'
        # orders) but only for targets the caller reads: an onchange may name any id
        targets = self.target_id._filtered_access("read").sudo()
        figures = targets._get_figures() if targets else {}
        for action in self:
            gap = figures.get(action.target_id.id, {}).get("variance", 0.0)
            action.gap = gap
            action.gap_change = gap - action.gap_at_open if action.target_id else 0.0

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = bool(
                action.state == "open" and action.date_deadline
                and action.date_deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported on 'Overdue'."))
        domain = [
            ("state", "=", "open"),
            ("date_deadline", "<", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.constrains("plan_id", "target_id")
    def _check_target_plan(self):
        for action in self:
            if action.target_id and action.target_id.plan_id != action.plan_id:
                raise ValidationError(self.env._(
                    "The target %(target)s does not belong to the plan %(plan)s.",
                    target=action.target_id.display_name, plan=action.plan_id.display_name,
                ))

    @api.constrains("date_deadline")
    def _check_input_guard(self):
        check_input(self, dates=("date_deadline",))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = check_vals(self, vals_list)
        self._check_workflow_fields(vals_list, create=True)
        self._check_links(vals_list)
        for vals in vals_list:
            if vals.get("target_id") and not (self.env.su and "gap_at_open" in vals):
                target = self.env["sales.plan.target"].sudo().browse(vals["target_id"])
                vals["gap_at_open"] = target._get_figures()[target.id]["variance"]
            if not vals.get("name") and vals.get("plan_id"):
                plan = self.env["sales.plan"].browse(vals["plan_id"])
                vals["name"] = self.env._("Corrective action: %(plan)s", plan=plan.display_name)
        return super().create(vals_list)

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        self._check_workflow_fields([vals])
        self._check_links([vals])
        return super().write(vals)

    # ------------------------------------------------------------------ actions
    def action_done(self):
        self._check_state("open")
        self.write({"state": "done"})

    def action_cancel(self):
        self._check_state("open")
        self.write({"state": "cancelled"})

    def action_reopen(self):
        if self.filtered(lambda a: a.state == "open"):
            raise UserError(self.env._("Only closed or cancelled actions can be reopened."))
        self.write({"state": "open"})

    def _check_state(self, state):
        wrong = self.filtered(lambda a: a.state != state)
        if wrong:
            raise UserError(self.env._(
                "These corrective actions are not open: %(names)s",
                names=", ".join(wrong.mapped("name")),
            ))

    def _get_form_action(self):
        self.ensure_one()
        return self._get_records_action(view_mode="form", target="current", context={})

    # ------------------------------------------------------------------ business
    @api.model
    def _create_from_alert(self, alert):
        """The action answering ``alert``: the open one already made for it, else a new
        one for the alert's plan and target, responsible the plan's responsible; the
        alert's activity is marked done (the decision is taken)."""
        alert = alert.sudo()
        existing = self.search([("alert_id", "=", alert.id), ("state", "=", "open")], limit=1)
        if existing:
            return existing
        plan = alert.plan_id
        action = self.create({
            "name": self.env._(
                "Recover %(target)s", target=alert.target_id.display_name,
            ),
            "plan_id": plan.id,
            "target_id": alert.target_id.id,
            "user_id": plan.user_id.id or self.env.user.id,
            "date_deadline": fields.Date.context_today(self) + timedelta(days=14),
            "description": alert.note,
        })
        action._workflow_write({"alert_id": alert.id})
        if alert.activity_id:
            alert.activity_id.action_feedback(feedback=self.env._(
                "Corrective action created: %(name)s", name=action.name,
            ))
        return action
