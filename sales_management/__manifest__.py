# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Sales Management Suite (plans, tasks, milestones, control)",
    "summary": "Sales plans and targets, sales tasks with to-dos, transitional "
    "milestones, control and KPI reporting on top of CRM and Sales",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "sales_management developers",
    "website": "https://example.invalid/sales_management",
    "depends": ["crm", "sale_management"],
    "data": [
        # security first: groups, access rights, record rules
        "security/ir.model.access.csv",
        # data
        # views
        # menus last
        "views/sales_management_menus.xml",
    ],
    "demo": [
        "demo/sales_management_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sales_management/static/tests/tours/**/*",
        ],
    },
    "application": True,
    "installable": True,
}
