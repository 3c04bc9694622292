# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models, tools
from odoo.tools import SQL


class SalesSqlViewMixin(models.AbstractModel):
    """Analysis model read from one SQL query, as ``sale.report``: Odoo's ``_table_query``
    puts ``SELECT <_select> FROM <_from> WHERE <_where> [GROUP BY <_group_by>]`` in the
    FROM clause of every read, so a report never goes stale and needs no view in the
    database. The reports implement ``_select``, ``_from`` and ``_where``; extensions
    override any of the four parts (or ``_query``)."""

    _name = "sales.sql.view.mixin"
    _description = "Sales Management: report read from one SQL query"

    def _group_by(self):
        """Row-level report: nothing to group; extensions may aggregate here."""
        return SQL()

    def _query(self):
        group_by = self._group_by()
        return SQL(
            "SELECT %s FROM %s WHERE %s%s", self._select(), self._from(), self._where(),
            SQL(" GROUP BY %s", group_by) if group_by else SQL(),
        )

    @property
    def _table_query(self):
        return self._query()

    def init(self):
        # databases of the versions that kept the query as a view: the view goes
        tools.drop_view_if_exists(self.env.cr, self._table)
