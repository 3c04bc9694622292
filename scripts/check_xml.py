#!/usr/bin/env python3
"""Lint the addon's XML: well-formed, and Odoo 18.0 view syntax only.

Fails on: unparsable XML; ``<tree>`` views (18.0 uses ``<list>``); ``attrs=`` / ``states=``
attributes (removed in 17.0: use ``invisible=``/``readonly=``/``required=`` expressions);
``view_mode`` mentioning ``tree``; a ``<record>`` without ``id``; duplicate xml ids in a file.
"""

import re
import sys
from pathlib import Path

from lxml import etree


def check(path):
    problems = []
    try:
        tree = etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        return [f"{path}: not well-formed: {exc}"]
    seen = set()
    for node in tree.iter(etree.Element):
        line = node.sourceline
        if node.tag == "tree":
            problems.append(f"{path}:{line}: <tree> is <list> in Odoo 18")
        for attr in ("attrs", "states"):
            if attr in node.attrib:
                problems.append(f"{path}:{line}: {attr}= was removed in Odoo 17")
        if node.tag == "field" and node.get("name") == "view_mode" and node.text:
            if re.search(r"\btree\b", node.text):
                problems.append(f"{path}:{line}: view_mode uses 'tree', say 'list'")
        if node.tag in ("record", "template", "menuitem"):
            xmlid = node.get("id")
            if not xmlid:
                problems.append(f"{path}:{line}: <{node.tag}> without id")
            elif xmlid in seen:
                problems.append(f"{path}:{line}: duplicate id {xmlid}")
            seen.add(xmlid)
    return problems


def main(argv):
    root = Path(argv[1] if len(argv) > 1 else "sales_management")
    files = sorted(p for p in root.rglob("*.xml") if "static/lib" not in str(p))
    problems = [problem for path in files for problem in check(path)]
    for problem in problems:
        print(problem)
    print(f"check_xml: {len(files)} files, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
