# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Ledger of the scheduled mails sent once per period: one row per mail.

- The monthly management report: one row per company and period (no ``user_id``).
- The weekly personal feedback (``sales.feedback``): one row per salesperson and ISO week
  (``user_id`` set, ``date_ref`` the Monday of the week), with the figures and the body
  the salesperson received; they read their own rows, a team leader their team's.

A job claims the row with ``INSERT ... ON CONFLICT DO NOTHING`` (one partial unique index
per kind of row) before it renders and mails: a rerun in the same period, or a second
worker, finds the row taken and sends nothing. A run that fails for a company or a person
rolls its claim back with the rest of that work: the next run sends it.
"""

from odoo import api, fields, models
from odoo.tools import SQL

# the partial unique indexes of the two kinds of rows (see ``init``)
COMPANY_INDEX = "sales_report_dispatch_company_date_uniq_idx"
USER_INDEX = "sales_report_dispatch_user_date_uniq_idx"


class SalesReportDispatch(models.Model):
    _name = "sales.report.dispatch"
    _description = "Sales Management Report Dispatch"
    _order = "date_ref desc, id desc"

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True,
        ondelete="cascade",
    )
    date_ref = fields.Date(
        string="Reference Date", required=True, readonly=True,
        help="The last day of the month the management report covers; the Monday of the "
        "week of a weekly feedback.",
    )
    period = fields.Char(readonly=True)
    mail_id = fields.Many2one(
        comodel_name="mail.mail", string="E-mail", readonly=True, ondelete="set null",
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Salesperson", readonly=True, index="btree_not_null",
        ondelete="cascade",
        help="Set on a weekly feedback: the salesperson who received it.",
    )
    feedback = fields.Json(
        readonly=True, help="The figures of the weekly feedback, as they were sent.",
    )
    body = fields.Html(string="E-mail Sent", readonly=True, sanitize=False)

    def init(self):
        """One management report per company and reference date, one feedback per
        person and week: partial unique indexes (the report's rows have no person)."""
        self.env.cr.execute(SQL(
            """
            ALTER TABLE sales_report_dispatch
                DROP CONSTRAINT IF EXISTS sales_report_dispatch_company_date_uniq;
            CREATE UNIQUE INDEX IF NOT EXISTS %s ON sales_report_dispatch (company_id, date_ref)
                WHERE user_id IS NULL;
            CREATE UNIQUE INDEX IF NOT EXISTS %s ON sales_report_dispatch (user_id, date_ref)
                WHERE user_id IS NOT NULL;
            """,
            SQL.identifier(COMPANY_INDEX), SQL.identifier(USER_INDEX),
        ))

    @api.model
    def _claim(self, company, date_ref, period):
        """This period's row of ``company`` if this transaction inserted it, else an empty
        recordset (already sent, or being sent by a concurrent worker)."""
        ids = self.env["sales.control.digest"]._control_claim(SQL(
            """
            INSERT INTO sales_report_dispatch (company_id, date_ref, period, create_uid,
                                               write_uid, create_date, write_date)
                 VALUES (%s, %s, %s, %s, %s, now() AT TIME ZONE 'UTC',
                         now() AT TIME ZONE 'UTC')
            ON CONFLICT (company_id, date_ref) WHERE user_id IS NULL DO NOTHING
              RETURNING id
            """,
            company.id, date_ref, period, self.env.uid, self.env.uid,
        ))
        return self.browse(ids[:1])

    @api.model
    def _claim_feedback(self, user, company, week_start, period):
        """The weekly feedback row of ``user`` for the week starting ``week_start`` if
        this transaction inserted it, else an empty recordset (already sent)."""
        ids = self.env["sales.control.digest"]._control_claim(SQL(
            """
            INSERT INTO sales_report_dispatch (company_id, user_id, date_ref, period,
                                               create_uid, write_uid, create_date,
                                               write_date)
                 VALUES (%s, %s, %s, %s, %s, %s, now() AT TIME ZONE 'UTC',
                         now() AT TIME ZONE 'UTC')
            ON CONFLICT (user_id, date_ref) WHERE user_id IS NOT NULL DO NOTHING
              RETURNING id
            """,
            company.id, user.id, week_start, period, self.env.uid, self.env.uid,
        ))
        return self.browse(ids[:1])
