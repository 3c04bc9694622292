# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A coaching focus: the competency (and its linked KPI) a salesperson works on with their
leader over a period, and the measured effect.

Proposal (``_propose_for_team``, the team's *Propose Focus* button): over the last
``PROPOSAL_DAYS`` days, each linked KPI of each member (the team leader excepted) is
compared with the team median of that KPI; the gap is relative, ``(median - value) /
|median|``, so that counts and percentages compare. The competency with the largest
positive gap (the member furthest below the team) becomes a draft focus from today to the
end of the quarter, unless the member already has an open (proposed or confirmed) focus
over that time: running the proposal again adds nothing. The leader confirms it (or
cancels it), and may add a second focus by hand (at most two open at once).

Effect (computed, shown on the focus): with ``d`` the days from the focus start to today
(or its end, when over), the focus KPI over those ``d`` days minus the KPI over the ``d``
days before the start is the salesperson's *change*; the same for the team median (the
median of the members' values in each window) is the *team change*; the effect is the
change minus the team change. All KPIs are higher-is-better.
"""

import statistics
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import date_utils

from .sales_input_guard import check_input, check_vals

PROPOSAL_DAYS = 90
MAX_OPEN_FOCUS = 2
OPEN_STATES = ("draft", "confirmed")


def _median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def _minus(a, b):
    return None if a is None or b is None else a - b


class SalesCoachingFocus(models.Model):
    _name = "sales.coaching.focus"
    _description = "Coaching Focus"
    _inherit = ["mail.thread", "sales.input.guard.mixin", "sales.link.guard.mixin",
                "sales.workflow.guard.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _link_guard_fields = {"user_id": "assign", "team_id": "assign", "competency_id": "read"}
    _workflow_fields = frozenset({
        "state", "confirmed_by_id", "date_confirmed", "is_proposed", "proposal_value",
        "proposal_team_median", "proposal_gap",
    })

    def _default_date_end(self):
        return date_utils.end_of(fields.Date.context_today(self), "quarter")

    user_id = fields.Many2one(
        comodel_name="res.users", string="Salesperson", required=True, index=True,
        check_company=True, ondelete="cascade", tracking=True,
    )
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", index=True, check_company=True,
        compute="_compute_team_id", store=True, readonly=False, precompute=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True,
        default=lambda self: self.env.company,
    )
    competency_id = fields.Many2one(
        comodel_name="sales.competency", required=True, check_company=True,
        ondelete="cascade", domain="[('kpi_type', '!=', 'none')]", tracking=True,
    )
    kpi_unit = fields.Selection(related="competency_id.kpi_unit")
    date_start = fields.Date(
        string="Focus Start", required=True, default=fields.Date.context_today, tracking=True,
    )
    date_end = fields.Date(
        string="Focus End", required=True, tracking=True,
        default=lambda self: self._default_date_end(),
    )
    note = fields.Text(string="Why and How")
    state = fields.Selection(
        selection=[("draft", "Proposed"), ("confirmed", "Confirmed"), ("done", "Done"),
                   ("cancelled", "Cancelled")],
        required=True, default="draft", readonly=True, tracking=True, index=True,
    )
    confirmed_by_id = fields.Many2one(comodel_name="res.users", readonly=True)
    date_confirmed = fields.Date(readonly=True)
    is_proposed = fields.Boolean(
        string="Proposed by the System", readonly=True,
        help="Proposed from the largest gap between the salesperson's KPI and the team "
             "median.",
    )
    proposal_value = fields.Float(
        string="KPI at Proposal", readonly=True, digits=(16, 2))
    proposal_team_median = fields.Float(
        string="Team Median at Proposal", readonly=True, digits=(16, 2))
    proposal_gap = fields.Float(
        string="Gap to Median (%)", readonly=True, digits=(16, 1),
        help="(team median - salesperson's value) / team median, in %: how far below the "
             "team the salesperson was.",
    )
    # the effect (see the module docstring), never stored: it moves with the clock
    effect_date_to = fields.Date(string="Measured Until", compute="_compute_effect")
    kpi_before = fields.Float(string="KPI Before", compute="_compute_effect",
                              digits=(16, 2))
    kpi_current = fields.Float(string="KPI Since Start", compute="_compute_effect",
                               digits=(16, 2))
    kpi_change = fields.Float(string="Change", compute="_compute_effect", digits=(16, 2))
    team_before = fields.Float(string="Team Median Before", compute="_compute_effect",
                               digits=(16, 2))
    team_current = fields.Float(string="Team Median Since Start", compute="_compute_effect",
                                digits=(16, 2))
    team_change = fields.Float(string="Team Change", compute="_compute_effect",
                               digits=(16, 2))
    effect = fields.Float(
        compute="_compute_effect", digits=(16, 2),
        help="The salesperson's change of the focus KPI since the focus began minus the "
             "team's change over the same time.",
    )
    has_effect = fields.Boolean(compute="_compute_effect")

    # ------------------------------------------------------------------ computes
    @api.depends("user_id")
    def _compute_team_id(self):
        for focus in self:
            if not focus.team_id or focus.user_id not in focus.team_id.member_ids:
                focus.team_id = focus.user_id.sale_team_id

    @api.depends("user_id", "team_id", "competency_id", "date_start", "date_end")
    @api.depends_context("company")
    def _compute_effect(self):
        """One ``_kpi_values`` pair (before, since) per competency and window, for all
        the focuses sharing them."""
        today = fields.Date.context_today(self)
        groups = {}
        for focus in self:
            focus.update(dict.fromkeys(
                ("kpi_before", "kpi_current", "kpi_change", "team_before", "team_current",
                 "team_change", "effect"), 0.0))
            focus.has_effect = False
            focus.effect_date_to = False
            if not (focus.competency_id and focus.user_id and focus.date_start
                    and focus.date_end) or focus.date_start > today:
                continue
            date_to = min(today, focus.date_end)
            focus.effect_date_to = date_to
            groups.setdefault((focus.competency_id, focus.date_start, date_to), []).append(
                focus)
        for (competency, date_start, date_to), focuses in groups.items():
            days = (date_to - date_start).days + 1
            before_from = date_start - timedelta(days=days)
            before_to = date_start - timedelta(days=1)
            members = {}
            users = self.env["res.users"]
            for focus in focuses:
                team = focus.sudo().team_id
                members[focus] = (team.member_ids - team.user_id) | focus.user_id
                users |= members[focus]
            competency = competency.sudo()
            current = competency._kpi_values(users, date_start, date_to)
            before = competency._kpi_values(users, before_from, before_to)
            for focus in focuses:
                own_now = current[focus.user_id.id][competency.id]
                own_before = before[focus.user_id.id][competency.id]
                team_now = _median(current[u.id][competency.id] for u in members[focus])
                team_before = _median(before[u.id][competency.id] for u in members[focus])
                change = _minus(own_now, own_before)
                team_change = _minus(team_now, team_before)
                effect = _minus(change, team_change)
                focus.update({
                    "kpi_current": own_now or 0.0, "kpi_before": own_before or 0.0,
                    "kpi_change": change or 0.0, "team_current": team_now or 0.0,
                    "team_before": team_before or 0.0, "team_change": team_change or 0.0,
                    "effect": effect or 0.0, "has_effect": effect is not None,
                })

    @api.depends("user_id", "competency_id")
    def _compute_display_name(self):
        for focus in self:
            focus.display_name = self.env._(
                "%(competency)s - %(user)s", competency=focus.competency_id.name or "",
                user=focus.user_id.name or "",
            )

    # ------------------------------------------------------------------ constraints
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        check_input(self, dates=("date_start", "date_end"))
        for focus in self:
            if focus.date_end < focus.date_start:
                raise ValidationError(self.env._("A focus ends after it starts."))

    @api.constrains("user_id", "competency_id", "date_start", "date_end", "state")
    def _check_open_focuses(self):
        open_focuses = self.filtered(lambda f: f.state in OPEN_STATES)
        if not open_focuses:
            return
        others = self.sudo().search([
            ("user_id", "in", open_focuses.user_id.ids), ("state", "in", OPEN_STATES),
        ])
        for focus in open_focuses:
            overlapping = others.filtered(
                lambda o, f=focus: o.user_id == f.user_id and o.date_start <= f.date_end
                and o.date_end >= f.date_start)
            if len(overlapping.filtered(lambda o, f=focus: o.competency_id
                                        == f.competency_id)) > 1:
                raise ValidationError(self.env._(
                    "%(user)s already has a focus on %(competency)s over these dates.",
                    user=focus.user_id.name, competency=focus.competency_id.name,
                ))
            if len(overlapping) > MAX_OPEN_FOCUS:
                raise ValidationError(self.env._(
                    "%(user)s would have more than %(count)s focuses at once: one or two "
                    "focus at a time.", user=focus.user_id.name, count=MAX_OPEN_FOCUS,
                ))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = check_vals(self, vals_list)
        self._check_links(vals_list)
        self._check_workflow_fields(vals_list, create=True)
        focuses = super().create(vals_list)
        if not self.env.su:
            focuses._check_leader(self.env.user)
        return focuses

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        self._check_links([vals])
        self._check_workflow_fields([vals])
        if not self.env.su:
            self._check_leader(self.env.user)
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self._check_leader(self.env.user)
        return super().unlink()

    # ------------------------------------------------------------------ actions
    def action_confirm(self):
        self._check_leader(self.env.user)
        if any(focus.state != "draft" for focus in self):
            raise UserError(self.env._("Only a proposed focus can be confirmed."))
        self._workflow_write({
            "state": "confirmed", "confirmed_by_id": self.env.uid,
            "date_confirmed": fields.Date.context_today(self),
        })
        return True

    def action_done(self):
        self._check_leader(self.env.user)
        if any(focus.state != "confirmed" for focus in self):
            raise UserError(self.env._("Only a confirmed focus can be closed."))
        self._workflow_write({"state": "done"})
        return True

    def action_cancel(self):
        self._check_leader(self.env.user)
        if any(focus.state not in OPEN_STATES for focus in self):
            raise UserError(self.env._("Only a proposed or confirmed focus can be cancelled."))
        self._workflow_write({"state": "cancelled"})
        return True

    def action_draft(self):
        self._check_leader(self.env.user)
        if any(focus.state != "cancelled" for focus in self):
            raise UserError(self.env._("Only a cancelled focus goes back to proposed."))
        self._workflow_write({"state": "draft"})
        return True

    # ------------------------------------------------------------------ helpers
    def _check_leader(self, user):
        """Raise ``AccessError`` unless ``user`` leads the focus's team (and the
        salesperson is in it) or is a sales manager; nobody sets their own focus."""
        if user.has_group("sales_team.group_sale_manager"):
            if any(focus.user_id == user for focus in self.sudo()):
                raise AccessError(self.env._("Your focus is set by your leader."))
            return
        for focus in self.sudo():
            team = focus.team_id
            if focus.user_id == user or team.user_id != user \
                    or focus.user_id not in team.member_ids:
                raise AccessError(self.env._(
                    "Only the leader of %(user)s's team or a sales manager sets their focus.",
                    user=focus.user_id.name,
                ))

    @api.model
    def _current_for(self, user, date=None):
        """The confirmed focuses of ``user`` running on ``date`` (today by default): what
        the salesperson works on now. Read as superuser: the caller checks that the
        current user may see ``user``'s focus."""
        date = date or fields.Date.context_today(self)
        return self.sudo().search([
            ("user_id", "=", user.id), ("state", "=", "confirmed"),
            ("date_start", "<=", date), ("date_end", ">=", date),
        ])

    @api.model
    def _propose_for_team(self, team, date=None):
        """Draft focuses for the members of ``team`` (see the module docstring); returns
        them. The caller must lead the team or be a sales manager."""
        user = self.env.user
        if not (self.env.su or user.has_group("sales_team.group_sale_manager")
                or team.sudo().user_id == user):
            raise AccessError(self.env._(
                "Only the team leader or a sales manager proposes focuses for %(team)s.",
                team=team.sudo().name,
            ))
        team = team.sudo()
        today = date or fields.Date.context_today(self)
        date_from = today - timedelta(days=PROPOSAL_DAYS - 1)
        members = team.member_ids - team.user_id
        competencies = self.env["sales.competency"].sudo().search([
            ("kpi_type", "!=", "none"), ("company_id", "in", [team.company_id.id or
                                                              self.env.company.id, False]),
        ])
        if not members or not competencies:
            return self.browse()
        values = competencies.with_company(team.company_id or self.env.company)._kpi_values(
            members, date_from, today)
        medians = {c.id: _median(values[u.id][c.id] for u in members) for c in competencies}
        end = date_utils.end_of(today, "quarter")
        open_focuses = self.sudo().search([
            ("user_id", "in", members.ids), ("state", "in", OPEN_STATES),
            ("date_start", "<=", end), ("date_end", ">=", today),
        ])
        to_create = []
        for member in members:
            if member in open_focuses.user_id:
                continue  # proposed once: a second focus is the leader's own choice
            gaps = []
            for competency in competencies:
                value, median = values[member.id][competency.id], medians[competency.id]
                if value is None or not median:
                    continue
                gap = (median - value) / abs(median)
                if gap > 0:
                    gaps.append((-gap, competency.sequence, competency.id, value, median))
            if not gaps:
                continue
            gap, _sequence, competency_id, value, median = min(gaps)
            to_create.append({
                "user_id": member.id, "team_id": team.id, "competency_id": competency_id,
                "company_id": (team.company_id or self.env.company).id,
                "date_start": today, "date_end": end, "is_proposed": True,
                "proposal_value": value, "proposal_team_median": median,
                "proposal_gap": -gap * 100.0,
            })
        return self.sudo().create(to_create).with_env(self.env)
