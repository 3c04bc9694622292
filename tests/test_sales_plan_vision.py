"""Issue 19, point 1: the vision cascaded and the commitment as a two-sided agreement.

The company plan states its conception (vision, mission and values, target customers,
strategy); every plan below shows it read-only, and so does each salesperson's dashboard. A
salesperson's plan states their share of the parent's target, their key accounts and
products, and the commitment: the salesperson accepts it, the team leader (or a sales
manager) countersigns it, both dated and logged; a change of its text resets both; a
company setting requires both before approval. The agreement's fields are workflow-owned:
no write(), over the ORM or JSON-RPC, sets them.

Fixtures (2026, revenue, one target per plan over the plan's whole period):
  company plan (Mia)         120000   vision / mission / target customers / strategy
  └ North team plan (Lea)     60000   strategy only; a commitment nobody below may read
    ├ Sam 2026                15000
    ├ Sam Q2 (Apr-Jun)        10000   a quarter below the year
    └ Sara 2026               15000
  └ South team plan (Mia)     40000
    └ Otto 2026               10000
"""

from common import JsonRpcMixin, SalesManagementCommon

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

VISION = "SM-VISION every store runs on us"
MISSION = "SM-MISSION dependable hardware, kept running"
CUSTOMERS = "SM-CUSTOMERS retail chains of 10 to 200 stores"
STRATEGY = "SM-STRATEGY grow recurring sales"
TEAM_STRATEGY = "SM-TEAM-STRATEGY Benelux first"
TEAM_SECRET = "SM-TEAM-SECRET commitment of the leader"
AGREEMENT = (
    "commitment_accepted_date", "commitment_accepted_user_id",
    "commitment_countersigned_date", "commitment_countersigned_user_id",
)


