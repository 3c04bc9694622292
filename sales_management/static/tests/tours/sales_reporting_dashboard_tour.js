/** @odoo-module */

import { registry } from "@web/core/registry";

// Opens the Reporting dashboard as a salesperson and checks the revenue figure the test
// built (1,500.00: two confirmed orders), then drills to the orders behind it.
registry.category("web_tour.tours").add("sales_management_reporting_dashboard", {
    url: "/odoo/action-sales_management.sales_management_dashboard_action",
    steps: () => [
        {
            content: "The dashboard renders the user's scope",
            trigger: ".o_sales_management_dashboard .o_sm_period_label",
        },
        {
            content: "Revenue of the period: the salesperson's two orders",
            trigger: ".o_sm_card_revenue .o_sm_value:contains('1,500.00')",
        },
        {
            content: "Drill down to the orders behind the figure",
            trigger: ".o_sm_card_revenue",
            run: "click",
        },
        {
            content: "The two orders are listed",
            trigger: ".o_list_view .o_data_row:nth-child(2)",
        },
    ],
});
