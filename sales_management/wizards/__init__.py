# Shared create guard
from . import sales_wizard_guard_mixin

# Planning
from . import sales_plan_generate

# Execution
from . import sales_task_done_wizard

# Tracking (transitional milestones)
from . import sales_lead_milestone_reach
