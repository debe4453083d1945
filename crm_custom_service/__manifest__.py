# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Customer Services",
    "summary": "Customer services 客户服务 on OCA helpdesk tickets: service types, "
    "the assign / handle / feedback / archive lifecycle, field dispatch",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM Custom Authors",
    "website": "https://github.com/crm-custom/crm_custom",
    "depends": ["crm_custom", "helpdesk_mgmt"],
    "data": [
        "security/crm_custom_service_security.xml",
        "security/ir.model.access.csv",
        "views/helpdesk_ticket_views.xml",
        "views/menus.xml",
    ],
    "demo": [],
    "assets": {
        "web.assets_tests": [
            "crm_custom_service/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
