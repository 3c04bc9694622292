from . import models
from . import report
from . import wizards
from . import demo


def uninstall_hook(env):
    """Drop the index the addon added to a core table (``mail_message``) and the
    function of the activity quality report (the reports are queries, not views)."""
    from .models.mail_message import LEAD_ACTIVITY_INDEX
    from .report.sales_milestone_activity_report import SERIAL_PLAN_FUNCTION

    env.cr.execute(f"DROP INDEX IF EXISTS {LEAD_ACTIVITY_INDEX}")
    env.cr.execute(f"DROP FUNCTION IF EXISTS {SERIAL_PLAN_FUNCTION}() CASCADE")
