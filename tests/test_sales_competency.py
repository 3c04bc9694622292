"""Competencies, ratings and coaching focuses (issue 19, points 2 and 4).

Frozen at ``REFERENCE_NOW`` (2026-05-13 10:00). Every expected value is counted from the
test's own opportunities, milestones and activities, written out next to the data."""

from datetime import date

import psycopg2
from common import JsonRpcMixin, SalesManagementCommon

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase
from odoo.tools import mute_logger

MAY = (date(2026, 5, 1), date(2026, 5, 31))


class CompetencyCommon(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.prospecting = ref("sales_management.sales_competency_prospecting")
        cls.discovery = ref("sales_management.sales_competency_discovery")
        cls.presenting = ref("sales_management.sales_competency_presenting")
        cls.closing = ref("sales_management.sales_competency_closing")
        cls.crm_discipline = ref("sales_management.sales_competency_crm_discipline")
        cls.kpi_competencies = (
            cls.prospecting | cls.discovery | cls.closing | cls.crm_discipline)
        cls.Rating = cls.env["sales.competency.rating"]
        cls.Focus = cls.env["sales.coaching.focus"]

    @classmethod
    def _opportunity(cls, user, name, team=None, **values):
        return cls.env["crm.lead"].create({
            "name": name, "type": "opportunity", "user_id": user.id,
            "team_id": (team or cls.team).id, **values,
        })

    @classmethod
    def _done_activity(cls, lead, deadline):
        activity = lead.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=deadline, user_id=lead.user_id.id)
        activity.action_feedback(feedback="done")

    @classmethod
    def _rating(cls, user, competency, kind, level, date_start=MAY[0], rater=None, **values):
        """A rating made as the user who gives it (the salesperson or their leader)."""
        rater = rater or (user if kind == "self" else cls.user_leader)
        return cls.Rating.with_user(rater).create({
            "user_id": user.id, "competency_id": competency.id, "kind": kind,
            "level": level, "date_start": date_start, **values,
        })


