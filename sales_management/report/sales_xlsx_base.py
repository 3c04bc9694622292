# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from ..models.res_company import HEALTH_COLOURS


class SalesReportXlsxMixin(models.AbstractModel):
    """Formats and safe writers shared by the XLSX exports."""

    _name = "report.sales_management.xlsx_common"
    _inherit = "report.report_xlsx.abstract"
    _description = "Sales Management XLSX helpers"

    def _formats(self, workbook, currency):
        fmt = workbook.add_format
        return {
            "title": fmt({"bold": True, "font_size": 14}),
            "header": fmt({"bold": True, "bg_color": "#714B67", "font_color": "#FFFFFF",
                           "border": 1, "text_wrap": True}),
            "text": fmt({}),
            "bold": fmt({"bold": True}),
            "amount": fmt({"num_format": self._report_xlsx_currency_format(currency)}),
            "amount_bold": fmt({"num_format": self._report_xlsx_currency_format(currency),
                                "bold": True, "top": 1}),
            "number": fmt({"num_format": "#,##0.00"}),
            "number_bold": fmt({"num_format": "#,##0.00", "bold": True, "top": 1}),
            "integer": fmt({"num_format": "#,##0"}),
            "percent": fmt({"num_format": "0.0%"}),
            "percent_bold": fmt({"num_format": "0.0%", "bold": True, "top": 1}),
            "date": fmt({"num_format": "yyyy-mm-dd"}),
            "indent": [fmt({"indent": level}) for level in range(8)],
            # a figure of a percent metric (35 for a 35 % win rate)
            "percent_value": fmt({"num_format": '0.0" %"'}),
            "percent_value_bold": fmt({"num_format": '0.0" %"', "bold": True, "top": 1}),
            "integer_bold": fmt({"num_format": "#,##0", "bold": True, "top": 1}),
            # a health in its colour: the same mapping as the dashboard and the PDFs
            "health": {
                health: fmt({"bg_color": colour, "font_color": "#FFFFFF"})
                for health, colour in HEALTH_COLOURS.items()
            },
            # a ratio (1 = 100 %) in the colour of its health
            "health_percent": {
                health: fmt({"num_format": "0.0%", "bg_color": colour, "font_color": "#FFFFFF"})
                for health, colour in HEALTH_COLOURS.items()
            },
        }

    def _write_health(self, sheet, row, col, health, labels, formats):
        """A health label in its colour (``res_company.HEALTH_COLOURS``)."""
        self._write_text(sheet, row, col, labels.get(health, ""),
                         formats["health"].get(health))

    def _write_text(self, sheet, row, col, value, cell_format=None):
        """User text is always a string cell: "=cmd|..." stays text, never a formula."""
        sheet.write_string(row, col, str(value or ""), cell_format)

    def _write_headers(self, sheet, row, titles, formats):
        """The column titles of a table, from column 0."""
        for col, title in enumerate(titles):
            sheet.write_string(row, col, title, formats["header"])

    def _write_ratio(self, sheet, row, col, numerator, denominator, cell_format, value,
                     if_zero=0):
        """``numerator / denominator`` of the row (column letters) as a live formula,
        ``if_zero`` when the denominator is 0; ``value`` is the cached result."""
        r = row + 1  # 1-based row in formulas
        sheet.write_formula(
            row, col, f"=IF({denominator}{r}=0,{if_zero},{numerator}{r}/{denominator}{r})",
            cell_format, value,
        )

    def _write_sums(self, sheet, row, columns, rows, lines, cell_format):
        """A total row: for each ``(col, letter, key)`` of ``columns``, ``=SUM`` of that
        column over ``rows`` (1-based row numbers; a ``range`` is written ``E2:E9``),
        cached as the sum of ``line[key]`` over ``lines``."""
        for col, letter, key in columns:
            if isinstance(rows, range):
                cells = f"{letter}{rows[0]}:{letter}{rows[-1]}"
            else:
                cells = ",".join(f"{letter}{r}" for r in rows)
            sheet.write_formula(row, col, f"=SUM({cells})", cell_format,
                                sum(line[key] for line in lines))

    def _unit_format(self, formats, unit, bold=False):
        """A figure's format in its metric's unit: an amount in the currency, a count
        without decimals, a percentage with its sign."""
        key = {"amount": "amount", "count": "integer", "percent": "percent_value"}.get(
            unit, "number")
        return formats[f"{key}_bold" if bold else key]

    def _sheet_name(self, workbook, name):
        base = "".join(c for c in (name or "Sheet") if c not in "[]:*?/\\")[:28] or "Sheet"
        names = {ws.get_name() for ws in workbook.worksheets()}
        candidate, i = base, 2
        while candidate in names:
            candidate, i = f"{base[:25]} {i}", i + 1
        return candidate
