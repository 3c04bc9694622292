"""Sales tasks: roll-ups, workflow, templates, the close wizard, bad input, smart buttons."""

from datetime import timedelta

from common import on_edge_dates
from sales_task_common import SalesTaskCommon

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form


@on_edge_dates
class TestSalesTaskRollups(SalesTaskCommon):
    def test_progress_weighted_by_planned_hours(self):
        todos = [
            {"name": "Prepare", "planned_hours": 2.0, "state": "done"},
            {"name": "Visit", "planned_hours": 6.0},
            {"name": "Dropped", "planned_hours": 4.0, "state": "cancelled"},
        ]
        task = self._task(todos=todos)
        counted = [t for t in todos if t.get("state") != "cancelled"]
        done = sum(t["planned_hours"] for t in counted if t.get("state") == "done")
        total = sum(t["planned_hours"] for t in counted)
        self.assertAlmostEqual(task.progress, round(100 * done / total, 2))  # 25 %
        self.assertEqual(task.planned_hours, 8.0, "cancelled to-dos plan nothing")
        # finishing the visit completes the work
        task.todo_ids.filtered(lambda t: t.name == "Visit").action_done()
        self.assertEqual(task.progress, 100.0)

    def test_progress_by_count_when_hours_missing(self):
        task = self._task(todos=[
            {"name": "A", "planned_hours": 5.0, "state": "done"},
            {"name": "B"},
            {"name": "C"},
            {"name": "D", "state": "done"},
        ])
        self.assertAlmostEqual(task.progress, 50.0, msg="2 of 4, hours ignored")
        self.assertEqual(self._task().progress, 0.0, "no to-dos, not done: 0%")

    def test_hours_money_and_results_roll_up(self):
        task = self._task(result_unit="meetings", todos=[
            {"name": "Calls", "planned_hours": 3, "spent_hours": 4.5,
             "expected_value": 6, "actual_value": 4,
             "resource_ids": [
                 Command.create({"type": "people", "description": "Inside sales",
                                 "quantity_planned": 2, "quantity_used": 1,
                                 "amount_planned": 500, "amount_used": 250}),
                 Command.create({"type": "material", "description": "Brochures",
                                 "quantity_planned": 100, "quantity_used": 120,
                                 "amount_planned": 200, "amount_used": 240}),
             ]},
            {"name": "Event", "planned_hours": 8, "spent_hours": 1,
             "expected_value": 10, "actual_value": 0,
             "resource_ids": [Command.create({"type": "budget", "description": "Booth",
                                              "amount_planned": 1500, "amount_used": 1600})]},
            {"name": "Cancelled", "planned_hours": 5, "spent_hours": 2, "state": "cancelled",
             "expected_value": 99, "actual_value": 99},
        ])
        self.assertEqual(task.planned_hours, 3 + 8)
        self.assertEqual(task.spent_hours, 4.5 + 1 + 2, "time spent on a cancelled to-do counts")
        self.assertEqual(task.budget, 500 + 200 + 1500)
        self.assertEqual(task.cost, 250 + 240 + 1600)
        self.assertEqual(task.expected_result, 6 + 10)
        self.assertEqual(task.actual_result, 4 + 0)
        calls = task.todo_ids.filtered(lambda t: t.name == "Calls")
        self.assertEqual(calls.amount_planned, 700)
        self.assertEqual(calls.amount_used, 490)
        # an update of a to-do updates the task
        calls.write({"actual_value": 7, "spent_hours": 6})
        self.assertEqual(task.actual_result, 7)
        self.assertEqual(task.spent_hours, 6 + 1 + 2)
        # stored: the pivot groups them by salesperson
        groups = self.Task._read_group(
            [("id", "=", task.id)], ["user_id"], ["spent_hours:sum", "cost:sum"],
        )
        self.assertEqual(groups, [(self.user_salesman, 9.0, 2090.0)])

    def test_manual_values_without_todos(self):
        task = self._task(planned_hours=12, budget=900, expected_result=5, result_unit="demos")
        task.write({"spent_hours": 3, "cost": 100, "actual_result": 2})
        self.assertEqual(
            (task.planned_hours, task.spent_hours, task.budget, task.cost,
             task.expected_result, task.actual_result),
            (12, 3, 900, 100, 5, 2),
        )
        # a to-do without measured value or resources keeps the typed results and money
        task.write({"todo_ids": [Command.create({"name": "Call", "planned_hours": 1})]})
        self.assertEqual((task.budget, task.cost, task.expected_result), (900, 100, 5))
        self.assertEqual(task.planned_hours, 1, "hours now come from the to-dos")
        action = task.todo_ids.action_open_form()
        self.assertEqual((action["res_model"], action["res_id"], action["target"]),
                         ("sales.task.todo", task.todo_ids.id, "new"))
        self.assertEqual(action["views"], [(False, "form")])

    def test_overdue_health_and_search(self):
        late = self._task(name="Late", date_start=self.today - timedelta(days=10),
                          date_deadline=self.today - timedelta(days=1))
        due = self._task(name="Due", date_deadline=self.today + timedelta(days=3))
        done_late = self._task(name="Done late", date_start=self.today - timedelta(days=10),
                               date_deadline=self.today - timedelta(days=1))
        done_late.action_done()
        late_todo_task = self._task(
            name="Late to-do", date_deadline=self.today + timedelta(days=10),
            todos=[{"name": "Overdue call", "date_deadline": self.today - timedelta(days=2)}],
        )
        tasks = late | due | done_late | late_todo_task
        self.assertEqual(tasks.filtered("is_overdue"), late)
        self.assertEqual(late.kanban_color, 1)
        self.assertEqual(due.kanban_color, 0)
        self.assertEqual(
            self.Task.search([("id", "in", tasks.ids), ("is_overdue", "=", True)]), late,
        )
        self.assertEqual(
            self.Task.search([("id", "in", tasks.ids), ("is_overdue", "=", False)]),
            tasks - late,
        )
        self.assertEqual(late.health, "off_track")
        self.assertEqual(done_late.health, "on_track")
        self.assertEqual(late_todo_task.health, "at_risk")
        self.assertEqual(due.health, "on_track")
        todo = late_todo_task.todo_ids
        self.assertTrue(todo.is_overdue)
        self.assertEqual(self.Todo.search([("id", "=", todo.id), ("is_overdue", "=", True)]), todo)
        todo.action_done()
        self.assertFalse(todo.is_overdue)


