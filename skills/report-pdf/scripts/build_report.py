#!/usr/bin/env python3
"""Lay out a print-ready PDF report (cover, contents, sections, tables, charts, CJK text) from a JSON spec with reportlab."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

SPEC_HELP = """spec: {"title": str, "subtitle": str, "author": str, "date": str, "toc": true, "page_size": "A4"|"letter",
"sections": [{"title": str, "paragraphs": [str], "bullets": [str], "table": {"header": [...], "rows": [[...]]},
"chart": {"type": "bar"|"line"|"pie", "title": str, "categories": [...], "series": {"name": [numbers]}},
"image": "path.png", "page_break": bool, "subsections": [ ...same shape... ]}]}"""

# TrueType fonts with Chinese glyphs commonly present per OS; the first one that loads is embedded.
CJK_FONT_FILES = [
    "C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/simhei.ttf", "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc", "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/Library/Fonts/Arial Unicode.ttf", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]


class ReportError(Exception):
    """A problem the user can act on."""


def register_font(explicit: str | None) -> tuple[str, str | None]:
    """Register a CJK-capable font; returns (reportlab font name, font file or None for the built-in CID font)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    for candidate in [explicit] if explicit else CJK_FONT_FILES:
        if candidate and Path(candidate).is_file():
            try:
                face = TTFont("CJK", candidate, subfontIndex=0)
            except Exception:  # CFF-based OpenType fonts are not supported by reportlab: try the next
                continue
            # Fallback-only fonts (e.g. Droid Sans Fallback) lack Latin digits, which reportlab cannot borrow elsewhere.
            if all(ord(ch) in face.face.charToGlyph for ch in "0Aa中"):
                pdfmetrics.registerFont(face)
                return "CJK", candidate
    if explicit:
        raise ReportError(f"cannot use font {explicit} (TrueType .ttf/.ttc needed)")
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # not embedded; viewers supply a Song face
    return "STSong-Light", None


def styles(font: str) -> dict:
    """Paragraph styles using the CJK font, with word wrap that works for Chinese."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    common = {"fontName": font, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("T", parent=base["Title"], fontSize=28, leading=36, spaceAfter=18, **common),
        "subtitle": ParagraphStyle("ST", parent=base["Normal"], fontSize=14, leading=20, alignment=1, textColor=colors.grey, **common),
        "h1": ParagraphStyle("H1", parent=base["Heading1"], fontSize=18, leading=24, spaceBefore=12, textColor=colors.HexColor("#1F4E79"), **common),
        "h2": ParagraphStyle("H2", parent=base["Heading2"], fontSize=14, leading=20, spaceBefore=8, **common),
        "body": ParagraphStyle("B", parent=base["BodyText"], fontSize=10.5, leading=17, firstLineIndent=21, **common),
        "bullet": ParagraphStyle("BL", parent=base["BodyText"], fontSize=10.5, leading=16, leftIndent=14, bulletIndent=4, **common),
        "toc_title": ParagraphStyle("TOCTitle", parent=base["Heading2"], fontSize=16, leading=22, **common),
        "toc1": ParagraphStyle("TOC1", fontSize=12, leading=20, leftIndent=10, **common),
        "toc2": ParagraphStyle("TOC2", fontSize=10.5, leading=16, leftIndent=30, **common),
        "caption": ParagraphStyle("C", parent=base["Italic"], fontSize=9, alignment=1, **common),
    }


def chart_font() -> str | None:
    """Any CJK font file matplotlib can use (it falls back per glyph, so fallback-only fonts are fine)."""
    return next((f for f in CJK_FONT_FILES if Path(f).is_file()), None)


def chart_png(chart: dict, font_file: str | None, workdir: Path, index: int) -> Path:
    """Render a chart with matplotlib, using the same CJK font for labels."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    font_file = font_file or chart_font()
    if font_file:
        font_manager.fontManager.addfont(font_file)
        cjk = font_manager.FontProperties(fname=font_file).get_name()
        plt.rcParams["font.family"] = [cjk, "DejaVu Sans"]  # per-glyph fallback for Latin digits
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=150)
    cats, series = chart["categories"], chart["series"]
    kind = chart.get("type", "bar")
    if kind == "pie":
        name, values = next(iter(series.items()))
        ax.pie(values, labels=cats, autopct="%1.0f%%", startangle=90)
        ax.axis("equal")
    else:
        width = 0.8 / max(len(series), 1)
        for k, (name, values) in enumerate(series.items()):
            if kind == "line":
                ax.plot(cats, values, marker="o", label=name)
            else:
                ax.bar([i + k * width for i in range(len(cats))], values, width, label=name)
        if kind != "line":
            ax.set_xticks([i + width * (len(series) - 1) / 2 for i in range(len(cats))], cats)
        if len(series) > 1:
            ax.legend()
        ax.grid(axis="y", alpha=0.3)
    ax.set_title(chart.get("title", ""))
    fig.tight_layout()
    path = workdir / f"chart{index}.png"
    fig.savefig(path)
    plt.close(fig)
    return path


