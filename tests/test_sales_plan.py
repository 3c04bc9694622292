"""Sales plans: models install and compute."""

from common import SalesManagementCommon


class TestSalesPlanSmoke(SalesManagementCommon):
    def test_smoke(self):
        plan = self.env["sales.plan"].create({"name": "P", "date_from": "2026-01-01",
                                              "date_to": "2026-12-31"})
        self.env["sales.plan.target"].create({
            "plan_id": plan.id,
            "metric_id": self.env.ref("sales_management.sales_metric_revenue").id,
            "target_value": 100,
        })
        self.assertEqual(plan.target_value, 100)
