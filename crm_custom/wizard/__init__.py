from . import crm_churn_warning_confirm
from . import crm_lead_assign
from . import crm_lead_plan_apply
from . import crm_lead_development_success
from . import crm_customer_pool_put_wizard
from . import crm_customer_pool_claim_wizard
from . import crm_customer_pool_assign_wizard
from . import base_partner_merge_automatic_wizard
from . import crm_duplicate_check
from . import crm_lead_to_opportunity

