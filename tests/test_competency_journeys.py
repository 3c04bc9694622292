"""People journeys in a real browser (issue 19), at desktop size and at phone size
(390x844, touch): a salesperson gives a self rating with evidence; a team leader has the
system propose the team's coaching focuses and confirms one. The database is checked
after each tour against the test's own data."""

from common import DISABLED_MAIL_CONTEXT, SalesManagementHttpCommon, new_role_user

from odoo import Command


class TestCompetencyJourneys(SalesManagementHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.leader = new_role_user(cls.env, "journey_manager")
        cls.sam = new_role_user(cls.env, "journey_sam")
        cls.sara = new_role_user(cls.env, "journey_sara")
        cls.team = cls.env["crm.team"].create({
            "name": "Journey North", "user_id": cls.leader.id,
            "member_ids": [Command.set((cls.sam | cls.sara).ids)],
        })
        cls.discovery = cls.env.ref("sales_management.sales_competency_discovery")
        cls.prospecting = cls.env.ref("sales_management.sales_competency_prospecting")

    def test_self_rating(self):
        self.start_tour("/odoo/action-sales_management.sales_competency_rating_action",
                        "sales_journey_self_rating", login="sm_journey_sam")
        rating = self.env["sales.competency.rating"].search([("user_id", "=", self.sam.id)])
        self.assertEqual(len(rating), 1)
        self.assertEqual((rating.competency_id, rating.kind, rating.level, rating.rater_id),
                         (self.discovery, "self", 4, self.sam))
        self.assertIn("decision makers", rating.evidence)

    def test_leader_proposes_and_confirms_focus(self):
        # opportunities created these 90 days: Sam none, Sara two -> median 1; Sam is 100 %
        # below it on prospecting (no other KPI has a value), Sara above
        for name in ("Journey deal 1", "Journey deal 2"):
            self.env["crm.lead"].create({"name": name, "type": "opportunity",
                                         "user_id": self.sara.id, "team_id": self.team.id})
        self.start_tour(f"/odoo/crm.team/{self.team.id}", "sales_journey_propose_focus",
                        login="sm_journey_mia")
        focuses = self.env["sales.coaching.focus"].search([("team_id", "=", self.team.id)])
        self.assertEqual(focuses.user_id, self.sam)
        self.assertEqual((focuses.competency_id, focuses.state, focuses.confirmed_by_id),
                         (self.prospecting, "confirmed", self.leader))


class TestCompetencyJourneysPhone(TestCompetencyJourneys):
    """The same journeys on a phone: 390x844 viewport, touch events."""

    browser_size = "390x844"
    touch_enabled = True
