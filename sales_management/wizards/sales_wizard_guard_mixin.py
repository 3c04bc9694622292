# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from ..models.sales_input_guard import check_vals


class SalesWizardGuardMixin(models.AbstractModel):
    """Create guard of the addon's wizards, which hold no rights of their own.

    The values are checked first (``check_vals``, see ``sales.input.guard.mixin``); then
    the links named in ``_link_guard_fields`` (see ``sales.link.guard.mixin``); after the
    create, the caller must hold the right ``_wizard_access`` names on the records the new
    wizards work on."""

    _name = "sales.wizard.guard.mixin"
    _inherit = ["sales.link.guard.mixin", "sales.input.guard.mixin"]
    _description = "Sales Management: wizards limited to records the caller may use"

    # (field name, "read" | "write"): set by every wizard
    _wizard_access = None

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = check_vals(self, vals_list)
        self._check_links(vals_list)
        records = super().create(vals_list)
        fname, operation = self._wizard_access
        records[fname].check_access(operation)
        return records
