"""Writing PDFs (fpdf2) from outlines with an embedded, subset CJK font so Chinese renders anywhere.

fpdf2 reads TrueType and CFF-flavoured OpenType fonts and font collections (a face index picks
the Simplified Chinese face of Noto Sans CJK's .ttc), and embeds only the glyphs used.
"""

from __future__ import annotations

from pathlib import Path

from xiaodazi.tools.doc_fonts import find_cjk_font
from xiaodazi.tools.doc_office import Picture
from xiaodazi.tools.doc_outline import Block, Chart, Heading, Image, ListBlock, Outline, Paragraph, Table

FAMILY = "cjk"
HEADING_PT = {0: 22, 1: 18, 2: 15, 3: 13, 4: 12, 5: 11, 6: 11}
BODY_PT = 11
LINE = 1.6  # line height as a multiple of the font size (in mm per pt below)
PT_MM = 0.3528


def _new_pdf(title: str):
    from fpdf import FPDF

    font = find_cjk_font()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    pdf.add_font(FAMILY, "", str(font.regular), collection_font_number=font.regular_index)
    bold = font.bold or font.regular
    pdf.add_font(FAMILY, "B", str(bold), collection_font_number=font.bold_index if font.bold else font.regular_index)
    if title:
        pdf.set_title(title)
    pdf.set_creator("xiaodazi")
    pdf.add_page()
    return pdf


def _write(pdf, text: str, size: int, bold: bool = False, indent: float = 0) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, size * PT_MM * LINE, text, new_x="LMARGIN", new_y="NEXT")


def _list(pdf, block: ListBlock) -> None:
    height = BODY_PT * PT_MM * LINE
    for i, item in enumerate(block.items, 1):
        pdf.set_font(FAMILY, "", BODY_PT)
        pdf.set_x(pdf.l_margin + 3)
        pdf.cell(7, height, f"{i}." if block.ordered else "•")
        pdf.multi_cell(0, height, item, new_x="LMARGIN", new_y="NEXT")


def _table(pdf, block: Table) -> None:
    rows = ([block.header] if block.header else []) + block.rows
    width = max(len(r) for r in rows) if rows else 0
    if not width:
        return
    pdf.set_font(FAMILY, "", BODY_PT - 1)
    with pdf.table(first_row_as_headings=bool(block.header), line_height=BODY_PT * PT_MM * 1.5) as table:
        for row in rows:
            cells = table.row()
            for c in range(width):
                cells.cell("" if c >= len(row) or row[c] is None else str(row[c]))
    pdf.ln(2)


def _picture(pdf, block: Image | Chart, picture: Picture) -> None:
    from PIL import Image as PILImage

    path = picture(block)
    with PILImage.open(path) as img:
        ratio = img.height / img.width
        natural_mm = img.width / (img.info.get("dpi", (96, 96))[0] or 96) * 25.4
    width = min(pdf.epw * 0.9, natural_mm)
    if pdf.get_y() + width * ratio > pdf.page_break_trigger:
        pdf.add_page()
    pdf.image(str(path), x=pdf.l_margin + (pdf.epw - width) / 2, w=width)
    if isinstance(block, Image) and block.caption:
        pdf.set_font(FAMILY, "", BODY_PT - 2)
        pdf.multi_cell(0, BODY_PT * PT_MM * LINE, block.caption, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _block(pdf, block: Block, picture: Picture) -> None:
    if isinstance(block, Heading):
        pdf.ln(2)
        _write(pdf, block.text, HEADING_PT[block.level], bold=True)
    elif isinstance(block, Paragraph):
        _write(pdf, block.text, BODY_PT)
        pdf.ln(1.5)
    elif isinstance(block, ListBlock):
        _list(pdf, block)
    elif isinstance(block, Table):
        _table(pdf, block)
    else:
        _picture(pdf, block, picture)


def write_pdf(out: Path, outline: Outline, picture: Picture) -> None:
    """Write `outline` as an A4 PDF at `out` with an embedded CJK font (ToolFailed when none exists)."""
    pdf = _new_pdf(outline.title)
    if outline.title:
        _write(pdf, outline.title, HEADING_PT[0], bold=True)
        pdf.ln(3)
    for block in outline.blocks:
        _block(pdf, block, picture)
    pdf.output(str(out))
