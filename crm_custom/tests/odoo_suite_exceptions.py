"""The tests of Odoo's own suites (crm, sale_crm, sale, sale_stock) that our
suite does not run, each with its reason (X6). The conftest.py at the top
of the repository deselects them.

REQUIREMENT: at most 5 tests that assert exactly what a requirement of
REQUIREMENTS.md changes, each with the requirement ID.

FAIL_WITHOUT_ADDONS: tests that fail in the same environment without the
three addons (pytest-odoo on a demo database with crm, sale_crm and
sale_stock installed): see README.md, "Odoo's own test suites", for how to
check that they still fail there, so that this list hides no regression.

NOT_RUN: tests of Odoo that need apps this product does not install (Odoo
skips them; a skipped test fails our suite).

Keys are the pytest node ids relative to crm_custom/tests/.
"""

REQUIREMENT = {
    "test_odoo_crm.py::TestLeadConvertMass::test_mass_convert_performances": (
        "O11, P1: counts the queries of Odoo's mass conversion (at most 1803); "
        "with the addons the conversion also looks for an existing company of "
        "the customer name (no duplicate customer), brings the opportunities "
        "into the development process and gives the new customers their "
        "owner and pool data: 2063 queries in the last run"
    ),
}

FAIL_WITHOUT_ADDONS = {
    "test_odoo_crm.py::TestCRMLead::test_crm_lead_partner_sync_email_phone": (
        "fails without the addons: phone formatting depends on the demo "
        "company's country"
    ),
    "test_odoo_crm.py::TestCRMLead::test_crm_lead_partner_sync_email_phone_corner_cases": (  # noqa: E501
        "fails without the addons: phone formatting depends on the demo "
        "company's country"
    ),
    "test_odoo_crm.py::TestCRMLead::test_crm_lead_update_contact": (
        "fails without the addons on a demo database"
    ),
    "test_odoo_crm.py::TestCRMLead::test_phone_mobile_update": (
        "fails without the addons: phone formatting depends on the demo "
        "company's country"
    ),
    "test_odoo_crm.py::TestCRMLead_CrmLeadDuplicates::test_assert_initial_values": (
        "fails without the addons: expects a database without demo leads"
    ),
    "test_odoo_sale.py::TestSaleFlow::test_qty_delivered": (
        "fails without the addons on a demo database"
    ),
}

NOT_RUN = {
    "test_odoo_sale.py::TestSaleToInvoice::test_partial_invoicing_interaction_with_invoicing_switch_threshold": (  # noqa: E501
        "needs account_accountant (Odoo Enterprise): Odoo skips it in Community, "
        "and a skipped test fails our suite"
    ),
}

DESELECTED = {**REQUIREMENT, **FAIL_WITHOUT_ADDONS, **NOT_RUN}
