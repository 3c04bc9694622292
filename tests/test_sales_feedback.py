"""People, issue 19 points 5 and 6: the weekly feedback, alerts reaching the salesperson,
the leaderboard score and the badges.

Known data (year plans of monthly targets, clock on Wednesday 13 May 2026 unless said):

  plan        revenue / month   other monthly targets          April     May
  Sam (North)  1000             orders 4, opportunities 4       900       600 (2 orders), 3 opps
  Sara (North) 2000             -                               0         1600
  Otto (South)  500             -                               500       500

  revenue achievement   April: Otto 100 %, Sam 90 %, Sara 0 %  -> ranks Otto 1, Sam 2, Sara 3
                        May:   Otto 100 %, Sara 80 %, Sam 60 % -> ranks Otto 1, Sara 2, Sam 3
  Sam in May: gap 1000 - 600 = 400; rank 3 of 3, down 1; orders 2 / 4 = 50 %,
  opportunities 3 / 4 = 75 %; overdue: 1 sales task, 1 activity.
  Score (weights volume 60, operational 40): Sam (60*60 + 60*50 + 40*75) / 160 = 60,
  Sara 80, Otto 100.
  Badges of May: Otto "Target achieved" (his only target at 100 %), Sara "Most improved" of
  North (+80 points; Sam -30); nobody in South improved (Otto +0). "Focus improved" when a
  coaching focus ends with a positive effect (see the tests).
"""

import calendar
from datetime import date
from unittest.mock import patch

from common import JsonRpcMixin, SalesManagementCommon
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import convert_file, format_amount, mute_logger

MAY_13 = "2026-05-13 10:00:00"


def month_targets(metric, value):
    return [Command.create({
        "metric_id": metric.id, "target_value": value,
        "date_from": date(2026, month, 1),
        "date_to": date(2026, month, calendar.monthrange(2026, month)[1]),
    }) for month in range(1, 13)]


class FeedbackCommon(SalesManagementCommon):
    freeze_time = MAY_13

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.revenue = cls.env.ref("sales_management.sales_metric_revenue")
        cls.orders_metric = cls.env.ref("sales_management.sales_metric_orders")
        cls.opps_metric = cls.env.ref("sales_management.sales_metric_opportunities")
        cls.company.write({"sales_score_volume_weight": 60.0,
                           "sales_score_operational_weight": 40.0})
        Plan = cls.env["sales.plan"]

        def plan(name, user, team, monthly, extra=()):
            targets = month_targets(cls.revenue, monthly)
            for metric, value in extra:
                targets += month_targets(metric, value)
            return Plan.create({
                "name": name, "user_id": user.id, "team_id": team.id,
                "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31),
                "metric_id": cls.revenue.id, "target_ids": targets,
            })

        cls.plan_sam = plan("SMF Sam", cls.user_salesman, cls.team, 1000.0,
                            [(cls.orders_metric, 4.0), (cls.opps_metric, 4.0)])
        cls.plan_sara = plan("SMF Sara", cls.user_salesman_2, cls.team, 2000.0)
        cls.plan_otto = plan("SMF Otto", cls.user_other_team, cls.team_other, 500.0)
        assert {cls.plan_sam.scope, cls.plan_sara.scope, cls.plan_otto.scope} == {"user"}
        goods = cls.product_goods
        cls._create_order(cls.customer_be, cls.user_salesman, [(goods, 9, 100.0)],
                          "2026-04-08 10:00:00")
        cls._create_order(cls.customer_be, cls.user_salesman, [(goods, 4, 100.0)],
                          "2026-05-04 10:00:00")
        cls._create_order(cls.customer_us, cls.user_salesman, [(goods, 2, 100.0)],
                          "2026-05-06 10:00:00")
        cls._create_order(cls.customer_us, cls.user_salesman_2, [(goods, 16, 100.0)],
                          "2026-05-07 10:00:00")
        cls._create_order(cls.customer_be, cls.user_other_team, [(goods, 5, 100.0)],
                          "2026-04-09 10:00:00", team=cls.team_other)
        cls._create_order(cls.customer_be, cls.user_other_team, [(goods, 5, 100.0)],
                          "2026-05-05 10:00:00", team=cls.team_other)
        # Sam's three opportunities of May, an overdue activity on one, an overdue task
        cls.leads = cls.env["crm.lead"].create([{
            "name": f"SMF opportunity {i}", "type": "opportunity",
            "user_id": cls.user_salesman.id, "team_id": cls.team.id,
        } for i in range(3)])
        cls.env["mail.activity"].create({
            "res_model_id": cls.env["ir.model"]._get_id("crm.lead"),
            "res_id": cls.leads[0].id, "user_id": cls.user_salesman.id,
            "activity_type_id": cls.env.ref("mail.mail_activity_data_call").id,
            "date_deadline": date(2026, 5, 10), "summary": "SMF call",
        })
        cls.env["sales.task"].create({
            "name": "SMF Sam late", "user_id": cls.user_salesman.id,
            "date_start": date(2026, 4, 1), "date_deadline": date(2026, 5, 1),
        })
        cls.env.flush_all()

    @classmethod
    def _focus(cls, user, date_start, date_end):
        """A confirmed coaching focus of ``user`` on revenue, set by their leader."""
        competency = cls.env["sales.competency"].search(
            [("name", "=", "SMF Closing")]) or cls.env["sales.competency"].create({
                "name": "SMF Closing", "kpi_type": "metric", "metric_id": cls.revenue.id})
        focus = cls.env["sales.coaching.focus"].with_user(cls.user_leader).create({
            "user_id": user.id, "competency_id": competency.id,
            "date_start": date_start, "date_end": date_end,
        })
        focus.action_confirm()
        return focus.with_env(cls.env)

    def _feedback_mails(self, user):
        return self.env["mail.mail"].search([
            ("model", "=", "sales.report.dispatch"),
            ("recipient_ids", "in", user.partner_id.ids),
        ])


