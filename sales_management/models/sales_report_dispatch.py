# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Ledger of the monthly management report: one row per company and period sent.

The monthly job claims the row with ``INSERT ... ON CONFLICT DO NOTHING`` (unique
company/reference date) before it renders and mails the report: a rerun in the same month,
or a second worker, finds the row taken and sends nothing. A run that fails for a company
rolls its claim back with the rest of that company's work: the next run sends it.
"""

from odoo import api, fields, models
from odoo.tools import SQL


class SalesReportDispatch(models.Model):
    _name = "sales.report.dispatch"
    _description = "Sales Management Report Dispatch"
    _order = "date_ref desc, id desc"
    _sql_constraints = [
        ("company_date_uniq", "unique(company_id, date_ref)",
         "The management report of a period is sent once per company."),
    ]

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True,
        ondelete="cascade",
    )
    date_ref = fields.Date(
        string="Reference Date", required=True, readonly=True,
        help="The last day of the month the report covers.",
    )
    period = fields.Char(readonly=True)
    mail_id = fields.Many2one(
        comodel_name="mail.mail", string="E-mail", readonly=True, ondelete="set null",
    )

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
            ON CONFLICT (company_id, date_ref) DO NOTHING
              RETURNING id
            """,
            company.id, date_ref, period, self.env.uid, self.env.uid,
        ))
        return self.browse(ids[:1])
