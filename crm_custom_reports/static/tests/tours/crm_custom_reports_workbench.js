import { registry } from "@web/core/registry";

// R10: a customer manager opens the workbench 工作台 on a phone (the first
// entry of CRM > Customers) and follows the tile of the services assigned
// to her.
const SERVICE = "投诉售后响应慢";

registry.category("web_tour.tours").add("crm_custom_reports_workbench_phone", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the phone's app menu",
            trigger: "body:not(:has(.o_app_menu_sidebar)) .o_main_navbar .o_menu_toggle",
            run: "click",
        },
        {
            content: "Show all apps",
            trigger: ".o_app_menu_sidebar .o_sidebar_topbar a.btn-primary",
            run: "click",
        },
        {
            content: "Open the CRM app",
            trigger: '.o_app_menu_sidebar .o_app[data-menu-xmlid="crm.crm_menu_root"]',
            run: "click",
        },
        {
            content: "Open the phone's app menu again",
            trigger: "body:not(:has(.o_app_menu_sidebar)) .o_main_navbar .o_menu_toggle",
            run: "click",
        },
        {
            content: "Open the workbench",
            trigger: '.o_app_menu_sidebar li[data-menu-xmlid="crm_custom_reports.menu_crm_workbench"]',
            run: "click",
        },
        {
            content: "The tiles show as cards with their counts",
            trigger: ".o_kanban_view .o_kanban_record:has([data-tile-code=activity_today])",
        },
        {
            content: "Follow the tile of the services assigned to me",
            trigger: ".o_kanban_record:has([data-tile-code=service_assigned])",
            run: "click",
        },
        {
            content: "The assigned service is listed",
            trigger: `.o_kanban_view .o_kanban_record:contains("${SERVICE}")`,
        },
    ],
});
