from . import sales_management_demo
from . import sales_competency_demo
