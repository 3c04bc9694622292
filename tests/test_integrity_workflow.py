"""Issue 16, kinds 1 and 2: no context key grants a right; workflow-owned fields (a plan's
state, a closed target's frozen actual, the milestone log, the date a task was done, the gap
an action was opened on) change only through the action methods.

Over JSON-RPC with a real session (``/web/dataset/call_kw``), as an external client sends
it, per role: every door below has its expected outcome written here, the error is a clean
``odoo.exceptions`` one (no traceback), and the database is unchanged afterwards. The
legitimate paths still work: the actions (submit, approve, close with its snapshot, reach a
milestone) and a manager's logged correction of a milestone line.
"""

from access_common import AccessFixtures
from common import JsonRpcMixin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

CLEAN_ERRORS = {
    "odoo.exceptions.UserError", "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError", "odoo.exceptions.MissingError",
}
# a context an attacker sets: the keys the code once trusted, and look-alikes
HOSTILE_CONTEXT = {
    "sales_plan_workflow": True, "sales_workflow": True, "tracking_disable": True,
    "install_mode": True, "force_write": True,
}

# any context a client could send: the trusted-sounding keys, and made-up ones
CONTEXT_KEYS = st.one_of(
    st.sampled_from(sorted(HOSTILE_CONTEXT) + [
        "sales_plan_approve", "sudo", "su", "superuser", "workflow", "skip_check",
        "mail_notrack", "import_file", "module", "no_check",
    ]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=14).filter(
        lambda key: key not in ("lang", "tz", "allowed_company_ids", "uid")),
)
ANY_CONTEXT = st.dictionaries(
    CONTEXT_KEYS, st.one_of(st.booleans(), st.integers(-1, 3), st.text(max_size=4)),
    min_size=1, max_size=4,
)


