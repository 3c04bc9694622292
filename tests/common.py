"""Shared test fixtures for sales_management.

The tests live at the repository root (not inside the addon), so Odoo's MetaCase does not
tag them: ``SalesManagementTestMixin`` sets what it would (``test_tags``, ``test_module``,
``test_class``, ``test_sequence``), which TransactionCase, HttpCase and tours need.
Fixtures are built in ``setUpClass`` without relying on demo data: one company, two sales
teams, a user per role of the sales_team ladder, customers and products.

No test reads the real clock. Every class runs frozen at ``REFERENCE_NOW`` (Odoo's
``freeze_time`` class attribute), unless it sets another instant; the browser of a tour runs
on the same clock (``_shift_browser_clock``). Classes that read "today" — through a default
(a task's start date, "this week", a plan's period), a filter or a job — are decorated with
``@on_edge_dates`` and run once more on each of ``EDGE_DATES`` in the same pytest run.
"""

import json
import os
import sys
import time
from datetime import datetime
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tools import mute_logger

#: The instant every test runs at unless its class says otherwise: a Wednesday in the middle
#: of a month, of a quarter and of a non-leap year, in the morning (UTC).
#: ``SM_TEST_NOW`` runs the whole suite at another instant (a check by hand, see README).
REFERENCE_NOW = os.environ.get("SM_TEST_NOW") or "2026-05-13 10:00:00"

#: The calendar's edges, which the date-sensitive classes also run on.
EDGE_DATES = {
    "monday": "2026-11-30 10:00:00",
    "sunday": "2026-11-29 10:00:00",
    "month_first": "2026-10-01 10:00:00",  # also a quarter's first day, a Thursday
    "month_last": "2026-09-30 10:00:00",  # also a quarter's last day
    "dec31": "2026-12-31 10:00:00",
    "jan1": "2027-01-01 10:00:00",
    "leap_day": "2028-02-29 10:00:00",
}


def on_edge_dates(cls=None, *, only=None):
    """Class decorator: run the test class on every date of ``EDGE_DATES`` as well (or on
    those named in ``only``), as one subclass per date (``<Class>_<label>``) in the class's
    module, which pytest collects like any other. The class itself still runs at its own
    ``freeze_time``. ``@on_edge_dates`` or ``@on_edge_dates(only=("dec31", "jan1"))``."""

    def decorate(cls):
        module = sys.modules[cls.__module__]
        for label in only or EDGE_DATES:
            instant = EDGE_DATES[label]
            name = f"{cls.__name__}_{label}"
            variant = type(cls)(name, (cls,), {
                "freeze_time": instant, "__module__": cls.__module__, "__qualname__": name,
                "__doc__": f"{cls.__name__} on {instant} ({label}).",
            })
            setattr(module, name, variant)
        return cls

    return decorate(cls) if cls else decorate

DISABLED_MAIL_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}


class SalesManagementTestMixin:
    test_tags = {"standard", "at_install"}
    test_module = "sales_management"
    test_sequence = 0
    # Odoo's TransactionCase freezes the class at this instant (freezegun) once its cursor
    # is open, before any fixture is built.
    freeze_time = REFERENCE_NOW

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.test_class = cls.__name__

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The class's cursor is a real one, whose now() asks PostgreSQL: create_date and
        # write_date would keep the real date while fields.*.today()/now() are frozen.
        # Make it follow the (frozen) clock like the test cursors of HTTP requests do.
        if cls.freeze_time:
            cls.startClassPatcher(patch.object(cls.cr, "now", datetime.now))


