from . import res_company
from . import res_config_settings
from . import sales_management_demo

# Planning (plans and targets)

# Execution (sales tasks and to-dos)

# Tracking (transitional milestones)
from . import sales_milestone
from . import sales_lead_milestone
from . import crm_lead
from . import crm_team
from . import mail_message
from . import mail_activity
from . import sales_milestone_demo

# Control

# Reporting
