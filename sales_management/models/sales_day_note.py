# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A salesperson's note for a day on the Team Day screen: blockers, help needed."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .sales_input_guard import check_input, check_vals

NOTE_MAX = 2000


class SalesDayNote(models.Model):
    """One note per salesperson and day, written by that salesperson only (the author is
    always the session's user); their team leader and the managers read it."""

    _name = "sales.day.note"
    _description = "Sales Team Day Note"
    _inherit = ["sales.input.guard.mixin"]
    _order = "date desc, id desc"
    _rec_name = "date"

    user_id = fields.Many2one(
        comodel_name="res.users", string="Salesperson", required=True, index=True,
        readonly=True, default=lambda self: self.env.user, ondelete="cascade",
    )
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    note = fields.Text(help="Blockers, help needed: what the team leader should know today.")
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True,
        default=lambda self: self.env.company,
    )

    _sql_constraints = [
        ("user_date_unique", "UNIQUE(user_id, date)",
         "A salesperson writes one note a day: edit it instead."),
    ]

    @api.constrains("date", "note")
    def _check_input_guard(self):
        check_input(self, dates=("date",))
        for record in self:
            if record.note and len(record.note) > NOTE_MAX:
                raise ValidationError(self.env._(
                    "A day's note holds at most %(max)s characters.", max=NOTE_MAX))

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = check_vals(self, vals_list)
        for vals in vals_list:
            if vals.get("user_id", self.env.uid) != self.env.uid:
                raise ValidationError(self.env._("A day's note is written by its author only."))
            vals["user_id"] = self.env.uid
        notes = super().create(vals_list)
        notes._check_day_open()
        return notes

    def write(self, vals):
        vals = check_vals(self, [vals])[0]
        # only the author writes a note (the record rules); nobody moves it to another
        if "user_id" in vals:
            self.check_access("write")
            if any(note.user_id.id != vals["user_id"] for note in self):
                raise ValidationError(self.env._(
                    "A day's note is written by its author only."))
        self._check_day_open()
        result = super().write(vals)
        self._check_day_open()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_if_day_open(self):
        self._check_day_open()

    def _check_day_open(self):
        """A note is written for today or a later day (the author's time zone): what the
        team leader read about a past day stays as it was."""
        if self.env.su:
            return
        today = fields.Date.context_today(self)
        if any(note.date < today for note in self):
            raise ValidationError(self.env._(
                "A past day's note cannot be written, changed or removed: write today's."))

    @api.model
    def action_save_note(self, day, note):
        """Save the current user's note for ``day`` (creates or updates it); return its
        id. An empty note removes it."""
        day = self.env["sales.team.day"]._check_day(day)
        if note is not None and not isinstance(note, str):
            raise ValidationError(self.env._("A day's note is text."))
        existing = self.search([("user_id", "=", self.env.uid), ("date", "=", day)], limit=1)
        if not (note or "").strip():
            existing.unlink()
            return False
        if existing:
            existing.note = note
            return existing.id
        return self.create({"date": day, "note": note}).id
