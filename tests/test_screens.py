"""Issue 18, points 7, 10 and 13: what the screens show, read from the views as the web
client gets them (``get_views`` as the user) and from the methods behind the columns."""

from common import SalesManagementCommon
from lxml import etree

from odoo import Command
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestScreens(SalesManagementCommon):

    def _arch(self, model, view_type, user, view_ref=None):
        Model = self.env[model].with_user(user)
        view_id = self.env.ref(view_ref).id if view_ref else False
        views = Model.get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_allocated_targets_show_whom_they_are_for(self):
        """After *Allocate by Salespersons* the rows differ by salesperson (or team): those
        columns show by default, on the list and on the phone's cards."""
        arch = self._arch("sales.plan", "form", self.user_manager)
        targets = arch.xpath("//field[@name='target_ids']")[0]
        for dim in ("user_id", "team_id"):
            column = targets.xpath(f"./list/field[@name='{dim}']")[0]
            self.assertNotIn(column.get("optional"), ("hide",), dim)
            self.assertFalse(column.get("column_invisible"), dim)
            self.assertTrue(targets.xpath(f"./kanban//field[@name='{dim}']"), dim)

    def test_stalled_is_anded_with_open_opportunities(self):
        """Filters of one group are OR-ed by the web client: *Stalled* sits in a group of
        its own, so that with the default *Open Opportunities* it narrows the list."""
        arch = self._arch("crm.lead", "search", self.user_salesman,
                          "crm.view_crm_case_opportunities_filter")
        children = list(arch.iter("filter", "separator"))
        names = [(el.tag, el.get("name")) for el in children]
        open_at = names.index(("filter", "open_opportunities"))
        stalled_at = names.index(("filter", "milestone_stalled"))
        self.assertIn("separator", [tag for tag, _n in names[open_at:stalled_at]])

    def test_milestone_columns_follow_the_users_track(self):
        Milestone = self.env["sales.milestone"]
        mine = Milestone.create({"name": "SM North step", "team_ids": [Command.set(self.team.ids)]})
        theirs = Milestone.create({"name": "SM South step",
                                   "team_ids": [Command.set(self.team_other.ids)]})
        shared = Milestone.create({"name": "SM every team step"})
        Lead = self.env["crm.lead"]
        columns = Lead.with_user(self.user_salesman)._read_group_milestone_ids(
            Milestone.browse(), [])
        self.assertIn(mine, columns)
        self.assertIn(shared, columns)
        self.assertNotIn(theirs, columns)
        # the leader of South (the manager here) sees South's track
        columns = Lead.with_user(self.user_manager)._read_group_milestone_ids(
            Milestone.browse(), [])
        self.assertIn(theirs, columns)

    def test_reach_next_milestone_at_hand_on_a_phone(self):
        """On a phone the form's header buttons go into the cog menu: the advance button
        also sits in the sheet, shown below the md breakpoint only."""
        arch = self._arch("crm.lead", "form", self.user_salesman, "crm.crm_lead_view_form")
        buttons = arch.xpath("//sheet//button[@name='action_milestone_advance']")
        self.assertEqual(len(buttons), 1)
        self.assertIn("d-md-none", buttons[0].get("class"))
        # "38 days", not "38days"
        summary = etree.tostring(arch.xpath("//div[@name='milestone_summary']")[0],
                                 encoding="unicode")
        self.assertIn("\xa0days", summary)
