import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

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
            content: "The contribution analysis opens as a pivot table",
            trigger: ".o_pivot_view",
        },
        {
            content: "Its title is shown",
            trigger: '.o_breadcrumb:contains("Customer Contribution")',
        },
    ],
});
