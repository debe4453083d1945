from . import crm_customer_sales_month
from . import crm_customer_sales_total
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import crm_consistency_check
from . import crm_sales_target
from . import crm_workbench_tile
