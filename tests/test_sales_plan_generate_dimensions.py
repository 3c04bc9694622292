"""Target generation by sales region, country and UTM medium/source (issue 20, point 6):
each line's history from the test's own orders, the share of each in the generated
targets (to the cent, in every month), the rest (history without the dimension) kept on
the plan's own target, fair share for a region without history, overrides, each role's
rights, and the lines a user may not use refused.

History of team North in 2025 (``SalesPlanCommon`` plus one order here):
Sam, Brussels (BE) 1,000 in March; Sara, California (US) 500 in March, medium *Trade
Fair*, source *Partner Referral*; Sam, Lyon (FR) 400 in June, medium *Trade Fair*. Otto's
1,600 is the other team's. Total 1,900.

Regions: *Benelux* (the company's, BE) 1,000; *West Coast* (shared, the state of
California) 500; *Nordics* (the company's, SE) no history; France is in an archived
region only, so its 400 are the rest; *Foreign* (another company's, BE) is not a line."""

from datetime import date, datetime
from unittest.mock import patch

from sales_plan_common import SalesPlanCommon

from odoo import Command
from odoo.exceptions import AccessError, UserError

GROWTH = 10.0
# 2025's revenue of team North by month, from the orders above
MONTHS = {3: 1500.0, 6: 400.0}


