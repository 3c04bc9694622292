"""Values that poison the figures, and jobs that must neither stop nor repeat (issue 16, 5).

1. Structured values are checked on the way in, through the ORM as each role and over
   JSON-RPC with a real session: a target's seasonality, the addon's company settings, the
   dashboard's parameters and the report options. Each hostile value ends in a clean
   ``odoo.exceptions`` error and the database is unchanged.
2. A bad seasonality stored before the guard existed (written here in SQL) does not crash
   the plan list, the dashboard, the PDF nor the deviation job: the figures spread the
   target evenly and the target form shows a warning.
3. Jobs isolate a failing record: the other salesperson of the batch still gets their
   alert, the failure is recorded (``sales.job.failure``, and a note on the plan).
4. The monthly management report run twice in a month mails each recipient once.
"""

import math
from unittest.mock import patch

from common import JsonRpcMixin, SalesManagementCommon

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase
from odoo.tools import mute_logger

CLEAN_ERRORS = {
    "odoo.exceptions.UserError", "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError", "odoo.exceptions.MissingError",
}
NAN, INF = float("nan"), float("inf")
# hostile seasonalities of a target of 2026 (each must be refused)
BAD_SEASONALITIES = [
    "abc", "[1, 2]", [1, 2], 42, True, {"2026-01": 1e308}, {"2026-01": NAN},
    {"2026-01": INF}, {"2026-01": -1.0}, {"2026-01": "1"}, {"2026-01": True},
    {"2026-01": None}, {"2026-13": 1.0}, {"26-01": 1.0}, {"x": 1.0}, {"0001-01": 1.0},
    {"2026-01": 0.0, "2026-02": 0}, {"2025-12": 1.0}, {"2027-01": 1.0},
    {f"2026-{m:02d}-x": 1.0 for m in range(1, 3)},
    {"2026-01": {"nested": 1}}, {"2026-01": [1]},
]
# (setting, hostile values) of the company settings
BAD_SETTINGS = {
    "sales_plan_on_track_pace": [NAN, INF, -INF, "abc", 1e308, 101.0, [1]],
    "sales_plan_at_risk_pace": [NAN, "abc", -1.0, 0.0],
    "milestone_window_months": ["abc", -1, 0, 10**6, 1.5e300],
    "milestone_min_closed": ["abc", -1, 10**9],
    "milestone_stalled_factor": [NAN, INF, "abc", 0.0, 1e9],
    "sales_control_escalation_leader_days": ["abc", -1, 10**6],
    "sales_control_escalation_manager_days": [NAN, "x", 10**6],
    "sales_report_period": ["century", 1, ["month"]],
    "sales_control_manager_id": ["abc", -1, [1]],
}
BAD_DASHBOARD_ARGS = [
    ("year", "0001-01-01", None), ("year", "abc", None), ("year", "9999-12-31", None),
    ("year", ["2026-01-01"], None), ("year", {"y": 1}, None), ("year", 20260101, None),
    ("century", None, None), (["year"], None, None), ({"p": 1}, None, None),
    ("year", None, "abc"), ("year", None, [-1]), ("year", None, [1.5]),
    ("year", None, ["1"]), ("year", None, [2**40]), ("year", None, {"1": 1}),
]
BAD_REPORT_OPTIONS = [
    [1], "abc", {"period": "century"}, {"date_ref": "abc"}, {"date_ref": "0001-01-01"},
    {"period": ["year"]},
]


