/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const section = (xmlid) => `.o_menu_sections [data-menu-xmlid="sales_management.${xmlid}"]`;

function openAppSteps() {
    return [
        ...stepUtils.goToAppSteps("sales_management.menu_sales_management_root"),
        {
            content: "The app's brand shows its name, not Odoo's 'Sales'",
            trigger: '.o_menu_brand:contains("Sales Management")',
        },
        { content: "Planning phase", trigger: section("menu_sales_management_planning") },
        { content: "Execution phase", trigger: section("menu_sales_management_execution") },
        { content: "Control phase", trigger: section("menu_sales_management_control") },
        { content: "Reporting phase", trigger: section("menu_sales_management_reporting") },
        {
            content: "Open Execution",
            trigger: section("menu_sales_management_execution"),
            run: "click",
        },
        {
            content: "Open the pipeline from Execution",
            trigger: '.dropdown-menu [data-menu-xmlid="sales_management.menu_sales_management_pipeline"]',
            run: "click",
        },
        {
            content: "The pipeline renders",
            trigger: ".o_kanban_view .o_kanban_renderer",
        },
    ];
}

registry.category("web_tour.tours").add("sales_management_menu_manager", {
    url: "/odoo",
    steps: () => [
        ...openAppSteps(),
        {
            content: "A manager sees Configuration",
            trigger: section("menu_sales_management_configuration"),
        },
    ],
});

registry.category("web_tour.tours").add("sales_management_menu_salesman", {
    url: "/odoo",
    steps: () => [
        ...openAppSteps(),
        {
            content: "A salesperson does not see Configuration",
            trigger: `.o_menu_sections:not(:has(${section("menu_sales_management_configuration").replace(".o_menu_sections ", "")}))`,
        },
    ],
});
