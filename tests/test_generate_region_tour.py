"""Generate Targets by sales region in a real browser (headless Chromium), at desktop size
and at phone size with touch events (``TestGenerateRegionTourPhone``): a manager picks
*Sales regions*, reviews each region's history and share (a region without history takes
the fair share, the history in no region stays on the plan) and generates
(``static/tests/tours/sales_journey_plan_region_tour.js``). The test then checks the targets
in the database against figures computed here.

Last year (2025): 1,000 in Brussels in March, 400 in Lyon in June. Regions: Benelux (BE),
Nordics (SE, no history); France is in none. Growth 10 %: March 1,100, the eleven other
months planned like the weakest month with history (June, 440): 5,940. Weights: Benelux
1,000, Nordics the average of the lines with history (700), the rest 400."""

from datetime import datetime

from common import DISABLED_MAIL_CONTEXT, SalesManagementHttpCommon, new_role_user

from odoo import Command


class TestGenerateRegionTour(SalesManagementHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.manager = new_role_user(cls.env, "journey_manager")
        cls.sam = new_role_user(cls.env, "journey_sam")
        cls.team = cls.env["crm.team"].create({
            "name": "Region Tour Team", "user_id": cls.manager.id,
            "member_ids": [Command.set(cls.sam.ids)],
        })
        Partner = cls.env["res.partner"]
        product = cls.env["product.product"].create({
            "name": "Region Tour Widget", "list_price": 100.0, "invoice_policy": "order",
        })
        for country, amount, month in (("base.be", 1000.0, 3), ("base.fr", 400.0, 6)):
            customer = Partner.create({
                "name": f"Region Tour Customer {country}", "is_company": True,
                "country_id": cls.env.ref(country).id,
            })
            cls._create_order(customer, cls.sam, [(product, 1, amount)],
                              date_order=datetime(2025, month, 2, 10, 0), team=cls.team)
        Region = cls.env["sales.region"]
        cls.benelux = Region.create({"name": "Region Tour Benelux",
                                     "country_ids": [Command.set(cls.env.ref("base.be").ids)]})
        cls.nordics = Region.create({"name": "Region Tour Nordics",
                                     "country_ids": [Command.set(cls.env.ref("base.se").ids)]})
        cls.plan = cls.env["sales.plan"].create({
            "name": "Region Tour Plan", "scope": "company", "user_id": cls.manager.id,
            "date_from": "2026-01-01", "date_to": "2026-12-31",
        })

    def test_manager_generates_by_region(self):
        self.start_tour("/odoo/action-sales_management.sales_plan_action",
                        "sales_journey_plan_region", login="sm_journey_mia")
        revenue = self.env.ref("sales_management.sales_metric_revenue")
        targets = self.plan.target_ids.filtered(lambda t: t.metric_id == revenue)
        heads = targets.filtered(lambda t: not t.is_breakdown)
        self.assertEqual(len(heads), 12)
        self.assertAlmostEqual(sum(heads.mapped("target_value")), 5940.0, places=2)
        total = {region: sum(targets.filtered(lambda t, r=region: t.region_id == r)
                             .mapped("target_value"))
                 for region in (self.benelux, self.nordics)}
        self.assertAlmostEqual(total[self.benelux], 5940.0 * 1000 / 2100, delta=0.12)
        self.assertAlmostEqual(total[self.nordics], 5940.0 * 700 / 2100, delta=0.12)
        self.assertEqual(len(targets - heads), 24)


class TestGenerateRegionTourPhone(TestGenerateRegionTour):
    """The same on a phone: 390x844 viewport, touch events."""

    browser_size = "390x844"
    touch_enabled = True
