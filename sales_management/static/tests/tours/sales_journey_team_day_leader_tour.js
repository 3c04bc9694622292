/** @odoo-module */
// Journey: a team leader opens the Team Day from the Execution menu (on a phone, from the
// app's menu sidebar), reads a member's note and day, folds a section and a card, moves to
// the next day and back, and opens the member's to-do. Runs at desktop and phone size
// (tests/test_team_day_tour.py).

import { registry } from "@web/core/registry";

const member = ".o_sm_team_day_person:contains('Day Lead Sam')";
registry.category("web_tour.tours").add("sales_journey_team_day_leader", {
    steps: () => [
        {
            content: "Open the Execution menu",
            isActive: ["desktop"],
            trigger: '.o_menu_sections [data-menu-xmlid="sales_management.menu_sales_management_execution"]',
            run: "click",
        },
        {
            content: "Team Day in the Execution menu",
            isActive: ["desktop"],
            trigger: '.dropdown-menu [data-menu-xmlid="sales_management.menu_sales_team_day"]',
            run: "click",
        },
        {
            content: "On a phone, open the app's menu",
            isActive: ["mobile"],
            trigger: ".o_navbar .o_menu_toggle",
            run: "click",
        },
        {
            content: "Team Day in the app's menu",
            isActive: ["mobile"],
            trigger: '.o_app_menu_sidebar [data-menu-xmlid="sales_management.menu_sales_team_day"]',
            run: "click",
        },
        {
            content: "The team's day: the member's note",
            trigger: `${member} .o_sm_team_day_note_text:contains('Need a discount approval')`,
        },
        {
            content: "only the leader's own card takes a note",
            trigger: `${member}:not(:has(.o_sm_team_day_note_input))`,
        },
        {
            content: "the member's call done yesterday, with its feedback",
            trigger: `${member} .o_sm_team_day_yesterday .o_sm_team_day_line[data-kind=activity_done]:contains('Lead tour feedback')`,
        },
        {
            content: "Fold the member's yesterday",
            trigger: `${member} .o_sm_team_day_yesterday .o_sm_team_day_section_toggle`,
            run: "click",
        },
        {
            content: "Folded: the count stays, the lines go",
            trigger: `${member} .o_sm_team_day_yesterday:not(:has(.o_sm_team_day_line)) .o_sm_team_day_count:contains('1')`,
        },
        {
            content: "Fold the member's card",
            trigger: `${member} .o_sm_team_day_person_toggle`,
            run: "click",
        },
        {
            content: "Folded card",
            trigger: `${member}:not(:has(.card-body))`,
        },
        {
            content: "Unfold it",
            trigger: `${member} .o_sm_team_day_person_toggle`,
            run: "click",
        },
        {
            content: "Next day: the date moves on once the day is loaded",
            trigger: ".o_sm_day_next",
            async run() {
                const shown = () => document.querySelector(".o_sm_team_day_date").dataset.date;
                const before = shown();
                this.anchor.click();
                for (let waited = 0; waited < 10000; waited += 50) {
                    await new Promise((resolve) => setTimeout(resolve, 50));
                    if (shown() > before) {
                        return;
                    }
                }
                throw new Error(`Still on ${before}`);
            },
        },
        {
            content: "Back to today",
            trigger: ".o_sm_day_today",
            run: "click",
        },
        {
            content: "Today again: the member's to-do due tomorrow",
            trigger: `${member} .o_sm_team_day_tomorrow .o_sm_team_day_line.o_sm_openable[data-kind=todo]:contains('Lead tour todo')`,
            run: "click",
        },
        {
            content: "The to-do's form",
            trigger: ".o_form_view .o_field_widget[name=name] :is(input, textarea)",
            run() {
                if (this.anchor.value !== "Lead tour todo") {
                    throw new Error(`The form shows ${this.anchor.value}, not the to-do`);
                }
            },
        },
    ],
});