@on_edge_dates
class TestSalesTaskWorkflow(SalesTaskCommon):
    def test_start_done_cancel_reset(self):
        task = self._task(todos=[{"name": "Call"}])
        task.action_start()
        self.assertEqual(task.state, "in_progress")
        task.todo_ids.action_done()
        task.action_done()
        self.assertEqual(task.state, "done")
        self.assertEqual(task.date_done, self.today)
        self.assertEqual(task.progress, 100.0)
        task.action_reset_draft()
        self.assertEqual(task.state, "draft")
        self.assertFalse(task.date_done)
        task.write({"todo_ids": [Command.create({"name": "Second call"})]})
        task.action_cancel()
        self.assertEqual(task.state, "cancelled")
        self.assertEqual(task.todo_ids.mapped("state"), ["done", "cancelled"])

    def test_done_with_open_todos_needs_the_wizard(self):
        task = self._task(todos=[{"name": "A"}, {"name": "B"}, {"name": "C", "state": "done"}])
        task.action_start()
        with self.assertRaisesRegex(UserError, "2 open to-do"):
            task.write({"state": "done"})
        task.invalidate_recordset()
        self.assertEqual(task.state, "in_progress", "nothing written")
        action = task.action_done()
        self.assertEqual(action["res_model"], "sales.task.done.wizard")
        self.assertEqual(task.state, "in_progress")
        wizard = self.env["sales.task.done.wizard"].with_context(action["context"]).create({})
        self.assertEqual(wizard.todo_ids, task.todo_ids.filtered(lambda t: t.state == "todo"))
        wizard.action_cancel_todos()
        self.assertEqual(task.state, "done")
        self.assertEqual(task.todo_ids.mapped("state"), ["cancelled", "cancelled", "done"])

    def test_wizard_marks_open_todos_done(self):
        task = self._task(todos=[{"name": "A", "planned_hours": 1},
                                 {"name": "B", "planned_hours": 3}])
        action = task.action_done()
        wizard = self.env["sales.task.done.wizard"].with_context(action["context"]).create({})
        wizard.action_done_todos()
        self.assertEqual(task.state, "done")
        self.assertEqual(set(task.todo_ids.mapped("state")), {"done"})
        self.assertEqual(task.todo_ids.mapped("date_done"), [self.today, self.today])

    def test_execution_plan_required_setting(self):
        settings = self.env["res.config.settings"].create({})
        settings.sales_task_require_execution_plan = True
        settings.execute()
        self.assertTrue(self.company.sales_task_require_execution_plan)
        task = self._task(execution_plan="<p><br></p>")
        with self.assertRaisesRegex(UserError, "execution plan"):
            task.action_start()
        self.assertEqual(task.state, "draft")
        task.execution_plan = "<p>Visit the three buyers, then send the offer.</p>"
        task.action_start()
        self.assertEqual(task.state, "in_progress")
        # without the setting a task starts with no plan
        self.company.sales_task_require_execution_plan = False
        other = self._task()
        other.action_start()
        self.assertEqual(other.state, "in_progress")

    def test_tracking_in_chatter(self):
        Task = self.Task.with_env(self.env(context={}))  # tracking on, as in the web client
        task = Task.create({
            "name": "Tracked", "user_id": self.user_salesman.id,
            "date_deadline": self.today + timedelta(days=5),
        })
        self.env.flush_all()
        self.env.cr.precommit.run()
        task.write({
            "user_id": self.user_salesman_2.id,
            "date_deadline": self.today + timedelta(days=9),
        })
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written at commit time
        task.invalidate_recordset(["message_ids"])
        tracked = task.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("user_id", tracked)
        self.assertIn("date_deadline", tracked)


