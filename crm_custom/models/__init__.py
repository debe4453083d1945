from . import crm_dictionary_item
from . import res_partner
