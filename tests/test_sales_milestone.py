"""Transitional milestones: guards when advancing, stage mapping, probabilities and medians
learnt from a known history, the funnel / forecast / activity-quality reports, the stalled
filter, the cron's no-op, and access per role."""

import statistics
from datetime import timedelta

from common import on_edge_dates
from milestone_common import MilestoneCommon

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError


@on_edge_dates
class TestMilestoneAdvance(MilestoneCommon):
    def test_guards_criteria_then_activities_then_advance(self):
        lead = self._lead()
        as_sam = lead.with_user(self.user_salesman)
        self.assertEqual(as_sam.next_milestone_id, self.m1)
        self.assertFalse(as_sam.milestone_ready)
        self.assertIn("Budget identified", as_sam.milestone_missing)
        self.assertIn(self.call.name, as_sam.milestone_missing)
        with self.assertRaisesRegex(UserError, "Budget identified"):
            as_sam.action_milestone_advance()
        self.assertFalse(lead.milestone_line_ids)
        # confirm one criterion: still refused, the other one is named
        as_sam.milestone_criterion_ids = [Command.link(self.m1.criterion_ids[0].id)]
        with self.assertRaisesRegex(UserError, "Timeline known") as error:
            as_sam.action_milestone_advance()
        self.assertNotIn("Budget identified", str(error.exception))
        as_sam.milestone_criterion_ids = [Command.link(self.m1.criterion_ids[1].id)]
        # criteria confirmed, the required call is missing
        with self.assertRaisesRegex(UserError, self.call.name):
            as_sam.action_milestone_advance()
        self.assertFalse(lead.milestone_line_ids)
        # an e-mail activity is not a call
        self._do_activity(lead, self.email)
        with self.assertRaises(UserError):
            as_sam.action_milestone_advance()
        self._do_activity(lead, self.call)
        as_sam.invalidate_recordset()
        self.assertTrue(as_sam.milestone_ready)
        self.assertFalse(as_sam.milestone_missing)
        as_sam.action_milestone_advance()
        self.assertEqual(len(lead.milestone_line_ids), 1)
        line = lead.milestone_line_ids
        self.assertEqual(line.milestone_id, self.m1)
        self.assertEqual(line.user_id, self.user_salesman)
        self.assertFalse(line.overridden)
        self.assertEqual(lead.milestone_id, self.m1)
        self.assertEqual(as_sam.next_milestone_id, self.m2)
        self.assertTrue(lead.message_ids.filtered(
            lambda m: "Milestone Qualified reached" in (m.body or "")
        ))

    def test_reaching_twice_is_refused(self):
        lead = self._lead()
        self.m1.criterion_ids.unlink()
        self.m1.activity_type_ids = False
        lead.with_user(self.user_salesman)._reach_milestone(self.m1)
        with self.assertRaisesRegex(UserError, "already reached"):
            lead.with_user(self.user_salesman)._reach_milestone(self.m1)
        self.assertEqual(len(lead.milestone_line_ids), 1)

    def test_skipping_refused_unless_team_allows(self):
        lead = self._lead()
        lead.milestone_criterion_ids = [Command.set(self.m2.criterion_ids.ids)]
        self._do_activity(lead, self.meeting)
        as_sam = lead.with_user(self.user_salesman)
        with self.assertRaisesRegex(UserError, "Reach first: Qualified"):
            as_sam._reach_milestone(self.m2)
        self.assertFalse(lead.milestone_line_ids)
        self.team.milestone_allow_skip = True
        as_sam._reach_milestone(self.m2)
        self.assertEqual(lead.milestone_id, self.m2)
        self.assertFalse(lead.milestone_line_ids.overridden)
        # going back to an earlier milestone is not a way to reach it later on
        self.assertFalse(as_sam.next_milestone_id == self.m1)

    def test_override_by_manager_only_and_logged(self):
        lead = self._lead()
        with self.assertRaises(AccessError):
            lead.with_user(self.user_salesman).action_milestone_override()
        with self.assertRaises(AccessError):
            lead.with_user(self.user_all_docs).action_milestone_override()
        self.assertFalse(lead.milestone_line_ids)
        lead.with_user(self.user_manager).action_milestone_override()
        line = lead.milestone_line_ids
        self.assertEqual(line.milestone_id, self.m1)
        self.assertTrue(line.overridden)
        self.assertEqual(line.user_id, self.user_manager)
        self.assertIn("Budget identified", line.note)
        log = lead.message_ids.filtered(lambda m: "override by Mia Manager" in (m.body or ""))
        self.assertTrue(log, "the override is logged in the chatter")
        self.assertIn(self.call.name, log.body)

    def test_wizard_reaches_with_note(self):
        lead = self._lead()
        lead.milestone_criterion_ids = [Command.set(self.m1.criterion_ids.ids)]
        self._do_activity(lead, self.call)
        wizard = self.env["sales.lead.milestone.reach"].with_user(self.user_salesman).create({
            "lead_id": lead.id, "milestone_id": self.m1.id, "note": "Call with the CFO",
        })
        self.assertEqual(wizard.candidate_ids, self.m1 | self.m2 | self.m3)
        self.assertFalse(wizard.missing)
        wizard.action_confirm()
        self.assertEqual(lead.milestone_line_ids.note, "Call with the CFO")
        # a salesperson ticking "override" is still refused
        wizard = self.env["sales.lead.milestone.reach"].with_user(self.user_salesman).create({
            "lead_id": lead.id, "milestone_id": self.m2.id, "override": True,
        })
        self.assertIn("Scope agreed", wizard.missing)
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(len(lead.milestone_line_ids), 1)

    def test_team_restriction(self):
        m_south = self.env["sales.milestone"].create({
            "name": "South only", "sequence": 15, "team_ids": [Command.set(self.team_other.ids)],
        })
        lead = self._lead()
        with self.assertRaisesRegex(UserError, "does not apply"):
            lead._reach_milestone(m_south)
        self.assertEqual(lead.next_milestone_id, self.m1)

    def test_stage_mapping(self):
        lead_ok = self._lead(name="Ready")
        lead_ok.milestone_criterion_ids = [Command.set(
            (self.m1.criterion_ids | self.m2.criterion_ids).ids
        )]
        self._do_activity(lead_ok, self.call)
        lead_ok.with_user(self.user_salesman).action_milestone_advance()
        self._do_activity(lead_ok, self.meeting)
        lead_ok.with_user(self.user_salesman).stage_id = self.stage_proposal
        self.assertEqual(lead_ok.milestone_id, self.m2)
        self.assertFalse(lead_ok.milestone_line_ids.filtered(
            lambda ln: ln.milestone_id == self.m2).overridden)
        # rules not met: recorded but clearly flagged, with what was missing
        lead_ko = self._lead(name="Not ready")
        lead_ko.with_user(self.user_salesman).stage_id = self.stage_proposal
        line = lead_ko.milestone_line_ids
        self.assertEqual(line.milestone_id, self.m2)
        self.assertTrue(line.overridden)
        self.assertIn("SM Proposal", line.note)
        self.assertIn("Reach first: Qualified", line.note)
        # a won stage records the won milestone
        lead_ok.with_user(self.user_salesman).action_set_won()
        self.assertEqual(lead_ok.milestone_id, self.m3)
        self.assertFalse(lead_ok.next_milestone_id)
        # moving back to an earlier mapped stage does not record anything twice
        lead_ko.stage_id = self.stage_new
        lead_ko.stage_id = self.stage_proposal
        self.assertEqual(len(lead_ko.milestone_line_ids), 1)

    def test_reaching_won_milestone_wins_the_opportunity(self):
        lead = self._lead()
        lead.with_user(self.user_manager)._reach_milestone(self.m3, override=True)
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual(lead.probability, 100)
        self.assertEqual(len(lead.milestone_line_ids), 1)

    def test_bad_settings(self):
        from odoo.exceptions import ValidationError
        for values in ({"milestone_window_months": 0}, {"milestone_min_closed": -1},
                       {"milestone_stalled_factor": 0}):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    self.company.write(values)


