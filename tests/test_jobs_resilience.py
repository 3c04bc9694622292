"""The control jobs survive being killed mid-batch and running twice at once.

1. Killed mid-batch: the scheduler commits after each batch (``_control_commit_batch``;
   outside tests). Here each batch "commit" is a savepoint; the job is then killed (a
   BaseException, which no ``except Exception`` in the job swallows) inside the next batch,
   and the transaction goes back to the last batch commit — exactly what a killed worker
   leaves in the database. The rerun sends the rest: every user gets exactly one digest and
   one e-mail, every alert exists once.
2. Two runs at once, on two real database connections (not the test cursor): the second
   worker's claim of a digest the first one holds waits for it, then sends nothing; the
   milestone-probability job's second run skips at once (advisory lock) instead of waiting
   or failing. Neither deadlocks (bounded waits). What these connections commit is deleted
   at the end.
"""

import threading
from datetime import date
from unittest.mock import patch

from control_common import DIGEST, ControlDigestCommon
from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api, sql_db


class KilledJob(BaseException):
    """What a killed worker looks like from inside the job: nothing catches it."""


def run_killed(test, model, job, step, batch_size, kill_at):
    """Run the job ``model.job()``, committing (savepoint) after each batch and dying when
    its ``step`` method is called for the ``kill_at``-th time; roll back to the last commit.
    Returns the first arguments ``step`` was called with, in order."""
    Step = type(test.env[model])
    original = getattr(Step, step)
    commits, calls = [], []

    def dying_step(self_, item, *args):
        calls.append(item)
        if len(calls) == kill_at:
            raise KilledJob
        return original(self_, item, *args)

    def commit(self_, done, remaining):
        commits.append(test.env.cr.savepoint(flush=True))

    # (not assertRaises: Odoo's wraps the block in a savepoint of its own, whose
    # rollback would take the batch commits with it)
    killed = False
    with patch.object(Step, step, dying_step), \
            patch.object(type(test.env[DIGEST]), "_control_commit_batch", commit):
        try:
            getattr(test.env[model].with_context(sales_control_batch_size=batch_size), job)()
        except KilledJob:
            killed = True
    test.assertTrue(killed)
    test.assertTrue(commits, "at least one batch was committed before the kill")
    commits[-1].rollback()  # the killed batch's work is lost, earlier batches kept
    test.env.invalidate_all()
    return calls


