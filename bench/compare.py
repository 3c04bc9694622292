#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Before/after in one command: the benchmark (``run.py``, this checkout's) run with the
addon code of an older git ref, then with the current code, against the SAME database,
and one table with before, after and their floors side by side.

    python3 bench/compare.py -d DB --ref REF [--repeat N] [--parts ...] [--json out.json]

The "before" addon is ``git archive REF sales_management`` extracted into a temporary
directory, put first on the addons path of a subprocess running ``run.py``
(``--addons-first``); the "after" is a subprocess with the repository's own addon. Each
run measures its own floors (interleaved with its figures), so each ratio is immune to
the machine's phase; the two runs follow each other (``--rounds 2``: before, after, then
after, before, and the medians of the two).

Only the Python code comes from REF: the database stays as the current code left it
(views and QWeb templates included, as ``-u`` last wrote them), and no module is upgraded.
A REF whose models need other columns than the database has cannot be compared this way.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from run import fmt_goal, fmt_value  # noqa: E402


def extract(ref, directory):
    """``sales_management`` of ``ref`` in ``directory``; returns the commit."""
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", f"{ref}^{{commit}}"],
                            capture_output=True, text=True, check=True).stdout.strip()
    archive = subprocess.Popen(["git", "-C", REPO, "archive", "--format=tar", commit,
                                "sales_management"], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", directory], stdin=archive.stdout, check=True)
    if archive.wait():
        raise SystemExit(f"git archive {ref} failed")
    return commit


def run_bench(args, out, addons_first=None, ref=""):
    parts = args.parts
    if addons_first:
        # the PDF renders the database's QWeb templates, which are the current code's:
        # an older ref's report data does not fit them (measure the PDF with run.py)
        parts = ",".join(part for part in parts.split(",") if part != "pdf")
    command = [sys.executable, os.path.join(HERE, "run.py"), "-d", args.database,
               "--repeat", str(args.repeat), "--parts", parts, "--json", out]
    if args.no_trace:
        command.append("--no-trace")
    if addons_first:
        command += ["--addons-first", addons_first]
    env = dict(os.environ, SM_BENCH_REF=ref)
    print(f"$ {' '.join(command)}", flush=True)
    done = subprocess.run(command, env=env, check=False)
    if not os.path.exists(out):
        raise SystemExit(f"run.py failed ({done.returncode}) for {ref or 'the current code'}")
    with open(out, encoding="utf-8") as handle:
        result = json.load(handle)
    result["returncode"] = done.returncode
    return result


def merge(results):
    """The median of several results of the same code: each row's value and baseline."""
    if len(results) == 1:
        return results[0]
    merged = dict(results[0])
    rows = []
    for row in results[0]["rows"]:
        same = [r for result in results for r in result["rows"] if r["key"] == row["key"]]
        row = dict(row)
        row["value"] = statistics.median(r["value"] for r in same)
        if row["baseline"] is not None:
            row["baseline"] = statistics.median(r["baseline"] for r in same)
            row["ratio"] = row["value"] / row["baseline"] if row["baseline"] else None
            if row.get("ok") is not None and row["ratio"] is not None:
                row["ok"] = row["ratio"] <= row["goal"]
        rows.append(row)
    merged["rows"] = rows
    merged["checks"] = [c for result in results for c in result["checks"]]
    return merged


def render(before, after):
    def ratio(row):
        return f"{row['ratio']:.2f}×" if row and row.get("ratio") is not None else ""

    def cell(row, key):
        return fmt_value(row[key], row["unit"]) if row else "—"

    code_b, code_a = before.get("code", {}), after.get("code", {})
    lines = [f"data: {after['data']}",
             f"before: {code_b.get('commit')} ({code_b.get('path')}); "
             f"after: {code_a.get('commit')} ({code_a.get('path')})", "",
             "| figure | before | its floor | ratio | after | its floor | ratio | "
             "goal (after) |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    rows_b = {r["key"]: r for r in before["rows"]}
    for row in after["rows"]:
        old = rows_b.get(row["key"])
        lines.append(f"| {row['label']} | {cell(old, 'value')} | {cell(old, 'baseline')} | "
                     f"{ratio(old)} | {cell(row, 'value')} | {cell(row, 'baseline')} | "
                     f"{ratio(row)} | {fmt_goal(row)} |")
    for result, name in ((before, "before"), (after, "after")):
        failed = [c for c in result["checks"] if not c["ok"]]
        lines.append(f"\ncorrectness checks ({name}): "
                     f"{len(result['checks']) - len(failed)}/{len(result['checks'])} OK"
                     + "".join(f"\n  FAILED {c['check']}: {c['detail']}" for c in failed))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--ref", required=True, help="git ref of the 'before' code")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--parts", default="figures,pivot,dashboard,pdf",
                        help="run.py parts (default: figures,pivot,dashboard,pdf; add "
                             "jobs for the jobs, which take minutes at M and L)")
    parser.add_argument("--no-trace", action="store_true")
    parser.add_argument("--rounds", type=int, default=1,
                        help="2: before, after, after, before (medians of the two)")
    parser.add_argument("--json", help="write {'before': ..., 'after': ...} to this file")
    parser.add_argument("--table", metavar="JSON", help="only print the table of --json")
    args = parser.parse_args(argv)
    if args.table:
        with open(args.table, encoding="utf-8") as handle:
            saved = json.load(handle)
        print(render(saved["before"], saved["after"]))
        return 0
    with tempfile.TemporaryDirectory(prefix="sm_bench_ref_") as tmp:
        addons = os.path.join(tmp, "addons")
        os.mkdir(addons)
        commit = extract(args.ref, addons)
        results = {"before": [], "after": []}
        order = []
        for i in range(max(args.rounds, 1)):
            order += [("before", "after")] if i % 2 == 0 else [("after", "before")]
        for n, pair in enumerate(order):
            for which in pair:
                out = os.path.join(tmp, f"{which}{n}.json")
                if which == "before":
                    results[which].append(run_bench(args, out, addons, commit))
                else:
                    results[which].append(run_bench(args, out))
    before, after = merge(results["before"]), merge(results["after"])
    print()
    print(render(before, after))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"before": before, "after": after}, handle, indent=1, default=str)
    return 0 if all(c["ok"] for c in after["checks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
