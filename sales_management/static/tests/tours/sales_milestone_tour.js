/** @odoo-module */

import { registry } from "@web/core/registry";

// Advancing an opportunity: refused while a criterion is missing, done once confirmed.
registry.category("web_tour.tours").add("sales_milestone_advance", {
    steps: () => [
        {
            content: "The opportunity shows its next milestone",
            trigger: '.o_form_view [name="next_milestone_id"]:contains("Tour Qualified")',
        },
        {
            content: "Try to reach it without the criterion",
            trigger: '.o_form_statusbar button[name="action_milestone_advance"]',
            run: "click",
        },
        {
            content: "Refused, naming the missing criterion",
            trigger: '.modal .modal-body:contains("Tour budget identified")',
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Open the milestones tab",
            trigger: '.o_notebook .nav-link:contains("Milestones")',
            run: "click",
        },
        {
            content: "Confirm the criterion",
            trigger: '[name="milestone_criterion_ids"] .form-check:contains("Tour budget identified") input',
            run: "click",
        },
        {
            content: "Reach the milestone",
            trigger: '.o_form_statusbar button[name="action_milestone_advance"]',
            run: "click",
        },
        {
            content: "The opportunity is at the milestone",
            trigger: '.o_form_view [name="milestone_id"]:contains("Tour Qualified")',
        },
        {
            content: "and the next one is shown",
            trigger: '.o_form_view [name="next_milestone_id"]:contains("Tour Proposal")',
        },
    ],
});
