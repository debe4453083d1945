import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("crm_custom_open_customers", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the CRM app",
            trigger: '.o_app[data-menu-xmlid="crm.crm_menu_root"]',
            run: "click",
        },
        {
            content: "Open the Customers menu",
            trigger: '.o_main_navbar [data-menu-xmlid="crm_custom.menu_crm_customers_root"]',
            run: "click",
        },
        {
            content: "Open the customer list",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom.menu_crm_customers"]',
            run: "click",
        },
        {
            content: "The customers are shown",
            trigger: '.o_breadcrumb:contains("Customers")',
        },
    ],
});