@on_edge_dates
class TestSalesTaskBadInput(SalesTaskCommon):
    def test_deadline_before_start(self):
        with self.assertRaisesRegex(ValidationError, "cannot be before its start date"), \
                self.cr.savepoint():
            self._task(name="Bad dates", date_start=self.today,
                       date_deadline=self.today - timedelta(days=1))
        self.assertFalse(self.Task.search([("name", "=", "Bad dates")]))
        task = self._task(date_start=self.today, date_deadline=self.today)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            task.date_deadline = self.today - timedelta(days=3)
        task.invalidate_recordset()
        self.assertEqual(task.date_deadline, self.today)

    def test_negative_hours_and_money(self):
        for field in ("planned_hours", "spent_hours", "budget", "cost"):
            with self.subTest(field=field), self.assertRaises(ValidationError), \
                    self.cr.savepoint():
                self._task(name=f"Negative {field}", **{field: -1})
        self.assertFalse(self.Task.search([("name", "=like", "Negative %")]))
        task = self._task(todos=[{"name": "Call", "planned_hours": 2}])
        with self.assertRaises(ValidationError), self.cr.savepoint():
            task.todo_ids.spent_hours = -0.5
        with self.assertRaises(ValidationError), self.cr.savepoint():
            task.todo_ids.write({"resource_ids": [Command.create({
                "type": "budget", "description": "Refund?", "amount_used": -10,
            })]})
        task.invalidate_recordset()
        self.assertEqual(task.todo_ids.spent_hours, 0)
        self.assertFalse(task.todo_ids.resource_ids)

    def test_no_new_todo_on_closed_task(self):
        done = self._task()
        done.action_done()
        cancelled = self._task()
        cancelled.action_cancel()
        for task in (done, cancelled):
            with self.subTest(state=task.state):
                with self.assertRaisesRegex(UserError, "accepts no new to-dos"):
                    self.Todo.create({"task_id": task.id, "name": "Late idea"})
                with self.assertRaisesRegex(UserError, "accepts no new to-dos"):
                    task.write({"todo_ids": [Command.create({"name": "Late idea"})]})
                self.assertFalse(task.todo_ids)
        open_task = self._task(todos=[{"name": "Move me"}])
        with self.assertRaisesRegex(UserError, "accepts no new to-dos"):
            open_task.todo_ids.task_id = done
        self.assertFalse(done.todo_ids)

    def test_new_task_starts_as_draft(self):
        with self.assertRaisesRegex(UserError, "starts as a draft"):
            self._task(name="Already done", state="done")
        self.assertFalse(self.Task.search([("name", "=", "Already done")]))