class TestWeeklyFeedback(FeedbackCommon):
    def _send(self):
        return self.env["sales.feedback"]._send_weekly_feedback()

    def test_one_mail_per_person_per_week(self):
        sent = self.env["sales.feedback"].with_context(sales_feedback_batch_size=2) \
            ._send_weekly_feedback()  # two batches: Sam and Sara, then Otto
        self.assertEqual(len(sent), 3)
        self._send()
        for user in (self.user_salesman, self.user_salesman_2, self.user_other_team):
            self.assertEqual(len(self._feedback_mails(user)), 1, user.name)
        # nobody without a salesperson plan (Lea leads, the manager manages)
        self.assertFalse(self._feedback_mails(self.user_leader))
        self.assertFalse(self._feedback_mails(self.user_manager))
        with freeze_time("2026-05-17 22:00:00"):  # Sunday: still the same ISO week
            self.assertFalse(self._send())
        with freeze_time("2026-05-18 06:00:00"):  # Monday: the next week
            self._send()
            self._send()
        self.assertEqual(len(self._feedback_mails(self.user_salesman)), 2)
        rows = self.env["sales.report.dispatch"].search(
            [("user_id", "=", self.user_salesman.id)])
        self.assertEqual(sorted(rows.mapped("date_ref")),
                         [date(2026, 5, 11), date(2026, 5, 18)])

    def test_opt_out_set_by_the_user_themself(self):
        # the box is on their preferences form, editable
        form = self.env.ref("base.view_users_form_simple_modif")
        arch = self.env["res.users"].with_user(self.user_salesman_2).get_views(
            [(form.id, "form")])["views"]["form"]["arch"]
        self.assertRegex(arch, r'<field name="sales_feedback_opt_out" readonly="0"')
        # Sara opts out from her preferences; Sam cannot do it for her
        self.user_salesman_2.with_user(self.user_salesman_2).write(
            {"sales_feedback_opt_out": True})
        with self.assertRaises(AccessError):
            self.user_salesman_2.with_user(self.user_salesman).write(
                {"sales_feedback_opt_out": False})
        self._send()
        self.assertFalse(self._feedback_mails(self.user_salesman_2))
        self.assertEqual(len(self._feedback_mails(self.user_salesman)), 1)

    def test_content_equals_the_dashboard(self):
        self._send()
        sam = self.user_salesman
        row = self.env["sales.report.dispatch"].search([("user_id", "=", sam.id)])
        values = row.feedback
        # by hand from the orders and targets above
        [plan] = values["plans"]
        self.assertEqual(plan["id"], self.plan_sam.id)
        self.assertAlmostEqual(plan["target"], 1000.0)
        self.assertAlmostEqual(plan["actual"], 600.0)
        self.assertAlmostEqual(plan["gap"], 400.0)
        self.assertEqual((values["rank"], values["rank_of"], values["previous_rank"],
                          values["rank_change"]), (3, 3, 2, -1))
        self.assertAlmostEqual(values["achievement"], 60.0)
        self.assertAlmostEqual(values["score"], 60.0)
        self.assertEqual((values["overdue_tasks"], values["overdue_todos"],
                          values["overdue_activities"], values["overdue"]), (1, 0, 1, 2))
        # the same numbers as Sam's own dashboard and the manager's leaderboard
        Dashboard = self.env["sales.management.dashboard"]
        own = Dashboard.with_user(sam).get_dashboard_data("month")
        [dash_plan] = own["plans"]
        for key in ("target", "actual", "pace", "gap", "health"):
            self.assertEqual(plan[key], dash_plan[key], key)
        for key in ("overdue_tasks", "overdue_todos", "overdue_activities"):
            self.assertEqual(values[key], own["kpis"][key], key)
        board = Dashboard.with_user(self.user_manager).get_dashboard_data("month")
        [board_row] = [r for r in board["leaderboard"] if r["user_id"] == sam.id]
        self.assertEqual(len(board["leaderboard"]), values["rank_of"])
        for key in ("rank", "previous_rank", "rank_change", "achievement", "score"):
            self.assertEqual(values[key], board_row[key], key)
        # and the e-mail says them
        body = row.mail_id.body_html
        self.assertIn(format_amount(self.env, 400.0, self.currency), body)
        self.assertIn("SMF Sam", body)
        self.assertRegex(body, r"Rank <strong>3</strong> of 3")
        self.assertIn("down 1", body)
        self.assertRegex(body, r"<strong>2</strong> overdue items")
        self.assertEqual(row.body, body)

    def test_focus_trend_and_next_session(self):
        sam = self.user_salesman
        focus = self._focus(sam, date(2026, 5, 1), date(2026, 6, 30))
        session = self.env["sales.coaching.session"].with_user(self.user_leader).create(
            {"user_id": sam.id, "date": date(2026, 5, 20)})
        self.env["sales.coaching.session"].with_user(self.user_leader).create(
            {"user_id": sam.id, "date": date(2026, 6, 3)})
        self._send()
        values = self.env["sales.report.dispatch"].search([("user_id", "=", sam.id)]).feedback
        # by hand: since 1 May Sam sold 600 (13 days), 0 in the 13 days before; the team
        # (Sam, Sara) median 1100 against 0: effect 600 - 1100
        [line] = values["focus"]
        self.assertEqual(line["id"], focus.id)
        self.assertAlmostEqual(line["kpi"], 600.0)
        self.assertAlmostEqual(line["change"], 600.0)
        self.assertAlmostEqual(line["effect"], -500.0)
        self.assertEqual((line["kpi"], line["change"], line["effect"]),
                         (focus.kpi_current, focus.kpi_change, focus.effect))
        self.assertEqual(values["next_session"]["id"], session.id)
        self.assertEqual(values["next_session"]["date"], "2026-05-20")
        body = self._feedback_mails(sam).body_html
        self.assertIn("SMF Closing", body)
        self.assertIn("-500.0", body)
        self.assertIn("Lea Leader", body)
        # Sara has neither
        sara = self.env["sales.report.dispatch"].search(
            [("user_id", "=", self.user_salesman_2.id)]).feedback
        self.assertEqual((sara["focus"], sara["next_session"]), ([], None))

    def test_failing_person_isolated(self):
        Feedback = type(self.env["sales.feedback"])
        original = Feedback._feedback_dict
        sara = self.user_salesman_2

        def failing(model, user, *args):
            if user == sara:
                raise ValueError("SMF broken")
            return original(model, user, *args)

        with patch.object(Feedback, "_feedback_dict", failing), \
                mute_logger("odoo.addons.sales_management.models.sales_job_failure"):
            self._send()
        self.assertFalse(self._feedback_mails(sara))
        self.assertEqual(len(self._feedback_mails(self.user_salesman)), 1)
        self.assertEqual(len(self._feedback_mails(self.user_other_team)), 1)
        failure = self.env["sales.job.failure"].search([("job", "=", "weekly_feedback")])
        self.assertEqual((failure.res_model, failure.res_id), ("res.users", sara.id))
        self.assertIn("SMF broken", failure.message)
        # the next run sends hers, and only hers
        self._send()
        for user in (sara, self.user_salesman, self.user_other_team):
            self.assertEqual(len(self._feedback_mails(user)), 1, user.name)

    def test_who_sees_the_feedback(self):
        self._send()
        Dispatch = self.env["sales.report.dispatch"]
        rows = {row.user_id: row for row in Dispatch.search([("user_id", "!=", False)])}
        sam, sara, otto = self.user_salesman, self.user_salesman_2, self.user_other_team

        def seen(user):
            return set(Dispatch.with_user(user).search([]).user_id)

        self.assertEqual(seen(sam), {sam})
        self.assertEqual(seen(self.user_leader), {sam, sara})
        self.assertEqual(seen(self.user_manager), {sam, sara, otto})
        with self.assertRaises(AccessError):
            rows[sam].with_user(sam).write({"period": "seen"})
        with self.assertRaises(AccessError):
            rows[sara].with_user(sam).read(["feedback"])


