# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        """``sales_led_team_ids``: the ids of the sales teams the user leads
        (``crm.team.user_id``), archived teams and every company included.

        The record rules of the reports test ``('team_id', 'in', sales_led_team_ids)``
        instead of ``('team_id.user_id', '=', user.id)``: the same opportunities, but as a
        column of the opportunity, so the rule's ``OR`` (own, unassigned, led teams) is on
        ``crm_lead`` alone and PostgreSQL filters the opportunities with indexes before the
        views' per-row lookups. Rule domains are cached per user: ``crm.team`` clears the
        cache when a team's leader changes (``models/crm_team.py``).
        """
        context = super()._eval_context()
        teams = self.env["crm.team"].sudo().with_context(active_test=False).search(
            [("user_id", "=", self.env.uid)], order="id")
        context["sales_led_team_ids"] = teams.ids
        return context
