from odoo.addons.sale.tests.test_access_rights import TestAccessRights  # noqa: F401
from odoo.addons.sale.tests.test_accrued_sale_orders import (
    TestAccruedSaleOrders,  # noqa: F401
)
from odoo.addons.sale.tests.test_common import TestSaleCommon  # noqa: F401
from odoo.addons.sale.tests.test_controllers import (
    TestAccessRightsControllers,  # noqa: F401
    TestSalesControllers,  # noqa: F401
    TestSaleSignature,  # noqa: F401
)
from odoo.addons.sale.tests.test_credit_limit import (
    TestSaleOrderCreditLimit,  # noqa: F401
)
from odoo.addons.sale.tests.test_onchange import TestSaleOnchanges  # noqa: F401
from odoo.addons.sale.tests.test_payment_flow import TestSalePayment  # noqa: F401
from odoo.addons.sale.tests.test_sale_flow import TestSaleFlow  # noqa: F401
from odoo.addons.sale.tests.test_sale_order import (
    TestSaleMailComposerUI,  # noqa: F401
    TestSaleOrder,  # noqa: F401
    TestSaleOrderInvoicing,  # noqa: F401
    TestSalesTeam,  # noqa: F401
)
from odoo.addons.sale.tests.test_sale_order_cancel import (
    TestSaleOrderCancel,  # noqa: F401
)
from odoo.addons.sale.tests.test_sale_order_discount import (
    TestSaleOrderDiscount,  # noqa: F401
)
from odoo.addons.sale.tests.test_sale_order_down_payment import (
    TestSaleOrderDownPayment,  # noqa: F401
)
from odoo.addons.sale.tests.test_sale_prices import TestSalePrices  # noqa: F401
from odoo.addons.sale.tests.test_sale_product_template import (
    TestSaleProductTemplate,  # noqa: F401
)
from odoo.addons.sale.tests.test_sale_refund import TestSaleRefund  # noqa: F401
from odoo.addons.sale.tests.test_sale_report import (
    TestSaleReportCurrencyRate,  # noqa: F401
)
from odoo.addons.sale.tests.test_sale_to_invoice import TestSaleToInvoice  # noqa: F401
