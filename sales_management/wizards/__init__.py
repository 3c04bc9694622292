from . import sales_task_done_wizard
# Tracking (transitional milestones)
from . import sales_lead_milestone_reach
from . import sales_plan_generate
