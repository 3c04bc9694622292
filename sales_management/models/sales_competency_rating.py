# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A salesperson's level (1..5) on a competency for a period, given by the salesperson
themself (``kind`` ``self``) or by their leader (``leader``: the team leader or a sales
manager), with its evidence.

Period: ``period_type`` (month or quarter) and ``date_start``, the first day of that month
or quarter; ``date_end`` (its last day) is computed. One rating per salesperson,
competency, period and kind.

Who rates: the rater is always the user who creates (or last changes the level of) the
rating, set by ``create``/``write`` from ``env.user``, never from the values sent. A self
rating is given and changed only by the salesperson rated; a leader rating only by the
leader of the rating's team or a sales manager, never about themself.

Derived, stored (grouped in the team matrix): ``counterpart_level`` and ``gap`` (self
minus leader level of the same period: positive when the salesperson rates themself
higher), ``previous_level`` and ``trend`` (the level minus the same kind's level in the
salesperson's previous rated period of that competency).
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import date_utils

from .sales_input_guard import check_input, check_vals

LEVELS = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]


class SalesCompetencyRating(models.Model):
    _name = "sales.competency.rating"
    _description = "Sales Competency Rating"
    _inherit = ["mail.thread", "sales.input.guard.mixin", "sales.link.guard.mixin"]
    _order = "date_start desc, user_id, competency_id, kind"
    _check_company_auto = True
    _sql_constraints = [
        ("rating_unique", "UNIQUE(user_id, competency_id, date_start, date_end, kind)",
         "This salesperson already has a rating of this kind for this competency and "
         "period."),
        ("level_range", "CHECK(level BETWEEN 1 AND 5)", "A level is between 1 and 5."),
    ]
    _link_guard_fields = {"user_id": "assign", "team_id": "assign", "competency_id": "read"}
    # set once, by create; a rating is re-created rather than moved
    _key_fields = frozenset({
        "user_id", "team_id", "competency_id", "kind", "period_type", "date_start",
        "company_id",
    })

    def _default_date_start(self):
        return date_utils.start_of(fields.Date.context_today(self), "month")

    user_id = fields.Many2one(
        comodel_name="res.users", string="Salesperson", required=True, index=True,
        default=lambda self: self.env.user, check_company=True, ondelete="cascade",
    )
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", index=True, check_company=True,
        compute="_compute_team_id", store=True, readonly=False, precompute=True,
        help="The salesperson's team: its leader gives the leader rating.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True,
        default=lambda self: self.env.company,
    )
    competency_id = fields.Many2one(
        comodel_name="sales.competency", required=True, index=True, check_company=True,
        ondelete="cascade",
    )
    kind = fields.Selection(
        selection=[("self", "Self rating"), ("leader", "Leader rating")], required=True,
        default="self",
    )
    rater_id = fields.Many2one(
        comodel_name="res.users", string="Rated By", readonly=True, ondelete="set null",
        copy=False,
        help="Set from the user who gives the rating.",
    )
    period_type = fields.Selection(
        selection=[("month", "Month"), ("quarter", "Quarter")], required=True,
        default="month",
    )
    date_start = fields.Date(
        string="Period Start", required=True, default=lambda self: self._default_date_start(),
        help="First day of the month or quarter rated.",
    )
    date_end = fields.Date(
        string="Period End", compute="_compute_date_end", store=True, precompute=True,
    )
    level = fields.Integer(required=True, default=3, aggregator="avg", tracking=True)
    level_selection = fields.Selection(
        selection=LEVELS, string="Level (1-5)", compute="_compute_level_selection",
        inverse="_inverse_level_selection",
    )
    level_description = fields.Text(
        string="What Good Looks Like", compute="_compute_level_description",
    )
    evidence = fields.Text(tracking=True)
    lead_ids = fields.Many2many(
        comodel_name="crm.lead", relation="sales_competency_rating_lead_rel",
        column1="rating_id", column2="lead_id", string="Opportunities",
        domain="[('type', '=', 'opportunity'), ('user_id', '=', user_id)]",
    )
    activity_message_ids = fields.Many2many(
        comodel_name="mail.message", relation="sales_competency_rating_message_rel",
        column1="rating_id", column2="message_id", string="Activities Done",
        domain="[('model', '=', 'crm.lead'), ('mail_activity_type_id', '!=', False),"
               " ('res_id', 'in', lead_ids)]",
        help="Done activities of the evidence opportunities (an activity marked done is "
             "kept as its chatter message).",
    )
    counterpart_level = fields.Integer(
        string="Other Side's Level", compute="_compute_comparisons", store=True,
        aggregator="avg", help="The leader's level on a self rating, and the reverse.",
    )
    gap = fields.Integer(
        string="Self - Leader Gap", compute="_compute_comparisons", store=True,
        aggregator="avg",
        help="Self level minus leader level of the same period (when both are given).",
    )
    has_gap = fields.Boolean(compute="_compute_comparisons", store=True)
    previous_level = fields.Integer(
        compute="_compute_comparisons", store=True, aggregator="avg",
        help="Level of the same kind in the previous rated period.",
    )
    trend = fields.Integer(
        compute="_compute_comparisons", store=True, aggregator="avg",
        help="Level minus the previous period's level (same kind).",
    )
    has_trend = fields.Boolean(compute="_compute_comparisons", store=True)

    # ------------------------------------------------------------------ computes
    @api.depends("user_id")
    def _compute_team_id(self):
        for rating in self:
            if not rating.team_id or rating.user_id not in rating.team_id.member_ids:
                rating.team_id = rating.user_id.sale_team_id

    @api.depends("period_type", "date_start")
    def _compute_date_end(self):
        for rating in self:
            if rating.date_start and rating.period_type:
                rating.date_end = date_utils.end_of(rating.date_start, rating.period_type)
            else:
                rating.date_end = False

    @api.depends("level")
    def _compute_level_selection(self):
        for rating in self:
            rating.level_selection = str(rating.level) if 1 <= rating.level <= 5 else False

    def _inverse_level_selection(self):
        for rating in self:
            if rating.level_selection:
                rating.level = int(rating.level_selection)

    @api.depends("competency_id", "level", "level_selection")
    def _compute_level_description(self):
        # the form changes level_selection (its inverse sets level when saved)
        for rating in self:
            level = int(rating.level_selection) if rating.level_selection else rating.level
            rating.level_description = rating.competency_id._level_description(level) \
                if rating.competency_id else False

    @api.depends("level", "user_id", "competency_id", "kind", "date_start", "date_end")
    def _compute_comparisons(self):
        """From the other ratings of the same salespersons and competencies, read in one
        search (the ratings are triggered again when a sibling changes: see
        ``_touch_siblings``)."""
        ratings = self.filtered("id")
        siblings = self.sudo().search([
            ("user_id", "in", ratings.user_id.ids),
            ("competency_id", "in", ratings.competency_id.ids),
        ]) if ratings else self.browse()
        by_key = {}
        for sibling in siblings:
            by_key[(sibling.user_id.id, sibling.competency_id.id, sibling.date_start,
                    sibling.date_end, sibling.kind)] = sibling
        for rating in self:
            key = (rating.user_id.id, rating.competency_id.id, rating.date_start,
                   rating.date_end)
            other = by_key.get((*key, "leader" if rating.kind == "self" else "self"))
            rating.counterpart_level = other.level if other else 0
            rating.has_gap = bool(other)
            if other:
                self_level, leader_level = (rating.level, other.level) \
                    if rating.kind == "self" else (other.level, rating.level)
                rating.gap = self_level - leader_level
            else:
                rating.gap = 0
            previous = max(
                (s for s in siblings
                 if s.user_id == rating.user_id and s.competency_id == rating.competency_id
                 and s.kind == rating.kind and s.date_end and rating.date_start
                 and s.date_end < rating.date_start),
                key=lambda s: (s.date_end, s.date_start), default=None,
            )
            rating.previous_level = previous.level if previous else 0
            rating.has_trend = bool(previous)
            rating.trend = rating.level - previous.level if previous else 0

    # ------------------------------------------------------------------ constraints
    @api.constrains("period_type", "date_start")
    def _check_period(self):
        check_input(self, dates=("date_start",))
        for rating in self:
            if rating.date_start != date_utils.start_of(rating.date_start, rating.period_type):
                raise ValidationError(self.env._(
                    "A rating's period starts on the first day of its month or quarter "
                    "(%(date)s is not one).", date=rating.date_start,
                ))

    @api.constrains("lead_ids", "activity_message_ids", "user_id")
    def _check_evidence(self):
        for rating in self.sudo():
            foreign = rating.lead_ids.filtered(
                lambda lead, r=rating: lead.user_id != r.user_id or lead.type != "opportunity")
            if foreign:
                raise ValidationError(self.env._(
                    "Evidence opportunities must be opportunities of %(user)s: %(leads)s.",
                    user=rating.user_id.name, leads=", ".join(foreign.mapped("name")),
                ))
            wrong = rating.activity_message_ids.filtered(
                lambda m, r=rating: m.model != "crm.lead" or not m.mail_activity_type_id
                or m.res_id not in r.lead_ids.ids)
            if wrong:
                raise ValidationError(self.env._(
                    "Evidence activities must be activities done on the evidence "
                    "opportunities.",
                ))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = check_vals(self, vals_list)
        self._check_links(vals_list)
        self._check_evidence_links(vals_list)
        if not self.env.su:
            for vals in vals_list:
                if vals.get("rater_id") and vals["rater_id"] != self.env.uid:
                    raise AccessError(self.env._(
                        "A rating is given in your own name: Rated By cannot be set."))
        vals_list = [dict(vals, rater_id=vals.get("rater_id") or self.env.uid)
                     if self.env.su else dict(vals, rater_id=self.env.uid)
                     for vals in vals_list]
        ratings = super().create(vals_list)
        if not self.env.su:
            ratings._check_rater(self.env.user)
        ratings._touch_siblings()
        return ratings

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        if not self.env.su:
            if any(self._key_would_change(name, vals[name])
                   for name in (self._key_fields | {"rater_id"}).intersection(vals)):
                raise UserError(self.env._(
                    "A rating's salesperson, competency, kind, period and rater are set "
                    "when it is given: create a new rating instead."))
            self._check_evidence_links([vals])
            self._check_rater(self.env.user)
        siblings = self._siblings()
        if not self.env.su and {"level", "level_selection", "evidence"} & set(vals):
            vals = dict(vals, rater_id=self.env.uid)
        result = super().write(vals)
        (siblings | self._siblings())._touch_siblings(with_self=True)
        return result

    def unlink(self):
        if not self.env.su:
            self._check_rater(self.env.user)
        siblings = self._siblings() - self
        result = super().unlink()
        siblings.exists()._touch_siblings(with_self=True)
        return result

    # ------------------------------------------------------------------ helpers
    def _check_rater(self, user):
        """Raise ``AccessError`` unless ``user`` may give (change, delete) these ratings:
        a self rating is the salesperson's own; a leader rating is the leader's of the
        rating's team or a sales manager's, never about themself."""
        is_manager = user.has_group("sales_team.group_sale_manager")
        for rating in self.sudo():
            if rating.kind == "self":
                allowed = rating.user_id == user
            else:
                allowed = rating.user_id != user and (
                    is_manager or (rating.team_id.user_id == user
                                   and rating.user_id in rating.team_id.member_ids))
            if not allowed:
                raise AccessError(self.env._(
                    "%(user)s may not give the %(kind)s of %(salesperson)s on %(competency)s:"
                    " a salesperson rates only themself, a team leader their team's members,"
                    " a manager anyone.",
                    user=user.name, salesperson=rating.user_id.name,
                    competency=rating.competency_id.name,
                    kind=dict(self._fields["kind"]._description_selection(self.env))[
                        rating.kind],
                ))

    def _key_would_change(self, fname, value):
        field = self._fields[fname]
        try:
            new = field.convert_to_record(field.convert_to_cache(value, self), self)
        except (ValueError, TypeError):
            return True
        return any(record[fname] != new for record in self)

    def _check_evidence_links(self, vals_list):
        """Evidence opportunities the caller reads (the constraint then checks they are
        the salesperson's)."""
        if self.env.su:
            return
        lead_ids = set()
        for vals in vals_list:
            for command in vals.get("lead_ids") or []:
                if isinstance(command, (list, tuple)) and command:
                    if command[0] == 4:
                        lead_ids.add(command[1])
                    elif command[0] == 6:
                        lead_ids.update(command[2] or [])
                    elif command[0] == 0:
                        raise UserError(self.env._(
                            "Evidence links existing opportunities only."))
                elif isinstance(command, int):
                    lead_ids.add(command)
        if lead_ids:
            leads = self.env["crm.lead"].browse(sorted(lead_ids)).exists()
            if len(leads) != len(lead_ids):
                raise UserError(self.env._("An evidence opportunity does not exist."))
            leads.check_access("read")
        for vals in vals_list:
            for command in vals.get("activity_message_ids") or []:
                if isinstance(command, (list, tuple)) and command and command[0] == 0:
                    raise UserError(self.env._("Evidence links existing activities only."))

    def _siblings(self):
        """The ratings whose gap or trend depend on these: same salespersons and
        competencies."""
        if not self:
            return self.browse()
        return self.sudo().search([
            ("user_id", "in", self.sudo().user_id.ids),
            ("competency_id", "in", self.sudo().competency_id.ids),
        ]).with_env(self.env)

    def _touch_siblings(self, with_self=False):
        """Have the stored gap and trend of the siblings recomputed."""
        records = self._siblings() | (self if with_self else self.browse())
        records = records.sudo()
        for name in ("counterpart_level", "gap", "has_gap", "previous_level", "trend",
                     "has_trend"):
            self.env.add_to_compute(self._fields[name], records)

    @api.model
    def _lowest_competencies(self, user, limit=2):
        """The ``limit`` competencies (``sales.competency``) of ``user`` rated lowest in
        their latest rated period (the period with the latest end among their ratings):
        the leader rating of each competency when given, else the self rating; ties by
        the competency's order. Empty when the user has no rating.

        Read as superuser: the caller checks that the current user may see ``user``'s
        ratings (themself, their leader, a manager)."""
        Rating = self.sudo()
        latest = Rating.search([("user_id", "=", user.id)], order="date_end desc, date_start",
                               limit=1)
        if not latest:
            return self.env["sales.competency"]
        ratings = Rating.search([
            ("user_id", "=", user.id), ("date_start", "=", latest.date_start),
            ("date_end", "=", latest.date_end), ("competency_id.active", "=", True),
        ])
        level = {}
        for rating in ratings.sorted(lambda r: r.kind != "leader"):
            level.setdefault(rating.competency_id, rating.level)  # leader first
        ordered = sorted(level, key=lambda c: (level[c], c.sequence, c.id))
        return self.env["sales.competency"].browse([c.id for c in ordered[:limit]])

    @api.model
    def _matrix_data(self, users, competencies=None):
        """Latest levels of ``users`` on ``competencies`` (all active ones by default),
        read with the caller's rights: what the team matrix and the scorecard show.

        For each salesperson and competency, the ratings of the latest period rated
        (latest end date): the leader's level when given, else the self rating's; the
        self/leader gap when both are given; the trend of the rating shown.
        Returns ``{"competencies": recordset, "rows": [{"user": user, "cells":
        {competency id: cell}}]}`` with a cell ``{"level", "kind", "self_level",
        "leader_level", "gap", "trend", "date_start", "date_end"}`` (None where there is
        nothing), one search for all."""
        competencies = competencies if competencies is not None else \
            self.env["sales.competency"].search([])
        ratings = self.search([
            ("user_id", "in", users.ids), ("competency_id", "in", competencies.ids),
        ])
        latest = {}
        for rating in ratings:
            key = (rating.user_id.id, rating.competency_id.id)
            latest.setdefault(key, {})
            latest[key].setdefault(rating.date_end, {})[rating.kind] = rating
        rows = []
        for user in users:
            cells = {}
            for competency in competencies:
                periods = latest.get((user.id, competency.id))
                if not periods:
                    cells[competency.id] = None
                    continue
                by_kind = periods[max(periods)]
                leader, own = by_kind.get("leader"), by_kind.get("self")
                shown = leader or own
                cells[competency.id] = {
                    "level": shown.level,
                    "kind": shown.kind,
                    "self_level": own.level if own else None,
                    "leader_level": leader.level if leader else None,
                    "gap": own.level - leader.level if own and leader else None,
                    "trend": shown.trend if shown.has_trend else None,
                    "date_start": shown.date_start,
                    "date_end": shown.date_end,
                }
            rows.append({"user": user, "cells": cells})
        return {"competencies": competencies, "rows": rows}

    @api.model
    def _scorecard_data(self, user, date_from, date_to):
        """The competencies section of ``user``'s scorecard: per active competency, the
        latest levels (``_matrix_data``, the caller's rights) and the linked KPI over
        ``date_from``..``date_to`` (``sales.competency._kpi_values``); then the coaching
        focuses of the period (the caller's rights). The caller has checked that the
        current user may print ``user``'s scorecard."""
        competencies = self.env["sales.competency"].search([])
        matrix = self._matrix_data(user, competencies)
        kpis = competencies._kpi_values(user, date_from, date_to)[user.id]
        rows = [
            {"competency": competency, "cell": matrix["rows"][0]["cells"][competency.id],
             "kpi": kpis[competency.id], "kpi_unit": competency.kpi_unit}
            for competency in competencies
        ]
        focuses = self.env["sales.coaching.focus"].search([
            ("user_id", "=", user.id), ("state", "!=", "cancelled"),
            ("date_start", "<=", date_to), ("date_end", ">=", date_from),
        ])
        return {"rows": rows, "focuses": focuses}
