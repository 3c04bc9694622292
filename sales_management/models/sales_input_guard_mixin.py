# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Values checked on the way in (``sales_input_guard.check_vals``), for every model and
wizard of the addon that users write.

The mixin checks what reaches ``create``/``write`` from the other mixins and from models
without their own override, the defaults (a client sets any ``default_<field>`` in the
context) and a form's ``onchange`` values. A model whose own ``create``/``write`` reads the
values first (browses an id, reads a date) calls ``check_vals`` itself on its first line,
so that nothing uses a value before it is checked; checking twice is harmless.
"""

from odoo import api, models

from .sales_input_guard import check_vals


class SalesInputGuardMixin(models.AbstractModel):
    _name = "sales.input.guard.mixin"
    _description = "Sales Management: values checked on the way in"

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(check_vals(self, vals_list))

    def write(self, vals):
        return super().write(check_vals(self, [vals])[0])

    @api.model
    def default_get(self, fields_list):
        """The form's defaults (``onchange`` of a new record, or a direct call): the
        ``default_<field>`` values of the context are checked before the ORM converts
        them."""
        self._check_context_defaults({})
        return super().default_get(fields_list)

    @api.model
    def _check_context_defaults(self, values):
        prefix = "default_"
        from_context = {
            key[len(prefix):]: value for key, value in self.env.context.items()
            if isinstance(key, str) and key.startswith(prefix)
            and key[len(prefix):] in self._fields and key[len(prefix):] not in values
        }
        if from_context:
            check_vals(self, [from_context])

    @api.model
    def _add_missing_default_values(self, values):
        """Defaults are values too: those of the context are checked before the ORM
        converts them, and every default (context or ``ir.default``) goes through
        ``check_vals`` (JSON values normalized)."""
        self._check_context_defaults(values)
        result = super()._add_missing_default_values(values)
        defaulted = {name: value for name, value in result.items() if name not in values}
        if defaulted:
            result.update(check_vals(self, [defaulted])[0])
        return result

    def onchange(self, values, field_names, fields_spec):
        """A form's values go through the same checks before the onchange computes
        anything from them (a text for a number would raise a ValueError in the ORM).
        Not the relational ones: the web client sends a line's parent as a dict of its
        values, and a line's commands, which the ORM reads itself."""
        if isinstance(values, dict):
            values = check_vals(self, [values], {
                name for name in values
                if name in self._fields and not self._fields[name].relational
            })[0]
        return super().onchange(values, field_names, fields_spec)
