"""Fixtures of the figures tests (issue 18): a company year 2026 frozen on Wednesday 13 May,
two teams, plans with monthly targets (the company, the teams, Sam and Otto) and one
yearly target (Sara: a target spanning more than a month or a quarter), other metrics'
targets (an order count, win rates), orders from February to May, opportunities on two
milestone tracks, an activity done and required activities missing.

Used by ``test_dashboard_periods`` (one point of issue 18 per test) and
``test_figures_agree`` (every surface against the dashboard, figure by figure)."""

from datetime import date
from io import BytesIO

import openpyxl
from common import SalesManagementCommon

from odoo import Command

TODAY = date(2026, 5, 13)
PERIODS = ("month", "quarter", "year")
# the dashboard figures counted by a drill-down: {drill key: kpi key}
COUNTED = {
    "revenue": "order_count",
    "won": "won_count",
    "lost": "lost_count",
    "quotations": "quotation_count",
    "pipeline": "pipeline_count",
    "overdue_tasks": "overdue_tasks",
    "overdue_todos": "overdue_todos",
    "overdue_activities": "overdue_activities",
    "open_corrective_actions": "open_corrective_actions",
    "activities": "activities_done",
    "activities_missing": "activities_missing",
}


def months(year=2026):
    """The (first day, last day) of each month of ``year``."""
    result = []
    for month in range(1, 13):
        start = date(year, month, 1)
        end = date(year + month // 12, month % 12 + 1, 1).toordinal() - 1
        result.append((start, date.fromordinal(end)))
    return result


class FiguresCommon(SalesManagementCommon):
    """The data of the figures tests (see the module docstring)."""

    freeze_time = "2026-05-13 10:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dashboard = cls.env["sales.management.dashboard"]
        cls.revenue = cls.env.ref("sales_management.sales_metric_revenue")
        cls.orders_metric = cls.env.ref("sales_management.sales_metric_orders")
        cls.win_rate = cls.env.ref("sales_management.sales_metric_win_rate")
        cls._setup_plans()
        cls._setup_orders()
        cls._setup_funnel()
        cls._setup_follow_up()

    # ------------------------------------------------------------------ data
    @classmethod
    def _plan(cls, name, user, monthly=None, yearly=None, team=None, parent=None):
        if monthly is not None:
            targets = [Command.create({
                "metric_id": cls.revenue.id, "target_value": monthly,
                "date_from": start, "date_to": end,
            }) for start, end in months()]
        else:
            targets = [Command.create({"metric_id": cls.revenue.id, "target_value": yearly})]
        return cls.env["sales.plan"].create({
            "name": name, "user_id": user.id,
            "team_id": team.id if team else False,
            "parent_id": parent.id if parent else False,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31),
            "metric_id": cls.revenue.id, "target_ids": targets,
        })

    @classmethod
    def _setup_plans(cls):
        cls.plan_company = cls._plan("SMP Company", cls.user_manager, monthly=10000.0)
        cls.plan_north = cls._plan("SMP North", cls.user_leader, monthly=6000.0,
                                   team=cls.team, parent=cls.plan_company)
        cls.plan_sam = cls._plan("SMP Sam", cls.user_salesman, monthly=3000.0,
                                 team=cls.team, parent=cls.plan_north)
        cls.plan_sara = cls._plan("SMP Sara", cls.user_salesman_2, yearly=24000.0,
                                  team=cls.team, parent=cls.plan_north)
        cls.plan_south = cls._plan("SMP South", cls.user_manager, monthly=2000.0,
                                   team=cls.team_other, parent=cls.plan_company)
        cls.plan_otto = cls._plan("SMP Otto", cls.user_other_team, monthly=1000.0,
                                  team=cls.team_other, parent=cls.plan_south)
        # other metrics on Sam's and Sara's plans: an order count, win rates
        cls.env["sales.plan.target"].create([
            {"plan_id": cls.plan_sam.id, "metric_id": cls.orders_metric.id,
             "target_value": 20.0},
            {"plan_id": cls.plan_sam.id, "metric_id": cls.win_rate.id, "target_value": 50.0},
            {"plan_id": cls.plan_sara.id, "metric_id": cls.win_rate.id, "target_value": 40.0},
        ])
        for plan in (cls.plan_company, cls.plan_north, cls.plan_south):
            assert plan.scope in ("company", "team")
        assert {cls.plan_sam.scope, cls.plan_sara.scope, cls.plan_otto.scope} == {"user"}

    @classmethod
    def _setup_orders(cls):
        goods, service = cls.product_goods, cls.product_service
        # Sam: Feb 400, Apr 1000, May 600; Sara: Mar 2000, May 500; Otto (South): May 700
        cls.orders = {
            "sam_feb": cls._create_order(cls.customer_be, cls.user_salesman,
                                         [(goods, 4, 100.0)], "2026-02-10 10:00:00"),
            "sam_apr": cls._create_order(cls.customer_be, cls.user_salesman,
                                         [(goods, 10, 100.0)], "2026-04-08 10:00:00"),
            "sam_may": cls._create_order(cls.customer_us, cls.user_salesman,
                                         [(goods, 6, 100.0)], "2026-05-05 10:00:00"),
            "sara_mar": cls._create_order(cls.customer_be, cls.user_salesman_2,
                                          [(service, 2, 1000.0)], "2026-03-15 10:00:00"),
            "sara_may": cls._create_order(cls.customer_us, cls.user_salesman_2,
                                          [(service, 1, 500.0)], "2026-05-07 10:00:00"),
            "otto_may": cls._create_order(cls.customer_us, cls.user_other_team,
                                          [(goods, 7, 100.0)], "2026-05-11 10:00:00",
                                          team=cls.team_other),
        }

    @classmethod
    def _setup_funnel(cls):
        """Two tracks: North (Qualified, Proposal Sent, Won) and South (Contacted,
        Closed Won), both starting at sequence 1. North: A goes the whole way and is won,
        B skips Qualified, C qualified in April and sent its proposal in May, D only
        qualified. South: E contacted and won, F contacted."""
        Milestone = cls.env["sales.milestone"]
        meeting = cls.env.ref("mail.mail_activity_data_meeting")
        north, south = [Command.set(cls.team.ids)], [Command.set(cls.team_other.ids)]
        cls.n1 = Milestone.create({"name": "SMP Qualified", "sequence": 1, "team_ids": north,
                                   "activity_type_ids": [Command.set(meeting.ids)]})
        cls.n2 = Milestone.create({"name": "SMP Proposal Sent", "sequence": 2,
                                   "team_ids": north})
        cls.n3 = Milestone.create({"name": "SMP Won", "sequence": 3, "is_won": True,
                                   "team_ids": north})
        cls.s1 = Milestone.create({"name": "SMP Contacted", "sequence": 1, "team_ids": south})
        cls.s2 = Milestone.create({"name": "SMP Closed Won", "sequence": 2, "is_won": True,
                                   "team_ids": south})
        Lead = cls.env["crm.lead"]

        def lead(name, user, team, revenue):
            return Lead.create({"name": name, "type": "opportunity", "user_id": user.id,
                                "team_id": team.id, "expected_revenue": revenue})

        cls.lead_a = lead("SMP A", cls.user_salesman, cls.team, 3000.0)
        cls.lead_b = lead("SMP B", cls.user_salesman, cls.team, 1000.0)
        cls.lead_c = lead("SMP C", cls.user_salesman_2, cls.team, 500.0)
        cls.lead_d = lead("SMP D", cls.user_salesman, cls.team, 800.0)
        cls.lead_e = lead("SMP E", cls.user_other_team, cls.team_other, 9000.0)
        cls.lead_f = lead("SMP F", cls.user_other_team, cls.team_other, 100.0)
        lines = [
            (cls.lead_a, cls.n1, "2026-05-02"), (cls.lead_a, cls.n2, "2026-05-04"),
            (cls.lead_a, cls.n3, "2026-05-06"),
            (cls.lead_b, cls.n2, "2026-05-05"),
            (cls.lead_c, cls.n1, "2026-04-20"), (cls.lead_c, cls.n2, "2026-05-08"),
            (cls.lead_d, cls.n1, "2026-05-09"),
            (cls.lead_e, cls.s1, "2026-05-03"), (cls.lead_e, cls.s2, "2026-05-10"),
            (cls.lead_f, cls.s1, "2026-05-04"),
        ]
        cls.env["sales.lead.milestone"].create([{
            "lead_id": ld.id, "milestone_id": ms.id, "date_reached": f"{day} 09:00:00",
        } for ld, ms, day in lines])
        (cls.lead_a | cls.lead_e).action_set_won()
        # a call done on A today (in May), and a meeting A never had before Qualified
        activity = cls.env["mail.activity"].create({
            "res_model_id": cls.env["ir.model"]._get_id("crm.lead"),
            "res_id": cls.lead_a.id, "user_id": cls.user_salesman.id,
            "activity_type_id": cls.env.ref("mail.mail_activity_data_call").id,
            "date_deadline": date(2026, 5, 12), "summary": "SMP call",
        })
        activity.action_feedback(feedback="Interested")
        cls.env.flush_all()

    @classmethod
    def _setup_follow_up(cls):
        """A lost opportunity (Sam, closed today), overdue tasks (Sam, Otto) and an
        overdue activity (Sam, on B)."""
        cls.lead_lost = cls.env["crm.lead"].create({
            "name": "SMP Lost", "type": "opportunity", "user_id": cls.user_salesman.id,
            "team_id": cls.team.id, "expected_revenue": 700.0,
        })
        cls.lead_lost.action_set_lost()
        cls.env["sales.task"].create([
            {"name": "SMP Sam late", "user_id": cls.user_salesman.id,
             "date_start": date(2026, 4, 1), "date_deadline": date(2026, 5, 1)},
            {"name": "SMP Otto late", "user_id": cls.user_other_team.id,
             "date_start": date(2026, 4, 1), "date_deadline": date(2026, 5, 4)},
        ])
        cls.env["mail.activity"].create({
            "res_model_id": cls.env["ir.model"]._get_id("crm.lead"),
            "res_id": cls.lead_b.id, "user_id": cls.user_salesman.id,
            "activity_type_id": cls.env.ref("mail.mail_activity_data_call").id,
            "date_deadline": date(2026, 5, 5), "summary": "SMP call B",
        })
        cls.env.flush_all()

    # ------------------------------------------------------------------ helpers
    def _data(self, user, period):
        return self.Dashboard.with_user(user).get_dashboard_data(period)

    @staticmethod
    def _workbook(content, data_only=False):
        """The XLSX read back (``data_only``: the formulas' cached values)."""
        return openpyxl.load_workbook(BytesIO(content), data_only=data_only)

    def _assert_funnel_shape(self, funnel):
        tracks = {}
        for row in funnel:
            tracks.setdefault(row["track_id"], []).append(row)
        for steps in tracks.values():
            self.assertLessEqual(sum(1 for s in steps if self.env["sales.milestone"].browse(
                s["milestone_id"]).is_won), 1, "two won steps in one track")
            for before, after in zip(steps, steps[1:]):
                self.assertLessEqual(after["reached"], before["reached"], "the funnel widens")
            for step in steps:
                self.assertLessEqual(step["share"], 100.0)
                self.assertLessEqual(step["won"], step["reached"])
