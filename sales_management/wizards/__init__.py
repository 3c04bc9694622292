from . import sales_plan_generate