class TestGenerateByDimension(SalesPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_fr = cls.env["res.partner"].create({
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
                                     "country_ids": [Command.set(cls.country_be.ids)]})
        cls.west_coast = Region.create({"name": "SM West Coast", "company_id": False,
                                        "state_ids": [Command.set(cls.state_ca.ids)]})
        cls.nordics = Region.create({"name": "SM Nordics", "company_id": cls.company.id,
                                     "country_ids": [Command.set(cls.env.ref("base.se").ids)]})
        Region.create({"name": "SM France (archived)", "company_id": cls.company.id,
                       "active": False,
                       "country_ids": [Command.set(cls.customer_fr.country_id.ids)]})
        cls.other_company = cls.env["res.company"].create({"name": "SM Other Co"})
        cls.foreign = Region.create({"name": "SM Foreign", "company_id": cls.other_company.id,
                                     "country_ids": [Command.set(cls.country_be.ids)]})
        cls.plan = cls.env["sales.plan"].create({
            "name": "SM North 2026 by dimension", "team_id": cls.team.id,
            "user_id": cls.user_leader.id,
            "date_from": "2026-01-01", "date_to": "2026-12-31",
        })
        cls.revenue = cls.metric["revenue"]
        # the plan's months: history x growth, a month without history planned like the
        # weakest month with history
        weakest = min(MONTHS.values())
        cls.month_targets = [round(MONTHS.get(m, weakest) * (1 + GROWTH / 100), 2)
                             for m in range(1, 13)]

    def _wizard(self, allocate_by, user=None, plan=None, **vals):
        env = self.env(user=user or self.user_manager)
        wizard = env["sales.plan.generate"].create({
            "plan_id": (plan or self.plan).id, "growth": GROWTH, "allocate_by": allocate_by,
            "metric_id": self.revenue.id, "base_date_from": "2025-01-01", **vals,
        })
        wizard.action_load_lines()
        return wizard

    def _lines(self, wizard, field):
        return {line[field].id: line.history_value for line in wizard.line_ids}

    def _targets(self, field):
        """The plan's twelve monthly revenue targets and its breakdown targets by
        ``field`` (the other dimensions' left out), as ``{month: value}`` and
        ``{key id: {month: value}}``."""
        targets = self.plan.target_ids.filtered(lambda t: t.metric_id == self.revenue)
        heads = targets.filtered(lambda t: not t.is_breakdown)
        self.assertEqual(sorted(t.date_from.month for t in heads), list(range(1, 13)))
        parts = (targets - heads).filtered(field)
        by_key = {}
        for part in parts:
            by_key.setdefault(part[field].id, {})[part.date_from.month] = part.target_value
        return {t.date_from.month: t.target_value for t in heads}, by_key

    def _assert_split(self, heads, parts, weights):
        """In every month each key has its weight's share of the month's target, to the
        cent (the largest remainder moves a part by one cent at most), in whole cents; the
        parts and the rest's share add up exactly to the month's target."""
        self.assertEqual(set(parts), {key for key in weights if key})
        weight_sum = sum(weights.values())
        for month, head in heads.items():
            for key, weight in weights.items():
                if not key:
                    continue
                value = parts[key][month]
                self.assertAlmostEqual(value, head * weight / weight_sum, delta=0.0100001)
                self.assertAlmostEqual(value * 100, round(value * 100), places=6)
            rest = round(head - sum(parts[key][month] for key in parts), 2)
            self.assertAlmostEqual(rest, head * weights.get(False, 0.0) / weight_sum,
                                   delta=0.0100001)

    # ------------------------------------------------------------------ history, shares
    def test_region_lines_and_exact_fair_split(self):
        wizard = self._wizard("region")
        # the company's and the shared active regions, each with its history (a region of
        # states too); no region of another company, nor an archived one: France is the rest
        self.assertEqual(self._lines(wizard, "region_id"), {
            self.benelux.id: 1000.0, self.west_coast.id: 500.0, self.nordics.id: 0.0,
            False: 400.0,
        })
        rest = wizard.line_ids.filtered(lambda line: not line.region_id)
        self.assertEqual(rest.rest_label, "In no sales region")
        self.assertEqual(set(wizard.line_ids.mapped("label")), {
            "SM Benelux", "SM West Coast", "SM Nordics", "In no sales region"})
        self.assertEqual(wizard.base_total, 1900.0)
        # the Nordics without history weigh as much as the average line with history
        fair = 1900.0 / 3
        nordics = wizard.line_ids.filtered(lambda line: line.region_id == self.nordics)
        total = sum(self.month_targets)
        self.assertAlmostEqual(nordics.amount, total * fair / (1900.0 + fair), places=6)
        wizard.action_generate()
        heads, parts = self._targets("region_id")
        self.assertEqual([heads[m] for m in range(1, 13)], self.month_targets)
        self._assert_split(heads, parts, {
            self.benelux.id: 1000.0, self.west_coast.id: 500.0, self.nordics.id: fair,
            False: 400.0,
        })
        # the region's target reads the region's actual: this year's order in Brussels
        # counts for Benelux in May, not for the West Coast
        self._create_order(self.customer_be, self.user_salesman,
                           [(self.product_goods, 3, 100.0)],
                           date_order=datetime(2026, 5, 4, 10, 0))
        may = self.plan.target_ids.filtered(
            lambda t: t.region_id and t.date_from == date(2026, 5, 1))
        self.assertEqual({t.region_id: t.actual_value for t in may}, {
            self.benelux: 300.0, self.west_coast: 0.0, self.nordics: 0.0,
        })

    def test_country_as_the_team_leader_adds_up_exactly(self):
        wizard = self._wizard("country", user=self.user_leader)
        weights = {self.country_be.id: 1000.0, self.country_us.id: 500.0,
                   self.customer_fr.country_id.id: 400.0}
        # only the countries with history; every customer has one: no rest
        self.assertEqual(self._lines(wizard, "country_id"), weights)
        wizard.action_generate()
        heads, parts = self._targets("country_id")
        self.assertEqual([heads[m] for m in range(1, 13)], self.month_targets)
        self._assert_split(heads, parts, weights)
        for month, head in heads.items():
            self.assertEqual(round(sum(part[month] for part in parts.values()), 2), head)

    def test_medium_and_source(self):
        wizard = self._wizard("medium")
        self.assertEqual(self._lines(wizard, "medium_id"),
                         {self.medium.id: 900.0, False: 1000.0})
        self.assertEqual(wizard.line_ids.filtered(lambda line: not line.medium_id).rest_label,
                         "No medium")
        wizard.action_generate()
        heads, parts = self._targets("medium_id")
        self._assert_split(heads, parts, {self.medium.id: 900.0, False: 1000.0})
        wizard = self._wizard("source")
        self.assertEqual(self._lines(wizard, "source_id"),
                         {self.source.id: 500.0, False: 1400.0})
        wizard.action_generate()
        heads, parts = self._targets("source_id")
        self._assert_split(heads, parts, {self.source.id: 500.0, False: 1400.0})
        # each dimension's breakdown is replaced only by its own: both are there
        self.assertEqual(len(self.plan.target_ids.filtered("medium_id")), 12)
        self.assertEqual(len(self.plan.target_ids.filtered("source_id")), 12)
        # generated again: replaced, not doubled
        self._wizard("source").action_generate()
        self.assertEqual(len(self.plan.target_ids.filtered("source_id")), 12)
        self.assertEqual(len(self.plan.target_ids.filtered(lambda t: not t.is_breakdown)), 12)

    def test_override_kept_others_rebalanced(self):
        wizard = self._wizard("region", user=self.user_leader)
        benelux = wizard.line_ids.filtered(lambda line: line.region_id == self.benelux)
        benelux.write({"is_override": True, "override_amount": 3000.0})
        wizard.action_generate()
        heads, parts = self._targets("region_id")
        total = sum(self.month_targets)
        self.assertEqual(round(sum(parts[self.benelux.id].values()), 2), 3000.0)
        # the rest of the total by weight: West Coast 500, Nordics the fair 1,900 / 3,
        # the rest 400
        fair = 1900.0 / 3
        for region, weight in ((self.west_coast, 500.0), (self.nordics, fair)):
            self.assertAlmostEqual(sum(parts[region.id].values()),
                                   (total - 3000.0) * weight / (900.0 + fair), delta=0.12)
        for month, head in heads.items():
            self.assertLessEqual(sum(part[month] for part in parts.values()), head + 1e-6)

    # ------------------------------------------------------------------ refused
    def test_unsupported_metric_or_dimension(self):
        # a ratio does not add up: refused, nothing written
        wizard = self._wizard("region", metric_id=self.metric["win_rate"].id)
        with self.assertRaises(UserError):
            wizard.action_generate()
        self.assertFalse(self.plan.target_ids)
        # a metric whose figures know no country nor channel: a clear error
        Metric = self.registry["sales.metric"]
        with patch.object(Metric, "_supported_dimensions", lambda self: ("user_id", "team_id")):
            for allocate_by in ("region", "country", "medium", "source"):
                with self.assertRaisesRegex(UserError, "cannot be allocated by"):
                    self._wizard(allocate_by)
        self.assertFalse(self.plan.target_ids)

    def test_roles(self):
        # a salesperson of the team, an "all documents" reader: the colleagues' figures
        # by region are not theirs to see, nor the team's targets theirs to generate
        for user in (self.user_salesman, self.user_all_docs):
            with self.assertRaises(AccessError):
                self._wizard("region", user=user)
        # another team's salesperson: not even the wizard
        with self.assertRaises(AccessError):
            self._wizard("country", user=self.user_other_team)
        # a salesperson's own plan: the history is his own sales only, and generating is
        # for his leader
        sam_plan = self.env["sales.plan"].create({
            "name": "SM Sam 2026", "team_id": self.team.id, "user_id": self.user_salesman.id,
            "scope": "user", "parent_id": self.plan.id,
            "date_from": "2026-01-01", "date_to": "2026-12-31",
        })
        try:
            wizard = self._wizard("region", user=self.user_salesman, plan=sam_plan)
        except AccessError:
            pass
        else:
            self.assertEqual(self._lines(wizard, "region_id"), {
                self.benelux.id: 1000.0, self.west_coast.id: 0.0, self.nordics.id: 0.0,
                False: 400.0,
            })
            with self.assertRaises(UserError):
                wizard.action_generate()
        self.assertFalse(sam_plan.target_ids)
        # the leader generates his salesperson's plan by region
        self._wizard("region", user=self.user_leader, plan=sam_plan).action_generate()
        self.assertEqual(len(sam_plan.target_ids.filtered("region_id")), 36)
        self.assertFalse(self.plan.target_ids)

    def test_forged_lines_refused(self):
        wizard = self._wizard("region", user=self.user_leader)
        line = wizard.line_ids.filtered(lambda line: line.region_id == self.nordics)
        # another company's region: the leader may not even read it
        with self.assertRaises(AccessError):
            line.region_id = self.foreign
        with self.assertRaises(AccessError):
            wizard.write({"line_ids": [Command.create({"region_id": self.foreign.id})]})
        # a manager of both companies reads it, but it is not the plan's company's
        self.user_manager.company_ids |= self.other_company
        manager_env = self.env(user=self.user_manager, context={
            "allowed_company_ids": [self.company.id, self.other_company.id]})
        wizard = self._wizard("region").with_env(manager_env)
        wizard.line_ids.filtered(lambda line: line.region_id == self.nordics).region_id = \
            self.foreign
        with self.assertRaisesRegex(UserError, "another company"):
            wizard.action_generate()
        # one region on two lines
        wizard = self._wizard("region")
        wizard.line_ids.filtered(lambda line: line.region_id == self.nordics).region_id = \
            self.benelux
        with self.assertRaisesRegex(UserError, "two allocation lines"):
            wizard.action_generate()
        self.assertFalse(self.plan.target_ids)
        # a salesperson the leader may not assign (another team's), a sub-plan that is
        # not the plan's
        wizard = self._wizard("user", user=self.user_leader)
        with self.assertRaises(AccessError):
            wizard.line_ids[0].user_id = self.user_other_team
        other_plan = self.env["sales.plan"].create({
            "name": "SM North other 2026", "team_id": self.team.id,
            "user_id": self.user_leader.id,
            "date_from": "2026-01-01", "date_to": "2026-12-31",
        })
        self.env["sales.plan"].create({
            "name": "SM Sara 2026", "team_id": self.team.id, "scope": "user",
            "user_id": self.user_salesman_2.id, "parent_id": self.plan.id,
            "date_from": "2026-01-01", "date_to": "2026-12-31",
        })
        wizard = self._wizard("sub_plans", user=self.user_leader)
        wizard.line_ids.sub_plan_id = other_plan
        with self.assertRaisesRegex(UserError, "not a sub-plan"):
            wizard.action_generate()
        self.assertFalse((self.plan | other_plan | self.plan.child_ids).target_ids)
