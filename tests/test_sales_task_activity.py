"""Each open to-do with a deadline keeps exactly one mail.activity for its owner on the
task, through every transition: create, reschedule, reassign, rename, done, cancel,
reopen, unlink; and marking the activity done marks the to-do done."""

from datetime import timedelta

from common import on_edge_dates
from sales_task_common import SalesTaskCommon

from odoo import Command


@on_edge_dates
class TestSalesTaskActivities(SalesTaskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref("sales_management.mail_activity_type_sales_todo")

    def _open_activity(self, todo):
        """The one open activity of ``todo``, checked against the to-do."""
        activities = self._activities(todo)
        self.assertEqual(len(activities), 1, f"exactly one activity for {todo.name}")
        self.assertEqual(
            (activities.res_model, activities.res_id, activities.user_id,
             activities.date_deadline, activities.summary, activities.activity_type_id),
            ("sales.task", todo.task_id.id, todo.user_id, todo.date_deadline, todo.name,
             self.activity_type),
        )
        return activities

    def test_create(self):
        deadline = self.today + timedelta(days=4)
        task = self._task(todos=[
            {"name": "With deadline", "date_deadline": deadline},
            {"name": "No deadline"},
            {"name": "Done already", "date_deadline": deadline, "state": "done"},
            # due a day later: the task's next activity (activity_user_id) is Sam's, not a
            # tie between two activities of the same day broken by their ids
            {"name": "Someone else's", "date_deadline": deadline + timedelta(days=1),
             "user_id": self.user_salesman_2.id},
        ])
        with_deadline, no_deadline, done, other = task.todo_ids
        self.assertEqual(with_deadline.user_id, self.user_salesman, "defaults to the assignee")
        self._open_activity(with_deadline)
        self.assertEqual(self._open_activity(other).user_id, self.user_salesman_2)
        self.assertFalse(self._activities(no_deadline))
        self.assertFalse(self._activities(done))
        # the task's own activity list (systray, My Activities) shows them
        self.assertEqual(task.activity_ids, self._activities(task.todo_ids))
        # as a fresh request reads it (from the database, in the activities' order), not
        # from this transaction's cache, whose order of activity_ids is the order the ORM
        # happened to put them in (it made the test fail on some runs)
        task.invalidate_recordset()
        self.assertEqual(task.activity_ids[0].user_id, self.user_salesman)
        self.assertEqual(task.activity_user_id, self.user_salesman)
        # a deadline given later creates it
        no_deadline.date_deadline = deadline
        self._open_activity(no_deadline)

    def test_create_by_the_owner_of_an_overdue_todo(self):
        """A salesperson saving a new task with their own overdue to-do (the web client
        sends the to-dos with the task): the reminder is created, overdue, and they
        follow the task once (it used to fail on a duplicate follower)."""
        past = self.today - timedelta(days=30)
        task = self.env["sales.task"].with_user(self.user_salesman).create({
            "name": "Own task",
            "user_id": self.user_salesman.id,
            "todo_ids": [
                Command.create({"name": "Overdue call", "date_deadline": past}),
                Command.create({"name": "Second call", "date_deadline": past}),
            ],
        })
        self.assertEqual(len(task.todo_ids), 2)
        for todo in task.todo_ids:
            self.assertEqual(self._open_activity(todo).user_id, self.user_salesman)
            self.assertTrue(todo.is_overdue)
        followers = self.env["mail.followers"].search([
            ("res_model", "=", "sales.task"), ("res_id", "=", task.id),
            ("partner_id", "=", self.user_salesman.partner_id.id),
        ])
        self.assertEqual(len(followers), 1)

    def test_reschedule_reassign_rename(self):
        task = self._task(todos=[{"name": "Call", "date_deadline": self.today}])
        todo = task.todo_ids
        activity = self._open_activity(todo)
        todo.date_deadline = self.today + timedelta(days=7)
        self.assertEqual(self._open_activity(todo), activity, "moved, not recreated")
        todo.user_id = self.user_salesman_2
        self.assertEqual(self._open_activity(todo), activity, "reassigned")
        todo.name = "Call the buyer"
        self.assertEqual(self._open_activity(todo), activity)
        todo.date_deadline = False
        self.assertFalse(self._activities(todo), "no deadline, no reminder")

    def test_task_reassignment_moves_owner_todos(self):
        task = self._task(todos=[
            {"name": "Mine", "date_deadline": self.today},
            {"name": "Sara's", "date_deadline": self.today, "user_id": self.user_salesman_2.id},
            {"name": "Mine, done", "state": "done"},
        ])
        mine, saras, done = task.todo_ids
        task.user_id = self.user_other_team
        self.assertEqual(mine.user_id, self.user_other_team, "follows the task")
        self.assertEqual(saras.user_id, self.user_salesman_2, "another owner keeps it")
        self.assertEqual(done.user_id, self.user_salesman, "history is not rewritten")
        self.assertEqual(self._open_activity(mine).user_id, self.user_other_team)
        self._open_activity(saras)

    def test_done_keeps_the_activity_in_history(self):
        task = self._task(todos=[{"name": "Call", "date_deadline": self.today}])
        todo = task.todo_ids
        activity = self._open_activity(todo)
        todo.action_done()
        self.assertFalse(self._activities(todo), "no open activity left")
        self.assertFalse(activity.active, "marked done (kept archived, type keep_done)")
        self.assertFalse(task.activity_ids)
        done_message = task.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.activity_type
        )
        self.assertTrue(done_message, "the task's chatter logs the done reminder")
        # reopening gives a fresh reminder
        todo.action_reopen()
        new = self._open_activity(todo)
        self.assertNotEqual(new, activity)

    def test_cancel_and_unlink_remove_it(self):
        task = self._task(todos=[
            {"name": "Cancel me", "date_deadline": self.today},
            {"name": "Delete me", "date_deadline": self.today},
        ])
        cancel, delete = task.todo_ids
        cancel_activity = self._open_activity(cancel)
        delete_activity = self._open_activity(delete)
        cancel.action_cancel()
        self.assertFalse(cancel_activity.exists())
        delete.unlink()
        self.assertFalse(delete_activity.exists())
        self.assertFalse(task.activity_ids)

    def test_task_cancel_and_close_wizard(self):
        task = self._task(todos=[{"name": "A", "date_deadline": self.today},
                                 {"name": "B", "date_deadline": self.today}])
        activities = self._activities(task.todo_ids)
        self.assertEqual(len(activities), 2)
        action = task.action_done()
        self.env["sales.task.done.wizard"].with_context(action["context"]).create(
            {}
        ).action_done_todos()
        self.assertFalse(task.activity_ids)
        self.assertFalse(any(activities.mapped("active")), "both marked done")
        other = self._task(todos=[{"name": "C", "date_deadline": self.today}])
        other_activity = self._activities(other.todo_ids)
        other.action_cancel()
        self.assertFalse(other_activity.exists())

    def test_marking_the_activity_done_marks_the_todo_done(self):
        task = self._task(todos=[{"name": "Call", "date_deadline": self.today}])
        activity = self._open_activity(task.todo_ids)
        activity.with_user(self.user_salesman).action_feedback(feedback="Booked a meeting")
        self.assertEqual(task.todo_ids.state, "done")
        self.assertEqual(task.progress, 100.0)

    def test_owner_without_task_rights_gets_and_closes_the_reminder(self):
        """A to-do owned by a colleague: the reminder is theirs, and they can close it
        from the systray although they cannot edit the task."""
        task = self._task(todos=[{"name": "Demo", "date_deadline": self.today,
                                  "user_id": self.user_salesman_2.id}])
        activity = self._open_activity(task.todo_ids)
        activity.with_user(self.user_salesman_2).action_feedback()
        self.assertEqual(task.todo_ids.state, "done")

    def test_batch_reschedule_query_count_does_not_grow(self):
        """Rescheduling N to-dos costs the same number of queries for 3 and for 12."""
        counts = []
        for size in (3, 12):
            task = self._task(todos=[
                {"name": f"Call {i}", "date_deadline": self.today} for i in range(size)
            ])
            self.env.flush_all()
            self.env.invalidate_all()
            new_date = self.today + timedelta(days=size)
            queries_before = self.cr.sql_log_count
            task.todo_ids.write({"date_deadline": new_date})
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - queries_before)
            self.assertEqual(set(self._activities(task.todo_ids).mapped("date_deadline")),
                             {new_date})
        self.assertEqual(counts[0], counts[1], f"queries for 3 vs 12 to-dos: {counts}")

    def test_multi_task_create_is_batched(self):
        tasks = self.Task.create([
            {"name": f"Task {i}", "user_id": self.user_salesman.id, "todo_ids": [
                Command.create({"name": "Call", "date_deadline": self.today}),
                Command.create({"name": "Visit", "date_deadline": self.today}),
            ]}
            for i in range(3)
        ])
        self.assertEqual(len(self._activities(tasks.todo_ids)), 6)
        for todo in tasks.todo_ids:
            self._open_activity(todo)
