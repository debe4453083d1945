import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("crm_custom_service_open_services", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the CRM app",
            trigger: '.o_app[data-menu-xmlid="crm.crm_menu_root"]',
            run: "click",
        },
        {
            content: "Open the Services menu",
            trigger: '.o_main_navbar [data-menu-xmlid="crm_custom_service.menu_crm_services_root"]',
            run: "click",
        },
        {
            content: "Open the services",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom_service.menu_crm_services"]',
            run: "click",
        },
        {
            content: "The services are shown",
            trigger: '.o_breadcrumb:contains("Services")',
        },
    ],
});
