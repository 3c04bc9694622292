"""The plan screens render in the browser: list, form (targets inline, sub-plans, chatter),
kanban with health colour, and a salesperson writing their commitment."""

from common import SalesManagementHttpCommon

from odoo.tests import new_test_user


class TestSalesPlanTour(SalesManagementHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env, login="sm_tour_plan_sam", password="sm_tour_plan_sam",
            name="Sam Tour", groups="sales_team.group_sale_salesman",
        )
        today = cls.env.cr.now().date()
        partner = cls.env["res.partner"].create({"name": "SM Tour Customer"})
        product = cls.env["product.product"].create({"name": "SM Tour Widget",
                                                     "list_price": 100.0})
        team = cls.env["crm.team"].create({"name": "SM Tour Team"})
        order = cls.env["sale.order"].create({
            "partner_id": partner.id, "user_id": cls.salesman.id, "team_id": team.id,
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 15,
                                   "price_unit": 100.0})],
        })
        order.action_confirm()
        Plan = cls.env["sales.plan"]
        dates = {"date_from": today.replace(month=1, day=1),
                 "date_to": today.replace(month=12, day=31)}
        company = Plan.create({"name": "SM Tour Company", **dates})
        north = Plan.create({"name": "SM Tour North", "parent_id": company.id,
                             "team_id": team.id, **dates})
        sam = Plan.create({"name": "SM Tour Sam", "parent_id": north.id, "team_id": team.id,
                           "user_id": cls.salesman.id, "scope": "user", **dates})
        revenue = cls.env.ref("sales_management.sales_metric_revenue")
        cls.env["sales.plan.target"].create([
            {"plan_id": company.id, "metric_id": revenue.id, "target_value": 10000.0},
            {"plan_id": north.id, "metric_id": revenue.id, "target_value": 1000000.0},
            {"plan_id": sam.id, "metric_id": revenue.id, "target_value": 5000.0},
        ])
        cls.sam_plan = sam

    def test_plan_screens_manager(self):
        self.start_tour("/odoo/action-sales_management.sales_plan_action",
                        "sales_management_plan_manager", login="admin")

    def test_plan_screens_salesman(self):
        self.start_tour("/odoo/action-sales_management.sales_plan_action_my",
                        "sales_management_plan_salesman", login="sm_tour_plan_sam")
        self.assertIn("Visit every customer", self.sam_plan.commitment)
