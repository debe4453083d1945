from . import test_install
from . import test_tour
from . import test_service
from . import test_service_portal
from . import test_service_tour
from . import test_helpdesk_mgmt_oca
from . import test_knowledge_base
from . import test_knowledge_tour
