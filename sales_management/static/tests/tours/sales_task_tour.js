/** @odoo-module */

import { registry } from "@web/core/registry";

const todos = ".o_field_widget[name=todo_ids]";

registry.category("web_tour.tours").add("sales_management_task_tour", {
    url: "/odoo/action-sales_management.sales_task_action",
    steps: () => [
        {
            content: "The task kanban renders",
            trigger: ".o_kanban_view .o_kanban_renderer",
        },
        {
            content: "Create a task",
            trigger: ".o_control_panel_main_buttons .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour key account review",
        },
        {
            content: "Add a to-do",
            trigger: `${todos} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "Name the to-do",
            trigger: `${todos} .o_selected_row .o_field_widget[name=name] input`,
            run: "edit Tour call the buyer",
        },
        {
            content: "Add a second to-do",
            trigger: `${todos} .o_field_x2many_list_row_add a`,
            run: "click",
        },
        {
            content: "Name the second to-do",
            trigger: `${todos} .o_selected_row .o_field_widget[name=name] input`,
            run: "edit Tour send the offer",
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
            content: "Mark the first to-do done",
            trigger: `${todos} .o_data_row:contains("Tour call the buyer") button[name=action_done]`,
            run: "click",
        },
        {
            content: "The to-do shows Done",
            trigger: `${todos} .o_data_row:contains("Tour call the buyer") .badge:contains("Done")`,
        },
        {
            content: "The other one is still to do",
            trigger: `${todos} .o_data_row:contains("Tour send the offer") button[name=action_done]`,
        },
    ],
});
