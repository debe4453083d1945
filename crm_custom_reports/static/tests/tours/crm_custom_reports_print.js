import { registry } from "@web/core/registry";

// R7: the executive groups the sales performance by customer manager and
// year, and prints it: the preview shows the groups with their totals.
registry.category("web_tour.tours").add("crm_custom_reports_print_analysis", {
    url: "/odoo/action-crm_custom_reports.action_crm_sales_performance_report",
    steps: () => [
        {
            content: "The sales performance opens as a pivot grouped by customer manager",
            trigger: ".o_pivot_view .o_pivot table tbody .o_pivot_header_cell_closed",
        },
        {
            content: "Open the gear menu",
            trigger: ".o_control_panel .o_cp_action_menus button",
            run: "click",
        },
        {
            content: "Print what the pivot shows",
            trigger: ".o_crm_print_analysis",
            run: "click",
        },
        {
            content: "The preview opens",
            trigger: ".o_action_manager .o_action iframe",
        },
        {
            content: "The preview shows the groups and their total",
            trigger: ":iframe .o_crm_analysis_table .o_crm_analysis_total",
            // The first report compiles its assets.
            timeout: 60000,
        },
    ],
});
