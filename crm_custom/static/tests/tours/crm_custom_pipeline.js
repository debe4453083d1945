import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// Odoo's pipeline and lead conversion with the development process (O10,
// O11): the assigned customer manager drags the card of her opportunity to
// the next stage; a sales manager converts a lead with Odoo's wizard.

registry.category("web_tour.tours").add("crm_custom_pipeline_drag", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the CRM app: it opens on my pipeline",
            trigger: '.o_app[data-menu-xmlid="crm.crm_menu_root"]',
            run: "click",
        },
        {
            content: "Drag my opportunity to the next stage",
            trigger:
                ".o_opportunity_kanban .o_kanban_group:eq(0) .o_kanban_record:contains('Tour Drag Cabinets')",
            run: "drag_and_drop (.o_opportunity_kanban .o_kanban_group:eq(1))",
            timeout: 30000,
        },
        {
            content: "The card is in the next stage",
            trigger:
                ".o_opportunity_kanban .o_kanban_group:eq(1) .o_kanban_record:contains('Tour Drag Cabinets')",
        },
        {
            content: "No error was shown",
            trigger: "body:not(:has(.o_error_dialog)):not(:has(.o_notification.border-danger))",
        },
    ],
});

registry.category("web_tour.tours").add("crm_custom_lead_convert", {
    steps: () => [
        {
            content: "Convert the lead to an opportunity",
            trigger: ".o_form_view .o_statusbar_buttons button[data-hotkey='v']",
            run: "click",
            timeout: 30000,
        },
        {
            content: "Choose the customer manager",
            trigger: ".modal .o_field_widget[name=user_id] input",
            run: "edit 李娜",
        },
        {
            content: "Pick her",
            trigger: ".o-autocomplete--dropdown-item:contains('李娜')",
            run: "click",
        },
        {
            content: "Create the opportunity",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "It is an opportunity now",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_set_won_rainbowman]",
            timeout: 30000,
        },
    ],
});
