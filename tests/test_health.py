"""Issue 18, point 9: health says what happened. A finished period reads *Achieved* or
*Missed* (not *On Track* at 93 %), a period not started reads *Not Started*; targets and
plans alike, from one definition (``res_company.sales_health``), with the same labels on
the dashboard, the prints and the exports.

History (tests/sales_plan_common.py): Q1 2025 revenue 1000 (Sam) + 500 (Sara) = 1500."""

from freezegun import freeze_time
from sales_plan_common import SalesPlanCommon

from odoo.tests import tagged

Q1 = {"date_from": "2025-01-01", "date_to": "2025-03-31"}
Q3 = {"date_from": "2025-07-01", "date_to": "2025-09-30"}


@tagged("post_install", "-at_install")
class TestHealth(SalesPlanCommon):

    def _q_plan(self, name, target, dates):
        plan = self._plan(name, **dates)
        self._target(plan, "revenue", target, **dates)
        return plan

    def test_finished_periods_are_achieved_or_missed(self):
        # 1500 of 1613 is 93 %: on track by pace while it ran, missed once over
        missed = self._q_plan("SM Q1 93 %", 1613.0, Q1)
        achieved = self._q_plan("SM Q1 100 %", 1500.0, Q1)
        with freeze_time("2025-03-31 12:00:00"):
            (missed | achieved).invalidate_recordset()
            self.assertEqual(missed.health, "on_track")
            self.assertEqual(missed.target_ids.health, "on_track")
        with freeze_time("2025-04-01 09:00:00"):
            (missed | achieved).invalidate_recordset()
            (missed | achieved).target_ids.invalidate_recordset()
            self.assertAlmostEqual(missed.achievement, 100.0 * 1500 / 1613)
            self.assertEqual(missed.health, "missed")
            self.assertEqual(missed.target_ids.health, "missed")
            self.assertEqual(achieved.health, "achieved")
            self.assertEqual(achieved.target_ids.health, "achieved")

    def test_periods_not_started(self):
        plan = self._q_plan("SM Q3", 1000.0, Q3)
        with freeze_time("2025-06-30 12:00:00"):
            plan.invalidate_recordset()
            plan.target_ids.invalidate_recordset()
            self.assertEqual(plan.health, "not_started")
            self.assertEqual(plan.target_ids.health, "not_started")

    def test_labels_are_the_same_everywhere(self):
        labels = dict(self.env["sales.plan"]._fields["health"]._description_selection(
            self.env))
        target_labels = dict(self.env["sales.plan.target"]._fields["health"]
                             ._description_selection(self.env))
        self.assertEqual(labels, target_labels)
        self.assertEqual(set(labels), {"not_started", "on_track", "at_risk", "off_track",
                                       "achieved", "missed"})
        self.assertEqual(labels["missed"], "Missed")