class SalesManagementCommon(SalesManagementTestMixin, TransactionCase):
    """Company, teams, users per role, customers and products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        cls._setup_users()
        cls._setup_teams()
        cls._setup_partners_products()

    @classmethod
    def _setup_users(cls):
        # the sales_team ladder: own documents -> all documents -> manager
        cls.user_salesman = new_test_user(
            cls.env, login="sm_salesman", name="Sam Salesman",
            groups="sales_team.group_sale_salesman", email="sam@example.com",
        )
        cls.user_salesman_2 = new_test_user(
            cls.env, login="sm_salesman2", name="Sara Second",
            groups="sales_team.group_sale_salesman", email="sara@example.com",
        )
        cls.user_other_team = new_test_user(
            cls.env, login="sm_other", name="Otto Otherteam",
            groups="sales_team.group_sale_salesman", email="otto@example.com",
        )
        cls.user_leader = new_test_user(
            cls.env, login="sm_leader", name="Lea Leader",
            groups="sales_team.group_sale_salesman", email="lea@example.com",
        )
        cls.user_all_docs = new_test_user(
            cls.env, login="sm_alldocs", name="Alan Alldocs",
            groups="sales_team.group_sale_salesman_all_leads", email="alan@example.com",
        )
        cls.user_manager = new_test_user(
            cls.env, login="sm_manager", name="Mia Manager",
            groups="sales_team.group_sale_manager", email="mia@example.com",
        )
        cls.user_internal = new_test_user(
            cls.env, login="sm_internal", name="Ivan Internal",
            groups="base.group_user", email="ivan@example.com",
        )

    @classmethod
    def _setup_teams(cls):
        Team = cls.env["crm.team"]
        cls.team = Team.create({
            "name": "SM Test Team North",
            "user_id": cls.user_leader.id,
            "member_ids": [Command.set([
                cls.user_leader.id, cls.user_salesman.id, cls.user_salesman_2.id,
            ])],
        })
        cls.team_other = Team.create({
            "name": "SM Test Team South",
            "user_id": cls.user_manager.id,
            "member_ids": [Command.set([cls.user_other_team.id])],
        })

    @classmethod
    def _setup_partners_products(cls):
        cls.country_be = cls.env.ref("base.be")
        cls.country_us = cls.env.ref("base.us")
        cls.state_ca = cls.env.ref("base.state_us_5")
        Partner = cls.env["res.partner"]
        cls.customer_be = Partner.create({
            "name": "SM Brussels Customer", "is_company": True, "country_id": cls.country_be.id,
        })
        cls.customer_be_contact = Partner.create({
            "name": "SM Brussels Buyer", "parent_id": cls.customer_be.id,
        })
        cls.customer_us = Partner.create({
            "name": "SM California Customer", "is_company": True,
            "country_id": cls.country_us.id, "state_id": cls.state_ca.id,
        })
        Category = cls.env["product.category"]
        cls.categ_goods = Category.create({"name": "SM Goods"})
        cls.categ_services = Category.create({"name": "SM Services"})
        Product = cls.env["product.product"]
        cls.product_goods = Product.create({
            "name": "SM Widget", "categ_id": cls.categ_goods.id, "type": "consu",
            "list_price": 100.0, "invoice_policy": "order",
        })
        cls.product_service = Product.create({
            "name": "SM Consulting Day", "categ_id": cls.categ_services.id,
            "type": "service", "list_price": 800.0, "invoice_policy": "order",
        })

    # ------------------------------------------------------------------ helpers
    @classmethod
    def _create_order(cls, partner, user, lines, date_order=None, confirm=True, team=None):
        """A sale order with ``lines`` = [(product, qty, price_unit)]; confirmed by default,
        then put back on ``date_order`` (confirmation stamps "now")."""
        order = cls.env["sale.order"].create({
            "partner_id": partner.id,
            "user_id": user.id,
            "team_id": (team or cls.team).id,
            "order_line": [
                Command.create({"product_id": p.id, "product_uom_qty": q, "price_unit": pu})
                for p, q, pu in lines
            ],
        })
        if confirm:
            order.action_confirm()
        if date_order:
            order.date_order = date_order
        return order


class JsonRpcMixin:
    """``_rpc``: a ``call_kw`` over JSON-RPC with the test's real session (authenticate
    first), as an external client sends it; returns the decoded JSON reply."""

    @mute_logger("odoo.sql_db", "odoo.http")  # the refused SQL of expected errors
    def _rpc(self, model, method, args, kwargs=None):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "model": model, "method": method, "args": args, "kwargs": kwargs or {},
            }}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        return response.json()


class SalesManagementHttpCommon(SalesManagementTestMixin, HttpCase):
    """Browser tests; users are made per test class."""

    def authenticate(self, user, password, browser=None):
        session = super().authenticate(user, password, browser=browser)
        if browser and self.freeze_time:
            self._shift_browser_clock(browser)
        return session

    @staticmethod
    def _shift_browser_clock(browser):
        """Start the page's clock at the server's frozen instant (it ticks from there), so
        that what the web client computes from "today" matches the server's records."""
        frozen_ms = int(time.time() * 1000)  # freezegun's clock, in UTC
        browser._websocket_request("Page.addScriptToEvaluateOnNewDocument", params={
            "source": """(() => {
                const RealDate = Date;
                const offset = %d - RealDate.now();
                class ShiftedDate extends RealDate {
                    constructor(...args) {
                        super(...(args.length ? args : [RealDate.now() + offset]));
                    }
                    static now() { return RealDate.now() + offset; }
                }
                globalThis.Date = ShiftedDate;
            })();""" % frozen_ms,
        })
