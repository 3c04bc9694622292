"""Hostile input over JSON-RPC, property-based (hypothesis).

For every model of the addon a user can create or write (and every wizard), hypothesis picks
one editable field and a hostile value for it — wrong types, huge/negative numbers, NaN and
infinities, empty and 10,000-character strings, unicode, far-past/far-future and invalid
dates, ids of another company's records or of nothing, HTML and ``<script>`` — and sends a
``create`` (and a ``write`` on an existing record) through ``/web/dataset/call_kw`` with a
real session, as a sales manager and as a salesperson.

Every case must end either in a clean error — an ``odoo.exceptions`` error, for a wrong
value and for a value of the wrong type alike — with the database unchanged (no record created, the
field not written), or in a safely stored value: finite numbers, sanitized rich text.
``derandomize=True``: the same cases on every run. ``CASES`` counts them (README figures).
"""

import io
import math
import os
from datetime import timedelta

import openpyxl
from access_common import AccessFixtures
from common import JsonRpcMixin, SalesManagementCommon
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.addons.sales_management.models.sales_input_guard import readable_seasonality
from odoo.tests import HttpCase

CLEAN_ERRORS = {
    "odoo.exceptions.UserError", "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError", "odoo.exceptions.MissingError",
}
SETTINGS = settings(
    derandomize=True, deadline=None, max_examples=30, database=None,
    suppress_health_check=list(HealthCheck),
)
CASES = {"total": 0, "stored": 0, "refused": 0}

TEXTS = [
    "", " ", "x" * 10000, "<script>alert('x')</script>", "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1:A2)", "Ünïcødé ✓ 名前 😀 \u202ertl",
    "' OR 1=1 --", "%(name)s %s {0}",
]
HTMLS = [
    "<script>alert('x')</script><p>ok</p>", "<p onclick=\"alert(1)\">x</p>",
    "<img src=x onerror=alert(1)>", "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=\"http://evil\"></iframe>", "<p>" + "y" * 10000 + "</p>", "",
]
NUMBERS = [0, -1, -0.01, -1e9, 1e15, 1e308, float("nan"), float("inf"), float("-inf")]
INTEGERS = [0, -1, -(2**31), 2**31 - 1, 2**31, 10**20]
DATES = [
    "0001-01-01", "1900-01-01", "9999-12-31", "2025-02-30", "2025-13-01", "not a date", "",
]
WRONG_TYPES = [[], {}, [1, 2], "abc", 1.5, True, {"id": 1}]


def hostile_values(field):
    """[(kind, value)] for a field description of fields_get. Kind "value": a well-formed
    value of the field's type, which must end in an odoo.exceptions error or be stored
    safely. Kind "type": malformed for the type (an impossible date, an unknown selection
    key, an integer beyond PostgreSQL's int4): a clean error too, and nothing is written."""
    ftype = field["type"]
    values = {
        "char": TEXTS, "text": TEXTS, "html": HTMLS + TEXTS,
        "float": NUMBERS, "monetary": NUMBERS,
        "integer": [v for v in INTEGERS if -(2**31) <= v < 2**31],
        "date": DATES[:3], "datetime": [d + " 10:00:00" for d in DATES[:3]],
        "many2one": [10**9, -1, 0],
    }.get(ftype, [])
    malformed = {
        "integer": [v for v in INTEGERS if not -(2**31) <= v < 2**31],
        "date": DATES[3:], "datetime": DATES[3:],
        "selection": ["no_such_value", "<script>"],
    }.get(ftype, [])
    return [("value", v) for v in values] + [("type", v) for v in malformed]