class TestCompetencyKpi(CompetencyCommon):
    """The linked KPIs, and the focus proposed from them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sam, sara, otto = cls.user_salesman, cls.user_salesman_2, cls.user_other_team
        # prospecting = opportunities created: Sam 4, Sara 2 (Sam's plain lead is no
        # opportunity); closing = won / (won + lost): Sam 2 / 3, Sara 0 / 1
        s1, s2, s3, s4 = (cls._opportunity(sam, f"SM Sam {i}") for i in range(1, 5))
        r1, r2 = (cls._opportunity(sara, f"SM Sara {i}") for i in range(1, 3))
        cls.env["crm.lead"].create({"name": "SM Sam lead", "type": "lead", "user_id": sam.id})
        o1 = cls._opportunity(otto, "SM Otto 1", team=cls.team_other)
        (s1 | s2 | o1).action_set_won()
        (s3 | r1).write({"active": False, "probability": 0})
        # discovery = conversion from the first milestone to the next: Sam: s4 went on, s1
        # stopped: 50 %; Sara: r2 went on: 100 %
        Milestone = cls.env["sales.milestone"]
        cls.m1 = Milestone.create({"name": "SM Qualified", "sequence": 1})
        cls.m2 = Milestone.create({"name": "SM Proposal", "sequence": 2})
        Line = cls.env["sales.lead.milestone"].sudo()
        for lead, milestones in ((s4, cls.m1 | cls.m2), (s1, cls.m1), (r2, cls.m1 | cls.m2)):
            for milestone in milestones:
                Line.create({"lead_id": lead.id, "milestone_id": milestone.id})
        # CRM discipline = activities done by their deadline (today 2026-05-13): Sam 3 of
        # 4 on time, Sara 1 of 2
        for deadline in ("2026-05-20", "2026-05-13", "2026-05-14", "2026-05-10"):
            cls._done_activity(s4, deadline)
        for deadline in ("2026-05-15", "2026-05-12"):
            cls._done_activity(r2, deadline)
        cls.env.flush_all()

    def test_kpi_values_from_the_records(self):
        values = self.kpi_competencies._kpi_values(
            self.user_salesman | self.user_salesman_2 | self.user_other_team, *MAY)
        sam, sara, otto = (values[u.id] for u in (
            self.user_salesman, self.user_salesman_2, self.user_other_team))
        self.assertEqual(sam[self.prospecting.id], 4.0)
        self.assertEqual(sara[self.prospecting.id], 2.0)
        self.assertAlmostEqual(sam[self.closing.id], 200.0 / 3)
        self.assertEqual(sara[self.closing.id], 0.0)
        self.assertEqual(sam[self.discovery.id], 50.0)
        self.assertEqual(sara[self.discovery.id], 100.0)
        self.assertEqual(sam[self.crm_discipline.id], 75.0)
        self.assertEqual(sara[self.crm_discipline.id], 50.0)
        # Otto: one opportunity, won; nothing reached, no activity: no ratio to give
        self.assertEqual(otto, {
            self.prospecting.id: 1.0, self.closing.id: 100.0, self.discovery.id: None,
            self.crm_discipline.id: None,
        })
        # a competency without KPI, and a period without records
        self.assertEqual(self.presenting._kpi_values(self.user_salesman, *MAY),
                         {self.user_salesman.id: {self.presenting.id: None}})
        april = self.kpi_competencies._kpi_values(
            self.user_salesman, date(2026, 4, 1), date(2026, 4, 30))[self.user_salesman.id]
        self.assertEqual(april[self.prospecting.id], 0.0)
        self.assertIsNone(april[self.discovery.id])

    def test_kpi_values_grouped_queries(self):
        """The same number of queries for one salesperson as for three."""
        competencies = self.kpi_competencies
        one = self.user_salesman
        three = one | self.user_salesman_2 | self.user_other_team
        competencies._kpi_values(three, *MAY)  # warm the caches

        def count(users):
            before = self.env.cr.sql_log_count
            competencies._kpi_values(users, *MAY)
            return self.env.cr.sql_log_count - before

        self.assertEqual(count(one), count(three))

    def test_propose_focus_largest_gap_to_median(self):
        """Team North without its leader: Sam and Sara. Medians (Sam, Sara): prospecting
        (4+2)/2 = 3, closing (66.7+0)/2 = 33.3, discovery (50+100)/2 = 75, CRM discipline
        (75+50)/2 = 62.5. Sam is below only on discovery: (75-50)/75 = 33.3 %; Sara below
        on prospecting 33.3 %, closing 100 %, CRM discipline 20 %: closing."""
        with self.assertRaises(AccessError):
            self.team.with_user(self.user_salesman).action_propose_focus()
        self.team.with_user(self.user_leader).action_propose_focus()
        focuses = self.Focus.search([("team_id", "=", self.team.id)])
        self.assertEqual(len(focuses), 2)
        by_user = {focus.user_id: focus for focus in focuses}
        sam, sara = by_user[self.user_salesman], by_user[self.user_salesman_2]
        self.assertEqual(sam.competency_id, self.discovery)
        self.assertEqual((sam.proposal_value, sam.proposal_team_median), (50.0, 75.0))
        self.assertEqual(sam.proposal_gap, 33.3)  # (75 - 50) / 75, to 0.1 %
        self.assertEqual(sara.competency_id, self.closing)
        self.assertEqual(sara.proposal_team_median, 33.33)  # (66.67 + 0) / 2
        self.assertAlmostEqual(sara.proposal_gap, 100.0)
        self.assertEqual(set(focuses.mapped("state")), {"draft"})
        self.assertTrue(all(focuses.mapped("is_proposed")))
        self.assertEqual((sam.date_start, sam.date_end), (date(2026, 5, 13), date(2026, 6, 30)))
        # run again: nothing more (each already has an open focus)
        self.team.with_user(self.user_leader).action_propose_focus()
        self.assertEqual(self.Focus.search_count([("team_id", "=", self.team.id)]), 2)
        # the leader confirms; a salesperson cannot, nor write the state
        with self.assertRaises(AccessError):
            sam.with_user(self.user_salesman).action_confirm()
        with self.assertRaises(AccessError):
            sam.with_user(self.user_leader).write({"state": "confirmed"})
        sam.with_user(self.user_leader).action_confirm()
        self.assertEqual((sam.state, sam.confirmed_by_id), ("confirmed", self.user_leader))
        self.assertEqual(self.Focus._current_for(self.user_salesman), sam)


class TestFocusEffect(CompetencyCommon):
    """The effect of a focus on prospecting (opportunities created), by hand.

    Focus of Sam from 2026-05-04; today 2026-05-13: 10 days, compared with the 10 days
    before, 2026-04-24..2026-05-03.
      Sam:  2026-04-23 (outside), 04-30 | 05-04, 05-06, 05-10, 05-13 -> before 1, since 4
      Sara: 2026-04-24, 05-03          | 05-05, 05-08, 05-12         -> before 2, since 3
    Sam's change 4 - 1 = 3; team median before (1+2)/2 = 1.5, since (4+3)/2 = 3.5, team
    change 2; effect 3 - 2 = 1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        dates = {
            cls.user_salesman: ("2026-04-23", "2026-04-30", "2026-05-04", "2026-05-06",
                                "2026-05-10", "2026-05-13"),
            cls.user_salesman_2: ("2026-04-24", "2026-05-03", "2026-05-05", "2026-05-08",
                                  "2026-05-12"),
        }
        for user, days in dates.items():
            for day in days:
                lead = cls._opportunity(user, f"SM {user.name} {day}")
                cls.env.cr.execute("UPDATE crm_lead SET create_date = %s WHERE id = %s",
                                   (f"{day} 09:00:00", lead.id))
        cls.env.invalidate_all()
        cls.focus = cls.Focus.with_user(cls.user_leader).create({
            "user_id": cls.user_salesman.id, "competency_id": cls.prospecting.id,
            "date_start": "2026-05-04", "date_end": "2026-06-30",
        })

    def test_effect_by_hand(self):
        focus = self.focus.with_user(self.user_salesman)  # the salesperson reads it too
        self.assertEqual(focus.effect_date_to, date(2026, 5, 13))
        self.assertEqual((focus.kpi_before, focus.kpi_current, focus.kpi_change),
                         (1.0, 4.0, 3.0))
        self.assertEqual((focus.team_before, focus.team_current, focus.team_change),
                         (1.5, 3.5, 2.0))
        self.assertEqual(focus.effect, 1.0)
        self.assertTrue(focus.has_effect)

    def test_effect_not_started(self):
        later = self.Focus.with_user(self.user_leader).create({
            "user_id": self.user_salesman_2.id, "competency_id": self.prospecting.id,
            "date_start": "2026-06-01", "date_end": "2026-06-30",
        })
        self.assertFalse(later.has_effect)
        self.assertFalse(later.effect_date_to)

    def test_focus_rights(self):
        focus = self.focus
        self.assertEqual(self.Focus.with_user(self.user_salesman).search([]), focus)
        self.assertFalse(self.Focus.with_user(self.user_salesman_2).search([]))
        self.assertFalse(self.Focus.with_user(self.user_other_team).search([]))
        self.assertFalse(self.Focus.with_user(self.user_all_docs).search([]))
        self.assertEqual(self.Focus.with_user(self.user_leader).search([]), focus)
        self.assertEqual(self.Focus.with_user(self.user_manager).search([]), focus)
        with self.assertRaises(AccessError):
            focus.with_user(self.user_salesman).write({"note": "mine now"})
        with self.assertRaises(AccessError):
            self.Focus.with_user(self.user_salesman).create({
                "user_id": self.user_salesman.id, "competency_id": self.closing.id})
        with self.assertRaises(AccessError):  # not the leader of Otto's team
            self.Focus.with_user(self.user_leader).create({
                "user_id": self.user_other_team.id, "competency_id": self.closing.id})
        with self.assertRaises(AccessError):  # nobody sets their own focus
            self.Focus.with_user(self.user_manager).create({
                "user_id": self.user_manager.id, "competency_id": self.closing.id})
        focus.with_user(self.user_leader).write({"note": "Two new accounts a week"})
        # one or two at a time, never twice the same competency
        with self.assertRaises(ValidationError):
            self.Focus.with_user(self.user_leader).create({
                "user_id": self.user_salesman.id, "competency_id": self.prospecting.id})
        self.Focus.with_user(self.user_leader).create({
            "user_id": self.user_salesman.id, "competency_id": self.closing.id})
        with self.assertRaises(ValidationError):
            self.Focus.with_user(self.user_leader).create({
                "user_id": self.user_salesman.id, "competency_id": self.discovery.id})


