from . import res_company
from . import res_config_settings
from . import sales_management_demo

# Planning (plans and targets)
from . import sale_order
from . import sales_metric
from . import sales_plan
from . import sales_plan_target
from . import sales_plan_demo

# Execution (sales tasks and to-dos)

# Tracking (transitional milestones)

# Control

# Reporting
