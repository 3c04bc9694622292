"""Control: deviation alerts and corrective actions.

Known data (team North; the plan runs 2026-03-01 .. 2026-03-30, the clock says the 15th, so
half of every target is expected by today):

  last year, 2025-03-01 .. 2025-03-15 (the reference window of the gap contributors)
    Sam   BE  30 widgets @100 = 3000 (2025-03-05)
    Sara  US  10 widgets @100 = 1000 (2025-03-10)
  this year
    Sam   BE  10 widgets @100 = 1000 (2026-03-03)
    Sara  US  20 widgets @100 = 2000 (2026-03-04)
    Otto  BE  50 widgets (team South: outside the plan's scope)

Target "team revenue" 10000: expected 5000, actual 3000, gap -2000, pace 60 % (off track).
Target "Sara's revenue" 6000: expected 3000, actual 2000, pace 66.7 % (off track).
Contributors by salesperson to the team's gap: Sara is expected what her own target expects,
3000 vs 2000 -> -1000; Sam (no target of his own) the 4000 left of the team's 10000, half of
it by today: 2000 vs 1000 -> -1000. Together the team's gap.
"""

import html
from datetime import date, datetime
from unittest.mock import patch

from common import SalesManagementCommon
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_amount

ALERT = "sales.control.alert"
TODAY = "2026-03-15 09:00:00"