class TestHostileInput(JsonRpcMixin, AccessFixtures, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        docs = cls.docs
        metric = env.ref("sales_management.sales_metric_revenue")
        manager, sam = cls.user_manager, cls.user_salesman
        cls.manager_plan = env["sales.plan"].create({
            "name": "H manager plan", "user_id": manager.id, "date_from": "2026-01-01",
            "date_to": "2026-12-31",
        })
        cls.manager_wizard = env(user=manager, su=True)["sales.plan.generate"].create({
            "plan_id": cls.manager_plan.id,
        })
        cls.sam_wizard = env(user=sam, su=True)["sales.plan.generate"].create({
            "plan_id": docs["sales.plan"]["o"].id,
        })
        foreign = {
            # another company's record for each many2one a hostile client could point at
            "sales.plan": docs["sales.plan"]["f"].id, "sales.task": docs["sales.task"]["f"].id,
            "sales.plan.target": docs["sales.plan.target"]["f"].id,
            "crm.team": cls.team_b.id, "res.partner": cls.customer_b.id,
            "res.company": cls.company_b.id, "res.users": cls.user_foreign.id,
            "crm.lead": docs["crm.lead"]["f"].id,
            "sales.milestone": docs["sales.milestone"]["f"].id,
            "sales.task.template": docs["sales.task.template"]["f"].id,
            "sales.region": docs["sales.region"]["f"].id,
            "sales.metric": docs["sales.metric"]["f"].id,
            "sales.task.todo": docs["sales.task.todo"]["f"].id,
            "sales.coaching.session": docs["sales.coaching.session"]["f"].id,
        }
        cls.foreign_ids = foreign
        c = docs
        # People: Sam's own self rating (the fixtures' ratings are leader ratings)
        next_month = (cls.today.replace(day=1) + timedelta(days=32)).replace(day=1)
        competency = docs["sales.competency"]["c"]
        cls.sam_self_rating = env(user=sam)["sales.competency.rating"].create({
            "competency_id": competency.id, "kind": "self", "level": 3,
        })
        cls.targets = {
            # role -> model -> (valid create values, a record to write on)
            "manager": {
                "sales.plan": ({"name": "H plan", "user_id": manager.id,
                                "date_from": "2026-01-01", "date_to": "2026-12-31"},
                               cls.manager_plan),
                "sales.plan.target": ({"plan_id": cls.manager_plan.id, "metric_id": metric.id,
                                       "target_value": 10.0}, c["sales.plan.target"]["t"]),
                "sales.task": ({"name": "H task"}, c["sales.task"]["t"]),
                "sales.task.todo": ({"task_id": c["sales.task"]["t"].id, "name": "H todo"},
                                    c["sales.task.todo"]["t"]),
                "sales.task.resource": ({"todo_id": c["sales.task.todo"]["t"].id,
                                         "description": "H res"},
                                        c["sales.task.resource"]["t"]),
                "sales.corrective.action": ({"name": "H action",
                                             "plan_id": cls.manager_plan.id},
                                            c["sales.corrective.action"]["t"]),
                "sales.region": ({"name": "H region",
                                  "country_ids": [Command.set(cls.country_us.ids)]},
                                 c["sales.region"]["c"]),
                "sales.milestone": ({"name": "H milestone"}, c["sales.milestone"]["c"]),
                "sales.milestone.criterion": ({"name": "H criterion",
                                               "milestone_id": c["sales.milestone"]["c"].id},
                                              c["sales.milestone.criterion"]["c"]),
                "sales.task.template": ({"name": "H template"}, c["sales.task.template"]["c"]),
                "sales.task.template.line": ({"name": "H line",
                                              "template_id": c["sales.task.template"]["c"].id},
                                             c["sales.task.template.line"]["c"]),
                "sales.metric": (None, c["sales.metric"]["c"]),
                "sales.lead.milestone": (None, c["sales.lead.milestone"]["t"]),
                "sales.plan.generate": ({"plan_id": cls.manager_plan.id}, cls.manager_wizard),
                "sales.plan.generate.line": ({"wizard_id": cls.manager_wizard.id}, None),
                "sales.lead.milestone.reach": ({
                    "lead_id": c["crm.lead"]["t"].id,
                    "milestone_id": c["sales.milestone"]["c"].id}, None),
                "sales.task.done.wizard": ({
                    "task_ids": [Command.set(c["sales.task"]["t"].ids)]}, None),
                "sales.coaching.session": ({"user_id": cls.user_other_team.id},
                                           c["sales.coaching.session"]["t"]),
                "sales.coaching.action": ({"session_id": c["sales.coaching.session"]["t"].id,
                                           "name": "H agreed"},
                                          c["sales.coaching.action"]["t"]),
                "sales.coaching.note.private": ({
                    "session_id": cls.spare_sessions["t"].id, "body": "<p>H</p>"},
                    c["sales.coaching.note.private"]["t"]),
                "sales.competency": ({"name": "H competency"}, c["sales.competency"]["c"]),
                "sales.competency.rating": ({
                    "user_id": cls.user_other_team.id, "competency_id": competency.id,
                    "kind": "leader", "level": 2, "date_start": str(next_month)},
                    c["sales.competency.rating"]["t"]),
                "sales.coaching.focus": ({
                    "user_id": cls.user_other_team.id, "competency_id": competency.id,
                    "date_start": str(next_month),
                    "date_end": str(next_month + timedelta(days=20))},
                    c["sales.coaching.focus"]["t"]),
            },
            "salesman": {
                "sales.plan": (None, c["sales.plan"]["o"]),
                "sales.task": ({"name": "H task"}, c["sales.task"]["o"]),
                "sales.task.todo": ({"task_id": c["sales.task"]["o"].id, "name": "H todo"},
                                    c["sales.task.todo"]["o"]),
                "sales.task.resource": ({"todo_id": c["sales.task.todo"]["o"].id,
                                         "description": "H res"},
                                        c["sales.task.resource"]["o"]),
                "sales.corrective.action": ({"name": "H action",
                                             "plan_id": c["sales.plan"]["o"].id},
                                            c["sales.corrective.action"]["o"]),
                "sales.lead.milestone": (None, c["sales.lead.milestone"]["o"]),
                "sales.plan.generate": ({"plan_id": c["sales.plan"]["o"].id}, cls.sam_wizard),
                "sales.lead.milestone.reach": ({
                    "lead_id": c["crm.lead"]["o"].id,
                    "milestone_id": c["sales.milestone"]["c"].id}, None),
                "sales.task.done.wizard": ({
                    "task_ids": [Command.set(c["sales.task"]["o"].ids)]}, None),
                "sales.coaching.session": (None, c["sales.coaching.session"]["o"]),
                "sales.coaching.action": (None, c["sales.coaching.action"]["o"]),
                "sales.coaching.note.private": (None, c["sales.coaching.note.private"]["o"]),
                "sales.competency.rating": ({
                    "competency_id": competency.id, "kind": "self", "level": 4,
                    "date_start": str(next_month)}, cls.sam_self_rating),
            },
        }
        cls.logins = {"manager": "sm_manager", "salesman": "sm_salesman"}
        cls.env.flush_all()

    # ------------------------------------------------------------------ helpers

    def _editable_fields(self, model):
        described = self.env[model].fields_get(attributes=["type", "readonly", "relation"])
        skip = {"id", "display_name", "create_date", "write_date", "create_uid", "write_uid",
                "message_main_attachment_id", "activity_user_id", "activity_type_id",
                "activity_date_deadline", "activity_summary"}
        return {
            name: desc for name, desc in described.items()
            if not desc.get("readonly") and name not in skip and not name.startswith("message_")
            and self.env[model]._fields[name].store
            and desc["type"] not in ("one2many", "binary", "properties", "json", "reference",
                                     "many2one_reference")
        }

    def _case_strategy(self, model):
        fields_ = self._editable_fields(model)
        cases = []
        for name, desc in sorted(fields_.items()):
            for kind, value in hostile_values(desc):
                cases.append((name, kind, value))
            if desc["type"] == "many2one" and desc["relation"] in self.foreign_ids:
                cases.append((name, "value", self.foreign_ids[desc["relation"]]))
            if desc["type"] == "many2many":
                cases.append((name, "type", [Command.set([10**9])]))
            for value in WRONG_TYPES:
                cases.append((name, "type", value))
        return st.sampled_from(cases)

    def _check_stored(self, model, record, field, value):
        """A value that went through must be a safe one."""
        Field = self.env[model]._fields[field]
        stored = record[field]
        if Field.type in ("float", "monetary"):
            self.assertTrue(math.isfinite(stored), f"{model}.{field} stored {stored!r}")
        if Field.type == "html" and stored:
            lowered = str(stored).lower()
            for bad in ("<script", "onerror=", "onclick=", "javascript:", "<iframe"):
                self.assertNotIn(bad, lowered, f"{model}.{field} kept {bad}")
        if Field.type == "many2one" and stored:
            company = getattr(stored, "company_id", None)
            owner = getattr(record, "company_id", None)
            if company and owner:
                self.assertEqual(company, owner, f"{model}.{field}: another company's record")

    def _check_error(self, reply, kind, where):
        # a wrong value and a value of the wrong type alike: a clear error, never a raw
        # ValueError/TypeError/database error shown as a server error
        name = reply["error"]["data"]["name"]
        self.assertIn(name, CLEAN_ERRORS,
                      f"{where} ({kind}): {name}: {reply['error']['data']['message']}")

    def _run_case(self, role, model, case, op):
        field, kind, value = case
        vals, record = self.targets[role][model]
        where = f"{role} {op} {model}.{field}={str(value)[:60]!r}"
        CASES["total"] += 1
        Model = self.env[model].sudo().with_context(active_test=False)
        if op == "create":
            before = Model.search_count([])
            reply = self._rpc(model, "create", [{**vals, field: value}])
            self.env.invalidate_all()
            if "error" in reply:
                CASES["refused"] += 1
                self._check_error(reply, kind, where)
                self.assertEqual(Model.search_count([]), before, f"{where}: partial write")
            else:
                CASES["stored"] += 1
                self._check_stored(model, Model.browse(reply["result"]), field, value)
        else:
            record = record.sudo()
            snapshot = record.read([field])[0]
            reply = self._rpc(model, "write", [record.ids, {field: value}])
            self.env.invalidate_all()
            if "error" in reply:
                CASES["refused"] += 1
                self._check_error(reply, kind, where)
                self.assertEqual(record.read([field])[0], snapshot, f"{where}: partial write")
            else:
                CASES["stored"] += 1
                self._check_stored(model, record, field, value)

    def _fuzz(self, role):
        self.authenticate(self.logins[role], self.logins[role])
        for model, (vals, record) in sorted(self.targets[role].items()):
            ops = [op for op, target in (("create", vals), ("write", record)) if target]
            for op in ops:
                with self.subTest(role=role, model=model, op=op):
                    self._property(role, model, op)()

    def _property(self, role, model, op):
        @SETTINGS
        @given(case=self._case_strategy(model))
        def check(case):
            # each case starts from the same data: the request shares the test cursor, so
            # a savepoint rolled back after the case undoes what it wrote
            with self.env.cr.savepoint(flush=False) as savepoint:
                self._run_case(role, model, case, op)
                savepoint.rollback()
            self.env.invalidate_all()

        return check

    def test_hostile_manager(self):
        self._fuzz("manager")

    def test_hostile_salesman(self):
        self._fuzz("salesman")

    @classmethod
    def tearDownClass(cls):
        if os.environ.get("SM_HOSTILE_PRINT"):
            print(f"hostile cases: {CASES}")
        super().tearDownClass()


class TestReportEscaping(AccessFixtures):
    """User text in the PDF (HTML) and XLSX outputs: escaped, and never a formula."""

    PAYLOADS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)",
                "<script>alert('x')</script>"]

    def test_pdf_html_escapes_names(self):
        plan = self.docs["sales.plan"]["o"]
        plan.name = "<script>alert('x')</script> & <b>bold</b>"
        self.env["sales.plan.target"].create({
            "plan_id": plan.id,
            "metric_id": self.env.ref("sales_management.sales_metric_orders").id,
            "target_value": 3,
        })
        Report = self.env["ir.actions.report"].with_user(self.user_manager)
        html, _kind = Report._render_qweb_html(
            "sales_management.report_plan_performance", plan.ids)
        html = html.decode()
        self.assertNotIn("<script>alert", html)
        self.assertNotIn("<b>bold</b>", html)
        self.assertIn("&lt;script&gt;alert", html)

    def test_xlsx_user_text_is_never_a_formula(self):
        plan = self.docs["sales.plan"]["o"]
        plan.name = self.PAYLOADS[0]
        self.user_salesman.name = self.PAYLOADS[1]
        self.team.name = self.PAYLOADS[2]
        child = self.env["sales.plan"].create({
            "name": self.PAYLOADS[3], "parent_id": plan.id, "user_id": self.user_salesman.id,
            "team_id": self.team.id, "date_from": plan.date_from, "date_to": plan.date_to,
        })
        self.env["sales.plan.target"].create({
            "plan_id": child.id,
            "metric_id": self.env.ref("sales_management.sales_metric_revenue").id,
            "target_value": 10,
        })
        Report = self.env["ir.actions.report"].with_user(self.user_manager)
        content, _kind = Report._render_xlsx(
            "sales_management.report_plan_performance_xlsx", plan.ids, {})
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        found = {}
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        for payload in self.PAYLOADS[:4]:
                            if payload in cell.value:
                                found[payload] = cell.data_type
                                self.assertEqual(cell.data_type, "s", f"{cell.coordinate}")
        self.assertEqual(set(found), set(self.PAYLOADS[:4]), "every payload was exported")
        self.assertEqual(set(found.values()), {"s"})


