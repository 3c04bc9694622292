# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reporting: the performance data of a plan tree, shared by the PDF and the XLSX."""

from odoo import fields, models

from .sales_metric import DIMENSIONS

GAP_CONTRIBUTORS = 5


class SalesPlan(models.Model):
    _inherit = "sales.plan"

    def _get_performance_data(self):
        """``{plan_id: data}`` for the plans in ``self``: the plan tree below each plan
        (depth-first, with its figures), its targets with their live figures, and the gap
        contributors (sub-plans and targets furthest behind what they should have reached
        by today). Figures come in batch from the plans' ``_compute_figures`` and the
        targets' ``_get_figures`` over the whole tree."""
        trees = self.search([("id", "child_of", self.ids)])
        figures = trees.target_ids._get_figures()
        Dashboard = self.env["sales.management.dashboard"]
        result = {}
        for plan in self:
            rows = []
            self._performance_walk(plan, 0, rows, trees, Dashboard)
            targets = []
            for target in plan.target_ids:
                values = figures[target.id]
                targets.append({
                    "id": target.id,
                    "metric": target.metric_id.name,
                    "unit": target.metric_unit or "amount",
                    "dimensions": target._report_dimensions(),
                    "date_from": target.date_from,
                    "date_to": target.date_to,
                    "target": target.target_value,
                    "is_breakdown": target.is_breakdown,
                    **values,
                })
            contributors = [
                {"kind": "plan", "name": row["short_name"], "user": row["user"],
                 "variance": row["actual"] - row["expected"], "target": row["target"],
                 "actual": row["actual"], "pace": row["pace"], "health": row["health"]}
                for row in rows if row["depth"] == 1
            ] + [
                {"kind": "target", "name": f"{t['metric']} · {t['dimensions']}", "user": "",
                 "variance": t["variance"], "target": t["target"], "actual": t["actual_value"],
                 "pace": t["pace"], "health": t["health"]}
                for t in targets if t["is_breakdown"]
            ]
            contributors = sorted(
                (c for c in contributors if c["variance"] < 0), key=lambda c: c["variance"],
            )[:GAP_CONTRIBUTORS]
            result[plan.id] = {
                "plan": plan,
                "row": rows[0],
                "tree": rows,
                "targets": targets,
                "gap_contributors": contributors,
                "today": fields.Date.context_today(self),
            }
        return result

    def _performance_walk(self, plan, depth, rows, trees, dashboard):
        row = dashboard._plan_row(plan)
        row["depth"] = depth
        rows.append(row)
        for child in plan.child_ids.filtered(lambda c: c in trees and c.state != "cancelled"):
            self._performance_walk(child, depth + 1, rows, trees, dashboard)


class SalesPlanTarget(models.Model):
    _inherit = "sales.plan.target"

    def _report_dimensions(self):
        """The target's dimensions as text ("All" when it has none)."""
        self.ensure_one()
        names = [self[dim].display_name for dim in DIMENSIONS if self[dim]]
        return ", ".join(names) or self.env._("All")
