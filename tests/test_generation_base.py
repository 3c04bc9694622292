"""Issue 18, point 6: *Generate Targets* for next year, made before this year is over,
grows from the last complete year by default, and says so plainly when the user picks a
base period that is not over."""

from common import SalesManagementCommon

from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestGenerationBase(SalesManagementCommon):
    # early December: 2026 is not over
    freeze_time = "2026-12-04 10:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Plan = cls.env["sales.plan"]
        cls.plan_2027 = Plan.create({
            "name": "SM North 2027", "team_id": cls.team.id, "user_id": cls.user_leader.id,
            "date_from": "2027-01-01", "date_to": "2027-12-31",
        })
        cls.plan_2026 = Plan.create({
            "name": "SM North 2026", "team_id": cls.team.id, "user_id": cls.user_leader.id,
            "date_from": "2026-01-01", "date_to": "2026-12-31",
        })
        cls.q1_2027 = Plan.create({
            "name": "SM North Q1 2027", "team_id": cls.team.id, "user_id": cls.user_leader.id,
            "date_from": "2027-01-01", "date_to": "2027-03-31",
        })

    def _wizard(self, plan, user=None):
        return self.env["sales.plan.generate"].with_user(user or self.user_manager).create(
            {"plan_id": plan.id})

    def test_next_year_grows_from_the_last_complete_year(self):
        wizard = self._wizard(self.plan_2027)
        self.assertEqual(str(wizard.base_date_from), "2025-01-01")
        self.assertEqual(str(wizard.base_date_to), "2025-12-31")
        self.assertFalse(wizard.base_warning)

    def test_a_quarter_grows_from_the_same_quarter_last_year_when_it_is_over(self):
        wizard = self._wizard(self.q1_2027)
        self.assertEqual(str(wizard.base_date_from), "2026-01-01")
        self.assertEqual(str(wizard.base_date_to), "2026-03-31")
        self.assertFalse(wizard.base_warning)

    def test_an_unfinished_base_is_said_plainly(self):
        wizard = self._wizard(self.plan_2027)
        wizard.base_date_from = "2026-01-01"
        self.assertEqual(str(wizard.base_date_to), "2026-12-31")
        # 4 December to 31 December, both included: 28 days without sales yet
        self.assertIn("28 days", wizard.base_warning)
        self.assertIn("2026-12-31", wizard.base_warning)

    def test_this_years_plan_keeps_last_year(self):
        wizard = self._wizard(self.plan_2026)
        self.assertEqual(str(wizard.base_date_from), "2025-01-01")
        self.assertFalse(wizard.base_warning)
