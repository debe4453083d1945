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
    "depends": ["crm_custom", "crm_custom_service", "spreadsheet_dashboard"],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_custom_reports_security.xml",
        "report/crm_customer_contribution_report_views.xml",
        "report/crm_customer_composition_report_views.xml",
        "report/crm_customer_service_report_views.xml",
        "report/crm_customer_churn_report_views.xml",
        "report/crm_customer_value_report_views.xml",
        "report/crm_sales_performance_report_views.xml",
        "report/crm_customer_pool_report_views.xml",
        "report/crm_followup_report_views.xml",
        "security/crm_followup_report_security.xml",
        "report/crm_customer_management_report_templates.xml",
        "wizard/crm_customer_management_report_wizard_views.xml",
        "views/res_config_settings_views.xml",
        "data/ir_cron_data.xml",
        "data/spreadsheet_dashboard_data.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/sale_order_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_custom_reports/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
    "application": True,
    "installable": True,
}
