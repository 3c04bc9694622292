/** @odoo-module */
// Journey: a salesperson opens the Team Day from the dashboard, reads today's plan (an
// activity and a meeting), writes the day's note, and opens the activity's opportunity.
// Runs at desktop and phone size (tests/test_team_day_tour.py).

import { registry } from "@web/core/registry";

const me = ".o_sm_team_day_person:contains('Day Tour Sam')";

registry.category("web_tour.tours").add("sales_journey_team_day", {
    steps: () => [
        {
            content: "The dashboard's Team Day button",
            trigger: ".o_sales_management_dashboard .o_sm_team_day",
            run: "click",
        },
        {
            content: "My card: yesterday's call done, with its feedback",
            trigger: `${me} .o_sm_team_day_yesterday .o_sm_team_day_line[data-kind=activity_done]:contains('Day tour feedback')`,
        },
        {
            content: "today: the planned call and the meeting",
            trigger: `${me} .o_sm_team_day_today .o_sm_team_day_line[data-kind=meeting]:contains('Day Tour visit')`,
        },
        {
            content: "one overdue item",
            trigger: `${me} .o_sm_team_day_overdue:contains('1 overdue')`,
        },
        {
            content: "The card fits the screen's width",
            trigger: me,
            run() {
                const page = document.scrollingElement;
                const content = document.querySelector(".o_sales_team_day");
                if (content.scrollWidth > content.clientWidth + 1 || page.scrollWidth > page.clientWidth + 1) {
                    throw new Error(`Team Day scrolls horizontally: ${content.scrollWidth} > ${content.clientWidth}`);
                }
            },
        },
        {
            content: "Write today's note",
            trigger: `${me} .o_sm_team_day_note_input`,
            run: "edit Waiting for the price list",
        },
        {
            content: "Save it",
            trigger: `${me} .o_sm_team_day_note_save`,
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_notification:contains('Note saved')",
        },
        {
            content: "Open the planned call's opportunity",
            trigger: `${me} .o_sm_team_day_today .o_sm_team_day_line.o_sm_openable[data-kind=activity]:contains('Day tour call')`,
            run: "click",
        },
        {
            content: "The opportunity's form",
            trigger: ".o_form_view .o_field_widget[name=name] :is(input, textarea)",
            run() {
                const value = this.anchor.value;
                if (value !== "Day Tour deal") {
                    throw new Error(`The form shows ${value}, not the opportunity`);
                }
            },
        },
    ],
});
