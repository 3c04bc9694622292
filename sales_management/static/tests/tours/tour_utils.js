/** @odoo-module */
// Steps shared by the journey tours (sales_journey_*_tour.js), at desktop and phone size.

/** The form fits the screen's width: no horizontal scrolling (wide lists scroll inside). */
export function fitsScreen(what) {
    return {
        content: `${what} fits the screen's width`,
        trigger: ".o_form_view .o_form_sheet",
        run() {
            const content = document.querySelector(".o_action_manager .o_content");
            const page = document.scrollingElement;
            if (content.scrollWidth > content.clientWidth + 1 || page.scrollWidth > page.clientWidth + 1) {
                throw new Error(`${what} scrolls horizontally: ${content.scrollWidth} > ${content.clientWidth}`);
            }
        },
    };
}

/** Click a form's header button: in the status bar, or on a phone in the cog menu. */
export function headerButton(name, content) {
    return [
        {
            content: "On a phone, open the menu holding the header buttons",
            trigger: ".o_form_view .o_form_sheet",
            run() {
                if (!document.querySelector(`.o_statusbar_buttons button[name=${name}]`)) {
                    document.querySelector(".o_cp_action_menus .fa-cog")?.closest("button")
                        ?.click();
                }
            },
        },
        {
            content,
            trigger: `.o_statusbar_buttons button[name=${name}], .dropdown-item button[name=${name}]`,
            run: "click",
        },
    ];
}
