/** @odoo-module */
// Journey 2: a salesperson opens "My Plans", writes the commitment of their plan, creates a
// task from one of its targets, breaks it into to-dos, records the results and marks the
// to-dos done. Runs at desktop and phone size (tests/test_journeys.py).

import { registry } from "@web/core/registry";
import { fitsScreen, headerButton } from "@sales_management/../tests/tours/tour_utils";

const todos = ".o_field_widget[name=todo_ids]";
const todoRow = (name) => `${todos} .o_data_row:contains('${name}')`;
const todoCard = (name) => `${todos} .o_kanban_record:contains('${name}')`;
const inDialog = (selector) => `.modal .o_form_view ${selector}`;

/** Desktop: the editable list; phone: the cards (steps skipped on the other size). */
const desktop = (steps) => steps.map((step) => ({ ...step, isActive: ["desktop"] }));
const phone = (steps) => steps.map((step) => ({ ...step, isActive: ["mobile"] }));

function addTodoInList(name, expected) {
    return desktop([
        {
            content: `Add the to-do "${name}"`,
            trigger: `${todos} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "Name it",
            trigger: `${todos} .o_selected_row .o_field_widget[name=name] input`,
            run: `edit ${name}`,
        },
        {
            content: "Its expected result",
            trigger: `${todos} .o_selected_row .o_field_widget[name=expected_value] input`,
            run: `edit ${expected}`,
        },
    ]);
}

function addTodoCard(name, expected, deadline) {
    return phone([
        {
            content: `Add the to-do "${name}": a dialog opens`,
            trigger: `${todos} .o-kanban-button-new`,
            run: "click",
        },
        {
            content: "Name it",
            trigger: inDialog(".o_field_widget[name=name] input"),
            run: `edit ${name}`,
        },
        {
            content: "Its expected result",
            trigger: inDialog(".o_field_widget[name=expected_value] input"),
            run: `edit ${expected}`,
        },
        ...(deadline
            ? [
                  {
                      content: "A deadline already past",
                      trigger: inDialog(".o_field_widget[name=date_deadline] input"),
                      run: `edit ${deadline}`,
                  },
                  {
                      content: "Leave the date",
                      trigger: inDialog(".o_field_widget[name=name] input"),
                      run: "click",
                  },
              ]
            : []),
        {
            content: "Save & Close",
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "A card shows the to-do with its expected result",
            trigger: `${todoCard(name)} .o_sm_todo_expected:contains('${expected}.00')`,
        },
        {
            content: "open",
            trigger: `${todoCard(name)} .badge:contains('To Do')`,
        },
    ]);
}

function addTodo(name, expected, deadline) {
    return [...addTodoInList(name, expected), ...addTodoCard(name, expected, deadline)];
}

function recordAndDoneInList(name, actual) {
    return desktop([
        {
            content: `Record the result of "${name}"`,
            trigger: `${todoRow(name)} td[name=actual_value]`,
            run: "click",
        },
        {
            content: "Type it",
            trigger: `${todos} .o_selected_row .o_field_widget[name=actual_value] input`,
            run: `edit ${actual}`,
        },
        {
            content: "Save the result",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: `.o_form_saved ${todoRow(name)} td[name=actual_value]:contains('${actual}.00')`,
        },
        {
            content: "Mark the to-do done",
            trigger: `${todoRow(name)} button[name=action_done]`,
            run: "click",
        },
        {
            content: "It is shown done, in green",
            trigger: `${todoRow(name)}.text-success .badge:contains('Done')`,
        },
    ]);
}

function recordAndDoneOnCard(name, actual) {
    return phone([
        {
            content: `Tap the card of "${name}": its dialog opens`,
            trigger: `${todoCard(name)} .o_sm_todo_name`,
            run: "click",
        },
        {
            content: "Record the result",
            trigger: inDialog(".o_field_widget[name=actual_value] input"),
            run: `edit ${actual}`,
        },
        {
            content: "Save & Close",
            trigger: ".modal .modal-footer .o_form_button_save",
            run: "click",
        },
        {
            content: "The card shows the result",
            trigger: `${todoCard(name)} .o_sm_todo_actual:contains('${actual}.00')`,
        },
        {
            content: "Save the task",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: `.o_form_saved ${todoCard(name)} .o_sm_todo_actual:contains('${actual}.00')`,
        },
        {
            content: "Mark the to-do done from its card",
            trigger: `${todoCard(name)} button[name=action_done]`,
            run: "click",
        },
        {
            content: "The card is shown done: Done badge, green border",
            trigger: `${todoCard(name)} .o_sm_todo_done.border-success .badge:contains('Done')`,
        },
        {
            content: "its name struck through",
            trigger: `${todoCard(name)} .text-decoration-line-through .o_sm_todo_name`,
        },
        {
            content: "no longer overdue, and it may be reopened",
            trigger: `${todoCard(name)} button[name=action_reopen]`,
            run() {
                if (this.anchor.closest(".o_kanban_record").querySelector(".text-danger")) {
                    throw new Error("A done to-do is still shown overdue");
                }
            },
        },
    ]);
}

function recordAndDone(name, actual) {
    return [...recordAndDoneInList(name, actual), ...recordAndDoneOnCard(name, actual)];
}

/** On a phone the to-dos are cards: nothing in them scrolls sideways. */
const todoCardsFit = phone([
    {
        content: "The to-dos are cards, not a list",
        trigger: `${todos} .o_kanban_renderer`,
        run() {
            if (document.querySelector(`${todos} table`)) {
                throw new Error("The to-dos are still a table on a phone");
            }
            for (const el of document.querySelectorAll(`${todos}, ${todos} *`)) {
                if (el.scrollWidth > el.clientWidth + 1 && ["auto", "scroll"].includes(getComputedStyle(el).overflowX)) {
                    throw new Error(`The to-dos scroll horizontally: ${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
                }
            }
        },
    },
]);

