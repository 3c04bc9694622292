# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Links checked for the caller's right to use the linked record.

Odoo's ``check_company`` refuses a many2one pointing into another company; this mixin does
the same for *ownership*: a value written into a guarded many2one must be a record the
caller may use. A model lists its guarded fields in ``_link_guard_fields``
(``{field name: operation}``) and calls ``_check_links(vals_list)`` from ``create`` and
``_check_links([vals])`` from ``write``, before anything is written.

Operations:

* ``"read"`` / ``"write"``: ``record.check_access(operation)`` on the linked record (access
  rights and record rules of the caller), e.g. a task may point only at a plan, a target or
  an opportunity the caller reads; a sub-plan only under a plan the caller may write.
* ``"assign"`` (``res.users`` and ``crm.team`` only), see ``_link_guard_assignable``:

  - a sales manager (``sales_team.group_sale_manager``) may assign any user having one of
    the manager's allowed companies, and any team of those companies (or without company);
  - a team leader (leader of at least one ``crm.team``) may assign himself, the members of
    the teams he leads, those teams and the teams he is a member of;
  - any other user (salesperson, "all documents" reader) may assign only himself, and only
    the teams he is a member of.

The check is skipped only for the superuser environment (``self.env.su``): privileged code
paths that must link on someone's behalf do so through ``sudo()`` after their own check.
No context key switches it off.
"""

from odoo import models
from odoo.exceptions import AccessError, UserError


class SalesLinkGuardMixin(models.AbstractModel):
    _name = "sales.link.guard.mixin"
    _description = "Sales Management: links limited to records the caller may use"

    # {field name: "read" | "write" | "assign"}; overridden by the models
    _link_guard_fields = {}

    def _check_links(self, vals_list):
        """Raise ``AccessError`` when a value of ``vals_list`` links to a record the caller
        may not use (see the module docstring)."""
        if self.env.su or not self._link_guard_fields:
            return
        for fname, operation in self._link_guard_fields.items():
            ids = set()
            for vals in vals_list:
                value = vals.get(fname)
                if isinstance(value, models.BaseModel):
                    value = value.id
                if value:
                    if not isinstance(value, int):
                        raise UserError(self.env._(
                            "Invalid value for the field %(field)s.",
                            field=self._fields[fname].string,
                        ))
                    ids.add(value)
            if not ids:
                continue
            comodel = self._fields[fname].comodel_name
            records = self.env[comodel].browse(sorted(ids))
            existing = records.exists()
            if existing != records:
                raise UserError(self.env._(
                    "The record linked in %(field)s does not exist.",
                    field=self._fields[fname].string,
                ))
            if operation == "assign":
                self._link_guard_check_assignable(records, fname)
            else:
                records.check_access(operation)

    def _link_guard_check_assignable(self, records, fname):
        refused = records - self._link_guard_assignable(records)
        if refused:
            raise AccessError(self.env._(
                "You may not assign %(names)s in %(field)s: a salesperson assigns only "
                "themselves, a team leader their team's members, a manager anyone in their "
                "companies.",
                names=", ".join(refused.sudo().mapped("display_name")),
                field=self._fields[fname].string,
            ))

    def _link_guard_assignable(self, records):
        """The part of ``records`` (``res.users`` or ``crm.team``) the caller may assign."""
        user = self.env.user
        company_ids = set(self.env.companies.ids)
        if user.has_group("sales_team.group_sale_manager"):
            if records._name == "res.users":
                return records.sudo().filtered(
                    lambda u: company_ids & set(u.company_ids.ids)
                ).with_env(self.env)
            return records.sudo().filtered(
                lambda t: not t.company_id or t.company_id.id in company_ids
            ).with_env(self.env)
        Team = self.env["crm.team"].sudo().with_context(active_test=False)
        led = Team.search([("user_id", "=", user.id)])
        member_of = Team.search([("member_ids", "in", user.ids)])
        if records._name == "res.users":
            allowed = user | led.member_ids | led.user_id
            return records & allowed.with_env(self.env)
        return records & (led | member_of).with_env(self.env)
