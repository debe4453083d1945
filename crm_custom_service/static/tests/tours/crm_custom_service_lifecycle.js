import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The lifecycle of a service across the roles (S1-S5), one tour per login:
// a customer manager creates it, a sales manager assigns it, the assignee
// handles it, the customer manager records the customer's feedback, which
// archives it.
const SERVICE = "Tour service: printer jams";

function currentStep(name) {
    return {
        content: `The service is in step ${name}`,
        trigger: `.o_statusbar_status .o_arrow_button_current:contains("${name}")`,
    };
}

function openService(column) {
    return [
        {
            content: "Wait for the services",
            trigger: `.o_kanban_group:has(.o_column_title:contains("${column}")) .o_kanban_record:contains("${SERVICE}")`,
            run: "click",
        },
        {
            content: "The service form is open",
            trigger: ".o_form_view .o_statusbar_status",
        },
    ];
}

function confirmDialog() {
    return [
        {
            content: "Confirm the step",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
    ];
}

registry.category("web_tour.tours").add("crm_custom_service_lifecycle_create", {
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
            content: "Record a new service",
            trigger: ".o-kanban-button-new",
            run: "click",
        },
        {
            content: "Summary",
            trigger: ".o_field_widget[name=name] input",
            run: `edit ${SERVICE}`,
        },
        {
            content: "Service type",
            trigger: ".o_field_widget[name=service_type_id] input",
            run: "edit Complaint",
        },
        {
            content: "Pick the complaint type",
            trigger: ".o_field_widget[name=service_type_id] .o-autocomplete--dropdown-menu li:contains(Complaint)",
            run: "click",
        },
        {
            content: "Customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit 上海华东",
        },
        {
            content: "Pick the customer",
            trigger: ".o_field_widget[name=partner_id] .o-autocomplete--dropdown-menu li:contains(上海华东机电设备有限公司)",
            run: "click",
        },
        {
            content: "The customer's request",
            trigger: ".o_field_html[name=description] .odoo-editor-editable div.o-paragraph",
            run: "editor The office printer jams on every page.",
        },
        ...stepUtils.saveForm(),
        currentStep("Created"),
    ],
});

registry.category("web_tour.tours").add("crm_custom_service_lifecycle_assign", {
    url: "/odoo/crm-services",
    steps: () => [
        ...openService("Created"),
        {
            content: "Assign the service",
            trigger: '.o_statusbar_buttons button:contains("Assign")',
            run: "click",
        },
        {
            content: "Choose the assignee",
            trigger: ".modal .o_field_widget[name=user_id] input",
            run: "edit 李娜",
        },
        {
            content: "Pick 李娜",
            trigger: ".modal .o_field_widget[name=user_id] .o-autocomplete--dropdown-menu li:contains(李娜)",
            run: "click",
        },
        ...confirmDialog(),
        currentStep("Assigned"),
    ],
});

registry.category("web_tour.tours").add("crm_custom_service_lifecycle_handle", {
    url: "/odoo/crm-services",
    steps: () => [
        ...openService("Assigned"),
        {
            content: "Handle the service",
            trigger: '.o_statusbar_buttons button:contains("Handle")',
            run: "click",
        },
        {
            content: "How it was handled",
            trigger: ".modal .o_field_widget[name=handling_note] textarea",
            run: "edit Cleaned the feed rollers and tested 50 pages.",
        },
        ...confirmDialog(),
        currentStep("Handled"),
    ],
});

registry.category("web_tour.tours").add("crm_custom_service_lifecycle_feedback", {
    url: "/odoo/crm-services",
    steps: () => [
        ...openService("Handled"),
        {
            content: "Record the customer's feedback",
            trigger: '.o_statusbar_buttons button:contains("Feedback")',
            run: "click",
        },
        {
            content: "Satisfied: 4",
            trigger: '.modal .o_field_widget[name=satisfaction] input[data-value="4"]',
            run: "click",
        },
        {
            content: "The result",
            trigger: ".modal .o_field_widget[name=feedback_result] textarea",
            run: "edit The printer works again.",
        },
        ...confirmDialog(),
        currentStep("Archived"),
        {
            content: "An archived service is read only",
            trigger: ".o_form_view .o_field_widget[name=name]:not(:has(input))",
        },
    ],
});
