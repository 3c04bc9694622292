from . import sales_plan_generate
from . import sales_task_done_wizard
