/** @odoo-module */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_management_plan_manager", {
    steps: () => [
        {
            content: "The plan list shows the plan with its progress",
            trigger: ".o_list_view .o_data_row:contains('SM Tour Company') .o_progressbar",
        },
        {
            content: "Open the company plan",
            trigger: ".o_data_row td[name='complete_name']:contains('SM Tour Company'):not(:contains('/'))",
            run: "click",
        },
        {
            content: "Its targets are inline, with the live actual",
            trigger: ".o_form_view .o_field_widget[name='target_ids'] .o_data_row td[name='actual_value']:contains('1,500.00')",
        },
        {
            content: "Sub-plans tab",
            trigger: ".o_notebook .nav-link:contains('Sub-plans')",
            run: "click",
        },
        {
            content: "The sub-plan with its progress bar",
            trigger: ".o_field_widget[name='child_ids'] .o_data_row:contains('SM Tour North') .o_progressbar",
        },
        {
            content: "The chatter is there",
            trigger: ".o-mail-Chatter",
        },
        {
            content: "Back to the list",
            trigger: ".o_back_button, .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Switch to kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "A kanban card with health colour and progress",
            trigger: ".o_kanban_record:contains('SM Tour North') .border-danger .o_progressbar",
        },
    ],
});

registry.category("web_tour.tours").add("sales_management_plan_salesman", {
    steps: () => [
        {
            content: "My plan in the mobile-first kanban",
            trigger: ".o_kanban_record:contains('SM Tour Sam')",
            run: "click",
        },
        {
            content: "Commitment tab",
            trigger: ".o_notebook .nav-link:contains('Commitment')",
            run: "click",
        },
        {
            content: "The salesperson writes the commitment of their draft plan",
            trigger: ".o_field_widget[name='commitment'] .odoo-editor-editable",
            run: "editor Visit every customer twice a quarter",
        },
        {
            content: "The plan name is read-only for them",
            trigger: ".o_field_widget[name='name'] span:contains('SM Tour Sam')",
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
    ],
});