class TestCompetencyRating(CompetencyCommon):
    def test_who_rates_whom(self):
        sam, sara, lea = self.user_salesman, self.user_salesman_2, self.user_leader
        own = self._rating(sam, self.discovery, "self", 4)
        self.assertEqual((own.rater_id, own.team_id, own.date_end),
                         (sam, self.team, date(2026, 5, 31)))
        leader = self._rating(sam, self.discovery, "leader", 2)
        self.assertEqual(leader.rater_id, lea)
        refused = (
            (sam, {"user_id": sara.id, "kind": "self"}),  # a self rating of someone else
            (sam, {"user_id": sam.id, "kind": "leader"}),  # their own leader rating
            (sam, {"user_id": sam.id, "kind": "self", "rater_id": lea.id}),  # forged rater
            (lea, {"user_id": sam.id, "kind": "self"}),  # the leader as the salesperson
            (lea, {"user_id": self.user_other_team.id, "kind": "leader"}),  # other team
            (self.user_manager, {"user_id": sara.id, "kind": "self"}),
            (self.user_all_docs, {"user_id": sara.id, "kind": "leader"}),
        )
        for user, vals in refused:
            with self.subTest(user=user.name, vals=vals), self.assertRaises(AccessError):
                self.Rating.with_user(user).create({
                    "competency_id": self.closing.id, "level": 3, **vals})
        # a manager gives leader ratings to anyone, not self ratings
        other = self._rating(self.user_other_team, self.closing, "leader", 3,
                             rater=self.user_manager)
        self.assertEqual(other.rater_id, self.user_manager)
        with self.assertRaises(AccessError):
            own.with_user(self.user_manager).write({"level": 1})
        with self.assertRaises(AccessError):
            leader.with_user(sam).write({"level": 5})
        with self.assertRaises(UserError):
            own.with_user(sam).write({"kind": "leader"})
        with self.assertRaises(UserError):
            own.with_user(sam).write({"user_id": sara.id})
        own.with_user(sam).write({"level": 5, "evidence": "Two discovery calls a day"})
        self.assertEqual(own.level, 5)

    def test_who_sees_what(self):
        sam, sara, otto = self.user_salesman, self.user_salesman_2, self.user_other_team
        ratings = (self._rating(sam, self.closing, "self", 3)
                   | self._rating(sam, self.closing, "leader", 3)
                   | self._rating(sara, self.closing, "self", 2))
        otto_rating = self._rating(otto, self.closing, "leader", 4, rater=self.user_manager)
        seen = {
            sam: ratings[:2], sara: ratings[2:], otto: otto_rating,
            self.user_all_docs: self.Rating, self.user_leader: ratings,
            self.user_manager: ratings | otto_rating,
        }
        for user, expected in seen.items():
            with self.subTest(user=user.name):
                self.assertEqual(self.Rating.with_user(user).search([]), expected)
        with self.assertRaises(AccessError):
            ratings[2].with_user(sam).read(["level"])
        with self.assertRaises(AccessError):
            self.Rating.with_user(self.user_internal).search([])

    def test_unique_and_period(self):
        self._rating(self.user_salesman, self.closing, "self", 3)
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError), \
                self.env.cr.savepoint():
            self._rating(self.user_salesman, self.closing, "self", 4)
        # the same competency and period as a leader rating, or as a quarter: other ratings
        self._rating(self.user_salesman, self.closing, "leader", 2)
        self._rating(self.user_salesman, self.closing, "self", 3, period_type="quarter",
                     date_start="2026-04-01")
        with self.assertRaises(ValidationError):
            self._rating(self.user_salesman, self.closing, "self", 3,
                         date_start="2026-04-15")
        with self.assertRaises(ValidationError):
            self._rating(self.user_salesman, self.closing, "self", 3,
                         period_type="quarter", date_start="2026-05-01")

    def test_gap_and_trend(self):
        sam = self.user_salesman
        april = date(2026, 4, 1)
        self_april = self._rating(sam, self.discovery, "self", 4, date_start=april)
        leader_april = self._rating(sam, self.discovery, "leader", 1, date_start=april)
        self_may = self._rating(sam, self.discovery, "self", 4)
        leader_may = self._rating(sam, self.discovery, "leader", 2)
        self.env.flush_all()
        # April: self 4, leader 1 -> gap 3; May: self 4, leader 2 -> gap 2
        self.assertEqual((self_april.gap, leader_april.gap), (3, 3))
        self.assertEqual((self_may.gap, leader_may.gap, self_may.counterpart_level), (2, 2, 2))
        # trends: leader 1 -> 2 (+1); self 4 -> 4 (0); April has no previous period
        self.assertEqual((leader_may.trend, leader_may.has_trend), (1, True))
        self.assertEqual((self_may.trend, self_may.has_trend), (0, True))
        self.assertFalse(self_april.has_trend)
        # the leader changes May: the self rating's gap follows; April's trend base too
        leader_may.with_user(self.user_leader).write({"level": 3})
        leader_april.with_user(self.user_leader).write({"level": 2})
        self.env.flush_all()
        self.assertEqual((self_may.gap, leader_may.trend, self_april.gap), (1, 1, 2))
        # grouped in the matrix: the average gap of the team in May
        [(gap,)] = self.Rating._read_group(
            [("date_start", "=", MAY[0]), ("kind", "=", "self")], [], ["gap:avg"])
        self.assertEqual(gap, 1)
        leader_may.with_user(self.user_leader).unlink()
        self.env.flush_all()
        self.assertEqual((self_may.has_gap, self_may.gap), (False, 0))

    def test_lowest_competencies_and_matrix(self):
        """May (the latest period): leader discovery 2, closing 4; self closing 1 (the
        leader's 4 wins), prospecting 1. April's lower ratings are older: ignored."""
        sam = self.user_salesman
        self._rating(sam, self.presenting, "leader", 1, date_start=date(2026, 4, 1))
        self._rating(sam, self.discovery, "leader", 2)
        self._rating(sam, self.closing, "leader", 4)
        self._rating(sam, self.closing, "self", 1)
        self._rating(sam, self.prospecting, "self", 1)
        lowest = self.Rating._lowest_competencies(sam)
        self.assertEqual(lowest.ids, (self.prospecting | self.discovery).ids)
        self.assertEqual(self.Rating._lowest_competencies(sam, limit=3).ids,
                         [self.prospecting.id, self.discovery.id, self.closing.id])
        self.assertFalse(self.Rating._lowest_competencies(self.user_salesman_2))
        # the matrix: latest per competency, leader level first, with the gap
        data = self.Rating.with_user(self.user_leader)._matrix_data(
            sam | self.user_salesman_2)
        cells = data["rows"][0]["cells"]
        self.assertEqual(cells[self.closing.id]["level"], 4)
        self.assertEqual(cells[self.closing.id]["gap"], -3)
        self.assertEqual(cells[self.presenting.id]["date_start"], date(2026, 4, 1))
        self.assertEqual(cells[self.prospecting.id]["kind"], "self")
        self.assertIsNone(data["rows"][1]["cells"][self.closing.id])
        html = self.team.with_user(self.user_leader).competency_matrix_html
        self.assertIn("Sam Salesman", html)
        self.assertIn("Sara Second", html)
        # a member sees their own row only
        html = self.team.with_user(self.user_salesman_2).competency_matrix_html
        self.assertNotIn("Sam Salesman", html)

    def test_evidence(self):
        sam = self.user_salesman
        lead = self._opportunity(sam, "SM evidence")
        self._done_activity(lead, "2026-05-20")
        message = self.env["mail.message"].search([
            ("model", "=", "crm.lead"), ("res_id", "=", lead.id),
            ("mail_activity_type_id", "!=", False)])
        self.assertEqual(len(message), 1)
        rating = self._rating(sam, self.discovery, "self", 3, evidence="Good questions",
                              lead_ids=[Command.set(lead.ids)],
                              activity_message_ids=[Command.set(message.ids)])
        self.assertEqual(rating.lead_ids, lead)
        saras = self._opportunity(self.user_salesman_2, "SM Sara's deal")
        with self.assertRaises(AccessError):  # Sam does not read Sara's opportunity
            rating.with_user(sam).write({"lead_ids": [Command.link(saras.id)]})
        with self.assertRaises(ValidationError):  # a manager reads it: not Sam's deal
            self._rating(sam, self.discovery, "leader", 3, rater=self.user_manager,
                         lead_ids=[Command.set(saras.ids)])


