"""The access matrix: every model of the addon × every role × read/create/write/unlink.

The expected outcome is the table ``MATRIX`` below, one line per (model, role); a model
whose eight lines would repeat another model's exactly has one line ``model same as other``
instead (same expected cells, still observed on its own documents). Columns:

  read    which of the documents the role sees, one character per key (see
          access_common): the letter when visible, ``.`` when not. "Visible" is asserted
          four ways that must agree: ``search``, ``_read_group`` (count), ``read`` and
          ``export_data`` of each document.
  create  ``Y`` the role creates a document like its own, ``-`` AccessError, ``!`` a
          business error (UserError / ValidationError).
  write   per key: letter = the write goes through, ``.`` AccessError, ``!`` business error.
  unlink  per key, same codes.

Keys: ``o`` Sam's (salesperson), ``m`` Sara's (same team), ``t`` Otto's (other team),
``f`` Company B's; configuration models: ``c`` main company, ``f`` Company B; wizards:
``o`` opened by Sam, ``m`` by Sara; SQL views: the rows of each owner's opportunity;
``sales.report.dispatch``: ``c``/``f`` the companies' management reports, ``o``/``m``/``t``
the weekly feedback of Sam, Sara and Otto.

Every attempt runs in a savepoint rolled back afterwards, so the attempts are independent.
Set SM_MATRIX_PRINT=1 to print the observed table (to review a change of rules).
"""

import json
import os
from datetime import timedelta

import psycopg2
from access_common import ROLES, AccessFixtures
from common import on_edge_dates

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase
from odoo.tools import mute_logger