class VisionFixtures(SalesManagementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.revenue = cls.env.ref("sales_management.sales_metric_revenue")

        def plan(name, user, value, parent=None, team=None, scope=None, **vals):
            values = {
                "name": name, "user_id": user.id,
                "parent_id": parent and parent.id, "team_id": team and team.id,
                "date_from": "2026-01-01", "date_to": "2026-12-31",
                "metric_id": cls.revenue.id, **vals,
            }
            if scope:
                values["scope"] = scope
            values["target_ids"] = [Command.create({
                "metric_id": cls.revenue.id, "target_value": value,
                "date_from": values["date_from"], "date_to": values["date_to"],
            })]
            return cls.env["sales.plan"].create(values)

        cls.company_plan = plan(
            "SM Company 2026", cls.user_manager, 120000.0, scope="company",
            vision=f"<p>{VISION}</p>", mission=f"<p>{MISSION}</p>",
            target_customers=f"<p>{CUSTOMERS}</p>", strategy=f"<p>{STRATEGY}</p>",
        )
        cls.north = plan(
            "SM North 2026", cls.user_leader, 60000.0, cls.company_plan, cls.team,
            strategy=f"<p>{TEAM_STRATEGY}</p>", commitment=f"<p>{TEAM_SECRET}</p>",
        )
        cls.south = plan(
            "SM South 2026", cls.user_manager, 40000.0, cls.company_plan, cls.team_other,
        )
        cls.sam_plan = plan(
            "SM Sam 2026", cls.user_salesman, 15000.0, cls.north, cls.team,
            commitment="<p>Two visits a week</p>",
        )
        cls.sam_q2 = plan(
            "SM Sam Q2 2026", cls.user_salesman, 10000.0, cls.north, cls.team,
            date_from="2026-04-01", date_to="2026-06-30",
        )
        cls.sara_plan = plan(
            "SM Sara 2026", cls.user_salesman_2, 15000.0, cls.north, cls.team,
            commitment="<p>Every quotation followed up in 48 hours</p>",
        )
        cls.otto_plan = plan(
            "SM Otto 2026", cls.user_other_team, 10000.0, cls.south, cls.team_other,
            commitment="<p>Otto's word</p>",
        )
        # Ed leads another team (East): a plain salesperson otherwise
        cls.user_east = new_test_user(
            cls.env, login="sm_east_leader", password="sm_east_leader",
            groups="sales_team.group_sale_salesman", name="Ed East",
        )
        cls.team_east = cls.env["crm.team"].create({
            "name": "SM Test Team East", "user_id": cls.user_east.id,
            "member_ids": [Command.set([cls.user_east.id])],
        })
        cls.env.flush_all()

    def _agreement(self, plan):
        plan = plan.sudo()
        plan.invalidate_recordset()
        return tuple(plan[name] or False for name in AGREEMENT)

    def _messages(self, plan, text):
        return self.env["mail.message"].sudo().search_count([
            ("model", "=", "sales.plan"), ("res_id", "=", plan.id), ("body", "ilike", text),
        ])


@tagged("post_install", "-at_install")
class TestSalesPlanVision(VisionFixtures):

    # ------------------------------------------------------------------ the vision cascaded
    def test_salesperson_reads_the_conception_above(self):
        """Sam's plan shows the company's four texts and the team's strategy, top-down,
        under their plans' names; nothing else of the plans above (the leader's
        commitment stays out)."""
        sam_plan = self.sam_plan.with_user(self.user_salesman)
        html = str(sam_plan.inherited_conception)
        for text in (VISION, MISSION, CUSTOMERS, STRATEGY, TEAM_STRATEGY,
                     "SM Company 2026", "SM North 2026"):
            self.assertIn(text, html)
        self.assertNotIn(TEAM_SECRET, html)
        self.assertLess(html.index(VISION), html.index(TEAM_STRATEGY))  # top-down
        # the team plan shows the company's, not its own; the company plan nothing
        north_html = str(self.north.with_user(self.user_leader).inherited_conception)
        self.assertIn(VISION, north_html)
        self.assertNotIn(TEAM_STRATEGY, north_html)
        self.assertFalse(self.company_plan.with_user(self.user_manager).inherited_conception)

    def test_conception_only_for_readable_plans(self):
        """The plans above are read as superuser only for a plan the user may read: Sam
        gets nothing for Otto's plan, neither by the field nor by the helper."""
        otto_plan = self.otto_plan.with_user(self.user_salesman)
        with self.assertRaises(AccessError):
            otto_plan.read(["inherited_conception"])
        self.assertEqual(otto_plan._get_conception_above(), {})
        sections = self.sam_plan.with_user(self.user_salesman)._get_conception_above()
        self.assertEqual(
            [s["plan_id"] for s in sections[self.sam_plan]],
            [self.company_plan.id, self.north.id],
        )
        self.assertEqual(
            [p["key"] for p in sections[self.sam_plan][0]["parts"]],
            ["vision", "mission", "target_customers", "strategy"],
        )
        self.assertEqual([p["key"] for p in sections[self.sam_plan][1]["parts"]], ["strategy"])

    def test_dashboard_shows_the_part_above(self):
        """One key of the dashboard's data: for Sam, the company's section then the team's
        (each once, though two of his plans lie below them); for a manager, the company
        plan's own."""
        Dashboard = self.env["sales.management.dashboard"]
        data = Dashboard.with_user(self.user_salesman).get_dashboard_data("year")
        self.assertEqual(
            [s["plan_id"] for s in data["conception"]], [self.company_plan.id, self.north.id])
        company = data["conception"][0]
        self.assertEqual(company["name"], "SM Company 2026")
        self.assertIn(VISION, company["parts"][0]["html"])
        self.assertNotIn(TEAM_SECRET, str(data["conception"]))
        data = Dashboard.with_user(self.user_manager).get_dashboard_data("year")
        self.assertEqual([s["plan_id"] for s in data["conception"]], [self.company_plan.id])
        # Otto (team South, no strategy of its own): the company's only
        data = Dashboard.with_user(self.user_other_team).get_dashboard_data("year")
        self.assertEqual([s["plan_id"] for s in data["conception"]], [self.company_plan.id])

    def test_salesperson_cannot_write_the_conception(self):
        with self.assertRaises(AccessError):
            self.sam_plan.with_user(self.user_salesman).write({"vision": "<p>mine</p>"})
        with self.assertRaises(AccessError):
            self.company_plan.with_user(self.user_salesman).write({"vision": "<p>mine</p>"})
        self.assertIn(VISION, self.company_plan.vision)

    # ------------------------------------------------------------------ contribution
    def test_contribution_share(self):
        """The plan's target over its parent's, same metric, for the plan's period."""
        cases = {
            self.sam_plan: 100.0 * 15000.0 / 60000.0,
            self.sara_plan: 100.0 * 15000.0 / 60000.0,
            self.north: 100.0 * 60000.0 / 120000.0,
            self.otto_plan: 100.0 * 10000.0 / 40000.0,
            # a quarter below a year: the team's target spread evenly over 365 days, of
            # which April-June hold 30 + 31 + 30 = 91
            self.sam_q2: 100.0 * 10000.0 / (60000.0 * 91 / 365),
            self.company_plan: 0.0,
        }
        for plan, share in cases.items():
            with self.subTest(plan=plan.name):
                self.assertAlmostEqual(
                    plan.with_user(plan.user_id).contribution_share, share, places=6)
        # below a parent following another metric, a plan has no share
        self.north.metric_id = self.env.ref("sales_management.sales_metric_orders")
        self.assertEqual(self.sam_plan.target_value, 15000.0)
        self.assertEqual(self.sam_plan.contribution_share, 0.0)

    def test_key_accounts_and_products_set_by_the_leader(self):
        vals = {
            "role": "Key-account manager",
            "key_partner_ids": [Command.set([self.customer_be.id])],
            "key_product_ids": [Command.set([self.product_goods.id])],
        }
        with self.assertRaises(AccessError):
            self.sam_plan.with_user(self.user_salesman).write(vals)
        self.sam_plan.with_user(self.user_leader).write(vals)
        sam_plan = self.sam_plan.with_user(self.user_salesman)
        self.assertEqual(sam_plan.key_partner_ids, self.customer_be)
        self.assertEqual(sam_plan.key_product_ids, self.product_goods)
        self.assertEqual(sam_plan.role, "Key-account manager")

    def test_key_accounts_of_another_company_refused(self):
        company_b = self.env["res.company"].create({"name": "SM Vision Company B"})
        customer_b = self.env["res.partner"].create({
            "name": "SM Vision Customer B", "company_id": company_b.id})
        with self.assertRaises(UserError):  # AccessError and ValidationError included
            self.sam_plan.with_user(self.user_manager).write(
                {"key_partner_ids": [Command.set(customer_b.ids)]})
        self.assertFalse(self.sam_plan.key_partner_ids)

    # ------------------------------------------------------------------ the agreement
    def test_salesperson_accepts_own_plan_only(self):
        sam_plan = self.sam_plan.with_user(self.user_salesman)
        self.assertTrue(sam_plan.can_accept_commitment)
        self.assertFalse(sam_plan.can_countersign_commitment)
        with self.assertRaises(AccessError):  # a colleague's plan: not even readable
            self.sara_plan.with_user(self.user_salesman).action_accept_commitment()
        with self.assertRaises(AccessError):  # the team plan: readable, not his
            self.north.with_user(self.user_salesman).action_accept_commitment()
        with self.assertRaises(AccessError):  # nor accepts for Sam, his leader
            self.sam_plan.with_user(self.user_leader).action_accept_commitment()
        with self.assertRaises(UserError):  # nothing accepted, nothing to countersign
            self.sam_plan.with_user(self.user_leader).action_countersign_commitment()
        self.assertEqual(self._agreement(self.sam_plan), (False,) * 4)
        self.assertEqual(self._agreement(self.north), (False,) * 4)

        sam_plan.action_accept_commitment()
        accepted_on, accepted_by, *rest = self._agreement(self.sam_plan)
        self.assertEqual(str(accepted_on), "2026-05-13 10:00:00")  # the frozen clock
        self.assertEqual(accepted_by, self.user_salesman)
        self.assertEqual(rest, [False, False])
        self.assertEqual(self._messages(self.sam_plan, "Commitment accepted by Sam"), 1)
        self.assertEqual(sam_plan.commitment_status, "accepted")
        with self.assertRaises(UserError):  # once
            sam_plan.action_accept_commitment()
        with self.assertRaises(AccessError):  # his own signature is not the second one
            sam_plan.action_countersign_commitment()

    def test_empty_commitment_cannot_be_accepted(self):
        q2 = self.sam_q2.with_user(self.user_salesman)
        self.assertFalse(q2.can_accept_commitment)
        with self.assertRaises(UserError):
            q2.action_accept_commitment()
        self.assertEqual(self._agreement(self.sam_q2), (False,) * 4)

    def test_leader_countersigns_other_leaders_cannot(self):
        self.sam_plan.with_user(self.user_salesman).action_accept_commitment()
        accepted = self._agreement(self.sam_plan)
        # the leader of another team: Sam's plan is not even readable
        with self.assertRaises(AccessError):
            self.sam_plan.with_user(self.user_east).action_countersign_commitment()
        # a leader of another team who reads every plan ("All Documents")
        self.team_east.user_id = self.user_all_docs
        with self.assertRaisesRegex(AccessError, "countersign"):
            self.sam_plan.with_user(self.user_all_docs).action_countersign_commitment()
        # Sara, Sam's teammate
        with self.assertRaises(AccessError):
            self.sam_plan.with_user(self.user_salesman_2).action_countersign_commitment()
        self.assertEqual(self._agreement(self.sam_plan), accepted)

        # Lea has a to-do to countersign it
        todo = self.sam_plan.sudo().activity_ids
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.user_leader)
        self.assertIn("Countersign the commitment of SM Sam 2026", todo.summary)
        as_lea = self.sam_plan.with_user(self.user_leader)
        self.assertTrue(as_lea.can_countersign_commitment)
        as_lea.action_countersign_commitment()
        *first, signed_on, signed_by = self._agreement(self.sam_plan)
        self.assertEqual(tuple(first), accepted[:2])
        self.assertEqual(str(signed_on), "2026-05-13 10:00:00")
        self.assertEqual(signed_by, self.user_leader)
        self.assertEqual(self._messages(self.sam_plan, "Commitment countersigned by Lea"), 1)
        self.assertEqual(as_lea.commitment_status, "agreed")
        self.assertFalse(todo.exists())  # marked done
        with self.assertRaises(UserError):  # once
            as_lea.action_countersign_commitment()

    def test_manager_countersigns(self):
        self.otto_plan.with_user(self.user_other_team).action_accept_commitment()
        self.sara_plan.with_user(self.user_salesman_2).action_accept_commitment()
        self.sara_plan.with_user(self.user_manager).action_countersign_commitment()
        self.assertEqual(self._agreement(self.sara_plan)[3], self.user_manager)

    def test_changed_text_resets_both_signatures(self):
        self.sam_plan.with_user(self.user_salesman).action_accept_commitment()
        self.sam_plan.with_user(self.user_leader).action_countersign_commitment()
        signed = self._agreement(self.sam_plan)
        self.assertTrue(all(signed))
        # another field, or the same text again: the agreement holds
        self.sam_plan.with_user(self.user_leader).write({"role": "Hunter"})
        self.sam_plan.with_user(self.user_salesman).write(
            {"commitment": self.sam_plan.commitment})
        self.assertEqual(self._agreement(self.sam_plan), signed)
        self.assertEqual(self._messages(self.sam_plan, "resets"), 0)
        # a new text: both signatures go, and the chatter says so
        self.sam_plan.with_user(self.user_salesman).write(
            {"commitment": "<p>Three visits a week</p>"})
        self.assertEqual(self._agreement(self.sam_plan), (False,) * 4)
        self.assertEqual(self._messages(self.sam_plan, "are reset"), 1)
        # accepted again, then changed before the countersignature: Lea's to-do goes too
        self.sam_plan.with_user(self.user_salesman).action_accept_commitment()
        self.assertEqual(len(self.sam_plan.sudo().activity_ids), 1)
        self.sam_plan.with_user(self.user_salesman).write({"commitment": "<p>Four</p>"})
        self.assertFalse(self.sam_plan.sudo().activity_ids)
        self.assertEqual(self._messages(self.sam_plan, "are reset"), 2)
        self.assertEqual(self.sam_plan.commitment_status, "open")

    def test_setting_requires_the_agreement_before_approval(self):
        self.company.sales_plan_commitment_required = True
        self.sam_plan.with_user(self.user_salesman).action_submit()
        self.sara_plan.with_user(self.user_salesman_2).action_submit()
        with self.assertRaisesRegex(UserError, "accept its commitment"):
            self.sam_plan.with_user(self.user_manager).action_approve()
        self.assertEqual(self.sam_plan.state, "submitted")
        # accepted only: still refused
        self.sam_plan.with_user(self.user_salesman).action_accept_commitment()
        with self.assertRaises(UserError):
            self.sam_plan.with_user(self.user_leader).action_approve()
        self.assertEqual(self.sam_plan.state, "submitted")
        self.sam_plan.with_user(self.user_leader).action_countersign_commitment()
        self.sam_plan.with_user(self.user_leader).action_approve()
        self.assertEqual(self.sam_plan.state, "approved")
        # a team plan has no salesperson's commitment to wait for
        self.north.with_user(self.user_manager).action_approve()
        self.assertEqual(self.north.state, "approved")
        # the setting off: approved without the agreement
        self.company.sales_plan_commitment_required = False
        self.sara_plan.with_user(self.user_leader).action_approve()
        self.assertEqual(self.sara_plan.state, "approved")

    def test_agreement_fields_not_writable_through_the_orm(self):
        vals = {
            "commitment_accepted_date": "2026-05-13 10:00:00",
            "commitment_accepted_user_id": self.user_salesman.id,
            "commitment_countersigned_date": "2026-05-13 10:00:00",
            "commitment_countersigned_user_id": self.user_leader.id,
        }
        for user in (self.user_salesman, self.user_leader, self.user_manager):
            for name, value in vals.items():
                with self.subTest(user=user.login, field=name), \
                        self.assertRaises(AccessError):
                    self.sam_plan.with_user(user).with_context(
                        sales_plan_workflow=True).write({name: value})
        with self.assertRaises(AccessError):
            self.env["sales.plan"].with_user(self.user_leader).create({
                "name": "SM signed already", "user_id": self.user_salesman.id,
                "team_id": self.team.id, "parent_id": self.north.id,
                "date_from": "2026-01-01", "date_to": "2026-12-31", **vals,
            })
        self.assertEqual(self._agreement(self.sam_plan), (False,) * 4)


