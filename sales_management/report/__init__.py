# SQL reports: the shared query mechanism
from . import sales_sql_view_mixin
from . import sales_opportunity_report_mixin

# Tracking (transitional milestones)
from . import sales_milestone_funnel_report
from . import sales_milestone_forecast_report
from . import sales_milestone_activity_report

# Reporting (KPI reports, PDF and XLSX)
from . import sales_xlsx_base
from . import sales_reporting_report
from . import sales_kpi_report
