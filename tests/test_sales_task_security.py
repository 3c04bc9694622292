"""Sales task rights per role: the assignee and to-do owners edit their tasks and to-dos,
a team leader their team's, "all documents" reads all, a manager everything; plus the
multi-company rule and a user without sales rights."""

from datetime import timedelta

from common import on_edge_dates
from sales_task_common import SalesTaskCommon

from odoo import Command
from odoo.exceptions import AccessError


@on_edge_dates
class TestSalesTaskSecurity(SalesTaskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        deadline = cls.today + timedelta(days=3)
        # Sam's task, with a to-do owned by Sara (same team, not leader)
        cls.task_sam = cls._task(name="Sam's task", todos=[
            {"name": "Sam's call", "date_deadline": deadline},
            {"name": "Sara's demo", "date_deadline": deadline,
             "user_id": cls.user_salesman_2.id},
        ])
        cls.todo_sam, cls.todo_sara = cls.task_sam.todo_ids
        cls.task_other = cls._task(user=cls.user_other_team, name="Otto's task",
                                   todos=[{"name": "Otto's call"}])

    def _visible(self, user):
        return self.Task.with_user(user).search(
            [("id", "in", (self.task_sam | self.task_other).ids)]
        )

    def test_salesperson_own_tasks(self):
        Task = self.Task.with_user(self.user_salesman)
        self.assertEqual(self._visible(self.user_salesman), self.task_sam)
        task = Task.create({"name": "My new task", "todo_ids": [
            Command.create({"name": "Step", "date_deadline": self.today}),
        ]})
        self.assertEqual(task.user_id, self.user_salesman)
        self.assertEqual(task.team_id, self.team)
        task.todo_ids.action_done()
        self.task_sam.with_user(self.user_salesman).write({"planned_hours": 4})
        with self.assertRaises(AccessError):
            self.task_other.with_user(self.user_salesman).read(["name"])
        with self.assertRaises(AccessError):
            self.task_other.with_user(self.user_salesman).write({"name": "Hijack"})
        with self.assertRaises(AccessError):
            Task.create({"name": "For Otto", "user_id": self.user_other_team.id})

    def test_todo_owner_edits_the_todo_not_the_task(self):
        sara = self.user_salesman_2
        self.assertEqual(self._visible(sara), self.task_sam, "reads the task of her to-do")
        todo = self.todo_sara.with_user(sara)
        todo.write({"spent_hours": 1.5, "actual_value": 2})
        todo.action_done()
        self.assertEqual(self.todo_sara.state, "done")
        self.assertEqual(self.task_sam.spent_hours, 1.5)
        # Sam's own to-do and the task itself are not hers to edit
        with self.assertRaises(AccessError):
            self.todo_sam.with_user(sara).write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            self.task_sam.with_user(sara).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["sales.task.todo"].with_user(sara).create(
                {"task_id": self.task_sam.id, "name": "Extra"}
            )
        # without a to-do there she does not see the task at all
        self.todo_sara.user_id = self.user_salesman
        self.assertFalse(self._visible(sara))

    def test_team_leader_edits_the_team(self):
        leader = self.user_leader
        self.assertEqual(self._visible(leader), self.task_sam)
        self.task_sam.with_user(leader).write({"priority": "2", "todo_ids": [
            Command.create({"name": "Coaching session", "user_id": leader.id}),
        ]})
        self.todo_sam.with_user(leader).action_done()
        self.assertEqual(self.task_sam.priority, "2")
        with self.assertRaises(AccessError):
            self.task_other.with_user(leader).write({"name": "Not my team"})

    def test_all_documents_reads_everything_edits_own(self):
        alan = self.user_all_docs
        self.assertEqual(self._visible(alan), self.task_sam | self.task_other)
        self.assertEqual(len(self.task_other.todo_ids.with_user(alan).read(["name"])), 1)
        with self.assertRaises(AccessError):
            self.task_other.with_user(alan).write({"name": "No"})
        own = self.Task.with_user(alan).create({"name": "Alan's"})
        own.write({"priority": "1"})

    def test_manager_everything(self):
        mia = self.user_manager
        self.assertEqual(self._visible(mia), self.task_sam | self.task_other)
        self.task_other.with_user(mia).write({"user_id": self.user_salesman.id})
        self.task_other.todo_ids.with_user(mia).unlink()
        template = self.env["sales.task.template"].with_user(mia).create({"name": "T"})
        with self.assertRaises(AccessError):
            template.with_user(self.user_salesman).write({"name": "Renamed"})
        self.assertEqual(template.with_user(self.user_salesman).name, "T", "readable")

    def test_internal_user_without_sales_rights(self):
        with self.assertRaises(AccessError):
            self.Task.with_user(self.user_internal).search([])
        with self.assertRaises(AccessError):
            self.env["sales.task.todo"].with_user(self.user_internal).search([])

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "SM Other Co"})
        self.user_manager.company_ids |= other_company
        foreign = self.Task.with_company(other_company).create({
            "name": "Foreign", "user_id": self.user_manager.id, "company_id": other_company.id,
            "todo_ids": [Command.create({"name": "Abroad"})],
        })
        self.assertEqual(foreign.todo_ids.company_id, other_company)
        mia = self.Task.with_user(self.user_manager).with_context(
            allowed_company_ids=[self.company.id]
        )
        self.assertFalse(mia.search([("id", "=", foreign.id)]), "not in the active company")
        self.assertEqual(
            mia.with_context(allowed_company_ids=[self.company.id, other_company.id]).search(
                [("id", "=", foreign.id)]
            ),
            foreign,
        )
        with self.assertRaises(AccessError):
            foreign.with_user(self.user_salesman).read(["name"])
