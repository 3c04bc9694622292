from . import sales_management_demo
