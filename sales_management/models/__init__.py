from . import res_company
from . import res_config_settings
from . import sales_management_demo

# Planning (plans and targets)

# Execution (sales tasks and to-dos)

# Tracking (transitional milestones)

# Control

# Reporting
