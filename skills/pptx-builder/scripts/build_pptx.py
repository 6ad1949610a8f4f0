#!/usr/bin/env python3
"""Build a 16:9 PowerPoint deck from a Markdown or JSON outline: title, bullets, table, chart, image slides, one theme."""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

THEMES = {"blue": ("1F4E79", "2E75B6"), "green": ("375623", "70AD47"), "red": ("7B1E1E", "C0504D"),
          "gray": ("262626", "7F7F7F"), "orange": ("833C0B", "ED7D31")}


class DeckError(Exception):
    """A problem the user can act on."""


def parse_markdown(text: str) -> dict:
    """'# Title' (deck), optional first paragraph as subtitle, '## Slide', '- bullet' (indent = level), '> notes'."""
    deck: dict = {"title": "", "subtitle": "", "slides": []}
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.startswith("# "):
            deck["title"] = line[2:].strip()
        elif line.startswith("## "):
            deck["slides"].append({"title": line[3:].strip(), "bullets": [], "notes": ""})
        elif re.match(r"^\s*([-*+]|\d+[.)])\s+", line) and deck["slides"]:
            level = (len(line) - len(line.lstrip())) // 2
            deck["slides"][-1]["bullets"].append({"text": re.sub(r"^\s*([-*+]|\d+[.)])\s+", "", line), "level": level})
        elif line.startswith(">") and deck["slides"]:
            deck["slides"][-1]["notes"] += line.lstrip("> ").strip() + "\n"
        elif line.strip() and not deck["slides"] and deck["title"]:
            deck["subtitle"] = (deck["subtitle"] + " " + line.strip()).strip()
        elif line.strip() and deck["slides"]:
            deck["slides"][-1]["bullets"].append({"text": line.strip(), "level": 0})
    return deck


def rgb(hex_color: str):
    """python-pptx colour from 'RRGGBB'."""
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_color)


def style_title(shape, color: str, font: str | None, size: int) -> None:
    """Theme colour, font and size for a title placeholder."""
    from pptx.util import Pt

    for p in shape.text_frame.paragraphs:
        for r in p.runs:
            r.font.color.rgb, r.font.size, r.font.bold = rgb(color), Pt(size), True
            if font:
                r.font.name = font


def accent_bar(slide, prs, color: str) -> None:
    """A thin coloured bar under the title: the deck's one consistent visual accent."""
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Emu, Inches

    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(0.5), Inches(1.35), Emu(prs.slide_width - Inches(1)), Inches(0.06))
    bar.fill.solid()
    bar.fill.fore_color.rgb = rgb(color)
    bar.line.fill.background()


def add_content(slide, spec: dict, base: Path, font: str | None) -> None:
    """Bullets, or a table, chart or image in the body area."""
    from pptx.util import Inches, Pt

    body = next((ph for ph in slide.placeholders if ph.placeholder_format.idx == 1), None)
    if spec.get("bullets") and body is not None:
        tf = body.text_frame
        tf.clear()
        for k, b in enumerate(spec["bullets"]):
            item = b if isinstance(b, dict) else {"text": str(b), "level": 0}
            p = tf.paragraphs[0] if k == 0 else tf.add_paragraph()
            p.text, p.level = item["text"], min(int(item.get("level", 0)), 4)
            for r in p.runs:
                r.font.size = Pt(24 if p.level == 0 else 20)
                if font:
                    r.font.name = font
    elif body is not None:
        body._element.getparent().remove(body._element)  # an empty placeholder would show "Click to add text"
    left, top, width, height = Inches(0.7), Inches(1.6), Inches(11.9), Inches(5.4)
    if spec.get("table"):
        rows = spec["table"]
        shape = slide.shapes.add_table(len(rows), max(len(r) for r in rows), left, top, width, Inches(0.4) * len(rows))
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                shape.table.cell(i, j).text = "" if v is None else str(v)
    if spec.get("chart"):
        add_chart(slide, spec["chart"], (left, top, width, height))
    if spec.get("image"):
        path = (base / spec["image"]).expanduser()
        if not path.is_file():
            raise DeckError(f"image not found: {path}")
        slide.shapes.add_picture(str(path), left, top, height=height)


def add_chart(slide, chart: dict, box) -> None:
    """Native (editable) PowerPoint chart from categories and named series."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION

    kinds = {"bar": XL_CHART_TYPE.COLUMN_CLUSTERED, "line": XL_CHART_TYPE.LINE_MARKERS, "pie": XL_CHART_TYPE.PIE,
             "hbar": XL_CHART_TYPE.BAR_CLUSTERED, "stacked": XL_CHART_TYPE.COLUMN_STACKED}
    data = CategoryChartData()
    data.categories = chart["categories"]
    for name, values in chart["series"].items():
        data.add_series(name, values)
    graphic = slide.shapes.add_chart(kinds.get(chart.get("type", "bar"), kinds["bar"]), *box, data).chart
    graphic.has_legend = len(chart["series"]) > 1 or chart.get("type") == "pie"
    if graphic.has_legend:
        graphic.legend.position, graphic.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False


def build(deck: dict, out: Path, base: Path, theme: str, font: str | None) -> dict:
    """Create the presentation; returns slide titles."""
    from pptx import Presentation
    from pptx.util import Inches

    dark, accent = THEMES.get(theme, THEMES["blue"])
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    if deck.get("title"):
        s = prs.slides.add_slide(prs.slide_layouts[0])
        s.shapes.title.text = deck["title"]
        style_title(s.shapes.title, dark, font, 40)
        s.placeholders[1].text = deck.get("subtitle", "")
    for spec in deck.get("slides", []):
        s = prs.slides.add_slide(prs.slide_layouts[1])
        s.shapes.title.text = spec["title"]
        style_title(s.shapes.title, dark, font, 32)
        accent_bar(s, prs, accent)
        add_content(s, spec, base, font)
        if spec.get("notes"):
            s.notes_slide.notes_text_frame.text = spec["notes"].strip()
    prs.save(out)
    return {"ok": True, "output": str(out), "slides": len(prs.slides),
            "titles": [sl.shapes.title.text for sl in prs.slides if sl.shapes.title is not None]}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("outline", help=".md outline or .json deck spec")
    ap.add_argument("out", help="output .pptx")
    ap.add_argument("--theme", choices=list(THEMES), default="blue")
    ap.add_argument("--font", help="font for all text, e.g. 微软雅黑")
    ap.add_argument("--force", action="store_true", help="overwrite an existing output")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    src, out = Path(args.outline), Path(args.out)
    try:
        if out.exists() and not args.force:
            raise DeckError(f"{out} exists; choose another name or pass --force")
        text = src.read_text(encoding="utf-8")
        deck = json.loads(text) if src.suffix.lower() == ".json" else parse_markdown(text)
        if not deck.get("slides"):
            raise DeckError("the outline has no slides ('## Slide title' lines or a 'slides' list)")
        result = build(deck, out, src.parent, args.theme, args.font)
    except (DeckError, OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
