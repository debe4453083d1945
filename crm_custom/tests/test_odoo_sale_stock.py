from odoo.addons.sale_stock.tests.test_create_perf import TestPERF  # noqa: F401
from odoo.addons.sale_stock.tests.test_sale_order_dates import (
    TestSaleExpectedDate,  # noqa: F401
)
from odoo.addons.sale_stock.tests.test_sale_stock import TestSaleStock  # noqa: F401
from odoo.addons.sale_stock.tests.test_sale_stock_lead_time import (
    TestSaleStockLeadTime,  # noqa: F401
)
from odoo.addons.sale_stock.tests.test_sale_stock_report import (
    TestSaleStockInvoices,  # noqa: F401
    TestSaleStockReports,  # noqa: F401
)
