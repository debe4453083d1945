import { registry } from "@web/core/registry";
import { openAppMenu, openCrmMenu } from "./utils/phone_menu_util";

// X2: the main flows of a customer manager on a phone (375 x 667, touch),
// through the phone's app menu: claim a customer from the pool, log an
// interaction record on a customer, handle a service assigned to her.
// Multi-record screens open as cards (kanban) on a phone; the status bar
// buttons of a form move into its gear menu.

const POOL_CUSTOMER = "芜湖长江建材有限公司";

registry.category("web_tour.tours").add("crm_custom_reports_x2_phone_pool_claim", {
    url: "/odoo",
    steps: () => [
        ...openCrmMenu("crm_custom.menu_crm_customer_pool"),
        {
            content: "The pool shows as cards on a phone",
            trigger: `.o_kanban_view .o_kanban_record:contains("${POOL_CUSTOMER}")`,
        },
        {
            content: "Claim the customer from its card",
            trigger: `.o_kanban_record:contains("${POOL_CUSTOMER}") button[name=action_open_pool_claim_wizard]`,
            run: "click",
        },
        {
            content: "Confirm the claim",
            trigger: `.modal:contains("${POOL_CUSTOMER}") button[name=action_confirm]`,
            run: "click",
        },
        {
            content: "The customer left the pool",
            trigger: `.o_kanban_view:not(:has(.o_kanban_record:contains("${POOL_CUSTOMER}")))`,
        },
        ...openAppMenu("crm_custom.menu_crm_my_customers"),
        {
            content: "The claimed customer is mine now",
            trigger: `.o_kanban_view .o_kanban_record:contains("${POOL_CUSTOMER}")`,
        },
    ],
});

const CUSTOMER = "上海精工机械制造有限公司";
const INTERACTION = "手机记录:确认备件交期";

registry.category("web_tour.tours").add("crm_custom_reports_x2_phone_interaction", {
    url: "/odoo",
    steps: () => [
        ...openCrmMenu("crm_custom.menu_crm_my_customers"),
        {
            content: "Open the customer from its card",
            trigger: `.o_kanban_view .o_kanban_record:contains("${CUSTOMER}")`,
            run: "click",
        },
        {
            content: "Open the interaction records",
            trigger: ".o_form_view .o_notebook .nav-link[name=interactions]",
            run: "click",
        },
        {
            content: "The interaction records show as cards",
            trigger: "div[name=interaction_ids] .o_kanban_record:contains('年度备件采购需求沟通')",
        },
        {
            content: "Add an interaction record",
            trigger: "div[name=interaction_ids] .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Its summary",
            trigger: ".modal .o_field_widget[name=summary] input",
            run: `edit ${INTERACTION}`,
        },
        {
            content: "Where it happened",
            trigger: ".modal .o_field_widget[name=place] input",
            run: "edit 电话",
        },
        {
            content: "Keep it",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The new record is among the cards",
            trigger: `body:not(:has(.modal)) div[name=interaction_ids] .o_kanban_record:contains("${INTERACTION}")`,
        },
        {
            content: "Save the customer",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The customer is saved",
            trigger: `.o_form_saved div[name=interaction_ids] .o_kanban_record:contains("${INTERACTION}")`,
        },
    ],
});

const SERVICE = "投诉售后响应慢";

// The status bar folds its steps into a dropdown when they do not fit the
// width: the current step is then the label of that dropdown.
function currentStep(name, scope = "") {
    return [
        `${scope} .o_statusbar_status .o_arrow_button_current:contains("${name}")`,
        `${scope} .o_statusbar_status > button:last-child:contains("${name}")`,
    ].join(", ");
}

registry.category("web_tour.tours").add("crm_custom_reports_x2_phone_service_handle", {
    url: "/odoo",
    steps: () => [
        ...openCrmMenu("crm_custom_service.menu_crm_services_mine"),
        {
            content: "Open the service assigned to me from its card",
            trigger: `.o_kanban_view .o_kanban_record:contains("${SERVICE}")`,
            run: "click",
        },
        {
            content: "The service is assigned",
            trigger: currentStep("Assigned"),
        },
        {
            content: "Open the actions of the form (its gear menu on a phone)",
            trigger: ".o_control_panel .o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            content: "Handle the service",
            trigger: '.o-dropdown--menu button:contains("Handle")',
            run: "click",
        },
        {
            content: "How it was handled",
            trigger: ".modal .o_field_widget[name=handling_note] textarea",
            run: "edit 已电话回复客户,并安排售后专线两小时内响应。",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The service is handled",
            trigger: currentStep("Handled", "body:not(:has(.modal))"),
        },
    ],
});
