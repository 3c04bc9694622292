/** @odoo-module */
// An opportunity's *Still Missing* (the next milestone's criteria and required activities)
// counts the activities done: when one is marked done from the chatter, the form reloads
// its record so that the list and the advance button follow (the chatter alone only
// reloads its own messages).

import { Chatter } from "@mail/chatter/web_portal/chatter";
import { patch } from "@web/core/utils/patch";

patch(Chatter.prototype, {
    onActivityChanged(thread) {
        super.onActivityChanged(...arguments);
        const record = this.props.webRecord;
        if (record && "milestone_missing" in record.fields) {
            this.reloadParentView();
        }
    },
});
