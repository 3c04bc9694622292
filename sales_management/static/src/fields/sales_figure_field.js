/** @odoo-module */
// A figure of a plan or a target in its metric's unit (``metric_unit`` of the record):
// an amount in the record's currency, a count without decimals, a percentage with its
// sign — as the dashboard, the PDF and the chatter show it (sales.plan.target
// ._format_figure). Editing keeps the number, with the unit beside it.

import { getCurrency } from "@web/core/currency";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { FloatField, floatField } from "@web/views/fields/float/float_field";
import { formatFloat, formatMonetary } from "@web/views/fields/formatters";

export class SalesFigureField extends FloatField {
    static template = "sales_management.SalesFigureField";
    static props = { ...FloatField.props, unit: { type: String, optional: true } };

    // options="{'unit': 'percent'}": a ratio (pace, achievement, coverage), whatever
    // the metric
    get unit() {
        return this.props.unit || this.props.record.data.metric_unit || "amount";
    }

    get currencyId() {
        const currency = this.props.record.data.currency_id;
        return Array.isArray(currency) ? currency[0] : currency;
    }

    get digits() {
        if (this.unit === "count") {
            return [16, 0];
        }
        if (this.unit === "percent") {
            return [16, 1];
        }
        if (this.unit === "amount" && this.currencyId) {
            return getCurrency(this.currencyId)?.digits || [16, 2];
        }
        return [16, 2];
    }

    get suffix() {
        if (this.unit === "percent") {
            return "%";
        }
        if (this.unit === "amount" && this.currencyId) {
            return getCurrency(this.currencyId)?.symbol || "";
        }
        return "";
    }

    get displayValue() {
        const value = this.value || 0;
        if (this.unit === "amount" && this.currencyId) {
            return formatMonetary(value, { currencyId: this.currencyId });
        }
        const text = formatFloat(value, { digits: this.digits });
        return this.unit === "percent" ? `${text}\u00a0%` : text;
    }

    get formattedValue() {
        if (this.props.readonly) {
            return this.displayValue;
        }
        return formatFloat(this.value, { digits: this.digits });
    }
}

export const salesFigureField = {
    ...floatField,
    component: SalesFigureField,
    displayName: _t("Figure in its metric's unit"),
    supportedOptions: [
        ...floatField.supportedOptions,
        { label: _t("Unit"), name: "unit", type: "string" },
    ],
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...floatField.extractProps(fieldInfo, dynamicInfo),
        unit: fieldInfo.options.unit,
    }),
    // the record's metric unit and currency, unless the unit is given
    fieldDependencies: ({ options }) =>
        options.unit
            ? []
            : [
                  { name: "metric_unit", type: "selection" },
                  { name: "currency_id", type: "many2one", relation: "res.currency" },
              ],
};

registry.category("fields").add("sales_figure", salesFigureField);
