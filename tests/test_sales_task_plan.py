"""Tasks serving plan targets: results, hours and costs roll up to the target and plan,
with one grouped query for all of them; a task is created from a target."""

from datetime import timedelta

from common import on_edge_dates
from sales_task_common import SalesTaskCommon

from odoo.exceptions import ValidationError
from odoo.tests import Form


@on_edge_dates
class TestSalesTaskPlan(SalesTaskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        year = cls.today.year
        cls.plan = cls.env["sales.plan"].create({
            "name": "Plan North", "date_from": f"{year}-01-01", "date_to": f"{year}-12-31",
            "user_id": cls.user_leader.id, "team_id": cls.team.id,
        })
        Target = cls.env["sales.plan.target"]
        metric = cls.env.ref("sales_management.sales_metric_revenue")
        cls.target_sam = Target.create({
            "plan_id": cls.plan.id, "metric_id": metric.id, "target_value": 50000,
            "user_id": cls.user_salesman.id,
        })
        cls.target_sara = Target.create({
            "plan_id": cls.plan.id, "metric_id": metric.id, "target_value": 30000,
            "user_id": cls.user_salesman_2.id,
        })

    def test_rollup_to_target_and_plan(self):
        specs = [
            # target, expected, actual, spent hours, state, overdue
            (self.target_sam, 10000, 4000, 3.0, "in_progress", True),
            (self.target_sam, 20000, 20000, 5.0, "done", False),
            (self.target_sara, 15000, 1000, 2.0, "draft", False),
            (self.target_sara, 99999, 99999, 9.0, "cancelled", False),
        ]
        tasks = self.Task
        for target, expected, actual, hours, state, overdue in specs:
            task = self._task(
                user=target.user_id, target_id=target.id, expected_result=expected,
                actual_result=actual, spent_hours=hours,
                date_start=self.today - timedelta(days=10),
                date_deadline=self.today + timedelta(days=-1 if overdue else 5),
            )
            if state == "in_progress":
                task.action_start()
            elif state == "done":
                task.action_done()
            elif state == "cancelled":
                task.action_cancel()
            tasks |= task
        self.assertEqual(tasks.plan_id, self.plan, "the plan comes from the target")
        live = [s for s in specs if s[4] != "cancelled"]
        for target in (self.target_sam, self.target_sara):
            mine = [s for s in live if s[0] == target]
            self.assertEqual(target.task_count, len(mine))
            self.assertEqual(target.task_expected_result, sum(s[1] for s in mine))
            self.assertEqual(target.task_actual_result, sum(s[2] for s in mine))
            self.assertEqual(target.task_spent_hours, sum(s[3] for s in mine))
        plan = self.plan
        self.assertEqual(plan.task_count, 3)
        self.assertEqual(plan.task_done_count, 1)
        self.assertEqual(plan.task_overdue_count, 1)
        self.assertEqual(plan.task_expected_result, 10000 + 20000 + 15000)
        self.assertEqual(plan.task_actual_result, 4000 + 20000 + 1000)
        progress = [t.progress for t in tasks if t.state != "cancelled"]
        self.assertAlmostEqual(plan.task_progress, sum(progress) / len(progress), places=2)
        self.assertEqual(len(plan.task_ids), 4)
        # overdue -> off track; done -> on track; a draft at 0% two thirds into its
        # period -> at risk; cancelled -> no health
        self.assertEqual(
            tasks.mapped("health"), ["off_track", "on_track", "at_risk", False],
        )
        domain = plan.action_view_sales_tasks()["domain"]
        self.assertEqual(self.Task.search(domain), tasks)

    def test_parent_plan_shows_its_sub_tree(self):
        child = self.env["sales.plan"].create({
            "name": "Sam's plan", "parent_id": self.plan.id, "user_id": self.user_salesman.id,
            "date_from": self.plan.date_from, "date_to": self.plan.date_to,
        })
        grandchild = self.env["sales.plan"].create({
            "name": "Sam's key accounts", "parent_id": child.id,
            "user_id": self.user_salesman.id,
            "date_from": self.plan.date_from, "date_to": self.plan.date_to,
        })
        own = self._task(plan_id=self.plan.id, expected_result=100, actual_result=10)
        on_child = self._task(plan_id=child.id, expected_result=200, actual_result=20)
        on_grandchild = self._task(plan_id=grandchild.id, expected_result=400,
                                   actual_result=40)
        on_grandchild.action_done()
        plans = self.plan | child | grandchild
        self.assertEqual(plans.mapped("task_count"), [3, 2, 1])
        self.assertEqual(plans.mapped("task_expected_result"), [700, 600, 400])
        self.assertEqual(plans.mapped("task_actual_result"), [70, 60, 40])
        self.assertEqual(plans.mapped("task_done_count"), [1, 1, 1])
        self.assertEqual(plans.mapped("task_progress"), [100 / 3, 50.0, 100.0])
        self.assertEqual(self.plan.task_tree_ids, own | on_child | on_grandchild)
        self.assertEqual(child.task_tree_ids, on_child | on_grandchild)
        self.assertEqual(
            self.Task.search(child.action_view_sales_tasks()["domain"]),
            on_child | on_grandchild,
        )

    def test_rollup_queries_do_not_grow(self):
        Target = self.env["sales.plan.target"]
        metric = self.env.ref("sales_management.sales_metric_revenue")
        counts = []
        for size in (2, 8):
            targets = Target.create([
                {"plan_id": self.plan.id, "metric_id": metric.id, "target_value": 10}
                for _i in range(size)
            ])
            for target in targets:
                self._task(target_id=target.id, expected_result=1)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            targets.mapped("task_expected_result")
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(targets.mapped("task_expected_result"), [1.0] * size)
        self.assertEqual(counts[0], counts[1], f"queries for 2 vs 8 targets: {counts}")

    def test_task_from_target(self):
        action = self.target_sara.action_new_sales_task()
        task = Form(self.Task.with_context(action["context"])).save()
        self.assertEqual(
            (task.target_id, task.plan_id, task.user_id, task.result_unit),
            (self.target_sara, self.plan, self.user_salesman_2, "Revenue"),
        )
        self.assertEqual(self.target_sara.task_count, 1)

    def test_target_must_belong_to_the_plan(self):
        other_plan = self.env["sales.plan"].create({
            "name": "Other", "date_from": self.plan.date_from, "date_to": self.plan.date_to,
        })
        task = self._task(target_id=self.target_sam.id)
        with self.assertRaisesRegex(ValidationError, "belongs to plan"), self.cr.savepoint():
            task.write({"plan_id": other_plan.id, "target_id": self.target_sam.id})
        task.invalidate_recordset()
        self.assertEqual(task.plan_id, self.plan)
