# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Time and money against plan: the overrun of a to-do or a task (issue 20, point 3)."""

from odoo import api, fields, models
from odoo.tools import float_compare

# computed by the overrun rule below, never typed in
OVERRUN_FIELDS = frozenset({"is_overrun", "overrun_hours", "overrun_cost"})


def overrun_excess(planned, spent, tolerance):
    """The overrun of ``spent`` against ``planned``: ``spent - planned`` when it exceeds
    the plan by MORE than ``tolerance`` percent of it, else 0. Nothing planned (0) is no
    plan to overrun. The one definition used by to-dos and tasks (hours and cost)."""
    if planned <= 0:
        return 0.0
    excess = spent - planned
    if float_compare(excess, planned * (tolerance or 0.0) / 100.0, precision_digits=2) > 0:
        return excess
    return 0.0


class SalesOverrunMixin(models.AbstractModel):
    """Flags a record whose spent hours or used money exceed its plan by more than its
    company's overrun tolerance. The model names its plan's fields in
    ``_overrun_hours_fields`` and ``_overrun_money_fields`` ((planned, used) each) and
    usually declares its own ``company_id`` and ``currency_id``; the flags are
    workflow-owned (``OVERRUN_FIELDS``)."""

    _name = "sales.overrun.mixin"
    _description = "Overrun against Plan"
    _overrun_hours_fields = ("planned_hours", "spent_hours")
    _overrun_money_fields = ("budget", "cost")

    # the models' own company and currency replace these
    company_id = fields.Many2one(comodel_name="res.company")
    currency_id = fields.Many2one(comodel_name="res.currency", related="company_id.currency_id")
    is_overrun = fields.Boolean(
        string="Over Plan", compute="_compute_overrun", store=True, index=True,
        help="The spent hours or the money used exceed the plan by more than the "
        "company's overrun tolerance.",
    )
    overrun_hours = fields.Float(
        compute="_compute_overrun", store=True,
        help="Hours spent beyond the plan, when over the tolerance.",
    )
    overrun_cost = fields.Monetary(
        currency_field="currency_id", compute="_compute_overrun", store=True,
        help="Money used beyond the plan, when over the tolerance.",
    )

    @api.depends(lambda self: (*self._overrun_hours_fields, *self._overrun_money_fields,
                               "company_id.sales_overrun_tolerance"))
    def _compute_overrun(self):
        hours_planned, hours_spent = self._overrun_hours_fields
        money_planned, money_used = self._overrun_money_fields
        for record in self:
            tolerance = record.company_id.sales_overrun_tolerance
            record.overrun_hours = overrun_excess(
                record[hours_planned], record[hours_spent], tolerance)
            record.overrun_cost = overrun_excess(
                record[money_planned], record[money_used], tolerance)
            record.is_overrun = bool(record.overrun_hours or record.overrun_cost)
