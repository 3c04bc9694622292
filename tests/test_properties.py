# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Forms each team shapes (issue 20, point 4): properties on plans, tasks and to-dos,
defined per sales team (``crm.team.sales_*_properties_definition``) as CRM's leads are.

Checks: a team's properties show on its own records only; a salesperson fills values on
what they may edit but never changes a team's definition (ORM, the "definition changed"
path of a property write, and JSON-RPC); search and ``_read_group`` by a property value;
the Plan Performance XLSX carries a column per property of the plan's team."""

from io import BytesIO

import openpyxl
from common import JsonRpcMixin, SalesManagementCommon

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase

SEGMENT = {
    "name": "segment", "string": "Segment", "type": "selection",
    "selection": [["smb", "Small Business"], ["ent", "Enterprise"]],
}
CODE = {"name": "code", "string": "Campaign Code", "type": "char"}


class PropertiesCommon(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.write({
            "sales_plan_properties_definition": [SEGMENT, CODE],
            "sales_task_properties_definition": [SEGMENT],
            "sales_todo_properties_definition": [CODE],
        })
        cls.Plan = cls.env["sales.plan"]

    @classmethod
    def _plan(cls, name, user, team):
        return cls.Plan.create({
            "name": name, "date_from": "2026-01-01", "date_to": "2026-12-31",
            "user_id": user.id, "team_id": team.id,
        })


class TestProperties(PropertiesCommon):
    def test_definition_is_per_team(self):
        """Team North's properties are on its plans, not on team South's."""
        north = self._plan("SM North Plan", self.user_salesman, self.team)
        south = self._plan("SM South Plan", self.user_other_team, self.team_other)
        self.assertEqual([p["name"] for p in north.read(["plan_properties"])[0]
                          ["plan_properties"]], ["segment", "code"])
        self.assertEqual(south.read(["plan_properties"])[0]["plan_properties"], [])
        south.write({"plan_properties": {"segment": "ent"}})  # no such property: ignored
        self.env.invalidate_all()
        self.assertEqual(south.read(["plan_properties"])[0]["plan_properties"], [])
        self.assertFalse(self.Plan.search([("id", "=", south.id),
                                           ("plan_properties.segment", "=", "ent")]))

    def test_salesperson_fills_values_on_plan_task_todo(self):
        plan = self._plan("SM Sam Plan", self.user_salesman, self.team)
        plan.with_user(self.user_salesman).write(
            {"plan_properties": {"segment": "ent", "code": "Q3-EXPO"}})
        self.assertEqual(plan.with_user(self.user_salesman).plan_properties,
                         {"segment": "ent", "code": "Q3-EXPO"})
        task = self.env["sales.task"].with_user(self.user_salesman).create({
            "name": "SM Visit", "user_id": self.user_salesman.id, "team_id": self.team.id,
            "task_properties": {"segment": "smb"},
            "todo_ids": [Command.create({"name": "Call", "todo_properties": {"code": "C1"}})],
        })
        self.assertEqual(task.task_properties, {"segment": "smb"})
        self.assertEqual(task.todo_ids.team_id, self.team)
        self.assertEqual(task.todo_ids.todo_properties, {"code": "C1"})
        task.todo_ids.with_user(self.user_salesman).write({"todo_properties": {"code": "C2"}})
        self.assertEqual(task.todo_ids.todo_properties, {"code": "C2"})

    def test_salesperson_cannot_change_definition(self):
        plan = self._plan("SM Sam Plan", self.user_salesman, self.team)
        with self.assertRaises(AccessError):
            self.team.with_user(self.user_salesman).write(
                {"sales_plan_properties_definition": [CODE]})
        # the web client's "add a property" path: a value list flagged definition_changed
        with self.assertRaises(AccessError):
            plan.with_user(self.user_salesman).write({"plan_properties": [
                dict(SEGMENT, value="smb"), dict(CODE, value=False),
                {"name": "sneaky", "string": "Sneaky", "type": "char", "value": "x",
                 "definition_changed": True},
            ]})
        self.assertEqual([p["name"] for p in self.team.sales_plan_properties_definition],
                         ["segment", "code"])
        # a manager may (crm.team's own rights)
        self.team.with_user(self.user_manager).write(
            {"sales_todo_properties_definition": [SEGMENT]})
        self.assertEqual(self.team.sales_todo_properties_definition[0]["name"], "segment")

    def test_search_and_group_by_property(self):
        plans = self.Plan
        for i, segment in enumerate(("ent", "ent", "smb", False)):
            plans |= self._plan(f"SM Plan {i}", self.user_salesman, self.team)
            if segment:
                plans[-1].plan_properties = {"segment": segment}
        as_sam = self.Plan.with_user(self.user_salesman)
        # a search on "field.property" does not flush the field (Odoo); an RPC has flushed
        self.env.flush_all()
        self.assertEqual(as_sam.search([("id", "in", plans.ids),
                                        ("plan_properties.segment", "=", "ent")]),
                         plans[:2])
        groups = dict(as_sam._read_group([("id", "in", plans.ids)],
                                         ["plan_properties.segment"], ["__count"]))
        self.assertEqual(groups, {"ent": 2, "smb": 1, False: 1})

    def test_xlsx_has_property_columns(self):
        plan = self._plan("SM Expo Plan", self.user_salesman, self.team)
        plan.plan_properties = {"segment": "ent", "code": "=cmd|' /C calc'!A0"}
        content, _kind = self.env["ir.actions.report"].with_user(
            self.user_manager)._render_xlsx(
            "sales_management.action_report_plan_performance_xlsx", plan.ids, {})
        sheet = openpyxl.load_workbook(BytesIO(content))[plan.name[:28]]
        self.assertEqual([sheet.cell(4, c).value for c in range(1, 13)], [
            "Plan", "Responsible", "Team", "Metric", "Target", "Actual",
            "Expected to Date", "Achievement", "Pace", "Health", "Segment", "Campaign Code"])
        row = next(r for r in range(5, sheet.max_row + 1)
                   if sheet.cell(r, 1).value == plan.name)
        self.assertEqual(sheet.cell(row, 11).value, "Enterprise")
        self.assertEqual(sheet.cell(row, 12).value, "=cmd|' /C calc'!A0")  # text, no formula
        self.assertEqual(sheet.cell(row, 12).data_type, "s")


class TestPropertiesRpc(JsonRpcMixin, PropertiesCommon, HttpCase):
    def test_definition_write_refused_over_rpc(self):
        self.authenticate(self.user_salesman.login, self.user_salesman.login)
        reply = self._rpc("crm.team", "write", [[self.team.id], {
            "sales_plan_properties_definition": [CODE]}])
        self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.env.invalidate_all()
        self.assertEqual([p["name"] for p in self.team.sales_plan_properties_definition],
                         ["segment", "code"])
