"""``sales.task.rollup.mixin`` on a fake model (odoo-test-helper's ``FakeModelLoader``, as
OCA tests its mixins): every roll-up figure against the test's own tasks, cancelled and
archived tasks left out, a constant number of queries whatever the number of records, and
each role sees the roll-up of the tasks it may read (the mixin reads without ``sudo``)."""

from common import SalesManagementCommon
from odoo_test_helper import FakeModelLoader

from odoo import Command

#: (key, fake, assignee, final state, active, progress by construction, vals)
#: hours/cost/results are typed on the task when it has no to-dos
TASKS = [
    ("t1", "a", "salesman", "draft", True, 0.0, {
        "date_start": "2026-05-01", "date_deadline": "2026-05-10",  # overdue
        "planned_hours": 4.0, "spent_hours": 1.0, "cost": 100.0,
        "expected_result": 10.0, "actual_result": 3.0}),
    ("t2", "a", "salesman", "done", True, 100.0, {
        "date_start": "2026-05-01", "date_deadline": "2026-05-10",  # done: not overdue
        "planned_hours": 2.0, "spent_hours": 2.0, "cost": 50.0,
        "expected_result": 5.0, "actual_result": 5.0}),
    # to-dos of 3 h and 1 h, the 3 h one done: 75 %, 4 planned hours
    ("t3", "a", "salesman", "in_progress", True, 75.0, {
        "date_deadline": "2026-05-20", "cost": 20.0,
        "expected_result": 1.0, "actual_result": 0.5,
        "todo_ids": [Command.create({"name": "Call", "planned_hours": 3.0}),
                     Command.create({"name": "Visit", "planned_hours": 1.0})]}),
    ("t4", "a", "salesman", "cancelled", True, 0.0, {
        "date_start": "2026-05-01", "date_deadline": "2026-05-10",
        "planned_hours": 1000.0, "spent_hours": 1000.0, "cost": 1000.0,
        "expected_result": 1000.0, "actual_result": 1000.0}),
    ("t5", "a", "salesman", "draft", False, 0.0, {
        "date_start": "2026-05-01", "date_deadline": "2026-05-10",
        "planned_hours": 2000.0, "spent_hours": 2000.0, "cost": 2000.0,
        "expected_result": 2000.0, "actual_result": 2000.0}),
    ("t6", "a", "other_team", "draft", True, 0.0, {
        "date_start": "2026-05-01", "date_deadline": "2026-05-12",  # overdue
        "planned_hours": 8.0, "spent_hours": 3.0, "cost": 300.0,
        "expected_result": 7.0, "actual_result": 2.0}),
    ("t7", "b", "salesman_2", "done", True, 100.0, {
        "planned_hours": 1.5, "spent_hours": 0.5, "cost": 10.0,
        "expected_result": 2.0, "actual_result": 1.0}),
    ("t8", "b", "salesman_2", "draft", True, 0.0, {
        "date_deadline": "2026-05-13",  # due today: not overdue
        "planned_hours": 0.5, "cost": 5.0, "expected_result": 1.0}),
]
SUMS = {
    "task_planned_hours": "planned_hours", "task_spent_hours": "spent_hours",
    "task_cost": "cost", "task_expected_result": "expected_result",
    "task_actual_result": "actual_result",
}


