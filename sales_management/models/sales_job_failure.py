# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What a scheduled job of the addon could not do: one row per record it skipped.

The jobs (deviation alerts, overdue digests and escalations, monthly management report,
milestone statistics) isolate each record in a savepoint: one bad target, plan, user or
company is skipped and the others go on. What was skipped must not vanish in a server log
nobody reads, nor hide behind a job that looks successful: it is recorded here (Sales
Management → Configuration → Job Failures, for sales managers), posted on the plan's
chatter when the record is a plan or a target, and the job's last log line says how many
records failed. The job itself does not raise: Odoo deactivates a scheduled action after
repeated failed runs, and one bad record would then stop the job for everyone.
"""

import logging

from markupsafe import Markup

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

JOBS = [
    ("deviation_alerts", "Deviation Alerts"),
    ("overdue_digest", "Overdue Digest and Escalations"),
    ("management_report", "Monthly Management Report"),
    ("milestone_statistics", "Milestone Statistics"),
    ("weekly_feedback", "Weekly Feedback"),
    ("badges", "Badges"),
]


class SalesJobFailure(models.Model):
    _name = "sales.job.failure"
    _description = "Sales Management Job Failure"
    _order = "date desc, id desc"

    job = fields.Selection(selection=JOBS, required=True, readonly=True, index=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True, index=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", readonly=True,
    )
    record_name = fields.Char(string="Record", readonly=True)
    plan_id = fields.Many2one(
        comodel_name="sales.plan", string="Plan", readonly=True, ondelete="cascade",
        index="btree_not_null",
    )
    message = fields.Text(readonly=True)

    @api.model
    def _record(self, job, record, error):
        """Record that ``job`` skipped ``record`` (any record, or an empty recordset for
        the job as a whole) because of ``error``; call it after the record's savepoint was
        rolled back, so that the row survives."""
        record = record.sudo() if record else record
        plan = self.env["sales.plan"]
        if record and record._name == "sales.plan.target":
            plan = record.plan_id
        elif record and record._name == "sales.plan":
            plan = record
        company = (record.company_id if record and "company_id" in record._fields
                   else record if record and record._name == "res.company"
                   else self.env["res.company"])
        try:
            name = record.display_name if record else ""
        except Exception:  # the name itself may be what fails
            name = f"{record._name},{record.id}"
        text = f"{type(error).__name__}: {error}"[:2000]
        _logger.error("Sales Management job %s skipped %s: %s", job, name or "-", text)
        failure = self.sudo().create({
            "job": job,
            "company_id": company[:1].id,
            "res_model": record._name if record else False,
            "res_id": record[:1].id if record else False,
            "record_name": name,
            "plan_id": plan[:1].id,
            "message": text,
        })
        if plan:
            job_label = dict(JOBS)[job]
            plan[:1].sudo().with_context(mail_create_nosubscribe=True).message_post(
                body=Markup("<p>%s</p>") % self.env._(
                    "%(job)s skipped %(record)s: %(error)s. A sales manager sees it in "
                    "Configuration > Job Failures.",
                    job=job_label, record=name, error=text[:300],
                ),
                subtype_xmlid="mail.mt_note",
            )
        return failure

    @api.model
    def _last_id(self):
        """The id of the latest failure row, to count those a run records."""
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM sales_job_failure")
        return self.env.cr.fetchone()[0]

    @api.model
    def _report_run(self, job, since_id, done):
        """The job's last log line: done, or done with failures (ERROR), and the number
        of failures this run recorded (rows after ``since_id``)."""
        failed = self.sudo().search_count([("job", "=", job), ("id", ">", since_id)])
        if failed:
            _logger.error("Sales Management job %s: %s done, %s FAILED (see Sales Management "
                          "> Configuration > Job Failures)", job, done, failed)
        else:
            _logger.info("Sales Management job %s: %s done", job, done)
        return failed
