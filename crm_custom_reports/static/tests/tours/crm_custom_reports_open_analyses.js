import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// An executive opens the dashboard, then every analysis (R1-R7).
registry.category("web_tour.tours").add("crm_custom_reports_open_analyses", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Customer Analyses app",
            trigger: '.o_app[data-menu-xmlid="crm_custom_reports.menu_crm_analyses_root"]',
            run: "click",
        },
        {
            content: "The dashboard opens on the customer analyses",
            trigger: ".o_spreadsheet_dashboard_action .o-figure",
        },
        {
            content: "Its charts are drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-figure canvas",
        },
        {
            content: "Open the analyses menu",
            trigger: '.o_main_navbar [data-menu-xmlid="crm_custom_reports.menu_crm_analyses"]',
            run: "click",
        },
        {
            content: "Open Customer Contribution",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom_reports.menu_crm_customer_contribution_report"]',
            run: "click",
        },
        {
            content: "Customer Contribution opens",
            trigger: '.o_breadcrumb:contains("Customer Contribution")',
        },
        {
            content: "Customer Contribution shows its default view",
            trigger: ".o_pivot_view",
        },
        {
            content: "Open the analyses menu",
            trigger: '.o_main_navbar [data-menu-xmlid="crm_custom_reports.menu_crm_analyses"]',
            run: "click",
        },
        {
            content: "Open Customer Composition",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom_reports.menu_crm_customer_composition_report"]',
            run: "click",
        },
        {
            content: "Customer Composition opens",
            trigger: '.o_breadcrumb:contains("Customer Composition")',
        },
        {
            content: "Customer Composition shows its default view",
            trigger: ".o_pivot_view",
        },
        {
            content: "Open the analyses menu",
            trigger: '.o_main_navbar [data-menu-xmlid="crm_custom_reports.menu_crm_analyses"]',
            run: "click",
        },
        {
            content: "Open Customer Services",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom_reports.menu_crm_customer_service_report"]',
            run: "click",
        },
        {
            content: "Customer Services opens",
            trigger: '.o_breadcrumb:contains("Customer Services")',
        },
        {
            content: "Customer Services shows its default view",
            trigger: ".o_pivot_view",
        },
        {
            content: "Open the analyses menu",
            trigger: '.o_main_navbar [data-menu-xmlid="crm_custom_reports.menu_crm_analyses"]',
            run: "click",
        },
        {
            content: "Open Customer Churn",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom_reports.menu_crm_customer_churn_report"]',
            run: "click",
        },
        {
            content: "Customer Churn opens",
            trigger: '.o_breadcrumb:contains("Customer Churn")',
        },
        {
            content: "Customer Churn shows its default view",
            trigger: ".o_list_view",
        },
        {
            content: "Open the analyses menu",
            trigger: '.o_main_navbar [data-menu-xmlid="crm_custom_reports.menu_crm_analyses"]',
            run: "click",
        },
        {
            content: "Open Customer Value, Source and Region",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom_reports.menu_crm_customer_value_report"]',
            run: "click",
        },
        {
            content: "Customer Value, Source and Region opens",
            trigger: '.o_breadcrumb:contains("Customer Value, Source and Region")',
        },
        {
            content: "Customer Value, Source and Region shows its default view",
            trigger: ".o_pivot_view",
        },
        {
            content: "Open the analyses menu",
            trigger: '.o_main_navbar [data-menu-xmlid="crm_custom_reports.menu_crm_analyses"]',
            run: "click",
        },
        {
            content: "Open Sales Performance",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom_reports.menu_crm_sales_performance_report"]',
            run: "click",
        },
        {
            content: "Sales Performance opens",
            trigger: '.o_breadcrumb:contains("Sales Performance")',
        },
        {
            content: "Sales Performance shows its default view",
            trigger: ".o_pivot_view",
        },
        {
            content: "Open the analyses menu",
            trigger: '.o_main_navbar [data-menu-xmlid="crm_custom_reports.menu_crm_analyses"]',
            run: "click",
        },
        {
            content: "Open Customer Pool Statistics",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom_reports.menu_crm_customer_pool_report"]',
            run: "click",
        },
        {
            content: "Customer Pool Statistics opens",
            trigger: '.o_breadcrumb:contains("Customer Pool Statistics")',
        },
        {
            content: "Customer Pool Statistics shows its default view",
            trigger: ".o_pivot_view",
        },
        {
            content: "Open the customer management report",
            trigger: '.o_main_navbar [data-menu-xmlid="crm_custom_reports.menu_crm_analyses_reporting"]',
            run: "click",
        },
        {
            content: "Choose the period",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom_reports.menu_crm_customer_management_report"]',
            run: "click",
        },
        {
            content: "The period wizard opens",
            trigger: '.modal .o_field_widget[name="date_from"]',
        },
        {
            content: "Close it",
            trigger: ".modal .o_form_button_cancel, .modal button:contains(Cancel)",
            run: "click",
        },
        {
            content: "The wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