class WorkflowFixtures(AccessFixtures):
    freeze_time = "2026-05-13 10:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        su = cls.env(su=True)
        d = cls.docs
        cls.metric = cls.env.ref("sales_management.sales_metric_revenue")

        def north_plan(name, target_value, date_to="2026-12-31"):
            """A team plan of Lea's team North with one revenue target."""
            return su["sales.plan"].create({
                "name": name, "user_id": cls.user_leader.id,
                "team_id": cls.team.id, "scope": "team",
                "date_from": "2026-01-01", "date_to": date_to,
                "target_ids": [Command.create({"metric_id": cls.metric.id,
                                               "target_value": target_value})],
            })

        cls.north_plan = north_plan("SM North team 2026", 5000.0)
        cls.approved_plan = north_plan("SM North approved", 6000.0)
        cls.approved_plan.action_approve()
        cls.closed_plan = north_plan("SM North closed", 7000.0, date_to="2026-03-31")
        cls.closed_plan.action_approve()
        cls.closed_plan.action_close()
        cls.own_plan = d["sales.plan"]["o"]
        cls.own_line = d["sales.lead.milestone"]["o"]
        cls.team.sudo().milestone_allow_skip = True
        cls.simple_milestone = su["sales.milestone"].create({
            "name": "SM simple", "sequence": 1, "company_id": cls.env.company.id,
        })
        cls.env.flush_all()

    def _state(self):
        """Everything the doors could change, read as superuser."""
        su = self.env(su=True)
        plans = self.own_plan | self.north_plan | self.approved_plan | self.closed_plan
        targets = plans.target_ids | self.docs["sales.plan.target"]["m"]
        su.invalidate_all()
        lines = su["sales.lead.milestone"].search([])
        return {
            "plans": [(p.id, p.state, p.user_id.id, p.commitment_accepted_date,
                       p.commitment_accepted_user_id.id, p.commitment_countersigned_date,
                       p.commitment_countersigned_user_id.id) for p in plans.sudo()],
            "targets": [(t.id, t.is_snapshot, t.snapshot_value)
                        for t in targets.sudo()],
            "lines": [(ln.id, ln.lead_id.id, ln.milestone_id.id, str(ln.date_reached),
                       ln.overridden, ln.user_id.id, ln.note) for ln in lines],
            "tasks": [(t.id, t.state, t.date_done) for t in su["sales.task"].search([])],
            "todos": [(t.id, t.state, t.date_done)
                      for t in su["sales.task.todo"].search([])],
            "sessions": [(s.id, s.state, s.agenda, s.agenda_date)
                         for s in su["sales.coaching.session"].search([])],
            "coaching_actions": [(a.id, a.state, a.is_converted)
                                 for a in su["sales.coaching.action"].search([])],
            "actions": [(a.id, a.gap_at_open, a.alert_id.id)
                        for a in su["sales.corrective.action"].search([])],
        }

    def _doors(self, role):
        """(label, model, method, args, kwargs) every role tries; all must be refused."""
        d = self.docs
        own_target = self.own_plan.target_ids[:1]
        ctx = {"context": HOSTILE_CONTEXT}
        line = d["sales.lead.milestone"]["o"]
        doors = [
            # kind 1: the context key that once skipped the plan's write guard
            ("approve own plan with the workflow key", "sales.plan", "write",
             [self.own_plan.ids, {"state": "approved"}], ctx),
            ("reopen a closed plan with the workflow key", "sales.plan", "write",
             [self.closed_plan.ids, {"state": "draft"}], ctx),
            ("hand the plan to a colleague with the workflow key", "sales.plan", "write",
             [self.own_plan.ids, {"user_id": self.user_salesman_2.id}], ctx),
            ("create a plan already approved", "sales.plan", "create",
             [{"name": "SM hostile", "user_id": self.user_salesman.id,
               "date_from": "2026-01-01", "date_to": "2026-12-31", "state": "approved"}],
             ctx),
            # kind 2: workflow-owned fields written plainly
            ("approve the team plan by write", "sales.plan", "write",
             [self.north_plan.ids, {"state": "approved"}], {}),
            ("reopen the approved plan by write", "sales.plan", "write",
             [self.approved_plan.ids, {"state": "draft"}], {}),
            # the commitment's two signatures (issue 19): only through their buttons
            ("accept own commitment by write", "sales.plan", "write",
             [self.own_plan.ids, {"commitment_accepted_date": "2026-05-13 10:00:00",
                                  "commitment_accepted_user_id": self.user_salesman.id}], ctx),
            ("countersign a commitment by write", "sales.plan", "write",
             [self.own_plan.ids, {"commitment_countersigned_date": "2026-05-13 10:00:00",
                                  "commitment_countersigned_user_id": self.user_leader.id}],
             ctx),
            ("approve the team plan by its button", "sales.plan", "action_approve",
             [self.north_plan.ids], ctx),
            ("reopen the approved plan by cancelling it", "sales.plan", "action_cancel",
             [self.approved_plan.ids], ctx),
            ("snapshot an approved plan's target", "sales.plan.target", "write",
             [self.approved_plan.target_ids.ids,
              {"is_snapshot": True, "snapshot_value": 1e12}], ctx),
            ("rewrite a closed plan's frozen actual", "sales.plan.target", "write",
             [self.closed_plan.target_ids.ids, {"snapshot_value": 1e12}], ctx),
            ("snapshot own draft target", "sales.plan.target", "write",
             [own_target.ids, {"is_snapshot": True, "snapshot_value": 1e12}], ctx),
            ("create a frozen target", "sales.plan.target", "create",
             [{"plan_id": self.own_plan.id, "metric_id": self.metric.id,
               "target_value": 1.0, "is_snapshot": True, "snapshot_value": 1e12}], ctx),
            ("create a milestone line", "sales.lead.milestone", "create",
             [{"lead_id": self.spare_leads["o"].id,
               "milestone_id": self.simple_milestone.id}], ctx),
            ("backdate a milestone line", "sales.lead.milestone", "write",
             [line.ids, {"date_reached": "2020-01-01 00:00:00"}], ctx),
            ("rewrite a line's override flag", "sales.lead.milestone", "write",
             [line.ids, {"overridden": True}], ctx),
            ("move a line to another opportunity", "sales.lead.milestone", "write",
             [line.ids, {"lead_id": self.spare_leads["o"].id}], ctx),
            ("delete a milestone line", "sales.lead.milestone", "unlink", [line.ids], ctx),
            ("backdate a task's completion", "sales.task", "write",
             [d["sales.task"]["o"].ids, {"date_done": "2026-01-02"}], ctx),
            ("create a to-do done last year", "sales.task.todo", "create",
             [{"task_id": d["sales.task"]["o"].id, "name": "SM hostile",
               "state": "done", "date_done": "2025-01-02"}], ctx),
            ("open an action on a made-up gap", "sales.corrective.action", "create",
             [{"name": "SM hostile", "plan_id": self.own_plan.id,
               "target_id": own_target.id, "gap_at_open": 1e12}], ctx),
            ("tie an action to an alert", "sales.corrective.action", "write",
             [d["sales.corrective.action"]["o"].ids,
              {"alert_id": d["sales.control.alert"]["o"].id}], ctx),
            # 1:1 coaching: the state, the agenda snapshot and the agreed actions' state
            # move by the buttons only; the private note is never the salesperson's
            ("close a 1:1 by write", "sales.coaching.session", "write",
             [d["sales.coaching.session"]["o"].ids, {"state": "done"}], ctx),
            ("forge a 1:1's agenda", "sales.coaching.session", "write",
             [d["sales.coaching.session"]["o"].ids,
              {"agenda": "<p>all on track</p>", "agenda_date": "2020-01-01 00:00:00"}], ctx),
            ("create a 1:1 already done", "sales.coaching.session", "create",
             [{"user_id": self.user_salesman.id, "coach_id": self.user_leader.id,
               "state": "done"}], ctx),
            ("close an agreed action by write", "sales.coaching.action", "write",
             [d["sales.coaching.action"]["o"].ids, {"state": "done", "is_converted": True}],
             ctx),
            ("read the private note of one's own 1:1", "sales.coaching.note.private", "read",
             [d["sales.coaching.note.private"]["o"].ids, ["body"]], ctx),
        ]
        if role in ("leader", "manager"):
            # the leader of North (and a manager) may hand a North plan to a member, and
            # coaches Sam: reads his 1:1's private note
            doors = [door for door in doors if not door[0].startswith("hand the plan")
                     and not door[0].startswith("read the private note")]
        if role == "manager":
            # a manager approves and closes through the buttons, never by writing
            doors = [door for door in doors if door[2] not in ("action_approve", "action_cancel")
                     and door[0] not in ("delete a milestone line",
                                         "backdate a milestone line")]
        return doors


