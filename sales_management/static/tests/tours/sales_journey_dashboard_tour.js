/** @odoo-module */
// Journey 4: a manager opens the dashboard, drills from the off-track plan to the orders
// behind its actual, opens a corrective action, then gets the plan's PDF and XLSX reports
// (checked by fetching the report routes the Print menu uses). Runs at desktop and phone
// size (tests/test_journeys.py).

import { registry } from "@web/core/registry";
import { fitsScreen, headerButton } from "@sales_management/../tests/tours/tour_utils";

/** The id of the record the form shows: the last number of the URL. */
function currentId() {
    const ids = window.location.pathname.match(/\d+/g);
    return ids && ids[ids.length - 1];
}

/**
 * Fetch a report the way the Print menu downloads it and check the answer: HTTP 200, the
 * report's content type, and its content: a PDF (or, when the server runs its test suite and
 * wkhtmltopdf is skipped, the report's HTML) naming the plan; an XLSX workbook (a zip).
 */
async function fetchReport(url, mimetype, check) {
    const response = await fetch(url);
    const type = response.headers.get("Content-Type") || "";
    const body = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder("latin1").decode(body);
    if (response.status !== 200 || !type.includes(mimetype) || !check(text)) {
        throw new Error(`${url}: ${response.status} ${type} ${text.slice(0, 200)}`);
    }
}

const plan = ".o_sm_plan:contains('Journey Company')";

registry.category("web_tour.tours").add("sales_journey_dashboard", {
    steps: () => [
        {
            content: "The year's revenue: the two orders",
            trigger: ".o_sm_card_revenue .o_sm_value:contains('1,500.00')",
        },
        {
            content: "Where we are heading: the company plan's vision (issue 19)",
            trigger: ".o_sm_conception_card details[open]:contains('Journey Company'):contains('Journey vision')",
        },
        {
            content: "The company plan is off track, in red",
            trigger: `${plan} .badge.text-bg-danger:contains('Off Track')`,
        },
        {
            content: "its bar in its health's colour",
            trigger: `${plan} .progress-bar.bg-danger`,
        },
        {
            content: "Sam leads the board while his achievement fell: red, arrow down",
            trigger:
                ".o_sm_leaderboard tr:contains('Sam Journey') .o_sm_change.text-danger:contains('\u221210.0 pts') .fa-arrow-down",
        },
        {
            content: "his achievement in the colour of his health over the year",
            trigger:
                ".o_sm_leaderboard tr:contains('Sam Journey') .o_sm_leaderboard_achievement.badge:contains('40.0 %'):not(.text-bg-secondary)",
        },
        {
            content: "no arrow up on a fall",
            trigger: ".o_sm_leaderboard tr:contains('Sam Journey') .o_sm_change:not(:has(.fa-arrow-up))",
        },
        {
            content: "his score beside the ranking: 40 % of his only target, revenue",
            trigger: ".o_sm_leaderboard tr:contains('Sam Journey') .o_sm_leaderboard_score:contains('Score 40')",
        },
        {
            content: "Drill into the plan",
            trigger: plan,
            run: "click",
        },
        {
            content: "The plan form: approved, off track",
            trigger: ".o_field_widget[name=health] .badge.text-bg-danger",
        },
        {
            content: "its actual, in the plan's currency",
            trigger: ".o_field_widget[name=actual_value] .o_sm_figure:contains('1,500.00'):contains('$')",
        },
        {
            content: "The records behind the target's actual",
            trigger: ".o_field_widget[name=target_ids] button[name=action_open_actual_records]",
            run: "click",
        },
        {
            content: "The two confirmed orders of the year",
            trigger: ".o_list_view .o_data_row:contains('Journey Customer'), .o_kanban_view .o_kanban_record:contains('Journey Customer')",
            run() {
                const rows = document.querySelectorAll(
                    ".o_data_row, .o_kanban_record:not(.o_kanban_ghost)"
                );
                if (rows.length !== 2) {
                    throw new Error(`2 orders expected, ${rows.length} shown`);
                }
            },
        },
        {
            content: "Back to the plan",
            trigger: ".o_back_button",
            run: "click",
        },
        ...headerButton("action_new_corrective_action", "Open a corrective action"),
        {
            content: "The corrective action of the plan, open",
            trigger: ".o_form_view .o_field_widget[name=state] .o_arrow_button_current:contains('Open')",
        },
        {
            content: "on the plan",
            trigger: ".o_field_widget[name=plan_id] input:value('Journey Company')",
        },
        fitsScreen("The corrective action form"),
        {
            content: "Say what will be done",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Journey weekly key-account calls",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Back to the plan",
            trigger: ".o_back_button",
            run: "click",
        },
        {
            content: "The plan form again",
            trigger: ".o_form_view .o_field_widget[name=health] .badge.text-bg-danger",
        },
        {
            content: "Open the cog menu",
            trigger: ".o_cp_action_menus .fa-cog",
            run: "click",
        },
        {
            content: "Print",
            trigger: ".o-dropdown--menu button:has(.fa-print)",
            run: "click",
        },
        {
            content: "The plan's PDF and XLSX reports are offered",
            trigger: ".o-dropdown--menu .o_menu_item:contains('Plan Performance (XLSX)')",
        },
        {
            content: "The PDF report downloads",
            trigger: ".o-dropdown--menu .o_menu_item:contains('Plan Performance')",
            async run() {
                await fetchReport(
                    `/report/pdf/sales_management.report_plan_performance/${currentId()}`,
                    "application/pdf",
                    (text) =>
                        text.startsWith("%PDF") ||
                        (text.includes("Plan Performance") &&
                            text.includes("Journey Company") &&
                            text.includes("Off Track"))
                );
            },
        },
        {
            content: "The XLSX report downloads",
            trigger: ".o-dropdown--menu .o_menu_item:contains('Plan Performance (XLSX)')",
            async run() {
                await fetchReport(
                    `/report/xlsx/sales_management.report_plan_performance_xlsx/${currentId()}`,
                    "spreadsheetml",
                    (text) => text.startsWith("PK") && text.length > 1000
                );
            },
        },
    ],
});
