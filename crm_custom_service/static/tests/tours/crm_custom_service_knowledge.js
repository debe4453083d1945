import { registry } from "@web/core/registry";

// Knowledge base 知识库 (S8): a customer manager handling a complaint opens
// a suggested solution and marks it as the one that solved the service.
const SERVICE = "投诉售后响应慢";
const SOLUTION = "售后响应慢投诉的处理";

registry.category("web_tour.tours").add("crm_custom_service_knowledge_solution", {
    url: "/odoo/crm-services",
    steps: () => [
        {
            content: "Open the complaint assigned to me",
            trigger: `.o_kanban_record:contains("${SERVICE}")`,
            run: "click",
        },
        {
            content: "Open the knowledge base tab",
            trigger: '.o_form_view .o_notebook .nav-link:contains("Knowledge Base")',
            run: "click",
        },
        {
            content: "Open the suggested solution",
            trigger: `.o_field_widget[name=kb_suggestion_ids] .o_data_row:contains("${SOLUTION}") button[name=action_kb_open]`,
            run: "click",
        },
        {
            content: "The solution is open",
            trigger: `.o_form_view .o_field_widget[name=content]:contains("专人回电")`,
        },
        {
            content: "This solved it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_kb_solved_it]",
            run: "click",
        },
        {
            content: "Back on the service: its knowledge base tab",
            trigger: `.o_form_view:has(.o_field_widget[name=service_type_id]) .o_notebook .nav-link:contains("Knowledge Base")`,
            run: "click",
        },
        {
            content: "The solution is recorded on the service",
            trigger: ".o_form_view .o_field_widget[name=solution_page_id] input:value(" + SOLUTION + ")",
        },
        {
            content: "The chatter records the solution",
            trigger: `.o-mail-Message:contains("${SOLUTION}")`,
        },
    ],
});
