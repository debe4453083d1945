"""OCA helpdesk_mgmt's own tests, run in our suite with crm_custom_service
installed: the services lifecycle must leave ordinary tickets alone.

pytest collects the unittest classes a module holds, imported ones
included; importing them here puts them under crm_custom_service's tests
without copying them."""

from odoo.addons.helpdesk_mgmt.tests import test_js as helpdesk_mgmt_test_js
from odoo.addons.helpdesk_mgmt.tests.test_helpdesk_category_hierarchy import (  # noqa: F401
    TestHelpdeskCategoryHierarchy,
)
from odoo.addons.helpdesk_mgmt.tests.test_helpdesk_fetchmail import (  # noqa: F401
    TestHelpdeskFetchmail,
)
from odoo.addons.helpdesk_mgmt.tests.test_helpdesk_portal import (  # noqa: F401
    TestHelpdeskPortal,
)
from odoo.addons.helpdesk_mgmt.tests.test_helpdesk_ticket import (  # noqa: F401
    TestHelpdeskTicket,
)
from odoo.addons.helpdesk_mgmt.tests.test_helpdesk_ticket_team import (  # noqa: F401
    TestHelpdeskTicketTeam,
)
from odoo.addons.helpdesk_mgmt.tests.test_res_partner import TestPartner  # noqa: F401


class _CalledNotCollected:
    """A test method that test loaders do not see on the class (they skip
    attributes that are not callable) but that the instance still calls."""

    def __init__(self, function):
        self.function = function

    def __get__(self, instance, owner):
        if instance is None:
            return None
        return self.function.__get__(instance, owner)


class TestHelpdeskMgmtJs(helpdesk_mgmt_test_js.TestHelpdesMgmtJs):
    """helpdesk_mgmt's JS unit tests (test_helpdesk_mgmt, which runs
    test_unit_desktop on the @helpdesk_mgmt tests). The other tests the
    class inherits from web's WebSuite check web itself, and two of them
    cannot pass under helpdesk_mgmt's test filter whatever is installed
    (test_get_hoot_filter expects no filter, the legacy QUnit suite holds no
    helpdesk_mgmt test): they are not collected here."""

    test_check_suite = None
    test_generate_hoot_hash = None
    test_get_hoot_filter = None
    test_get_qunit_regex = None
    test_hoot = None
    test_qunit_desktop = None
    # test_helpdesk_mgmt runs it; collected too, the browser suite would
    # run twice.
    test_unit_desktop = _CalledNotCollected(
        helpdesk_mgmt_test_js.TestHelpdesMgmtJs.test_unit_desktop
    )
