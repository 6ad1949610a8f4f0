"""Writing .docx (python-docx) and .xlsx (openpyxl) files from outlines, with Chinese fonts named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from xiaodazi.tools.doc_fonts import EAST_ASIAN_FONT, EAST_ASIAN_LANG
from xiaodazi.tools.doc_outline import (
    Block,
    Chart,
    Heading,
    Image,
    ListBlock,
    Outline,
    Paragraph,
    Sheet,
    Table,
)

Picture = Callable[[Image | Chart], Path]  # a workspace image or a rendered chart, as a file
MAX_PICTURE_CM = 15.0


def _east_asian(rpr) -> None:
    """Name the East-Asian font and language on a run/style property element (w:rPr)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    fonts.attrib.pop(qn("w:eastAsiaTheme"), None)  # a theme font would win over the named one
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), EAST_ASIAN_LANG)


def _style_fonts(doc) -> None:
    for name in ("Normal", "Title", *(f"Heading {i}" for i in range(1, 7)), "Caption"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        _east_asian(style.element.get_or_add_rPr())


def _runs_fonts(paragraph) -> None:
    for run in paragraph.runs:
        _east_asian(run._r.get_or_add_rPr())


def _docx_table(doc, block: Table) -> None:
    width = max([len(block.header), *(len(r) for r in block.rows)] or [1])
    rows = ([block.header] if block.header else []) + block.rows
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c in range(width):
            cell = table.cell(r, c)
            cell.text = "" if c >= len(row) or row[c] is None else str(row[c])
            for p in cell.paragraphs:
                for run in p.runs:
                    run.bold = bool(block.header) and r == 0
                _runs_fonts(p)


def _docx_picture(doc, block: Image | Chart, picture: Picture) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm
    from PIL import Image as PILImage

    path = picture(block)
    with PILImage.open(path) as img:
        natural_cm = img.width / (img.info.get("dpi", (96, 96))[0] or 96) * 2.54
    doc.add_picture(str(path), width=Cm(min(natural_cm, MAX_PICTURE_CM)))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = block.caption if isinstance(block, Image) else ""
    if caption:
        p = doc.add_paragraph(caption, style="Caption")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _runs_fonts(p)


def _restart_numbering(doc, paragraphs) -> None:
    """Number this list from 1: every "List Number" paragraph shares one counter unless given its own."""
    numbering = doc.part.numbering_part.element
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    for p in paragraphs:
        num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num.numId


def _docx_block(doc, block: Block, picture: Picture) -> None:
    if isinstance(block, Heading):
        _runs_fonts(doc.add_heading(block.text, level=block.level))
    elif isinstance(block, Paragraph):
        _runs_fonts(doc.add_paragraph(block.text))
    elif isinstance(block, ListBlock):
        style = "List Number" if block.ordered else "List Bullet"
        paragraphs = [doc.add_paragraph(item, style=style) for item in block.items]
        for p in paragraphs:
            _runs_fonts(p)
        if block.ordered:
            _restart_numbering(doc, paragraphs)
    elif isinstance(block, Table):
        _docx_table(doc, block)
    else:
        _docx_picture(doc, block, picture)


def write_docx(out: Path, outline: Outline, picture: Picture) -> None:
    """Write `outline` as a Word document at `out`."""
    from docx import Document

    doc = Document()
    _style_fonts(doc)
    if outline.title:
        doc.core_properties.title = outline.title
        _runs_fonts(doc.add_heading(outline.title, level=0))
    for block in outline.blocks:
        _docx_block(doc, block, picture)
    doc.save(str(out))


# -- xlsx ----------------------------------------------------------------------------------------

_BAD_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _sheet_title(name: str, used: set[str]) -> str:
    """Excel's rules: ≤31 characters, none of []:*?/\\, unique ignoring case."""
    base = name.translate(_BAD_SHEET_CHARS).strip("'")[:31] or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        title = f"{base[:28]}_{n}"
        n += 1
    used.add(title.lower())
    return title


def _display_width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)  # CJK cells are twice as wide


def _fill_sheet(ws, sheet: Sheet) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    body, head = Font(name=EAST_ASIAN_FONT), Font(name=EAST_ASIAN_FONT, bold=True)
    rows = ([sheet.header] if sheet.header else []) + sheet.rows
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font = head if sheet.header and r == 1 else body
            if sheet.header and r == 1:
                cell.fill = PatternFill("solid", fgColor="DDEBF7")
    widths: dict[int, int] = {}
    for row in rows:
        for c, value in enumerate(row, 1):
            widths[c] = max(widths.get(c, 0), _display_width(value))
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = min(max(w + 2, 8), 60)
    if sheet.header:
        ws.freeze_panes = "A2"


def _sheet_charts(ws, sheet: Sheet, picture: Picture) -> None:
    from openpyxl.drawing.image import Image as XLImage
    from openpyxl.utils import get_column_letter

    column = get_column_letter(max([len(sheet.header), *(len(r) for r in sheet.rows)] or [0]) + 2)
    for i, chart in enumerate(sheet.charts):
        img = XLImage(str(picture(chart)))
        img.width, img.height = 640, 360
        ws.add_image(img, f"{column}{1 + i * 20}")


def write_xlsx(out: Path, sheets: list[Sheet], picture: Picture) -> None:
    """Write the sheets as an Excel workbook at `out`."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(title=_sheet_title(sheet.name, used))
        _fill_sheet(ws, sheet)
        _sheet_charts(ws, sheet, picture)
    wb.save(str(out))
