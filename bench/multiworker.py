#!/usr/bin/env python3
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two runs of each control job at once, with the server in multi-worker mode.

    python3 bench/multiworker.py -d DB [--port 8269] [--timeout 1800]

``DB`` holds data of ``bench/generate.py``; the jobs' results are COMMITTED (digests, e-mails,
escalations, alerts, activities, probabilities): run it on a database made for it.

1. Starts the server with ``--workers=2 --max-cron-threads=1`` (two HTTP workers and one
   cron worker, separate processes), makes the overdue digest, deviation alerts and
   milestone probability crons due and wakes the cron worker (``ir.cron._trigger``).
2. At the same moment this process runs the same three jobs, each in a thread with its own
   database connection, the way the scheduler does (a progress record in the context, so
   the jobs commit per batch) — two runs of each job at once.
3. Waits until the server's cron worker has run the three jobs, stops the server and
   checks: one digest per user and day, one e-mail per digest, every owner of an overdue
   opportunity activity has a digest, one chatter note per escalation, one alert per
   target and level with one activity and one plan message each, and the stored milestone
   probabilities equal to their formula. Exits 1 when a check fails.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time

from odoo import SUPERUSER_ID, api

CRONS = (
    "sales_management.ir_cron_sales_control_digest",
    "sales_management.ir_cron_sales_control_deviation",
    "sales_management.ir_cron_sales_milestone_probabilities",
)

CHECKS = {
    "digests: at most one per user and day": """
        SELECT count(*) FROM (SELECT 1 FROM sales_control_digest
                               GROUP BY user_id, date HAVING count(*) > 1) d""",
    "digests: exactly one e-mail each": """
        SELECT count(*) FROM (
            SELECT d.id FROM sales_control_digest d
       LEFT JOIN mail_message m ON m.model = 'sales.control.digest' AND m.res_id = d.id
        GROUP BY d.id HAVING count(m.id) != 1) d""",
    "digests: every owner of an overdue opportunity activity has one (nothing lost)": """
        SELECT count(*) FROM (SELECT DISTINCT user_id FROM mail_activity
                               WHERE res_model = 'crm.lead' AND user_id IS NOT NULL
                                 AND date_deadline < (now() AT TIME ZONE 'UTC')::date) o
         WHERE NOT EXISTS (SELECT 1 FROM sales_control_digest d WHERE d.user_id = o.user_id)""",
    "escalations: one chatter note each (none twice)": """
        SELECT abs((SELECT count(*) FROM sales_control_escalation)
                   - (SELECT count(*) FROM mail_message
                       WHERE model = 'crm.lead' AND body LIKE '%%escalated to%%'))""",
    "alerts: one activity each": """
        SELECT abs((SELECT count(*) FROM sales_control_alert WHERE activity_id IS NOT NULL)
                   - (SELECT count(*) FROM mail_activity a
                        JOIN mail_activity_type t ON t.id = a.activity_type_id
                       WHERE a.res_model = 'sales.plan' AND t.id = (
                             SELECT res_id FROM ir_model_data
                              WHERE module = 'sales_management'
                                AND name = 'mail_activity_type_corrective_action')))""",
    "alerts: one plan message each": """
        SELECT abs((SELECT count(*) FROM sales_control_alert)
                   - (SELECT count(*) FROM mail_message
                       WHERE model = 'sales.plan' AND message_type = 'notification'
                         AND body LIKE '%%Expected to date%%'))""",
    "milestone probabilities: stored = formula": """
        SELECT count(*) FROM crm_lead l
          JOIN sales_milestone m ON m.id = l.milestone_id
     LEFT JOIN sales_milestone_stat s
            ON s.milestone_id = l.milestone_id AND s.team_id = l.team_id
         WHERE l.milestone_probability IS DISTINCT FROM
               (CASE WHEN s.id IS NOT NULL THEN COALESCE(s.probability, 0)
                     ELSE COALESCE(m.probability, 0) END)""",
}


