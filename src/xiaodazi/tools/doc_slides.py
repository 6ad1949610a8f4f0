"""Writing .pptx files (python-pptx) from slides: title, text on the left, table/picture/chart on the right."""

from __future__ import annotations

from pathlib import Path

from xiaodazi.tools.doc_fonts import EAST_ASIAN_FONT, EAST_ASIAN_LANG
from xiaodazi.tools.doc_office import Picture
from xiaodazi.tools.doc_outline import Chart, Heading, Image, ListBlock, Paragraph, Slide, Table

WIDTH_IN, HEIGHT_IN, MARGIN_IN, TITLE_IN = 13.333, 7.5, 0.5, 1.2


def _ea_font(paragraph) -> None:
    """Name the East-Asian font on every run (PowerPoint draws Chinese with the `a:ea` typeface)."""
    from pptx.oxml.ns import qn
    from pptx.oxml.xmlchemy import OxmlElement

    for run in paragraph.runs:
        rpr = run._r.get_or_add_rPr()
        rpr.set("lang", EAST_ASIAN_LANG)
        ea = rpr.find(qn("a:ea"))
        if ea is None:
            ea = OxmlElement("a:ea")
            latin = rpr.find(qn("a:latin"))
            if latin is not None:
                latin.addnext(ea)
            else:
                rpr.append(ea)
        ea.set("typeface", EAST_ASIAN_FONT)


def _ea_frame(frame) -> None:
    for paragraph in frame.paragraphs:
        _ea_font(paragraph)


def _text_lines(slide: Slide) -> list[tuple[str, bool]]:
    """(text, bold) lines of the slide's text area."""
    lines = [(f"•  {b}", False) for b in slide.bullets]
    for block in slide.blocks:
        if isinstance(block, Heading):
            lines.append((block.text, True))
        elif isinstance(block, Paragraph):
            lines.append((block.text, False))
        elif isinstance(block, ListBlock):
            lines += [(f"{i}. {t}" if block.ordered else f"•  {t}", False) for i, t in enumerate(block.items, 1)]
    return lines


def _add_text(shapes, lines: list[tuple[str, bool]], box: tuple[float, float, float, float]) -> None:
    from pptx.util import Inches, Pt

    frame = shapes.add_textbox(*(Inches(v) for v in box)).text_frame
    frame.word_wrap = True
    size = 20 if sum(len(t) for t, _ in lines) < 300 else 14
    for i, (text, bold) in enumerate(lines):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.text = text
        p.space_after = Pt(6)
        for run in p.runs:
            run.font.size, run.font.bold = Pt(size), bold
        _ea_font(p)


def _add_table(shapes, block: Table, box: tuple[float, float, float, float]) -> None:
    from pptx.util import Inches, Pt

    rows = ([block.header] if block.header else []) + block.rows
    width = max(len(r) for r in rows) if rows else 1
    table = shapes.add_table(max(len(rows), 1), width, *(Inches(v) for v in box)).table
    for r, row in enumerate(rows):
        for c in range(width):
            cell = table.cell(r, c)
            cell.text = "" if c >= len(row) or row[c] is None else str(row[c])
            for p in cell.text_frame.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(12)
                _ea_font(p)


def _add_picture(shapes, path: Path, box: tuple[float, float, float, float]) -> None:
    from PIL import Image as PILImage
    from pptx.util import Inches

    left, top, width, height = box
    with PILImage.open(path) as img:
        ratio = img.width / img.height
    w, h = (width, width / ratio) if width / ratio <= height else (height * ratio, height)
    shapes.add_picture(str(path), Inches(left + (width - w) / 2), Inches(top + (height - h) / 2), Inches(w), Inches(h))


def _layout_body(pptx_slide, slide: Slide, picture: Picture) -> None:
    visuals = [b for b in slide.blocks if isinstance(b, Table | Image | Chart)]
    lines = _text_lines(slide)
    top, body_w, body_h = TITLE_IN + 0.3, WIDTH_IN - 2 * MARGIN_IN, HEIGHT_IN - TITLE_IN - 0.3 - MARGIN_IN
    text_w = body_w if not visuals else body_w * 0.45 if lines else 0
    if lines:
        _add_text(pptx_slide.shapes, lines, (MARGIN_IN, top, text_w, body_h))
    left = MARGIN_IN + (text_w + 0.3 if lines else 0)
    vis_w, vis_h = WIDTH_IN - MARGIN_IN - left, body_h / max(len(visuals), 1)
    for i, block in enumerate(visuals):
        box = (left, top + i * vis_h, vis_w, vis_h - 0.1)
        if isinstance(block, Table):
            _add_table(pptx_slide.shapes, block, box)
        else:
            _add_picture(pptx_slide.shapes, picture(block), box)


def _add_slide(prs, slide: Slide, picture: Picture, first: bool) -> None:
    from pptx.util import Inches

    title_only = first and not (slide.bullets or slide.blocks)
    layout = prs.slide_layouts[0 if title_only else 5]  # "Title Slide" / "Title Only"
    s = prs.slides.add_slide(layout)
    s.shapes.title.text = slide.title
    if title_only:
        s.placeholders[1].text = slide.subtitle
        for ph in (s.shapes.title, s.placeholders[1]):
            ph.left, ph.width = Inches(MARGIN_IN), Inches(WIDTH_IN - 2 * MARGIN_IN)
            _ea_frame(ph.text_frame)
    else:
        title = s.shapes.title
        title.left, title.top = Inches(MARGIN_IN), Inches(0.3)
        title.width, title.height = Inches(WIDTH_IN - 2 * MARGIN_IN), Inches(TITLE_IN)
        _ea_frame(title.text_frame)
        _layout_body(s, slide, picture)
    if slide.notes:
        s.notes_slide.notes_text_frame.text = slide.notes
        _ea_frame(s.notes_slide.notes_text_frame)


def write_pptx(out: Path, slides: list[Slide], picture: Picture) -> None:
    """Write the slides as a 16:9 PowerPoint deck at `out`."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(WIDTH_IN), Inches(HEIGHT_IN)
    for i, slide in enumerate(slides):
        _add_slide(prs, slide, picture, first=i == 0)
    prs.save(str(out))
