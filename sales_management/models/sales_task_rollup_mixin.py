# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The roll-up of sales tasks on the records they serve (plans, targets)."""

from collections import defaultdict

from odoo import api, fields, models

TASK_ROLLUP_SUMS = {
    "task_planned_hours": "planned_hours",
    "task_spent_hours": "spent_hours",
    "task_cost": "cost",
    "task_expected_result": "expected_result",
    "task_actual_result": "actual_result",
    "task_overrun_hours": "overrun_hours",
    "task_overrun_cost": "overrun_cost",
}
# the counts of the roll-up: bucket key -> extra domain on the (non-cancelled) tasks
TASK_ROLLUP_COUNTS = {
    "done": [("state", "=", "done")],
    "overdue": [("is_overdue", "=", True)],
    "overrun": [("is_overrun", "=", True)],
}


class SalesTaskRollupMixin(models.AbstractModel):
    """Roll-up of the sales tasks of a plan or target: four grouped queries for the whole
    recordset (totals, done, overdue, over plan), never a query per record."""

    _name = "sales.task.rollup.mixin"
    _description = "Sales Task Roll-up"

    task_count = fields.Integer(string="Tasks", compute="_compute_task_rollup")
    task_done_count = fields.Integer(string="Done Tasks", compute="_compute_task_rollup")
    task_overdue_count = fields.Integer(string="Overdue Tasks", compute="_compute_task_rollup")
    task_progress = fields.Float(
        string="Task Progress", compute="_compute_task_rollup",
        help="Average progress of the open and done tasks, in %.",
    )
    task_overrun_count = fields.Integer(
        string="Tasks Over Plan", compute="_compute_task_rollup",
        help="Tasks whose spent hours or cost exceed the plan by more than the company's "
        "overrun tolerance.",
    )
    task_overrun_hours = fields.Float(
        string="Overrun Hours", compute="_compute_task_rollup",
        help="Hours spent beyond plan on the tasks over plan.",
    )
    task_overrun_cost = fields.Float(
        string="Overrun Cost", compute="_compute_task_rollup",
        help="Cost beyond budget on the tasks over plan.",
    )
    task_planned_hours = fields.Float(string="Planned Hours", compute="_compute_task_rollup")
    task_spent_hours = fields.Float(string="Spent Hours", compute="_compute_task_rollup")
    # Float, not Monetary: the mixin must not declare currency_id (plans and targets
    # have their own); the views show it with the monetary widget.
    task_cost = fields.Float(string="Task Cost", compute="_compute_task_rollup")
    task_expected_result = fields.Float(
        string="Expected from Tasks", compute="_compute_task_rollup",
        help="Sum of the expected results of the tasks (cancelled ones excluded).",
    )
    task_actual_result = fields.Float(
        string="Achieved by Tasks", compute="_compute_task_rollup",
        help="Sum of the intermediate and final results of the tasks so far.",
    )

    def _task_rollup_field(self):
        """The sales.task many2one pointing to this model."""
        raise NotImplementedError

    def _task_rollup_domain(self, ids):
        return [(self._task_rollup_field(), "in", ids)]

    def _task_rollup_owners(self, record):
        """Ids of the records a group of tasks of ``record`` counts for."""
        return [record.id]

    @api.depends_context("uid")  # the tasks counted are those the user may read
    def _compute_task_rollup(self):
        # new records (form onchanges) have no tasks yet: work on the saved origins
        ids = [rec._origin.id for rec in self if rec._origin.id]
        totals = defaultdict(lambda: defaultdict(float))
        if ids:
            fname = self._task_rollup_field()
            Task = self.env["sales.task"]
            base = self._task_rollup_domain(ids) + [("state", "!=", "cancelled")]
            sums = [f"{field}:sum" for field in TASK_ROLLUP_SUMS.values()]
            queries = [(None, base, ["__count", "progress:sum", *sums])] + [
                (key, base + extra, ["__count"]) for key, extra in TASK_ROLLUP_COUNTS.items()
            ]
            for key, domain, aggregates in queries:
                for record, *values in Task._read_group(domain, [fname], aggregates):
                    for owner in self._task_rollup_owners(record):
                        bucket = totals[owner]
                        if key is None:
                            bucket["count"] += values[0]
                            bucket["progress"] += values[1]
                            for field_name, value in zip(TASK_ROLLUP_SUMS, values[2:]):
                                bucket[field_name] += value or 0.0
                        else:
                            bucket[key] += values[0]
        for record in self:
            bucket = totals.get(record._origin.id, {})
            count = int(bucket.get("count", 0))
            record.task_count = count
            record.task_done_count = int(bucket.get("done", 0))
            record.task_overdue_count = int(bucket.get("overdue", 0))
            record.task_overrun_count = int(bucket.get("overrun", 0))
            record.task_progress = bucket.get("progress", 0.0) / count if count else 0.0
            for field_name in TASK_ROLLUP_SUMS:
                record[field_name] = bucket.get(field_name, 0.0)

    def _task_action(self, domain, context):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_management.sales_task_action"
        )
        action.update({"domain": domain, "context": context})
        return action
