"""Plain text out of PDF, Word, Excel and PowerPoint files (what `read_file` shows for them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from xiaodazi.core.tools import ToolFailed, ToolRetry

EXTRACTABLE = (".pdf", ".docx", ".xlsx", ".xlsm", ".pptx")
MAX_SHEET_ROWS = 5000


def _pdf(path: Path) -> str:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ToolFailed(f"无法读取 PDF / cannot read PDF {path.name}: {exc}") from exc
    parts = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            text = textpage.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n")
            parts.append(f"--- page {i + 1} ---\n{text.strip()}")
            textpage.close()
            page.close()
    finally:
        doc.close()
    return "\n\n".join(parts)


def _table_lines(rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(cell.replace("\n", " ") for cell in row) + " |" for row in rows]


def _docx(path: Path) -> str:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(_docx_paragraph(Paragraph(child, doc)))
        elif tag == "tbl":
            table = Table(child, doc)
            lines += _table_lines([[cell.text for cell in row.cells] for row in table.rows])
    return "\n".join(lines).strip()


def _docx_paragraph(p) -> str:
    style = (p.style.name if p.style is not None else "") or ""
    if style == "Title":
        return f"# {p.text}"
    if style.startswith("Heading ") and style[8:].isdigit():
        return f"{'#' * (int(style[8:]) + 1)} {p.text}"
    if style.startswith("List"):
        return f"- {p.text}"
    return p.text


def _xlsx(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(str(path), read_only=True, data_only=True)
    parts = []
    try:
        for ws in wb.worksheets:
            parts.append(f"## Sheet: {ws.title}\n" + "\n".join(_sheet_rows(ws)))
    finally:
        wb.close()
    return "\n\n".join(parts)


def _sheet_rows(ws) -> Iterator[str]:
    for n, row in enumerate(ws.iter_rows(values_only=True)):
        if n >= MAX_SHEET_ROWS:
            yield f"[… more rows not shown; first {MAX_SHEET_ROWS} only]"
            return
        if any(v is not None for v in row):
            yield "\t".join("" if v is None else str(v) for v in row).rstrip("\t")


def _shape_text(shape) -> list[str]:
    if hasattr(shape, "shapes"):  # a group: its members in order
        return [line for member in shape.shapes for line in _shape_text(member)]
    if getattr(shape, "has_table", False) and shape.has_table:
        return _table_lines([[cell.text for cell in row.cells] for row in shape.table.rows])
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame and shape.text_frame.text.strip():
        return [shape.text_frame.text]
    return []


def _pptx(path: Path) -> str:
    from pptx import Presentation

    parts = []
    for i, slide in enumerate(Presentation(str(path)).slides, 1):
        lines = [f"## Slide {i}"]
        for shape in slide.shapes:
            lines += _shape_text(shape)
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip():
            lines.append(f"Notes: {slide.notes_slide.notes_text_frame.text}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


_READERS = {".pdf": _pdf, ".docx": _docx, ".xlsx": _xlsx, ".xlsm": _xlsx, ".pptx": _pptx}


def extract_text(path: Path) -> str:
    """Text of a .pdf/.docx/.xlsx/.pptx file in reading order (headings, lists and tables kept as Markdown)."""
    reader = _READERS.get(Path(path).suffix.lower())
    if reader is None:
        raise ToolRetry(f"cannot extract text from {Path(path).suffix or 'this'} files; supported: {', '.join(EXTRACTABLE)}")
    try:
        return reader(Path(path))
    except (ToolFailed, ToolRetry):
        raise
    except Exception as exc:  # a corrupt or encrypted file: say so instead of crashing the tool
        raise ToolFailed(f"无法读取 / cannot read {Path(path).name}: {type(exc).__name__}: {exc}") from exc
