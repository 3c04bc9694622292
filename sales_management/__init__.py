from . import models
from . import report
from . import wizards


def uninstall_hook(env):
    """Drop the index the addon added to a core table (``mail_message``)."""
    from .models.mail_message import LEAD_ACTIVITY_INDEX

    env.cr.execute(f"DROP INDEX IF EXISTS {LEAD_ACTIVITY_INDEX}")
