/** @odoo-module */
// A manager generates a plan's targets by sales region: each region's history, a region
// without history taking a fair share, the history in no region kept on the plan, then the
// regions' targets on the plan. At desktop and phone size (tests/test_generate_region_tour.py).

import { registry } from "@web/core/registry";
import { fitsScreen, headerButton } from "@sales_management/../tests/tours/tour_utils";

const lines = ".modal .o_field_widget[name=line_ids]";
const row = (text) => `${lines} .o_data_row:contains('${text}')`;
const targets = [".o_data_row", ".o_kanban_record:not(.o_kanban_ghost)"]
    .map((record) => `.o_field_widget[name=target_ids] ${record}`);

registry.category("web_tour.tours").add("sales_journey_plan_region", {
    steps: () => [
        {
            content: "Open the plan (list on a desktop, kanban on a phone)",
            trigger: ".o_data_row td[name=complete_name]:contains('Region Tour Plan'), .o_kanban_record:contains('Region Tour Plan')",
            run: "click",
        },
        fitsScreen("The plan form"),
        ...headerButton("action_open_generate_wizard", "Generate the targets"),
        {
            content: "Last year's revenue of the company",
            trigger: ".modal .o_field_widget[name=base_total]:contains('1,400.00')",
        },
        {
            content: "Allocate by sales region",
            trigger: ".modal .o_field_widget[name=allocate_by] select",
            run: "selectByLabel Sales regions",
        },
        {
            content: "The allocation comes first",
            trigger: ".modal .o_notebook .nav-link.active:contains('Allocation')",
        },
        {
            content: "Benelux sold 1,000.00: 1,000 of 2,100 weights of 5,940.00",
            trigger: `${row("Region Tour Benelux")}:contains('1,000.00'):contains('2,828.57')`,
        },
        {
            content: "The Nordics never sold: the fair share of the average line",
            trigger: `${row("Region Tour Nordics")}:contains('0.00'):contains('1,980.00')`,
        },
        {
            content: "France is in no region: its share stays on the plan",
            trigger: `${row("In no sales region")}:contains('400.00'):contains('1,131.43')`,
        },
        {
            content: "The periods tab: March planned from its history + 10 %",
            trigger: ".modal .o_notebook .nav-link:contains('Periods')",
            run: "click",
        },
        {
            content: "March: 1,000.00 last year, 1,100.00 this year",
            trigger: ".modal .o_field_widget[name=period_preview] tr:contains('2026-03-01'):contains('1,000.00'):contains('1,100.00')",
        },
        {
            content: "The dialog fits the screen's width (the lines scroll inside)",
            trigger: ".modal .modal-body",
            run() {
                const modal = document.querySelector(".modal .modal-dialog");
                const page = document.scrollingElement;
                if (modal.getBoundingClientRect().right > window.innerWidth + 1
                    || page.scrollWidth > page.clientWidth + 1) {
                    throw new Error("The dialog is wider than the screen");
                }
            },
        },
        {
            content: "Generate",
            trigger: ".modal button[name=action_generate]",
            run: "click",
        },
        {
            content: "The plan's target is the proposal",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=target_value]:contains('5,940.00')",
        },
        {
            content: "The regions' targets are on the plan",
            trigger: targets.map((t) => `${t}:contains('Region Tour Benelux')`).join(", "),
        },
        {
            content: "the Nordics' too",
            trigger: targets.map((t) => `${t}:contains('Region Tour Nordics')`).join(", "),
        },
    ],
});
