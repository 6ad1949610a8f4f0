"""Inspect a workbook's formulas, explain a formula's parts, and write a formula into cells.

Usage:
  formula.py inspect BOOK.xlsx [--sheet S] [--json]        headers, formulas and error cells (#N/A, #REF!...)
  formula.py explain --formula "=VLOOKUP(A2,价格表!A:C,3,FALSE)" [--json]
  formula.py write BOOK.xlsx --cell E2 --formula "=..." [--sheet S] [--fill-to 200] [--out NEW.xlsx | --in-place]
write keeps relative references moving as the formula is filled down (like dragging the fill handle).
Without --out or --in-place it saves a copy next to the original named <name>_formulas.xlsx.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

# Functions added after Excel 2010 must be stored with a prefix, or Excel shows #NAME? on opening.
NEW_FUNCS = ("XLOOKUP", "XMATCH", "IFS", "SWITCH", "TEXTJOIN", "CONCAT", "MAXIFS", "MINIFS", "LET", "LAMBDA",
             "SEQUENCE", "TEXTSPLIT", "TEXTBEFORE", "TEXTAFTER", "VSTACK", "HSTACK", "IFNA", "DAYS")
WORKSHEET_FUNCS = ("FILTER", "SORT", "SORTBY", "UNIQUE")
ERRORS = ("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")


def fail(msg: str) -> int:
    """Report a bad input on stderr and return exit code 2."""
    print(json.dumps({"error": msg}, ensure_ascii=False), file=sys.stderr)
    return 2


def explain(formula: str) -> dict:
    """Functions, ranges and constants of a formula, and which references are absolute."""
    from openpyxl.formula import Tokenizer

    if not formula.startswith("="):
        formula = "=" + formula
    funcs, ranges, consts = [], [], []
    for tok in Tokenizer(formula).items:
        if tok.type == "FUNC" and tok.subtype == "OPEN":
            funcs.append(tok.value.rstrip("(").upper())
        elif tok.type == "OPERAND" and tok.subtype == "RANGE":
            ranges.append({"ref": tok.value, "absolute": "$" in tok.value,
                           "sheet": tok.value.rsplit("!", 1)[0].strip("'") if "!" in tok.value else None})
        elif tok.type == "OPERAND":
            consts.append(tok.value)
    return {"formula": formula, "functions": list(dict.fromkeys(funcs)), "ranges": ranges, "constants": consts}


def storage_form(formula: str) -> str:
    """The formula as Excel stores it: newer functions get their _xlfn. prefix."""
    for name in NEW_FUNCS:
        formula = re.sub(rf"(?<![.\w]){name}\(", f"_xlfn.{name}(", formula, flags=re.IGNORECASE)
    for name in WORKSHEET_FUNCS:
        formula = re.sub(rf"(?<![.\w]){name}\(", f"_xlfn._xlws.{name}(", formula, flags=re.IGNORECASE)
    return formula


def inspect(path: Path, sheet: str | None) -> dict:
    """Header row, used range, formulas and cells whose cached value is an error."""
    import openpyxl

    wb, values = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
    out = {"sheets": wb.sheetnames, "details": []}
    for name in [sheet] if sheet else wb.sheetnames:
        ws, wv = wb[name], values[name]
        formulas = {c.coordinate: c.value for row in ws.iter_rows() for c in row
                    if isinstance(c.value, str) and c.value.startswith("=")}
        errors = {c.coordinate: c.value for row in wv.iter_rows() for c in row if c.value in ERRORS}
        out["details"].append({
            "sheet": name, "dimensions": ws.dimensions,
            "headers": [c.value for c in next(ws.iter_rows(max_row=1), [])],
            "formulas": dict(list(formulas.items())[:200]), "formula_count": len(formulas),
            "errors": {k: {"value": v, "formula": formulas.get(k)} for k, v in errors.items()}})
    return out


def write(path: Path, sheet: str | None, cell: str, formula: str, fill_to: int | None, out: Path) -> dict:
    """Put the formula in the cell and optionally fill it down with references shifted."""
    import openpyxl
    from openpyxl.formula.translate import Translator
    from openpyxl.utils.cell import coordinate_from_string

    if not formula.startswith("="):
        formula = "=" + formula
    stored = storage_form(formula)
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.active
    col, row = coordinate_from_string(cell)
    written = {}
    for r in range(row, (fill_to or row) + 1):
        target = f"{col}{r}"
        ws[target] = stored if r == row else Translator(stored, origin=cell).translate_formula(target)
        written[target] = ws[target].value
    wb.save(out)
    first = dict(list(written.items())[:3])
    return {"out": str(out), "sheet": ws.title, "cells": len(written), "first": first,
            "last": {k: written[k] for k in list(written)[-1:]}, "explain": explain(formula),
            "note": "open the file in Excel/WPS to calculate; openpyxl stores formulas without results"}


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("inspect")
    i.add_argument("file")
    i.add_argument("--sheet")
    e = sub.add_parser("explain")
    e.add_argument("--formula", required=True)
    w = sub.add_parser("write")
    w.add_argument("file")
    w.add_argument("--cell", required=True)
    w.add_argument("--formula", required=True)
    w.add_argument("--sheet")
    w.add_argument("--fill-to", type=int)
    w.add_argument("--out")
    w.add_argument("--in-place", action="store_true")
    for p in (i, e, w):
        p.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.cmd == "explain":
        result = explain(a.formula)
    else:
        path = Path(a.file)
        if not path.is_file() or path.suffix.lower() not in (".xlsx", ".xlsm"):
            return fail(f"need an existing .xlsx/.xlsm file: {path}")
        if a.cmd == "inspect":
            result = inspect(path, a.sheet)
        else:
            out = path if a.in_place else Path(a.out) if a.out else path.with_name(f"{path.stem}_formulas{path.suffix}")
            try:
                result = write(path, a.sheet, a.cell.upper(), a.formula, a.fill_to, out)
            except (KeyError, ValueError) as exc:
                return fail(f"cannot write {a.cell}: {exc}")
    print(json.dumps(result, ensure_ascii=False, indent=1 if a.json else None, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
