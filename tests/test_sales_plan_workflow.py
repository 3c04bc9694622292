"""Plan workflow (submit, approve, close with snapshot, cancel), locks and chatter tracking,
copy to the next period, record rules per role, and bad input."""

from common import new_role_user
from sales_plan_common import SalesPlanCommon

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError

MARCH = {"date_from": "2025-03-01", "date_to": "2025-03-31"}


class TestSalesPlanWorkflow(SalesPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_plan = cls._plan("SM Company 2025")
        cls.north = cls._plan(
            "SM North 2025", parent_id=cls.company_plan.id, team_id=cls.team.id,
            user_id=cls.user_leader.id,
        )
        cls.south = cls._plan(
            "SM South 2025", parent_id=cls.company_plan.id, team_id=cls.team_other.id,
            user_id=cls.user_manager.id,
        )
        cls.sam = cls._plan(
            "SM Sam 2025", parent_id=cls.north.id, team_id=cls.team.id,
            user_id=cls.user_salesman.id,
        )
        cls.sara = cls._plan(
            "SM Sara 2025", parent_id=cls.north.id, team_id=cls.team.id,
            user_id=cls.user_salesman_2.id,
        )
        cls.otto = cls._plan(
            "SM Otto 2025", parent_id=cls.south.id, team_id=cls.team_other.id,
            user_id=cls.user_other_team.id,
        )
        cls.sam_target = cls._target(cls.sam, "revenue", 2000.0, **MARCH)
        cls._target(cls.north, "revenue", 3000.0, **MARCH)

    # ------------------------------------------------------------------ workflow
    def test_submit_approve_close_with_snapshot(self):
        sam_plan = self.sam.with_user(self.user_salesman).with_context(
            tracking_disable=False, mail_notrack=False
        )
        sam_plan.action_submit()
        self.assertEqual(self.sam.state, "submitted")
        # the approver (the parent plan's responsible) gets a to-do
        self.assertEqual(self.sam.activity_ids.user_id, self.user_leader)
        self.assertIn("Approve the plan", self.sam.activity_ids.summary)
        # the form shows "Approve" only to those who may approve
        self.assertFalse(sam_plan.can_approve)
        self.assertFalse(self.sam.with_user(self.user_other_team).can_approve)
        self.assertTrue(self.sam.with_user(self.user_leader).can_approve)
        self.assertTrue(self.sam.with_user(self.user_manager).can_approve)
        with self.assertRaises(AccessError):  # a salesperson does not approve
            sam_plan.action_approve()
        with self.assertRaises(AccessError):  # nor a leader of another team
            self.sam.with_user(self.user_other_team).action_approve()
        sam_plan.with_user(self.user_leader).action_approve()  # parent's responsible
        self.assertEqual(self.sam.state, "approved")
        self.assertFalse(self.sam.activity_ids, "the approval to-do is done")
        self.env.flush_all()
        self.cr.precommit.run()
        tracked = self.sam.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "state"
        )
        self.assertTrue(tracked)
        self.assertEqual(self.sam_target.actual_value, 1000.0)
        with self.assertRaises(AccessError):
            self.sam.with_user(self.user_salesman).action_close()
        self.sam.with_user(self.user_manager).action_close()
        self.assertEqual(self.sam.state, "closed")
        self.assertTrue(self.sam_target.is_snapshot)
        self.assertEqual(self.sam_target.snapshot_value, 1000.0)
        # a later correction of old data does not rewrite the closed plan's history
        self.o_mar_be.order_line[0].price_unit = 1000.0
        open_target = self._target(self.north, "revenue", 1.0, **MARCH,
                                   user_id=self.user_salesman.id)
        self.env.invalidate_all()
        self.assertEqual(open_target.actual_value, 2000.0 + 800.0)
        self.assertEqual(self.sam_target.actual_value, 1000.0)
        with self.assertRaises(UserError):
            self.sam_target.with_user(self.user_manager).target_value = 5
        with self.assertRaises(UserError):
            self.sam.action_cancel()

    def test_approve_without_target_is_refused(self):
        with self.assertRaises(UserError):
            self.sara.with_user(self.user_salesman_2).action_submit()
        with self.assertRaises(UserError):
            self.sara.with_user(self.user_manager).action_approve()
        self.assertEqual(self.sara.state, "draft")

    def test_approved_targets_locked_and_changes_tracked(self):
        self.sam.with_user(self.user_manager).action_approve()
        with self.assertRaises(UserError):
            self.sam_target.with_user(self.user_leader).target_value = 1.0
        with self.assertRaises(UserError):
            self.env["sales.plan.target"].with_user(self.user_leader).create({
                "plan_id": self.sam.id, "metric_id": self.metric["orders"].id,
            })
        self.assertEqual(self.sam_target.target_value, 2000.0)
        self.sam_target.with_user(self.user_manager).target_value = 2500.0
        message = self.sam.message_ids[0]
        # figures as people read them (issue 18): "$ 2,000.00", not "2000.0"
        self.assertIn("2,000.00", message.body)
        self.assertIn("2,500.00", message.body)
        self.assertNotIn("2000.0", message.body)
        self.assertEqual(message.author_id, self.user_manager.partner_id)
        # the salesperson cannot edit even the commitment once approved
        with self.assertRaises(UserError):
            self.sam.with_user(self.user_salesman).commitment = "<p>later</p>"

    def test_cancel_and_reset(self):
        self.sara.with_user(self.user_leader).action_cancel()
        self.assertEqual(self.sara.state, "cancelled")
        with self.assertRaises(UserError):
            self._target(self.sara, "orders", 3)
        self.sara.with_user(self.user_leader).action_reset_draft()
        self.assertEqual(self.sara.state, "draft")

    def test_copy_tree_to_next_period(self):
        self._target(self.sam, "won", 4, date_from="2025-02-01", date_to="2025-02-28",
                     seasonality={"2025-02": 1.0})
        self.north.with_user(self.user_manager).action_approve()
        action = self.north.with_user(self.user_leader).action_copy_next_period()
        new = self.env["sales.plan"].browse(action["res_id"])
        self.assertEqual((str(new.date_from), str(new.date_to)), ("2026-01-01", "2026-12-31"))
        self.assertEqual(new.state, "draft")
        self.assertFalse(new.parent_id, "no company plan for 2026 yet: a top-level copy")
        self.assertEqual(new.name, "SM North 2026")
        self.assertEqual(new.child_ids.mapped("name"), ["SM Sam 2026", "SM Sara 2026"])
        new_sam = new.child_ids.filtered(lambda p: p.user_id == self.user_salesman)
        self.assertEqual(
            sorted((str(t.date_from), str(t.date_to), t.target_value)
                   for t in new_sam.target_ids),
            [("2026-02-01", "2026-02-28", 4.0), ("2026-03-01", "2026-03-31", 2000.0)],
        )
        feb = new_sam.target_ids.filtered(lambda t: t.date_from.month == 2)
        self.assertEqual(feb.seasonality, {"2026-02": 1.0})
        self.assertEqual(len(self.north.child_ids), 2, "the original tree is untouched")
        # once the company plan has its 2026 copy, a team copy attaches to it
        company_2026 = self.company_plan.copy({
            "name": "SM Company 2026", "date_from": "2026-01-01", "date_to": "2026-12-31",
            "target_ids": False,
        })
        action = self.south.with_user(self.user_manager).action_copy_next_period()
        self.assertEqual(self.env["sales.plan"].browse(action["res_id"]).parent_id, company_2026)
        # approved and closed plans are not deleted, only cancelled
        with self.assertRaises(UserError):
            self.north.unlink()

    # ------------------------------------------------------------------ security
    def test_salesperson_access(self):
        Plan = self.env["sales.plan"].with_user(self.user_salesman)
        visible = Plan.search([("id", "in", (
            self.company_plan | self.north | self.south | self.sam | self.sara | self.otto
        ).ids)])
        self.assertEqual(visible, self.company_plan | self.north | self.sam)
        targets = self.env["sales.plan.target"].with_user(self.user_salesman).search([])
        self.assertEqual(set(targets.plan_id.ids) - {self.company_plan.id, self.north.id,
                                                    self.sam.id}, set())
        self.assertIn(self.sam_target, targets)
        sam = self.sam.with_user(self.user_salesman)
        sam.commitment = "<p>Visit every customer twice</p>"
        self.assertIn("Visit every customer", self.sam.commitment)
        for vals in ({"name": "Mine"}, {"strategy": "<p>x</p>"}):
            with self.assertRaises(AccessError):
                sam.write(vals)
        with self.assertRaises(AccessError):
            self.sam_target.with_user(self.user_salesman).target_value = 1.0
        with self.assertRaises(AccessError):
            self.north.with_user(self.user_salesman).commitment = "<p>no</p>"
        with self.assertRaises(AccessError):
            self.sara.with_user(self.user_salesman).read(["name"])
        with self.assertRaises(AccessError):
            Plan.create({"name": "SM Own", "team_id": self.team_other.id})
        # submitted: the commitment is no longer editable
        sam.action_submit()
        with self.assertRaises(AccessError):
            sam.commitment = "<p>changed</p>"
        self.assertEqual(self.sam_target.with_user(self.user_salesman).actual_value, 1000.0)

    def test_team_leader_access(self):
        Plan = self.env["sales.plan"].with_user(self.user_leader)
        visible = Plan.search([])
        self.assertTrue((self.company_plan | self.north | self.sam | self.sara) <= visible)
        self.assertFalse((self.south | self.otto) & visible)
        new = Plan.create({"name": "SM Lea new", "team_id": self.team.id,
                           "date_from": "2025-01-01", "date_to": "2025-06-30",
                           "user_id": self.user_salesman_2.id, "parent_id": self.north.id})
        target = self.env["sales.plan.target"].with_user(self.user_leader).create({
            "plan_id": new.id, "metric_id": self.metric["revenue"].id, "target_value": 10,
        })
        self.sam.with_user(self.user_leader).write({"name": "SM Sam renamed"})
        self.sam_target.with_user(self.user_leader).target_value = 2100.0
        target.unlink()
        new.unlink()
        with self.assertRaises(AccessError):
            self.otto.with_user(self.user_leader).write({"name": "x"})
        with self.assertRaises(AccessError):
            self.env["sales.plan.target"].with_user(self.user_leader).create({
                "plan_id": self.otto.id, "metric_id": self.metric["revenue"].id,
            })

    def test_all_documents_reads_and_manager_manages(self):
        every = self.company_plan | self.north | self.south | self.sam | self.sara | self.otto
        self.assertEqual(self.env["sales.plan"].with_user(self.user_all_docs).search(
            [("id", "in", every.ids)]), every)
        with self.assertRaises(AccessError):
            self.otto.with_user(self.user_all_docs).write({"name": "x"})
        manager_plans = self.env["sales.plan"].with_user(self.user_manager)
        self.assertEqual(manager_plans.search([("id", "in", every.ids)]), every)
        self.otto.with_user(self.user_manager).write({"name": "SM Otto renamed"})
        with self.assertRaises(AccessError):
            self.env["sales.plan"].with_user(self.user_internal).search([])
        with self.assertRaises(AccessError):
            self.env["sales.metric"].with_user(self.user_salesman).create({
                "name": "x", "code": "x",
            })

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "SM Other Company"})
        manager_b = new_role_user(
            self.env, "manager_b", company_id=other.id, company_ids=[Command.set(other.ids)],
        )
        plan_b = self.env["sales.plan"].with_user(manager_b).create({"name": "SM B plan"})
        self.assertEqual(plan_b.company_id, other)
        self.assertNotIn(plan_b, self.env["sales.plan"].with_user(self.user_manager).search([]))
        self.assertNotIn(self.north, self.env["sales.plan"].with_user(manager_b).search([]))
        with self.assertRaises(UserError):  # check_company on parent
            self.env["sales.plan"].create({
                "name": "x", "company_id": other.id, "parent_id": self.company_plan.id,
            })

    # ------------------------------------------------------------------ bad input
    def test_bad_input_writes_nothing(self):
        Plan, Target = self.env["sales.plan"], self.env["sales.plan.target"]
        plans, targets = Plan.search_count([]), Target.search_count([])
        with self.assertRaises(ValidationError):
            self._plan("SM Reversed", date_from="2025-12-31", date_to="2025-01-01")
        with self.assertRaises(ValidationError):
            self._target(self.sam, "revenue", -5.0)
        with self.assertRaises(ValidationError):
            self.sam_target.target_value = -1.0
        with self.assertRaises(ValidationError):
            self._target(self.sam, "revenue", 5.0, date_from="2024-12-01",
                         date_to="2025-01-31")
        with self.assertRaises(ValidationError):
            self.company_plan.parent_id = self.sam
        with self.assertRaises(ValidationError):
            self._target(self.sam, "won", 3.0, product_id=self.product_goods.id)
        with self.assertRaises(ValidationError):
            self._target(self.sam, "win_rate", 120.0)
        with self.assertRaises(ValidationError):
            self._plan("SM Outside", parent_id=self.north.id, date_from="2024-06-01")
        with self.assertRaises(ValidationError):
            self._target(self.company_plan, "revenue", 1.0, country_id=self.country_be.id,
                         state_id=self.state_ca.id)
        with self.assertRaises(ValidationError):
            self.env["sales.metric"].create({
                "name": "SM Bad", "code": "sm_bad", "source": "sale_line",
                "measure": "win_ratio", "unit": "percent",
            })
        with self.assertRaises(ValidationError):
            self.env["sales.metric"].create({
                "name": "SM Bad domain", "code": "sm_bad2", "source": "sale_line",
                "domain": "[('no_such_field', '=', 1)]",
            })
        self.assertEqual(Plan.search_count([]), plans)
        self.assertEqual(Target.search_count([]), targets)
        self.assertEqual(self.company_plan.parent_id, Plan)
