"""Issue 18, point 11: the layout of the PDF reports holds on page 2+.

The Executive Summary and a salesperson's scorecard are rendered through the ORM (as the
report route does; over HTTP the test server would deadlock) with a company whose header
(logo, tagline, a 7-line address block) is as tall as a real one and enough rows for
several pages. The PDF's words are read back with their boxes (``pdftotext -bbox``):
no word prints over another one (the repeated table header over the first row of a page,
the title over the company address), the table header is repeated on every page the table
runs on, and every row reads whole on one line."""

import base64
import re
import shutil
import subprocess
from datetime import date
from html import unescape

from common import SalesManagementCommon

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools.misc import file_open

ROWS = 40
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def pdf_pages(pdf):
    """The PDF's pages as lists of words ``(x0, y0, x1, y1, text)``."""
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    return [
        [(float(a), float(b), float(c), float(d), unescape(text))
         for a, b, c, d, text in WORD.findall(page)]
        for page in html.split("<page ")[1:]
    ]


def page_lines(words):
    """The words of a page grouped in lines (same baseline), left to right."""
    lines = {}
    for x0, _y0, _x1, y1, text in words:
        lines.setdefault(round(y1), []).append((x0, text))
    return [" ".join(text for _x, text in sorted(line)) for _y, line in sorted(lines.items())]


def overlaps(words, tolerance=0.5):
    """The pairs of words whose boxes intersect (beyond ``tolerance`` points)."""
    found = []
    ordered = sorted(words, key=lambda w: w[1])
    for i, first in enumerate(ordered):
        for second in ordered[i + 1:]:
            if second[1] >= first[3] - tolerance:
                break  # sorted by top: no later word reaches up into this one
            if min(first[2], second[2]) - max(first[0], second[0]) > tolerance and \
                    min(first[3], second[3]) - max(first[1], second[1]) > tolerance:
                found.append((first[4], second[4]))
    return found


