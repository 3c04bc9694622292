# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

# per salesperson xmlid: competency xmlid -> (self level, leader level) two months ago;
# last month each level moves by the delta of ``_DEMO_RATING_MOVES``
_DEMO_RATINGS = {
    "demo_user_alice": {"prospecting": (4, 4), "discovery": (4, 3), "presenting": (4, 4),
                        "negotiating": (3, 3), "closing": (4, 4), "account_planning": (3, 2),
                        "crm_discipline": (3, 3)},
    "demo_user_bruno": {"prospecting": (4, 3), "discovery": (3, 2), "presenting": (3, 3),
                        "negotiating": (4, 3), "closing": (3, 3), "account_planning": (3, 3),
                        "crm_discipline": (2, 2)},
    "demo_user_carla": {"prospecting": (3, 3), "discovery": (4, 3), "presenting": (4, 4),
                        "negotiating": (3, 2), "closing": (3, 2), "account_planning": (4, 3),
                        "crm_discipline": (4, 4)},
    "demo_user_dylan": {"prospecting": (3, 2), "discovery": (3, 2), "presenting": (3, 3),
                        "negotiating": (3, 2), "closing": (4, 2), "account_planning": (2, 2),
                        "crm_discipline": (3, 1)},
}
_DEMO_RATING_MOVES = {"discovery": 1, "crm_discipline": 1, "closing": -1}
_DEMO_EVIDENCE = {
    "discovery": "Qualified budget and decision makers on the last opportunities.",
    "crm_discipline": "Next activities planned on every open opportunity.",
    "closing": "Two late-stage deals lost on price.",
}


class SalesManagementDemo(models.AbstractModel):
    _inherit = "sales.management.demo"

    @api.model
    def _generate_competency_demo(self):
        """People demo (issue 19): self and leader ratings of the four salespersons on
        the shipped competencies for the two last months (gaps, and trends from one month
        to the next), then the focuses the system proposes for each team, the first one of
        each team confirmed by its leader. Idempotent."""
        ref = self.env.ref
        Rating = self.env["sales.competency.rating"].sudo()
        users = {xmlid: ref(f"sales_management.{xmlid}") for xmlid in _DEMO_RATINGS}
        if Rating.search_count([("user_id", "in", [u.id for u in users.values()])]):
            return
        today = fields.Date.context_today(self)
        months = [today.replace(day=1) - relativedelta(months=k) for k in (2, 1)]
        vals_list = []
        for xmlid, levels in _DEMO_RATINGS.items():
            user = users[xmlid]
            team = user.sale_team_id
            for index, month in enumerate(months):
                for code, (own, leader) in levels.items():
                    move = _DEMO_RATING_MOVES.get(code, 0) * index
                    competency = ref(f"sales_management.sales_competency_{code}")
                    for kind, level, rater in (("self", own, user),
                                               ("leader", leader, team.user_id)):
                        vals_list.append({
                            "user_id": user.id, "team_id": team.id,
                            "competency_id": competency.id, "kind": kind,
                            "level": min(5, max(1, level + move)), "date_start": month,
                            "period_type": "month", "rater_id": rater.id,
                            "evidence": _DEMO_EVIDENCE.get(code) if kind == "leader" else False,
                        })
        Rating.create(vals_list)
        Focus = self.env["sales.coaching.focus"].sudo()
        for team_xmlid in ("demo_team_europe", "demo_team_americas"):
            team = ref(f"sales_management.{team_xmlid}")
            focuses = Focus._propose_for_team(team)
            if focuses:
                focuses[:1].with_user(team.user_id).action_confirm()
