"""The addon's columns on Odoo's own tables never break Odoo's own tests.

Odoo runs a module's install tests while the modules that depend on it are not loaded
yet: a company or a user made then gets no value for this addon's fields. A NOT NULL
column that this addon adds to a core table therefore fails those tests (it did:
``res_company.sales_report_period`` broke 9 of CRM's tests). Checked from the database's
schema for every field this addon adds to a model of another module."""

from common import SalesManagementCommon


class TestCoreCompat(SalesManagementCommon):
    def test_no_not_null_column_on_core_tables(self):
        ids = self.env["ir.model.data"].search([
            ("module", "=", "sales_management"), ("model", "=", "ir.model.fields"),
        ]).mapped("res_id")
        fields = self.env["ir.model.fields"].browse(ids).filtered(
            lambda f: f.store and f.ttype not in ("one2many", "many2many"))
        core = fields.filtered(
            lambda f: not self.env[f.model]._original_module == "sales_management")
        self.assertTrue(core)  # the addon does extend core models (res.company, crm.lead...)
        self.env.cr.execute("""
            SELECT table_name || '.' || column_name FROM information_schema.columns
             WHERE is_nullable = 'NO' AND (table_name, column_name) IN %s
        """, [tuple((self.env[f.model]._table, f.name) for f in core)])
        self.assertEqual(self.env.cr.fetchall(), [])

    def test_a_company_without_the_report_period_sends_the_month(self):
        company = self.env["res.company"].create({"name": "SM Bare Company"})
        self.env.cr.execute(
            "UPDATE res_company SET sales_report_period = NULL WHERE id = %s", [company.id])
        company.invalidate_recordset()
        self.assertFalse(company.sales_report_period)
        dispatch = self.env["sales.report.dispatch"].sudo()
        before = dispatch.search_count([("company_id", "=", company.id)])
        company._send_sales_management_report()
        claimed = dispatch.search([("company_id", "=", company.id)])
        self.assertEqual(len(claimed), before + 1)
        self.assertEqual(claimed.period, "month")
