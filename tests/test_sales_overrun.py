"""Time and resources against plan: to-dos and tasks whose spent hours or used resources
exceed the plan by more than the company's tolerance are flagged, and the overrun rolls up
to the target and the plan."""

from common import JsonRpcMixin, SalesManagementCommon
from control_common import ControlDigestCommon
from sales_task_common import SalesTaskCommon

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase


class TestSalesOverrun(SalesTaskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.sales_overrun_tolerance = 10.0
        year = cls.today.year
        cls.plan = cls.env["sales.plan"].create({
            "name": "Plan Overrun", "date_from": f"{year}-01-01", "date_to": f"{year}-12-31",
            "user_id": cls.user_leader.id, "team_id": cls.team.id,
        })
        cls.target = cls.env["sales.plan.target"].create({
            "plan_id": cls.plan.id,
            "metric_id": cls.env.ref("sales_management.sales_metric_revenue").id,
            "target_value": 50000, "user_id": cls.user_salesman.id,
        })

    def _todo(self, planned, spent, amount_planned=0.0, amount_used=0.0, **task_vals):
        todo = {"name": "Visit", "planned_hours": planned, "spent_hours": spent}
        if amount_planned or amount_used:
            todo["resource_ids"] = [Command.create({
                "type": "budget", "description": "Travel",
                "amount_planned": amount_planned, "amount_used": amount_used,
            })]
        return self._task(todos=[todo], **task_vals).todo_ids

    def test_hours_at_and_around_tolerance(self):
        # planned 10 h, tolerance 10 %: 11 h is exactly at tolerance, 11.1 h is above
        for spent, flagged, overrun in ((10.0, False, 0.0), (11.0, False, 0.0),
                                        (11.1, True, 1.1), (15.0, True, 5.0)):
            with self.subTest(spent=spent):
                todo = self._todo(10.0, spent)
                self.assertEqual(todo.is_overrun, flagged)
                self.assertAlmostEqual(todo.overrun_hours, overrun, places=6)
                self.assertEqual(todo.overrun_cost, 0.0)
                # the task (one to-do) has the same hours, hence the same overrun
                self.assertEqual(todo.task_id.is_overrun, flagged)
                self.assertAlmostEqual(todo.task_id.overrun_hours, overrun, places=6)

    def test_cost_at_and_around_tolerance(self):
        # planned 1000, tolerance 10 %: 1100 is at tolerance, 1100.5 is above
        at = self._todo(0.0, 0.0, 1000.0, 1100.0)
        above = self._todo(0.0, 0.0, 1000.0, 1100.5)
        self.assertFalse(at.is_overrun)
        self.assertEqual(at.overrun_cost, 0.0)
        self.assertTrue(above.is_overrun)
        self.assertAlmostEqual(above.overrun_cost, 100.5, places=2)
        self.assertTrue(above.task_id.is_overrun)
        self.assertAlmostEqual(above.task_id.overrun_cost, 100.5, places=2)

    def test_nothing_planned_is_no_overrun(self):
        todo = self._todo(0.0, 8.0)
        self.assertFalse(todo.is_overrun)

    def test_tolerance_change_recomputes(self):
        todo = self._todo(10.0, 11.5)
        self.assertTrue(todo.is_overrun)
        self.company.sales_overrun_tolerance = 20.0  # 11.5 is within 12
        self.assertFalse(todo.is_overrun)
        self.assertFalse(todo.task_id.is_overrun)
        self.company.sales_overrun_tolerance = 0.0  # any excess
        self.assertTrue(todo.is_overrun)
        self.assertAlmostEqual(todo.overrun_hours, 1.5, places=6)

    def test_task_overrun_from_several_todos(self):
        # to-dos 10 h -> 10.5 h (within) and 5 h -> 6 h (above): the task is 15 h -> 16.5 h,
        # 10 % of 15 is 1.5: exactly at tolerance, not flagged although one to-do is
        task = self._task(todos=[
            {"name": "A", "planned_hours": 10.0, "spent_hours": 10.5},
            {"name": "B", "planned_hours": 5.0, "spent_hours": 6.0},
        ])
        self.assertEqual(task.todo_ids.mapped("is_overrun"), [False, True])
        self.assertFalse(task.is_overrun)
        task.todo_ids[0].spent_hours = 10.6  # 16.6 h: 1.6 h over
        self.assertTrue(task.is_overrun)
        self.assertAlmostEqual(task.overrun_hours, 1.6, places=6)

    def test_rollup_to_target_and_plan(self):
        specs = [
            # planned h, spent h, budget, cost, state
            (10.0, 12.0, 0.0, 0.0, "in_progress"),   # 2 h over
            (4.0, 4.4, 500.0, 800.0, "draft"),       # hours at tolerance; cost 300 over
            (8.0, 8.0, 0.0, 0.0, "in_progress"),     # on plan
            (2.0, 9.0, 100.0, 900.0, "cancelled"),   # cancelled: not rolled up
        ]
        tasks = self.Task
        for planned, spent, budget, cost, state in specs:
            task = self._task(
                target_id=self.target.id, planned_hours=planned, spent_hours=spent,
                budget=budget, cost=cost,
            )
            task.sudo().state = state
            tasks |= task
        self.assertEqual(tasks.mapped("is_overrun"), [True, True, False, True])
        for record in (self.target, self.plan):
            record.invalidate_recordset()
            self.assertEqual(record.task_overrun_count, 2)
            self.assertAlmostEqual(record.task_overrun_hours, 2.0, places=6)
            self.assertAlmostEqual(record.task_overrun_cost, 300.0, places=2)

    def test_overrun_filter(self):
        over = self._todo(10.0, 12.0)
        within = self._todo(10.0, 10.5)
        Todo = self.Todo.with_user(self.user_salesman)
        found = Todo.search([("is_overrun", "=", True), ("id", "in", (over | within).ids)])
        self.assertEqual(found, over)
        tasks = self.Task.with_user(self.user_salesman).search([
            ("is_overrun", "=", True), ("id", "in", (over | within).task_id.ids),
        ])
        self.assertEqual(tasks, over.task_id)
        # the "Overrun" filters of the search views use that domain
        for xmlid in ("sales_management.sales_task_todo_view_search",
                      "sales_management.sales_task_view_search"):
            arch = self.env.ref(xmlid).arch
            self.assertIn("""<filter name="overrun" string="Overrun" """
                          """domain="[('is_overrun', '=', True)]"/>""", arch)

    def test_settings_validation(self):
        for bad in (-1.0, 1000.01, 5000.0):
            with self.subTest(value=bad), self.assertRaises(ValidationError):
                self.company.sales_overrun_tolerance = bad
                self.env.flush_all()
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create(
                {"sales_overrun_tolerance": 1001.0}
            ).execute()
        self.company.sales_overrun_tolerance = 1000.0
        self.assertEqual(self.company.sales_overrun_tolerance, 1000.0)
        with self.assertRaises(UserError):
            self.company.write({"sales_overrun_tolerance": "lots"})
        self.assertEqual(self.company.sales_overrun_tolerance, 1000.0)

    def test_rights(self):
        todo = self._todo(10.0, 20.0)
        task = todo.task_id
        self.assertTrue(todo.is_overrun)
        for record in (todo, task):
            for vals in ({"is_overrun": False}, {"overrun_hours": 0.0},
                         {"overrun_cost": 5.0}):
                with self.subTest(model=record._name, vals=vals), \
                        self.assertRaises(AccessError):
                    record.with_user(self.user_salesman).write(vals)
        self.assertTrue(todo.is_overrun)
        with self.assertRaises(AccessError):
            self.company.with_user(self.user_salesman).write({"sales_overrun_tolerance": 50})
        with self.assertRaises(AccessError):
            self.company.with_user(self.user_manager).write({"sales_overrun_tolerance": 50})
        self.assertEqual(self.company.sales_overrun_tolerance, 10.0)


class TestSalesOverrunDigest(ControlDigestCommon, SalesTaskCommon):
    """The "over plan" section of the daily digest: the owner's line every day, the team
    leader's escalation once, never twice a day."""

    def _lines(self, user, **domain):
        return self.env["sales.control.digest.line"].search([
            ("digest_id.user_id", "=", user.id), ("kind", "=", "overrun"),
            *[(key, "=", value) for key, value in domain.items()],
        ])

    def test_digest_owner_and_leader(self):
        self.company.sales_overrun_tolerance = 10.0
        # to-do A 10 h -> 12 h (over), B 10 h -> 10.5 h (within); the task 20 h -> 22.5 h
        # is 2.5 h over, more than 10 % of 20: over plan too
        task = self._task(todos=[
            {"name": "Visit A", "planned_hours": 10.0, "spent_hours": 12.0},
            {"name": "Visit B", "planned_hours": 10.0, "spent_hours": 10.5},
        ])
        self.assertEqual(task.team_id.user_id, self.user_leader)
        on_plan = self._task(user=self.user_salesman_2, todos=[
            {"name": "Call", "planned_hours": 4.0, "spent_hours": 4.4},
        ])
        self.assertFalse(on_plan.is_overrun or on_plan.todo_ids.is_overrun)
        mails_before = len(self._digest_mails())
        self._run()
        mails = self._mails_by_user(self._digest_mails()[mails_before:])
        self.assertIn(self.user_salesman, mails)
        self.assertIn(self.user_leader, mails)
        self.assertNotIn(self.user_salesman_2, mails)
        own = self._lines(self.user_salesman, section="own")
        self.assertEqual(len(own), 2)
        self.assertEqual(set(own.mapped("res_id")), {task.id})
        self.assertIn("Visit A: 2.00 h over plan", own.mapped("summary"))
        self.assertIn(f"{task.name}: 2.50 h over plan", own.mapped("summary"))
        escalated = self._lines(self.user_leader, section="escalated")
        self.assertEqual(len(escalated), 2)
        self.assertEqual(set(escalated.mapped("level")), {"team_leader"})
        self.assertEqual(escalated.owner_id, self.user_salesman)
        self.assertIn("Visit A: 2.00 h over plan", mails[self.user_salesman].body_html)
        self.assertIn("over plan", mails[self.user_leader].body_html)
        # a rerun the same day sends nothing more
        count = len(self._digest_mails())
        self._run()
        self.assertEqual(len(self._digest_mails()), count)
        self.assertEqual(len(self._lines(self.user_salesman)), 2)
        self.assertEqual(len(self._lines(self.user_leader)), 2)

    def test_digest_setting_off_and_back_on_plan(self):
        task = self._task(todos=[
            {"name": "Visit A", "planned_hours": 10.0, "spent_hours": 12.0},
        ])
        self.company.write({"sales_control_digest_todos": False,
                            "sales_control_digest_tasks": False})
        self._run()
        self.assertFalse(self._lines(self.user_salesman))
        self.company.write({"sales_control_digest_todos": True,
                            "sales_control_digest_tasks": True})
        task.todo_ids.spent_hours = 11.0  # back within tolerance
        self._run()
        self.assertFalse(self._lines(self.user_salesman))
        self.assertFalse(self._lines(self.user_leader))


class TestSalesOverrunRpc(JsonRpcMixin, SalesManagementCommon, HttpCase):
    """Over JSON-RPC with a salesperson's real session: the overrun flag and amounts and
    the company tolerance cannot be written."""

    def test_salesperson_cannot_write_overrun_or_tolerance(self):
        self.company.sales_overrun_tolerance = 10.0
        task = self.env["sales.task"].create({
            "name": "RPC task", "user_id": self.user_salesman.id,
            "todo_ids": [Command.create({"name": "Visit", "planned_hours": 10.0,
                                         "spent_hours": 20.0})],
        })
        todo = task.todo_ids
        self.assertTrue(todo.is_overrun and task.is_overrun)
        self.authenticate("sm_salesman", "sm_salesman")
        for model, record in (("sales.task.todo", todo), ("sales.task", task)):
            for vals in ({"is_overrun": False}, {"overrun_hours": 0.0}):
                reply = self._rpc(model, "write", [record.ids, vals])
                self.assertEqual(reply["error"]["data"]["name"],
                                 "odoo.exceptions.AccessError", (model, vals))
        reply = self._rpc("res.company", "write",
                          [self.company.ids, {"sales_overrun_tolerance": 500.0}])
        self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.env.invalidate_all()
        self.assertTrue(todo.is_overrun and task.is_overrun)
        self.assertEqual(self.company.sales_overrun_tolerance, 10.0)
