/** @odoo-module */
// Journey 1: a manager generates the targets of a plan tree with the wizard, reviews the
// allocation and approves the plan. Runs at desktop and phone size (tests/test_journeys.py):
// on a phone the plans open in kanban and the header buttons sit in the cog menu.

import { registry } from "@web/core/registry";
import { fitsScreen, headerButton } from "@sales_management/../tests/tours/tour_utils";

const lines = ".modal .o_field_widget[name=line_ids]";
const targets = [".o_data_row", ".o_kanban_record:not(.o_kanban_ghost)"]
    .map((record) => `.o_field_widget[name=target_ids] ${record}`)
    .join(", ");
const subPlan = (text) =>
    [".o_data_row", ".o_kanban_record"]
        .map((record) => `.o_field_widget[name=child_ids] ${record}${text}`)
        .join(", ");

registry.category("web_tour.tours").add("sales_journey_plan_manager", {
    steps: () => [
        {
            content: "Open the team plan (list on a desktop, kanban on a phone)",
            trigger: ".o_data_row td[name=complete_name]:contains('Journey North'):not(:contains('/')), .o_kanban_record:contains('Journey North')",
            run: "click",
        },
        fitsScreen("The plan form"),
        {
            content: "The plan is a draft",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Draft')",
        },
        {
            content: "No target yet: nothing is allocated to the sub-plans",
            trigger: ".o_field_widget[name=target_ids]:not(:has(.o_data_row)):not(:has(.o_kanban_record:not(.o_kanban_ghost)))",
        },
        ...headerButton("action_open_generate_wizard", "Generate the targets"),
        {
            content: "The wizard shows last year's revenue of the team",
            trigger: ".modal .o_field_widget[name=base_total]:contains('4,000.00')",
        },
        {
            content: "and the proposal: +10 %, empty months planned like the weakest one",
            trigger: ".modal .o_field_widget[name=proposed_total]:contains('14,300.00')",
        },
        {
            content: "Review the allocation: Sam sold 3,000.00, three quarters of it",
            trigger: `${lines} .o_data_row:contains('Journey Sam'):contains('3,000.00'):contains('10,725.00')`,
        },
        {
            content: "Sara sold 1,000.00, the last quarter",
            trigger: `${lines} .o_data_row:contains('Journey Sara'):contains('1,000.00'):contains('3,575.00')`,
        },
        {
            content: "The periods tab",
            trigger: ".modal .o_notebook .nav-link:contains('Periods')",
            run: "click",
        },
        {
            content: "The periods preview lists the twelve months",
            trigger: ".modal .o_field_widget[name=period_preview] tbody tr:nth-child(12)",
        },
        {
            content: "Generate",
            trigger: ".modal button[name=action_generate]",
            run: "click",
        },
        {
            content: "The plan's target is the proposal",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=target_value]:contains('14,300.00')",
        },
        {
            content: "Twelve monthly targets on the plan (rows on a desktop, cards on a phone)",
            trigger: targets,
            run() {
                const count = document.querySelectorAll(targets).length;
                if (count !== 12) {
                    throw new Error(`12 targets expected, ${count} shown`);
                }
            },
        },
        {
            content: "fully allocated to the sub-plans",
            trigger: ".o_field_widget[name=coverage] .o_progressbar_value:contains('100')",
        },
        {
            content: "Sub-plans tab",
            trigger: ".o_notebook .nav-link:contains('Sub-plans')",
            run: "click",
        },
        {
            content: "Sam's plan carries his share",
            trigger: subPlan(":contains('Journey Sam'):contains('10,725.00')"),
        },
        {
            content: "Sara's plan carries hers",
            trigger: subPlan(":contains('Journey Sara'):contains('3,575.00')"),
        },
        ...headerButton("action_submit", "Submit the plan"),
        {
            content: "Submitted",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Submitted')",
        },
        ...headerButton("action_approve", "Approve it"),
        {
            content: "The plan is approved",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Approved')",
        },
        {
            content: "fully allocated, nothing left over",
            trigger: ".o_field_widget[name=unallocated_value]:contains('0.00'):not(.text-danger)",
        },
    ],
});
