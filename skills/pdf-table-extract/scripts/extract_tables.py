#!/usr/bin/env python3
"""Pull tables out of text-based PDFs into .xlsx (one sheet per table) or CSV, keeping columns and numbers."""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from pathlib import Path

NUMBER = re.compile(r"^[-+(]?[¥$€£]?\s?\d{1,3}(,\d{3})*(\.\d+)?\)?%?$|^[-+]?\d+(\.\d+)?%?$")
COLUMN_GAP = re.compile(r"\s{2,}")


class TableError(Exception):
    """A problem the user can act on."""


def to_value(text: str):
    """Numbers become numbers (thousand separators, currency, (negatives), %); codes with leading zeros stay text."""
    t = text.strip()
    if not t or not NUMBER.match(t) or (len(t) > 1 and t[0] == "0" and t[1].isdigit()):
        return t
    neg = t.startswith("(") and t.endswith(")") or t.startswith("-")
    core = re.sub(r"[^\d.]", "", t)
    try:
        value = float(core)
    except ValueError:
        return t
    value = value / 100 if t.endswith("%") else value
    value = -value if neg else value
    return int(value) if value.is_integer() and "." not in core and not t.endswith("%") else value


def plumber_tables(path: Path, pages: list[int] | None, password: str | None) -> list[dict]:
    """Tables found by pdfplumber's ruling-line / text-alignment detection."""
    import pdfplumber

    found = []
    with pdfplumber.open(path, password=password or "") as pdf:
        for no, page in enumerate(pdf.pages, 1):
            if pages and no not in pages:
                continue
            for table in page.extract_tables():
                rows = [[(c or "").strip() for c in row] for row in table if any(c for c in row)]
                if len(rows) >= 2:
                    found.append({"page": no, "rows": rows})
    return found


def layout_tables(path: Path, pages: list[int] | None, password: str | None) -> list[dict]:
    """Fallback without pdfplumber: pypdf layout text, columns split on runs of 2+ spaces."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(password or ""):
        raise TableError("the PDF is password-protected; pass --password")
    found = []
    for no, page in enumerate(reader.pages, 1):
        if pages and no not in pages:
            continue
        block: list[list[str]] = []
        for line in (page.extract_text(extraction_mode="layout") or "").splitlines() + [""]:
            cells = [c for c in COLUMN_GAP.split(line.strip()) if c]
            if len(cells) >= 2 and (not block or abs(len(cells) - len(block[0])) <= 1):
                block.append(cells)
                continue
            if len(block) >= 2:
                width = max(len(r) for r in block)
                found.append({"page": no, "rows": [r + [""] * (width - len(r)) for r in block]})
            block = [cells] if len(cells) >= 2 else []
    return found


def extract(path: Path, pages: list[int] | None, password: str | None, engine: str) -> tuple[list[dict], str]:
    """Use pdfplumber when available (or asked), else the layout fallback."""
    if engine in ("auto", "pdfplumber"):
        try:
            return plumber_tables(path, pages, password), "pdfplumber"
        except ImportError:
            if engine == "pdfplumber":
                raise TableError("pdfplumber is not installed (pip install pdfplumber)") from None
    return layout_tables(path, pages, password), "layout"


def write_xlsx(tables: list[dict], out: Path, header: bool) -> None:
    """One sheet per table, bold header row, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for i, t in enumerate(tables, 1):
        ws = wb.create_sheet(f"p{t['page']}_t{i}")
        for r, row in enumerate(t["rows"]):
            ws.append([c if (header and r == 0) else to_value(c) for c in row])
        if header:
            for cell in ws[1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = "A2"
        for col in ws.columns:
            ws.column_dimensions[col[0].column_letter].width = min(50, max(8, *(len(str(c.value or "")) + 2 for c in col)))
    wb.save(out)


def write_csv(tables: list[dict], out: Path) -> list[str]:
    """One UTF-8-with-BOM CSV per table (the BOM lets Excel show Chinese correctly)."""
    files = []
    for i, t in enumerate(tables, 1):
        target = out.with_name(f"{out.stem}_{i}.csv")
        with target.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(t["rows"])
        files.append(str(target))
    return files


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("pdf")
    ap.add_argument("--out", help="output .xlsx or .csv (omit to only preview)")
    ap.add_argument("--pages", help="e.g. 1,3,5 (default: all)")
    ap.add_argument("--engine", choices=["auto", "pdfplumber", "layout"], default="auto")
    ap.add_argument("--no-header", action="store_true", help="the first row is data, not column names")
    ap.add_argument("--password")
    ap.add_argument("--preview-rows", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        pages = [int(x) for x in args.pages.split(",")] if args.pages else None
        tables, engine = extract(Path(args.pdf), pages, args.password, args.engine)
        result = {"ok": True, "engine": engine, "tables": [
            {"page": t["page"], "rows": len(t["rows"]), "columns": len(t["rows"][0]), "preview": t["rows"][:args.preview_rows]}
            for t in tables]}
        if not tables:
            result["warning"] = "no tables found; a scanned PDF needs OCR, or try --engine layout / pdfplumber"
        if args.out and tables:
            out = Path(args.out)
            if out.suffix.lower() == ".csv":
                result["files"] = write_csv(tables, out)
            else:
                write_xlsx(tables, out, not args.no_header)
                result["files"] = [str(out)]
    except (TableError, OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
