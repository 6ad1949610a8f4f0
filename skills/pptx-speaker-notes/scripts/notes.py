#!/usr/bin/env python3
"""Dump a deck's slide text and layout warnings, then write speaker notes into a copy without touching slide content."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

MAX_BULLETS = 7
MAX_CHARS = 350


class NotesError(Exception):
    """A problem the user can act on."""


def slide_text(slide) -> list[str]:
    """Text of every text-bearing shape and table cell, in shape order."""
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text.strip():
            texts.append(shape.text_frame.text.strip())
        if getattr(shape, "has_table", False) and shape.has_table:
            texts += [c.text for row in shape.table.rows for c in row.cells if c.text.strip()]
    return texts


def warnings_for(slide, prs) -> list[str]:
    """Crowding and overflow hints a presenter should know about."""
    issues = []
    bullets = sum(len([p for p in s.text_frame.paragraphs if p.text.strip()]) for s in slide.shapes if s.has_text_frame)
    chars = sum(len(t) for t in slide_text(slide))
    if bullets > MAX_BULLETS:
        issues.append(f"crowded: {bullets} lines of text")
    if chars > MAX_CHARS:
        issues.append(f"wordy: {chars} characters")
    for s in slide.shapes:
        if None in (s.left, s.top, s.width, s.height):
            continue
        if s.left < 0 or s.top < 0 or s.left + s.width > prs.slide_width or s.top + s.height > prs.slide_height:
            issues.append(f"shape '{s.name}' extends beyond the slide")
    return issues


def dump(path: Path) -> dict:
    """Per slide: title, text, existing notes, warnings."""
    from pptx import Presentation

    prs = Presentation(path)
    slides = []
    for i, slide in enumerate(prs.slides, 1):
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        slides.append({"index": i, "title": title, "text": slide_text(slide), "notes": notes,
                       "warnings": warnings_for(slide, prs)})
    return {"ok": True, "slides": slides, "count": len(slides)}


def apply(path: Path, notes_file: Path, out: Path, mode: str) -> dict:
    """Write notes from {"1": "...", "2": "..."} or [{"index": 1, "notes": "..."}] into a copy of the deck."""
    from pptx import Presentation

    raw = json.loads(notes_file.read_text(encoding="utf-8"))
    notes = {int(k): v for k, v in raw.items()} if isinstance(raw, dict) else {int(n["index"]): n["notes"] for n in raw}
    prs = Presentation(path)
    total = len(prs.slides)
    unknown = sorted(k for k in notes if not 1 <= k <= total)
    if unknown:
        raise NotesError(f"slides {unknown} do not exist (the deck has {total})")
    for i, slide in enumerate(prs.slides, 1):
        if i not in notes:
            continue
        frame = slide.notes_slide.notes_text_frame
        old = frame.text.strip()
        frame.text = f"{old}\n\n{notes[i].strip()}" if mode == "append" and old else notes[i].strip()
    prs.save(out)
    missing = [i for i in range(1, total + 1) if i not in notes]
    return {"ok": True, "output": str(out), "slides_with_new_notes": len(notes), "slides_without_notes": missing}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump", help="show slide text, notes and warnings")
    d.add_argument("deck")
    a = sub.add_parser("apply", help="write notes into a copy")
    a.add_argument("deck")
    a.add_argument("notes", help='JSON: {"1": "talk track", ...} or [{"index": 1, "notes": "..."}]')
    a.add_argument("out", help="output .pptx (a new file)")
    a.add_argument("--mode", choices=["replace", "append"], default="replace", help="what to do with existing notes")
    for p in (d, a):
        p.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "dump":
            result = dump(Path(args.deck))
        else:
            out = Path(args.out)
            if out.exists() or out.resolve() == Path(args.deck).resolve():
                raise NotesError("write to a new file: the output exists or is the input")
            result = apply(Path(args.deck), Path(args.notes), out, args.mode)
    except (NotesError, OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