class TestCompetencyRpc(JsonRpcMixin, CompetencyCommon, HttpCase):
    def test_forged_rating_refused_over_rpc(self):
        """Sam's client sends a leader rating of himself, then a self rating in Lea's
        name: both refused, nothing written."""
        self.authenticate(self.user_salesman.login, self.user_salesman.login)
        forged = (
            {"user_id": self.user_salesman.id, "kind": "leader"},
            {"user_id": self.user_salesman.id, "kind": "self", "rater_id": self.user_leader.id},
        )
        for vals in forged:
            reply = self._rpc("sales.competency.rating", "create", [{
                "competency_id": self.closing.id, "level": 5, "date_start": "2026-05-01",
                **vals}])
            self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertEqual(self.Rating.sudo().search_count([]), 0)
        reply = self._rpc("sales.competency.rating", "create", [{
            "competency_id": self.closing.id, "level": 4, "date_start": "2026-05-01"}])
        self.assertNotIn("error", reply, reply)
        rating = self.Rating.sudo().browse(reply["result"])
        self.assertEqual((rating.user_id, rating.rater_id, rating.kind),
                         (self.user_salesman, self.user_salesman, "self"))


class TestCompetencyScorecard(CompetencyCommon):
    SCORECARD = "sales_management.report_salesperson_scorecard"

    def test_scorecard_competencies_section(self):
        """Sam: discovery self 4 / leader 2 in May (gap +2), leader 1 in April (trend
        +1); one opportunity created in the period (prospecting KPI 1); a confirmed focus
        on closing."""
        sam = self.user_salesman
        self._rating(sam, self.discovery, "leader", 1, date_start=date(2026, 4, 1))
        self._rating(sam, self.discovery, "self", 4)
        self._rating(sam, self.discovery, "leader", 2)
        self._opportunity(sam, "SM scorecard deal")
        focus = self.Focus.with_user(self.user_leader).create({
            "user_id": sam.id, "competency_id": self.closing.id})
        focus.with_user(self.user_leader).action_confirm()
        data = self.Rating.with_user(self.user_leader)._scorecard_data(
            sam, date(2026, 1, 1), date(2026, 12, 31))
        rows = {row["competency"]: row for row in data["rows"]}
        cell = rows[self.discovery]["cell"]
        self.assertEqual((cell["level"], cell["self_level"], cell["leader_level"],
                          cell["gap"], cell["trend"]), (2, 4, 2, 2, 1))
        self.assertEqual(rows[self.prospecting]["kpi"], 1.0)
        self.assertIsNone(rows[self.presenting]["cell"])
        self.assertEqual(data["focuses"], focus)
        html, _kind = self.env["ir.actions.report"].with_user(
            self.user_leader)._render_qweb_html(self.SCORECARD, sam.ids)
        html = html.decode()
        self.assertIn("Competencies", html)
        self.assertIn("o_sm_competencies", html)
        self.assertIn("Coaching Focus", html)
        self.assertIn("+2", html)
        # Sara prints her own: nothing of Sam's ratings
        html, _kind = self.env["ir.actions.report"].with_user(
            self.user_salesman_2)._render_qweb_html(self.SCORECARD, self.user_salesman_2.ids)
        self.assertNotIn("o_sm_focus", html.decode())


