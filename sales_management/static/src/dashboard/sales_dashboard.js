/** @odoo-module */
// Sales Management dashboard: the current user's scope (own, team or all) for a period.
// Every figure comes from sales.management.dashboard.get_dashboard_data (the same method
// the PDF and XLSX reports use) and drills to the records behind it.

import { Component, markup, onWillStart, useState } from "@odoo/owl";
import { formatCurrency } from "@web/core/currency";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

export class SalesManagementDashboard extends Component {
    static template = "sales_management.SalesManagementDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ period: "year", data: null, loading: true });
        onWillStart(() => this.load());
    }

    async load(period = this.state.period) {
        this.state.loading = true;
        this.state.data = await this.orm.call(
            "sales.management.dashboard", "get_dashboard_data", [period]
        );
        this.state.period = period;
        this.state.loading = false;
    }

    get kpis() {
        return this.state.data.kpis;
    }

    get periods() {
        return [
            { key: "month", label: _t("Month") },
            { key: "quarter", label: _t("Quarter") },
            { key: "year", label: _t("Year") },
        ];
    }

    money(value) {
        return formatCurrency(value || 0, this.state.data.currency.id);
    }

    // the plans' conception texts: sanitized by their Html fields when stored
    html(value) {
        return markup(value || "");
    }

    percent(value) {
        return `${(value || 0).toFixed(1)} %`;
    }

    number(value, digits = 0) {
        return (value || 0).toFixed(digits);
    }

    // a health's label and colours come from the server (res_company.HEALTH_CONTEXT): the
    // same as on the prints
    healthStyle(health) {
        return this.state.data.health_styles[health] || { label: "", context: "secondary" };
    }

    healthClass(health) {
        return `text-bg-${this.healthStyle(health).context}`;
    }

    healthBarClass(health) {
        return `bg-${this.healthStyle(health).context}`;
    }

    healthLabel(health) {
        return this.healthStyle(health).label;
    }

    // a plan's figure in its metric's unit: an amount in the currency, a count without
    // decimals, a percentage with its sign
    figure(value, unit) {
        if (unit === "amount") {
            return this.money(value);
        }
        if (unit === "percent") {
            return this.percent(value);
        }
        return this.number(value, unit === "count" ? 0 : 2);
    }

    changeLabel(row) {
        if (row.change === null || row.change === undefined) {
            return _t("new");
        }
        const sign = row.change > 0 ? "+" : row.change < 0 ? "−" : "";
        return `${sign}${Math.abs(row.change).toFixed(1)} pts`;
    }

    // the colour and arrow of a change follow its sign
    changeClass(row) {
        if (!row.change) {
            return "text-muted";
        }
        return row.change > 0 ? "text-success" : "text-danger";
    }

    drill(key) {
        const target = this.state.data.drill[key];
        if (!target) {
            return;
        }
        this.action.doAction({
            type: "ir.actions.act_window",
            name: target.name,
            res_model: target.res_model,
            domain: target.domain,
            context: target.context || {},
            views: target.views || [
                [false, "list"],
                [false, "form"],
            ],
            target: "current",
        });
    }

    openPlans(planIds, name) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: name || _t("Plans"),
            res_model: "sales.plan",
            domain: [["id", "in", planIds]],
            views: planIds.length === 1 ? [[false, "form"]] : [[false, "list"], [false, "form"]],
            res_id: planIds.length === 1 ? planIds[0] : undefined,
            target: "current",
        });
    }

    async print(kind, userId = false) {
        const action = await this.orm.call("sales.management.dashboard", "action_print", [
            kind,
            this.state.period,
            userId,
        ]);
        await this.action.doAction(action);
    }
}

registry.category("actions").add("sales_management.dashboard", SalesManagementDashboard);
