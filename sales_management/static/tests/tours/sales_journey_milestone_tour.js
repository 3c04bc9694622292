/** @odoo-module */
// Journey 3: a salesperson advances an opportunity to its next milestone: refused while a
// criterion is unconfirmed or a required activity is not done, reached once both are.
// Runs at desktop and phone size (tests/test_journeys.py).

import { registry } from "@web/core/registry";
import { fitsScreen, headerButton } from "@sales_management/../tests/tours/tour_utils";

const missing = ".o_field_widget[name=milestone_missing]";

registry.category("web_tour.tours").add("sales_journey_milestones", {
    steps: () => [
        {
            content: "The opportunity shows its next milestone",
            trigger: ".o_form_view [name=next_milestone_id]:contains('Journey Qualified')",
        },
        {
            content: "Open the milestones tab",
            trigger: ".o_notebook .nav-link:contains('Milestones')",
            run: "click",
        },
        fitsScreen("The opportunity form"),
        {
            content: "What is missing is listed in red: the criterion and the activity",
            trigger: `${missing}.text-danger:contains('Journey budget identified'):contains('Journey discovery call')`,
        },
        ...headerButton("action_milestone_advance", "Try to reach the milestone"),
        {
            content: "Refused, naming both",
            trigger: ".modal .modal-body:contains('Journey budget identified'):contains('Journey discovery call')",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Confirm the criterion",
            trigger: "body:not(:has(.modal)) [name=milestone_criterion_ids] .form-check:contains('Journey budget identified') input",
            run: "click",
        },
        {
            content: "Still Missing follows at once: only the activity is left",
            trigger: `${missing}:contains('Journey discovery call'):not(:contains('Journey budget identified'))`,
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Only the activity is missing now",
            trigger: `.o_form_saved ${missing}:contains('Journey discovery call'):not(:contains('Journey budget identified'))`,
        },
        ...headerButton("action_milestone_advance", "Try again"),
        {
            content: "Still refused: the required activity is not done",
            trigger: ".modal .modal-body:contains('Journey discovery call'):not(:contains('Journey budget identified'))",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The call is planned in the chatter: mark it done",
            trigger: "body:not(:has(.modal)) .o-mail-Activity:contains('Discovery call') .o-mail-Activity-markDone",
            run: "click",
        },
        {
            content: "Done",
            trigger: ".o-mail-ActivityMarkAsDone button[aria-label=Done]",
            run: "click",
        },
        {
            content: "The call is logged",
            trigger: ".o-mail-Message:contains('Journey discovery call')",
        },
        {
            content: "Nothing is missing any more: the list is gone without reloading the page",
            trigger: `.o_form_saved:not(:has(${missing}))`,
        },
        ...headerButton("action_milestone_advance", "Reach the milestone"),
        {
            content: "The opportunity is at the milestone, in green",
            trigger: ".o_field_widget[name=milestone_id] .badge.text-bg-success:contains('Journey Qualified')",
        },
        {
            content: "and the next one is shown",
            trigger: ".o_form_view [name=next_milestone_id]:contains('Journey Proposal')",
        },
        {
            content: "The milestone history has its line",
            trigger: ".o_field_widget[name=milestone_line_ids] :contains('Journey Qualified')",
        },
    ],
});
