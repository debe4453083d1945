from odoo.tests import TransactionCase, new_test_user


class CrmCustomCommon(TransactionCase):
    """Users for each role of the spec, created fresh so that tests do not
    depend on demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.sales_manager = new_test_user(
            cls.env,
            login="test_sales_manager",
            name="Test Sales Manager",
            groups="base.group_user,crm_custom.group_sales_manager",
        )
        cls.customer_manager = new_test_user(
            cls.env,
            login="test_customer_manager",
            name="Test Customer Manager",
            groups="base.group_user,crm_custom.group_customer_manager",
        )
        cls.customer_manager_2 = new_test_user(
            cls.env,
            login="test_customer_manager_2",
            name="Test Customer Manager 2",
            groups="base.group_user,crm_custom.group_customer_manager",
        )
        cls.executive = new_test_user(
            cls.env,
            login="test_executive",
            name="Test Executive",
            groups="base.group_user,crm_custom.group_executive",
        )
        cls.internal_user = new_test_user(
            cls.env,
            login="test_internal_user",
            name="Test Internal User",
            groups="base.group_user",
        )
