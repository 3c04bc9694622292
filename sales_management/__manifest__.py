# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Sales Management Suite (plans, tasks, milestones, control)",
    "summary": "Sales plans and targets, sales tasks with to-dos, transitional "
    "milestones, control and KPI reporting on top of CRM and Sales",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "sales_management developers",
    "maintainers": ["sales-management-devs"],
    "website": "https://github.com/sales-management/sales_management",
    "development_status": "Beta",
    "depends": ["crm", "sale_management", "report_xlsx", "gamification"],
    "uninstall_hook": "uninstall_hook",
    "data": [
        # security first: groups, access rights, record rules
        "security/ir.model.access.csv",
        # Planning security
        "security/sales_plan_security.xml",
        # Execution security
        "security/sales_task_security.xml",
        "security/sales_team_day_security.xml",
        # Tracking security
        "security/sales_milestone_security.xml",
        # Control security
        "security/sales_control_security.xml",
        # Reporting security
        "security/sales_reporting_security.xml",
        # People security (weekly feedback)
        "security/sales_feedback_security.xml",
        # People security
        "security/sales_competency_security.xml",
        # People security
        "security/sales_coaching_security.xml",
        # data
        # Planning data
        "data/sales_metric_data.xml",
        # Execution data
        "data/sales_task_data.xml",
        # Tracking data
        "data/sales_milestone_data.xml",
        # Control data
        "data/sales_control_data.xml",
        # Reporting data
        "data/sales_reporting_data.xml",
        # People data (weekly feedback, badges)
        "data/sales_feedback_data.xml",
        # People data
        "data/sales_coaching_data.xml",
        # People data
        "data/sales_competency_data.xml",
        # views
        "views/res_config_settings_views.xml",
        "views/res_users_views.xml",
        # Planning views
        "views/sales_metric_views.xml",
        "views/sales_region_views.xml",
        "views/sales_plan_target_views.xml",
        "views/sales_plan_views.xml",
        # Execution views
        "views/sales_task_views.xml",
        "views/sales_team_day_views.xml",
        "views/res_partner_views.xml",
        # Tracking views
        "views/sales_milestone_views.xml",
        "views/crm_lead_views.xml",
        "views/crm_team_views.xml",
        "report/sales_milestone_report_views.xml",
        # Control views
        "views/sales_control_views.xml",
        "views/sales_corrective_action_views.xml",
        "views/sales_job_failure_views.xml",
        # Reporting views
        "views/sales_management_dashboard_views.xml",
        "views/sales_report_dispatch_views.xml",
        "report/sales_kpi_report_views.xml",
        # People views
        "views/sales_coaching_session_views.xml",
        "views/sales_competency_views.xml",
        "views/sales_competency_rating_views.xml",
        "views/sales_coaching_focus_views.xml",
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
        "report/sales_reporting_reports.xml",
        "report/sales_reporting_templates.xml",
        # People reports
        "report/sales_competency_templates.xml",
        # menus last
        "views/sales_management_menus.xml",
    ],
    "demo": [
        "demo/sales_management_demo.xml",
        "demo/sales_milestone_demo.xml",
        "demo/sales_plan_demo.xml",
        "demo/sales_task_demo.xml",
        # people: the ratings and focuses, then the 1:1s (their agendas read both), then
        # the jobs of the weekly feedback and the badges (they read the focus and 1:1s)
        "demo/sales_competency_demo.xml",
        "demo/sales_coaching_demo.xml",
        "demo/sales_feedback_demo.xml",
    ],
    "assets": {
        # Reporting: the dashboard client action
        "web.assets_backend": [
            "sales_management/static/src/dashboard/**/*",
            "sales_management/static/src/team_day/**/*",
            # figures of plans and targets in their metric's unit
            "sales_management/static/src/fields/**/*",
            # an opportunity's Still Missing follows the activities done in the chatter
            "sales_management/static/src/milestone/**/*",
        ],
        # Reporting: the PDF layout on page 2+ (repeated table headers, rows not cut)
        "web.report_assets_common": [
            "sales_management/static/src/report/**/*",
        ],
        "web.assets_tests": [
            "sales_management/static/tests/tours/**/*",
        ],
    },
    "application": True,
}
