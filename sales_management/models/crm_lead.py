# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_round


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # --- Tracking (transitional milestones) ----------------------------------------------
    milestone_line_ids = fields.One2many(
        comodel_name="sales.lead.milestone", inverse_name="lead_id",
        string="Milestones Reached", copy=False,
    )
    milestone_id = fields.Many2one(
        comodel_name="sales.milestone", string="Milestone", index=True, copy=False,
        compute="_compute_milestone_id", store=True, tracking=True,
        group_expand="_read_group_milestone_ids",
        help="The last milestone this opportunity reached.",
    )
    milestone_date = fields.Datetime(
        string="Milestone Reached On", compute="_compute_milestone_id", store=True, copy=False,
    )
    milestone_probability = fields.Float(
        compute="_compute_milestone_probability", store=True, aggregator="avg",
        digits=(16, 1),
        help="Share of similar opportunities that were won after reaching this milestone "
             "(the team's own history when it has enough closed opportunities).",
    )
    milestone_expected_revenue = fields.Monetary(
        string="Milestone-Weighted Revenue", currency_field="company_currency",
        compute="_compute_milestone_expected_revenue", store=True,
        help="Expected revenue × milestone probability.",
    )
    milestone_days = fields.Integer(
        string="Days in Milestone", compute="_compute_milestone_days",
    )
    milestone_stalled = fields.Boolean(
        string="Stalled", compute="_compute_milestone_days", search="_search_milestone_stalled",
        help="Longer in its current milestone than the configured multiple of the milestone's "
             "median duration.",
    )
    next_milestone_id = fields.Many2one(
        comodel_name="sales.milestone", string="Next Milestone",
        compute="_compute_next_milestone",
    )
    next_milestone_guidance = fields.Html(
        string="Guidance", compute="_compute_next_milestone", sanitize=False,
    )
    milestone_missing = fields.Text(
        string="Still Missing", compute="_compute_next_milestone",
        help="What the opportunity still misses to reach its next milestone.",
    )
    milestone_ready = fields.Boolean(compute="_compute_next_milestone")
    milestone_norm_progress = fields.Text(
        string="Activity Norms", compute="_compute_next_milestone",
        help="Done activities against the next milestone's norms (e.g. Meeting: 1 of 2 done).",
    )
    milestone_criterion_ids = fields.Many2many(
        comodel_name="sales.milestone.criterion", relation="crm_lead_milestone_criterion_rel",
        column1="lead_id", column2="criterion_id", string="Confirmed Criteria", copy=False,
        tracking=True,
    )
    milestone_required_activity_ids = fields.Many2many(
        comodel_name="mail.activity.type", string="Required Activities",
        compute="_compute_next_milestone",
    )

    @api.depends("milestone_line_ids.milestone_id", "milestone_line_ids.date_reached")
    def _compute_milestone_id(self):
        for lead in self:
            last = lead.milestone_line_ids.sorted(
                lambda ln: (ln.date_reached, ln.milestone_id.sequence, ln.id)
            )[-1:]
            lead.milestone_id = last.milestone_id
            lead.milestone_date = last.date_reached

    @api.depends("milestone_id", "milestone_id.probability", "team_id", "company_id")
    def _compute_milestone_probability(self):
        stats = self.env["sales.milestone.stat"].sudo().search_read(
            [("milestone_id", "in", self.milestone_id.ids)],
            ["milestone_id", "team_id", "probability"], load=False,
        )
        by_team = {(s["milestone_id"], s["team_id"]): s["probability"] for s in stats}
        for lead in self:
            milestone = lead.milestone_id.sudo()
            lead.milestone_probability = by_team.get(
                (milestone.id, lead.team_id.id), milestone.probability
            ) if milestone else 0.0

    @api.depends("expected_revenue", "milestone_probability")
    def _compute_milestone_expected_revenue(self):
        # half-up to the cent, like PostgreSQL's ROUND(numeric) of the probability job
        # (``sales.milestone._write_lead_probabilities``), not Python's ``round``
        for lead in self:
            lead.milestone_expected_revenue = float_round(
                (lead.expected_revenue or 0.0) * lead.milestone_probability / 100.0,
                precision_digits=2,
            )

    @api.depends("milestone_date", "milestone_id")
    def _compute_milestone_days(self):
        now = fields.Datetime.now()
        factor = self.env.company.milestone_stalled_factor
        for lead in self:
            days = (now - lead.milestone_date).days if lead.milestone_date else 0
            lead.milestone_days = days
            median = lead.milestone_id.sudo().median_days_to_next
            lead.milestone_stalled = bool(
                lead.milestone_id and not lead.milestone_id.is_won and lead.active
                and median and days > factor * median
            )

    def _search_milestone_stalled(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the Stalled filter."))
        # The compute's definition, in SQL: whole days in the milestone (a floor, as
        # timedelta.days) above factor × median, i.e. at least floor(factor × median) + 1
        # whole days; "now" is the ORM's clock, not the database server's.
        self.env.flush_all()
        self.env.cr.execute(SQL("""
            SELECT l.id
              FROM crm_lead l
              JOIN sales_milestone m ON m.id = l.milestone_id
             WHERE l.active AND NOT COALESCE(m.is_won, FALSE) AND m.median_days_to_next > 0
               AND l.milestone_date <= %(now)s - make_interval(
                   days => (floor(m.median_days_to_next * %(factor)s) + 1)::int)
        """, now=fields.Datetime.now(), factor=self.env.company.milestone_stalled_factor))
        ids = [row[0] for row in self.env.cr.fetchall()]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    # activity_ids: an activity marked done leaves them (its message is what counts)
    @api.depends(
        "team_id", "company_id", "milestone_line_ids.milestone_id", "milestone_criterion_ids",
        "activity_ids",
    )
    @api.depends_context("company")
    def _compute_next_milestone(self):
        context = self._milestone_context()
        for lead in self:
            ctx = context[lead.id]
            nxt = ctx["next"]
            lead.next_milestone_id = nxt
            missing = self._milestone_missing_lines(nxt, ctx) if nxt else []
            lead.milestone_missing = "\n".join(missing)
            lead.milestone_ready = bool(nxt) and not missing
            lead.milestone_required_activity_ids = nxt.activity_type_ids
            lead.milestone_norm_progress = "\n".join(
                norm._progress_line(done)
                for norm, done in self._milestone_norm_progress(nxt, ctx)
            ) if nxt else False
            lead.next_milestone_guidance = nxt.guidance

    @api.model
    def _read_group_milestone_ids(self, milestones, domain):
        """Kanban by milestone: a column for every milestone of the current companies on
        the user's milestone track (the milestones of the teams they belong to or lead,
        and those of every team); a user in no team sees every track. The columns of
        milestones holding opportunities always show."""
        user = self.env.user
        teams = self.env["crm.team"].search(
            ["|", ("member_ids", "in", user.ids), ("user_id", "=", user.id)])
        track = [("company_id", "in", self.env.companies.ids + [False])]
        if teams:
            track += ["|", ("team_ids", "=", False), ("team_ids", "in", teams.ids)]
        return milestones | milestones.search(track)

    # ------------------------------------------------------------------ CRUD
    def write(self, vals):
        if "milestone_id" in vals and not self.env.su:
            # the current milestone follows the log (``_compute_milestone_id``), written by
            # ``_reach_milestone`` once the milestone's rules are checked
            raise AccessError(self.env._(
                "Milestones are recorded with the Reach Next Milestone button of the "
                "opportunity, which checks the milestone's rules."
            ))
        result = super().write(vals)
        if vals.get("stage_id"):
            self._milestone_from_stage(self.env["crm.stage"].browse(vals["stage_id"]))
        return result

    # ------------------------------------------------------------------ ACTIONS
    def action_milestone_advance(self):
        """Reach the next milestone; every rule applies."""
        self.ensure_one()
        if not self.next_milestone_id:
            raise UserError(self.env._("This opportunity has no further milestone to reach."))
        self._reach_milestone(self.next_milestone_id)
        return True

    def action_milestone_override(self):
        """Manager override: reach the next milestone although its rules are not met."""
        self.ensure_one()
        if not self.next_milestone_id:
            raise UserError(self.env._("This opportunity has no further milestone to reach."))
        self._reach_milestone(self.next_milestone_id, override=True)
        return True

    def action_milestone_reach_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_management.sales_lead_milestone_reach_action"
        )
        action["context"] = {
            "default_lead_id": self.id,
            "default_milestone_id": self.next_milestone_id.id,
        }
        return action

    # ------------------------------------------------------------------ BUSINESS
    def _milestone_context(self, extra_milestones=None):
        """Per lead: applicable milestones (ordered), reached ones, done activity types and
        confirmed criteria; a fixed number of queries for the whole recordset."""
        Milestone = self.env["sales.milestone"].sudo()
        companies = self.company_id | self.env.company
        milestones = Milestone.search([("company_id", "in", companies.ids + [False])])
        done = {}
        # done activities per type: what the required types and the norms count (a done
        # activity is its message; any date: reaching the milestone is now)
        done_counts = {}
        # in an onchange, records are new ids: their messages are the original record's
        lead_ids = [lead_id for lead_id in self._origin.ids if lead_id]
        if lead_ids:
            groups = self.env["mail.message"].sudo()._read_group(
                [("model", "=", "crm.lead"), ("res_id", "in", lead_ids),
                 ("mail_activity_type_id", "!=", False)],
                ["res_id", "mail_activity_type_id"], ["__count"],
            )
            for res_id, activity_type, count in groups:
                done.setdefault(res_id, self.env["mail.activity.type"])
                done[res_id] |= activity_type
                done_counts.setdefault(res_id, {})[activity_type.id] = count
        result = {}
        for lead in self:
            applicable = milestones._filter_for(lead.team_id, lead.company_id or self.env.company)
            reached = lead.milestone_line_ids.milestone_id.sudo()
            current = lead.milestone_id.sudo()
            if current.is_won:
                candidates = Milestone
            elif current:
                key = (current.sequence, current.id)
                candidates = applicable.filtered(
                    lambda m, key=key, reached=reached: (m.sequence, m.id) > key
                    and m not in reached
                )
            else:
                candidates = applicable - reached
            result[lead.id] = {
                "applicable": applicable,
                "reached": reached,
                "next": candidates[:1],
                "done_types": done.get(lead._origin.id, self.env["mail.activity.type"]),
                "done_counts": done_counts.get(lead._origin.id, {}),
                # in an onchange (a criterion just ticked), the linked criteria are new
                # records: their origins are the criteria
                "confirmed": lead.milestone_criterion_ids._origin,
            }
        return result

    def _milestone_missing_lines(self, milestone, ctx):
        """Human-readable list of what ``milestone`` still needs on this opportunity
        (criteria to confirm, activity types to do, activity norms not met); empty when it
        can be reached."""
        missing = [
            self.env._("Confirm: %(criterion)s", criterion=criterion.name)
            for criterion in milestone.sudo().criterion_ids - ctx["confirmed"]
        ]
        missing += [
            self.env._("Do a %(activity)s", activity=activity_type.name)
            for activity_type in milestone.sudo().activity_type_ids - ctx["done_types"]
        ]
        missing += [
            norm._progress_line(done)
            for norm, done in self._milestone_norm_progress(milestone, ctx)
            if done < norm.min_count
        ]
        return missing

    def _milestone_norm_progress(self, milestone, ctx):
        """[(norm, done activities of its type)] for the activity norms of ``milestone``."""
        return [
            (norm, ctx["done_counts"].get(norm.activity_type_id.id, 0))
            for norm in milestone.sudo().norm_ids
        ]

    def _milestone_skipped(self, milestone, ctx):
        """Applicable milestones before ``milestone`` this opportunity has not reached."""
        key = (milestone.sequence, milestone.id)
        return ctx["applicable"].filtered(
            lambda m: (m.sequence, m.id) < key and m not in ctx["reached"]
        )

    def _reach_milestone(self, milestone, note=False, override=False, from_stage=False):
        """Record that this opportunity reached ``milestone``.

        Always refused: a milestone that does not apply to the opportunity's team or company,
        or one it already reached. Refused unless a manager overrides (``override``) or a
        stage change records it (``from_stage``): unconfirmed criteria, required activity
        types not done, activity norms not met, and skipping milestones when the team does
        not allow it. An override or a stage change that bypasses rules is recorded with
        ``overridden`` set and logged in the chatter with what was missing.
        """
        self.ensure_one()
        milestone = milestone.sudo()
        if self.type != "opportunity":
            raise UserError(self.env._("Only opportunities reach milestones."))
        if override and not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only a sales manager may override milestone rules."))
        ctx = self._milestone_context()[self.id]
        if milestone in ctx["reached"]:
            raise UserError(self.env._(
                "%(lead)s already reached the milestone %(milestone)s.",
                lead=self.name, milestone=milestone.name,
            ))
        if milestone not in ctx["applicable"]:
            raise UserError(self.env._(
                "The milestone %(milestone)s does not apply to the sales team %(team)s.",
                milestone=milestone.name, team=self.team_id.name or self.env._("(none)"),
            ))
        problems = self._milestone_missing_lines(milestone, ctx)
        skipped = self._milestone_skipped(milestone, ctx)
        if skipped and not self.team_id.milestone_allow_skip:
            problems.append(self.env._(
                "Reach first: %(milestones)s", milestones=", ".join(skipped.mapped("name")),
            ))
        if problems and not (override or from_stage):
            raise UserError(self.env._(
                "%(lead)s cannot reach %(milestone)s yet:\n%(problems)s",
                lead=self.name, milestone=milestone.name,
                problems="\n".join(f"• {p}" for p in problems),
            ))
        overridden = bool(problems)
        if from_stage and problems:
            note = "\n".join(filter(None, [note, self.env._(
                "Recorded by a stage change to %(stage)s; rules not met:",
                stage=self.stage_id.name,
            )] + problems))
        elif override and problems:
            note = "\n".join(filter(None, [note, self.env._("Manager override; not met:")]
                                    + problems))
        # the log is append-only: written here, once the rules and the caller's right to
        # change the opportunity are checked (sales.lead.milestone's docstring)
        self.check_access("write")
        self.env["sales.lead.milestone"].sudo().create({
            "lead_id": self.id,
            "milestone_id": milestone.id,
            "note": note,
            "overridden": overridden,
        })
        self._milestone_log(milestone, overridden, problems, note if not overridden else False)
        if milestone.is_won and not self.stage_id.is_won and not from_stage:
            self.action_set_won()
        return True

    def _milestone_log(self, milestone, overridden, problems, note):
        if overridden:
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._(
                    "Milestone %(milestone)s reached without meeting its rules (override by "
                    "%(user)s):", milestone=milestone.name, user=self.env.user.name,
                ),
                Markup("").join(Markup("<li>%s</li>") % p for p in problems),
            )
        else:
            body = Markup("<p>%s</p>") % self.env._(
                "Milestone %(milestone)s reached.", milestone=milestone.name,
            )
            if note:
                body += Markup("<p>%s</p>") % note
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _milestone_from_stage(self, stage):
        """Stage mapping: entering a stage mapped to a milestone (or a won stage, for the won
        milestone) records that milestone; rules not met are recorded and flagged."""
        Milestone = self.env["sales.milestone"].sudo()
        domain = [("stage_ids", "in", stage.ids)]
        if stage.is_won:
            domain = ["|", ("is_won", "=", True)] + domain
        mapped = Milestone.search(domain)
        if not mapped:
            return
        for lead in self.filtered(lambda ld: ld.type == "opportunity"):
            applicable = mapped._filter_for(lead.team_id, lead.company_id or self.env.company)
            target = (applicable - lead.milestone_line_ids.milestone_id)[-1:]
            if target and (lead.milestone_id.sequence, lead.milestone_id.id) < (
                target.sequence, target.id
            ):
                lead._reach_milestone(target, from_stage=True)

    # --- Execution (sales tasks of an opportunity) ------------------------------------
    sales_task_ids = fields.One2many(
        comodel_name="sales.task", inverse_name="lead_id", string="Sales Tasks",
    )
    sales_task_count = fields.Integer(
        compute="_compute_sales_task_count", string="Sales Task Count",
    )

    def _compute_sales_task_count(self):
        counts = dict(self.env["sales.task"]._read_group(
            [("lead_id", "in", self.ids)], ["lead_id"], ["__count"],
        ))
        for lead in self:
            lead.sales_task_count = counts.get(lead, 0)

    def action_view_sales_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_management.sales_task_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_user_id": (self.user_id or self.env.user).id,
            "default_name": self.name,
        }
        return action

    def action_new_sales_task(self):
        self.ensure_one()
        action = self.action_view_sales_tasks()
        action.update({"view_mode": "form", "views": [(False, "form")], "res_id": False})
        return action
