from . import crm_operation_log
