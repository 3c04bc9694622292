# Tracking (transitional milestones)
from . import sales_milestone_funnel_report
from . import sales_milestone_forecast_report
from . import sales_milestone_activity_report
