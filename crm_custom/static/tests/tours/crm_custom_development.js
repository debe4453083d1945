import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The development of an opportunity (JB-RM-CRM 3.1), one tour per role:
// a customer manager creates it, a sales manager assigns it, the customer
// manager plans, records the result and declares the success.

function openDevelopmentMenu(menuXmlid, title) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the CRM app",
            trigger: '.o_app[data-menu-xmlid="crm.crm_menu_root"]',
            run: "click",
        },
        {
            content: "Open the Development menu",
            trigger: '.o_main_navbar [data-menu-xmlid="crm_custom.menu_crm_development_root"]',
            run: "click",
        },
        {
            content: `Open ${title}`,
            trigger: `.dropdown-item[data-menu-xmlid="${menuXmlid}"]`,
            run: "click",
        },
        {
            content: `${title} are shown`,
            trigger: `.o_breadcrumb:contains("${title}")`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_custom_development_create", {
    url: "/odoo",
    steps: () => [
        ...openDevelopmentMenu("crm_custom.menu_crm_development_opportunities", "Opportunities"),
        {
            content: "Create an opportunity",
            trigger: ".o-kanban-button-new",
            run: "click",
        },
        {
            content: "Summary",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour: 50 office desks",
        },
        {
            content: "Customer name",
            trigger: ".o_field_widget[name=partner_name] input",
            run: "edit Tour Furniture Ltd",
        },
        {
            content: "Success probability",
            trigger: ".o_field_widget[name=probability] input",
            run: "edit 40",
        },
        {
            content: "Contact",
            trigger: ".o_field_widget[name=contact_name] input",
            run: "edit Tour Contact",
        },
        {
            content: "Contact phone",
            trigger: ".o_field_widget[name=phone] input",
            run: "edit 13900001234",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The opportunity is saved, unassigned",
            trigger: ".o_form_saved .o_statusbar_status button.o_arrow_button_current:contains('Unassigned')",
        },
    ],
});

registry.category("web_tour.tours").add("crm_custom_development_assign", {
    url: "/odoo",
    steps: () => [
        ...openDevelopmentMenu(
            "crm_custom.menu_crm_development_unassigned",
            "Unassigned Opportunities"
        ),
        {
            content: "Open the opportunity",
            trigger: ".o_data_row:contains('Tour Furniture Ltd') .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "Assign it",
            trigger: "button[name=action_open_assign_wizard]",
            run: "click",
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
            content: "Confirm the assignment",
            trigger: ".modal button[name=action_assign]",
            run: "click",
        },
        {
            content: "The opportunity is in development",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('In Development')",
        },
        {
            content: "Assigned to the customer manager",
            trigger: ".o_field_widget[name=user_id]:contains('李娜')",
        },
    ],
});

registry.category("web_tour.tours").add("crm_custom_development_plan", {
    url: "/odoo",
    steps: () => [
        ...openDevelopmentMenu("crm_custom.menu_crm_development_my_plans", "My Development Plans"),
        {
            content: "Open the assigned opportunity",
            trigger: ".o_data_row:contains('Tour Furniture Ltd') .o_data_cell[name=name]",
            run: "click",
        },
        {
            content: "Add a plan item",
            trigger: "div[name=plan_item_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Its date",
            trigger: "div[name=plan_item_ids] .o_selected_row .o_field_widget[name=date] input",
            run: "edit 03/02/2026",
        },
        {
            content: "Its content",
            trigger: "div[name=plan_item_ids] .o_selected_row .o_field_widget[name=content] textarea",
            run: "edit Visit the customer with samples",
        },
        {
            content: "Save the plan",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The item is saved",
            trigger: ".o_form_saved div[name=plan_item_ids] .o_data_row:contains('Visit the customer with samples')",
        },
        {
            content: "Open the item to record its result",
            trigger: "div[name=plan_item_ids] .o_data_row .o_data_cell[name=result]",
            run: "click",
        },
        {
            content: "The date of an existing item is read only",
            trigger: "div[name=plan_item_ids] .o_selected_row .o_field_widget[name=date].o_readonly_modifier",
        },
        {
            content: "Record the result",
            trigger: "div[name=plan_item_ids] .o_selected_row .o_field_widget[name=result] textarea",
            run: "edit The customer agreed to order",
        },
        {
            content: "Save the result",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The result is saved",
            trigger: ".o_form_saved div[name=plan_item_ids] .o_data_row:contains('The customer agreed to order')",
        },
        {
            content: "Declare the development successful",
            trigger: "button[name=action_open_development_success]",
            run: "click",
        },
        {
            content: "The contact's gender",
            trigger: ".modal .o_field_widget[name=contact_gender] select",
            run: "selectByIndex 1",
        },
        {
            content: "The contact's job position",
            trigger: ".modal .o_field_widget[name=contact_function] input",
            run: "edit Purchasing Manager",
        },
        {
            content: "Confirm: the customer is created",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The development succeeded",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Success')",
        },
        {
            content: "The customer is linked",
            trigger: ".o_field_widget[name=partner_id]:contains('Tour Furniture Ltd')",
        },
    ],
});