class TestAlertReachesSalesperson(FeedbackCommon):
    def test_deviation_alert_notifies_the_salesperson(self):
        # a quota Sam is far behind: 100 orders in May, 2 done by the 13th (off track)
        plan = self.env["sales.plan"].create({
            "name": "SMF Sam orders", "user_id": self.user_salesman.id,
            "team_id": self.team.id, "metric_id": self.orders_metric.id,
            "date_from": date(2026, 5, 1), "date_to": date(2026, 5, 31),
            "target_ids": [Command.create({"metric_id": self.orders_metric.id,
                                           "target_value": 100.0})],
        })
        plan.action_approve()
        alerts = self.env["sales.control.alert"]._run_deviation_alerts()
        alert = alerts.filtered(lambda a: a.plan_id == plan)
        self.assertEqual(alert.level, "off_track")
        self.assertEqual(alert.user_id, self.user_leader)  # the manager: the team leader
        message = self.env["mail.message"].search([
            ("model", "=", "sales.plan"), ("res_id", "=", plan.id),
            ("body", "ilike", "Expected to date"),
        ])
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.user_salesman.partner_id)
        notified = self.env["mail.notification"].search(
            [("mail_message_id", "=", message.id)]).res_partner_id
        self.assertEqual(notified, self.user_salesman.partner_id)
        # Sam reads it in his inbox / e-mail, the leader has the activity
        self.assertEqual(alert.activity_id.user_id, self.user_leader)