# fmt: off
MATRIX = """
model                            role      read  create write  unlink
sales.coaching.session           salesman  o...  -      ....   ....
sales.coaching.session           all_docs  ....  -      ....   ....
sales.coaching.session           leader    om..  Y      om..   om..
sales.coaching.session           manager   omt.  Y      omt.   omt.
sales.coaching.session           internal  ....  -      ....   ....
sales.coaching.session           foreign   ...f  Y      ...f   ...f
sales.coaching.session           portal    ....  -      ....   ....
sales.coaching.session           public    ....  -      ....   ....
sales.coaching.action            same as sales.coaching.session
sales.coaching.note.private      salesman  ....  -      ....   ....
sales.coaching.note.private      all_docs  ....  -      ....   ....
sales.coaching.note.private      leader    om..  Y      om..   om..
sales.coaching.note.private      manager   omt.  Y      omt.   omt.
sales.coaching.note.private      internal  ....  -      ....   ....
sales.coaching.note.private      foreign   ...f  Y      ...f   ...f
sales.coaching.note.private      portal    ....  -      ....   ....
sales.coaching.note.private      public    ....  -      ....   ....
sales.coaching.focus             salesman  o...  -      ....   ....
sales.coaching.focus             all_docs  ....  -      ....   ....
sales.coaching.focus             leader    om..  Y      om..   om..
sales.coaching.focus             manager   omt.  Y      omt.   omt.
sales.coaching.focus             internal  ....  -      ....   ....
sales.coaching.focus             foreign   ...f  -      ....   ....
sales.coaching.focus             portal    ....  -      ....   ....
sales.coaching.focus             public    ....  -      ....   ....
sales.competency                 same as sales.metric
sales.competency.rating          same as sales.coaching.focus
sales.control.alert              salesman  ....  -      ....   ....
sales.control.alert              all_docs  ....  -      ....   ....
sales.control.alert              leader    ....  -      ....   ....
sales.control.alert              manager   omt.  -      ....   ....
sales.control.alert              internal  ....  -      ....   ....
sales.control.alert              foreign   ...f  -      ....   ....
sales.control.alert              portal    ....  -      ....   ....
sales.control.alert              public    ....  -      ....   ....
sales.control.digest             same as sales.control.alert
sales.control.digest.line        same as sales.control.alert
sales.control.escalation         same as sales.control.alert
sales.corrective.action          salesman  o...  Y      o...   ....
sales.corrective.action          all_docs  omt.  -      ....   ....
sales.corrective.action          leader    om..  Y      om..   ....
sales.corrective.action          manager   omt.  Y      omt.   omt.
sales.corrective.action          internal  ....  -      ....   ....
sales.corrective.action          foreign   ...f  Y      ...f   ...f
sales.corrective.action          portal    ....  -      ....   ....
sales.corrective.action          public    ....  -      ....   ....
sales.job.failure                salesman  ..    -      ..     ..
sales.job.failure                all_docs  ..    -      ..     ..
sales.job.failure                leader    ..    -      ..     ..
sales.job.failure                manager   c.    -      ..     c.
sales.job.failure                internal  ..    -      ..     ..
sales.job.failure                foreign   .f    -      ..     .f
sales.job.failure                portal    ..    -      ..     ..
sales.job.failure                public    ..    -      ..     ..
sales.report.dispatch            salesman  .o...  -      .....  .....
sales.report.dispatch            all_docs  .....  -      .....  .....
sales.report.dispatch            leader    .om..  -      .....  .....
sales.report.dispatch            manager   comt.  -      .....  .....
sales.report.dispatch            internal  .....  -      .....  .....
sales.report.dispatch            foreign   ....f  -      .....  .....
sales.report.dispatch            portal    .....  -      .....  .....
sales.report.dispatch            public    .....  -      .....  .....
sales.kpi.report                 salesman  o...  -      ....   ....
sales.kpi.report                 all_docs  omt.  -      ....   ....
sales.kpi.report                 leader    om..  -      ....   ....
sales.kpi.report                 manager   omt.  -      ....   ....
sales.kpi.report                 internal  ....  -      ....   ....
sales.kpi.report                 foreign   ...f  -      ....   ....
sales.kpi.report                 portal    ....  -      ....   ....
sales.kpi.report                 public    ....  -      ....   ....
sales.lead.milestone             salesman  o...  -      ....   ....
sales.lead.milestone             all_docs  omt.  -      ....   ....
sales.lead.milestone             leader    om..  -      ....   ....
sales.lead.milestone             manager   omt.  -      omt.   omt.
sales.lead.milestone             internal  ....  -      ....   ....
sales.lead.milestone             foreign   ...f  -      ...f   ...f
sales.lead.milestone             portal    ....  -      ....   ....
sales.lead.milestone             public    ....  -      ....   ....
sales.lead.milestone.reach       salesman  o.    Y      o.     o.
sales.lead.milestone.reach       all_docs  ..    Y      ..     ..
sales.lead.milestone.reach       leader    ..    -      ..     ..
sales.lead.milestone.reach       manager   ..    Y      ..     ..
sales.lead.milestone.reach       internal  ..    -      ..     ..
sales.lead.milestone.reach       foreign   ..    -      ..     ..
sales.lead.milestone.reach       portal    ..    -      ..     ..
sales.lead.milestone.reach       public    ..    -      ..     ..
sales.metric                     salesman  c.    -      ..     ..
sales.metric                     all_docs  c.    -      ..     ..
sales.metric                     leader    c.    -      ..     ..
sales.metric                     manager   c.    Y      c.     c.
sales.metric                     internal  ..    -      ..     ..
sales.metric                     foreign   .f    Y      .f     .f
sales.metric                     portal    ..    -      ..     ..
sales.metric                     public    ..    -      ..     ..
sales.milestone                  salesman  c.    -      ..     ..
sales.milestone                  all_docs  c.    -      ..     ..
sales.milestone                  leader    c.    -      ..     ..
sales.milestone                  manager   c.    Y      c.     !.
sales.milestone                  internal  ..    -      ..     ..
sales.milestone                  foreign   .f    Y      .f     .!
sales.milestone                  portal    ..    -      ..     ..
sales.milestone                  public    ..    -      ..     ..
sales.day.note                   salesman  o...  Y      o...   o...
sales.day.note                   all_docs  omt.  Y      ....   ....
sales.day.note                   leader    om..  Y      ....   ....
sales.day.note                   manager   omt.  Y      ....   ....
sales.day.note                   internal  ....  -      ....   ....
sales.day.note                   foreign   ...f  Y      ....   ....
sales.day.note                   portal    ....  -      ....   ....
sales.day.note                   public    ....  -      ....   ....
sales.milestone.activity.report  same as sales.kpi.report
sales.milestone.criterion        same as sales.metric
sales.milestone.norm             same as sales.metric
sales.milestone.forecast.report  same as sales.kpi.report
sales.milestone.funnel.report    same as sales.kpi.report
sales.milestone.stat             salesman  c.    -      ..     ..
sales.milestone.stat             all_docs  c.    -      ..     ..
sales.milestone.stat             leader    c.    -      ..     ..
sales.milestone.stat             manager   c.    -      ..     ..
sales.milestone.stat             internal  ..    -      ..     ..
sales.milestone.stat             foreign   .f    -      ..     ..
sales.milestone.stat             portal    ..    -      ..     ..
sales.milestone.stat             public    ..    -      ..     ..
sales.plan                       salesman  o...  -      o...   ....
sales.plan                       all_docs  omt.  -      ....   ....
sales.plan                       leader    om..  Y      om..   om..
sales.plan                       manager   omt.  Y      omt.   omt.
sales.plan                       internal  ....  -      ....   ....
sales.plan                       foreign   ...f  Y      ...f   ...f
sales.plan                       portal    ....  -      ....   ....
sales.plan                       public    ....  -      ....   ....
sales.plan.generate              salesman  o.    Y      o.     o.
sales.plan.generate              all_docs  ..    Y      ..     ..
sales.plan.generate              leader    ..    Y      ..     ..
sales.plan.generate              manager   ..    Y      ..     ..
sales.plan.generate              internal  ..    -      ..     ..
sales.plan.generate              foreign   ..    -      ..     ..
sales.plan.generate              portal    ..    -      ..     ..
sales.plan.generate              public    ..    -      ..     ..
sales.plan.generate.line         salesman  o.    Y      o.     o.
sales.plan.generate.line         all_docs  ..    -      ..     ..
sales.plan.generate.line         leader    ..    -      ..     ..
sales.plan.generate.line         manager   ..    -      ..     ..
sales.plan.generate.line         internal  ..    -      ..     ..
sales.plan.generate.line         foreign   ..    -      ..     ..
sales.plan.generate.line         portal    ..    -      ..     ..
sales.plan.generate.line         public    ..    -      ..     ..
sales.plan.target                salesman  o...  -      ....   ....
sales.plan.target                all_docs  omt.  -      ....   ....
sales.plan.target                leader    om..  Y      om..   om..
sales.plan.target                manager   omt.  Y      omt.   omt.
sales.plan.target                internal  ....  -      ....   ....
sales.plan.target                foreign   ...f  Y      ...f   ...f
sales.plan.target                portal    ....  -      ....   ....
sales.plan.target                public    ....  -      ....   ....
sales.region                     same as sales.metric
sales.task                       salesman  o...  Y      o...   o...
sales.task                       all_docs  omt.  -      ....   ....
sales.task                       leader    om..  Y      om..   om..
sales.task                       manager   omt.  Y      omt.   omt.
sales.task                       internal  ....  -      ....   ....
sales.task                       foreign   ...f  Y      ...f   ...f
sales.task                       portal    ....  -      ....   ....
sales.task                       public    ....  -      ....   ....
sales.task.done.wizard           salesman  o.    Y      o.     ..
sales.task.done.wizard           all_docs  ..    -      ..     ..
sales.task.done.wizard           leader    ..    Y      ..     ..
sales.task.done.wizard           manager   ..    Y      ..     ..
sales.task.done.wizard           internal  ..    -      ..     ..
sales.task.done.wizard           foreign   ..    -      ..     ..
sales.task.done.wizard           portal    ..    -      ..     ..
sales.task.done.wizard           public    ..    -      ..     ..
sales.task.resource              same as sales.task
sales.task.template              same as sales.metric
sales.task.template.line         same as sales.metric
sales.task.todo                  same as sales.task
"""
# fmt: on

