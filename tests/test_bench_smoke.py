"""Smoke test of the benchmark (bench/): generator, plan tree and every benchmark figure at
the smallest size, inside the test transaction.

Size XS (1.5k order lines, 600 opportunities, 4 teams × 5 salespersons) rather than S keeps
the test around half a minute; the code paths are those of S, M and L. Nothing is timed:
the test asserts the data is valid (ORM totals = SQL totals, recomputed stored fields =
stored values) and that every benchmark figure equals its hand-written SQL floor, with the
same number of queries for a small and the whole plan tree.
"""

import importlib.util
import os

from common import SalesManagementTestMixin

from odoo.tests import TransactionCase

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bench")


def _load(name):
    spec = importlib.util.spec_from_file_location(
        f"sales_management_bench_{name}", os.path.join(BENCH, f"{name}.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestBenchSmoke(SalesManagementTestMixin, TransactionCase):
    def test_bench_smoke(self):
        generate = _load("generate")
        plan_tree = _load("plan_tree")
        run = _load("run")
        env = self.env
        stats = generate.Generator(env, "XS", seed=7).run()
        self.assertGreater(stats["sale_order_line"], 1000)
        self.assertGreater(stats["crm_lead"], 500)
        self.assertGreater(stats["mail_activity"], 0)
        self.assertGreater(stats["account_move"], 0)

        # the data is valid for the ORM: its totals equal SQL, stored computes recompute equal
        results = generate.check(env, sample=100)
        failed = [r for r in results if not r[3]]
        self.assertFalse(failed, f"invalid generated data: {failed}")

        tree = plan_tree.build_plan_tree(env)
        # 1 company plan + 4 team plans + 20 salesperson plans, 12 months x 6 metrics
        self.assertEqual(tree["plans"], 25)
        self.assertEqual(tree["targets"], 25 * 12 * 6)

        bench = run.Bench(env, repeat=1, out=lambda *a: None, quick=True)
        result = bench.run()
        failed = [c for c in result["checks"] if not c["ok"]]
        self.assertFalse(failed, f"benchmark figures differ from their SQL floor: {failed}")
        names = {c["check"] for c in result["checks"]}
        self.assertIn("plan actuals equal the SQL floor", names)
        self.assertIn("constant query count for the plan actuals", names)
        self.assertIn("funnel report as salesperson = SQL floor", names)
        rows = {r["key"]: r for r in result["rows"]}
        self.assertEqual(rows["queries"]["value"], rows["queries"]["baseline"])
        for key in ("actuals", "dashboard_sales_manager", "dashboard_sales_salesperson",
                    "pdf_html", "xlsx", "job_digest", "job_deviation", "job_milestone",
                    "funnel", "activity_report", "activity_metric"):
            self.assertIn(key, rows)
        # the jobs did their work on the generated data (then were rolled back)
        jobs = result["jobs"]
        self.assertGreater(jobs["job_digest"]["result"], 0, "no digest sent")
        self.assertTrue(jobs["job_milestone"]["result"], "milestone figures not recomputed")
        self.assertFalse(env["sales.control.digest"].search_count([]),
                         "the benchmark must roll back what the jobs wrote")
        self.assertIn("plan tree actuals", bench.table())