class TestLeaderboardScore(FeedbackCommon):
    def _board(self, user=None):
        data = self.env["sales.management.dashboard"].with_user(
            user or self.user_manager).get_dashboard_data("month")
        return {row["user_id"]: row for row in data["leaderboard"]}

    def test_score_from_weights_and_achievements(self):
        board = self._board()
        sam, sara, otto = (board[u.id] for u in (
            self.user_salesman, self.user_salesman_2, self.user_other_team))
        # by hand: (60*60 + 60*50 + 40*75) / (60 + 60 + 40)
        self.assertAlmostEqual(sam["score"], (60 * 60 + 60 * 50 + 40 * 75) / 160)
        self.assertAlmostEqual(sara["score"], 80.0)
        self.assertAlmostEqual(otto["score"], 100.0)
        self.assertEqual((otto["score_rank"], sara["score_rank"], sam["score_rank"]),
                         (1, 2, 3))
        # the plain ranking is unchanged beside it
        self.assertEqual((otto["rank"], sara["rank"], sam["rank"]), (1, 2, 3))
        # the company's weights: operational 0 -> volume metrics only
        self.company.sales_score_operational_weight = 0.0
        self.assertAlmostEqual(self._board()[self.user_salesman.id]["score"], (60 + 50) / 2)
        # a salesperson sees their own score only
        self.assertEqual(set(self._board(self.user_salesman)), {self.user_salesman.id})

    def test_score_weights_checked(self):
        with self.assertRaises(UserError):
            self.company.write({"sales_score_volume_weight": 0.0,
                                "sales_score_operational_weight": 0.0})
            self.company.flush_recordset()
        with self.assertRaises(UserError):
            self.company.write({"sales_score_volume_weight": -5.0})
            self.company.flush_recordset()


