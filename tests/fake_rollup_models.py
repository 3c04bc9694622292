"""Fake models for tests/test_task_rollup_mixin.py, loaded by ``FakeModelLoader`` after
the registry backup (never imported at collection time)."""

from odoo import fields, models


class SalesTaskRollupFake(models.Model):
    _name = "sales.task.rollup.fake"
    _description = "Task Roll-up Fake"
    _module = "sales_management"
    _inherit = ["sales.task.rollup.mixin"]

    name = fields.Char()

    def _task_rollup_field(self):
        return "rollup_fake_id"


class SalesTaskRollupFakeTask(models.Model):
    _inherit = "sales.task"
    _module = "sales_management"

    rollup_fake_id = fields.Many2one("sales.task.rollup.fake", index="btree_not_null")
