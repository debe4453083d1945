import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// C1-C3: a customer manager creates a customer with a contact and an
// interaction record from the CRM Customers menu.
registry.category("web_tour.tours").add("crm_custom_customer_data", {
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
            content: "Open the customers",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom.menu_crm_customers"]',
            run: "click",
        },
        {
            content: "Create a customer",
            trigger: ".o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Name the customer",
            trigger: ".o_form_view .o_field_widget[name=name] :is(input, textarea)",
            run: "edit 华东测试机械有限公司",
        },
        {
            content: "Set the postcode",
            trigger: ".o_form_view .o_field_widget[name=zip] input",
            run: "edit 200120",
        },
        {
            content: "Open the customer data",
            trigger: '.o_notebook .nav-link[name="customer_data"]',
            run: "click",
        },
        {
            content: "Type the source",
            trigger: ".o_field_widget[name=customer_source_id] input",
            run: "edit Telemarketing",
        },
        {
            content: "Pick the source",
            trigger: '.o-autocomplete--dropdown-menu .dropdown-item:contains("Telemarketing")',
            run: "click",
        },
        {
            content: "Open the contacts",
            trigger: '.o_notebook .nav-link[name="contact_addresses"]',
            run: "click",
        },
        {
            content: "Add a contact",
            trigger: "div[name=child_ids] .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Contact name",
            trigger: ".modal .o_field_widget[name=name] input",
            run: "edit 陈立明",
        },
        {
            content: "Contact gender",
            trigger: ".modal .o_field_widget[name=gender] select",
            run: 'select "male"',
        },
        {
            content: "Contact position",
            trigger: ".modal .o_field_widget[name=function] input",
            run: "edit 采购经理",
        },
        {
            content: "Contact office phone",
            trigger: ".modal .o_field_widget[name=phone] input",
            run: "edit 021-58881234",
        },
        {
            content: "Contact mobile",
            trigger: ".modal .o_field_widget[name=mobile] input",
            run: "edit 13812345678",
        },
        {
            content: "Save the contact",
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "The contact is listed",
            trigger: 'div[name=child_ids] .o_kanban_record:contains("陈立明")',
        },
        {
            content: "Open the interaction records",
            trigger: '.o_notebook .nav-link[name="interactions"]',
            run: "click",
        },
        {
            content: "Add an interaction record",
            trigger: "div[name=interaction_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Summary of the interaction",
            trigger: "div[name=interaction_ids] .o_data_row .o_field_widget[name=summary] input",
            run: "edit 首次拜访,了解采购需求",
        },
        {
            content: "Place of the interaction",
            trigger: "div[name=interaction_ids] .o_data_row .o_field_widget[name=place] input",
            run: "edit 客户会议室",
        },
        {
            content: "Save the customer",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The customer is saved",
            trigger: '.o_breadcrumb .active:contains("华东测试机械有限公司")',
        },
        {
            content: "with its interaction record",
            trigger: 'div[name=interaction_ids] .o_data_row:contains("首次拜访")',
        },
    ],
});
