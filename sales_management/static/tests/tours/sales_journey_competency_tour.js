/** @odoo-module */
// People journeys (issue 19), at desktop and phone size (tests/test_competency_journeys.py):
// a salesperson rates themself on a competency with evidence; a team leader has the system
// propose a coaching focus for the team and confirms it.

import { registry } from "@web/core/registry";
import { fitsScreen, headerButton } from "@sales_management/../tests/tours/tour_utils";

registry.category("web_tour.tours").add("sales_journey_self_rating", {
    steps: () => [
        {
            content: "New rating (list or cards)",
            trigger: ".o_control_panel button.o_list_button_add, .o_control_panel button.o-kanban-button-new",
            run: "click",
        },
        {
            content: "Pick the competency",
            trigger: ".o_field_widget[name=competency_id] input",
            run: "edit Discovery",
        },
        {
            content: "Discovery (the suggestions, or on a phone the search dialog's cards)",
            trigger: ".o_field_widget[name=competency_id] .dropdown-item:contains('Discovery'), .modal .o_kanban_record:contains('Discovery')",
            run: "click",
        },
        {
            content: "Level 4",
            trigger: ".o_field_widget[name=level_selection] input[data-value='4']",
            run: "click",
        },
        {
            content: "What good looks like at level 4 is shown",
            trigger: ".o_field_widget[name=level_description]:contains('business impact')",
        },
        {
            content: "The evidence",
            trigger: ".o_field_widget[name=evidence] textarea",
            run: "edit Journey: budget and decision makers qualified on every deal",
        },
        fitsScreen("The rating form"),
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved, rated by the salesperson",
            trigger: ".o_form_saved .o_field_widget[name=rater_id]:contains('Sam Journey')",
        },
    ],
});

registry.category("web_tour.tours").add("sales_journey_propose_focus", {
    steps: () => [
        {
            content: "The team form",
            trigger: ".o_form_view .o_form_sheet",
        },
        ...headerButton("action_propose_focus", "Propose Focus"),
        {
            content: "Sam's proposed focus: prospecting",
            trigger: ".o_data_row:contains('Sam Journey') td[name=competency_id]:contains('Prospecting'), .o_kanban_record:contains('Sam Journey'):contains('Prospecting')",
            run: "click",
        },
        {
            content: "The proposal: Sam 0 against a team median of 1",
            trigger: ".o_form_view .o_field_widget[name=proposal_team_median]:contains('1.00')",
        },
        fitsScreen("The focus form"),
        ...headerButton("action_confirm", "Confirm the focus"),
        {
            content: "Confirmed by the leader",
            trigger: ".o_form_view .o_field_widget[name=confirmed_by_id]:contains('Mia Journey')",
        },
    ],
});
