"""Issue 16, kinds 3 and 4: superuser reads answering the caller, links to records the
caller may not use.

Through the ORM (``with_user`` per role) and over JSON-RPC with a real session
(``/web/dataset/call_kw``, ``onchange`` included): every door has its expected outcome
written here and the database is checked unchanged after a refusal; the legitimate paths
still work (a leader's generation preview shows exactly his team's rows, computed from this
test's own orders). A generic probe calls, as a salesperson, the public id-taking methods of
every model of the addon on records the salesperson cannot read and asserts that nothing of
theirs comes back and that every error is a clean ``odoo.exceptions`` one.
"""

import json
from datetime import datetime

from access_common import AccessFixtures
from common import JsonRpcMixin

from odoo.exceptions import AccessError, MissingError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

CLEAN_ERRORS = {
    "odoo.exceptions.UserError", "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError", "odoo.exceptions.MissingError",
}
REFUSED = (AccessError, UserError, MissingError)


class IntegrityFixtures(AccessFixtures):
    freeze_time = "2026-03-11 10:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        su = cls.env(su=True)
        d = cls.docs
        # the base period of the 2026 plans: 2025, orders made by this test
        cls._create_order(cls.customer_be, cls.user_salesman,
                          [(cls.product_goods, 2, 100.0)], date_order=datetime(2025, 3, 2, 9))
        cls._create_order(cls.customer_us, cls.user_salesman_2,
                          [(cls.product_service, 1, 800.0)], date_order=datetime(2025, 5, 3, 9))
        cls._create_order(cls.customer_us, cls.user_other_team,
                          [(cls.product_goods, 3, 100.0)], date_order=datetime(2025, 4, 4, 9),
                          team=cls.team_other)
        cls.expected_rows = {
            cls.user_leader.id: 0.0, cls.user_salesman.id: 2 * 100.0,
            cls.user_salesman_2.id: 800.0,
        }
        # a company plan Sam reads (his plan is below it), and North's team plan of Lea
        cls.company_plan = su["sales.plan"].create({
            "name": "SM company 2026", "user_id": cls.user_manager.id, "scope": "company",
            "date_from": "2026-01-01", "date_to": "2026-12-31",
        })
        d["sales.plan"]["o"].parent_id = cls.company_plan
        cls.north_plan = su["sales.plan"].create({
            "name": "SM North team 2026", "user_id": cls.user_leader.id,
            "team_id": cls.team.id, "scope": "team",
            "date_from": "2026-01-01", "date_to": "2026-12-31",
        })
        cls.env.flush_all()

    def _counts(self, *models):
        return {m: self.env[m].sudo().with_context(active_test=False).search_count([])
                for m in models}


