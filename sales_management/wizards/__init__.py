from . import sales_task_done_wizard
