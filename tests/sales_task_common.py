"""Fixtures for the sales task tests: "today" (the frozen clock's) and a task maker."""

from common import SalesManagementCommon

from odoo import Command, fields


class SalesTaskCommon(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.Task = cls.env["sales.task"]
        cls.Todo = cls.env["sales.task.todo"]

    @classmethod
    def _task(cls, user=None, todos=(), **vals):
        """A task for ``user`` (the salesman by default) with ``todos`` = dicts."""
        user = user or cls.user_salesman
        return cls.env["sales.task"].create({
            "name": vals.pop("name", "Task"),
            "user_id": user.id,
            "todo_ids": [Command.create(dict(t)) for t in todos],
            **vals,
        })

    def _activities(self, todos):
        return self.env["mail.activity"].search([("sales_task_todo_id", "in", todos.ids)])
