"""The figures engine gives the same figures as before its rewrite (issue 17).

The benchmark's generator makes the same data on every run (size XS, seed 7, frozen date),
the benchmark's plan tree (25 plans × 12 months × 6 metrics) and a plan of extra targets
cover every metric with every dimension and period shape a target can have: whole months,
a quarter, half a month, a year; a salesperson, a team, a customer, a country, a state, a
medium, a source, a product, a category, a region. Their figures, read as the list view
reads them (``read()``), are compared with ``data/engine_golden_xs.json``: the figures the
engine before the rewrite (commit aef87c4) gave on the same data.

``SM_WRITE_GOLDEN=1`` writes the file instead (run once with the reference engine).
"""

import importlib.util
import json
import os
from datetime import date

from common import SalesManagementTestMixin

from odoo.tests import TransactionCase

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.join(os.path.dirname(HERE), "bench")
GOLDEN = os.path.join(HERE, "data", "engine_golden_xs.json")
FIGURES = ["actual_value", "expected_to_date", "achievement", "pace", "variance", "health"]
DIMS = ["user_id", "team_id", "partner_id", "country_id", "state_id", "medium_id",
        "source_id", "product_id", "product_categ_id", "region_id"]

# metrics shipped after the reference figures were stored (issue 20: repeat customers)
LATER_METRICS = ["repeat_customers", "retention_rate"]


def _load(name):
    spec = importlib.util.spec_from_file_location(
        f"sales_management_bench_{name}", os.path.join(BENCH, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestEngineGolden(SalesManagementTestMixin, TransactionCase):

    def _extra_targets(self, env):
        """A plan of targets of every metric × every dimension it supports × period
        shapes; the dimension values are the generated data's first ones by name."""
        company = env.ref("base.main_company")
        first = {
            "user_id": env["res.users"].search(
                [("login", "=like", "bench_sp%")], order="login", limit=1),
            "team_id": env["crm.team"].search(
                [("name", "=like", "Bench Team %")], order="name", limit=1),
            "partner_id": env["res.partner"].search(
                [("name", "=like", "Bench Customer %")], order="name", limit=1),
            "country_id": env.ref("base.be"),
            "state_id": env["res.country.state"].search(
                [("id", "in", env["res.partner"].search(
                    [("name", "=like", "Bench Customer %")]).state_id.ids)],
                order="code, name", limit=1),
            "medium_id": env["utm.medium"].search([], order="name", limit=1),
            "source_id": env["utm.source"].search([], order="name", limit=1),
            "product_id": env["product.product"].search(
                [("name", "=like", "Bench Product %")], order="name", limit=1),
            "product_categ_id": env["product.category"].search(
                [("name", "=like", "Bench Category %")], order="name", limit=1),
        }
        countries = env["res.partner"].search(
            [("name", "=like", "Bench Customer %")]).country_id.sorted("code")[:2]
        first["region_id"] = env["sales.region"].create(
            {"name": "Golden region", "country_ids": [(6, 0, countries.ids)]})
        plan = env["sales.plan"].create({
            "name": "Golden extras", "company_id": company.id, "scope": "company",
            "date_from": date(2025, 1, 1), "date_to": date(2026, 12, 31),
        })
        periods = [
            (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30)),
            (date(2026, 5, 1), date(2026, 5, 15)), (date(2025, 1, 1), date(2025, 12, 31)),
        ]
        vals = []
        # the metrics the reference engine had (those shipped later have their own tests)
        for metric in env["sales.metric"].search([("code", "not in", LATER_METRICS)],
                                                 order="code"):
            supported = set(metric._supported_dimensions()) | {"region_id"}
            for dim in [None, *DIMS]:
                if dim and dim not in supported:
                    continue
                for date_from, date_to in periods:
                    vals.append({
                        "plan_id": plan.id, "metric_id": metric.id,
                        "target_value": 50.0 if metric.unit == "percent" else 1000.0,
                        "date_from": date_from, "date_to": date_to,
                        **({dim: first[dim].id} if dim else {}),
                    })
        env["sales.plan.target"].create(vals)
        return plan

    def _key(self, target):
        dims = ",".join(f"{dim}={target[dim].display_name}" for dim in DIMS if target[dim])
        return (f"{target.plan_id.name}|{target.metric_id.code}|{target.date_from}|"
                f"{target.date_to}|{dims}")

    def test_figures_identical_to_the_reference_engine(self):
        env = self.env
        _load("generate").Generator(env, "XS", seed=7).run()
        tree = _load("plan_tree").build_plan_tree(env)
        extras = self._extra_targets(env)
        plans = env["sales.plan"].search([("id", "child_of", tree["root_id"])]) | extras
        targets = env["sales.plan.target"].search([("plan_id", "in", plans.ids)])
        self.assertGreater(len(targets), 2000)
        env.invalidate_all()
        rows = targets.read(FIGURES)
        figures = {}
        for target, row in zip(targets, rows):
            figures[self._key(target)] = [
                row[name] if name == "health" else round(row[name], 4) for name in FIGURES]
        self.assertEqual(len(figures), len(targets), "every target has its own key")
        if os.environ.get("SM_WRITE_GOLDEN"):
            os.makedirs(os.path.dirname(GOLDEN), exist_ok=True)
            with open(GOLDEN, "w") as file:
                json.dump(figures, file, indent=0, sort_keys=True)
            return
        with open(GOLDEN) as file:
            golden = json.load(file)
        self.assertEqual(sorted(figures), sorted(golden))
        nonzero = sum(1 for values in golden.values() if values[0])
        self.assertGreater(nonzero, 600, "the past months have actuals")
        differ = {
            key: (golden[key], values) for key, values in figures.items()
            if values[-1] != golden[key][-1] or any(
                abs(a - b) > 1e-6 * max(1.0, abs(b)) for a, b in zip(values[:-1], golden[key]))
        }
        self.assertFalse(differ, f"{len(differ)} targets differ: {list(differ.items())[:5]}")