WRITE_VALS = {
    "sales.coaching.session": {"shared_note": "<p>seen</p>"},
    "sales.coaching.action": {"sequence": 5},
    "sales.coaching.note.private": {"body": "<p>seen</p>"},
    "sales.day.note": {"note": "seen"},
    "sales.plan": {"commitment": "<p>We will do it.</p>"},
    "sales.plan.target": {"sequence": 5},
    "sales.task": {"priority": "1"},
    "sales.task.todo": {"sequence": 5},
    "sales.task.resource": {"sequence": 5},
    "sales.task.template": {"sequence": 5},
    "sales.task.template.line": {"sequence": 5},
    "sales.corrective.action": {"date_deadline": "2030-01-31"},
    "sales.control.alert": {"note": "<p>seen</p>"},
    "sales.control.digest": {"name": "seen"},
    "sales.control.digest.line": {"record_name": "seen"},
    "sales.control.escalation": {"date": "2030-01-31"},
    "sales.lead.milestone": {"note": "seen"},
    "sales.milestone": {"color": 3},
    "sales.milestone.criterion": {"sequence": 5},
    "sales.milestone.norm": {"min_count": 2},
    "sales.milestone.stat": {"probability": 40.0},
    "sales.job.failure": {"record_name": "seen"},
    "sales.report.dispatch": {"period": "seen"},
    "sales.region": {"description": "seen"},
    "sales.metric": {"sequence": 5},
    "sales.kpi.report": {"user_id": False},
    "sales.milestone.forecast.report": {"user_id": False},
    "sales.milestone.funnel.report": {"user_id": False},
    "sales.milestone.activity.report": {"user_id": False},
    "sales.plan.generate": {"growth": 5.0},
    "sales.plan.generate.line": {"is_override": True},
    "sales.task.done.wizard": {"task_ids": [Command.clear()]},
    "sales.lead.milestone.reach": {"note": "seen"},
    "sales.competency": {"sequence": 5},
    "sales.competency.rating": {"evidence": "seen"},
    "sales.coaching.focus": {"note": "seen"},
}
CONFIG_MODELS = {
    "sales.task.template", "sales.task.template.line", "sales.milestone",
    "sales.milestone.criterion", "sales.milestone.stat", "sales.region", "sales.metric",
    "sales.job.failure", "sales.report.dispatch", "sales.competency", "sales.milestone.norm",
}
# a company's rows (c, f) and a person's rows (o, m, t) in one model: the management
# report's dispatch and the weekly feedback
MIXED_MODELS = {"sales.report.dispatch": ("c", "o", "m", "t", "f")}
WIZARDS = {
    "sales.plan.generate", "sales.plan.generate.line", "sales.task.done.wizard",
    "sales.lead.milestone.reach",
}