class TestBadges(FeedbackCommon):
    freeze_time = "2026-06-03 10:00:00"  # May is over: its badges are due

    def _awards(self):
        return self.env["gamification.badge.user"].search([("sales_award_key", "!=", False)])

    def test_one_badge_per_achievement(self):
        Recognition = self.env["sales.recognition"]
        Recognition._award_badges()
        Recognition._award_badges()
        awards = self._awards()
        achieved = self.env.ref("sales_management.badge_target_achieved")
        improved = self.env.ref("sales_management.badge_most_improved")
        self.assertEqual(
            {(a.badge_id, a.user_id, a.sales_award_key) for a in awards},
            {(achieved, self.user_other_team, f"target_achieved:{self.user_other_team.id}:2026-05"),
             (improved, self.user_salesman_2, f"most_improved:{self.user_salesman_2.id}:2026-05")},
        )
        # announced: gamification's e-mail to the person, a note on their plan
        mails = self.env["mail.mail"].search([
            ("model", "=", "gamification.badge.user"), ("res_id", "in", awards.ids)])
        self.assertEqual(len(mails), 2)
        note = self.env["mail.message"].search([
            ("model", "=", "sales.plan"), ("res_id", "=", self.plan_otto.id),
            ("body", "ilike", "Target achieved"),
        ])
        self.assertEqual(len(note), 1)
        self.assertEqual(note.partner_ids, self.user_other_team.partner_id)
        # next month's run (June: no sale) awards nothing more
        with freeze_time("2026-07-02 10:00:00"):
            Recognition._award_badges()
        self.assertEqual(self._awards(), awards)

    def test_focus_improved_once(self):
        # foci over May: Sara 1600 against 0 the 31 days before, Sam 600 against 900; the
        # team's median 1100 against 450: Sara +1600 - 650 > 0, Sam -300 - 650 < 0
        sara_focus = self._focus(self.user_salesman_2, date(2026, 5, 1), date(2026, 5, 31))
        sam_focus = self._focus(self.user_salesman, date(2026, 5, 1), date(2026, 5, 31))
        self.assertAlmostEqual(sara_focus.effect, 1600.0 - 650.0)
        self.assertAlmostEqual(sam_focus.effect, -300.0 - 650.0)
        Recognition = self.env["sales.recognition"]
        Recognition._award_badges()
        Recognition._award_badges()
        focus_badge = self.env.ref("sales_management.badge_focus_improved")
        awards = self._awards().filtered(lambda a: a.badge_id == focus_badge)
        self.assertEqual(awards.user_id, self.user_salesman_2)
        self.assertEqual(awards.sales_award_key,
                         f"focus_improved:{self.user_salesman_2.id}:2026-05")
        self.assertEqual(awards.sales_plan_id, self.plan_sara)

    def test_failing_award_isolated(self):
        Recognition = type(self.env["sales.recognition"])
        original = Recognition._award
        otto = self.user_other_team

        def failing(model, candidate):
            if candidate["user"] == otto:
                raise ValueError("SMF badge broken")
            return original(model, candidate)

        with patch.object(Recognition, "_award", failing), \
                mute_logger("odoo.addons.sales_management.models.sales_job_failure"):
            self.env["sales.recognition"]._award_badges()
        self.assertEqual(self._awards().user_id, self.user_salesman_2)
        failure = self.env["sales.job.failure"].search([("job", "=", "badges")])
        self.assertEqual((failure.res_model, failure.res_id), ("res.users", otto.id))
        self.env["sales.recognition"]._award_badges()
        self.assertEqual(len(self._awards()), 2)
        self.assertEqual(self._awards().user_id, otto | self.user_salesman_2)

    def test_scorecard_shows_the_periods_badges(self):
        self.env["sales.recognition"]._award_badges()
        Report = self.env["ir.actions.report"].with_user(self.user_other_team)
        report = "sales_management.report_salesperson_scorecard"
        html = Report._render_qweb_html(report, self.user_other_team.ids, data={
            "period": "month", "date_ref": "2026-05-15"})[0].decode()
        self.assertIn("o_sm_scorecard_badges", html)
        self.assertIn("Target achieved", html)
        self.assertIn("All your targets of 2026-05 achieved.", html)
        html = Report._render_qweb_html(report, self.user_other_team.ids, data={
            "period": "month"})[0].decode()  # June: none yet
        self.assertNotIn("o_sm_scorecard_badges", html)
        self.assertIn("No badge in this period.", html)

    def test_awards_are_the_jobs_only(self):
        self.env["sales.recognition"]._award_badges()
        award = self._awards()[:1]
        badge = self.env.ref("sales_management.badge_target_achieved")
        sam = self.user_salesman
        with self.assertRaises(UserError):  # gamification: "nobody" grants it by hand
            self.env["gamification.badge.user"].with_user(sam).create(
                {"user_id": sam.id, "badge_id": badge.id})
        with self.assertRaises(AccessError):
            award.with_user(sam).write({"comment": "mine now"})
        with self.assertRaises(AccessError):
            self.env["gamification.badge.user"].with_user(sam).create({
                "user_id": sam.id, "badge_id": self.env.ref("gamification.badge_good_job").id,
                "sales_award_key": f"target_achieved:{sam.id}:2026-06"})


