"""Smoke test of the benchmark (bench/): generator, plan tree and every benchmark figure at
the smallest size, inside the test transaction.

Size XS (1.5k order lines, 600 opportunities, 4 teams × 5 salespersons) rather than S keeps
the test around half a minute; the code paths are those of S, M and L. Nothing is timed:
the test asserts the data is valid (ORM totals = SQL totals, recomputed stored fields =
stored values), that the figures read through ``read()`` (and the pivot's ``read_group``)
equal the hand-written SQL floor, and that their query counts are the same for a tenth of
the plan tree and for the whole tree.
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
        for check in ("figures read(): actuals read equal the SQL floor",
                      "figures read(): variance and achievement follow the actuals",
                      "figures read(): query count independent of the targets",
                      "pivot (plan x metric) actuals equal the SQL floor",
                      "pivot: query count independent of the targets",
                      "funnel report as salesperson = SQL floor",
                      "plan performance XLSX is a workbook",
                      "plan performance HTML names every plan of the tree"):
            self.assertIn(check, names)
        rows = {r["key"]: r for r in result["rows"]}
        for key in ("figures_read", "figures_queries", "figures_xlsx", "pivot",
                    "pivot_queries", "dashboard_full_manager", "dashboard_full_salesperson",
                    "pdf", "job_digest", "job_deviation", "job_milestone", "funnel",
                    "activity_report", "activity_metric"):
            self.assertIn(key, rows)
        # a tenth of the tree (here a quarter: 1 team of 4) costs the same queries
        self.assertEqual(rows["figures_queries"]["value"], rows["figures_queries"]["baseline"])
        self.assertEqual(rows["pivot_queries"]["value"], rows["pivot_queries"]["baseline"])
        self.assertLess(len(bench.small_targets), len(bench.targets) / 2)
        # the floor equals the figures read(), checked here too, independently of run.py's
        # own check: the company plan's 72 targets
        wanted = run.floor.figures(env.cr, bench.company.id, bench.year, bench.plans.ids)
        read = bench.read_figures(bench.root.target_ids)
        self.assertTrue(read)
        for tid, values in read.items():
            self.assertAlmostEqual(values["actual_value"], wanted[tid][2], places=2)
        self.assertTrue(any(values["actual_value"] for values in read.values()))
        # the jobs did their work on the generated data (then were rolled back)
        jobs = result["jobs"]
        self.assertGreater(jobs["job_digest"]["result"], 0, "no digest sent")
        self.assertTrue(jobs["job_milestone"]["result"], "milestone figures not recomputed")
        self.assertFalse(env["sales.control.digest"].search_count([]),
                         "the benchmark must roll back what the jobs wrote")
        table = bench.table()
        self.assertIn("read() of the figures", table)
        # the jobs' linearity table reads results of several sizes
        self.assertIn("deviation alerts", run.linearity_table([result, result]))