class IntegrityCommon(SalesManagementCommon):
    freeze_time = "2026-03-11 10:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.revenue = cls.env.ref("sales_management.sales_metric_revenue")
        cls.company.sales_control_manager_id = cls.user_manager
        cls.plan_sam = cls._plan("SM integrity Sam", cls.user_salesman)
        cls.plan_sara = cls._plan("SM integrity Sara", cls.user_salesman_2)
        cls.target_sam = cls.plan_sam.target_ids
        cls.target_sara = cls.plan_sara.target_ids

    @classmethod
    def _plan(cls, name, user):
        return cls.env["sales.plan"].create({
            "name": name, "user_id": user.id, "team_id": cls.team.id,
            "date_from": "2026-01-01", "date_to": "2026-12-31",
            "target_ids": [Command.create({"metric_id": cls.revenue.id,
                                           "target_value": 120000.0})],
        })

    def _store_raw_seasonality(self, target, raw_json):
        """Legacy data: a value the guard refuses, written around it."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sales_plan_target SET seasonality = %s::jsonb WHERE id = %s",
            [raw_json, target.id],
        )
        self.env.invalidate_all()


class TestStructuredValuesOrm(IntegrityCommon):
    def test_seasonality_refused_for_each_role(self):
        # the salesperson may not edit targets at all (an AccessError, or the
        # ValidationError of the guard when it comes first): a clean error either way
        for role, user, error in (("manager", self.user_manager, ValidationError),
                                  ("leader", self.user_leader, ValidationError),
                                  ("salesman", self.user_salesman, UserError)):
            target = self.target_sam.with_user(user)
            for value in BAD_SEASONALITIES:
                with self.subTest(role=role, value=repr(value)[:40]):
                    with self.assertRaises(error):
                        target.write({"seasonality": value})
                    self.env.invalidate_all()
                    self.assertFalse(self.target_sam.seasonality)
                    with self.assertRaises(error):
                        self.env["sales.plan.target"].with_user(user).create({
                            "plan_id": self.plan_sam.id, "metric_id": self.revenue.id,
                            "target_value": 1.0, "seasonality": value,
                        })
            self.assertEqual(len(self.plan_sam.target_ids), 1, "nothing created")

    def test_seasonality_normalized_and_kept_in_period(self):
        target = self.target_sam.with_user(self.user_manager)
        target.write({"seasonality": '{"2026-02": 2, "2026-01": 1}'})
        self.assertEqual(target.seasonality, {"2026-01": 1.0, "2026-02": 2.0})
        self.assertFalse(target.seasonality_warning)
        # months are in the period: moving the period away from them is refused
        with self.assertRaises(ValidationError):
            target.write({"date_from": "2026-03-01"})
        target.write({"seasonality": False, "date_from": "2026-03-01"})
        self.assertFalse(target.seasonality)

    def test_company_settings_refused(self):
        company = self.company
        for name, values in BAD_SETTINGS.items():
            before = company.read([name])[0][name]
            for value in values:
                with self.subTest(field=name, value=repr(value)[:30]):
                    with self.assertRaises(ValidationError):
                        company.write({name: value})
                    company.invalidate_recordset()
                    self.assertEqual(company.read([name])[0][name], before)
                    with self.assertRaises(ValidationError):
                        self.env["res.config.settings"].create({name: value}).execute()
                    company.invalidate_recordset()
                    self.assertEqual(company.read([name])[0][name], before)
        # a sales manager is not an administrator: the settings are not theirs at all
        with self.assertRaises(AccessError):
            company.with_user(self.user_manager).write({"milestone_stalled_factor": 3.0})

    def test_company_settings_good_values_pass(self):
        self.env["res.config.settings"].create({
            "sales_plan_on_track_pace": 95.0, "sales_plan_at_risk_pace": "80",
            "milestone_stalled_factor": 2.5,
        }).execute()
        self.assertEqual(self.company.sales_plan_at_risk_pace, 80.0)
        self.assertEqual(self.company.milestone_stalled_factor, 2.5)

    def test_dashboard_and_report_parameters_refused(self):
        for user in (self.user_salesman, self.user_leader, self.user_manager):
            Dashboard = self.env["sales.management.dashboard"].with_user(user)
            for period, date_ref, user_ids in BAD_DASHBOARD_ARGS:
                with self.subTest(user=user.login, args=(period, date_ref, user_ids)):
                    with self.assertRaises(UserError):
                        Dashboard.get_dashboard_data(period, date_ref, user_ids)
            for kind, period in ((["summary"], "year"), ({"k": 1}, "year"),
                                 ("summary", ["year"]), ("nope", "year")):
                with self.assertRaises(UserError):
                    Dashboard.action_print(kind, period)
        Summary = self.env["report.sales_management.report_executive_summary"]
        Card = self.env["report.sales_management.report_salesperson_scorecard"] \
            .with_user(self.user_salesman)
        for data in BAD_REPORT_OPTIONS:
            with self.subTest(data=data), self.assertRaises(UserError):
                Summary._get_report_values(self.company.ids, data=data)
            with self.subTest(data=data), self.assertRaises(UserError):
                Card._get_report_values(self.user_salesman.ids, data=data)
        # good ones still work
        data = self.env["sales.management.dashboard"].with_user(self.user_salesman) \
            .get_dashboard_data("month", "2026-02-15", [self.user_salesman.id])
        self.assertEqual(data["period"]["date_from"], "2026-02-01")


class TestLegacyBadSeasonality(IntegrityCommon):
    LEGACY = ['"abc"', "[1, 2]", '{"2026-01": 1e308, "2026-02": 1e308}',
              '{"2026-01": -5}', '{"nope": 1}', '{"2026-01": 0}']

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.plan_sam | cls.plan_sara).action_approve()

    def test_readers_fall_back_to_an_even_spread(self):
        flat = self.target_sara.expected_to_date  # no seasonality: an even spread
        self.assertGreater(flat, 0.0)
        for raw in self.LEGACY:
            with self.subTest(raw=raw):
                self._store_raw_seasonality(self.target_sam, raw)
                target = self.target_sam.with_user(self.user_manager)
                self.assertTrue(target.seasonality_warning)
                self.assertAlmostEqual(target.expected_to_date, flat)
                self.assertTrue(math.isfinite(target.pace))
                # the plan list, as the web client reads it
                rows = self.env["sales.plan"].with_user(self.user_manager).search_read(
                    [("id", "in", (self.plan_sam | self.plan_sara).ids)],
                    ["name", "target_value", "actual_value", "expected_to_date", "pace",
                     "health"],
                )
                self.assertEqual(len(rows), 2)
                self.assertTrue(all(math.isfinite(row["expected_to_date"]) for row in rows))
                # the dashboard of the salesperson and of the manager
                for user in (self.user_salesman, self.user_manager):
                    data = self.env["sales.management.dashboard"].with_user(user) \
                        .get_dashboard_data("year")
                    self.assertTrue(data["plans"])
                # the PDF (HTML in test mode: the same values and templates)
                html, _kind = self.env["ir.actions.report"].with_user(self.user_manager) \
                    ._render_qweb_pdf("sales_management.action_report_plan_performance",
                                      self.plan_sam.ids)
                self.assertIn(b"SM integrity Sam", html)
                # the copy to the next period drops the unreadable value
                self.assertFalse(self.target_sam._shift_seasonality(
                    self.target_sam.date_to - self.target_sam.date_from))

    def test_deviation_job_alerts_the_rest_of_the_batch(self):
        self._store_raw_seasonality(self.target_sam, '"abc"')
        alerts = self.env["sales.control.alert"]._run_deviation_alerts()
        self.assertEqual(alerts.target_id, self.target_sam | self.target_sara,
                         "both off track, the legacy value read as an even spread")
        self.assertFalse(self.env["sales.job.failure"].search([]))

    def test_failing_target_is_isolated_and_recorded(self):
        Target = type(self.env["sales.plan.target"])
        original = Target._get_figures
        bad_id = self.target_sam.id

        def get_figures(self_):
            if bad_id in self_.ids:
                raise ValueError("poisoned figures")
            return original(self_)

        with patch.object(Target, "_get_figures", get_figures), \
                mute_logger("odoo.addons.sales_management.models.sales_job_failure"):
            alerts = self.env["sales.control.alert"]._run_deviation_alerts()
        self.assertEqual(alerts.target_id, self.target_sara, "Sara is still alerted")
        failure = self.env["sales.job.failure"].search([])
        self.assertEqual(len(failure), 1)
        self.assertEqual((failure.job, failure.res_model, failure.res_id, failure.plan_id),
                         ("deviation_alerts", "sales.plan.target", bad_id, self.plan_sam))
        self.assertIn("poisoned figures", failure.message)
        self.assertIn("poisoned figures", self.plan_sam.message_ids[:1].body)
        self.assertTrue(failure.with_user(self.user_manager).read(["message"]))
        # the scheduled action says it failed (ERROR line), it does not raise
        with patch.object(Target, "_get_figures", get_figures), \
                self.assertLogs("odoo.addons.sales_management.models.sales_job_failure",
                                level="ERROR") as logs:
            self.env["sales.control.alert"]._cron_deviation_alerts()
        self.assertIn("FAILED", logs.output[-1])

    def test_failing_evaluation_is_isolated(self):
        Alert = type(self.env["sales.control.alert"])
        original = Alert._evaluate_target

        def evaluate(self_, target, figures, today):
            if target == self.target_sam:
                raise ZeroDivisionError("bad target")
            return original(self_, target, figures, today)

        with patch.object(Alert, "_evaluate_target", evaluate), \
                mute_logger("odoo.addons.sales_management.models.sales_job_failure"):
            alerts = self.env["sales.control.alert"]._run_deviation_alerts()
        self.assertEqual(alerts.target_id, self.target_sara)
        self.assertEqual(self.env["sales.job.failure"].search([]).res_id, self.target_sam.id)


class TestMonthlyReportOnce(IntegrityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.recipients = cls.env["res.partner"].create([
            {"name": "SM Board A", "email": "a@example.com"},
            {"name": "SM Board B", "email": "b@example.com"},
        ])
        cls.company.sales_report_recipient_ids = [Command.set(cls.recipients.ids)]
        cls.company_b = cls.env["res.company"].create({"name": "SM Integrity B"})
        cls.company_b.sales_report_recipient_ids = [Command.set(cls.recipients[:1].ids)]

    def _report_mails(self):
        return self.env["mail.mail"].search([("subject", "ilike", "Executive Sales Summary")])

    def test_run_twice_mails_once_per_recipient(self):
        Company = self.env["res.company"]
        first = Company._cron_send_sales_management_report()
        self.assertEqual(len(first), 2, "one mail per company")
        Company._cron_send_sales_management_report()
        mails = self._report_mails()
        self.assertEqual(len(mails), 2, "the rerun sends nothing")
        for partner, expected in ((self.recipients[0], 2), (self.recipients[1], 1)):
            self.assertEqual(
                len(mails.filtered(lambda m, p=partner: p in m.recipient_ids)), expected)
        mine = mails.filtered(lambda m: self.company.name in m.subject)
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine.recipient_ids, self.recipients, "each recipient once")
        ledger = self.env["sales.report.dispatch"].search(
            [("company_id", "=", self.company.id)])
        self.assertEqual((len(ledger), str(ledger.date_ref)), (1, "2026-02-28"))
        self.assertEqual(ledger.mail_id, mine)

    def test_a_failing_company_does_not_stop_the_others(self):
        Company = type(self.env["res.company"])
        original = Company._send_sales_management_report
        company_b = self.company_b

        def send(self_, date_ref=None):
            if self_ == company_b:
                raise RuntimeError("renderer down")
            return original(self_, date_ref)

        with patch.object(Company, "_send_sales_management_report", send), \
                mute_logger("odoo.addons.sales_management.models.sales_job_failure"):
            sent = self.env["res.company"]._cron_send_sales_management_report()
        self.assertEqual(len(sent), 1)
        failure = self.env["sales.job.failure"].search([("job", "=", "management_report")])
        self.assertEqual((failure.res_model, failure.res_id), ("res.company", company_b.id))
        # the failed company has no ledger row: the next run sends its report
        self.assertFalse(self.env["sales.report.dispatch"].search(
            [("company_id", "=", company_b.id)]))
        sent = self.env["res.company"]._cron_send_sales_management_report()
        self.assertEqual(sent.mapped("subject")[0].split(":")[0], company_b.name)


class TestStructuredValuesRpc(JsonRpcMixin, IntegrityCommon, HttpCase):
    """The same hostile values over JSON-RPC with a real session."""


    def _assert_clean_error(self, reply, where):
        self.assertIn("error", reply, f"{where}: accepted")
        name = reply["error"]["data"]["name"]
        self.assertIn(name, CLEAN_ERRORS, f"{where}: {name}: "
                      f"{reply['error']['data']['message'][:200]}")

    def test_rpc_hostile_structured_values(self):
        for login in ("sm_manager", "sm_salesman"):
            self.authenticate(login, login)
            for value in BAD_SEASONALITIES:
                if isinstance(value, dict) and any(
                        isinstance(v, float) and not math.isfinite(v) for v in value.values()):
                    continue  # JSON has no NaN/Infinity: sent as text by the fuzzing below
                where = f"{login} seasonality={value!r:.40}"
                reply = self._rpc("sales.plan.target", "write",
                                  [self.target_sam.ids, {"seasonality": value}])
                self._assert_clean_error(reply, where)
                self.env.invalidate_all()
                self.assertFalse(self.target_sam.seasonality, where)
            for period, date_ref, user_ids in BAD_DASHBOARD_ARGS:
                reply = self._rpc("sales.management.dashboard", "get_dashboard_data",
                                  [period, date_ref, user_ids])
                self._assert_clean_error(reply, f"{login} dashboard {period, date_ref}")
            for name, values in BAD_SETTINGS.items():
                for value in values[:2]:
                    if isinstance(value, float) and not math.isfinite(value):
                        continue
                    reply = self._rpc("res.company", "write",
                                      [self.company.ids, {name: value}])
                    self._assert_clean_error(reply, f"{login} {name}={value!r}")
        self.authenticate("sm_salesman", "sm_salesman")
        reply = self._rpc("sales.management.dashboard", "get_dashboard_data", ["year"])
        self.assertIn("result", reply)
        # a form's defaults asked directly, with hostile default_<field> context values:
        # a clean error, not a ValueError in the ORM's conversion
        for model, fname, value in (("sales.plan.target", "target_value", "abc"),
                                    ("sales.plan.target", "seasonality", "abc"),
                                    ("sales.task", "planned_hours", [1, 2]),
                                    ("sales.plan", "date_from", "2026-13-45")):
            reply = self._rpc(model, "default_get", [[fname]],
                              {"context": {f"default_{fname}": value}})
            self._assert_clean_error(reply, f"default_get {model}.{fname}={value!r}")
