# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reporting: values of the QWeb PDF reports, and the XLSX exports (OCA report_xlsx).

The renderers stay thin: every figure comes from ``sales.plan._get_performance_data()`` or
``sales.management.dashboard.get_dashboard_data()``, the same methods the dashboard calls.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import float_round

from ..models.res_company import HEALTH_COLOURS


def health_labels(env):
    """The health labels of the figures, in the user's language (``res_company.HEALTH``)."""
    return dict(env["sales.plan"]._fields["health"]._description_selection(env))


def _escape_svg(text):
    return (str(text or "").replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def svg_bar_chart(series, labels, colours=("#714B67", "#A0A0A0"), width=640, height=220,
                  legend=None):
    """A grouped bar chart as inline SVG (server-side: wkhtmltopdf draws it as is).
    ``series``: lists of values, one list per series, aligned on ``labels``."""
    values = [v for serie in series for v in serie] or [0]
    top = max(max(values), 1.0)
    left, bottom, right, head = 8, 28, 8, 18
    plot_w, plot_h = width - left - right, height - bottom - head
    slot = plot_w / max(len(labels), 1)
    bar_w = max(slot * 0.8 / max(len(series), 1), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="9">',
        f'<line x1="{left}" y1="{head + plot_h}" x2="{width - right}" y2="{head + plot_h}" '
        'stroke="#888" stroke-width="0.5"/>',
    ]
    for i, label in enumerate(labels):
        x0 = left + i * slot + slot * 0.1
        for s, serie in enumerate(series):
            value = serie[i] if i < len(serie) else 0
            h = plot_h * max(value, 0) / top
            x = x0 + s * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{head + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{colours[s % len(colours)]}"/>'
            )
        parts.append(
            f'<text x="{left + i * slot + slot / 2:.1f}" y="{head + plot_h + 12}" '
            f'text-anchor="middle">{_escape_svg(label)}</text>'
        )
    for s, name in enumerate(legend or []):
        parts.append(
            f'<rect x="{left + s * 150}" y="2" width="10" height="10" '
            f'fill="{colours[s % len(colours)]}"/><text x="{left + s * 150 + 14}" y="11">'
            f'{_escape_svg(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def svg_hbar_chart(rows, width=640, bar_h=16, colour="#714B67", suffix=""):
    """Horizontal bars: ``rows`` = [(label, value, colour or None)]."""
    top = max([r[1] for r in rows] + [1.0])
    label_w = 180
    height = max(len(rows), 1) * (bar_h + 6) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="9">'
    ]
    for i, (label, value, fill) in enumerate(rows):
        y = 4 + i * (bar_h + 6)
        w = (width - label_w - 70) * max(value, 0) / top
        parts.append(
            f'<text x="0" y="{y + bar_h - 4}">{_escape_svg(label)[:34]}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" '
            f'fill="{fill or colour}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 4}">'
            f'{float_round(value, 1):g}{_escape_svg(suffix)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


class ReportPlanPerformance(models.AbstractModel):
    _name = "report.sales_management.report_plan_performance"
    _description = "Plan Performance Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        plans = self.env["sales.plan"].browse(docids)
        plans.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "sales.plan",
            "docs": plans,
            "performance": plans._get_performance_data(),
            "health_colours": HEALTH_COLOURS,
            "health_labels": health_labels(self.env),
        }


class ReportSalespersonScorecard(models.AbstractModel):
    _name = "report.sales_management.report_salesperson_scorecard"
    _description = "Salesperson Scorecard"

    @api.model
    def _get_report_values(self, docids, data=None):
        docids = self.env["sales.management.dashboard"]._report_docids(docids, data)
        users = self.env["res.users"].browse(docids)
        self._check_scorecard_access(users)
        data = self.env["sales.management.dashboard"]._check_report_options(data)
        period = data.get("period", "year")
        date_ref = data.get("date_ref")
        Dashboard = self.env["sales.management.dashboard"]
        cards = {}
        for user in users:
            kpis = Dashboard.get_dashboard_data(period, date_ref, user_ids=[user.id])
            kpis["execution"] = self._get_execution_figures(user, kpis["period"])
            kpis["competencies"] = self.env["sales.competency.rating"]._scorecard_data(
                user, kpis["period"]["date_from"], kpis["period"]["date_to"])
            cards[user.id] = kpis
        return {
            "doc_ids": docids,
            "doc_model": "res.users",
            "docs": users,
            "cards": cards,
            "health_colours": HEALTH_COLOURS,
            "health_labels": health_labels(self.env),
        }

    @api.model
    def _check_scorecard_access(self, users):
        """A salesperson prints their own scorecard; a team leader those of their team's
        members; "All Documents" and managers anyone's."""
        me = self.env.user
        if self.env.su:
            return
        # nothing crosses companies: only salespersons of the companies one works in
        foreign = users.filtered(lambda u: not u.company_ids & self.env.companies)
        if foreign:
            raise AccessError(self.env._(
                "%(names)s work in another company: their scorecard is not yours to print.",
                names=", ".join(foreign.sudo().mapped("name")),
            ))
        if me.has_group("sales_team.group_sale_salesman_all_leads"):
            return
        led_members = self.env["crm.team"].search([("user_id", "=", me.id)]).member_ids
        others = users.filtered(lambda u: u != me and u not in led_members)
        if others:
            raise AccessError(self.env._(
                "You can only print your own scorecard (or your team members'): not "
                "%(names)s.", names=", ".join(others.mapped("name")),
            ))

    @api.model
    def _get_execution_figures(self, user, period):
        """Activities, tasks and to-do results of the salesperson in the period."""
        date_from = fields.Date.to_date(period["date_from"])
        date_to = fields.Date.to_date(period["date_to"])
        Dashboard = self.env["sales.management.dashboard"]
        start, stop = Dashboard._datetime_bounds(date_from, date_to)
        done_by_type = self.env["mail.message"]._read_group([
            ("mail_activity_type_id", "!=", False), ("author_id", "=", user.partner_id.id),
            ("model", "in", ("crm.lead", "sale.order", "res.partner")),
            ("date", ">=", start), ("date", "<", stop),
        ], ["mail_activity_type_id"], ["__count"])
        open_activities = self.env["mail.activity"].search_count([("user_id", "=", user.id)])
        tasks = dict(self.env["sales.task"]._read_group([
            ("user_id", "=", user.id),
            "|", ("state", "in", ("draft", "in_progress")),
            "&", ("date_done", ">=", date_from), ("date_done", "<=", date_to),
        ], ["state"], ["__count"]))
        todos = self.env["sales.task.todo"]._read_group([
            ("user_id", "=", user.id), ("state", "=", "done"),
            ("date_done", ">=", date_from), ("date_done", "<=", date_to),
        ], [], ["__count", "expected_value:sum", "actual_value:sum"])
        [(todo_done, todo_expected, todo_actual)] = todos
        return {
            "activities_done": [(t.name, count) for t, count in done_by_type],
            "activities_done_total": sum(count for _t, count in done_by_type),
            "activities_open": open_activities,
            "tasks_open": tasks.get("draft", 0) + tasks.get("in_progress", 0),
            "tasks_done": tasks.get("done", 0),
            "todos_done": todo_done,
            "todos_expected": todo_expected or 0.0,
            "todos_actual": todo_actual or 0.0,
        }


class ReportExecutiveSummary(models.AbstractModel):
    _name = "report.sales_management.report_executive_summary"
    _description = "Executive Sales Summary"

    @api.model
    def _get_report_values(self, docids, data=None):
        docids = self.env["sales.management.dashboard"]._report_docids(docids, data)
        companies = self.env["res.company"].browse(docids)
        data = self.env["sales.management.dashboard"]._check_report_options(data)
        period = data.get("period", "year")
        date_ref = data.get("date_ref")
        summaries = {}
        for company in companies:
            Dashboard = self.env["sales.management.dashboard"].with_company(company)
            summary = Dashboard.with_context(
                allowed_company_ids=[company.id],
            ).get_dashboard_data(period, date_ref)
            summary["monthly"] = Dashboard.with_context(
                allowed_company_ids=[company.id],
            )._get_monthly_revenue(fields.Date.to_date(summary["period"]["date_to"]))
            summary["charts"] = self._charts(summary)
            summaries[company.id] = summary
        return {
            "doc_ids": docids,
            "doc_model": "res.company",
            "docs": companies,
            "summaries": summaries,
            "health_colours": HEALTH_COLOURS,
            "health_labels": health_labels(self.env),
        }

    @api.model
    def _charts(self, summary):
        monthly = summary["monthly"]
        return {
            "revenue": svg_bar_chart(
                [[m["revenue"] for m in monthly], [m["revenue_last_year"] for m in monthly]],
                [m["label"] for m in monthly],
                legend=[self.env._("This year"), self.env._("Last year")],
            ),
            "funnel": svg_hbar_chart(
                [(row["name"], row["reached"], None) for row in summary["funnel"]],
            ),
            # a team's bar in the colour of its health (what its pace says), as on the
            # dashboard: not of its achievement, which is low early in the year
            "teams": svg_hbar_chart(
                [(row["name"], row["achievement"], HEALTH_COLOURS.get(row.get("health")))
                 for row in summary["teams"]],
                suffix=" %",
            ),
        }


class ReportPlanPerformanceXlsx(models.AbstractModel):
    _name = "report.sales_management.report_plan_performance_xlsx"
    _inherit = "report.sales_management.xlsx_common"
    _description = "Plan Performance XLSX"

    def generate_xlsx_report(self, workbook, data, objs):
        objs.check_access("read")
        performance = objs._get_performance_data()
        health = dict(self.env["sales.plan"]._fields["health"]._description_selection(self.env))
        for plan in objs:
            perf = performance[plan.id]
            formats = self._formats(workbook, plan.currency_id or self.env.company.currency_id)
            sheet = workbook.add_worksheet(self._sheet_name(workbook, plan.name))
            sheet.set_column(0, 0, 38)
            sheet.set_column(1, 3, 18)
            sheet.set_column(4, 10, 15)
            self._write_text(sheet, 0, 0, plan.complete_name, formats["title"])
            self._write_text(sheet, 1, 0, self.env._(
                "%(start)s to %(end)s · responsible %(user)s · figures on %(today)s",
                start=plan.date_from, end=plan.date_to, user=plan.user_id.name,
                today=perf["today"],
            ))
            row = 3
            headers = (
                self.env._("Plan"), self.env._("Responsible"), self.env._("Team"),
                self.env._("Metric"), self.env._("Target"), self.env._("Actual"),
                self.env._("Expected to Date"), self.env._("Achievement"), self.env._("Pace"),
                self.env._("Health"),
            )
            # one more column per property the plan's team defines, its value as text
            properties = [
                prop for prop in plan.team_id.sales_plan_properties_definition or []
                if prop.get("type") != "separator"
            ]
            headers += tuple(prop.get("string") or prop["name"] for prop in properties)
            values = self._property_texts(perf["tree"]) if properties else {}
            self._write_headers(sheet, row, headers, formats)
            child_rows = []
            for line in perf["tree"]:
                row += 1
                r = row + 1  # 1-based row in formulas
                self._write_text(sheet, row, 0, line["short_name"],
                                 formats["indent"][min(line["depth"], 7)])
                self._write_text(sheet, row, 1, line["user"])
                self._write_text(sheet, row, 2, line["team"])
                self._write_text(sheet, row, 3, line["metric"])
                unit_fmt = self._unit_format(formats, line["unit"])
                sheet.write_number(row, 4, line["target"], unit_fmt)
                sheet.write_number(row, 5, line["actual"], unit_fmt)
                sheet.write_number(row, 6, line["expected"], unit_fmt)
                self._write_ratio(sheet, row, 7, "F", "E", formats["percent"],
                                  line["achievement"] / 100.0)
                self._write_ratio(sheet, row, 8, "F", "G", formats["percent"],
                                  line["pace"] / 100.0, if_zero=1)
                self._write_health(sheet, row, 9, line["health"], health, formats)
                for col, prop in enumerate(properties, start=10):
                    self._write_text(sheet, row, col, values.get(line["id"], {}).get(prop["name"]))
                if line["depth"] == 1:
                    child_rows.append((r, line))
            if child_rows:
                row += 1
                self._write_text(sheet, row, 0, self.env._("Allocated to sub-plans"),
                                 formats["bold"])
                lines = [line for _cr, line in child_rows]
                self._write_sums(
                    sheet, row, ((4, "E", "target"), (5, "F", "actual"), (6, "G", "expected")),
                    [cr for cr, _line in child_rows], lines,
                    self._unit_format(formats, perf["row"]["unit"], bold=True),
                )
                total_target = sum(line["target"] for line in lines)
                total_actual = sum(line["actual"] for line in lines)
                self._write_ratio(sheet, row, 7, "F", "E", formats["percent_bold"],
                                  total_actual / total_target if total_target else 0.0)
            row = self._write_targets(sheet, row + 2, perf, formats, health)
            row = self._write_contributors(sheet, row + 2, perf, formats, health)

    def _property_texts(self, lines):
        """{plan id: {property name: value as text}} of the plans of ``lines``, read in one
        query with the caller's rights (the plans of the report they may read)."""
        plans = self.env["sales.plan"].browse([line["id"] for line in lines])
        return {
            vals["id"]: {prop["name"]: self._property_text(prop)
                         for prop in vals["plan_properties"]}
            for vals in plans.read(["plan_properties"])
        }

    def _property_text(self, prop):
        """A property's value as the form shows it: labels, names, dates, yes/no."""
        value = prop.get("value")
        kind = prop.get("type")
        if kind == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        if value in (None, False, "", []):
            return ""
        if kind == "selection":
            return dict(prop.get("selection") or []).get(value, value)
        if kind == "tags":
            labels = {tag[0]: tag[1] for tag in prop.get("tags") or []}
            return ", ".join(labels.get(tag, tag) for tag in value)
        if kind == "many2one":
            return value[1] if isinstance(value, (list, tuple)) else value
        if kind == "many2many":
            return ", ".join(str(rec[1]) for rec in value)
        return value

    def _write_targets(self, sheet, row, perf, formats, health):
        self._write_text(sheet, row, 0, self.env._("Targets"), formats["bold"])
        row += 1
        headers = (
            self.env._("Metric"), self.env._("Dimensions"), self.env._("Start"),
            self.env._("End"), self.env._("Target"), self.env._("Actual"),
            self.env._("Expected to Date"), self.env._("Variance"), self.env._("Achievement"),
            self.env._("Pace"), self.env._("Health"),
        )
        self._write_headers(sheet, row, headers, formats)
        headline = []
        for target in perf["targets"]:
            row += 1
            r = row + 1
            self._write_text(sheet, row, 0, target["metric"])
            self._write_text(sheet, row, 1, target["dimensions"])
            sheet.write_datetime(row, 2, fields.Datetime.to_datetime(target["date_from"]),
                                 formats["date"])
            sheet.write_datetime(row, 3, fields.Datetime.to_datetime(target["date_to"]),
                                 formats["date"])
            unit_fmt = self._unit_format(formats, target["unit"])
            sheet.write_number(row, 4, target["target"], unit_fmt)
            sheet.write_number(row, 5, target["actual_value"], unit_fmt)
            sheet.write_number(row, 6, target["expected_to_date"], unit_fmt)
            sheet.write_formula(row, 7, f"=F{r}-G{r}", unit_fmt, target["variance"])
            self._write_ratio(sheet, row, 8, "F", "E", formats["percent"],
                              target["achievement"] / 100.0)
            self._write_ratio(sheet, row, 9, "F", "G", formats["percent"],
                              target["pace"] / 100.0, if_zero=1)
            self._write_health(sheet, row, 10, target["health"], health, formats)
            if target["unit"] == "amount" and not target["is_breakdown"]:
                headline.append((r, target))
        if headline:
            row += 1
            self._write_text(sheet, row, 0, self.env._("Total (amount targets)"),
                             formats["bold"])
            targets = [t for _hr, t in headline]
            self._write_sums(
                sheet, row, ((4, "E", "target"), (5, "F", "actual_value"),
                             (6, "G", "expected_to_date"), (7, "H", "variance")),
                [hr for hr, _t in headline], targets, formats["amount_bold"],
            )
            total_target = sum(t["target"] for t in targets)
            total_actual = sum(t["actual_value"] for t in targets)
            self._write_ratio(sheet, row, 8, "F", "E", formats["percent_bold"],
                              total_actual / total_target if total_target else 0.0)
        return row

    def _write_contributors(self, sheet, row, perf, formats, health):
        if not perf["gap_contributors"]:
            return row
        self._write_text(sheet, row, 0, self.env._("Gap contributors"), formats["bold"])
        row += 1
        headers = (self.env._("Sub-plan or target"), self.env._("Responsible"),
                   self.env._("Behind expected by"), self.env._("Pace"), self.env._("Health"))
        self._write_headers(sheet, row, headers, formats)
        for item in perf["gap_contributors"]:
            row += 1
            self._write_text(sheet, row, 0, item["name"])
            self._write_text(sheet, row, 1, item["user"])
            sheet.write_number(row, 2, -item["variance"],
                               self._unit_format(formats, item["unit"]))
            sheet.write_number(row, 3, item["pace"] / 100.0, formats["percent"])
            self._write_health(sheet, row, 4, item["health"], health, formats)
        return row


class ReportKpiAnalysisXlsx(models.AbstractModel):
    _name = "report.sales_management.report_kpi_analysis_xlsx"
    _inherit = "report.sales_management.xlsx_common"
    _description = "KPI Analysis XLSX"

    def generate_xlsx_report(self, workbook, data, objs):
        data = self.env["sales.management.dashboard"]._check_report_options(data)
        for company in objs or self.env.company:
            Dashboard = self.env["sales.management.dashboard"].with_company(company) \
                .with_context(allowed_company_ids=[company.id])
            kpis = Dashboard.get_dashboard_data(data.get("period", "year"), data.get("date_ref"))
            formats = self._formats(workbook, company.currency_id)
            self._write_kpis(workbook, company, kpis, formats)
            self._write_leaderboard(workbook, company, kpis, formats)
            self._write_funnel(workbook, company, kpis, formats)

    def _write_kpis(self, workbook, company, kpis, formats):
        sheet = workbook.add_worksheet(self._sheet_name(workbook, self.env._("KPIs")))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 2, 18)
        self._write_text(sheet, 0, 0, self.env._(
            "%(company)s · %(period)s · %(scope)s", company=company.name,
            period=kpis["period"]["label"], scope=kpis["scope"]["label"],
        ), formats["title"])
        k = kpis["kpis"]
        rows = [
            (self.env._("Revenue (confirmed orders)"), k["revenue"], "amount"),
            (self.env._("Revenue, same period last year"), k["revenue_last_year"], "amount"),
            (self.env._("Growth"), None, "=IF(B4=0,0,(B3-B4)/B4)"),
            (self.env._("Orders"), k["order_count"], "integer"),
            # the dashboard's and KPI Analysis' one definition (won opportunities)
            (self.env._("Average deal size"), k["avg_deal_size"], "amount"),
            (self.env._("Quotations"), k["quotation_count"], "integer"),
            (self.env._("Quotations confirmed"), k["quotation_order_count"], "integer"),
            (self.env._("Quotations → orders"), None, "=IF(B8=0,0,B9/B8)"),
            (self.env._("Opportunities won"), k["won_count"], "integer"),
            (self.env._("Opportunities lost"), k["lost_count"], "integer"),
            (self.env._("Hit rate (won / (won + lost))"), None, "=IF(B11+B12=0,0,B11/(B11+B12))"),
            (self.env._("Sales cycle (days, won)"), k["cycle_days"], "number"),
            (self.env._("Weighted open pipeline"), k["pipeline_weighted"], "amount"),
            (self.env._("Remaining target"), k["remaining_target"], "amount"),
            (self.env._("Pipeline coverage"), None, "=IF(B16=0,0,B15/B16)"),
        ]
        cached = {
            "=IF(B4=0,0,(B3-B4)/B4)": k["growth"] / 100.0,
            "=IF(B8=0,0,B9/B8)": k["quotation_conversion"] / 100.0,
            "=IF(B11+B12=0,0,B11/(B11+B12))": k["hit_rate"] / 100.0,
            "=IF(B16=0,0,B15/B16)": k["pipeline_coverage"] / 100.0,
        }
        self._write_headers(sheet, 1, (self.env._("Indicator"), self.env._("Value")), formats)
        for i, (label, value, kind) in enumerate(rows, start=2):
            self._write_text(sheet, i, 0, label)
            if kind.startswith("="):
                sheet.write_formula(i, 1, kind, formats["percent"], cached[kind])
            else:
                sheet.write_number(i, 1, value or 0.0, formats[kind])

    def _write_leaderboard(self, workbook, company, kpis, formats):
        sheet = workbook.add_worksheet(self._sheet_name(workbook, self.env._("Leaderboard")))
        sheet.set_column(0, 0, 8)
        sheet.set_column(1, 1, 30)
        sheet.set_column(2, 7, 16)
        headers = (self.env._("Rank"), self.env._("Salesperson"), self.env._("Target"),
                   self.env._("Actual"), self.env._("Achievement"),
                   self.env._("Change vs previous period"), self.env._("Revenue"),
                   self.env._("Health"))
        self._write_headers(sheet, 0, headers, formats)
        labels = {health: style["label"] for health, style in kpis["health_styles"].items()}
        row = 0
        for line in kpis["leaderboard"]:
            row += 1
            sheet.write_number(row, 0, line["rank"], formats["integer"])
            self._write_text(sheet, row, 1, line["name"])
            sheet.write_number(row, 2, line["target"], formats["amount"])
            sheet.write_number(row, 3, line["actual"], formats["amount"])
            # the achievement in the colour of the person's health, as on the dashboard
            self._write_ratio(sheet, row, 4, "D", "C",
                              formats["health_percent"].get(line["health"], formats["percent"]),
                              line["achievement"] / 100.0)
            if line["change"] is not None:
                sheet.write_number(row, 5, line["change"] / 100.0, formats["percent"])
            sheet.write_number(row, 6, line["revenue"], formats["amount"])
            self._write_health(sheet, row, 7, line["health"], labels, formats)
        if row:
            total = row + 1
            self._write_text(sheet, total, 1, self.env._("Total"), formats["bold"])
            self._write_sums(
                sheet, total, ((2, "C", "target"), (3, "D", "actual"), (6, "G", "revenue")),
                range(2, row + 2), kpis["leaderboard"],
                formats["amount_bold"],
            )
            t_target = sum(line["target"] for line in kpis["leaderboard"])
            t_actual = sum(line["actual"] for line in kpis["leaderboard"])
            self._write_ratio(sheet, total, 4, "D", "C", formats["percent_bold"],
                              t_actual / t_target if t_target else 0.0)

    def _write_funnel(self, workbook, company, kpis, formats):
        sheet = workbook.add_worksheet(self._sheet_name(workbook, self.env._("Funnel")))
        sheet.set_column(0, 0, 30)
        sheet.set_column(1, 3, 16)
        headers = (self.env._("Milestone"), self.env._("Reached"), self.env._("Won"),
                   self.env._("Conversion to won"))
        self._write_headers(sheet, 0, headers, formats)
        row = 0
        for line in kpis["funnel"]:
            row += 1
            self._write_text(sheet, row, 0, line["name"])
            sheet.write_number(row, 1, line["reached"], formats["integer"])
            sheet.write_number(row, 2, line["won"], formats["integer"])
            self._write_ratio(sheet, row, 3, "C", "B", formats["percent"],
                              line["won"] / line["reached"] if line["reached"] else 0.0)