@tagged("post_install", "-at_install")
class TestIntegrityLinksOrm(IntegrityFixtures):
    # ------------------------------------------------------------------ kind 4: links
    def test_task_links_to_colleagues_records_refused(self):
        d = self.docs
        Task = self.env["sales.task"].with_user(self.user_salesman)
        before = self._counts("sales.task")
        for vals in (
            {"plan_id": d["sales.plan"]["m"].id},
            {"target_id": d["sales.plan.target"]["m"].id},
            {"lead_id": d["crm.lead"]["m"].id},
            {"lead_id": d["crm.lead"]["t"].id},
            {"user_id": self.user_salesman_2.id},
            {"team_id": self.team_other.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                Task.create({"name": "H task", **vals})
        self.assertEqual(self._counts("sales.task"), before)
        own = d["sales.task"]["o"].with_user(self.user_salesman)
        with self.assertRaises(AccessError):
            own.write({"lead_id": d["crm.lead"]["m"].id})
        self.assertFalse(d["sales.task"]["o"].lead_id)
        with self.assertRaises(AccessError):
            own.write({"user_id": self.user_other_team.id})
        self.assertEqual(d["sales.task"]["o"].user_id, self.user_salesman)

    def test_task_links_legitimate(self):
        d = self.docs
        task = self.env["sales.task"].with_user(self.user_salesman).create({
            "name": "Own task", "plan_id": d["sales.plan"]["o"].id,
            "target_id": d["sales.plan.target"]["o"].id, "lead_id": d["crm.lead"]["o"].id,
        })
        self.assertEqual(task.partner_id, d["crm.lead"]["o"].partner_id)
        # a leader assigns his team's members, not another team's
        Task = self.env["sales.task"].with_user(self.user_leader)
        self.assertEqual(Task.create({
            "name": "For Sara", "user_id": self.user_salesman_2.id, "team_id": self.team.id,
        }).user_id, self.user_salesman_2)
        with self.assertRaises(AccessError):
            Task.create({"name": "For Otto", "user_id": self.user_other_team.id})
        # a manager assigns anyone in his companies, not a user of another company only
        Task = self.env["sales.task"].with_user(self.user_manager)
        self.assertTrue(Task.create({"name": "For Otto", "user_id": self.user_other_team.id}))
        with self.assertRaises(AccessError):
            Task.create({"name": "For Fred", "user_id": self.user_foreign.id})

    def test_todo_links_refused(self):
        d = self.docs
        Todo = self.env["sales.task.todo"].with_user(self.user_salesman)
        before = self._counts("sales.task.todo")
        with self.assertRaises(AccessError):
            Todo.create({"task_id": d["sales.task"]["m"].id, "name": "H todo"})
        with self.assertRaises(AccessError):
            Todo.create({"task_id": d["sales.task"]["o"].id, "name": "H todo",
                         "user_id": self.user_salesman_2.id})
        self.assertEqual(self._counts("sales.task.todo"), before)
        self.assertTrue(Todo.create({"task_id": d["sales.task"]["o"].id, "name": "Mine"}))

    def test_corrective_action_links_refused(self):
        d = self.docs
        Action = self.env["sales.corrective.action"].with_user(self.user_salesman)
        before = self._counts("sales.corrective.action")
        for vals in (
            {"plan_id": d["sales.plan"]["m"].id},
            {"plan_id": d["sales.plan"]["t"].id},
            {"plan_id": d["sales.plan"]["o"].id, "user_id": self.user_salesman_2.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                Action.create({"name": "H action", **vals})
        with self.assertRaises(AccessError):
            Action.create({"name": "H action", "plan_id": d["sales.plan"]["m"].id,
                           "target_id": d["sales.plan.target"]["m"].id})
        self.assertEqual(self._counts("sales.corrective.action"), before)
        own = Action.create({"name": "Mine", "plan_id": d["sales.plan"]["o"].id,
                             "target_id": d["sales.plan.target"]["o"].id})
        self.assertEqual(own.user_id, self.user_salesman)

    def test_sub_plan_under_other_team_refused(self):
        d = self.docs
        Plan = self.env["sales.plan"].with_user(self.user_leader)
        before = self._counts("sales.plan")
        vals = {"name": "H sub", "user_id": self.user_leader.id,
                "date_from": "2026-01-01", "date_to": "2026-12-31"}
        with self.assertRaises(AccessError):
            Plan.create({**vals, "parent_id": d["sales.plan"]["t"].id})
        with self.assertRaises(AccessError):
            Plan.create({**vals, "parent_id": d["sales.plan"]["f"].id})
        with self.assertRaises(AccessError):
            Plan.create({**vals, "team_id": self.team_other.id})
        self.assertEqual(self._counts("sales.plan"), before)
        # and the other team's plan stays unreadable to him
        with self.assertRaises(AccessError):
            d["sales.plan"]["t"].with_user(self.user_leader).read(["name"])
        # under his own team's plan: allowed
        child = Plan.create({**vals, "parent_id": self.north_plan.id, "team_id": self.team.id})
        self.assertEqual(child.parent_id, self.north_plan)
        # a target on a plan he may not write
        with self.assertRaises(AccessError):
            self.env["sales.plan.target"].with_user(self.user_leader).create({
                "plan_id": d["sales.plan"]["t"].id,
                "metric_id": self.env.ref("sales_management.sales_metric_revenue").id,
                "target_value": 1.0,
            })

    # ------------------------------------------------------------------ kind 3: reads
    def test_generation_wizard_salesman_cannot_read_colleagues(self):
        Wizard = self.env["sales.plan.generate"].with_user(self.user_salesman)
        # a colleague's plan: refused at creation and in an onchange
        with self.assertRaises(AccessError):
            Wizard.create({"plan_id": self.docs["sales.plan"]["m"].id})
        with self.assertRaises(AccessError):
            Wizard.onchange({"plan_id": self.docs["sales.plan"]["m"].id}, ["plan_id"], {
                "plan_id": {}, "base_total": {}, "period_preview": {}, "allocate_by": {},
            })
        # the company plan he reads: the allocation by salesperson (per colleague) is not
        # for him
        wizard = Wizard.create({"plan_id": self.company_plan.id})
        wizard.allocate_by = "user"
        with self.assertRaises(AccessError):
            wizard.action_load_lines()
        with self.assertRaises(AccessError):
            Wizard.onchange({"plan_id": self.company_plan.id, "allocate_by": "user"},
                            ["allocate_by"], {"plan_id": {}, "allocate_by": {},
                                              "line_ids": {"fields": {"user_id": {},
                                                                      "history_value": {}}}})

    def test_generation_wizard_leader_sees_his_team_rows(self):
        wizard = self.env["sales.plan.generate"].with_user(self.user_leader).create({
            "plan_id": self.north_plan.id, "allocate_by": "user",
        })
        wizard.action_load_lines()
        rows = {line.user_id.id: line.history_value for line in wizard.line_ids}
        self.assertEqual(rows, self.expected_rows)
        self.assertAlmostEqual(wizard.base_total, sum(self.expected_rows.values()))
        # another team's plan: not even the wizard
        with self.assertRaises(AccessError):
            self.env["sales.plan.generate"].with_user(self.user_leader).create({
                "plan_id": self.docs["sales.plan"]["t"].id,
            })

    def test_corrective_action_gap_onchange_on_colleague_target(self):
        target = self.docs["sales.plan.target"]["m"]
        variance = target.sudo()._get_figures()[target.id]["variance"]
        self.assertNotEqual(variance, 0.0)  # something to leak
        Action = self.env["sales.corrective.action"].with_user(self.user_salesman)
        try:
            result = Action.onchange(
                {"plan_id": self.docs["sales.plan"]["o"].id, "target_id": target.id},
                ["target_id"], {"plan_id": {}, "target_id": {}, "gap": {}, "gap_change": {}},
            )
        except REFUSED:
            return
        self.assertFalse(result["value"].get("gap"))
        self.assertFalse(result["value"].get("gap_change"))


@tagged("post_install", "-at_install")
class TestIntegrityRpc(JsonRpcMixin, IntegrityFixtures, HttpCase):

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _assert_refused(self, reply, name="odoo.exceptions.AccessError"):
        self.assertIn("error", reply, reply)
        self.assertEqual(reply["error"]["data"]["name"], name, reply["error"]["data"])

    def test_rpc_links_refused(self):
        d = self.docs
        before = self._counts("sales.task", "sales.corrective.action", "sales.plan",
                              "sales.task.todo")
        self._login(self.user_salesman)
        self._assert_refused(self._rpc("sales.task", "create", [{
            "name": "H task", "lead_id": d["crm.lead"]["m"].id}]))
        self._assert_refused(self._rpc("sales.task", "create", [{
            "name": "H task", "target_id": d["sales.plan.target"]["m"].id}]))
        self._assert_refused(self._rpc("sales.corrective.action", "create", [{
            "name": "H action", "plan_id": d["sales.plan"]["m"].id}]))
        self._assert_refused(self._rpc("sales.task.todo", "create", [{
            "name": "H todo", "task_id": d["sales.task"]["o"].id,
            "user_id": self.user_other_team.id}]))
        self._assert_refused(self._rpc("sales.task", "write", [
            [d["sales.task"]["o"].id], {"lead_id": d["crm.lead"]["t"].id}]))
        self._login(self.user_leader)
        self._assert_refused(self._rpc("sales.plan", "create", [{
            "name": "H sub", "parent_id": d["sales.plan"]["t"].id,
            "date_from": "2026-01-01", "date_to": "2026-12-31"}]))
        self.assertEqual(self._counts("sales.task", "sales.corrective.action", "sales.plan",
                                      "sales.task.todo"), before)
        self.assertFalse(d["sales.task"]["o"].lead_id)

    def test_rpc_onchange_reads(self):
        self._login(self.user_salesman)
        reply = self._rpc("sales.plan.generate", "onchange", [
            [], {"plan_id": self.company_plan.id, "allocate_by": "user"}, ["allocate_by"],
            {"plan_id": {}, "allocate_by": {},
             "line_ids": {"fields": {"user_id": {}, "history_value": {}}}},
        ])
        self._assert_refused(reply)
        reply = self._rpc("sales.plan.generate", "onchange", [
            [], {"plan_id": self.docs["sales.plan"]["t"].id}, ["plan_id"],
            {"plan_id": {}, "base_total": {}, "period_preview": {}},
        ])
        self._assert_refused(reply)
        reply = self._rpc("sales.corrective.action", "onchange", [
            [], {"plan_id": self.docs["sales.plan"]["o"].id,
                 "target_id": self.docs["sales.plan.target"]["m"].id},
            ["target_id"], {"plan_id": {}, "target_id": {}, "gap": {}, "gap_change": {}},
        ])
        if "error" in reply:
            self.assertIn(reply["error"]["data"]["name"], CLEAN_ERRORS)
        else:
            self.assertFalse(reply["result"]["value"].get("gap"))
        # the leader's preview over RPC: exactly his team's rows
        self._login(self.user_leader)
        reply = self._rpc("sales.plan.generate", "onchange", [
            [], {"plan_id": self.north_plan.id, "allocate_by": "user"}, ["allocate_by"],
            {"plan_id": {}, "allocate_by": {}, "base_total": {},
             "line_ids": {"fields": {"user_id": {}, "history_value": {}}}},
        ])
        self.assertIn("result", reply, reply)
        rows = {}
        for command in reply["result"]["value"]["line_ids"]:
            if command[0] == 0:
                rows[command[2]["user_id"]] = command[2]["history_value"]
        self.assertEqual(rows, self.expected_rows)

    # ------------------------------------------------------------------ generic probe
    def _addon_models(self):
        return sorted(
            name for name, model in self.env.registry.items()
            if getattr(model, "_original_module", None) == "sales_management"
            and not model._abstract
        )

    def _public_id_methods(self, model):
        """``read``, ``web_read``, ``onchange`` and the public ``action_*`` / ``get_*``
        methods the addon defines that take ids (``@api.model`` methods take none)."""
        cls = type(self.env[model])
        own = {
            attr for klass in cls.__mro__
            if klass.__module__.startswith("odoo.addons.sales_management")
            for attr in vars(klass)
            if attr.startswith(("action_", "get_"))
        }
        return ["read", "web_read", "onchange"] + [
            attr for attr in sorted(own)
            if callable(getattr(cls, attr)) and getattr(getattr(cls, attr), "_api", None)
            != "model"
        ]

    def _secrets(self, key):
        """The names of the owner ``key``'s documents (what must not come back)."""
        secrets = {f"secret strategy {key}"}
        for records in self.docs.values():
            record = records.get(key)
            if record:
                for rec in record.sudo():
                    name = rec.display_name
                    if name and f" {key}" in name:
                        secrets.add(name)
        return secrets

    def test_generic_probe_salesman(self):
        sam = self.user_salesman
        failures, calls = [], 0
        self._login(sam)
        for model in self._addon_models():
            records = self.docs.get(model, {})
            fields_spec = {
                name: {} for name, field in self.env[model]._fields.items()
                if field.type not in ("one2many", "many2many", "properties")
            }
            for key in ("m", "t", "f"):
                record = records.get(key)
                if not record:
                    continue
                as_sam = self.env(user=sam)[model].browse(record.ids)
                ids = sorted(set(record.ids) - set(as_sam._filtered_access("read").ids))
                if not ids:
                    continue
                secrets = self._secrets(key)
                for method in self._public_id_methods(model):
                    args = [ids]
                    if method == "read":
                        args = [ids, list(fields_spec)]
                    elif method == "web_read":
                        args = [ids, fields_spec]
                    elif method == "onchange":
                        args = [ids[:1], {}, [], fields_spec]
                    reply = self._rpc(model, method, args)
                    calls += 1
                    if "error" in reply:
                        name = reply["error"]["data"].get("name")
                        if name not in CLEAN_ERRORS:
                            failures.append((model, key, method, name,
                                             reply["error"]["data"].get("message")))
                        continue
                    text = json.dumps(reply.get("result"), default=str)
                    leaked = [s for s in secrets if s in text]
                    if leaked:
                        failures.append((model, key, method, "leak", leaked))
        self.assertGreater(calls, 50)
        self.assertFalse(failures, "\n".join(map(str, failures)))

    @mute_logger("odoo.http", "odoo.addons.web.controllers.report")
    def test_report_renderers_refuse_unreadable(self):
        """The printed reports, rendered over HTTP as a salesperson and as a leader, on a
        plan / a scorecard they may not read: no page with their figures comes back."""
        d = self.docs
        cases = [
            (self.user_salesman, "sales_management.report_plan_performance",
             d["sales.plan"]["m"], "SM plan m"),
            (self.user_salesman, "sales_management.report_salesperson_scorecard",
             self.user_salesman_2, None),
            (self.user_salesman, "sales_management.report_salesperson_scorecard",
             self.user_other_team, None),
            (self.user_leader, "sales_management.report_plan_performance",
             d["sales.plan"]["t"], "SM plan t"),
            (self.user_leader, "sales_management.report_salesperson_scorecard",
             self.user_other_team, None),
        ]
        for user, report, record, secret in cases:
            with self.subTest(user=user.login, report=report, record=record.display_name):
                self._login(user)
                response = self.url_open(f"/report/html/{report}/{record.id}")
                if secret:
                    self.assertNotIn(secret, response.text)
                else:
                    self.assertNotEqual(response.status_code, 200)
        # the legitimate print still works: Sam's own scorecard, Lea's member's
        for user, member in ((self.user_salesman, self.user_salesman),
                             (self.user_leader, self.user_salesman_2)):
            self._login(user)
            response = self.url_open(
                f"/report/html/sales_management.report_salesperson_scorecard/{member.id}"
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn(member.name, response.text)
