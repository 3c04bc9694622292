"""Fake models for tests/test_task_rollup_mixin.py and tests/test_overrun_mixin.py, loaded
by ``FakeModelLoader`` after the registry backup (never imported at collection time)."""

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


class SalesOverrunFake(models.Model):
    """``sales.overrun.mixin`` on a model of its own, with its own names for the money
    planned and used (tests/test_overrun_mixin.py)."""

    _name = "sales.overrun.fake"
    _description = "Overrun Fake"
    _module = "sales_management"
    _inherit = ["sales.overrun.mixin"]
    _overrun_money_fields = ("money_planned", "money_used")

    name = fields.Char()
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    planned_hours = fields.Float()
    spent_hours = fields.Float()
    money_planned = fields.Monetary(currency_field="currency_id")
    money_used = fields.Monetary(currency_field="currency_id")
