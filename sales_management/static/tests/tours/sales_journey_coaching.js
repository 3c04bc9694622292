/** @odoo-module */
// Journey: a team leader runs a 1:1 from the phone (and the desktop). She opens the planned
// session, prepares the agenda (the overdue to-do of the salesperson shows), adds an
// agreed action, converts it into an activity and marks the session done.
// Runs at desktop and phone size (tests/test_coaching_tour.py).

import { registry } from "@web/core/registry";
import { fitsScreen, headerButton } from "@sales_management/../tests/tours/tour_utils";

const actions = ".o_field_widget[name=action_ids]";
const ACTION = "Tour call three lapsed customers";

const desktop = (steps) => steps.map((step) => ({ ...step, isActive: ["desktop"] }));
const phone = (steps) => steps.map((step) => ({ ...step, isActive: ["mobile"] }));

registry.category("web_tour.tours").add("sales_journey_coaching", {
    steps: () => [
        {
            content: "The planned 1:1 with Sam, as a card",
            trigger: ".o_kanban_record:contains('Coach Tour Sam')",
            run: "click",
        },
        fitsScreen("The session form"),
        {
            content: "Planned",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Planned')",
        },
        ...headerButton("action_prepare_agenda", "Prepare the agenda from today's data"),
        {
            content: "The agenda lists Sam's overdue to-do",
            trigger: ".o_field_widget[name=agenda]:contains('Tour late call back')",
        },
        {
            content: "and the other sections",
            trigger: ".o_field_widget[name=agenda]:contains('Stalled deals')",
        },
        fitsScreen("The session form with its agenda"),
        {
            content: "Agreed Actions tab",
            trigger: ".o_notebook .nav-link:contains('Agreed Actions')",
            run: "click",
        },
        ...desktop([
            {
                content: "Add an action",
                trigger: `${actions} .o_field_x2many_list_row_add a`,
                run: "click",
            },
            {
                content: "Describe it",
                trigger: `${actions} .o_selected_row .o_field_widget[name=name] input`,
                run: `edit ${ACTION}`,
            },
        ]),
        ...phone([
            {
                content: "Add an action: a dialog opens",
                trigger: `${actions} .o-kanban-button-new`,
                run: "click",
            },
            {
                content: "Describe it",
                trigger: ".modal .o_form_view .o_field_widget[name=name] input",
                run: `edit ${ACTION}`,
            },
            {
                content: "Its owner is the salesperson",
                trigger: ".modal .o_form_view .o_field_widget[name=user_id] input:value('Coach Tour Sam')",
            },
            {
                content: "Save & Close",
                trigger: ".modal .modal-footer .o_form_button_save",
                run: "click",
            },
            {
                content: "A card shows the action",
                trigger: `${actions} .o_kanban_record:contains('${ACTION}')`,
            },
        ]),
        {
            content: "Save the session",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: `.o_form_saved ${actions} :contains('${ACTION}')`,
        },
        ...headerButton("action_convert_actions", "Convert the agreed actions"),
        ...desktop([
            {
                content: "The action is converted",
                trigger: `${actions} .o_data_row:contains('${ACTION}') td[name=is_converted] input:checked`,
            },
        ]),
        ...phone([
            {
                content: "The action is converted",
                trigger: `${actions} .o_kanban_record:contains('${ACTION}'):contains('Converted')`,
            },
        ]),
        {
            content: "Nothing left to convert: the button is gone",
            trigger: ".o_form_view .o_form_sheet",
            run() {
                if (document.querySelector("button[name=action_convert_actions]")) {
                    throw new Error("Convert Actions is still offered");
                }
            },
        },
        ...headerButton("action_done", "Mark the session done"),
        {
            content: "The session is done",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Done')",
        },
        fitsScreen("The done session"),
    ],
});
