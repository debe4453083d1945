# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Customer Analyses",
    "summary": "Customer contribution, composition, service, churn, value and "
    "performance analyses 统计报表 with charts, Excel, PDF and a dashboard",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "license": "LGPL-3",
    "author": "CRM Custom Authors",
    "website": "https://github.com/crm-custom/crm_custom",
    "depends": ["crm_custom", "crm_custom_service"],
    "data": [
        "security/crm_custom_reports_security.xml",
        "security/ir.model.access.csv",
        "report/crm_customer_contribution_report_views.xml",
        "views/menus.xml",
    ],
    "demo": [],
    "assets": {
        "web.assets_tests": [
            "crm_custom_reports/static/tests/tours/**/*",
        ],
    },
    "application": True,
    "installable": True,
}