@tagged("post_install", "-at_install")
class TestWorkflowOrm(WorkflowFixtures):

    def test_actions_still_work(self):
        """The legitimate doors: Sam submits his plan, the manager approves and closes a
        plan (the actual frozen is the live one), Sam reaches a milestone."""
        self.own_plan.with_user(self.user_salesman).action_submit()
        self.assertEqual(self.own_plan.state, "submitted")
        plan = self.north_plan.with_user(self.user_manager)
        plan.action_approve()
        live = plan.target_ids._get_figures()[plan.target_ids.id]["actual_value"]
        plan.action_close()
        self.assertEqual(plan.state, "closed")
        self.assertTrue(plan.target_ids.is_snapshot)
        self.assertEqual(plan.target_ids.snapshot_value, live)
        lead = self.spare_leads["o"].with_user(self.user_salesman)
        lead._reach_milestone(self.simple_milestone)
        line = lead.milestone_line_ids.filtered(lambda ln: ln.milestone_id
                                                == self.simple_milestone)
        self.assertEqual(line.user_id, self.user_salesman)
        self.assertFalse(line.overridden)

    def test_reach_requires_write_on_the_opportunity(self):
        """The log is written through sudo() only for an opportunity the caller may
        change: Sam cannot record a milestone on Sara's."""
        lead = self.spare_leads["m"].with_user(self.user_salesman)
        before = self._state()
        with self.assertRaises(AccessError):
            lead._reach_milestone(self.simple_milestone)
        self.assertEqual(self._state(), before)

    def test_manager_correction_is_logged(self):
        line = self.own_line.with_user(self.user_manager)
        lead = line.lead_id
        count = len(lead.message_ids)
        line.write({"date_reached": "2026-05-01 08:00:00", "note": "met on site"})
        self.assertEqual(str(line.date_reached), "2026-05-01 08:00:00")
        lead.invalidate_recordset(["message_ids"])
        self.assertEqual(len(lead.message_ids), count + 1)
        body = lead.message_ids[0].body
        self.assertIn("corrected by", body)
        self.assertIn("2026-05-01", body)
        self.assertIn("met on site", body)
        # but not what the figures are computed from
        with self.assertRaises(AccessError):
            line.write({"overridden": True})
        with self.assertRaises(AccessError):
            line.write({"milestone_id": self.simple_milestone.id})

    def test_manager_delete_is_logged(self):
        line = self.own_line.with_user(self.user_manager)
        lead = line.lead_id
        name = line.milestone_id.name
        line.unlink()
        self.assertIn(f"Milestone {name}", lead.message_ids[0].body)
        self.assertIn("deleted by", lead.message_ids[0].body)

    def test_unchanged_value_accepted(self):
        """The web client may send back what it read: a value equal to the current one
        is no change."""
        plan = self.own_plan.with_user(self.user_salesman)
        plan.write({"state": "draft", "commitment": "<p>I will</p>"})
        self.assertEqual(plan.state, "draft")
        with self.assertRaises(AccessError):
            plan.write({"state": "submitted"})

    def test_task_done_date_is_the_transition_date(self):
        task = self.docs["sales.task"]["o"].with_user(self.user_salesman)
        task.todo_ids.action_done()
        self.assertEqual(task.todo_ids.date_done, self.today)
        task.action_start()
        task.action_done()
        self.assertEqual(task.date_done, self.today)
        with self.assertRaises(AccessError):
            task.write({"date_done": "2026-01-01"})

    def test_gap_at_open_is_computed(self):
        target = self.own_plan.target_ids[:1]
        action = self.env["sales.corrective.action"].with_user(self.user_salesman).create({
            "name": "SM recover", "plan_id": self.own_plan.id, "target_id": target.id,
        })
        self.assertEqual(action.gap_at_open,
                         target.sudo()._get_figures()[target.id]["variance"])

    def test_dashboard_names_only_people_the_caller_may_see(self):
        """``user_ids`` narrows the dashboard; people outside the caller's reach (another
        company, another team) are dropped, not named in the scope label."""
        asked = [self.user_salesman.id, self.user_foreign.id, self.user_other_team.id]
        cases = {
            self.user_manager: [self.user_salesman, self.user_other_team],
            self.user_leader: [self.user_salesman],
            self.user_salesman: [self.user_salesman],
            self.user_salesman_2: [],
        }
        for caller, seen in cases.items():
            with self.subTest(caller=caller.login):
                scope = self.env["sales.management.dashboard"].with_user(caller) \
                    .get_dashboard_data("year", "2026-05-13", asked)["scope"]
                self.assertEqual(scope["user_ids"], [u.id for u in seen] or [0])
                self.assertNotIn(self.user_foreign.name, scope["label"])
                for user in seen:
                    self.assertIn(user.name, scope["label"])

    @settings(derandomize=True, max_examples=40, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(context=ANY_CONTEXT)
    def test_no_context_grants_a_workflow_change(self, context):
        """Fuzzed: whatever the context, a salesperson's plan state, a target's frozen
        actual and the milestone log stay the actions'."""
        before = self._state()
        as_sam = self.env(user=self.user_salesman, context=context)
        with self.assertRaises(UserError):
            as_sam["sales.plan"].browse(self.own_plan.id).write({"state": "approved"})
        with self.assertRaises(UserError):
            as_sam["sales.plan.target"].browse(self.own_plan.target_ids[:1].id).write(
                {"is_snapshot": True, "snapshot_value": 1e12})
        with self.assertRaises(UserError):
            as_sam["sales.lead.milestone"].create({
                "lead_id": self.spare_leads["o"].id,
                "milestone_id": self.simple_milestone.id})
        self.assertEqual(self._state(), before, context)

    def test_every_door_refused_through_the_orm(self):
        for role in ("salesman", "leader", "all_docs", "manager"):
            user = self.role_users[role]
            for label, model, method, args, kwargs in self._doors(role):
                with self.subTest(role=role, door=label):
                    before = self._state()
                    records = self.env[model].with_user(user).with_context(
                        **kwargs.get("context", {}))
                    if method != "create":
                        records, args = records.browse(args[0]), args[1:]
                    with self.assertRaises(UserError):  # AccessError included
                        getattr(records, method)(*args)
                    self.assertEqual(self._state(), before)


@tagged("post_install", "-at_install")
class TestWorkflowRpc(JsonRpcMixin, WorkflowFixtures, HttpCase):
    """Every door through JSON-RPC, per role, with the figures the README reports."""

    ROLES = ("salesman", "leader", "all_docs", "manager", "foreign", "portal")

    def test_every_door_refused_over_rpc(self):
        figures = {}
        before = self._state()
        for role in self.ROLES:
            user = self.role_users[role]
            self.authenticate(user.login, user.login)
            tried = refused = leaked = tracebacks = 0
            for label, model, method, args, kwargs in self._doors(role):
                reply = self._rpc(model, method, args, kwargs)
                tried += 1
                if "error" not in reply:
                    leaked += 1
                    continue
                name = reply["error"]["data"]["name"]
                if name in CLEAN_ERRORS:
                    refused += 1
                else:
                    tracebacks += 1
                with self.subTest(role=role, door=label):
                    self.assertIn(name, CLEAN_ERRORS, reply["error"]["data"])
            figures[role] = (tried, refused, leaked, tracebacks)
        for role, (tried, refused, leaked, tracebacks) in figures.items():
            with self.subTest(role=role):
                self.assertEqual((leaked, tracebacks), (0, 0), figures)
                self.assertEqual(refused, tried)
        self.assertEqual(self._state(), before, "a refused door changed something")
        # the README's figures (quality section): 28 doors per role, 26 for the leader (he
        # may hand his team's plans over and reads his salesperson's private notes), 22 for
        # a manager (approve and correct are his)
        self.assertEqual({role: f[0] for role, f in figures.items()}, {
            "salesman": 28, "leader": 26, "all_docs": 28, "manager": 22,
            "foreign": 28, "portal": 28,
        })

    def test_rpc_actions_are_the_door(self):
        """The same changes through the buttons, by who may make them."""
        self.authenticate(self.user_salesman.login, self.user_salesman.login)
        reply = self._rpc("sales.plan", "action_submit", [self.own_plan.ids],
                          {"context": HOSTILE_CONTEXT})
        self.assertNotIn("error", reply, reply)
        reply = self._rpc("sales.plan", "action_approve", [self.own_plan.ids],
                          {"context": HOSTILE_CONTEXT})
        self.assertEqual(reply["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.authenticate(self.user_manager.login, self.user_manager.login)
        reply = self._rpc("sales.plan", "action_approve", [self.own_plan.ids])
        self.assertNotIn("error", reply, reply)
        self.assertEqual(self.own_plan.sudo().state, "approved")
