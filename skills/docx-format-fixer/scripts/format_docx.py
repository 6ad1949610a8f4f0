#!/usr/bin/env python3
"""Inspect and reformat a Word file: body/heading fonts and sizes, line spacing, indent, margins, page numbers."""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

# Chinese type sizes (字号) in points.
ZH_SIZES = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
            "四号": 14, "小四": 12, "五号": 10.5, "小五": 9, "六号": 7.5}


class FormatError(Exception):
    """A problem the user can act on."""


def size_pt(value: str) -> float:
    """'小四', '12', '12pt' → points."""
    value = value.strip().lower().removesuffix("pt")
    if value in ZH_SIZES:
        return ZH_SIZES[value]
    try:
        return float(value)
    except ValueError as exc:
        raise FormatError(f"unknown size {value!r}; use points or a 字号 like 小四") from exc


def set_run_font(run, east_asian: str | None, latin: str | None, size: float | None, bold: bool | None = None) -> None:
    """Set Latin and East Asian font slots and size on one run."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    if latin:
        run.font.name = latin
    if east_asian:
        rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:eastAsia"), east_asian)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def is_heading(paragraph) -> int:
    """Heading level (1-9), 0 for title, -1 for body text."""
    name = paragraph.style.name if paragraph.style is not None else ""
    if name == "Title":
        return 0
    if name.startswith("Heading"):
        digits = "".join(ch for ch in name if ch.isdigit())
        return int(digits or 1)
    return -1


def body_paragraphs(doc):
    """Paragraphs in the body and inside tables."""
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def inspect(doc) -> dict:
    """What fonts, sizes and margins the document uses now."""
    from docx.oxml.ns import qn

    fonts, sizes = Counter(), Counter()
    for p in body_paragraphs(doc):
        for r in p.runs:
            rf = r._element.rPr.rFonts if r._element.rPr is not None else None
            fonts[(r.font.name, rf.get(qn("w:eastAsia")) if rf is not None else None)] += 1
            sizes[r.font.size.pt if r.font.size else None] += 1
    s = doc.sections[0]
    return {"fonts": [{"latin": k[0], "east_asian": k[1], "runs": n} for k, n in fonts.most_common(10)],
            "sizes": [{"pt": k, "runs": n} for k, n in sizes.most_common(10)],
            "margins_cm": [round(x.cm, 2) if x is not None else None for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)],
            "paragraphs": sum(1 for _ in body_paragraphs(doc))}


def apply_format(doc, args: argparse.Namespace) -> dict:
    """Apply the requested spec to every paragraph and section; returns counts."""
    from docx.shared import Cm, Pt

    body_size = size_pt(args.size) if args.size else None
    heading_sizes = [size_pt(x) for x in args.heading_sizes.split(",")] if args.heading_sizes else []
    touched = Counter()
    for p in body_paragraphs(doc):
        level = is_heading(p)
        if level >= 0:
            size = heading_sizes[min(max(level, 1), len(heading_sizes)) - 1] if heading_sizes else None
            for r in p.runs:
                set_run_font(r, args.heading_font, args.latin_font, size, True if args.bold_headings else None)
            touched["headings"] += 1
            continue
        for r in p.runs:
            set_run_font(r, args.font, args.latin_font, body_size)
        pf = p.paragraph_format
        if args.line_spacing:
            pf.line_spacing = float(args.line_spacing)
        if args.first_line_indent is not None and p.text.strip():
            pf.first_line_indent = Pt((body_size or 12) * args.first_line_indent)  # N characters wide
        touched["body"] += 1
    if args.margins:
        top, bottom, left, right = (float(x) for x in args.margins.split(","))
        for s in doc.sections:
            s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Cm(top), Cm(bottom), Cm(left), Cm(right)
    if args.page_numbers:
        for s in doc.sections:
            add_page_number(s.footer)
    return dict(touched)


def add_page_number(footer) -> None:
    """Centred PAGE field in the footer (skipped when one is already there)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if "PAGE" in footer._element.xml:
        return
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text:
            el = OxmlElement("w:instrText")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = "1"
        run._r.append(el)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("inspect", help="report current fonts, sizes and margins")
    i.add_argument("path")
    a = sub.add_parser("apply", help="write a reformatted copy")
    a.add_argument("path")
    a.add_argument("out", help="output .docx (must differ from the input)")
    a.add_argument("--font", help="East Asian body font, e.g. 宋体")
    a.add_argument("--latin-font", help="Latin font, e.g. 'Times New Roman'")
    a.add_argument("--size", help="body size in pt or 字号, e.g. 12 or 小四")
    a.add_argument("--heading-font", help="East Asian heading font, e.g. 黑体")
    a.add_argument("--heading-sizes", help="sizes for heading levels 1,2,3..., e.g. '三号,四号,小四'")
    a.add_argument("--bold-headings", action="store_true")
    a.add_argument("--line-spacing", help="multiple, e.g. 1.5")
    a.add_argument("--first-line-indent", type=float, help="first-line indent in characters, e.g. 2")
    a.add_argument("--margins", help="top,bottom,left,right in cm, e.g. 2.54,2.54,3.17,3.17")
    a.add_argument("--page-numbers", action="store_true")
    for p in (i, a):
        p.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        from docx import Document

        doc = Document(args.path)
        if args.cmd == "inspect":
            result = {"ok": True, **inspect(doc)}
        else:
            out = Path(args.out)
            if out.resolve() == Path(args.path).resolve() or out.exists():
                raise FormatError("write to a new file: the output must not be the input or an existing file")
            counts = apply_format(doc, args)
            doc.save(out)
            result = {"ok": True, "output": str(out), "changed": counts, "after": inspect(doc)}
    except (FormatError, OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
