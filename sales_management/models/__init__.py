from . import sales_link_guard_mixin
from . import sales_workflow_guard_mixin
from . import sales_input_guard_mixin
from . import sales_task_rollup_mixin
from . import sales_overrun_mixin
from . import res_company
from . import res_config_settings
# shared by several features (one file per inherited core model)
from . import account_move
from . import crm_lead
from . import mail_activity

# Planning (plans and targets)
from . import sale_order
from . import sales_metric
from . import sales_plan
from . import sales_plan_target
from . import sales_region

# Execution (sales tasks and to-dos)
from . import sales_task
from . import sales_task_todo
from . import sales_task_template
from . import sales_day_note
from . import sales_team_day
from . import res_partner

# Tracking (transitional milestones)
from . import sales_milestone
from . import sales_milestone_norm
from . import sales_lead_milestone
from . import crm_team
from . import mail_message

# Control
from . import sales_control_escalation
from . import sales_control_digest
from . import sales_control_alert
from . import sales_corrective_action

# People (coaching)
from . import sales_coaching_session
from . import sales_coaching_action
from . import sales_coaching_note_private

# Reporting
from . import sales_management_dashboard
from . import sales_job_failure
from . import sales_report_dispatch

# People (feedback and recognition)
from . import res_users
from . import gamification_badge_user
from . import sales_recognition
from . import sales_feedback
# People (coaching: competencies, ratings, focus)
from . import sales_competency
from . import sales_competency_rating
from . import sales_coaching_focus
