"""The app installs, its menus and actions open for each role, and the web client renders it."""

from common import SalesManagementCommon, SalesManagementHttpCommon, new_role_user, on_edge_dates

from odoo.exceptions import AccessError

ROOT = "sales_management.menu_sales_management_root"
PHASES = ("planning", "execution", "control", "reporting")


@on_edge_dates
class TestFoundation(SalesManagementCommon):
    def _visible_menus(self, user):
        """Menu xml ids the web client would show ``user`` (load_menus is what it calls)."""
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        return {m["xmlid"]: m for m in menus.values() if isinstance(m, dict) and m.get("xmlid")}

    def test_manifest_and_app(self):
        module = self.env["ir.module.module"].search([("name", "=", "sales_management")])
        self.assertEqual(module.state, "installed")
        self.assertEqual(module.latest_version, "18.0.1.0.0")
        self.assertEqual(module.license, "LGPL-3")
        self.assertTrue(module.application)
        root = self.env.ref(ROOT)
        self.assertEqual(root.name, "Sales Management")
        self.assertNotEqual(root.name, self.env.ref("sale.sale_menu_root").name)
        self.assertTrue(root.web_icon_data, "the app menu carries its icon")

    def test_menus_per_role(self):
        for user in (self.user_salesman, self.user_leader, self.user_all_docs, self.user_manager):
            with self.subTest(user=user.login):
                visible = self._visible_menus(user)
                self.assertIn(ROOT, visible)
                for phase in PHASES:
                    self.assertIn(f"sales_management.menu_sales_management_{phase}", visible)
        config = "sales_management.menu_sales_management_configuration"
        self.assertIn(config, self._visible_menus(self.user_manager))
        self.assertNotIn(config, self._visible_menus(self.user_salesman))
        self.assertNotIn(config, self._visible_menus(self.user_all_docs))
        # an internal user without sales rights does not get the app at all
        self.assertNotIn(ROOT, self._visible_menus(self.user_internal))

    def test_actions_open_for_each_role(self):
        """Every action reachable from the app's menus opens (reads its model) for the roles
        that see the menu, and a user without sales rights cannot read them."""
        root = self.env.ref(ROOT)
        for user in (self.user_salesman, self.user_leader, self.user_manager):
            visible = self._visible_menus(user)
            menus = self.env["ir.ui.menu"].search([("id", "child_of", root.id)])
            opened = 0
            xmlids = menus.get_external_id()
            for menu in menus.browse([mid for mid, xmlid in xmlids.items() if xmlid in visible]):
                action = menu.action
                if not action or action._name != "ir.actions.act_window":
                    continue
                with self.subTest(user=user.login, menu=menu.complete_name):
                    data = self.env[action._name].with_user(user)._for_xml_id(
                        action.get_external_id()[action.id]
                    )
                    model = self.env[data["res_model"]].with_user(user)
                    model.check_access("read")
                    model.search([], limit=5)
                    opened += 1
            self.assertGreaterEqual(opened, 5, f"{user.login} opens the app's screens")
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.user_internal).check_access("read")

    def test_demo_data_loads_and_spans_two_years(self):
        """The demo file loads on a database without demo data (rolled back after the test),
        gives a confirmed order in each of the last 24 months, posted invoices, won and lost
        opportunities closed weeks after they were created, and running the generator again
        adds nothing."""
        from dateutil.relativedelta import relativedelta

        from odoo import fields
        from odoo.tools import convert_file

        convert_file(
            self.env, "sales_management", "demo/sales_management_demo.xml", {},
            mode="init", noupdate=False, kind="demo",
        )
        teams = self.env.ref("sales_management.demo_team_europe") | self.env.ref(
            "sales_management.demo_team_americas"
        )
        self.assertEqual(len(teams.user_id), 2, "two teams, each with its leader")
        orders = self.env["sale.order"].search([("team_id", "in", teams.ids)])
        confirmed = orders.filtered(lambda o: o.state == "sale")
        today = fields.Date.context_today(self.env.user)
        months = {o.date_order.strftime("%Y-%m") for o in confirmed}
        expected = {(today - relativedelta(months=k)).strftime("%Y-%m") for k in range(24)}
        self.assertEqual(months, expected, "a confirmed order in each of the last 24 months")
        self.assertTrue(orders.filtered(lambda o: o.state in ("draft", "sent")), "open quotations")
        invoices = confirmed.invoice_ids.filtered(lambda m: m.state == "posted")
        self.assertGreater(len(invoices), 50)
        self.assertEqual(
            set(invoices.partner_id.commercial_partner_id.country_id.mapped("code")),
            {"FR", "DE", "BE", "US", "CA"},
        )
        leads = self.env["crm.lead"].with_context(active_test=False).search(
            [("team_id", "in", teams.ids)]
        )
        self.assertTrue(leads.filtered(lambda lead: lead.probability == 100), "won deals")
        self.assertTrue(leads.filtered(lambda lead: not lead.active), "lost deals")
        self.assertEqual(len(set(leads.mapped("user_id"))), 6)
        # deals close weeks after they were opened, never in the future
        closed = leads.filtered("date_closed")
        now = fields.Datetime.now()
        self.assertTrue(all(lead.date_closed <= now for lead in closed))
        won = closed.filtered(lambda lead: lead.active and lead.probability == 100)
        days = [(lead.date_closed - lead.create_date).days for lead in won]
        self.assertEqual(sorted(days), sorted(int(d) for d in won.mapped("day_close")))
        self.assertTrue(14 <= sum(days) / len(days) <= 90, "days to win: weeks")
        self.assertTrue(leads.filtered(lambda lead: lead.active and not lead.date_closed),
                        "open opportunities")
        self.assertEqual(
            {c.name for c in confirmed.order_line.product_id.categ_id},
            {"Sales Mgmt Demo / Equipment", "Sales Mgmt Demo / Services"},
        )
        count = self.env["sale.order"].search_count([])
        self.env["sales.management.demo"]._generate_history()
        self.assertEqual(self.env["sale.order"].search_count([]), count, "idempotent")


class TestFoundationBrowser(SalesManagementHttpCommon):
    def test_app_menu_renders_for_manager(self):
        self.start_tour("/odoo", "sales_management_menu_manager", login="admin")

    def test_app_menu_renders_for_salesperson(self):
        new_role_user(self.env, "tour_salesman")
        self.start_tour("/odoo", "sales_management_menu_salesman", login="sm_tour_salesman")