class _Rollback(Exception):
    pass


def parse_matrix(text):
    """{(model, role): (read, create, write, unlink)}, the ``same as`` lines expanded."""
    table, same_as = {}, {}
    for line in text.strip().splitlines()[1:]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words = line.split()
        if words[1:3] == ["same", "as"]:
            model, _same, _as, other = words
            same_as[model] = other
            continue
        model, role, read, create, write, unlink = words
        table[model, role] = (read, create, write, unlink)
    for model, other in same_as.items():
        lines = {role: cells for (m, role), cells in table.items() if m == other}
        assert set(lines) == set(ROLES), f"{model}: same as {other}, which has no full lines"
        table.update({(model, role): cells for role, cells in lines.items()})
    return table


class TestAccessMatrix(AccessFixtures):
    def _keys(self, model):
        if model in MIXED_MODELS:
            return MIXED_MODELS[model]
        if model in CONFIG_MODELS:
            return ("c", "f")
        if model in WIZARDS:
            return ("o", "m")
        return ("o", "m", "t", "f")

    def _attempt(self, fn):
        """'ok', 'denied' (AccessError) or 'error' (UserError/ValidationError); the
        savepoint is always rolled back."""
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                fn()
                self.env.flush_all()
                raise _Rollback
        except _Rollback:
            outcome = "ok"
        except AccessError:
            outcome = "denied"
        except (UserError, ValidationError, psycopg2.IntegrityError):
            # an IntegrityError reaches an RPC caller as a ValidationError (odoo.service)
            outcome = "error"
        finally:
            self.env.invalidate_all()
        return outcome

    @staticmethod
    def _code(outcome, letter):
        return {"ok": letter, "denied": ".", "error": "!"}[outcome]

    def _probe_field(self, model):
        """A stored scalar field of the model itself (a relational field would also test
        the rules of the comodel, e.g. CRM's on the opportunity of a report row)."""
        scalar = ("char", "text", "integer", "float", "date", "datetime", "selection", "boolean")
        return next((
            name for name, field in self.env[model]._fields.items()
            if field.store and field.type in scalar and not field.related
            and name not in ("id", "display_name", "create_date", "write_date")
        ), "create_date")

    def _per_key(self, model, user, keys, observe):
        """One column of a line: ``observe(key, documents of the key as the user)`` for
        each key, ``_`` where the fixtures have no document for the key."""
        docs = self.docs[model]
        return "".join(
            observe(key, docs[key].with_user(user)) if key in docs else "_" for key in keys
        )

    def _observe_read(self, model, user, keys):
        docs = self.docs[model]
        Model = self.env[model].with_user(user)
        all_ids = [rid for k in keys if k in docs for rid in docs[k].ids]
        try:
            found = set(Model.search([("id", "in", all_ids)]).ids)
            [(count,)] = Model._read_group([("id", "in", all_ids)], [], ["__count"])
        except AccessError:
            found, count = set(), 0
        self.assertEqual(count, len(found), f"{model}: _read_group disagrees with search")

        def visible(key, recs):
            seen = set(recs.ids) <= found
            probe = self._probe_field(model)
            readable = self._attempt(lambda: recs.read([probe]))
            exported = self._attempt(lambda: recs.export_data([probe]))
            if exported == "error" and user.share:
                exported = "denied"  # no export right at all
            self.assertEqual(
                {readable, exported}, {"ok" if seen else "denied"},
                f"{model} as {user.login}: search says {'visible' if seen else 'hidden'}, "
                f"read {readable}, export {exported} for key {key}",
            )
            return key if seen else "."

        return self._per_key(model, user, keys, visible)

    def _observe_create(self, model, role, user):
        docs = self.docs[model]
        home = "f" if role == "foreign" and "f" in docs else next(iter(docs))
        source = docs[home][:1]
        vals = source.sudo().copy_data()[0]
        if model == "sales.lead.milestone":  # unique per opportunity and milestone
            vals["lead_id"] = self.spare_leads[home].id
        elif model == "sales.coaching.note.private":  # one per session
            vals["session_id"] = self.spare_sessions[home].id
        elif model == "sales.milestone.norm":  # unique per milestone and activity type
            vals["activity_type_id"] = self.env.ref("mail.mail_activity_data_email").id
        elif model == "sales.day.note":  # one per author and day, written by its author
            vals.pop("user_id", None)
            vals["date"] = self.today + timedelta(days=1)
        elif model == "sales.metric":  # unique code
            vals["code"] = f"sm_copy_{role}"
        elif model in ("sales.competency.rating", "sales.coaching.focus"):
            # unique per period (ratings), one open focus per competency: the next period
            start = self.today.replace(day=1) + timedelta(days=32)
            vals["date_start"] = start.replace(day=1)
            if model == "sales.coaching.focus":
                vals["date_end"] = start.replace(day=28)
        Model = self.env[model].with_user(user).with_context(
            allowed_company_ids=user.company_ids.ids,
        ).with_company(user.company_id)
        return {"ok": "Y", "denied": "-", "error": "!"}[
            self._attempt(lambda: Model.create(vals))
        ]

    def _observe_change(self, model, user, keys, change):
        """The write or unlink column: ``change(documents)`` attempted per key."""
        return self._per_key(model, user, keys, lambda key, recs: self._code(
            self._attempt(lambda: change(recs)), key))

    def _observe(self, model, role):
        user = self.role_users[role]
        keys = self._keys(model)
        return (
            self._observe_read(model, user, keys),
            self._observe_create(model, role, user),
            self._observe_change(
                model, user, keys, lambda recs: recs.write(dict(WRITE_VALS[model]))),
            self._observe_change(model, user, keys, lambda recs: recs.unlink()),
        )

    def test_matrix(self):
        expected = parse_matrix(MATRIX)
        observed = {}
        for model in sorted(self.docs):
            if model == "crm.lead":
                continue
            for role in ROLES:
                observed[model, role] = self._observe(model, role)
        lines = [f"{'model':<32} {'role':<9} read  create write  unlink"]
        for (model, role), (r, c, w, u) in observed.items():
            lines.append(f"{model:<32} {role:<9} {r:<5} {c:<6} {w:<6} {u}")
        if os.environ.get("SM_MATRIX_PRINT"):
            print("\n".join(lines))
        mismatches = [
            f"{model} {role}: expected {expected.get((model, role))}, got {got}"
            for (model, role), got in observed.items()
            if expected.get((model, role)) != got
        ]
        self.assertFalse(mismatches, "\n" + "\n".join(mismatches))
        # every model of the addon with a table is covered
        own_models = self.env["ir.model"].browse(self.env["ir.model.data"].search([
            ("module", "=", "sales_management"), ("model", "=", "ir.model"),
        ]).mapped("res_id"))
        # the addon's own models (the others it only extends: crm.lead, sale.order...)
        stored = {m.model for m in own_models
                  if not self.env[m.model]._abstract and m.model.startswith("sales.")}
        self.assertEqual(stored - set(self.docs), set(), "models without a matrix line")
        self.assertEqual(len(observed), len(expected))


