import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { registry } from "@web/core/registry";
import { Component } from "@odoo/owl";

// R7: "Print" in the gear menu of the customer analyses: shows the view as
// it is (filters, groups, measures) as the server-side report
// crm_custom_reports.action_report_crm_analysis, to print as PDF.
const ANALYSIS_MODEL = /^crm\.(customer\.[a-z_.]+|sales\.performance|sales\.target)\.report$/;

export class PrintAnalysis extends Component {
    static template = "crm_custom_reports.PrintAnalysis";
    static components = { DropdownItem };
    static props = {};

    async onClick() {
        // The services of the environment, not useService's: the gear menu
        // closes (and this item is destroyed) before the server answers.
        const { orm, action: actionService } = this.env.services;
        const searchModel = this.env.searchModel;
        const { context } = searchModel.getIrFilterValues();
        const facets = searchModel.facets.map(
            (facet) => `${facet.title ? facet.title + ": " : ""}${facet.values.join(" / ")}`
        );
        const action = await orm.call("crm.analysis.print.wizard", "action_print_view", [
            searchModel.resModel,
            searchModel.domain,
            context,
            this.env.config.getDisplayName(),
            facets,
        ]);
        // A preview in the web client (also on a phone), whose Print
        // button downloads the PDF.
        await actionService.doAction({ ...action, report_type: "qweb-html" });
    }
}

export const printAnalysisItem = {
    Component: PrintAnalysis,
    groupNumber: 20,
    isDisplayed: ({ config, searchModel }) =>
        ["pivot", "graph", "list"].includes(config.viewType) &&
        ANALYSIS_MODEL.test(searchModel.resModel),
};

registry.category("cogMenu").add("crm-print-analysis", printAnalysisItem, { sequence: 5 });
