/** @odoo-module */
// Team Day: per salesperson, yesterday's work, today's and tomorrow's plan, the overdue
// count and the day's note. Everything comes from sales.team.day.get_team_day (built from
// the records); every line the viewer may read opens its record.

import { Component, onWillStart, useState } from "@odoo/owl";
import { deserializeDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

const KINDS = {
    activity_done: { icon: "fa-check-circle text-success", label: _t("Activity done") },
    quotation: { icon: "fa-paper-plane text-info", label: _t("Quotation sent") },
    order: { icon: "fa-shopping-cart text-success", label: _t("Order confirmed") },
    milestone: { icon: "fa-flag text-primary", label: _t("Milestone reached") },
    todo_done: { icon: "fa-check-square-o text-success", label: _t("To-do done") },
    activity: { icon: "fa-clock-o text-warning", label: _t("Activity") },
    todo: { icon: "fa-square-o", label: _t("To-do") },
    meeting: { icon: "fa-calendar text-primary", label: _t("Meeting") },
};

export class SalesTeamDay extends Component {
    static template = "sales_management.SalesTeamDay";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.state = useState({
            data: null, day: null, teamId: false, note: "", saving: false,
            // folded sections and cards, by "<user_id>" or "<user_id>:<section>"; kept when the day moves
            folded: {},
        });
        onWillStart(() => this.load());
    }

    async load(day = this.state.day, teamId = this.state.teamId) {
        const data = await this.orm.call("sales.team.day", "get_team_day", [day || false, teamId || false]);
        this.state.data = data;
        this.state.day = data.date;
        this.state.teamId = data.team_id;
        const me = data.people.find((p) => p.is_me);
        this.state.note = me && me.note ? me.note.text : "";
    }

    shift(days) {
        const date = new Date(`${this.state.day}T12:00:00Z`);
        date.setUTCDate(date.getUTCDate() + days);
        return this.load(date.toISOString().slice(0, 10));
    }

    today() {
        return this.load(false);
    }

    onTeam(ev) {
        return this.load(this.state.day, parseInt(ev.target.value) || false);
    }

    /** "Wed, May 13" in the user's language. */
    formatDay(value) {
        return value ? deserializeDate(value).toLocaleString({ weekday: "short", month: "short", day: "numeric" }) : "";
    }

    isFolded(key) {
        return Boolean(this.state.folded[key]);
    }

    toggle(key) {
        this.state.folded[key] = !this.state.folded[key];
    }

    kind(line) {
        return KINDS[line.kind] || { icon: "fa-circle-o", label: "" };
    }

    sections(person) {
        return [
            { key: "yesterday", label: _t("Yesterday"), date: this.state.data.yesterday, lines: person.yesterday,
              empty: _t("Nothing recorded.") },
            { key: "today", label: _t("Today"), date: this.state.data.date, lines: person.today,
              empty: _t("Nothing planned.") },
            { key: "tomorrow", label: _t("Tomorrow"), date: this.state.data.tomorrow, lines: person.tomorrow,
              empty: _t("Nothing planned.") },
        ];
    }

    open(line) {
        if (!line.openable) {
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: line.model,
            res_id: line.id,
            views: [[false, "form"]],
            target: "current",
        });
    }

    async saveNote() {
        this.state.saving = true;
        try {
            await this.orm.call("sales.day.note", "action_save_note", [this.state.day, this.state.note]);
            this.notification.add(_t("Note saved"), { type: "success" });
            await this.load();
        } finally {
            this.state.saving = false;
        }
    }
}

registry.category("actions").add("sales_management.team_day", SalesTeamDay);
