from . import sales_task_done_wizard
from . import sales_plan_generate