class TestJobKilledMidBatch(ControlDigestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-10 08:00:00"):
            cls.leads = {}
            for user in (cls.user_salesman, cls.user_salesman_2, cls.user_other_team,
                         cls.user_leader, cls.user_all_docs):
                team = cls.team_other if user == cls.user_other_team else cls.team
                cls.leads[user] = cls.env["crm.lead"].create({
                    "name": f"SM kill {user.name}", "type": "opportunity",
                    "user_id": user.id, "team_id": team.id,
                })

    def _run_killed_after(self, batch_size, kill_at):
        """The digest job, dying when the ``kill_at``-th digest is about to be sent."""
        return run_killed(self, DIGEST, "_send_overdue_digests", "_send_digest",
                          batch_size, kill_at)

    @freeze_time("2026-03-10 08:00:00")
    def test_digest_killed_then_rerun(self):
        for user, lead in self.leads.items():
            self._activity(lead, user, date(2026, 3, 9), f"Overdue call {user.name}")
        recipients = set(self.leads)
        calls = self._run_killed_after(batch_size=2, kill_at=4)
        sent_before_kill = set(calls[:2])  # the first batch, committed
        self.assertEqual(set(self.env[DIGEST].search([]).user_id), sent_before_kill)
        self.assertEqual(len(self._digest_mails()), 2)
        # the rerun (scheduler's next call) sends the rest, nothing twice
        rerun = self.env[DIGEST]._send_overdue_digests()
        self.assertEqual(set(rerun.user_id), recipients - sent_before_kill)
        mails = self._mails_by_user()
        self.assertEqual(set(mails), recipients)
        self.assertEqual(len(self._digest_mails()), len(recipients))
        # and a third run sends nothing
        self.assertFalse(self.env[DIGEST]._send_overdue_digests())
        self.assertEqual(len(self._digest_mails()), len(recipients))


class TestAlertKilledMidBatch(ControlDigestCommon):
    @freeze_time("2026-06-15 08:00:00")
    def test_alerts_killed_then_rerun(self):
        metric = self.env.ref("sales_management.sales_metric_revenue")
        plans = self.env["sales.plan"]
        for i in range(5):
            plan = self.env["sales.plan"].create({
                "name": f"SM behind {i}", "user_id": self.user_salesman.id,
                "team_id": self.team.id, "date_from": "2026-01-01", "date_to": "2026-12-31",
                "target_ids": [Command.create({"metric_id": metric.id,
                                               "target_value": 100000.0 + i})],
            })
            plans |= plan
        plans._workflow_write({"state": "approved"})
        # dies when evaluating the third target, in the second batch
        run_killed(self, "sales.control.alert", "_run_deviation_alerts", "_evaluate_target",
                   batch_size=2, kill_at=3)
        targets = plans.target_ids
        first = self.env["sales.control.alert"].search([("target_id", "in", targets.ids)])
        self.assertEqual(len(first), 2, "the first batch (2 targets) was committed")
        self.env["sales.control.alert"]._run_deviation_alerts()
        alerts = self.env["sales.control.alert"].search([("target_id", "in", targets.ids)])
        self.assertEqual(set(alerts.target_id), set(targets), "no target lost")
        self.assertEqual(len(alerts), len(targets), "one alert per target, none twice")
        self.assertEqual(len(alerts.activity_id), len(targets), "one activity each")
        self.env["sales.control.alert"]._run_deviation_alerts()
        self.assertEqual(
            self.env["sales.control.alert"].search_count([("target_id", "in", targets.ids)]),
            len(targets),
        )


class TestJobsTwoConnections(ControlDigestCommon):
    """Real concurrency: two connections of their own, committed data, cleaned up."""

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def test_two_workers_claim_the_same_digest(self):
        db = sql_db.db_connect(self.env.cr.dbname)
        day = date(2999, 12, 31)
        with db.cursor() as cr1, db.cursor() as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)
            admin = env1.ref("base.user_admin")
            company = env1.ref("base.main_company")
            try:
                first = env1[DIGEST]._claim_digest(admin, company, day)
                self.assertTrue(first)
                claimed = self._second_worker_waits(cr1, lambda: env2[DIGEST]._claim_digest(
                    env2.ref("base.user_admin"), env2.ref("base.main_company"), day))
                self.assertIsNone(claimed, "and claims nothing: sent once")
                cr2.commit()
                cr1.execute("SELECT count(*) FROM sales_control_digest WHERE user_id = %s "
                            "AND date = %s", [admin.id, day])
                self.assertEqual(cr1.fetchone()[0], 1)
            finally:
                cr2.rollback()
                cr1.rollback()
                cr1.execute("DELETE FROM sales_control_digest WHERE date = %s", [day])
                cr1.commit()

    def _second_worker_waits(self, cr1, claim_second):
        """Run ``claim_second`` in a thread (the second worker): it must wait for the
        first worker's row until ``cr1`` commits, then return; returns what it claimed."""
        result = {}

        def second_worker():
            result["claimed"] = claim_second()

        worker = threading.Thread(target=second_worker)
        worker.start()
        worker.join(timeout=1)
        self.assertTrue(worker.is_alive(), "the second claim waits for the first")
        cr1.commit()  # the first worker's batch commit
        worker.join(timeout=30)
        self.assertFalse(worker.is_alive(), "no deadlock: the second one returns")
        return result["claimed"]

    def test_two_workers_claim_the_same_escalation(self):
        db = sql_db.db_connect(self.env.cr.dbname)
        day = date(2999, 12, 31)
        with db.cursor() as cr1, db.cursor() as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)

            def rows(env):
                return [{
                    "item_model": "sm.test.item", "item_id": item_id, "level": level,
                    "user_id": env.ref("base.user_admin").id, "date": day,
                    "res_model": "res.partner", "res_id": 1, "name": "SM concurrent",
                    "days_overdue": 9,
                } for item_id in (1, 2) for level in ("team_leader", "manager")]

            try:
                first = env1["sales.control.escalation"]._claim(rows(env1))
                self.assertEqual(len(first), 4)
                claimed = self._second_worker_waits(
                    cr1, lambda: env2["sales.control.escalation"]._claim(rows(env2)).ids)
                self.assertFalse(claimed, "and claims nothing: announced once")
                cr2.commit()
                cr1.execute("SELECT count(*) FROM sales_control_escalation "
                            "WHERE item_model = 'sm.test.item'")
                self.assertEqual(cr1.fetchone()[0], 4, "one row per item and level")
            finally:
                cr2.rollback()
                cr1.rollback()
                cr1.execute("DELETE FROM sales_control_escalation "
                            "WHERE item_model = 'sm.test.item'")
                cr1.commit()

    def test_two_workers_claim_the_same_alert(self):
        db = sql_db.db_connect(self.env.cr.dbname)
        day = date(2999, 12, 31)
        with db.cursor() as cr1, db.cursor() as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)
            metric = env1.ref("sales_management.sales_metric_revenue")
            plan = env1["sales.plan"].with_context(
                tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True,
            ).create({
                "name": "SM concurrent alert", "date_from": "2999-01-01",
                "date_to": "2999-12-31",
                "target_ids": [Command.create({"metric_id": metric.id,
                                               "target_value": 1000.0})],
            })
            cr1.commit()  # visible to the second connection
            try:
                target1 = plan.target_ids
                target2 = env2["sales.plan.target"].browse(target1.id)
                self.assertTrue(env1["sales.control.alert"]._claim(target1, "at_risk", day))
                claimed = self._second_worker_waits(
                    cr1, lambda: env2["sales.control.alert"]._claim(target2, "at_risk", day).ids)
                self.assertFalse(claimed, "and claims nothing: announced once")
                cr2.commit()
                cr1.execute("SELECT count(*) FROM sales_control_alert WHERE target_id = %s",
                            [target1.id])
                self.assertEqual(cr1.fetchone()[0], 1)
            finally:
                cr2.rollback()
                cr1.rollback()
                cr1.execute("DELETE FROM sales_control_alert WHERE plan_id = %s", [plan.id])
                cr1.execute("DELETE FROM sales_plan WHERE id = %s", [plan.id])
                cr1.execute("DELETE FROM mail_message WHERE model = 'sales.plan' "
                            "AND res_id = %s", [plan.id])
                cr1.execute("DELETE FROM mail_followers WHERE res_model = 'sales.plan' "
                            "AND res_id = %s", [plan.id])
                cr1.commit()

    def test_two_probability_jobs_at_once(self):
        db = sql_db.db_connect(self.env.cr.dbname)
        Milestone = type(self.env["sales.milestone"])
        with db.cursor() as cr1, db.cursor() as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)
            try:
                env1["sales.milestone"]._cron_compute_probabilities()
                # the first run holds the job's lock until it commits: a second worker
                # skips at once, without computing (no wait on rows, no serialization error)
                with patch.object(Milestone, "_compute_statistics", autospec=True) as compute:
                    self.assertIs(env2["sales.milestone"]._cron_compute_probabilities(), False)
                    self.assertFalse(compute.called)
                    cr2.rollback()
                    cr1.rollback()  # the first run ends
                    env2["sales.milestone"]._cron_compute_probabilities()
                    self.assertEqual(compute.call_count, 1, "the lock is free again")
            finally:
                cr2.rollback()
                cr1.rollback()

    def test_probability_job_after_a_concurrent_run_committed(self):
        """The second worker's transaction began before the first one's run committed (its
        snapshot is older): it takes the free lock, sees that the fingerprint changed
        under it and skips without an error, instead of failing to serialize."""
        db = sql_db.db_connect(self.env.cr.dbname)
        key = "sales_management.milestone_stats_fingerprint"
        with db.cursor() as cr1, db.cursor() as cr2:
            env1, env2 = self._env(cr1), self._env(cr2)
            cr1.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [key])
            saved = cr1.fetchone()
            try:
                env1["ir.config_parameter"].set_param(key, "before")
                cr1.commit()
                cr2.execute("SELECT 1")  # the second worker's snapshot is taken here
                self.assertTrue(env1["sales.milestone"]._cron_compute_probabilities())
                cr1.commit()  # the first run ends
                self.assertIs(env2["sales.milestone"]._cron_compute_probabilities(), False)
                cr2.commit()
                self.assertNotEqual(env1["ir.config_parameter"].get_param(key), "before")
            finally:
                cr2.rollback()
                cr1.rollback()
                if saved:
                    cr1.execute("UPDATE ir_config_parameter SET value = %s WHERE key = %s",
                                [saved[0], key])
                else:
                    cr1.execute("DELETE FROM ir_config_parameter WHERE key = %s", [key])
                cr1.commit()
