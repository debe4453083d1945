from . import crm_service_step_wizard
