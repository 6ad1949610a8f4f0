#!/usr/bin/env python3
"""Build a formatted .docx from a JSON spec: headings, paragraphs, lists, tables, images, header/footer, TOC, page numbers."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

SPEC_HELP = """spec JSON: {"title": str, "subtitle": str, "toc": bool, "header": str, "footer": str,
"page_numbers": bool, "font": "微软雅黑", "latin_font": "Calibri", "size": 11, "landscape": bool,
"blocks": [{"type": "heading", "text": str, "level": 1-4} | {"type": "paragraph", "text": str, "bold": bool,
"align": "left|center|right|justify"} | {"type": "bullets"|"numbered", "items": [str]} | {"type": "table",
"rows": [[...]], "header": true, "widths_cm": [..]} | {"type": "image", "path": str, "width_cm": 15, "caption": str}
| {"type": "page_break"} | {"type": "quote", "text": str}]}
Inline **bold** and *italic* work inside any text."""


class SpecError(Exception):
    """The spec cannot be built as given."""


def set_east_asian_font(style_or_run, font: str) -> None:
    """Word picks CJK glyphs from the eastAsia font slot, which python-docx does not expose directly."""
    from docx.oxml.ns import qn

    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def add_field(paragraph, instruction: str, placeholder: str) -> None:
    """Insert a Word field (TOC, PAGE ...); Word fills it in when fields are updated."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    run._r.extend([fld("begin"), instr, fld("separate")])
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(fld("end"))


def add_rich_text(paragraph, text: str) -> None:
    """Add text honouring **bold** and *italic* markers."""
    import re

    for part in re.split(r"(\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            paragraph.add_run(part[1:-1]).italic = True
        elif part:
            paragraph.add_run(part)


def setup(doc, spec: dict) -> None:
    """Base fonts, orientation, header, footer and page numbers."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name = spec.get("latin_font", "Calibri")
    normal.font.size = Pt(spec.get("size", 11))
    set_east_asian_font(normal, spec.get("font", "微软雅黑"))
    for level in range(1, 5):
        set_east_asian_font(doc.styles[f"Heading {level}"], spec.get("heading_font", spec.get("font", "微软雅黑")))
    section = doc.sections[0]
    if spec.get("landscape"):
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    if spec.get("header"):
        section.header.paragraphs[0].text = spec["header"]
    footer = section.footer.paragraphs[0]
    if spec.get("footer"):
        footer.text = spec["footer"] + ("  " if spec.get("page_numbers") else "")
    if spec.get("page_numbers"):
        add_field(footer, "PAGE", "1")
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER


def add_table(doc, block: dict) -> None:
    """A bordered table; the first row is bold and repeats on each page when it is a header."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    rows = block.get("rows") or []
    if not rows:
        raise SpecError("table block without rows")
    table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text = "" if value is None else str(value)
            if r == 0 and block.get("header", True):
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    if block.get("header", True):
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))
        tr_pr[-1].set(qn("w:val"), "true")
    for c, width in enumerate(block.get("widths_cm") or []):
        for cell in table.columns[c].cells:
            cell.width = Cm(width)


def add_block(doc, block: dict, base: Path) -> None:
    """Append one content block."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    kind = block.get("type")
    if kind == "heading":
        doc.add_heading(block["text"], level=int(block.get("level", 1)))
    elif kind in ("paragraph", "quote"):
        p = doc.add_paragraph(style="Quote" if kind == "quote" else None)
        add_rich_text(p, block.get("text", ""))
        if block.get("bold"):
            for run in p.runs:
                run.bold = True
        if block.get("align"):
            p.alignment = getattr(WD_ALIGN_PARAGRAPH, block["align"].upper())
    elif kind in ("bullets", "numbered"):
        for item in block.get("items", []):
            add_rich_text(doc.add_paragraph(style="List Bullet" if kind == "bullets" else "List Number"), item)
    elif kind == "table":
        add_table(doc, block)
    elif kind == "image":
        path = (base / block["path"]).expanduser()
        if not path.is_file():
            raise SpecError(f"image not found: {path}")
        doc.add_picture(str(path), width=Cm(float(block.get("width_cm", 15))))
        if block.get("caption"):
            doc.add_paragraph(block["caption"], style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif kind == "page_break":
        doc.add_page_break()
    else:
        raise SpecError(f"unknown block type: {kind!r}")


def build(spec: dict, out: Path, base: Path) -> dict:
    """Create the document and return a summary of what is in it."""
    from docx import Document

    doc = Document()
    setup(doc, spec)
    if spec.get("title"):
        doc.add_heading(spec["title"], level=0)
    if spec.get("subtitle"):
        doc.add_paragraph(spec["subtitle"], style="Subtitle")
    if spec.get("toc"):
        doc.add_paragraph(spec.get("toc_title", "目录"), style="TOC Heading" if "TOC Heading" in doc.styles else None)
        add_field(doc.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', "（在 Word 中右键此处选择“更新域”以生成目录 / Right-click → Update Field to build the table of contents）")
        doc.add_page_break()
    for block in spec.get("blocks", []):
        add_block(doc, block, base)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    headings = [b["text"] for b in spec.get("blocks", []) if b.get("type") == "heading"]
    return {"ok": True, "output": str(out), "headings": headings, "blocks": len(spec.get("blocks", [])),
            "toc": bool(spec.get("toc"))}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__, epilog=SPEC_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("spec", help="path to the JSON spec")
    ap.add_argument("out", help="output .docx path")
    ap.add_argument("--force", action="store_true", help="overwrite an existing output file")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    out, spec_path = Path(args.out).expanduser(), Path(args.spec).expanduser()
    try:
        if out.exists() and not args.force:
            raise SpecError(f"{out} exists; choose another name or pass --force after the user agreed")
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        result = build(spec, out, spec_path.parent)
    except (SpecError, OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
