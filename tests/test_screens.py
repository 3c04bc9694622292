"""Issue 18, points 7, 10 and 13: what the screens show, read from the views as the web
client gets them (``get_views`` as the user) and from the methods behind the columns."""

from common import SalesManagementCommon
from lxml import etree

from odoo import Command
from odoo.osv import expression
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval


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

    def test_still_missing_follows_the_form(self):
        """*Still Missing* follows a criterion ticked on the form (the onchange, before
        saving) and an activity marked done (no stale cache; the chatter then reloads the
        form: ``static/src/milestone/chatter_patch.js``, run by the milestone journey)."""
        call = self.env.ref("mail.mail_activity_data_call")
        milestone = self.env["sales.milestone"].create({
            "name": "SM Qualified", "sequence": 1, "team_ids": [Command.set(self.team.ids)],
            "activity_type_ids": [Command.set(call.ids)],
            "criterion_ids": [Command.create({"name": "SM budget identified"}),
                              Command.create({"name": "SM timeline known"})],
        })
        budget, timeline = milestone.criterion_ids
        lead = self.env["crm.lead"].with_user(self.user_salesman).create({
            "name": "SM form opportunity", "type": "opportunity", "team_id": self.team.id,
            "user_id": self.user_salesman.id,
        })
        self.assertEqual(lead.next_milestone_id, milestone)
        with Form(lead) as form:
            self.assertIn("SM budget identified", form.milestone_missing)
            form.milestone_criterion_ids.add(budget)
            self.assertNotIn("SM budget identified", form.milestone_missing)
            self.assertIn("SM timeline known", form.milestone_missing)
            form.milestone_criterion_ids.add(timeline)
            self.assertEqual(form.milestone_missing, f"Do a {call.name}")
        self.assertEqual(lead.milestone_missing, f"Do a {call.name}")
        self.assertFalse(lead.milestone_ready)
        activity = lead.activity_schedule(activity_type_id=call.id,
                                          user_id=self.user_salesman.id)
        activity.action_feedback(feedback="Budget and timeline confirmed")
        self.assertFalse(lead.milestone_missing)
        self.assertTrue(lead.milestone_ready)
        bundle = self.env["ir.qweb"]._get_asset_bundle("web.assets_backend")
        self.assertTrue(any("milestone/chatter_patch.js" in asset.url
                            for asset in bundle.javascripts))

    def test_milestone_board_opens_on_a_milestone(self):
        """The milestone board (kanban by milestone) opens on the first milestone of the
        user's track, with no "None" column (folded and empty in the web client, and the
        first column a phone shows) for the opportunities that reached none yet."""
        Milestone = self.env["sales.milestone"]
        first = Milestone.create({"name": "SM North first", "sequence": 1,
                                  "team_ids": [Command.set(self.team.ids)]})
        Milestone.create({"name": "SM North second", "sequence": 2,
                          "team_ids": [Command.set(self.team.ids)]})
        Milestone.create({"name": "SM South first", "sequence": 1,
                          "team_ids": [Command.set(self.team_other.ids)]})
        Lead = self.env["crm.lead"]
        for name in ("SM no milestone yet", "SM at the first"):
            lead = Lead.create({"name": name, "type": "opportunity",
                                "team_id": self.team.id, "user_id": self.user_salesman.id})
        lead._reach_milestone(first, override=True)
        # the board as the web client opens it: the action's domain and default filters
        action = self.env.ref("sales_management.crm_lead_action_milestone")
        context = safe_eval(action.context)
        arch = self._arch("crm.lead", "search", self.user_salesman,
                          "crm.view_crm_case_opportunities_filter")
        domain = safe_eval(action.domain)
        for name, value in context.items():
            if name.startswith("search_default_") and value:
                node = arch.xpath(f"//filter[@name='{name[15:]}']")[0]
                domain = expression.AND([domain, safe_eval(node.get("domain"))])
        kanban = self._arch("crm.lead", "kanban", self.user_salesman,
                            "sales_management.crm_lead_view_kanban_milestone")
        group_by = kanban.get("default_group_by")
        groups = Lead.with_user(self.user_salesman).web_read_group(
            domain, [group_by], [group_by])["groups"]
        columns = [group[group_by] and group[group_by][1] for group in groups]
        self.assertNotIn(False, columns)
        self.assertEqual(columns[0], "SM North first")
        self.assertIn("SM North second", columns)
        self.assertNotIn("SM South first", columns)
        # the filter is in a group of its own: AND-ed with "Open Opportunities"
        names = [(el.tag, el.get("name")) for el in arch.iter("filter", "separator")]
        reached_at = names.index(("filter", "milestone_reached"))
        self.assertEqual(names[reached_at - 1], ("separator", None))
