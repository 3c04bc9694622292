# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models, tools

# done activities of opportunities, per opportunity: what the activity quality report
# (``sales.milestone.activity.report``) looks up for each opportunity it shows; partial, so
# it holds those messages only, not the whole chatter
LEAD_ACTIVITY_INDEX = "mail_message_sm_lead_activity_done_idx"


class MailMessage(models.Model):
    _inherit = "mail.message"

    # --- Tracking (transitional milestones) ----------------------------------------------
    # Kept from the activity when it is marked done (the activity itself is deleted), so that
    # activity quality per milestone can tell "done on time, with a result recorded".
    activity_deadline_date = fields.Date(
        string="Activity Deadline", readonly=True,
        help="Deadline of the activity this message marks as done.",
    )
    activity_feedback_recorded = fields.Boolean(
        string="Activity Result Recorded", readonly=True,
        help="The activity was marked done with a feedback (its result).",
    )

    def init(self):
        res = super().init()
        tools.create_index(
            self.env.cr, LEAD_ACTIVITY_INDEX, self._table,
            ["res_id", "mail_activity_type_id", "date"],
            where="model = 'crm.lead' AND mail_activity_type_id IS NOT NULL",
        )
        return res
