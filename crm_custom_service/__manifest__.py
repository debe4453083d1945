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
    "depends": ["crm_custom", "helpdesk_mgmt", "document_page"],
    "data": [
        "security/crm_custom_service_security.xml",
        "security/ir.model.access.csv",
        "data/crm_dictionary_item_data.xml",
        "data/helpdesk_ticket_stage_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "data/document_page_kb_data.xml",
        "wizard/crm_service_step_wizard_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_stage_views.xml",
        "views/crm_dictionary_item_views.xml",
        "views/res_partner_views.xml",
        "views/portal_templates.xml",
        "views/document_page_views.xml",
        "views/helpdesk_ticket_knowledge_views.xml",
        "views/portal_knowledge_templates.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/helpdesk_ticket_demo.xml",
        "demo/document_page_kb_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_custom_service/static/tests/tours/**/*",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
