# Tracking (transitional milestones)
from . import sales_lead_milestone_reach
