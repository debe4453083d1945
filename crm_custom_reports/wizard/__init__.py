from . import crm_customer_management_report_wizard
from . import crm_analysis_print_wizard
