# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Customers for Chinese B2B Teams",
    "summary": "Customer pool, customer data, development plans and churn "
    "warnings on top of Odoo CRM",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM Custom Authors",
    "website": "https://github.com/crm-custom/crm_custom",
    "depends": ["crm", "sale_management", "stock"],
    "data": [
        "security/crm_custom_security.xml",
        "security/ir.model.access.csv",
        "views/res_partner_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_custom/static/tests/tours/**/*",
        ],
    },
    "application": False,
    "installable": True,
}
