# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo history of transitional milestones (reached milestones and done activities)."""

import logging
import random

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class SalesManagementDemo(models.AbstractModel):
    _inherit = "sales.management.demo"

    # --- Tracking (transitional milestones) ----------------------------------------------
    @api.model
    def _generate_milestone_history(self):
        """Reached milestones and done activities on the demo opportunities; idempotent.

        Won opportunities reached every milestone of their team; lost ones stopped early
        (more often at the first milestones); open ones are on their way. Dates lie between
        the opportunity's creation and its closing (or today).
        """
        teams = [
            self.env.ref("sales_management.demo_team_europe", raise_if_not_found=False),
            self.env.ref("sales_management.demo_team_americas", raise_if_not_found=False),
        ]
        teams = [team for team in teams if team]
        Lead = self.env["crm.lead"].with_context(active_test=False)
        leads = Lead.search([
            ("team_id", "in", [team.id for team in teams]), ("type", "=", "opportunity"),
        ], order="id")
        if not leads or self.env["sales.lead.milestone"].search_count(
            [("lead_id", "in", leads.ids)], limit=1
        ):
            return
        rng = random.Random(20240605)
        now = fields.Datetime.now()
        Milestone = self.env["sales.milestone"]
        call = self.env.ref("mail.mail_activity_data_call")
        email = self.env.ref("mail.mail_activity_data_email")
        subtype = self.env.ref("mail.mt_activities")
        line_vals, message_vals, confirmed = [], [], {}
        sequences = {}
        for lead in leads:
            key = (lead.team_id, lead.company_id)
            if key not in sequences:
                sequences[key] = Milestone.search(Milestone._applicable_domain(*key))
            sequence = sequences[key]
            steps = sequence.filtered(lambda m: not m.is_won)
            won_milestone = sequence.filtered("is_won")[:1]
            is_won = lead.active and lead.stage_id.is_won
            start = lead.create_date
            end = lead.date_closed or now
            if is_won:
                reached = steps
            elif not lead.active:
                # lost: most stop at the first or second milestone
                reached = steps[:rng.choice([0, 1, 1, 2, 2, 3])]
            else:
                reached = steps[:rng.randint(0, len(steps))]
            span = max((end - start).total_seconds(), 3600 * 24)
            count = len(reached) + (1 if is_won else 0)
            moments = sorted(rng.uniform(0.1, 0.95) for _i in range(len(reached)))
            for milestone, ratio in zip(reached, moments):
                date = start + relativedelta(seconds=int(span * ratio))
                line_vals.append({
                    "lead_id": lead.id, "milestone_id": milestone.id, "date_reached": date,
                    "user_id": lead.user_id.id,
                    "overridden": rng.random() < 0.05,
                })
                for activity_type in milestone.activity_type_ids:
                    # most required activities were done; some are missing
                    if rng.random() < 0.85:
                        message_vals.append(self._demo_activity_message(
                            rng, lead, activity_type, date, subtype,
                        ))
                if rng.random() < 0.6:
                    message_vals.append(self._demo_activity_message(
                        rng, lead, rng.choice([call, email]), date, subtype,
                    ))
                confirmed.setdefault(lead.id, []).extend(milestone.criterion_ids.ids)
            if is_won and won_milestone:
                line_vals.append({
                    "lead_id": lead.id, "milestone_id": won_milestone.id, "date_reached": end,
                    "user_id": lead.user_id.id,
                })
            if not count and lead.active and steps:
                # a new opportunity: part of the first criteria confirmed
                confirmed[lead.id] = steps[0].criterion_ids[:1].ids
        self.env["sales.lead.milestone"].create(line_vals)
        self.env["mail.message"].sudo().create(message_vals)
        for lead in leads:
            if confirmed.get(lead.id):
                lead.with_context(tracking_disable=True).milestone_criterion_ids = [
                    fields.Command.set(confirmed[lead.id])
                ]
        self.env["sales.milestone"]._compute_statistics(force=True)
        _logger.info(
            "Sales Management demo: %s milestones reached, %s activities done on %s "
            "opportunities", len(line_vals), len(message_vals), len(leads),
        )

    @api.model
    def _demo_activity_message(self, rng, lead, activity_type, before, subtype):
        done = before - relativedelta(days=rng.randint(1, 10), hours=rng.randint(0, 8))
        deadline = (done + relativedelta(days=rng.choice([-3, -1, 0, 1, 2, 5]))).date()
        return {
            "model": "crm.lead",
            "res_id": lead.id,
            "message_type": "notification",
            "subtype_id": subtype.id,
            "mail_activity_type_id": activity_type.id,
            "author_id": lead.user_id.partner_id.id,
            "date": done,
            "body": f"<p>{activity_type.name} done</p>",
            "activity_deadline_date": deadline,
            "activity_feedback_recorded": rng.random() < 0.7,
        }
