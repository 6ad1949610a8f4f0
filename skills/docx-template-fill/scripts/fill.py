#!/usr/bin/env python3
"""Fill {{placeholders}} in a Word template from xlsx/csv/json rows: one .docx per row (mail merge)."""
from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import re
import sys
from datetime import date, datetime
from pathlib import Path

FIELD = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


class FillError(Exception):
    """A problem the user can act on."""


def paragraphs(doc):
    """Every paragraph: body, tables (nested too), headers and footers."""
    def walk(container):
        yield from container.paragraphs
        for table in getattr(container, "tables", []):
            for row in table.rows:
                for cell in row.cells:
                    yield from walk(cell)

    yield from walk(doc)
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            yield from walk(part)


def fields_in(template: Path) -> list[str]:
    """Placeholder names used in the template, in order of first use."""
    from docx import Document

    seen: dict[str, None] = {}
    for p in paragraphs(Document(template)):
        for name in FIELD.findall("".join(r.text for r in p.runs)):
            seen.setdefault(name, None)
    return list(seen)


def fill_paragraph(p, values: dict[str, str], missing: set[str]) -> None:
    """Replace placeholders even when Word split them over several runs; the first run's formatting wins."""
    runs = p.runs
    full = "".join(r.text for r in runs)
    if "{{" not in full:
        return
    for m in reversed(list(FIELD.finditer(full))):
        name = m.group(1)
        if name not in values:
            missing.add(name)
            continue
        replace_span(runs, m.start(), m.end(), values[name])


def replace_span(runs, start: int, end: int, text: str) -> None:
    """Put `text` where characters start..end were, across run boundaries."""
    pos, first = 0, True
    for run in runs:
        r_start, r_end = pos, pos + len(run.text)
        pos = r_end
        if r_end <= start or r_start >= end:
            continue
        a, b = max(start, r_start) - r_start, min(end, r_end) - r_start
        run.text = run.text[:a] + (text if first else "") + run.text[b:]
        first = False


def cell_text(value) -> str:
    """Spreadsheet values as people expect to read them."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def load_rows(path: Path, sheet: str | None) -> list[dict[str, str]]:
    """Rows as dicts keyed by the header row."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb[sheet] if sheet else wb.worksheets[0]
        table = [list(r) for r in ws.iter_rows(values_only=True)]
    elif suffix == ".csv":
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else decode_csv(raw)
        table = list(csv.reader(text.splitlines()))
    elif suffix == ".json":
        return [{k: cell_text(v) for k, v in row.items()} for row in json.loads(path.read_text(encoding="utf-8"))]
    else:
        raise FillError("data must be .xlsx, .csv or .json")
    header = [cell_text(h) for h in table[0]]
    return [{h: cell_text(v) for h, v in zip(header, row, strict=False) if h}
            for row in table[1:] if any(v not in (None, "") for v in row)]


def decode_csv(raw: bytes) -> str:
    """CSV files saved by Excel in China are often GBK."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def file_name(pattern: str, row: dict[str, str], index: int) -> str:
    """Output name from a pattern such as '{{姓名}}-录用通知.docx'."""
    name = FIELD.sub(lambda m: row.get(m.group(1), ""), pattern.replace("{{#}}", str(index)))
    name = BAD_CHARS.sub("_", name).strip() or f"document-{index}"
    return name if name.lower().endswith(".docx") else name + ".docx"


def uses_jinja_blocks(template: Path) -> bool:
    """Loops or conditions ({% ... %}) need docxtpl; plain {{field}} templates do not."""
    import zipfile

    with zipfile.ZipFile(template) as z:
        return any("{%" in z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml"))


def render_docxtpl(template: Path, row: dict, target: Path) -> None:
    """Render with the optional docxtpl package (Jinja2 inside Word)."""
    try:
        from docxtpl import DocxTemplate
    except ImportError as exc:
        raise FillError("this template uses {% %} blocks, which need the optional package docxtpl") from exc
    doc = DocxTemplate(template)
    doc.render(row)
    doc.save(target)


def fill_all(template: Path, rows: list[dict], out_dir: Path, pattern: str, dry_run: bool) -> dict:
    """Render one document per row; never overwrites existing files."""
    from docx import Document

    jinja = uses_jinja_blocks(template)
    if jinja and importlib.util.find_spec("docxtpl") is None:
        raise FillError("this template uses {% %} blocks, which need the optional package docxtpl")
    out_dir.mkdir(parents=True, exist_ok=True)
    written, missing, used = [], set(), set()
    for i, row in enumerate(rows, 1):
        name = file_name(pattern, row, i)
        base, n = name[:-5], 2
        while name.lower() in used or (out_dir / name).exists():
            name, n = f"{base}-{n}.docx", n + 1
        used.add(name.lower())
        written.append(str(out_dir / name))
        if jinja:
            if not dry_run:
                render_docxtpl(template, row, out_dir / name)
            continue
        doc = Document(template)
        for p in paragraphs(doc):
            fill_paragraph(p, row, missing)
        if not dry_run:
            doc.save(out_dir / name)
    return {"ok": True, "dry_run": dry_run, "documents": written, "count": len(written),
            "fields_without_data": sorted(missing)}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fields", help="list the placeholders in a template and the data columns")
    f.add_argument("template")
    f.add_argument("--data")
    f.add_argument("--sheet")
    g = sub.add_parser("fill", help="make one document per data row")
    g.add_argument("template")
    g.add_argument("data", help=".xlsx, .csv or .json (list of objects)")
    g.add_argument("out_dir")
    g.add_argument("--name", default="{{#}}.docx", help="file name pattern, e.g. '{{姓名}}-合同.docx'; {{#}} = row number")
    g.add_argument("--sheet")
    g.add_argument("--dry-run", action="store_true")
    for p in (f, g):
        p.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "fields":
            result = {"ok": True, "fields": fields_in(Path(args.template))}
            if args.data:
                rows = load_rows(Path(args.data), args.sheet)
                cols = list(rows[0]) if rows else []
                result |= {"columns": cols, "rows": len(rows), "unmatched_fields": [x for x in result["fields"] if x not in cols]}
        else:
            rows = load_rows(Path(args.data), args.sheet)
            result = fill_all(Path(args.template), rows, Path(args.out_dir), args.name, args.dry_run)
    except (FillError, OSError, KeyError, ValueError, IndexError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
