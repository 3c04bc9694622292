"""Target generation by sales region, country and UTM medium/source (issue 20, point 6):
each line's history from the test's own orders, the share of each in the generated
targets, the rest (history without the dimension) kept on the plan's own target, fair
share for a region without history, and the lines a user may not use refused.

History of team North in 2025 (``SalesPlanCommon`` plus one order here):
Sam, Brussels (BE) 1,000 in March; Sara, California (US) 500 in March, medium *Trade
Fair*, source *Partner Referral*; Sam, Lyon (FR) 400 in June, medium *Trade Fair*. Otto's
1,600 is the other team's. Total 1,900."""

from datetime import datetime

from sales_plan_common import SalesPlanCommon

from odoo.exceptions import UserError


class TestGenerateByDimension(SalesPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer_fr = Partner.create({
            "name": "SM Lyon Customer", "is_company": True,
            "country_id": cls.env.ref("base.fr").id,
        })
        cls.o_jun_fr = cls._create_order(
            cls.customer_fr, cls.user_salesman, [(cls.product_goods, 4, 100.0)],
            date_order=datetime(2025, 6, 12, 10, 0),
        )
        cls.o_jun_fr.medium_id = cls.medium
        Region = cls.env["sales.region"]
        cls.benelux = Region.create({"name": "SM Benelux", "company_id": cls.company.id,
                                     "country_ids": [cls.country_be.id]})
        cls.americas = Region.create({"name": "SM Americas", "company_id": False,
                                      "country_ids": [cls.country_us.id]})
        cls.nordics = Region.create({"name": "SM Nordics", "company_id": cls.company.id,
                                     "country_ids": [cls.env.ref("base.se").id]})
        cls.other_company = cls.env["res.company"].create({"name": "SM Other Co"})
        cls.foreign = Region.create({"name": "SM Foreign", "company_id": cls.other_company.id,
                                     "country_ids": [cls.country_be.id]})
        cls.plan = cls.env["sales.plan"].create({
            "name": "SM North 2026 by dimension", "team_id": cls.team.id,
            "user_id": cls.user_leader.id,
            "date_from": "2026-01-01", "date_to": "2026-12-31",
        })

    def _wizard(self, allocate_by, user=None):
        env = self.env(user=user) if user else self.env
        wizard = env["sales.plan.generate"].create({
            "plan_id": self.plan.id, "growth": 10.0, "allocate_by": allocate_by,
            "metric_id": self.metric["revenue"].id,
        })
        wizard.action_load_lines()
        return wizard

    def _lines(self, wizard, field):
        return {line[field].id: line.history_value for line in wizard.line_ids}

    def _generated(self, field):
        targets = self.plan.target_ids.filtered(
            lambda t: t.metric_id == self.metric["revenue"])
        head = targets.filtered(lambda t: not t.is_breakdown)
        parts = targets - head
        self.assertEqual(len(head), 12)
        self.assertTrue(all(part[field] for part in parts))
        return head, parts

    def _check_shares(self, head, parts, field, weights):
        """Each key's year total is its weight's share of the plan's, to the cent per
        period; in each period the parts never exceed the period's target."""
        total = sum(head.mapped("target_value"))
        weight_sum = sum(weights.values())
        for key, weight in weights.items():
            if not key:
                continue
            mine = parts.filtered(lambda t, key=key: t[field].id == key)
            self.assertEqual(len(mine), 12)
            self.assertAlmostEqual(sum(mine.mapped("target_value")),
                                   total * weight / weight_sum, delta=0.01 * 12)
        for period in head:
            same = parts.filtered(lambda t, p=period: t.date_from == p.date_from)
            self.assertLessEqual(sum(same.mapped("target_value")),
                                 period.target_value + 1e-6)
        return total

    def test_by_region_with_fair_share_and_rest(self):
        wizard = self._wizard("region")
        # the company's and the shared regions, not another company's; France is in none
        self.assertEqual(self._lines(wizard, "region_id"), {
            self.benelux.id: 1000.0, self.americas.id: 500.0, self.nordics.id: 0.0,
            False: 400.0,
        })
        rest = wizard.line_ids.filtered(lambda line: not line.region_id)
        self.assertEqual(rest.rest_label, "In no sales region")
        wizard.action_generate()
        head, parts = self._generated("region_id")
        self.assertEqual(parts.region_id, self.benelux | self.americas | self.nordics)
        # the Nordics without history weigh as the average line with history, the rest
        # included: (1,000 + 500 + 400) / 3
        fair = 1900.0 / 3
        total = self._check_shares(head, parts, "region_id", {
            self.benelux.id: 1000.0, self.americas.id: 500.0, self.nordics.id: fair,
            False: 400.0,
        })
        self.assertAlmostEqual(sum(parts.mapped("target_value")),
                               total * (1500.0 + fair) / (1900.0 + fair), delta=0.12)
        # a region's target reads the region's actual (the customers of its countries)
        may_benelux = parts.filtered(
            lambda t: t.region_id == self.benelux and t.date_from.month == 3)
        self.assertEqual(may_benelux.actual_value, 0.0)  # 2026: no order yet

    def test_by_country_adds_up_exactly(self):
        wizard = self._wizard("country")
        self.assertEqual(self._lines(wizard, "country_id"), {
            self.country_be.id: 1000.0, self.country_us.id: 500.0,
            self.customer_fr.country_id.id: 400.0,
        })
        wizard.action_generate()
        head, parts = self._generated("country_id")
        self._check_shares(head, parts, "country_id", {
            self.country_be.id: 1000.0, self.country_us.id: 500.0,
            self.customer_fr.country_id.id: 400.0,
        })
        for period in head:  # no rest: every customer has a country
            same = parts.filtered(lambda t, p=period: t.date_from == p.date_from)
            self.assertAlmostEqual(sum(same.mapped("target_value")), period.target_value,
                                   places=6)

    def test_by_medium_and_source(self):
        wizard = self._wizard("medium")
        self.assertEqual(self._lines(wizard, "medium_id"),
                         {self.medium.id: 900.0, False: 1000.0})
        wizard.action_generate()
        head, parts = self._generated("medium_id")
        self.assertEqual(parts.medium_id, self.medium)
        self._check_shares(head, parts, "medium_id", {self.medium.id: 900.0, False: 1000.0})
        wizard = self._wizard("source")
        self.assertEqual(self._lines(wizard, "source_id"),
                         {self.source.id: 500.0, False: 1400.0})
        wizard.action_generate()
        # the medium's breakdown targets are replaced only where the source's are made:
        # both coexist, each on its own dimension
        targets = self.plan.target_ids.filtered(lambda t: t.source_id)
        self.assertEqual(len(targets), 12)

    def test_as_the_team_leader_and_forged_lines(self):
        wizard = self._wizard("region", user=self.user_leader)
        self.assertEqual(len(wizard.line_ids), 4)
        # another company's region, forged into a line: refused, nothing generated
        with self.assertRaises(UserError):  # or its AccessError
            wizard.line_ids[0].region_id = self.foreign
            wizard.action_generate()
        self.assertFalse(self.plan.target_ids)
        # a salesperson may not generate the team's targets
        with self.assertRaises(UserError):  # or its AccessError
            self._wizard("country", user=self.user_salesman).action_generate()
        self.assertFalse(self.plan.target_ids)
