// The phone's app menu (375 x 667, touch): steps shared by the phone tours
// (X2, R10).

export function openCrmMenu(menuXmlid) {
    return [
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
        ...openAppMenu(menuXmlid),
    ];
}

export function openAppMenu(menuXmlid) {
    return [
        {
            content: "Open the phone's app menu again",
            trigger: "body:not(:has(.o_app_menu_sidebar)) .o_main_navbar .o_menu_toggle",
            run: "click",
        },
        {
            content: "Open the menu entry",
            trigger: `.o_app_menu_sidebar li[data-menu-xmlid="${menuXmlid}"]`,
            run: "click",
        },
    ];
}
