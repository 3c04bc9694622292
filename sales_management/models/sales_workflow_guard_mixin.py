# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Workflow-owned fields: changed only by the model's own action methods.

Some fields decide the figures a department is judged on, or record what happened: a plan's
state, a closed target's frozen actual, the gap an action was opened on, the milestone log.
A model lists them in ``_workflow_fields``; its ``create`` calls
``_check_workflow_fields(vals_list, create=True)`` and its ``write``
``_check_workflow_fields([vals])`` before anything is written.

* ``write`` refuses a value that would change a workflow-owned field of any record, unless
  the environment is the superuser's (``self.env.su``). A value equal to the current one is
  accepted (the web client may send back what it read).
* ``create`` accepts only the field's initial value (its default, or empty).
* Action methods change these fields through ``_workflow_write(vals)`` **after** their own
  rights check (who may approve, close, reopen…): it writes through ``sudo()``.

No context key switches the check off: any RPC client sets any context key.
(OCA ``base_tier_validation`` guards its validated state changes the same way.)
"""

from odoo import models
from odoo.exceptions import AccessError


class SalesWorkflowGuardMixin(models.AbstractModel):
    _name = "sales.workflow.guard.mixin"
    _description = "Sales Management: fields changed only by the workflow's actions"

    # field names; overridden by the models
    _workflow_fields = frozenset()

    def _check_workflow_fields(self, vals_list, create=False):
        """Raise ``AccessError`` when ``vals_list`` sets a workflow-owned field outside the
        superuser environment (see the module docstring)."""
        if self.env.su or not self._workflow_fields:
            return
        refused = set()
        for vals in vals_list:
            for fname in self._workflow_fields.intersection(vals):
                if create:
                    if not self._workflow_is_initial(fname, vals[fname]):
                        refused.add(fname)
                elif self._workflow_would_change(fname, vals[fname]):
                    refused.add(fname)
        if refused:
            raise AccessError(self.env._(
                "%(fields)s of %(model)s cannot be set directly: use the buttons of the "
                "record (they check who may make the change).",
                fields=", ".join(sorted(
                self._fields[f]._description_string(self.env) for f in refused
            )),
                model=self._description,
            ))

    def _workflow_is_initial(self, fname, value):
        field = self._fields[fname]
        default = field.default(self) if field.default else False
        if field.type == "many2one" and isinstance(value, models.BaseModel):
            value = value.id
        return value == default or (not value and not default)

    def _workflow_would_change(self, fname, value):
        field = self._fields[fname]
        try:
            new = field.convert_to_record(field.convert_to_cache(value, self), self)
        except (ValueError, TypeError):
            return True  # not a value of this field: refused as a change
        return any(record[fname] != new for record in self)

    def _workflow_write(self, vals):
        """Write workflow-owned values from an action method, once the method has checked
        that the caller may make the change."""
        return self.sudo().write(vals)