class TestDeviationAlerts(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        widget = cls.product_goods
        cls._create_order(cls.customer_be, cls.user_salesman, [(widget, 30, 100.0)],
                          date_order=datetime(2025, 3, 5, 10, 0))
        cls._create_order(cls.customer_us, cls.user_salesman_2, [(widget, 10, 100.0)],
                          date_order=datetime(2025, 3, 10, 10, 0))
        cls._create_order(cls.customer_be, cls.user_salesman, [(widget, 10, 100.0)],
                          date_order=datetime(2026, 3, 3, 10, 0))
        cls._create_order(cls.customer_us, cls.user_salesman_2, [(widget, 20, 100.0)],
                          date_order=datetime(2026, 3, 4, 10, 0))
        cls._create_order(cls.customer_be, cls.user_other_team, [(widget, 50, 100.0)],
                          date_order=datetime(2026, 3, 5, 10, 0), team=cls.team_other)
        revenue = cls.env.ref("sales_management.sales_metric_revenue")
        cls.company.sales_control_manager_id = cls.user_manager
        cls.plan = cls.env["sales.plan"].create({
            "name": "SM March North",
            "team_id": cls.team.id,
            "user_id": cls.user_salesman.id,
            "scope": "team",
            "date_from": date(2026, 3, 1),
            "date_to": date(2026, 3, 30),
            "target_ids": [
                Command.create({"metric_id": revenue.id, "target_value": 10000.0}),
                Command.create({"metric_id": revenue.id, "target_value": 6000.0,
                                "user_id": cls.user_salesman_2.id}),
            ],
        })
        cls.t_team, cls.t_sara = cls.plan.target_ids.sorted("target_value").sorted(
            lambda t: -t.target_value
        )
        cls.plan.action_approve()
        cls.activity_type = cls.env.ref("sales_management.mail_activity_type_corrective_action")

    def _plan_alert_activities(self):
        return self.env["mail.activity"].search([
            ("res_model", "=", "sales.plan"), ("res_id", "=", self.plan.id),
            ("activity_type_id", "=", self.activity_type.id),
        ])

    @freeze_time(TODAY)
    def test_alert_numbers_contributors_and_activity(self):
        alerts = self.env[ALERT]._run_deviation_alerts()
        self.assertEqual(alerts.target_id, self.t_team | self.t_sara)
        alert = alerts.filtered(lambda a: a.target_id == self.t_team)
        self.assertEqual(alert.level, "off_track")
        self.assertAlmostEqual(alert.expected_to_date, 10000.0 * 15 / 30)
        self.assertAlmostEqual(alert.actual_value, 1000.0 + 2000.0)
        self.assertAlmostEqual(alert.gap, 3000.0 - 5000.0)
        self.assertAlmostEqual(alert.pace, 60.0)
        by_dim = {group["dimension"]: group["members"] for group in alert.contributors}
        users = {m["id"]: m for m in by_dim["user_id"]}
        self.assertEqual(set(users), {self.user_salesman.id, self.user_salesman_2.id})
        sam, sara = users[self.user_salesman.id], users[self.user_salesman_2.id]
        self.assertAlmostEqual(sam["expected"], (10000.0 - 6000.0) * 15 / 30)
        self.assertAlmostEqual(sam["actual"], 1000.0)
        self.assertAlmostEqual(sam["gap"], 1000.0 - 2000.0)
        # Sara: her own target's expected to date, not a share of the team's
        self.assertAlmostEqual(sara["expected"], self.t_sara.expected_to_date)
        self.assertAlmostEqual(sara["expected"], 3000.0)
        self.assertAlmostEqual(sara["gap"], 2000.0 - 3000.0)
        self.assertAlmostEqual(sum(m["gap"] for m in by_dim["user_id"]), alert.gap)
        self.assertEqual([m["id"] for m in by_dim["partner_id"]], [self.customer_be.id])
        self.assertAlmostEqual(by_dim["partner_id"][0]["gap"], -2750.0)
        self.assertEqual([m["id"] for m in by_dim["product_id"]], [self.product_goods.id])
        self.assertAlmostEqual(by_dim["product_id"][0]["gap"], -2000.0)

        sara_alert = alerts - alert
        self.assertEqual(sara_alert.level, "off_track")
        self.assertAlmostEqual(sara_alert.expected_to_date, 3000.0)
        self.assertAlmostEqual(sara_alert.actual_value, 2000.0)
        self.assertNotIn("user_id", {g["dimension"] for g in sara_alert.contributors})

        # health of the target and plan
        self.assertEqual(self.t_team.alert_level, "off_track")
        self.assertEqual(self.plan.alert_health, "off_track")
        # the responsible's manager (team leader) gets one activity per target and level
        activities = self._plan_alert_activities()
        self.assertEqual(len(activities), 2)
        self.assertEqual(activities.user_id, self.user_leader)
        note = html.unescape(str(alert.activity_id.note))
        for text in (
            format_amount(self.env, 5000.0, self.currency),
            format_amount(self.env, 3000.0, self.currency),
            format_amount(self.env, -2000.0, self.currency),
            format_amount(self.env, -2750.0, self.currency),
            format_amount(self.env, -1000.0, self.currency),
            self.user_salesman.name, self.user_salesman_2.name, self.customer_be.name,
        ):
            self.assertIn(text, note)
        self.assertTrue(self.plan.message_ids.filtered(
            lambda m: "Off Track" in (m.body or "") and self.t_team.display_name in m.body
        ))
        # rerun the same day, and the next day still off track: nothing new
        self.assertFalse(self.env[ALERT]._run_deviation_alerts())
        with freeze_time("2026-03-16 09:00:00"):
            self.assertFalse(self.env[ALERT]._run_deviation_alerts())
        self.assertEqual(len(self._plan_alert_activities()), 2)

    @freeze_time(TODAY)
    def test_levels_and_thresholds(self):
        # at 55 %, off track is below 50: Sara's target (66.7 %) and the team's (60 %)
        # are at risk only
        self.company.write({
            "sales_plan_on_track_pace": 70.0, "sales_plan_at_risk_pace": 50.0,
        })
        alerts = self.env[ALERT]._run_deviation_alerts()
        self.assertEqual(set(alerts.mapped("level")), {"at_risk"})
        self.assertEqual(self.plan.alert_health, "at_risk")
        # a big order puts the team back on track; Sara's target still at risk
        self._create_order(self.customer_be, self.user_salesman,
                           [(self.product_goods, 30, 100.0)],
                           date_order=datetime(2026, 3, 14, 10, 0))
        self.assertFalse(self.env[ALERT]._run_deviation_alerts())
        self.assertEqual(self.t_team.alert_level, "on_track")
        self.assertEqual(self.t_sara.alert_level, "at_risk")
        self.assertEqual(self.plan.alert_health, "at_risk")
        # a draft plan is not watched
        self.t_sara.alert_level = False
        self.plan.state = "closed"
        self.assertFalse(self.env[ALERT]._run_deviation_alerts())
        self.assertFalse(self.t_sara.alert_level)

    @freeze_time(TODAY)
    def test_failure_in_the_middle_of_a_batch(self):
        Alert = type(self.env[ALERT])
        # the contributor analysis of a batch of targets (and of one target, which the
        # job falls back to when the batch's fails) fails whenever t_team is in it
        original = Alert._gap_contributors_batch

        def failing(self_, targets, expected, today):
            if self.t_team in targets:
                raise RuntimeError("boom")
            return original(self_, targets, expected, today)

        with patch.object(Alert, "_gap_contributors_batch", failing), \
                self.assertLogs("odoo.addons.sales_management.models.sales_control_alert",
                                level="ERROR"):
            first = self.env[ALERT].with_context(sales_control_batch_size=1) \
                ._run_deviation_alerts()
        self.assertEqual(first.target_id, self.t_sara)
        self.assertEqual(len(self._plan_alert_activities()), 1)
        second = self.env[ALERT]._run_deviation_alerts()
        self.assertEqual(second.target_id, self.t_team)
        self.assertEqual(len(self.env[ALERT].search([("plan_id", "=", self.plan.id)])), 2)
        self.assertEqual(len(self._plan_alert_activities()), 2)

    @freeze_time(TODAY)
    def test_corrective_action_lifecycle(self):
        self.env[ALERT]._run_deviation_alerts()
        alert = self.env[ALERT].search([("target_id", "=", self.t_team.id)])
        activity = alert.activity_id
        self.assertTrue(activity)
        # one click from the plan, by the team leader who got the activity
        result = self.plan.with_user(self.user_leader).action_new_corrective_action()
        action = self.env["sales.corrective.action"].browse(result["res_id"])
        self.assertEqual(action.plan_id, self.plan)
        self.assertEqual(action.target_id, alert.target_id)
        self.assertEqual(action.user_id, self.user_salesman)
        self.assertEqual(action.state, "open")
        self.assertAlmostEqual(action.gap_at_open, -2000.0)
        self.assertFalse(activity.exists(), "the alert activity is done: decision taken")
        self.assertEqual(self.plan.corrective_action_count, 1)
        # same click again: the same open action
        again = self.plan.with_user(self.user_leader).action_new_corrective_action()
        self.assertEqual(again["res_id"], action.id)
        # a new order: the gap shrinks by 1500
        self._create_order(self.customer_be, self.user_salesman,
                           [(self.product_goods, 15, 100.0)],
                           date_order=datetime(2026, 3, 15, 8, 0))
        action.invalidate_recordset(["gap", "gap_change"])
        self.assertAlmostEqual(action.gap, -500.0)
        self.assertAlmostEqual(action.gap_change, 1500.0)
        # lifecycle
        action.with_user(self.user_salesman).action_done()
        self.assertEqual(action.state, "done")
        self.assertEqual(self.plan.corrective_action_count, 0)
        with self.assertRaises(UserError):
            action.action_done()
        action.action_reopen()
        action.action_cancel()
        self.assertEqual(action.state, "cancelled")
        self.assertAlmostEqual(action.gap_at_open, -2000.0, msg="the opening gap stays")
        # a target of another plan is refused
        other = self.plan.copy({"name": "SM other plan"})
        with self.assertRaises(ValidationError):
            action.target_id = other.target_ids[:1]

    @freeze_time(TODAY)
    def test_corrective_action_security(self):
        action = self.env["sales.corrective.action"].create({
            "plan_id": self.plan.id, "target_id": self.t_team.id,
            "user_id": self.user_salesman_2.id, "name": "SM Call every lost customer",
        })
        Action = self.env["sales.corrective.action"]
        # responsible (Sara), plan responsible (Sam), team leader (Lea), manager: read
        for user in (self.user_salesman_2, self.user_salesman, self.user_leader,
                     self.user_manager, self.user_all_docs):
            with self.subTest(user=user.login):
                self.assertEqual(Action.with_user(user).search([]), action)
        action.with_user(self.user_leader).write({"date_deadline": date(2026, 3, 20)})
        with self.assertRaises(AccessError):
            Action.with_user(self.user_other_team).browse(action.id).read(["name"])
        with self.assertRaises(AccessError):
            action.with_user(self.user_all_docs).write({"name": "x"})
        with self.assertRaises(AccessError):
            action.with_user(self.user_internal).read(["name"])
        with self.assertRaises(AccessError):
            self.env[ALERT].with_user(self.user_leader).search([])


class TestAlertContributorsOwnTargets(SalesManagementCommon):
    """Issue 18, point 5: a salesperson is expected, among the gap contributors of her
    team's target, what her own target expects to date — with seasonality on every target.

    Q1 2026, the clock on 15 February. Team North's revenue target 12000, weighted 1/1/2
    by month; Sara's own plan 6000 weighted 3/1/1, Sam's own plan 3000 evenly by month
    (no seasonality), the leader has no target of his own.
    """

    TODAY = date(2026, 2, 15)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        widget = cls.product_goods
        for user, amount, day in (
            (cls.user_leader, 1000.0, date(2025, 1, 15)),
            (cls.user_salesman, 2000.0, date(2025, 1, 20)),
            (cls.user_salesman_2, 3000.0, date(2025, 2, 3)),
            (cls.user_salesman, 1000.0, date(2026, 1, 10)),
            (cls.user_salesman_2, 2000.0, date(2026, 1, 20)),
            (cls.user_leader, 500.0, date(2026, 2, 2)),
        ):
            cls._create_order(cls.customer_be, user, [(widget, 1, amount)],
                              date_order=datetime.combine(day, datetime.min.time())
                              .replace(hour=10))
        revenue = cls.env.ref("sales_management.sales_metric_revenue")
        Plan = cls.env["sales.plan"]
        common = {"date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31),
                  "team_id": cls.team.id}
        cls.team_plan = Plan.create(dict(
            common, name="SM Q1 North", user_id=cls.user_leader.id, scope="team",
            target_ids=[Command.create({
                "metric_id": revenue.id, "target_value": 12000.0,
                "seasonality": {"2026-01": 1.0, "2026-02": 1.0, "2026-03": 2.0},
            })],
        ))
        cls.sara_plan = Plan.create(dict(
            common, name="SM Q1 Sara", user_id=cls.user_salesman_2.id, scope="user",
            parent_id=cls.team_plan.id,
            target_ids=[Command.create({
                "metric_id": revenue.id, "target_value": 6000.0,
                "seasonality": {"2026-01": 3.0, "2026-02": 1.0, "2026-03": 1.0},
            })],
        ))
        cls.sam_plan = Plan.create(dict(
            common, name="SM Q1 Sam", user_id=cls.user_salesman.id, scope="user",
            parent_id=cls.team_plan.id,
            target_ids=[Command.create({"metric_id": revenue.id, "target_value": 3000.0})],
        ))
        (cls.team_plan | cls.sara_plan | cls.sam_plan).action_approve()

    def test_contributors_expected_is_the_own_targets(self):
        with freeze_time("2026-02-15 09:00:00"):
            alerts = self.env[ALERT]._run_deviation_alerts()
            team_target = self.team_plan.target_ids
            alert = alerts.filtered(lambda a: a.target_id == team_target)
            self.assertTrue(alert)
            # the team's expected to date, from the test's own arithmetic
            feb = 15 / 28
            team_expected = 12000.0 * (1 + 1 * feb) / 4
            self.assertAlmostEqual(alert.expected_to_date, team_expected, places=2)
            self.assertAlmostEqual(alert.actual_value, 3500.0)
            sara_expected = 6000.0 * (3 + 1 * feb) / 5
            sam_expected = 3000.0 * (31 + 15) / 90
            # the leader: the 3000 the own targets leave, prorated like the team's target
            leader_expected = 3000.0 * (1 + 1 * feb) / 4
            members = {m["id"]: m for group in alert.contributors
                       if group["dimension"] == "user_id" for m in group["members"]}
            self.assertEqual(set(members), {
                self.user_salesman.id, self.user_salesman_2.id, self.user_leader.id,
            })
            sara = self.sara_plan.target_ids
            sam = self.sam_plan.target_ids
            self.assertAlmostEqual(sara.expected_to_date, sara_expected, places=2)
            self.assertAlmostEqual(sam.expected_to_date, sam_expected, places=2)
            for member, own_target, value in (
                (self.user_salesman_2, sara, sara_expected),
                (self.user_salesman, sam, sam_expected),
            ):
                self.assertAlmostEqual(members[member.id]["expected"],
                                       own_target.expected_to_date, places=2)
                self.assertAlmostEqual(members[member.id]["expected"], value, places=2)
                self.assertAlmostEqual(members[member.id]["gap"],
                                       own_target.actual_value - own_target.expected_to_date,
                                       places=2)
            self.assertAlmostEqual(members[self.user_leader.id]["expected"], leader_expected,
                                   places=2)
            self.assertAlmostEqual(members[self.user_leader.id]["actual"], 500.0)
            # the note reads the same figure as Sara's own target
            self.assertIn(format_amount(self.env, sara_expected, self.currency),
                          html.unescape(str(alert.note)))
