# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesRegion(models.Model):
    """A sales region: a grouping of countries and/or states (e.g. "Benelux", "US West")
    that a target can be set for."""

    _name = "sales.region"
    _description = "Sales Region"
    _inherit = ["sales.input.guard.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company", help="Leave empty to share the region between companies."
    )
    country_ids = fields.Many2many(comodel_name="res.country", string="Countries")
    state_ids = fields.Many2many(
        comodel_name="res.country.state", string="States / Regions",
        help="Regions of a country that belong to this sales region (when the whole "
        "country does not).",
    )
    description = fields.Text(translate=True)

    @api.constrains("name", "country_ids", "state_ids")
    def _check_not_empty(self):
        for region in self:
            if not region.country_ids and not region.state_ids:
                raise ValidationError(self.env._(
                    "Sales region %(name)s needs at least one country or state.",
                    name=region.name,
                ))
