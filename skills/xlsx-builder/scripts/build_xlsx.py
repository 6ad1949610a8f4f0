#!/usr/bin/env python3
"""Build a ready-to-use Excel workbook from a JSON spec: styled headers, formats, formulas, freeze, filter, drop-downs, colours."""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import date
from pathlib import Path

SPEC_HELP = """spec: {"sheets": [{"name": str, "columns": [{"header": str, "width": 14, "format": "0.00" | "#,##0" |
"yyyy-mm-dd" | "0%" | "¥#,##0.00", "choices": ["A", "B"]}], "rows": [[...]], "formulas": {"E": "=C{r}*D{r}"},
"total_row": {"label": "合计", "sum": ["C", "E"]}, "freeze": "A2", "filter": true, "input_rows": 100,
"conditional": [{"range": "E2:E100", "op": "lessThan", "value": 0, "color": "FFC7CE"}]}],
"header_color": "1F4E79"}"""


class SheetError(Exception):
    """A problem the user can act on."""


def style_header(ws, n_cols: int, color: str) -> None:
    """Bold white text on a dark fill, centred, with a bottom border."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    for col in range(1, n_cols + 1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=color)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=Side(style="thin"))
    ws.row_dimensions[1].height = 24


def as_cell(value):
    """ISO dates from JSON become real dates so date formats, sorting and filters work in Excel."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    return value


def fill_rows(ws, sheet: dict) -> int:
    """Data rows plus per-row formulas; returns the last data row number."""
    from openpyxl.utils import column_index_from_string

    rows, formulas = sheet.get("rows", []), sheet.get("formulas", {})
    n_rows = max(len(rows), int(sheet.get("input_rows", 0)))
    for r in range(2, n_rows + 2):
        values = rows[r - 2] if r - 2 < len(rows) else []
        for c, v in enumerate(values, 1):
            ws.cell(row=r, column=c, value=as_cell(v))
        for letter, template in formulas.items():
            if r - 2 < len(rows) or sheet.get("formulas_on_empty_rows"):
                ws.cell(row=r, column=column_index_from_string(letter), value=template.replace("{r}", str(r)))
    return n_rows + 1


def add_total(ws, sheet: dict, last: int) -> None:
    """A bold totals row with SUM formulas under the data."""
    from openpyxl.styles import Font

    total = sheet.get("total_row")
    if not total or last < 2:
        return
    row = last + 1
    ws.cell(row=row, column=1, value=total.get("label", "合计")).font = Font(bold=True)
    for letter in total.get("sum", []):
        cell = ws[f"{letter}{row}"]
        cell.value = f"=SUM({letter}2:{letter}{last})"
        cell.font = Font(bold=True)
        cell.number_format = ws[f"{letter}2"].number_format


def format_columns(ws, columns: list[dict], last: int) -> None:
    """Widths, number formats and drop-down validation per column."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for c, col in enumerate(columns, 1):
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = col.get("width", max(10, min(40, len(str(col["header"])) * 2 + 4)))
        for r in range(2, max(last, 2) + 1):
            if col.get("format"):
                ws[f"{letter}{r}"].number_format = col["format"]
        if col.get("choices"):
            dv = DataValidation(type="list", formula1='"' + ",".join(col["choices"]) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="无效输入 / Invalid", error="请从下拉列表选择 / Pick from the list")
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{max(last, 2)}")


def add_conditional(ws, rules: list[dict]) -> None:
    """Cell-value colour rules such as negative numbers in red."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill

    for rule in rules:
        value = rule["value"] if isinstance(rule["value"], list) else [rule["value"]]
        fill = PatternFill("solid", fgColor=rule.get("color", "FFC7CE"), bgColor=rule.get("color", "FFC7CE"))
        ws.conditional_formatting.add(rule["range"], CellIsRule(operator=rule["op"], formula=[str(v) for v in value], fill=fill))


def build_sheet(wb, sheet: dict, color: str) -> dict:
    """One worksheet from its spec."""
    columns = sheet.get("columns") or []
    if not columns:
        raise SheetError(f"sheet {sheet.get('name')!r} has no columns")
    ws = wb.create_sheet(str(sheet.get("name", f"Sheet{len(wb.worksheets) + 1}"))[:31])
    ws.append([c["header"] for c in columns])
    style_header(ws, len(columns), color)
    last = fill_rows(ws, sheet)
    format_columns(ws, columns, last)
    add_total(ws, sheet, last)
    add_conditional(ws, sheet.get("conditional", []))
    ws.freeze_panes = sheet.get("freeze", "A2")
    if sheet.get("filter", True):
        ws.auto_filter.ref = f"A1:{ws.cell(row=1, column=len(columns)).column_letter}{max(last, 2)}"
    return {"name": ws.title, "rows": last - 1, "columns": len(columns)}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__, epilog=SPEC_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("spec")
    ap.add_argument("out")
    ap.add_argument("--force", action="store_true", help="overwrite an existing output")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    try:
        from openpyxl import Workbook

        if out.exists() and not args.force:
            raise SheetError(f"{out} exists; choose another name or pass --force")
        spec = json.loads(Path(args.spec).read_text(encoding="utf-8"))
        wb = Workbook()
        wb.remove(wb.active)
        sheets = [build_sheet(wb, s, spec.get("header_color", "1F4E79")) for s in spec.get("sheets", [])]
        if not sheets:
            raise SheetError("the spec has no sheets")
        wb.save(out)
    except (SheetError, OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, "output": str(out), "sheets": sheets}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
