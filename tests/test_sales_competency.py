"""Competencies, ratings and coaching focuses (issue 19, points 2 and 4)."""

from common import SalesManagementCommon


class TestCompetencySmoke(SalesManagementCommon):
    def test_models_load(self):
        competency = self.env["sales.competency"].create({"name": "SM Smoke"})
        rating = self.env["sales.competency.rating"].with_user(self.user_salesman).create({
            "competency_id": competency.id, "kind": "self", "level": 2,
        })
        self.assertEqual(rating.rater_id, self.user_salesman)
        self.assertEqual(
            self.env["sales.competency.rating"]._lowest_competencies(self.user_salesman),
            competency)
        self.assertEqual(competency._kpi_values(self.user_salesman, "2026-01-01",
                                                "2026-03-31"),
                         {self.user_salesman.id: {competency.id: None}})
