"""Browser tour: advancing an opportunity to its next milestone from its form."""

from common import SalesManagementHttpCommon

from odoo import Command
from odoo.tests import new_test_user


class TestMilestoneTour(SalesManagementHttpCommon):
    def test_advance_blocked_then_allowed(self):
        user = new_test_user(
            self.env, login="sm_tour_milestone", groups="sales_team.group_sale_salesman",
            name="Tina Tour",
        )
        team = self.env["crm.team"].create({
            "name": "SM Tour Team", "user_id": user.id,
            "member_ids": [Command.set(user.ids)],
        })
        self.env["sales.milestone"].create([
            {
                "name": "Tour Qualified", "sequence": 1, "team_ids": [Command.set(team.ids)],
                "criterion_ids": [Command.create({"name": "Tour budget identified"})],
            },
            {"name": "Tour Proposal", "sequence": 2, "team_ids": [Command.set(team.ids)]},
        ])
        lead = self.env["crm.lead"].create({
            "name": "SM Tour Opportunity", "type": "opportunity",
            "user_id": user.id, "team_id": team.id,
        })
        self.start_tour(
            f"/odoo/crm.lead/{lead.id}", "sales_milestone_advance", login="sm_tour_milestone",
        )
        self.assertEqual(lead.milestone_id.name, "Tour Qualified")
        self.assertEqual(len(lead.milestone_line_ids), 1)
        self.assertFalse(lead.milestone_line_ids.overridden)