def make_doc_template(out: Path, page_size: str, font: str, title: str):
    """A document template that feeds headings to the table of contents and numbers the pages."""
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.platypus import SimpleDocTemplate

    class ReportDoc(SimpleDocTemplate):
        def afterFlowable(self, flowable):  # noqa: N802 - reportlab hook name
            level = {"H1": 0, "H2": 1}.get(getattr(getattr(flowable, "style", None), "name", ""))
            if level is not None:
                key = f"h{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level)
                self.notify("TOCEntry", (level, flowable.getPlainText(), self.page, key))

    def footer(canvas, doc):
        if doc.page > 1:  # no number on the cover
            canvas.setFont(font, 9)
            canvas.drawCentredString(doc.pagesize[0] / 2, 28, f"— {doc.page} —")
            canvas.drawString(doc.leftMargin, doc.pagesize[1] - 30, title[:60])

    size = letter if page_size.lower() == "letter" else A4
    doc = ReportDoc(str(out), pagesize=size, leftMargin=64, rightMargin=64, topMargin=64, bottomMargin=56, title=title)
    return doc, footer


def section_flowables(sec: dict, st: dict, level: int, ctx: dict) -> list:
    """Heading, text, bullets, table, chart and image of one section (recursing into subsections)."""
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        Image,
        ListFlowable,
        ListItem,
        PageBreak,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    out = [PageBreak()] if sec.get("page_break") else []
    out.append(Paragraph(esc(sec["title"]), st["h1" if level == 0 else "h2"]))
    out += [Paragraph(esc(p), st["body"]) for p in sec.get("paragraphs", [])]
    if sec.get("bullets"):
        out.append(ListFlowable([ListItem(Paragraph(esc(b), st["bullet"])) for b in sec["bullets"]], bulletType="bullet",
                                  bulletFontName="Helvetica"))
    if sec.get("table"):
        t = sec["table"]
        data = [[Paragraph(esc(str(c)), st["bullet"]) for c in row] for row in [t["header"], *t["rows"]]]
        table = Table(data, repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                                   ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        out += [Spacer(1, 6), table, Spacer(1, 6)]
    if sec.get("chart"):
        ctx["charts"] += 1
        png = chart_png(sec["chart"], ctx["font_file"], ctx["workdir"], ctx["charts"])
        out += [Image(str(png), width=15 * cm, height=7.7 * cm)]
    if sec.get("image"):
        path = (ctx["base"] / sec["image"]).expanduser()
        if not path.is_file():
            raise ReportError(f"image not found: {path}")
        img = Image(str(path))
        scale = min(15 * cm / img.imageWidth, 10 * cm / img.imageHeight, 1)
        img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
        out.append(img)
    for sub in sec.get("subsections", []):
        out += section_flowables(sub, st, level + 1, ctx)
    return out


def esc(text: str) -> str:
    """Escape text for reportlab's mini-markup, keeping <b>, <i> and <br/> that authors may use."""
    import re

    safe = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"&lt;(/?)(b|i|u|br/?)&gt;", r"<\1\2>", safe)


def build(spec: dict, out: Path, base: Path, font_path: str | None) -> dict:
    """Cover, optional contents page, then the sections; multiBuild resolves TOC page numbers."""
    from reportlab.platypus import PageBreak, Paragraph, Spacer
    from reportlab.platypus.tableofcontents import TableOfContents

    font, font_file = register_font(font_path)
    st = styles(font)
    doc, footer = make_doc_template(out, spec.get("page_size", "A4"), font, spec.get("title", "Report"))
    story = [Spacer(1, 180), Paragraph(esc(spec.get("title", "Report")), st["title"])]
    story += [Paragraph(esc(spec[k]), st["subtitle"]) for k in ("subtitle", "author", "date") if spec.get(k)]
    story.append(PageBreak())
    if spec.get("toc", True):
        toc = TableOfContents()
        toc.levelStyles = [st["toc1"], st["toc2"]]
        story += [Paragraph(esc(spec.get("toc_title", "目录 Contents")), st["toc_title"]), toc, PageBreak()]
    with tempfile.TemporaryDirectory() as tmp:
        ctx = {"font_file": font_file, "workdir": Path(tmp), "base": base, "charts": 0}
        for sec in spec.get("sections", []):
            story += section_flowables(sec, st, 0, ctx)
        doc.multiBuild(story, onFirstPage=footer, onLaterPages=footer)
    from pypdf import PdfReader

    return {"ok": True, "output": str(out), "pages": len(PdfReader(out).pages), "font": font_file or font,
            "font_embedded": font_file is not None, "charts": ctx["charts"]}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__, epilog=SPEC_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("spec")
    ap.add_argument("out")
    ap.add_argument("--font", help="path to a TrueType font with Chinese glyphs (default: search common locations)")
    ap.add_argument("--force", action="store_true", help="overwrite an existing output")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    out, spec_path = Path(args.out), Path(args.spec)
    try:
        if out.exists() and not args.force:
            raise ReportError(f"{out} exists; choose another name or pass --force")
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        if not spec.get("sections"):
            raise ReportError("the spec has no sections")
        result = build(spec, out, spec_path.parent, args.font)
    except ImportError as exc:
        print(json.dumps({"ok": False, "error": f"missing package: {exc.name} (reportlab is required)"}))
        sys.exit(3)
    except (ReportError, OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