@on_edge_dates
class TestConfidentiality(AccessFixtures):
    """Printed reports and dashboard data follow the same scope as the documents."""

    PLAN_PDF = "sales_management.report_plan_performance"
    PLAN_XLSX = "sales_management.report_plan_performance_xlsx"
    SCORECARD = "sales_management.report_salesperson_scorecard"
    SUMMARY = "sales_management.report_executive_summary"
    KPI_XLSX = "sales_management.report_kpi_analysis_xlsx"

    def _html(self, user, report, ids, data=None):
        Report = self.env["ir.actions.report"].with_user(user)
        html, _kind = Report._render_qweb_html(report, ids, data=data)
        return html.decode()

    def _xlsx(self, user, report, ids):
        Report = self.env["ir.actions.report"].with_user(user)
        content, _kind = Report._render_xlsx(report, ids, {})
        return content

    def test_plan_report_scope(self):
        plans = self.docs["sales.plan"]
        # key -> which roles may print it (same as the read column of sales.plan)
        allowed = {
            "salesman": "o", "leader": "om", "all_docs": "omt", "manager": "omt",
            "foreign": "f", "internal": "",
        }
        for role, keys in allowed.items():
            user = self.role_users[role]
            for key, plan in plans.items():
                with self.subTest(role=role, plan=key):
                    if key in keys:
                        self.assertIn(f"SM plan {key}", self._html(user, self.PLAN_PDF, plan.ids))
                        self.assertTrue(self._xlsx(user, self.PLAN_XLSX, plan.ids))
                    else:
                        with self.assertRaises(AccessError):
                            self._html(user, self.PLAN_PDF, plan.ids)
                        with self.assertRaises(AccessError):
                            self._xlsx(user, self.PLAN_XLSX, plan.ids)

    def test_scorecard_by_id(self):
        sam, sara, otto = self.user_salesman, self.user_salesman_2, self.user_other_team
        cases = [
            # (printer, whose scorecard, allowed)
            (sam, sam, True), (sam, sara, False), (sam, otto, False),
            (self.user_leader, sam, True), (self.user_leader, sara, True),
            (self.user_leader, otto, False),
            (self.user_all_docs, otto, True), (self.user_manager, sara, True),
            (self.user_foreign, sam, False), (self.user_internal, sam, False),
        ]
        for printer, whose, ok in cases:
            with self.subTest(printer=printer.login, whose=whose.login):
                if ok:
                    self.assertIn(whose.name, self._html(printer, self.SCORECARD, whose.ids))
                else:
                    with self.assertRaises(AccessError):
                        self._html(printer, self.SCORECARD, whose.ids)

    def test_company_reports_stay_in_company(self):
        with self.assertRaises(AccessError):
            self._html(self.user_manager, self.SUMMARY, self.company_b.ids)
        with self.assertRaises(AccessError):
            self._html(self.user_foreign, self.SUMMARY, self.env.company.ids)
        with self.assertRaises(AccessError):
            self._xlsx(self.user_foreign, self.KPI_XLSX, self.env.company.ids)
        self.assertIn("SM Company B", self._html(self.user_foreign, self.SUMMARY,
                                                  self.company_b.ids))

    def test_dashboard_scope(self):
        Dashboard = self.env["sales.management.dashboard"]
        forbidden = {
            # role: names that must not appear anywhere in its dashboard data
            "salesman": ["Sara Second", "Otto Otherteam", "Fred Foreign", "SM plan m",
                         "SM plan t", "SM plan f", "SM Team B"],
            "leader": ["Otto Otherteam", "Fred Foreign", "SM plan t", "SM plan f", "SM Team B"],
            "manager": ["Fred Foreign", "SM plan f", "SM Team B"],
            "foreign": ["Sam Salesman", "Sara Second", "Otto Otherteam", "SM plan o",
                        "SM plan m", "SM plan t", "SM Test Team North"],
        }
        levels = {"salesman": "own", "leader": "team", "manager": "all", "foreign": "all"}
        for role, names in forbidden.items():
            user = self.role_users[role]
            with self.subTest(role=role):
                data = Dashboard.with_user(user).get_dashboard_data("year")
                self.assertEqual(data["scope"]["level"], levels[role])
                dumped = json.dumps(data, default=str)
                for name in names:
                    self.assertNotIn(name, dumped)
        # asking for a colleague's figures never widens the scope
        data = Dashboard.with_user(self.user_salesman).get_dashboard_data(
            "year", user_ids=[self.user_salesman_2.id])
        self.assertNotIn(self.user_salesman_2.id, data["scope"]["user_ids"])
        self.assertEqual((data["plans"], data["leaderboard"], data["kpis"]["pipeline_count"]),
                         ([], [], 0))
        with self.assertRaises(AccessError):
            Dashboard.with_user(self.user_internal).get_dashboard_data("year")