# ---------------------------------------------------------------------- structured values
MONTH_KEYS = st.sampled_from([
    "2026-01", "2026-06", "2026-12", "2025-12", "2027-01", "2026-13", "2026-1", "0001-01",
    "9999-12", "x", "", "2026-01-01",
])
ANY_SCALAR = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**20), 10**20),
    st.text(max_size=8), st.booleans(), st.none(),
)
SEASONALITIES = st.one_of(
    st.dictionaries(MONTH_KEYS, st.one_of(ANY_SCALAR, st.lists(st.integers(), max_size=2)),
                    max_size=4),
    st.text(max_size=20), st.lists(ANY_SCALAR, max_size=3), ANY_SCALAR,
)
DASHBOARD_ARGS = st.tuples(
    st.one_of(st.sampled_from(["month", "quarter", "year"]), ANY_SCALAR),
    st.one_of(st.sampled_from(["2026-03-11", "0001-01-01", "9999-12-31", "2026-02-30",
                               "abc", ""]), ANY_SCALAR, st.lists(st.text(max_size=3),
                                                                 max_size=2)),
    st.one_of(st.none(), st.lists(ANY_SCALAR, max_size=3), ANY_SCALAR),
)
# context keys a client may send with any call (those that grant rights are another
# guard's: here, that none of them turns into a server error or a poisoned figure)
CONTEXT_KEYS = st.sampled_from([
    "tz", "lang", "active_test", "today", "sales_control_batch_size",
    "sales_control_mail_lines", "default_target_value", "default_seasonality",
    "default_date_from", "bin_size", "tracking_disable", "search_default_open",
])
CONTEXTS = st.dictionaries(CONTEXT_KEYS, st.one_of(
    ANY_SCALAR.filter(lambda v: not (isinstance(v, float) and math.isnan(v))),
    st.lists(st.integers(0, 10), max_size=2),
), max_size=3)
ONCHANGE_VALUES = st.fixed_dictionaries({}, optional={
    "target_value": st.one_of(st.sampled_from(NUMBERS), st.text(max_size=5),
                              st.lists(st.integers(), max_size=1)),
    "seasonality": SEASONALITIES,
    "date_from": st.one_of(st.sampled_from(DATES), ANY_SCALAR),
    "date_to": st.one_of(st.sampled_from(DATES), ANY_SCALAR),
})
STRUCTURED_SETTINGS = settings(
    derandomize=True, deadline=None, max_examples=25, database=None,
    suppress_health_check=list(HealthCheck),
)


