# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The daily overdue digest and the escalation ladder.

Every day each user with overdue sales items (activities on opportunities, quotations,
sales tasks and plans, and to-dos) receives ONE e-mail listing them by kind, plus the items
of others that reached an escalation level and escalate to them (team leader, then sales
manager or the parent plan's responsible).

A ``sales.control.digest`` row per (user, day) is both the ledger and the content of the
e-mail: the job claims it with ``INSERT ... ON CONFLICT DO NOTHING`` (unique user/date), so
a rerun the same day, or a second worker, sends nothing twice. Its lines are what the mail
template renders, in the recipient's language; the recipient's time zone decides what
"today" (hence overdue) means for them.
"""

import logging
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

KINDS = [
    ("lead", "Opportunities"),
    ("order", "Quotations and Orders"),
    ("task", "Sales Tasks"),
    ("todo", "To-Dos"),
    ("plan", "Sales Plans"),
    ("overrun", "Over Plan"),
]
# document model -> (kind, company setting that covers it)
KIND_OF_MODEL = {
    "crm.lead": ("lead", "sales_control_digest_leads"),
    "sale.order": ("order", "sales_control_digest_orders"),
    "sales.task": ("task", "sales_control_digest_tasks"),
    "sales.plan": ("plan", "sales_control_digest_plans"),
}
BATCH_SIZE = 50
# overdue activities read (and their documents prefetched) at a time by the collection
COLLECT_CHUNK = 2000
# items of one digest written (lines, escalation claims, chatter notes) at a time
LINE_CHUNK = 2000
# lines per kind and section the e-mail lists (the most overdue); the digest keeps them all
MAIL_LINES = 100
ITEMS_TABLE = "sales_control_digest_items_tmp"
# the temporary table's columns and their types
ITEM_COLUMNS = {
    "recipient_id": "int4", "section": "varchar", "level": "varchar",
    "item_model": "varchar", "item_id": "int4", "kind": "varchar", "owner_id": "int4",
    "company_id": "int4", "res_model": "varchar", "res_id": "int4",
    "record_name": "varchar", "summary": "varchar", "date_deadline": "date",
    "days_overdue": "int4",
}


class DigestItems:
    """The items of one recipient and section of this run (own or escalated), read from
    the run's temporary table by chunks of ``LINE_CHUNK`` items: a digest never holds all
    its items at once (a sales manager may have tens of thousands escalated)."""

    def __init__(self, digest_model, recipient_id, section):
        self.model = digest_model
        self.recipient_id = recipient_id
        self.section = section

    def chunks(self, size=None):
        size = size or self.model.env.context.get("sales_control_line_chunk") or LINE_CHUNK
        after = ("", 0)
        while True:
            rows = self.model._digest_items_read(self.recipient_id, self.section, after, size)
            if not rows:
                return
            yield rows
            after = (rows[-1]["item_model"], rows[-1]["item_id"])


class SalesControlDigest(models.Model):
    _name = "sales.control.digest"
    _description = "Sales Control Overdue Digest"
    _order = "date desc, id desc"
    _sql_constraints = [
        ("user_date_uniq", "unique(user_id, date)",
         "A user receives at most one overdue digest a day."),
    ]

    name = fields.Char(string="Subject", readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Recipient", required=True, readonly=True,
        index=True, ondelete="cascade",
    )
    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True, index=True)
    line_ids = fields.One2many(
        comodel_name="sales.control.digest.line", inverse_name="digest_id",
        string="Items", readonly=True,
    )
    escalation_ids = fields.One2many(
        comodel_name="sales.control.escalation", inverse_name="digest_id",
        string="Escalations", readonly=True,
    )
    mail_id = fields.Many2one(
        comodel_name="mail.mail", string="E-mail", readonly=True, ondelete="set null",
    )
    item_count = fields.Integer(string="Own Items", readonly=True)
    escalated_count = fields.Integer(string="Escalated Items", readonly=True)

    # ------------------------------------------------------------------ rendering
    def get_sections(self):
        """Sections of the e-mail, in display order: own items then escalated ones,
        each grouped by kind. Used by the mail template (public: QWeb calls it).

        A group lists at most ``MAIL_LINES`` lines (the most overdue first) and says how
        many more there are: the digest in Odoo keeps them all. One grouped count and one
        search per group, whatever the size of the digest (a sales manager's can hold
        tens of thousands of escalated items)."""
        self.ensure_one()
        Line = self.env["sales.control.digest.line"]
        labels = dict(Line._fields["kind"]._description_selection(self.env))
        counts = {
            (section, kind): count for section, kind, count in Line._read_group(
                [("digest_id", "=", self.id)], ["section", "kind"], ["__count"],
            )
        }
        limit = self.env.context.get("sales_control_mail_lines") or MAIL_LINES
        sections = []
        all_kinds = [kind for kind, _label in KINDS]
        for section, title, kinds in (
            ("own", self.env._("Your overdue items"), all_kinds[:-1]),
            ("own", self.env._("Your to-dos and tasks over plan"), ["overrun"]),
            ("escalated", self.env._("Escalated to you"), all_kinds),
        ):
            groups = []
            for kind in kinds:
                count = counts.get((section, kind), 0)
                if not count:
                    continue
                lines = Line.search([
                    ("digest_id", "=", self.id), ("section", "=", section),
                    ("kind", "=", kind),
                ], order="days_overdue desc, id", limit=limit)
                groups.append({"label": labels[kind], "lines": lines,
                               "more": count - len(lines)})
            if groups:
                sections.append({"title": title, "section": section, "groups": groups})
        return sections

    # ------------------------------------------------------------------ job
    @api.model
    def _cron_send_overdue_digests(self):
        """Scheduled action: send today's digests (safe to rerun, several workers); its
        last log line says how many companies or users failed (``sales.job.failure``)."""
        Failure = self.env["sales.job.failure"]
        since = Failure._last_id()
        digests = self._send_overdue_digests()
        Failure._report_run("overdue_digest", since, len(digests))

    @api.model
    def _send_overdue_digests(self):
        """Collect the overdue items of every company with the digest enabled, then send
        one digest per user in batches (committed per batch when run by the scheduler).

        Bounded memory whatever the number of overdue items: the collection reads the
        activities by chunks (``COLLECT_CHUNK``) and stores one compact row per recipient
        and item in a temporary table (see ``_digest_items_create``), clearing the ORM
        cache after each chunk; each digest then reads its recipient's rows by chunks
        (``LINE_CHUNK``). A recipient's digest (own and escalated items) is still built
        once and complete: every item is in the table before the first digest is sent.

        :return: the digests created by this run
        """
        self._digest_items_create()
        for company in self.env["res.company"].sudo().search([]):
            if not company.sales_control_digest_enabled:
                continue
            try:
                with self.env.cr.savepoint():
                    for items in self._iter_overdue_items(company):
                        self._digest_items_store(items)
            except Exception as error:  # isolate the company
                self.env.invalidate_all()
                self.env["sales.job.failure"]._record("overdue_digest", company, error)
        self.env.cr.execute(SQL(
            "SELECT DISTINCT recipient_id FROM %s ORDER BY recipient_id",
            SQL.identifier(ITEMS_TABLE),
        ))
        user_ids = [row[0] for row in self.env.cr.fetchall()]
        digest_ids = []
        batch_size = self.env.context.get("sales_control_batch_size") or BATCH_SIZE
        for start in range(0, len(user_ids), batch_size):
            for user in self.env["res.users"].sudo().browse(
                user_ids[start:start + batch_size]
            ):
                own = DigestItems(self, user.id, "own")
                escalations = DigestItems(self, user.id, "escalated")
                try:
                    with self.env.cr.savepoint():
                        digest_ids += self._send_digest(user, own, escalations).ids
                except Exception as error:  # isolate the user
                    self.env.invalidate_all()
                    self.env["sales.job.failure"]._record("overdue_digest", user, error)
            done = min(start + batch_size, len(user_ids))
            self._control_commit_batch(done, len(user_ids) - done)
            self._clear_cache()
        # (a run that fails leaves the table to the connection's end or the next run)
        self.env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(ITEMS_TABLE)))
        return self.browse(digest_ids)

    @api.model
    def _clear_cache(self):
        """Write what is pending and empty the ORM cache: what keeps the job's memory
        bounded by a chunk instead of growing with everything it read."""
        self.env.flush_all()
        self.env.invalidate_all()

    @api.model
    def _digest_items_create(self):
        """The temporary table of this run's items: one row per (recipient, item, level),
        the section saying whether the recipient owns the item or has it escalated.
        Private to the database connection (two workers each have theirs); it survives
        the batch commits and is dropped at the end (or with the connection)."""
        cr = self.env.cr
        cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(ITEMS_TABLE)))
        cr.execute(SQL(
            """
            CREATE TEMPORARY TABLE %s (
                recipient_id integer NOT NULL, section varchar NOT NULL, level varchar,
                item_model varchar NOT NULL, item_id integer NOT NULL,
                kind varchar NOT NULL, owner_id integer NOT NULL, company_id integer,
                res_model varchar NOT NULL, res_id integer NOT NULL,
                record_name varchar, summary varchar, date_deadline date,
                days_overdue integer
            )
            """,
            SQL.identifier(ITEMS_TABLE),
        ))
        cr.execute(SQL(
            "CREATE INDEX ON %s (recipient_id, section, item_model, item_id)",
            SQL.identifier(ITEMS_TABLE),
        ))

    @api.model
    def _digest_items_store(self, items):
        """Store a chunk of items (dicts of ``_make_item``) in the temporary table: a row
        for the owner and one per escalation level and recipient. One query."""
        columns = {name: [] for name in ITEM_COLUMNS}
        for item in items:
            doc = item["doc"]
            common = {
                "item_model": item["item_model"], "item_id": item["item_id"],
                "kind": item["kind"], "owner_id": item["owner"].id,
                "company_id": item["company"].id, "res_model": doc._name, "res_id": doc.id,
                "record_name": doc.display_name, "summary": item["summary"],
                "date_deadline": item["date_deadline"],
                "days_overdue": item["days_overdue"],
            }
            targets = [(item["owner"].id, "own", None)] + [
                (user.id, "escalated", level) for level, user in item["escalations"]
            ]
            for recipient_id, section, level in targets:
                row = dict(common, recipient_id=recipient_id, section=section, level=level)
                for name in ITEM_COLUMNS:
                    columns[name].append(row[name])
        if not items:
            return
        self.env.cr.execute(SQL(
            "INSERT INTO %s (%s) SELECT * FROM unnest(%s)",
            SQL.identifier(ITEMS_TABLE),
            SQL(", ").join(SQL.identifier(name) for name in ITEM_COLUMNS),
            SQL(", ").join(
                SQL("%s::" + ITEM_COLUMNS[name] + "[]", columns[name])
                for name in ITEM_COLUMNS
            ),
        ))

    @api.model
    def _digest_items_read(self, recipient_id, section, after, limit):
        """Up to ``limit`` items (all their levels) of ``recipient_id`` in ``section``
        after the item key ``after`` (keyset pagination), as row dicts."""
        names = list(ITEM_COLUMNS)
        self.env.cr.execute(SQL(
            """
            SELECT %(cols)s FROM (
                SELECT t.*, dense_rank() OVER (ORDER BY t.item_model, t.item_id) AS rank
                  FROM %(table)s t
                 WHERE t.recipient_id = %(user)s AND t.section = %(section)s
                   AND (t.item_model, t.item_id) > (%(model)s, %(id)s)
            ) t
             WHERE t.rank <= %(limit)s
          ORDER BY t.item_model, t.item_id, t.level
            """,
            cols=SQL(", ").join(SQL.identifier("t", name) for name in names),
            table=SQL.identifier(ITEMS_TABLE), user=recipient_id, section=section,
            model=after[0], id=after[1], limit=limit,
        ))
        return [dict(zip(names, row)) for row in self.env.cr.fetchall()]

    @api.model
    def _control_commit_batch(self, done, remaining):
        """Report progress to the scheduler and commit the batch, only when the
        scheduler runs the job (never in tests or from a button)."""
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if self.env.context.get("ir_cron_progress_id") and not self.env.registry.in_test_mode():
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _user_today(self, user):
        return fields.Date.context_today(self.with_context(tz=user.tz or "UTC"))

    @api.model
    def _iter_overdue_items(self, company):
        """Overdue items of ``company`` as dicts (see ``_make_item``), with their
        escalation candidates, yielded by chunks of at most ``COLLECT_CHUNK`` activities:
        each chunk is one search (keyset on the id) and one prefetch of its documents per
        model; the ORM cache is emptied before the next chunk (the consumer must have
        used the chunk's records by then)."""
        models_covered = [
            model for model, (_kind, setting) in KIND_OF_MODEL.items()
            if company[setting]
        ]
        include_todos = company.sales_control_digest_todos
        if include_todos and "sales.task" not in models_covered:
            models_covered.append("sales.task")  # to-do reminders live on their task
        # the latest "today" of any time zone: refined per owner below
        horizon = fields.Date.today() + timedelta(days=1)
        Activity = self.env["mail.activity"].sudo()
        chunk = self.env.context.get("sales_control_collect_chunk") or COLLECT_CHUNK
        settings = {
            name: company[name] for name in (
                "sales_control_digest_leads", "sales_control_digest_orders",
                "sales_control_digest_tasks", "sales_control_digest_plans",
            )
        }
        last_id = 0
        while models_covered:
            activities = Activity.search([
                ("res_model", "in", models_covered),
                ("date_deadline", "<", horizon),
                ("user_id", "!=", False),
                ("id", ">", last_id),
            ], order="id", limit=chunk)
            if not activities:
                break
            last_id = activities[-1].id
            # the company's fallback manager once per chunk, not one search per item
            company_manager = self._company_sales_manager(company)
            items = []
            by_model = {}
            for activity in activities:
                by_model.setdefault(activity.res_model, []).append(activity)
            for model, model_activities in by_model.items():
                docs = self.env[model].sudo().browse(
                    a.res_id for a in model_activities
                ).exists()
                docs_by_id = {doc.id: doc for doc in docs}  # one prefetch per model
                for activity in model_activities:
                    doc = docs_by_id.get(activity.res_id)
                    if not doc:
                        continue
                    if self._doc_company(doc, activity.user_id) != company:
                        continue
                    todo = activity.sales_task_todo_id
                    kind = "todo" if todo else KIND_OF_MODEL[model][0]
                    if (todo and not include_todos) or (
                        not todo and not settings[KIND_OF_MODEL[model][1]]
                    ):
                        continue
                    items.append(self._make_item(
                        company, "mail.activity", activity.id, kind, activity.user_id, doc,
                        activity.date_deadline,
                        todo.name if todo
                        else (activity.summary or activity.activity_type_id.name),
                        company_manager=company_manager,
                    ))
            yield [item for item in items if item["days_overdue"] > 0]
            self._clear_cache()
        if include_todos:
            # to-dos without a reminder activity (e.g. created before it existed)
            todos = self.env["sales.task.todo"].sudo().search([
                ("is_overdue", "=", True), ("user_id", "!=", False),
                ("activity_ids", "=", False), ("task_id.company_id", "=", company.id),
            ])
            company_manager = self._company_sales_manager(company)
            for start in range(0, len(todos), chunk):
                items = [
                    self._make_item(
                        company, "sales.task.todo", todo.id, "todo", todo.user_id,
                        todo.task_id, todo.date_deadline, todo.name,
                        company_manager=company_manager,
                    )
                    for todo in todos[start:start + chunk]
                ]
                yield [item for item in items if item["days_overdue"] > 0]
        if include_todos or settings["sales_control_digest_tasks"]:
            yield self._overrun_items(company, include_todos,
                                      settings["sales_control_digest_tasks"])

    @api.model
    def _overrun_items(self, company, include_todos, include_tasks):
        """The open to-dos and tasks of ``company`` over plan (``is_overrun``): one line
        in the owner's digest every day while open and over plan, and an escalation to
        the team leader at once (announced once, like any escalation). Two searches."""
        found = []
        if include_todos:
            found += self.env["sales.task.todo"].sudo().search([
                ("is_overrun", "=", True), ("state", "=", "todo"), ("user_id", "!=", False),
                ("task_id.state", "in", ("draft", "in_progress")),
                ("company_id", "=", company.id),
            ])
        if include_tasks:
            found += self.env["sales.task"].sudo().search([
                ("is_overrun", "=", True), ("state", "in", ("draft", "in_progress")),
                ("user_id", "!=", False), ("company_id", "=", company.id),
            ])
        items = []
        for record in found:
            task = record.task_id if record._name == "sales.task.todo" else record
            owner = record.user_id
            item = self._make_item(
                company, record._name, record.id, "overrun", owner, task,
                self._user_today(owner), self._overrun_summary(record),
            )
            item["date_deadline"] = record.date_deadline or None
            leader = self._escalation_team_leader(task, owner)
            item["escalations"] = (
                [("team_leader", leader)] if leader and leader != owner else []
            )
            items.append(item)
        return items

    @api.model
    def _overrun_summary(self, record):
        parts = []
        if record.overrun_hours:
            parts.append(self.env._("%(hours).2f h over plan", hours=record.overrun_hours))
        if record.overrun_cost:
            parts.append(self.env._(
                "%(amount).2f %(currency)s over budget",
                amount=record.overrun_cost, currency=record.currency_id.name or "",
            ))
        return f"{record.name}: {', '.join(parts)}"

    @api.model
    def _doc_company(self, doc, owner):
        company = doc.company_id if "company_id" in doc._fields else False
        return company or owner.company_id

    @api.model
    def _make_item(self, company, item_model, item_id, kind, owner, doc, deadline, summary,
                   company_manager=None):
        """One overdue item: what it is, whose it is, how late, and who it escalates to.
        ``company_manager``: the company's sales manager when the caller already has it."""
        days = (self._user_today(owner) - deadline).days
        item = {
            "item_model": item_model,
            "item_id": item_id,
            "kind": kind,
            "owner": owner,
            "company": company,
            "doc": doc,
            "date_deadline": deadline,
            "days_overdue": days,
            "summary": summary or "",
            "escalations": [],
        }
        leader_days = company.sales_control_escalation_leader_days
        manager_days = company.sales_control_escalation_manager_days
        if leader_days and days >= leader_days:
            leader = self._escalation_team_leader(doc, owner)
            if leader and leader != owner:
                item["escalations"].append(("team_leader", leader))
        if manager_days and days >= manager_days:
            manager = self._escalation_manager(doc, company, company_manager)
            if manager and manager != owner:
                item["escalations"].append(("manager", manager))
        return item

    @api.model
    def _escalation_team_leader(self, doc, owner):
        """The leader of the document's sales team, else of the owner's team."""
        team = doc.team_id if "team_id" in doc._fields else False
        team = team or owner.sale_team_id
        return team.user_id if team else self.env["res.users"]

    @api.model
    def _escalation_manager(self, doc, company, company_manager=None):
        """Second level: the parent plan's responsible for a plan, else the company's
        sales manager (``company_manager`` when given)."""
        if doc._name == "sales.plan" and doc.parent_id.user_id:
            return doc.parent_id.user_id
        if company_manager is not None:
            return company_manager
        return self._company_sales_manager(company)

    @api.model
    def _company_sales_manager(self, company):
        """The configured sales manager, else the first (oldest) active internal sales
        manager of the company."""
        if company.sales_control_manager_id:
            return company.sales_control_manager_id
        return self.env["res.users"].sudo().search([
            ("groups_id", "in", self.env.ref("sales_team.group_sale_manager").ids),
            ("company_ids", "in", company.ids),
            ("share", "=", False),
            ("id", "!=", self.env.ref("base.user_root").id),
        ], order="id", limit=1)

    @api.model
    def _control_claim(self, query):
        """Run an ``INSERT ... ON CONFLICT DO NOTHING RETURNING id`` claim; the ids this
        transaction inserted. A concurrent worker that committed the same row after this
        transaction's snapshot makes PostgreSQL (repeatable read) raise a serialization
        failure instead of doing nothing: that row is the other worker's, so nothing is
        claimed here either (and the job goes on, without an error)."""
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
                return [row[0] for row in self.env.cr.fetchall()]
        except psycopg2.errors.SerializationFailure:
            _logger.info("Sales control: already claimed by a concurrent worker")
            return []

    @api.model
    def _claim_digest(self, user, company, date):
        """Insert today's digest row for ``user`` unless it exists; its id or None."""
        ids = self._control_claim(SQL(
            """
            INSERT INTO sales_control_digest (user_id, date, company_id, item_count,
                                              escalated_count, create_uid, write_uid,
                                              create_date, write_date)
                 VALUES (%s, %s, %s, 0, 0, %s, %s, now() AT TIME ZONE 'UTC',
                         now() AT TIME ZONE 'UTC')
            ON CONFLICT (user_id, date) DO NOTHING
              RETURNING id
            """,
            user.id, date, company.id, self.env.uid, self.env.uid,
        ))
        return ids[0] if ids else None

    @api.model
    def _send_digest(self, user, own, escalations):
        """Claim today's digest of ``user``, claim the escalations it announces, write its
        lines and queue the e-mail. Nothing when already sent today or nothing to say.

        ``own`` and ``escalations`` are the recipient's items (``DigestItems``: rows of the
        run's temporary table, read by chunks; all the levels of an item in the same
        chunk). Each chunk's lines, escalation claims and chatter notes are written, then
        the ORM cache emptied: memory is bounded by a chunk, not by the digest's size."""
        today = self._user_today(user)
        digest_id = self._claim_digest(user, user.company_id, today)
        if not digest_id:
            return self.browse()
        Line = self.env["sales.control.digest.line"].sudo()
        own_count = escalated_count = 0
        for rows in own.chunks():
            Line.create([self._line_values(digest_id, row, "own") for row in rows])
            own_count += len(rows)
            self._clear_cache()
        for rows in escalations.chunks():
            claim_rows = [{
                "item_model": row["item_model"], "item_id": row["item_id"],
                "level": row["level"], "user_id": user.id, "owner_id": row["owner_id"],
                "date": today, "company_id": row["company_id"],
                "res_model": row["res_model"], "res_id": row["res_id"],
                "name": row["summary"], "days_overdue": row["days_overdue"],
                "digest_id": digest_id,
            } for row in rows]
            claimed = self.env["sales.control.escalation"].sudo()._claim(claim_rows)
            claimed_keys = {(e.item_model, e.item_id, e.level) for e in claimed}
            escalated = [
                row for row in rows
                if (row["item_model"], row["item_id"], row["level"]) in claimed_keys
            ]
            # an item reaching both levels for the same person is listed once, at the top
            # one (both levels of an item are in the same chunk)
            top = {}
            for row in escalated:
                key = (row["item_model"], row["item_id"])
                if key not in top or row["level"] == "manager":
                    top[key] = row
            Line.create([
                self._line_values(digest_id, row, "escalated", row["level"])
                for row in top.values()
            ])
            escalated_count += len(top)
            self._post_escalation_notes(escalated, user)
            self._clear_cache()
        if not own_count and not escalated_count:
            # everything escalated to this user was already announced: no digest today
            self.env.cr.execute(
                SQL("DELETE FROM sales_control_digest WHERE id = %s", digest_id)
            )
            return self.browse()
        digest = self.browse(digest_id)
        digest_lang = digest.with_context(lang=user.lang or "en_US")
        digest.write({
            "name": digest_lang.env._(
                "Overdue sales items: %(own)s yours, %(escalated)s escalated",
                own=own_count, escalated=escalated_count,
            ) if escalated_count else digest_lang.env._(
                "Overdue sales items: %(count)s", count=own_count,
            ),
            "item_count": own_count,
            "escalated_count": escalated_count,
        })
        digest._send_mail()
        return digest

    @api.model
    def _line_values(self, digest_id, row, section, level=False):
        """Values of a digest line from a row of the run's items (``DigestItems``)."""
        return {
            "digest_id": digest_id,
            "section": section,
            "kind": row["kind"],
            "res_model": row["res_model"],
            "res_id": row["res_id"],
            "record_name": row["record_name"],
            "summary": row["summary"],
            "date_deadline": row["date_deadline"],
            "days_overdue": row["days_overdue"],
            "owner_id": row["owner_id"],
            "level": level,
        }

    def _send_mail(self):
        """Queue the e-mail of the digest (template rendered in the recipient's lang)."""
        template = self.env.ref("sales_management.mail_template_sales_control_digest")
        for digest in self:
            mail_id = template.sudo().send_mail(digest.id)
            digest.mail_id = mail_id

    @api.model
    def _post_escalation_notes(self, escalated, user):
        """An escalation is also visible in the document's chatter (internal note).

        ``escalated``: rows of the run's items (``DigestItems``) whose escalation this
        digest claimed. Logged in batch per model (``_message_log_batch``: one create, no
        notification to compute) rather than one ``message_post`` per document: a digest
        can announce thousands of escalations."""
        level_labels = dict(
            self.env["sales.control.escalation"]._fields["level"]._description_selection(
                self.env
            )
        )
        owners = self.env["res.users"].sudo().browse({row["owner_id"] for row in escalated})
        owner_names = {owner.id: owner.name for owner in owners}
        notes = {}
        for row in escalated:
            model = row["res_model"]
            if row["kind"] == "overrun":
                body = Markup("<p>%s</p>") % self.env._(
                    "Over plan (%(item)s, %(owner)s): reported to %(user)s (%(level)s).",
                    item=row["summary"] or "", owner=owner_names.get(row["owner_id"], ""),
                    user=user.name, level=level_labels[row["level"]],
                )
                notes.setdefault(model, []).append((row["res_id"], body))
                continue
            body = Markup("<p>%s</p>") % self.env._(
                "Overdue for %(days)s days (%(item)s, %(owner)s): escalated to "
                "%(user)s (%(level)s).",
                days=row["days_overdue"], item=row["summary"] or "",
                owner=owner_names.get(row["owner_id"], ""), user=user.name,
                level=level_labels[row["level"]],
            )
            notes.setdefault(model, []).append((row["res_id"], body))
        for model, pending in notes.items():
            while pending:
                # one note per document and call: a document escalated twice gets two
                bodies, pending_next = {}, []
                for res_id, body in pending:
                    if res_id in bodies:
                        pending_next.append((res_id, body))
                    else:
                        bodies[res_id] = body
                self.env[model].browse(list(bodies)).with_context(
                    mail_create_nosubscribe=True
                )._message_log_batch(bodies=bodies)
                pending = pending_next


class SalesControlDigestLine(models.Model):
    _name = "sales.control.digest.line"
    _description = "Sales Control Overdue Digest Item"
    _order = "digest_id, section desc, kind, days_overdue desc, id"

    digest_id = fields.Many2one(
        comodel_name="sales.control.digest", required=True, ondelete="cascade", index=True,
    )
    section = fields.Selection(
        selection=[("own", "Own"), ("escalated", "Escalated")], required=True,
    )
    kind = fields.Selection(selection=KINDS, required=True)
    res_model = fields.Char(string="Document Model", required=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", required=True)
    record_name = fields.Char(string="Document Name")
    summary = fields.Char()
    date_deadline = fields.Date(string="Due Date")
    days_overdue = fields.Integer()
    owner_id = fields.Many2one(comodel_name="res.users", string="Owner", ondelete="set null")
    level = fields.Selection(selection=[
        ("team_leader", "Team Leader"), ("manager", "Sales Manager"),
    ])
    url = fields.Char(compute="_compute_url")

    def _compute_url(self):
        # get_base_url() wants one record: the lines of a digest are prefetched together
        base_url = self[:1].get_base_url()
        for line in self:
            line.url = f"{base_url}/mail/view?model={line.res_model}&res_id={line.res_id}"