class TestCompetencyDemo(CompetencyCommon):
    def test_demo_ratings_and_focus(self):
        """The demo (rolled back after the test): two months of self and leader ratings
        of the four salespersons on the seven competencies, gaps and trends, and a
        confirmed focus in each team; running it again adds nothing."""
        from odoo.tools import convert_file

        for name in ("sales_management_demo.xml", "sales_competency_demo.xml"):
            convert_file(self.env, "sales_management", f"demo/{name}", {}, mode="init",
                         noupdate=False, kind="demo")
        ratings = self.Rating.search([])
        self.assertEqual(len(ratings), 4 * 7 * 2 * 2)
        self.assertEqual(set(ratings.mapped("date_start")),
                         {date(2026, 3, 1), date(2026, 4, 1)})
        self.assertTrue(ratings.filtered(lambda r: r.has_gap and r.gap > 0))
        april = ratings.filtered(lambda r: r.date_start == date(2026, 4, 1))
        self.assertTrue(all(april.mapped("has_trend")))
        self.assertTrue(april.filtered(lambda r: r.trend > 0))
        confirmed = self.Focus.search([("state", "=", "confirmed")])
        self.assertEqual(len(confirmed.team_id), 2)
        for focus in confirmed:
            self.assertEqual(focus.confirmed_by_id, focus.team_id.user_id)
        count = len(self.Focus.search([]))
        self.env["sales.management.demo"]._generate_competency_demo()
        self.assertEqual(len(self.Rating.search([])), len(ratings))
        self.assertEqual(len(self.Focus.search([])), count)