class TestAccessRpc(AccessFixtures, HttpCase):
    """The same rules over JSON-RPC with a real session (a representative subset)."""

    def _rpc(self, login, model, method, *args, **kwargs):
        self.authenticate(login, login)
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": model, "method": method, "args": list(args), "kwargs": kwargs,
            }}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _assert_error(self, reply, name="odoo.exceptions.AccessError"):
        self.assertIn("error", reply, reply)
        self.assertEqual(reply["error"]["data"]["name"], name)

    def test_rpc_read_colleague_documents(self):
        for model in ("sales.plan", "sales.task", "sales.task.todo", "sales.corrective.action",
                      "sales.plan.target"):
            with self.subTest(model=model):
                mate = self.docs[model]["m"]
                self._assert_error(self._rpc("sm_salesman", model, "read", mate.ids, ["id"]))
                own = self.docs[model]["o"]
                reply = self._rpc("sm_salesman", model, "read", own.ids, ["id"])
                self.assertEqual([r["id"] for r in reply["result"]], own.ids)
                # the foreign company's manager sees none of them
                self._assert_error(self._rpc("sm_foreign", model, "read", own.ids, ["id"]))

    def test_rpc_search_and_group_scope(self):
        ids = {k: r.id for k, r in self.docs["sales.task"].items()}
        reply = self._rpc("sm_salesman", "sales.task", "search_read",
                          [("id", "in", list(ids.values()))], ["id"])
        self.assertEqual({r["id"] for r in reply["result"]}, {ids["o"]})
        reply = self._rpc("sm_leader", "sales.task", "read_group",
                          [("id", "in", list(ids.values()))], ["user_id"], ["user_id"])
        counts = {g["user_id"][0]: g["user_id_count"] for g in reply["result"]}
        self.assertEqual(counts, {self.user_salesman.id: 1, self.user_salesman_2.id: 1})
        reply = self._rpc("sm_portal", "sales.task", "search_read", [], ["id"])
        self._assert_error(reply)

    def test_rpc_write_refused_and_nothing_written(self):
        task = self.docs["sales.task"]["m"]
        self._assert_error(self._rpc("sm_salesman", "sales.task", "write", task.ids,
                                     {"name": "Hijacked"}))
        task.invalidate_recordset()
        self.assertEqual(task.name, "SM task m")
        alert = self.docs["sales.control.alert"]["o"]
        self._assert_error(self._rpc("sm_leader", "sales.control.alert", "unlink", alert.ids))
        self.assertTrue(alert.exists())

    def test_rpc_scorecard_and_dashboard(self):
        self.authenticate("sm_salesman", "sm_salesman")
        sara = self.user_salesman_2
        response = self.url_open(
            f"/report/html/{TestConfidentiality.SCORECARD}/{sara.id}", allow_redirects=False,
        )
        self.assertEqual(response.status_code, 403)
        self.assertIn("You can only print your own scorecard", response.text)
        reply = self._rpc("sm_salesman", "sales.management.dashboard", "get_dashboard_data",
                          "year")
        self.assertEqual(reply["result"]["scope"]["user_ids"], [self.user_salesman.id])
        self.assertNotIn(sara.name, json.dumps(reply["result"]))