def run_job(registry, xmlid, results):
    """One job run the way the scheduler runs it, on a connection of its own."""
    started = time.time()
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cron = env.ref(xmlid)
            cron, _progress = cron.with_user(cron.user_id)._add_progress()
            cr.commit()
            cron.ir_actions_server_id.run()
            cr.commit()
        results[xmlid] = f"done in {time.time() - started:.1f} s"
    except Exception as error:
        results[xmlid] = f"failed: {error!r}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--port", type=int, default=8269)
    parser.add_argument("--timeout", type=int, default=1800)
    args = parser.parse_args(argv)
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    from generate import odoo_env

    from odoo.tools import config

    registry = odoo_env(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        crons = [env.ref(xmlid) for xmlid in CRONS]
        cr.execute("SELECT now() AT TIME ZONE 'UTC'")
        start = cr.fetchone()[0]
    log = f"/tmp/multiworker_{args.database}.log"
    # only the three jobs are due in the cron worker (not the standard crons of a new db)
    with registry.cursor() as cr:
        cr.execute("UPDATE ir_cron SET nextcall = now() AT TIME ZONE 'UTC' + interval '1 day'"
                   " WHERE nextcall < now() AT TIME ZONE 'UTC' + interval '1 hour'")
    # odoo-bin rather than ``-m odoo``: the server re-executes its own command line (e.g.
    # the gevent process), which a ``__main__.py`` cannot be as a script
    import odoo

    odoo_bin = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(
        odoo.__file__))), "odoo-bin")
    launcher = [odoo_bin] if os.path.exists(odoo_bin) else ["-m", "odoo"]
    command = [
        sys.executable, *launcher, "-d", args.database, f"--db-filter=^{args.database}$",
        "--addons-path", config["addons_path"], "--db_host", config["db_host"] or "127.0.0.1",
        "--db_port", str(config["db_port"] or 5432), "--workers=2", "--max-cron-threads=1",
        "--http-interface=127.0.0.1", f"--http-port={args.port}", f"--logfile={log}",
        "--limit-time-real=3600", "--limit-time-cpu=3600", "--limit-time-real-cron=3600",
    ]
    if config["db_user"]:
        command += ["--db_user", config["db_user"]]
    print(f"server: {' '.join(command)}", flush=True)
    # (its stderr aside: without gevent's dependencies the websocket process of a
    # multi-worker server keeps failing to start, which does not concern the jobs)
    stderr = open(log + ".stderr", "w", encoding="utf-8")
    server = subprocess.Popen(command, start_new_session=True, stderr=stderr)
    try:
        time.sleep(15)  # the workers are up (the cron worker polls its databases)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for cron in env["ir.cron"].browse([c.id for c in crons]):
                cron.write({"active": True, "nextcall": start})
                cron._trigger()  # NOTIFY: the cron worker wakes up now
        # ... and this process runs the same jobs at the same moment
        results = {}
        threads = [threading.Thread(target=run_job, args=(registry, xmlid, results))
                   for xmlid in CRONS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"this process: {results}", flush=True)
        deadline = time.time() + args.timeout
        while time.time() < deadline:
            with registry.cursor() as cr:
                cr.execute("SELECT count(*) FROM ir_cron WHERE id = ANY(%s) AND lastcall >= %s",
                           [[c.id for c in crons], start])
                if cr.fetchone()[0] == len(crons):
                    break
            time.sleep(5)
        else:
            print("the server's cron worker did not run the three jobs in time")
            return 1
        print(f"server's cron worker: the three jobs ran (log: {log})", flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        stderr.close()
    failed = 0
    with registry.cursor() as cr:
        cr.execute("SELECT count(*) FROM sales_control_digest")
        digests = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM sales_control_escalation")
        escalations = cr.fetchone()[0]
        cr.execute("SELECT count(*) FROM sales_control_alert")
        alerts = cr.fetchone()[0]
        print(f"{digests} digests, {escalations} escalations, {alerts} alerts")
        for name, query in CHECKS.items():
            cr.execute(query)
            bad = cr.fetchone()[0]
            failed += bool(bad)
            print(f"{'OK ' if not bad else 'FAILED'} {name}" + (f" ({bad} wrong)" if bad else ""))
        if not (digests and escalations and alerts):
            print("FAILED nothing to check: no digest, escalation or alert")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
