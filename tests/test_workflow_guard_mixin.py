"""``sales.workflow.guard.mixin`` on a fake model (odoo-test-helper's ``FakeModelLoader``,
as OCA tests its mixins): workflow-owned fields change only through the action method,
whatever the caller puts in the context; everything else stays writable."""

from common import SalesManagementCommon
from odoo_test_helper import FakeModelLoader

from odoo import api, fields, models
from odoo.exceptions import AccessError

HOSTILE_CONTEXT = {"sales_plan_workflow": True, "sales_workflow": True, "install_mode": True}


class TestWorkflowGuardMixin(SalesManagementCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, "odoo.addons.sales_management.tests")
        cls.loader.backup_registry()

        class WorkflowGuardFake(models.Model):
            _name = "sales.workflow.guard.fake"
            _description = "Workflow Guard Fake"
            _module = "sales_management"
            _inherit = ["sales.workflow.guard.mixin"]
            _workflow_fields = frozenset({"state", "approved_on", "partner_id"})

            name = fields.Char()
            state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
            approved_on = fields.Date()
            partner_id = fields.Many2one("res.partner")

            @api.model_create_multi
            def create(self, vals_list):
                self._check_workflow_fields(vals_list, create=True)
                return super().create(vals_list)

            def write(self, vals):
                self._check_workflow_fields([vals])
                return super().write(vals)

            def action_done(self):
                self.check_access("write")
                return self._workflow_write({"state": "done", "approved_on": "2026-05-13"})

        cls.loader.update_registry((WorkflowGuardFake,))
        cls.env["ir.model.access"].create({
            "name": "fake salesman",
            "model_id": cls.env["ir.model"]._get_id("sales.workflow.guard.fake"),
            "group_id": cls.env.ref("sales_team.group_sale_salesman").id,
            "perm_read": True, "perm_write": True, "perm_create": True, "perm_unlink": True,
        })

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _model(self, context=None):
        return self.env["sales.workflow.guard.fake"].with_user(self.user_salesman) \
            .with_context(**(context or {}))

    def test_create_takes_only_the_initial_values(self):
        Fake = self._model(HOSTILE_CONTEXT)
        record = Fake.create({"name": "a", "state": "draft", "approved_on": False})
        self.assertEqual(record.state, "draft")
        for vals in ({"state": "done"}, {"approved_on": "2026-01-01"},
                     {"partner_id": self.customer_be.id}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                Fake.create({"name": "b", **vals})
        self.assertEqual(Fake.search_count([]), 1)

    def test_write_refuses_a_change_whatever_the_context(self):
        record = self._model().create({"name": "a"})
        for context in ({}, HOSTILE_CONTEXT):
            for vals in ({"state": "done"}, {"approved_on": "2026-01-01"},
                         {"partner_id": self.customer_be.id}, {"state": "bogus"},
                         {"name": "renamed", "state": "done"}):
                with self.subTest(context=context, vals=vals), \
                        self.assertRaises(AccessError):
                    record.with_context(**context).write(vals)
        record.invalidate_recordset()
        self.assertEqual((record.name, record.state, record.approved_on),
                         ("a", "draft", False))

    def test_unchanged_values_and_other_fields_pass(self):
        record = self._model().create({"name": "a"})
        record.write({"name": "b", "state": "draft", "approved_on": False})
        self.assertEqual((record.name, record.state), ("b", "draft"))

    def test_one_record_changing_is_enough_to_refuse(self):
        Fake = self._model()
        records = Fake.create([{"name": "a"}, {"name": "b"}])
        records[0].action_done()
        with self.assertRaises(AccessError):
            records.write({"state": "done"})
        self.assertEqual(records.mapped("state"), ["done", "draft"])

    def test_the_action_is_the_door(self):
        record = self._model().create({"name": "a"})
        record.action_done()
        self.assertEqual(record.state, "done")
        self.assertEqual(str(record.approved_on), "2026-05-13")
        # the superuser (privileged code after its own check) is not refused
        record.sudo().write({"state": "draft"})
        self.assertEqual(record.state, "draft")

    def test_the_action_checks_the_caller(self):
        record = self._model().create({"name": "a"})
        with self.assertRaises(AccessError):
            record.with_user(self.user_internal).action_done()
        self.assertEqual(record.state, "draft")