@on_edge_dates
class TestSalesTaskTemplates(SalesTaskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["sales.task.template"].create({
            "name": "Review",
            "result_unit": "EUR",
            "execution_plan": "<p>Meet, review, propose.</p>",
            "line_ids": [
                Command.create({"name": "Analyse", "deadline_days": 2, "planned_hours": 2}),
                Command.create({"name": "Meet", "deadline_days": 10, "planned_hours": 3,
                                "expected_value": 5000}),
            ],
        })

    def test_template_applies_on_create(self):
        start = self.today + timedelta(days=1)
        task = self._task(template_id=self.template.id, date_start=str(start))
        self.assertEqual(task.todo_ids.mapped("name"), ["Analyse", "Meet"])
        self.assertEqual(
            task.todo_ids.mapped("date_deadline"),
            [start + timedelta(days=2), start + timedelta(days=10)],
        )
        self.assertEqual(task.todo_ids.user_id, self.user_salesman)
        self.assertEqual(task.planned_hours, 5)
        self.assertEqual(task.expected_result, 5000)
        self.assertEqual(task.result_unit, "EUR")
        self.assertIn("Meet, review", task.execution_plan)
        self.assertEqual(len(self._activities(task.todo_ids)), 2, "reminders created")

    def test_template_in_form_and_apply_button(self):
        form = Form(self.Task)
        form.name = "From the form"
        form.user_id = self.user_salesman
        form.template_id = self.template
        self.assertEqual(len(form.todo_ids), 2)
        task = form.save()
        self.assertEqual(task.todo_ids.mapped("name"), ["Analyse", "Meet"])
        task.action_apply_template()
        self.assertEqual(len(task.todo_ids), 4, "the button appends the template again")
        task.template_id = False
        with self.assertRaisesRegex(UserError, "Choose a template"):
            task.action_apply_template()

    def test_shipped_template(self):
        template = self.env.ref("sales_management.sales_task_template_key_account_review")
        self.assertEqual(template.name, "Key account quarterly review")
        self.assertEqual(template.line_count, 4)


@on_edge_dates
class TestSalesTaskFromLeadAndPartner(SalesTaskCommon):
    def test_from_opportunity(self):
        lead = self.env["crm.lead"].create({
            "name": "Big deal", "type": "opportunity", "partner_id": self.customer_be.id,
            "user_id": self.user_salesman.id,
        })
        action = lead.action_new_sales_task()
        self.assertEqual(action["res_model"], "sales.task")
        form = Form(self.Task.with_context(action["context"]))
        task = form.save()
        self.assertEqual(
            (task.lead_id, task.partner_id, task.user_id, task.name),
            (lead, self.customer_be, self.user_salesman, "Big deal"),
        )
        self.assertEqual(task.team_id, self.team)
        self.assertEqual(task.manager_id, self.user_leader)
        self._task(lead_id=lead.id)
        lead.invalidate_recordset(["sales_task_count"])
        self.assertEqual(lead.sales_task_count, 2)
        self.assertEqual(self.Task.search(lead.action_view_sales_tasks()["domain"]).lead_id, lead)

    def test_customer_smart_button_counts_contacts(self):
        self._task(partner_id=self.customer_be.id)
        self._task(partner_id=self.customer_be_contact.id)
        self._task(partner_id=self.customer_us.id)
        partners = self.customer_be | self.customer_be_contact | self.customer_us
        partners.invalidate_recordset(["sales_task_count"])
        self.assertEqual(
            partners.mapped("sales_task_count"), [2, 1, 1],
            "a company counts the tasks of its contacts",
        )
        domain = self.customer_be.action_view_sales_tasks()["domain"]
        self.assertEqual(len(self.Task.search(domain)), 2)

    def test_team_follows_assignee(self):
        task = self._task(user=self.user_other_team)
        self.assertEqual(task.team_id, self.team_other)
        task.user_id = self.user_salesman
        self.assertEqual(task.team_id, self.team)
        self.assertEqual(task.manager_id, self.user_leader)


@on_edge_dates
class TestSalesTaskViews(SalesTaskCommon):
    def test_views_load_for_a_salesperson(self):
        Task = self.Task.with_user(self.user_salesman)
        views = Task.get_views([(False, v) for v in (
            "kanban", "list", "form", "calendar", "pivot", "graph", "search", "activity",
        )])
        self.assertIn("kanban_color", views["views"]["kanban"]["arch"])
        self.assertIn("is_overdue", views["views"]["list"]["arch"])
        for filter_name in ("my_tasks", "overdue", "due_this_week"):
            self.assertIn(f'name="{filter_name}"', views["views"]["search"]["arch"])
        self.env["sales.task.todo"].with_user(self.user_salesman).get_views(
            [(False, "list"), (False, "form"), (False, "search")]
        )
        lead_form = self.env["crm.lead"].with_user(self.user_salesman).get_views(
            [(False, "form")]
        )["views"]["form"]["arch"]
        self.assertIn("action_view_sales_tasks", lead_form)

    def test_pivot_by_salesperson_and_month(self):
        self._task(planned_hours=4, spent_hours=3, cost=100, date_deadline=self.today)
        self._task(planned_hours=2, spent_hours=1, cost=50, date_deadline=self.today)
        self._task(user=self.user_salesman_2, spent_hours=7, date_deadline=self.today)
        groups = self.Task._read_group(
            [("user_id", "in", (self.user_salesman | self.user_salesman_2).ids)],
            ["user_id", "date_deadline:month"], ["spent_hours:sum", "cost:sum", "__count"],
        )
        month = self.today.replace(day=1)
        self.assertEqual(
            [(u, m, h, c, n) for u, m, h, c, n in groups],
            [(self.user_salesman, month, 4.0, 150.0, 2),
             (self.user_salesman_2, month, 7.0, 0.0, 1)],
        )

    def test_search_filters(self):
        """The search view's filters, evaluated as the web client does, select the right
        tasks: My Tasks (assignee or to-do owner), Overdue, Due This Week."""
        from datetime import datetime

        from dateutil.relativedelta import relativedelta
        from lxml import etree

        from odoo.tools.safe_eval import safe_eval

        arch = self.Task.get_views([(False, "search")])["views"]["search"]["arch"]
        filters = {
            node.get("name"): node.get("domain")
            for node in etree.fromstring(arch).iter("filter") if node.get("domain")
        }
        monday = self.today - timedelta(days=self.today.weekday())
        # every task starts on or before its deadline, whatever the weekday of "today"
        mine = self._task(name="Mine", date_start=monday - timedelta(days=7), date_deadline=monday)
        theirs = self._task(user=self.user_salesman_2, name="Theirs",
                            date_start=monday - timedelta(days=7),
                            date_deadline=monday + timedelta(days=6))
        with_my_todo = self._task(user=self.user_salesman_2, name="With my to-do",
                                  date_deadline=monday + timedelta(days=7),
                                  todos=[{"name": "Help", "user_id": self.user_salesman.id}])
        late = self._task(user=self.user_salesman_2, name="Late",
                          date_start=monday - timedelta(days=30),
                          date_deadline=monday - timedelta(days=1))
        done = self._task(name="Done this week", date_start=monday,
                          date_deadline=monday + timedelta(days=2))
        done.action_done()
        tasks = mine | theirs | with_my_todo | late | done

        def run(name, user):
            domain = safe_eval(filters[name], {
                "uid": user.id, "context_today": lambda: datetime.combine(
                    self.today, datetime.min.time()),
                "relativedelta": relativedelta,
            })
            return self.Task.search([("id", "in", tasks.ids)] + domain)

        self.assertEqual(run("my_tasks", self.user_salesman), mine | with_my_todo | done)
        overdue = late | (mine if monday < self.today else self.Task)
        self.assertEqual(run("overdue", self.user_salesman), overdue)
        self.assertEqual(filters["due_this_week"], "[('is_due_this_week', '=', True)]")

    def test_due_this_week_follows_the_language(self):
        """"Due This Week" is the week of the user's language, as Odoo's calendar shows it:
        Sunday to Saturday in English (US), Monday to Sunday where the week starts on
        Monday. Expected weeks come from ISO week numbers."""
        days = [self.today + timedelta(days=d) for d in range(-8, 9)]
        tasks = self.Task.browse([
            self._task(name=f"Due {day}", date_start=day - timedelta(days=1),
                       date_deadline=day).id
            for day in days
        ])
        done = self._task(name="Done", date_start=self.today, date_deadline=self.today)
        done.action_done()
        todos = self._task(name="With to-dos", date_start=days[0], date_deadline=days[-1],
                           todos=[{"name": f"Step {day}", "date_deadline": day}
                                  for day in days]).todo_ids
        english = self.env["res.lang"]._lang_get("en_US")
        weeks = {
            # a Sunday-to-Saturday week is the ISO week of the day after
            "7": lambda day: (day + timedelta(days=1)).isocalendar()[:2],
            "1": lambda day: day.isocalendar()[:2],
        }
        for week_start, week_of in weeks.items():
            english.week_start = week_start
            self.env.invalidate_all()  # the fields depend on the language, not on its week
            Task = self.Task.with_context(lang="en_US")
            Todo = self.Todo.with_context(lang="en_US")
            this_week = {day for day in days if week_of(day) == week_of(self.today)}
            self.assertEqual(len(this_week), 7)
            found = Task.search([("id", "in", (tasks | done).ids),
                                 ("is_due_this_week", "=", True)])
            self.assertEqual(set(found.mapped("date_deadline")), this_week, week_start)
            self.assertEqual(Task.search([("id", "in", (tasks | done).ids),
                                          ("is_due_this_week", "!=", True)]),
                             (tasks | done) - found)
            self.assertEqual(tasks.with_context(lang="en_US").filtered("is_due_this_week"),
                             found)
            found_todos = Todo.search([("id", "in", todos.ids),
                                       ("is_due_this_week", "=", True)])
            self.assertEqual(set(found_todos.mapped("date_deadline")), this_week)
            self.assertEqual(todos.with_context(lang="en_US").filtered("is_due_this_week"),
                             found_todos)
