import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// C9: a customer manager logs a phone follow-up with a next contact date
// from the My Customers cards, on a phone-sized window.
const CUSTOMER = "上海精工机械制造有限公司";
const FOLLOWUP = "电话跟进:确认年度备件预算";

registry.category("web_tour.tours").add("crm_custom_followup_phone", {
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
            content: "Open My Customers",
            trigger: '.o_app_menu_sidebar li[data-menu-xmlid="crm_custom.menu_crm_my_customers"]',
            run: "click",
        },
        {
            content: "Log a follow-up from the customer's card",
            trigger: `.o_kanban_view .o_kanban_record:contains("${CUSTOMER}") button[name=action_crm_log_followup]`,
            run: "click",
        },
        {
            content: "The channel is a tap away",
            trigger: ".modal .o_field_widget[name=channel_id] .o_selection_badge:contains('Phone')",
            run: "click",
        },
        {
            content: "What was said",
            trigger: ".modal .o_field_widget[name=summary] input",
            run: `edit ${FOLLOWUP}`,
        },
        {
            content: "When to call again",
            trigger: ".modal .o_field_widget[name=next_contact_date] input",
            run: "edit 12/01/2030",
        },
        {
            content: "Save the follow-up",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog closed",
            trigger: `body:not(:has(.modal)) .o_kanban_view .o_kanban_record:contains("${CUSTOMER}")`,
        },
    ],
});

// C8: another customer manager is refused a duplicate of that customer,
// after a warning on the form.
registry.category("web_tour.tours").add("crm_custom_duplicate_refused", {
    url: "/odoo/action-crm_custom.action_crm_my_customers/new",
    steps: () => [
        {
            content: "Type the name of an existing customer, written differently",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit 上海精工机械制造（中国）股份有限公司",
        },
        {
            content: "Leave the name field",
            trigger: ".o_form_view .o_field_widget[name=phone] input",
            run: "click",
        },
        {
            content: "The form warns of a possible duplicate",
            trigger: ".o_form_view .alert[name=crm_duplicate_warning]:contains('customer manager')",
        },
        {
            content: "Try to save anyway",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Refused, naming who holds the customer",
            trigger: ".modal:contains('already exists'):contains('customer manager')",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Back on the form",
            trigger: "body:not(:has(.modal)) .o_form_view",
        },
        ...stepUtils.discardForm(),
    ],
});