class TestTaskRollupMixin(SalesManagementCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, "odoo.addons.sales_management.tests")
        cls.loader.backup_registry()
        # imported after the backup, as odoo-test-helper requires
        from fake_rollup_models import SalesTaskRollupFake, SalesTaskRollupFakeTask

        cls.loader.update_registry((SalesTaskRollupFake, SalesTaskRollupFakeTask))
        cls.env["ir.model.access"].create({
            "name": "fake salesman",
            "model_id": cls.env["ir.model"]._get_id("sales.task.rollup.fake"),
            "group_id": cls.env.ref("sales_team.group_sale_salesman").id,
            "perm_read": True,
        })
        Fake = cls.env["sales.task.rollup.fake"]
        cls.fakes = {key: Fake.create({"name": key}) for key in ("a", "b", "c")}
        cls.tasks = {}
        for key, fake, user, state, active, _progress, vals in TASKS:
            vals = dict(vals)
            todos = vals.pop("todo_ids", [])
            task = cls.env["sales.task"].create({
                "name": key, "user_id": getattr(cls, f"user_{user}").id,
                "rollup_fake_id": cls.fakes[fake].id, "todo_ids": todos, **vals,
            })
            if todos:
                task.todo_ids.filtered(lambda t: t.name == "Call").action_done()
            if state == "in_progress":
                task.action_start()
            elif state == "done":
                task.action_done()
            elif state == "cancelled":
                task.action_cancel()
            if not active:
                task.active = False
            cls.tasks[key] = task

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _expected(self, fake, users=None):
        """The roll-up of ``fake`` computed from TASKS (``users``: the assignees whose
        tasks the reader may see; None = all)."""
        rows = [
            (key, state, progress, vals) for key, f, user, state, active, progress, vals
            in TASKS if f == fake and active and state != "cancelled"
            and (users is None or user in users)
        ]
        today = "2026-05-13"
        count = len(rows)
        expected = {
            "task_count": count,
            "task_done_count": sum(1 for _k, state, _p, _v in rows if state == "done"),
            "task_overdue_count": sum(
                1 for _k, state, _p, vals in rows
                if state in ("draft", "in_progress") and vals.get("date_deadline")
                and vals["date_deadline"] < today
            ),
            "task_progress": sum(p for _k, _s, p, _v in rows) / count if count else 0.0,
        }
        for rollup, field in SUMS.items():
            expected[rollup] = sum(
                4.0 if (key == "t3" and field == "planned_hours") else vals.get(field, 0.0)
                for key, _s, _p, vals in rows
            )
        return expected

    def _assert_rollup(self, record, expected):
        for field, value in expected.items():
            with self.subTest(record=record.name, field=field):
                self.assertAlmostEqual(record[field], value, places=2)

    def test_fixture_as_built(self):
        """The tasks are what TASKS says: states, archive and the to-do progress."""
        self.assertEqual(self.tasks["t3"].progress, 75.0)
        self.assertEqual(self.tasks["t3"].planned_hours, 4.0)
        for key, _f, _u, state, active, progress, _v in TASKS:
            with self.subTest(task=key):
                self.assertEqual(self.tasks[key].state, state)
                self.assertEqual(self.tasks[key].active, active)
                self.assertEqual(self.tasks[key].progress, progress)

    def test_rollup_figures(self):
        """As the manager (all tasks): a = t1, t2, t3, t6 (t4 cancelled, t5 archived left
        out): 4 tasks, 1 done, 2 overdue, progress (0+100+75+0)/4 = 43.75, planned
        4+2+4+8 = 18 h, spent 1+2+0+3 = 6 h, cost 470, expected 23, actual 10.5;
        b = t7, t8; c has no task: all zero."""
        fakes = self.env["sales.task.rollup.fake"].with_user(self.user_manager).browse(
            [self.fakes[k].id for k in ("a", "b", "c")])
        a, b, c = fakes
        self._assert_rollup(a, self._expected("a"))
        self._assert_rollup(a, {
            "task_count": 4, "task_done_count": 1, "task_overdue_count": 2,
            "task_progress": 43.75, "task_planned_hours": 18.0, "task_spent_hours": 6.0,
            "task_cost": 470.0, "task_expected_result": 23.0, "task_actual_result": 10.5,
        })
        self._assert_rollup(b, self._expected("b"))
        self._assert_rollup(b, {"task_count": 2, "task_done_count": 1,
                                "task_overdue_count": 0, "task_progress": 50.0})
        self._assert_rollup(c, self._expected("c"))
        self.assertEqual(c.task_count, 0)

    def test_rollup_follows_task_changes(self):
        """Cancelling t1 and archiving t2 take them out; restoring t2 puts it back."""
        fake = self.fakes["a"].with_user(self.user_manager)
        self.assertEqual(fake.task_count, 4)
        self.tasks["t1"].action_cancel()
        self.tasks["t2"].active = False
        fake.invalidate_recordset()
        self._assert_rollup(fake, {
            "task_count": 2, "task_done_count": 0, "task_overdue_count": 1,
            "task_progress": 37.5, "task_planned_hours": 12.0, "task_cost": 320.0,
        })
        self.tasks["t2"].active = True
        fake.invalidate_recordset()
        self._assert_rollup(fake, {"task_count": 3, "task_done_count": 1,
                                   "task_cost": 370.0})

    def test_new_record_rolls_up_its_origin(self):
        """A form's new record (onchange) shows its saved origin's roll-up; a brand new
        record none."""
        fake = self.fakes["a"].with_user(self.user_manager)
        self.assertEqual(fake.new(origin=fake).task_count, 4)
        self.assertEqual(fake.new({"name": "x"}).task_count, 0)

    def test_constant_queries(self):
        """1 and 5 records cost the same number of queries (grouped reads)."""
        Fake = self.env["sales.task.rollup.fake"]
        extra = Fake.create([{"name": f"x{i}"} for i in range(2)])
        self.env["sales.task"].create([{
            "name": f"x{i}", "user_id": self.user_salesman.id, "rollup_fake_id": fake.id,
            "planned_hours": 1.0,
        } for i, fake in enumerate(extra)])
        five = (self.fakes["a"] | self.fakes["b"] | self.fakes["c"] | extra) \
            .with_user(self.user_manager)
        one = five[0]
        self.assertEqual(len(five), 5)
        self.env.flush_all()

        def count(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            records.mapped("task_count")
            records.mapped("task_cost")
            return self.env.cr.sql_log_count - before

        count(five)  # warm the caches (rules, groups)
        self.assertGreater(count(one), 0)
        self.assertEqual(count(one), count(five))
        self.assertEqual(five.mapped("task_count"), [4, 2, 0, 1, 1])

    def test_rights_salesman_sees_the_rollup_of_his_readable_tasks(self):
        """The mixin reads without sudo: a salesperson's roll-up of a counts only his own
        tasks (t1, t2, t3), not t6 of another team; his colleague sees none of a and both
        of his own on b; the team leader sees the team's tasks (not t6)."""
        for user, users in (("salesman", {"salesman"}), ("salesman_2", {"salesman_2"}),
                            ("leader", {"salesman", "salesman_2", "leader"}),
                            ("manager", None)):
            reader = getattr(self, f"user_{user}")
            # the roll-up fields do not depend on the uid in the cache: a request has
            # one user, the test switches users in one transaction
            self.env.invalidate_all()
            for key in ("a", "b"):
                with self.subTest(user=user, fake=key):
                    fake = self.fakes[key].with_user(reader)
                    self._assert_rollup(fake, self._expected(key, users))
        self.env.invalidate_all()
        salesman_a = self.fakes["a"].with_user(self.user_salesman)
        self.assertEqual(salesman_a.task_count, 3)
        self.assertAlmostEqual(salesman_a.task_cost, 170.0)
        self.assertEqual(salesman_a.task_overdue_count, 1)
        self.env.invalidate_all()
        self.assertEqual(self.fakes["a"].with_user(self.user_salesman_2).task_count, 0)