@tagged("post_install", "-at_install")
class TestFeedbackRpc(JsonRpcMixin, FeedbackCommon, HttpCase):
    """What a salesperson can do over JSON-RPC with a real session."""

    def test_salesperson_over_rpc(self):
        self.env["sales.feedback"]._send_weekly_feedback()
        sam, sara = self.user_salesman, self.user_salesman_2
        self.authenticate(sam.login, sam.login)
        # their own opt-out: yes; someone else's: no
        reply = self._rpc("res.users", "write", [[sam.id], {"sales_feedback_opt_out": True}])
        self.assertEqual(reply.get("result"), True, reply)
        self.assertTrue(sam.sales_feedback_opt_out)
        reply = self._rpc("res.users", "write", [[sara.id], {"sales_feedback_opt_out": True}])
        self.assertIn("error", reply)
        self.assertFalse(sara.sales_feedback_opt_out)
        # their own feedback only, read-only
        reply = self._rpc("sales.report.dispatch", "search_read", [[], ["user_id"]])
        self.assertEqual([row["user_id"][0] for row in reply["result"]], [sam.id])
        reply = self._rpc("sales.report.dispatch", "create", [{
            "company_id": self.company.id, "user_id": sam.id, "date_ref": "2026-05-18"}])
        self.assertIn("error", reply)
        # the jobs are not theirs to run, the awards not theirs to forge
        for model, method in (("sales.feedback", "_send_weekly_feedback"),
                              ("sales.recognition", "_award_badges")):
            self.assertIn("error", self._rpc(model, method, []))
        reply = self._rpc("gamification.badge.user", "create", [{
            "user_id": sam.id, "badge_id": self.env.ref("gamification.badge_good_job").id,
            "sales_award_key": f"target_achieved:{sam.id}:2026-04"}])
        self.assertIn("error", reply)
        self.assertFalse(self.env["gamification.badge.user"].search(
            [("sales_award_key", "!=", False)]))


class TestFeedbackDemo(SalesManagementCommon):
    def test_demo_badges_and_feedback(self):
        for name in ("demo/sales_management_demo.xml", "demo/sales_plan_demo.xml",
                     "demo/sales_feedback_demo.xml"):
            convert_file(self.env, "sales_management", name, {}, mode="init",
                         noupdate=False, kind="demo")
        demo_users = self.env["sales.plan"].search(
            [("name", "=like", "Demo %"), ("scope", "=", "user")]).user_id
        awards = self.env["gamification.badge.user"].search(
            [("sales_award_key", "!=", False)])
        self.assertGreaterEqual(len(awards), 2)
        self.assertLessEqual(awards.user_id, demo_users)
        self.assertEqual({award.sales_award_key[-7:] for award in awards},
                         {"2026-03", "2026-04"})
        feedback = self.env["sales.report.dispatch"].search([("user_id", "!=", False)])
        self.assertEqual(feedback.user_id, demo_users.filtered(
            lambda u: not u.share and u.has_group("sales_team.group_sale_salesman")))
