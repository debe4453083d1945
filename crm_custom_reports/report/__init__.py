from . import crm_customer_contribution_report