@tagged("post_install", "-at_install")
class TestReportLayout(SalesManagementCommon, HttpCase):
    freeze_time = "2026-05-13 10:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with file_open("base/static/img/res_company_logo.png", "rb") as logo:
            cls.company.write({
                "logo": base64.b64encode(logo.read()),
                "report_header": "Sales that add up",
                "street": "Rue de la Loi 16", "street2": "Building B, 3rd floor",
                "zip": "1000", "city": "Brussels", "country_id": cls.env.ref("base.be").id,
            })
        cls.company.company_details = (
            "<p>SM Layout Company<br/>Rue de la Loi 16<br/>Building B, 3rd floor<br/>"
            "1000 Brussels<br/>Belgium<br/>VAT BE0477472701<br/>"
            "+32 2 123 45 67 · sales@example.com</p>"
        )
        revenue = cls.env.ref("sales_management.sales_metric_revenue")
        Plan = cls.env["sales.plan"]
        cls.company_plan = Plan.create({
            "name": "SM Layout Company Plan", "scope": "company",
            "user_id": cls.user_manager.id,
            "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31),
            "target_ids": [Command.create({"metric_id": revenue.id,
                                           "target_value": 1000000.0})],
        })
        plans = cls.company_plan
        for index in range(ROWS):
            team = cls.env["crm.team"].create({"name": f"SM Layout Team {index:02d}"})
            plans |= Plan.create({
                "name": f"SM Layout Team Plan {index:02d}", "team_id": team.id,
                "scope": "team", "user_id": cls.user_manager.id,
                "parent_id": cls.company_plan.id,
                "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31),
                "target_ids": [Command.create({"metric_id": revenue.id,
                                               "target_value": 1000.0 * (index + 1)})],
            })
            plans |= Plan.create({
                "name": f"SM Layout Sam Plan {index:02d}", "team_id": cls.team.id,
                "scope": "user", "user_id": cls.user_salesman.id,
                "date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31),
                "target_ids": [Command.create({"metric_id": revenue.id,
                                               "target_value": 500.0 * (index + 1)})],
            })
        plans.action_approve()

    def setUp(self):
        super().setUp()
        if not shutil.which("pdftotext") or \
                self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf and pdftotext render and read the PDFs")

    def _pdf_pages(self, report, ids, user):
        Report = self.env["ir.actions.report"].with_user(user)
        pdf, _type = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report, ids, data={"period": "year"})
        return pdf_pages(pdf)

    def _check_layout(self, pages, title, header, row_name, row_count):
        """No overlap on any page; ``header`` (the words of a table's header, on one
        line) on every page the table's rows run on; every row on one line of its own
        with its figures."""
        self.assertGreaterEqual(len(pages), 2, "the test needs the table on 2+ pages")
        for number, words in enumerate(pages, start=1):
            self.assertEqual(overlaps(words), [], f"words printed over others on page "
                                                  f"{number}")
        first_lines = page_lines(pages[0])
        title_line = next(i for i, line in enumerate(first_lines) if title in line)
        self.assertEqual(first_lines[title_line].strip(), title,
                         "the title reads alone on its line")
        self.assertGreater(
            title_line, next(i for i, line in enumerate(first_lines) if "VAT" in line),
            "the title below the company's address")
        rows_seen = []
        for number, words in enumerate(pages, start=1):
            lines = page_lines(words)
            rows = [line for line in lines if row_name.search(line)]
            if not rows:
                continue
            header_lines = [line for line in lines if line == header]
            self.assertEqual(len(header_lines), 1,
                             f"the table's header once on page {number}: {lines}")
            self.assertLess(lines.index(header), lines.index(rows[0]),
                            f"the header above the rows on page {number}")
            rows_seen += rows
        self.assertEqual(len(rows_seen), row_count, rows_seen)
        return rows_seen

    def test_executive_summary_on_several_pages(self):
        pages = self._pdf_pages("sales_management.report_executive_summary",
                                self.company.ids, self.user_manager)
        name = re.compile(r"^SM Layout Team (\d\d) \$")
        rows = self._check_layout(pages, "Executive Sales Summary: 2026",
                                  "Team Target Actual Attainment", name, ROWS)
        amount = re.compile(r"^SM Layout Team (\d\d) \$ ([\d,]+)\.00 \$ 0\.00 0\.0 %$")
        for index, line in enumerate(rows):
            match = amount.match(line)
            self.assertTrue(match, f"row read whole: {line!r}")
            self.assertEqual(int(match[1]), index)
            self.assertEqual(match[2], f"{1000 * (index + 1):,}")

    def test_scorecard_on_several_pages(self):
        pages = self._pdf_pages("sales_management.report_salesperson_scorecard",
                                self.user_salesman.ids, self.user_manager)
        name = re.compile(r"^SM Layout Sam Plan (\d\d) \$")
        rows = self._check_layout(pages, f"Scorecard: {self.user_salesman.name}",
                                  "Plan Target Actual Achievement Pace Health", name, ROWS)
        for index, line in enumerate(sorted(rows)):
            self.assertIn(f"SM Layout Sam Plan {index:02d} $ {500 * (index + 1):,}.00",
                          line)

    def test_plan_performance_on_several_pages(self):
        pages = self._pdf_pages("sales_management.report_plan_performance",
                                self.company_plan.ids, self.user_manager)
        # the rows of the plan tree (ending with their health), not the gap contributors'
        name = re.compile(r"^SM Layout Team Plan (\d\d) .* % (Off|On) Track$")
        rows = self._check_layout(
            pages, "Plan Performance: SM Layout Company Plan",
            "Plan Responsible Target Actual Achievement Pace Health", name, ROWS)
        for index, line in enumerate(rows):
            self.assertIn(f"SM Layout Team Plan {index:02d} {self.user_manager.name} "
                          f"$ {1000 * (index + 1):,}.00", line)
