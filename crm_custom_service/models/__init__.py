from . import crm_dictionary_item
from . import helpdesk_ticket_stage
from . import helpdesk_ticket_team
from . import helpdesk_ticket
from . import res_partner
from . import document_page
from . import helpdesk_ticket_knowledge
from . import helpdesk_ticket_care
