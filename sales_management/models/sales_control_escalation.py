# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Ledger of the escalation ladder: one row per overdue item and level, ever.

The row is the proof that an item reached a level and who was told. The unique constraint
on (item model, item id, level) is what makes the ladder safe to rerun and to run in
several workers at once: rows are claimed with ``INSERT ... ON CONFLICT DO NOTHING
RETURNING``, so only the transaction that inserted a row announces the escalation.
"""

from odoo import api, fields, models
from odoo.tools import SQL

LEVELS = [("team_leader", "Team Leader"), ("manager", "Sales Manager")]


class SalesControlEscalation(models.Model):
    _name = "sales.control.escalation"
    _description = "Sales Control Escalation"
    _order = "date desc, id desc"
    _sql_constraints = [
        ("item_level_uniq", "unique(item_model, item_id, level)",
         "An item escalates at most once per level."),
    ]

    item_model = fields.Char(string="Item Model", required=True, readonly=True)
    item_id = fields.Many2oneReference(
        string="Item", model_field="item_model", required=True, readonly=True,
    )
    level = fields.Selection(selection=LEVELS, required=True, readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Escalated To", required=True, readonly=True,
        index=True, ondelete="cascade",
    )
    owner_id = fields.Many2one(
        comodel_name="res.users", string="Owner", readonly=True, ondelete="set null",
    )
    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True, index=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", readonly=True,
    )
    name = fields.Char(string="Item Description", readonly=True)
    days_overdue = fields.Integer(readonly=True)
    digest_id = fields.Many2one(
        comodel_name="sales.control.digest", string="Digest", readonly=True,
        ondelete="set null", index="btree_not_null",
    )

    # ------------------------------------------------------------------ business
    @api.model
    def _claim(self, rows):
        """Insert escalation rows unless they exist; return the ones this transaction
        inserted (the only ones it may announce).

        :param rows: list of dicts with item_model, item_id, level, user_id, owner_id,
            date, company_id, res_model, res_id, name, days_overdue, digest_id
        """
        if not rows:
            return self.browse()
        columns = (
            "item_model", "item_id", "level", "user_id", "owner_id", "date", "company_id",
            "res_model", "res_id", "name", "days_overdue", "digest_id",
        )
        values = SQL(", ").join(
            SQL(
                "(" + ", ".join(["%s"] * (len(columns) + 4)) + ")",
                *(row.get(col) or None for col in columns),
                self.env.uid, self.env.uid, SQL("now() AT TIME ZONE 'UTC'"),
                SQL("now() AT TIME ZONE 'UTC'"),
            )
            for row in rows
        )
        ids = self.env["sales.control.digest"]._control_claim(SQL(
            """
            INSERT INTO sales_control_escalation (%s, create_uid, write_uid, create_date,
                                                  write_date)
                 VALUES %s
            ON CONFLICT (item_model, item_id, level) DO NOTHING
              RETURNING id
            """,
            SQL(", ").join(SQL.identifier(col) for col in columns),
            values,
        ))
        return self.browse(ids)
