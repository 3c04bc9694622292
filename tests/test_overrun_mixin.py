"""``sales.overrun.mixin`` on a fake model (odoo-test-helper's ``FakeModelLoader``, as OCA
tests its mixins): the overrun of hours and of money against the plan, at and around the
company's tolerance, with the model's own field names; nothing planned is no plan to
overrun; a change of the tolerance recomputes the stored flags."""

from common import SalesManagementCommon
from odoo_test_helper import FakeModelLoader


class TestOverrunMixin(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, "odoo.addons.sales_management.tests")
        cls.loader.backup_registry()
        # imported after the backup, as odoo-test-helper requires
        from fake_rollup_models import SalesOverrunFake

        cls.loader.update_registry((SalesOverrunFake,))
        cls.company.sales_overrun_tolerance = 10.0

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _fake(self, **vals):
        return self.env["sales.overrun.fake"].create({"name": "Fake", **vals})

    def test_hours_and_money_around_the_tolerance(self):
        # (planned, used) -> overrun, with a 10 % tolerance: at 110 % nothing, above it
        # the whole excess over the plan
        cases = [((10.0, 10.0), 0.0), ((10.0, 11.0), 0.0), ((10.0, 11.1), 1.1),
                 ((10.0, 25.0), 15.0), ((0.0, 5.0), 0.0), ((10.0, 2.0), 0.0)]
        for (planned, used), overrun in cases:
            with self.subTest(planned=planned, used=used):
                hours = self._fake(planned_hours=planned, spent_hours=used)
                self.assertAlmostEqual(hours.overrun_hours, overrun, places=6)
                self.assertEqual(hours.overrun_cost, 0.0)
                self.assertEqual(hours.is_overrun, overrun > 0)
                # the money pair reads the model's own names
                money = self._fake(money_planned=planned * 100, money_used=used * 100)
                self.assertAlmostEqual(money.overrun_cost, overrun * 100, places=2)
                self.assertEqual(money.overrun_hours, 0.0)
                self.assertEqual(money.is_overrun, overrun > 0)

    def test_a_change_of_plan_or_tolerance_recomputes(self):
        fake = self._fake(planned_hours=10.0, spent_hours=12.0)
        self.assertTrue(fake.is_overrun)
        fake.planned_hours = 11.0  # 12 h is 109 % of 11 h: within the tolerance
        self.assertFalse(fake.is_overrun)
        self.company.sales_overrun_tolerance = 5.0
        self.assertTrue(fake.is_overrun)
        self.assertAlmostEqual(fake.overrun_hours, 1.0, places=6)
        flagged = self.env["sales.overrun.fake"].search(
            [("is_overrun", "=", True), ("id", "=", fake.id)])
        self.assertEqual(flagged, fake)  # stored, searchable
