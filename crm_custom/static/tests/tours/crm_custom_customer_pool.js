import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// P2: a customer manager claims a customer from the pool, with the
// confirmation, and finds it in My Customers.
registry.category("web_tour.tours").add("crm_custom_customer_pool_claim", {
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
            content: "Open the customer pool",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom.menu_crm_customer_pool"]',
            run: "click",
        },
        {
            content: "Contact details are masked in the pool",
            trigger: '.o_data_row:contains("温州华美鞋业有限公司")',
        },
        {
            content: "Claim the customer",
            trigger: '.o_data_row:contains("温州华美鞋业有限公司") button[name="action_open_pool_claim_wizard"]',
            run: "click",
        },
        {
            content: "Confirm the claim",
            trigger: '.modal:contains("温州华美鞋业有限公司") .modal-footer button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The customer left the pool",
            trigger: '.o_list_view:not(:has(.o_data_row:contains("温州华美鞋业有限公司")))',
        },
        {
            content: "Open the Customers menu again",
            trigger: '.o_main_navbar [data-menu-xmlid="crm_custom.menu_crm_customers_root"]',
            run: "click",
        },
        {
            content: "Open My Customers",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom.menu_crm_my_customers"]',
            run: "click",
        },
        {
            content: "The claimed customer is mine now",
            trigger: '.o_data_row:contains("温州华美鞋业有限公司")',
        },
    ],
});
