import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// X7: the customer pool of a customer manager, in the language of her
// preferences. The steps find the screen by menu and field names; only the
// checks read the words, in Chinese for one tour and English for the other.
function poolSteps(words) {
    return () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the CRM app",
            trigger: '.o_app[data-menu-xmlid="crm.crm_menu_root"]',
            run: "click",
        },
        {
            content: `The menu reads ${words.customers}`,
            trigger: `.o_main_navbar [data-menu-xmlid="crm_custom.menu_crm_customers_root"]:contains("${words.customers}")`,
            run: "click",
        },
        {
            content: "Open the customer pool",
            trigger: '.dropdown-item[data-menu-xmlid="crm_custom.menu_crm_customer_pool"]',
            run: "click",
        },
        {
            content: `The screen is called ${words.pool}`,
            trigger: `.o_breadcrumb:contains("${words.pool}")`,
        },
        {
            content: `The rows offer ${words.claim}`,
            trigger: `.o_data_row button[name="action_open_pool_claim_wizard"]:contains("${words.claim}")`,
        },
    ];
}

registry.category("web_tour.tours").add("crm_custom_x7_pool_zh_cn", {
    url: "/odoo",
    steps: poolSteps({ customers: "客户", pool: "客户池", claim: "领取" }),
});

registry.category("web_tour.tours").add("crm_custom_x7_pool_en_us", {
    url: "/odoo",
    steps: poolSteps({ customers: "Customers", pool: "Customer Pool", claim: "Claim" }),
});
