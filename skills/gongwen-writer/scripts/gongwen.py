#!/usr/bin/env python3
"""Lay out a Chinese official document (公文) as .docx following GB/T 9704-2012 《党政机关公文格式》.

A4; top margin 37 mm, left 28 mm, text block 156 x 225 mm (so right 26 mm, bottom 35 mm); 22 lines of 28 characters;
title 2号 (22 pt) 小标宋, body 3号 (16 pt) 仿宋_GB2312; headings 一、黑体 / （一）楷体 / 1. 仿宋 bold; 发文字号 with 〔〕;
date in Arabic numerals; page numbers 4号 (14 pt) 宋体 as "— 1 —", odd pages right, even pages left.
Input JSON: {"org", "doc_number", "title", "to", "body": [paragraphs], "attachments": [...], "signature", "date", "cc"}.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

FONTS = {"gb": {"title": "方正小标宋简体", "body": "仿宋_GB2312", "h1": "黑体", "h2": "楷体_GB2312", "page": "宋体"},
         "windows": {"title": "方正小标宋简体", "body": "仿宋", "h1": "黑体", "h2": "楷体", "page": "宋体"}}
SIZE = {"title": 22, "body": 16, "org": 26, "page": 14}  # points: 二号 22, 三号 16, 四号 14
LINE_PT = 28.95  # 225 mm / 22 lines
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^（[一二三四五六七八九十]+）")
H3 = re.compile(r"^\d+[.．]")


def set_font(run, name: str, size: float, bold: bool = False, color=None) -> None:
    """Latin and East Asian font, size, weight (python-docx sets only the Latin name by itself)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color:
        run.font.color.rgb = color


def paragraph(doc, text: str, font: str, size: float, align=None, indent: bool = True, bold: bool = False,
              right_chars: int = 0, color=None):
    """One paragraph at the fixed line spacing of the text block."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if right_chars:
        fmt.right_indent = Pt(size * right_chars)
    if align is not None:
        p.alignment = align
    set_font(p.add_run(text), font, size, bold, color)
    return p


def page_numbers(doc, fonts: dict) -> None:
    """“— N —” in 4号宋体: odd pages on the right, even pages on the left, one character in from the edge."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        p.alignment = align
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(SIZE["page"])
        set_font(p.add_run("— "), fonts["page"], SIZE["page"])
        run = p.add_run()
        set_font(run, fonts["page"], SIZE["page"])
        for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
            el = OxmlElement("w:fldChar" if kind else "w:instrText")
            if kind:
                el.set(qn("w:fldCharType"), kind)
            else:
                el.text = text
            run._element.append(el)
        set_font(p.add_run(" —"), fonts["page"], SIZE["page"])


def build(spec: dict, out: Path, font_set: str) -> dict:
    """Write the document; returns what was laid out."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH as AL
    from docx.shared import Mm, RGBColor

    fonts, doc = FONTS[font_set], Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    body = fonts["body"]
    if spec.get("org"):
        paragraph(doc, spec["org"], fonts["title"], SIZE["org"], AL.CENTER, False, color=RGBColor(0xE6, 0, 0))
    if spec.get("doc_number"):
        paragraph(doc, normal_number(spec["doc_number"]), body, SIZE["body"], AL.CENTER, False)
        paragraph(doc, "", body, SIZE["body"], indent=False)
    paragraph(doc, spec["title"], fonts["title"], SIZE["title"], AL.CENTER, False)
    paragraph(doc, "", body, SIZE["body"], indent=False)
    if spec.get("to"):
        paragraph(doc, spec["to"].rstrip(":：") + "：", body, SIZE["body"], indent=False)
    for text in spec.get("body", []):
        font, bold = (fonts["h1"], False) if H1.match(text) else (fonts["h2"], False) if H2.match(text) \
            else (body, True) if H3.match(text) else (body, False)
        paragraph(doc, text, font, SIZE["body"], AL.JUSTIFY, True, bold)
    attachments = spec.get("attachments") or []
    if attachments:
        paragraph(doc, "", body, SIZE["body"], indent=False)
        for i, name in enumerate(attachments, 1):
            label = "附件：" if i == 1 else "　　　"
            paragraph(doc, f"{label}{i}. {name}" if len(attachments) > 1 else f"附件：{name}", body, SIZE["body"])
    if spec.get("signature") or spec.get("date"):
        paragraph(doc, "", body, SIZE["body"], indent=False)
        for text in (spec.get("signature"), spec.get("date")):
            if text:
                paragraph(doc, text, body, SIZE["body"], AL.RIGHT, False, right_chars=4)
    if spec.get("note"):
        paragraph(doc, f"（{spec['note'].strip('（）()')}）", body, SIZE["body"])
    page_numbers(doc, fonts)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return {"paragraphs": len(doc.paragraphs), "fonts": fonts, "margins_mm": MARGINS_MM}


def normal_number(text: str) -> str:
    """发文字号 uses 六角括号: 〔2026〕, never [] or ()."""
    return re.sub(r"[\[［(（【](\d{4})[\]］)）】]", r"〔\1〕", text)


def main(argv: list[str] | None = None) -> None:
    """Build the .docx; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("spec", type=Path, help="the JSON described above")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--fonts", choices=sorted(FONTS), default="gb",
                   help="gb: 仿宋_GB2312/楷体_GB2312 (government PCs); windows: 仿宋/楷体 (stock Windows)")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        spec = json.loads(a.spec.read_text(encoding="utf-8"))
        info = build(spec, a.out, a.fonts)
    except (OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, "out": str(a.out), **info}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
