import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// C10: in 简体中文, a customer manager creates a customer and picks its
// province 省, then a city 市/区 of that province from the lists of Odoo's
// China localization; the region 地区 follows from the province.
registry.category("web_tour.tours").add("crm_custom_china_address", {
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
            // the first form in a new language may take a while on a busy machine
            timeout: 30000,
            run: "edit 苏州吴中精密机械有限公司",
        },
        {
            content: "Type the province",
            trigger: ".o_form_view .o_field_widget[name=state_id] input",
            run: "edit 江苏",
        },
        {
            content: "Pick the province 江苏省",
            trigger: '.o-autocomplete--dropdown-menu .dropdown-item:contains("江苏省")',
            run: "click",
        },
        {
            content: "The city list of China shows up",
            trigger: ".o_form_view .o_field_widget[name=city_id] input",
        },
        {
            content: "Type the city",
            trigger: ".o_form_view .o_field_widget[name=city_id] input",
            run: "edit 苏州市",
        },
        {
            content: "Only cities of Jiangsu are offered",
            trigger: '.o-autocomplete--dropdown-menu:not(:has(.dropdown-item:contains("杭州"))) .dropdown-item:contains("苏州市吴中区")',
        },
        {
            content: "Pick 苏州市吴中区",
            trigger: '.o-autocomplete--dropdown-menu .dropdown-item:contains("苏州市吴中区")',
            run: "click",
        },
        {
            content: "The postcode comes with the city",
            trigger: '.o_form_view .o_field_widget[name=zip] input:value("215100")',
        },
        {
            content: "Open the customer data",
            trigger: '.o_notebook .nav-link[name="customer_data"]',
            run: "click",
        },
        {
            content: "Save the customer",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The region follows from the province: 华东",
            trigger: '.o_form_view .o_field_widget[name=region_id]:contains("华东")',
        },
        {
            content: "The customer is saved with its customer code",
            trigger: '.o_form_view .o_field_widget[name=customer_code]:contains("KH")',
        },
    ],
});
