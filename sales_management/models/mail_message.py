# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