@tagged("post_install", "-at_install")
class TestSalesPlanVisionRpc(JsonRpcMixin, VisionFixtures, HttpCase):

    def test_rpc_write_of_the_agreement_refused(self):
        """Over JSON-RPC with a real session: writing the agreement's fields is refused for
        the salesperson, the leader and a manager, with a clean AccessError, nothing
        written; the buttons are the door."""
        doors = {
            "salesman": (self.user_salesman, {
                "commitment_accepted_date": "2026-05-13 10:00:00",
                "commitment_accepted_user_id": self.user_salesman.id}),
            "leader": (self.user_leader, {
                "commitment_countersigned_date": "2026-05-13 10:00:00",
                "commitment_countersigned_user_id": self.user_leader.id}),
            "manager": (self.user_manager, {
                "commitment_accepted_date": "2026-05-13 10:00:00",
                "commitment_countersigned_date": "2026-05-13 10:00:00"}),
        }
        for role, (user, vals) in doors.items():
            with self.subTest(role=role):
                self.authenticate(user.login, user.login)
                reply = self._rpc("sales.plan", "write", [self.sam_plan.ids, vals],
                                  {"context": {"sales_plan_workflow": True}})
                self.assertEqual(
                    reply["error"]["data"]["name"], "odoo.exceptions.AccessError", reply)
                self.assertEqual(self._agreement(self.sam_plan), (False,) * 4)
        # the buttons: Sam accepts, Lea countersigns
        self.authenticate(self.user_salesman.login, self.user_salesman.login)
        reply = self._rpc("sales.plan", "action_accept_commitment", [self.sam_plan.ids])
        self.assertNotIn("error", reply, reply)
        self.authenticate(self.user_leader.login, self.user_leader.login)
        reply = self._rpc("sales.plan", "action_countersign_commitment", [self.sam_plan.ids])
        self.assertNotIn("error", reply, reply)
        self.assertEqual(
            self._agreement(self.sam_plan)[1::2], (self.user_salesman, self.user_leader))
