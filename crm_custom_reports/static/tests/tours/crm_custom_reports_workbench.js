import { registry } from "@web/core/registry";
import { openCrmMenu } from "./utils/phone_menu_util";

// R10: a customer manager opens the workbench 工作台 on a phone (the first
// entry of CRM > Customers) and follows the tile of the services assigned
// to her.
const SERVICE = "投诉售后响应慢";

registry.category("web_tour.tours").add("crm_custom_reports_workbench_phone", {
    url: "/odoo",
    steps: () => [
        ...openCrmMenu("crm_custom_reports.menu_crm_workbench"),
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
