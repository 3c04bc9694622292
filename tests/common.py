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


SALESMAN = "sales_team.group_sale_salesman"
ALL_DOCS = "sales_team.group_sale_salesman_all_leads"
MANAGER = "sales_team.group_sale_manager"

#: Every test user, one per role: role -> (login, name, groups, email). The password is the
#: login; a name or e-mail of None is new_test_user's default; ``{}`` in a login or name is
#: filled by ``new_role_user``'s ``index``.
ROLE_USERS = {
    # SalesManagementCommon's ladder, as ``cls.user_<role>``
    "salesman": ("sm_salesman", "Sam Salesman", SALESMAN, "sam@example.com"),
    "salesman_2": ("sm_salesman2", "Sara Second", SALESMAN, "sara@example.com"),
    "other_team": ("sm_other", "Otto Otherteam", SALESMAN, "otto@example.com"),
    "leader": ("sm_leader", "Lea Leader", SALESMAN, "lea@example.com"),
    "all_docs": ("sm_alldocs", "Alan Alldocs", ALL_DOCS, "alan@example.com"),
    "manager": ("sm_manager", "Mia Manager", MANAGER, "mia@example.com"),
    "internal": ("sm_internal", "Ivan Internal", "base.group_user", "ivan@example.com"),
    # the access matrix (access_common.AccessFixtures); foreign: Company B only
    "foreign": ("sm_foreign", "Fred Foreign", MANAGER, "fred@example.com"),
    "portal": ("sm_portal", "Paula Portal", "base.group_portal", "paula@example.com"),
    # a manager of another company (multi-company tests)
    "manager_b": ("sm_manager_b", None, MANAGER, None),
    # more salespersons, numbered (query counts)
    "extra_salesman": ("sm_extra_{}", "SM Extra {}", SALESMAN, None),
    # browser tests (SalesManagementHttpCommon)
    "journey_manager": ("sm_journey_mia", "Mia Journey", MANAGER, "mia.journey@example.com"),
    "journey_sam": ("sm_journey_sam", "Sam Journey", SALESMAN, "sam.journey@example.com"),
    "journey_sara": ("sm_journey_sara", "Sara Journey", SALESMAN, "sara.journey@example.com"),
    "tour_salesman": ("sm_tour_salesman", None, SALESMAN, None),
}

#: The roles SalesManagementCommon makes, in this order.
LADDER = ("salesman", "salesman_2", "other_team", "leader", "all_docs", "manager", "internal")


def new_role_user(env, role, index=None, **values):
    """The user of ``role`` in ``ROLE_USERS`` (password = login); ``values`` are more
    fields of the user (``company_id``...)."""
    login, name, groups, email = ROLE_USERS[role]
    if index is not None:
        login, name = login.format(index), name and name.format(index)
    if name is not None:
        values.setdefault("name", name)
    if email is not None:
        values.setdefault("email", email)
    return new_test_user(env, login=login, password=login, groups=groups, **values)


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

    # ------------------------------------------------------------------ helpers
    @classmethod
    def _create_order(cls, partner, user, lines, date_order=None, confirm=True, team=None):
        """A sale order with ``lines`` = [(product, qty, price_unit)] on ``team`` (the
        class's ``team`` by default); confirmed by default, then put back on ``date_order``
        (confirmation stamps "now")."""
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
        for role in LADDER:
            setattr(cls, f"user_{role}", new_role_user(cls.env, role))

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