@on_edge_dates
class TestMilestoneHistory(MilestoneCommon):
    """A history with known outcomes; expected figures computed from the spec below."""

    # (team key, [(milestone key, day offset)], outcome, offset of the won milestone)
    SPEC = [
        ("north", [("m1", 0), ("m2", 4)], "won", 10),
        ("north", [("m1", 0), ("m2", 6)], "won", 20),
        ("north", [("m1", 0), ("m2", 10)], "won", 15),
        ("north", [("m1", 0), ("m2", 2)], "won", 30),
        ("north", [("m1", 0), ("m2", 8)], "lost", None),
        ("north", [("m1", 0), ("m2", 3)], "lost", None),
        ("north", [("m1", 0)], "lost", None),
        ("north", [("m1", 0)], "lost", None),
        ("north", [("m1", 0)], "lost", None),
        ("north", [("m1", 0)], "open", None),
        ("south", [("m1", 0), ("m2", 5)], "won", 9),
        ("south", [("m1", 0)], "lost", None),
        ("south", [("m1", 0)], "open", None),
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.base = fields.Datetime.now().replace(microsecond=0) - timedelta(days=60)
        cls.milestones = {"m1": cls.m1, "m2": cls.m2, "m3": cls.m3}
        cls.teams = {"north": cls.team, "south": cls.team_other}
        users = {"north": cls.user_salesman, "south": cls.user_other_team}
        cls.leads = cls.env["crm.lead"]
        Line = cls.env["sales.lead.milestone"]
        for index, (team, steps, outcome, won_offset) in enumerate(cls.SPEC):
            lead = cls.env["crm.lead"].create({
                "name": f"History {index}", "type": "opportunity",
                "team_id": cls.teams[team].id, "user_id": users[team].id,
                "stage_id": cls.stage_new.id, "expected_revenue": 1000 * (index + 1),
            })
            for key, offset in steps:
                Line.create({
                    "lead_id": lead.id, "milestone_id": cls.milestones[key].id,
                    "date_reached": cls.base + timedelta(days=offset),
                })
            if outcome == "won":
                lead.stage_id = cls.stage_won  # records the won milestone (stage mapping)
                lead.milestone_line_ids.filtered(lambda ln: ln.milestone_id == cls.m3).write(
                    {"date_reached": cls.base + timedelta(days=won_offset)}
                )
            elif outcome == "lost":
                lead.action_set_lost()
            cls.leads |= lead
        # outside the trailing window: ignored by the probabilities and medians
        cls.old_lead = cls.env["crm.lead"].create({
            "name": "Old history", "type": "opportunity", "team_id": cls.team.id,
            "user_id": cls.user_salesman.id,
        })
        Line.create({"lead_id": cls.old_lead.id, "milestone_id": cls.m1.id,
                     "date_reached": cls.base - timedelta(days=800)})
        Line.create({"lead_id": cls.old_lead.id, "milestone_id": cls.m2.id,
                     "date_reached": cls.base - timedelta(days=700)})
        cls.old_lead.action_set_lost()
        cls.env["sales.milestone"]._compute_statistics(force=True)

    # independent computation from SPEC
    def _expected_probability(self, key, team=None):
        closed = won = 0
        for team_key, steps, outcome, _won in self.SPEC:
            if team and team_key != team:
                continue
            reached = {k for k, _o in steps} | ({"m3"} if outcome == "won" else set())
            if key in reached and outcome != "open":
                closed += 1
                won += outcome == "won"
        return round(100.0 * won / closed, 1)

    def _expected_median(self, key):
        durations = []
        for _team, steps, outcome, won_offset in self.SPEC:
            timeline = list(steps) + ([("m3", won_offset)] if outcome == "won" else [])
            for (k, offset), nxt in zip(timeline, timeline[1:]):
                if k == key:
                    durations.append(nxt[1] - offset)
        return statistics.median(durations)

    def test_probabilities_company_wide_and_per_team(self):
        for key in ("m1", "m2", "m3"):
            with self.subTest(milestone=key):
                self.assertAlmostEqual(
                    self.milestones[key].probability, self._expected_probability(key),
                )
        # north has 9+1 closed opportunities (>= 5): its own figures; south (3) has not
        stats = self.env["sales.milestone.stat"].search([])
        self.assertEqual(stats.team_id, self.team)
        north_m1 = stats.filtered(lambda s: s.milestone_id == self.m1)
        self.assertAlmostEqual(north_m1.probability, self._expected_probability("m1", "north"))
        self.assertEqual(north_m1.sample_count, 9)
        open_north = self.leads.filtered(lambda ld: ld.name == "History 9")
        open_south = self.leads.filtered(lambda ld: ld.name == "History 12")
        self.assertAlmostEqual(
            open_north.milestone_probability, self._expected_probability("m1", "north"),
        )
        self.assertAlmostEqual(open_south.milestone_probability, self._expected_probability("m1"))
        self.assertNotEqual(open_north.milestone_probability, open_south.milestone_probability)
        self.assertAlmostEqual(
            open_north.milestone_expected_revenue,
            round(open_north.expected_revenue * open_north.milestone_probability / 100, 2),
        )

    def test_window_and_min_closed_settings(self):
        # a 100-month window takes the old lost opportunity in: m1 and m2 drop
        self.company.milestone_window_months = 100
        self.env["sales.milestone"]._cron_compute_probabilities()
        closed, won = 9 + 2 + 1, 5
        self.assertAlmostEqual(self.m1.probability, round(100.0 * won / closed, 1))
        # a higher minimum removes north's own figures
        self.company.write({"milestone_window_months": 12, "milestone_min_closed": 50})
        self.env["sales.milestone"]._cron_compute_probabilities()
        self.assertFalse(self.env["sales.milestone.stat"].search([]))
        open_north = self.leads.filtered(lambda ld: ld.name == "History 9")
        self.assertAlmostEqual(open_north.milestone_probability, self._expected_probability("m1"))

    def test_median_days_to_next(self):
        self.assertAlmostEqual(self.m1.median_days_to_next, self._expected_median("m1"))
        self.assertAlmostEqual(self.m2.median_days_to_next, self._expected_median("m2"))
        self.assertEqual(self.m3.median_days_to_next, 0)

    def test_cron_is_a_noop_when_nothing_changed(self):
        Milestone = self.env["sales.milestone"]
        self.env.flush_all()
        before = {m.id: (m.write_date, m.probability) for m in self.m1 | self.m2 | self.m3}
        # (8 + the savepoint and the lock of the fingerprint's row: a concurrent run)
        with self.assertQueryCount(__system__=11):
            self.assertFalse(Milestone._cron_compute_probabilities())
        self.assertEqual(
            {m.id: (m.write_date, m.probability) for m in self.m1 | self.m2 | self.m3}, before,
        )
        # a new closed opportunity changes the inputs: recomputed
        lead = self._lead(name="New one")
        self.env["sales.lead.milestone"].create({
            "lead_id": lead.id, "milestone_id": self.m1.id,
            "date_reached": self.base + timedelta(days=1),
        })
        lead.action_set_lost()
        self.assertTrue(Milestone._cron_compute_probabilities())
        self.assertAlmostEqual(self.m1.probability, round(100.0 * 5 / 12, 1))

    def _stored_lead_figures(self):
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT id, milestone_probability, milestone_expected_revenue
              FROM crm_lead WHERE milestone_id IS NOT NULL ORDER BY id
        """)
        return {i: (float(p or 0), float(e or 0)) for i, p, e in self.env.cr.fetchall()}

    def _orm_lead_figures(self):
        """What the ORM computes: every opportunity with a milestone recomputed."""
        leads = self.env["crm.lead"].with_context(active_test=False).search(
            [("milestone_id", "!=", False)]
        )
        for fname in ("milestone_probability", "milestone_expected_revenue"):
            self.env.add_to_compute(leads._fields[fname], leads)
        self.env.flush_all()
        self.env.invalidate_all()
        return self._stored_lead_figures()

    def test_job_stores_what_the_orm_computes(self):
        """The job writes the opportunities' probabilities with one SQL UPDATE (not the ORM
        recompute): the same values as the compute methods, archived (lost) ones
        included, after the figures change both ways (team figures dropped, back again)."""
        Milestone = self.env["sales.milestone"]
        # odd amounts: half-cent products exercise the rounding
        for index, lead in enumerate(self.leads):
            lead.expected_revenue = 1000.5 + 333.33 * index + 0.01 * (index % 3)
        for settings in ({}, {"milestone_min_closed": 50}, {"milestone_min_closed": 5,
                                                            "milestone_window_months": 100}):
            with self.subTest(settings=settings):
                self.company.write(settings)
                # stale figures everywhere, so that the job has to write them all
                self.env.flush_all()
                self.env.cr.execute(
                    "UPDATE crm_lead SET milestone_probability = 0,"
                    " milestone_expected_revenue = 0 WHERE id = ANY(%s)", [self.leads.ids])
                self.env.cr.execute("UPDATE sales_milestone SET probability = 0,"
                                    " sample_count = 0, median_days_to_next = 0")
                self.env.cr.execute("DELETE FROM sales_milestone_stat")
                self.env.invalidate_all()
                self.assertTrue(Milestone._compute_statistics(force=True))
                stored = self._stored_lead_figures()
                self.assertTrue(any(p for p, _e in stored.values()))
                self.assertEqual(stored, self._orm_lead_figures())
                # and the cache was invalidated: the ORM reads the new values
                open_north = self.leads.filtered(lambda ld: ld.name == "History 9")
                self.assertAlmostEqual(
                    open_north.milestone_probability, stored[open_north.id][0],
                )

    def test_statistics_queries_do_not_grow_with_history(self):
        """The recomputation is set-based: as many queries after 5 as after 30 more
        closed opportunities (the same figures change in both cases)."""
        Milestone = self.env["sales.milestone"]

        def count_queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Milestone._compute_statistics(force=True)
            return self.env.cr.sql_log_count - before

        def add_lost(count):
            for index in range(count):
                lead = self._lead(name=f"More {index}")
                self.env["sales.lead.milestone"].create({
                    "lead_id": lead.id, "milestone_id": self.m1.id,
                    "date_reached": self.base + timedelta(days=index % 30),
                })
                lead.action_set_lost()

        add_lost(5)
        small = count_queries()
        add_lost(30)
        # six times the opportunities, the same queries (a flush may split one UPDATE)
        self.assertLessEqual(count_queries(), small + 2)

    def test_funnel_report(self):
        Report = self.env["sales.milestone.funnel.report"]
        domain = [("date_reached", ">=", self.base - timedelta(days=1))]
        groups = Report._read_group(
            domain, ["milestone_id"],
            ["reached_count:sum", "next_count:sum", "won_count:sum",
             "conversion_next:avg", "conversion_won:avg", "median_days_to_next:avg"],
        )
        by_milestone = {g[0]: g[1:] for g in groups}
        for key in ("m1", "m2"):
            reached = [s for s in self.SPEC if key in {k for k, _o in s[1]}]
            with_next = [s for s in reached if key == "m1" and len(s[1]) > 1
                         or key == "m2" and s[2] == "won"]
            won = [s for s in reached if s[2] == "won"]
            values = by_milestone[self.milestones[key]]
            with self.subTest(milestone=key):
                self.assertEqual(values[0], len(reached))
                self.assertEqual(values[1], len(with_next))
                self.assertEqual(values[2], len(won))
                self.assertAlmostEqual(values[3], 100.0 * len(with_next) / len(reached))
                self.assertAlmostEqual(values[4], 100.0 * len(won) / len(reached))
                self.assertAlmostEqual(values[5], self._expected_median(key))
        # by team: north only
        north = Report._read_group(
            domain + [("team_id", "=", self.team.id), ("milestone_id", "=", self.m1.id)],
            [], ["reached_count:sum", "conversion_next:avg"],
        )[0]
        self.assertEqual(north[0], 10)
        self.assertAlmostEqual(north[1], 60.0)
        # the web pivot goes through read_group: the median is a median there too
        pivot = Report.read_group(
            domain, ["median_days_to_next:avg"], ["milestone_id"], lazy=False,
        )
        m1_row = next(r for r in pivot if r["milestone_id"][0] == self.m1.id)
        self.assertAlmostEqual(m1_row["median_days_to_next"], self._expected_median("m1"))

    def test_funnel_line_measures_read_the_reached_rows(self):
        """The reached milestones' measures read alone skip the rows passed through
        (zero or empty in these measures): the same values as a read of every row, and
        no group of passed-through rows only."""
        Report = self.env["sales.milestone.funnel.report"]
        # an opportunity that went straight to m2: m1 is passed through, never reached
        skipper = self._lead(name="Skipped m1")
        self.env["sales.lead.milestone"].create({
            "lead_id": skipper.id, "milestone_id": self.m2.id,
            "date_reached": self.base + timedelta(days=1),
        })
        domain = [("date_reached", ">=", self.base - timedelta(days=1))]
        groupby = ["lead_id", "milestone_id"]
        measures = ["reached_count:sum", "next_count:sum", "won_count:sum",
                    "conversion_next:avg", "conversion_won:avg", "days_to_next:avg",
                    "median_days_to_next:avg"]
        alone = {(lead, milestone): values
                 for lead, milestone, *values in Report._read_group(domain, groupby, measures)}
        # with the row count, every row is read: the passed-through ones too
        every_row = {(lead, milestone): values for lead, milestone, _count, *values
                     in Report._read_group(domain, groupby, ["__count", *measures])}
        reached = {(line.lead_id, line.milestone_id) for line in
                   self.env["sales.lead.milestone"].search([*domain,
                                                            ("lead_id.type", "=", "opportunity")])}
        self.assertIn((skipper, self.m1), every_row)  # passed through only
        self.assertEqual(every_row[skipper, self.m1][0], 0)
        self.assertEqual(set(alone), reached)
        self.assertEqual(alone, {key: every_row[key] for key in reached})
        self.assertEqual(alone[skipper, self.m2][0], 1)

    def test_reports_team_leader_column(self):
        """``team_user_id`` of the funnel, activity quality and forecast reports is the
        leader of the opportunity's team (none without a team): grouped by it, each
        report counts the rows of the teams each person leads."""
        north = self._lead(name="North lead")
        south = self._lead(user=self.user_other_team, team=self.team_other,
                           name="South lead")
        alone = self._lead(name="No team lead")
        alone.team_id = False
        leads = north | south | alone
        for lead in leads:
            self.env["sales.lead.milestone"].create({
                "lead_id": lead.id, "milestone_id": self.m2.id,
                "date_reached": self.base + timedelta(days=1),
            })
            self._do_activity(lead, self.call)
        self.env.flush_all()
        leader_of = {lead.id: lead.team_id.user_id.id for lead in leads}
        self.assertEqual(set(leader_of.values()),
                         {self.user_leader.id, self.user_manager.id, False})
        for name in ("sales.milestone.funnel.report", "sales.milestone.activity.report",
                     "sales.milestone.forecast.report"):
            Report = self.env[name]
            rows = Report.search_read([("lead_id", "in", leads.ids)],
                                      ["lead_id", "team_user_id"])
            with self.subTest(report=name):
                self.assertEqual({row["lead_id"][0] for row in rows}, set(leads.ids))
                for row in rows:
                    self.assertEqual(row["team_user_id"] and row["team_user_id"][0],
                                     leader_of[row["lead_id"][0]])
                counts = {leader.id: count for leader, count in Report._read_group(
                    [("lead_id", "in", leads.ids)], ["team_user_id"], ["__count"])}
                self.assertEqual(counts, {
                    uid: sum(1 for row in rows if (row["team_user_id"] or [False])[0] == uid)
                    for uid in leader_of.values()})

    def test_forecast_report_sum(self):
        month = fields.Date.today().replace(day=15) + timedelta(days=40)
        open_leads = self.leads.filtered("active").filtered(lambda ld: not ld.stage_id.is_won)
        open_leads.write({"date_deadline": month})
        extra = self._lead(name="No milestone", expected_revenue=5000, date_deadline=month,
                           probability=30)
        open_leads |= extra
        self.env.flush_all()
        Report = self.env["sales.milestone.forecast.report"]
        groups = Report._read_group(
            [("date_deadline", "=", month)], ["date_deadline:month"],
            ["milestone_expected_revenue:sum", "prorated_revenue:sum", "expected_revenue:sum",
             "__count"],
        )
        self.assertEqual(len(groups), 1)
        _month, weighted, prorated, expected, count = groups[0]
        self.assertEqual(count, len(open_leads))
        self.assertAlmostEqual(weighted, sum(
            round(ld.expected_revenue * ld.milestone_probability / 100, 2) for ld in open_leads
        ))
        self.assertAlmostEqual(prorated, sum(
            round(ld.expected_revenue * ld.probability / 100, 2) for ld in open_leads
        ))
        self.assertAlmostEqual(expected, sum(open_leads.mapped("expected_revenue")))
        self.assertGreater(weighted, 0)
        # won and lost opportunities are not forecast
        self.assertFalse(Report.search([("lead_id", "in", (self.leads - open_leads).ids)]))

    def test_stalled_filter(self):
        # m1 median is 5 days, factor 2: stalled after 10 days at m1 (history lines are
        # 60 days old: the open north and south opportunities are stalled)
        fresh = self._lead(name="Fresh")
        self.env["sales.lead.milestone"].create({
            "lead_id": fresh.id, "milestone_id": self.m1.id,
            "date_reached": fields.Datetime.now() - timedelta(days=3),
        })
        # the search and the field agree at the border, on the ORM's clock: 10½ days in m1
        # are 10 whole days (not above 2 × 5), 11 days are
        border, over = self._lead(name="Border"), self._lead(name="Over")
        for lead, age in ((border, timedelta(days=10, hours=12)), (over, timedelta(days=11))):
            self.env["sales.lead.milestone"].create({
                "lead_id": lead.id, "milestone_id": self.m1.id,
                "date_reached": fields.Datetime.now() - age,
            })
        both = border | over
        self.assertEqual(both.filtered("milestone_stalled"), over)
        self.assertEqual(self.env["crm.lead"].search(
            [("id", "in", both.ids), ("milestone_stalled", "=", True)]), over)
        self.assertEqual(self.env["crm.lead"].search(
            [("id", "in", both.ids), ("milestone_stalled", "!=", True)]), border)
        stalled = self.env["crm.lead"].search([("milestone_stalled", "=", True)])
        expected = self.leads.filtered(lambda ld: ld.name in ("History 9", "History 12"))
        self.assertEqual(stalled & (self.leads | fresh), expected)
        self.assertTrue(expected[0].milestone_stalled)
        self.assertFalse(fresh.milestone_stalled)
        self.assertEqual(fresh.milestone_days, 3)
        self.assertIn(fresh, self.env["crm.lead"].search([("milestone_stalled", "!=", True)]))
        # a laxer factor: nothing stalled (60 days < 20 × 5)
        self.company.milestone_stalled_factor = 20
        self.assertFalse(
            self.env["crm.lead"].search([("milestone_stalled", "=", True)]) & self.leads
        )

    def test_security_per_role(self):
        Line = self.env["sales.lead.milestone"]
        north_lines = self.leads.filtered(lambda ld: ld.team_id == self.team).with_context(
            active_test=False).milestone_line_ids
        south_lines = Line.search([("lead_id.team_id", "=", self.team_other.id)])
        self.assertTrue(north_lines and south_lines)
        as_sam = Line.with_user(self.user_salesman).search([])
        self.assertTrue(north_lines <= as_sam)
        self.assertFalse(as_sam & south_lines)
        as_sara = Line.with_user(self.user_salesman_2).search([])
        self.assertFalse(as_sara & (north_lines | south_lines))
        # the leader of north sees the team's lines, not south's
        as_lea = Line.with_user(self.user_leader).search([])
        self.assertTrue(north_lines <= as_lea)
        self.assertFalse(as_lea & south_lines)
        for user in (self.user_all_docs, self.user_manager):
            self.assertTrue((north_lines | south_lines) <= Line.with_user(user).search([]))
        with self.assertRaises(AccessError):
            Line.with_user(self.user_internal).search([])
        # reports follow the same ladder
        for model in ("sales.milestone.funnel.report", "sales.milestone.forecast.report",
                      "sales.milestone.activity.report"):
            with self.subTest(model=model):
                Report = self.env[model]
                self.assertFalse(Report.with_user(self.user_salesman).search(
                    [("team_id", "=", self.team_other.id)]))
                self.assertFalse(Report.with_user(self.user_leader).search(
                    [("team_id", "=", self.team_other.id)]))
                with self.assertRaises(AccessError):
                    Report.with_user(self.user_internal).search([])
        funnel = self.env["sales.milestone.funnel.report"]
        self.assertTrue(funnel.with_user(self.user_all_docs).search(
            [("team_id", "=", self.team_other.id)]))
        self.assertEqual(
            # the milestones reached (the report adds the ones passed through on the way)
            funnel.with_user(self.user_salesman).search_count(
                [("team_id", "=", self.team.id), ("is_passed", "=", False)]),
            len(north_lines | self.old_lead.milestone_line_ids),
        )
        # configuration: read for salespersons, write for managers
        self.assertEqual(self.m1.with_user(self.user_salesman).name, "Qualified")
        with self.assertRaises(AccessError):
            self.m1.with_user(self.user_salesman).write({"name": "Hacked"})
        with self.assertRaises(AccessError):
            self.m1.criterion_ids.with_user(self.user_all_docs).write({"name": "Hacked"})
        self.m1.with_user(self.user_manager).write({"name": "Qualified!"})
        self.assertEqual(self.m1.name, "Qualified!")
        # a salesperson cannot delete a reached milestone
        with self.assertRaises(AccessError):
            north_lines[:1].with_user(self.user_salesman).unlink()

    def test_reports_follow_a_change_of_team_leader(self):
        """The reports' rules read the teams a user leads from the rule evaluation context,
        and rule domains are cached per user: a change of a team's leader must change what
        the old and the new leader see, at once (in the same transaction)."""
        reports = ("sales.milestone.funnel.report", "sales.milestone.forecast.report",
                   "sales.milestone.activity.report", "sales.kpi.report")

        def leads_of(team):
            # per report: the opportunities of the team that have rows in it
            return {model: set(self.env[model].search([("team_id", "=", team.id)])
                               .mapped("lead_id").ids) for model in reports}

        def visible(user):
            return {model: set(self.env[model].with_user(user).search([])
                               .mapped("lead_id").ids) for model in reports}

        north, south = leads_of(self.team), leads_of(self.team_other)
        for model in reports:
            self.assertTrue(north[model] and south[model], model)
        # Lea leads north (not south), Otto owns the south opportunities
        before = visible(self.user_leader)
        for model in reports:
            with self.subTest(model=model, step="before"):
                self.assertLessEqual(north[model], before[model])
                self.assertFalse(before[model] & south[model])
        # Lea also becomes the leader of south: she sees south too, at once
        self.team_other.with_user(self.user_manager).user_id = self.user_leader
        after = visible(self.user_leader)
        for model in reports:
            with self.subTest(model=model, step="leads south too"):
                self.assertLessEqual(north[model] | south[model], after[model])
        # north passes to Otto: Lea keeps south only, Otto sees north (and his own south)
        self.team.with_user(self.user_manager).user_id = self.user_other_team
        lea, otto = visible(self.user_leader), visible(self.user_other_team)
        for model in reports:
            with self.subTest(model=model, step="north to Otto"):
                self.assertLessEqual(south[model], lea[model])
                self.assertFalse(lea[model] & north[model])
                self.assertLessEqual(north[model] | south[model], otto[model])
        # no leader at all: Otto is back to his own opportunities
        (self.team | self.team_other).with_user(self.user_manager).user_id = False
        otto = visible(self.user_other_team)
        for model in reports:
            with self.subTest(model=model, step="no leader"):
                self.assertFalse(otto[model] & north[model])
                self.assertLessEqual(south[model], otto[model])

    def test_tracks_are_filter_for(self):
        """``_tracks`` (one query, the dashboard's funnel) gives, for each team and
        company, the milestones ``_filter_for`` gives, archived ones included, in order;
        as a user, the milestones of his companies only."""
        other = self.env["res.company"].create({"name": "SM Tracks Company"})
        Milestone = self.env["sales.milestone"]
        north = Milestone.create({"name": "North only", "sequence": 15,
                                  "team_ids": [Command.set(self.team.ids)]})
        both = Milestone.create({"name": "Both teams", "sequence": 5, "team_ids": [
            Command.set((self.team | self.team_other).ids)]})
        archived = Milestone.create({"name": "Archived", "sequence": 12, "active": False})
        foreign = Milestone.create({"name": "Other company", "sequence": 1,
                                    "company_id": other.id})
        # not flushed: the query writes pending changes first
        north.sequence = 11
        every = Milestone.with_context(active_test=False).search([])
        keys = [(company, team) for company in (self.company, other)
                for team in (self.team, self.team_other, self.env["crm.team"])]
        tracks = Milestone._tracks(keys)
        for company, team in keys:
            with self.subTest(company=company.name, team=team.name):
                expected = every._filter_for(team, company).sorted(lambda m: (m.sequence, m.id))
                self.assertEqual(tracks[company, team].ids, expected.ids)
        self.assertEqual(tracks[self.company, self.team][:4],
                         both | self.m1 | north | archived)
        self.assertNotIn(north, tracks[self.company, self.team_other])
        self.assertIn(foreign, tracks[other, self.team])
        # a user of the main company only: the other company's milestone is not his
        as_sam = Milestone.with_user(self.user_salesman)._tracks([(other, self.team)])
        self.assertNotIn(foreign, as_sam[other, self.team])
        self.assertIn(north, as_sam[other, self.team])

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "SM Other Company"})
        m_other = self.env["sales.milestone"].create({"name": "Other co", "company_id": other.id})
        visible = self.env["sales.milestone"].with_user(self.user_manager).search([])
        self.assertNotIn(m_other, visible)
        lead = self._lead()
        self.assertNotIn(m_other, lead._milestone_context()[lead.id]["applicable"])


@on_edge_dates
class TestMilestoneActivityQuality(MilestoneCommon):
    def test_right_activities_way_and_amount(self):
        self.m1.criterion_ids.unlink()
        lead = self._lead()
        today = fields.Date.today()
        # a call on time with a result, an e-mail late without result
        self._do_activity(lead, self.call, deadline=today + timedelta(days=2), feedback="Budget OK")
        self._do_activity(lead, self.email, deadline=today - timedelta(days=3), feedback="")
        lead.with_user(self.user_salesman).action_milestone_advance()
        # m2 reached by override: its required meeting is missing
        lead.with_user(self.user_manager).action_milestone_override()
        self.env.flush_all()
        Report = self.env["sales.milestone.activity.report"]
        rows = Report.search([("lead_id", "=", lead.id)])
        done = rows.filtered("done_count")
        self.assertEqual(len(done), 2)
        self.assertEqual(done.milestone_id, self.m1)
        call_row = done.filtered(lambda r: r.activity_type_id == self.call)
        self.assertTrue(call_row.is_required)
        self.assertEqual(
            (call_row.on_time_pct, call_row.with_result_pct, call_row.right_way_pct),
            (100, 100, 100),
        )
        mail_row = done.filtered(lambda r: r.activity_type_id == self.email)
        self.assertFalse(mail_row.is_required)
        self.assertEqual((mail_row.right_activity_pct, mail_row.on_time_pct,
                          mail_row.with_result_pct), (0, 0, 0))
        missing = rows.filtered("missing_count")
        self.assertEqual(missing.milestone_id, self.m2)
        self.assertEqual(missing.activity_type_id, self.meeting)
        totals = Report._read_group(
            [("lead_id", "=", lead.id)], ["milestone_id"],
            ["done_count:sum", "missing_count:sum", "right_activity_pct:avg",
             "right_way_pct:avg"],
        )
        by_milestone = {g[0]: g[1:] for g in totals}
        self.assertEqual(by_milestone[self.m1], (2, 0, 50.0, 50.0))
        self.assertEqual(by_milestone[self.m2][:2], (0, 1))