class TestHostileStructured(JsonRpcMixin, SalesManagementCommon, HttpCase):
    """Hostile structured values, context keys and onchange payloads over JSON-RPC (a
    manager's session): each call ends in a clean ``odoo.exceptions`` error with nothing
    written, or in a safe result (a readable seasonality, finite figures)."""

    freeze_time = "2026-03-11 10:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.metric = cls.env.ref("sales_management.sales_metric_revenue")
        cls.plan = cls.env["sales.plan"].create({
            "name": "H structured", "user_id": cls.user_salesman.id, "team_id": cls.team.id,
            "date_from": "2026-01-01", "date_to": "2026-12-31",
            "target_ids": [Command.create({"metric_id": cls.metric.id,
                                           "target_value": 1000.0})],
        })
        cls.target = cls.plan.target_ids

    def setUp(self):
        super().setUp()
        self.authenticate("sm_manager", "sm_manager")

    def _assert_clean(self, reply, where):
        if "error" in reply:
            name = reply["error"]["data"]["name"]
            self.assertIn(name, CLEAN_ERRORS,
                          f"{where}: {name}: {reply['error']['data']['message'][:300]}")
            return False
        return True

    def _each(self, strategy, check):
        @STRUCTURED_SETTINGS
        @given(case=strategy)
        def run(case):
            with self.env.cr.savepoint(flush=False) as savepoint:
                check(case)
                savepoint.rollback()
            self.env.invalidate_all()

        run()

    def test_seasonality_values(self):
        def check(value):
            before = self.target.read(["seasonality"])[0]["seasonality"]
            reply = self._rpc("sales.plan.target", "write",
                              [self.target.ids, {"seasonality": value}])
            self.env.invalidate_all()
            where = f"seasonality={value!r:.80}"
            if self._assert_clean(reply, where):
                stored = self.target.seasonality
                self.assertTrue(not stored or readable_seasonality(stored), where)
                self.assertTrue(math.isfinite(self.target.expected_to_date), where)
            else:
                self.assertEqual(self.target.read(["seasonality"])[0]["seasonality"],
                                 before, f"{where}: partial write")

        self._each(SEASONALITIES, check)

    def test_dashboard_parameters(self):
        def check(args):
            reply = self._rpc("sales.management.dashboard", "get_dashboard_data", list(args))
            if self._assert_clean(reply, f"dashboard{args!r:.80}"):
                self.assertIn("kpis", reply["result"])

        self._each(DASHBOARD_ARGS, check)

    def test_context_keys(self):
        def check(context):
            where = f"context={context!r:.80}"
            reply = self._rpc("sales.management.dashboard", "get_dashboard_data", ["year"],
                              {"context": context})
            self._assert_clean(reply, where)
            reply = self._rpc("sales.plan", "search_read", [[("id", "=", self.plan.id)]],
                              {"fields": ["target_value", "expected_to_date", "pace"],
                               "context": context})
            if self._assert_clean(reply, where):
                for row in reply["result"]:
                    self.assertTrue(all(math.isfinite(row[f]) for f in
                                        ("target_value", "expected_to_date", "pace")), where)
            reply = self._rpc("sales.plan.target", "create", [{
                "plan_id": self.plan.id, "metric_id": self.metric.id,
            }], {"context": context})
            if self._assert_clean(reply, where):
                created = self.env["sales.plan.target"].browse(reply["result"])
                self.assertTrue(math.isfinite(created.target_value), where)
                self.assertTrue(not created.seasonality
                                or readable_seasonality(created.seasonality), where)

        self._each(CONTEXTS, check)

    def test_onchange_payloads(self):
        spec = {name: {} for name in ("target_value", "seasonality", "date_from", "date_to",
                                      "expected_to_date", "pace", "health",
                                      "seasonality_warning")}

        def check(values):
            payload = {"plan_id": self.plan.id, "metric_id": self.metric.id, **values}
            changed = sorted(values)  # none: the form's first onchange
            where = f"onchange {values!r:.80}"
            reply = self._rpc("sales.plan.target", "onchange", [[], payload, changed, spec])
            if self._assert_clean(reply, where):
                value = reply["result"].get("value", {})
                for name in ("expected_to_date", "pace"):
                    if name in value:
                        self.assertTrue(math.isfinite(value[name]), f"{where}: {name}")

        self._each(ONCHANGE_VALUES, check)