registry.category("web_tour.tours").add("sales_journey_salesperson", {
    steps: () => [
        {
            content: "My plan, with its health colour and progress bar",
            trigger: ".o_kanban_record:contains('Journey Sam plan') .o_field_widget[name=achievement] .o_progressbar",
        },
        {
            content: "and where its commitment stands",
            trigger: ".o_kanban_record:contains('Journey Sam plan') .o_field_widget[name=commitment_status]:contains('Not Accepted Yet')",
        },
        {
            content: "Open it",
            trigger: ".o_kanban_record:contains('Journey Sam plan')",
            run: "click",
        },
        fitsScreen("The plan form"),
        {
            content: "A draft: the salesperson may write the commitment",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Draft')",
        },
        {
            content: "but not rename the plan",
            trigger: ".o_field_widget[name=name] span:contains('Journey Sam plan')",
        },
        {
            content: "Commitment tab",
            trigger: ".o_notebook .nav-link:contains('Commitment')",
            run: "click",
        },
        {
            content: "Write how the target will be reached",
            trigger: ".o_field_widget[name=commitment] .odoo-editor-editable",
            run: "editor Two visits per customer each quarter",
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
        // issue 19: the company's vision above the plan; the commitment accepted
        {
            content: "Conception tab",
            trigger: ".o_notebook .nav-link:contains('Conception')",
            run: "click",
        },
        {
            content: "The company plan's vision, read-only, above the salesperson's plan",
            trigger: ".o_field_widget[name=inherited_conception]:contains('Journey company plan'):contains('Journey vision')",
        },
        fitsScreen("The conception tab"),
        ...headerButton("action_accept_commitment", "Accept the commitment"),
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Back to the commitment",
            trigger: "body:not(:has(.modal)) .o_notebook .nav-link:contains('Commitment')",
            run: "click",
        },
        {
            content: "Accepted: the leader countersigns next",
            trigger: ".o_field_widget[name=commitment_status]:contains('Accepted, to Countersign')",
        },
        fitsScreen("The role and commitment tab"),
        {
            content: "Targets tab",
            trigger: ".o_notebook .nav-link:contains('Targets')",
            run: "click",
        },
        {
            content: "The target for Journey Customer: a new task serving it",
            trigger: [".o_data_row", ".o_kanban_record"]
                .map((r) => `.o_field_widget[name=target_ids] ${r}:contains('Journey Customer') button[name=action_new_sales_task]`)
                .join(", "),
            run: "click",
        },
        {
            content: "The task is prefilled from the target: the plan",
            trigger: ".o_form_view .o_field_widget[name=plan_id] input:value('Journey Sam plan')",
        },
        {
            content: "and the customer",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input:value('Journey Customer')",
        },
        ...addTodo("Journey call the buyer", "2"),
        ...addTodo("Journey send the offer", "1"),
        {
            content: "Save the task",
            trigger: ".o_form_button_save",
            run: "click",
        },
        ...desktop([
            {
                content: "Saved with two open to-dos",
                trigger: `.o_form_saved ${todos} .o_data_row:nth-child(2) button[name=action_done]`,
            },
        ]),
        ...phone([
            {
                content: "Saved with two open to-dos",
                trigger: `.o_form_saved ${todoCard("Journey send the offer")} button[name=action_done]`,
            },
            {
                content: "with the owner's avatar",
                trigger: `${todoCard("Journey call the buyer")} .o_field_widget[name=user_id] img`,
            },
        ]),
        ...todoCardsFit,
        fitsScreen("The task form with open to-dos"),
        {
            content: "Nothing done yet",
            trigger: ".o_field_widget[name=progress] .o_progressbar_value:contains('0')",
        },
        ...recordAndDone("Journey call the buyer", "3"),
        {
            content: "Half of the to-dos are done",
            trigger: ".o_field_widget[name=progress] .o_progressbar_value:contains('50')",
        },
        ...recordAndDone("Journey send the offer", "1"),
        {
            content: "All done",
            trigger: ".o_field_widget[name=progress] .o_progressbar_value:contains('100')",
        },
        fitsScreen("The task form with its to-dos"),
        ...todoCardsFit,
        {
            content: "Results tab",
            trigger: ".o_notebook .nav-link:contains('Results')",
            run: "click",
        },
        {
            content: "Expected: the to-dos' 3",
            trigger: ".o_field_widget[name=expected_result]:contains('3.00')",
        },
        {
            content: "Actual: 4, more than expected",
            trigger: ".o_field_widget[name=actual_result]:contains('4.00')",
        },
    ],
});
