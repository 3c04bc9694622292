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
        # Planning security
        "security/sales_plan_security.xml",
        # Execution security
        "security/sales_task_security.xml",
        # Tracking security
        # Control security
        # Reporting security
        # data
        # Planning data
        "data/sales_metric_data.xml",
        # Execution data
        "data/sales_task_data.xml",
        # Tracking data
        # Control data
        # Reporting data
        # views
        "views/res_config_settings_views.xml",
        # Planning views
        "views/sales_metric_views.xml",
        "views/sales_plan_target_views.xml",
        "views/sales_plan_views.xml",
        # Execution views
        "views/sales_task_views.xml",
        "views/crm_lead_views.xml",
        "views/res_partner_views.xml",
        # Tracking views
        # Control views
        # Reporting views
        # wizards
        # Planning wizards
        "wizards/sales_plan_generate_views.xml",
        # Execution wizards
        "wizards/sales_task_done_wizard_views.xml",
        # Tracking wizards
        # Control wizards
        # Reporting wizards
        # reports
        # Planning reports
        # Execution reports
        # Tracking reports
        # Control reports
        # Reporting reports
        # menus last
        "views/sales_management_menus.xml",
    ],
    "demo": [
        "demo/sales_management_demo.xml",
        "demo/sales_plan_demo.xml",
        "demo/sales_task_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sales_management/static/tests/tours/**/*",
        ],
    },
    "application": True,
}
