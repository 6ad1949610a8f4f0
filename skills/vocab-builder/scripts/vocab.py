#!/usr/bin/env python3
"""Vocabulary lists as Excel (word, phonetic, part of speech, meaning, example) and a Leitner review tracker.

Entries come as JSON [{"word", "phonetic", "pos", "meaning", "example", "example_zh"}] or a TSV/CSV with those
columns (a bare word list is accepted; empty fields stay empty for you to fill). Reviews: a word answered right moves
up a box, a miss goes back to box 1; box n is due again after 1, 2, 4, 7, 15 or 30 days.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date, timedelta
from pathlib import Path

COLUMNS = ["word", "phonetic", "pos", "meaning", "example", "example_zh"]
HEADERS_ZH = ["单词", "音标", "词性", "释义", "例句", "例句翻译"]
INTERVALS = [1, 2, 4, 7, 15, 30]


def load_entries(path: Path) -> list[dict]:
    """Entries from JSON, TSV/CSV (with or without a header) or a plain list of words."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        return [{c: str(e.get(c, "") or "") for c in COLUMNS} for e in data]
    delim = "\t" if "\t" in text else ","
    rows = [r for r in csv.reader(text.splitlines(), delimiter=delim) if r and r[0].strip()]
    if rows and rows[0][0].strip().lower() in ("word", "单词"):
        rows = rows[1:]
    return [{c: (r[i].strip() if i < len(r) else "") for i, c in enumerate(COLUMNS)} for r in rows]


def write_xlsx(entries: list[dict], out: Path, title: str) -> None:
    """One sheet, frozen header, wide meaning/example columns, a 掌握 column to tick."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(["#", *HEADERS_ZH, "掌握"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, e in enumerate(entries, 1):
        ws.append([i, *(e[c] for c in COLUMNS), ""])
    for col, width in zip("ABCDEFGH", (5, 18, 18, 8, 30, 45, 40, 6), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


def review(progress: dict, results: list[str], today: date) -> dict:
    """Apply 'word:1' (knew it) / 'word:0' (missed) results to the Leitner boxes."""
    for item in results:
        word, _, mark = item.rpartition(":")
        if not word:
            raise ValueError(f"{item!r}: use word:1 or word:0")
        state = progress.setdefault(word, {"box": 1, "due": today.isoformat(), "seen": 0, "missed": 0})
        state["seen"] += 1
        if mark == "1":
            state["box"] = min(state["box"] + 1, len(INTERVALS))
        else:
            state["box"], state["missed"] = 1, state["missed"] + 1
        state["due"] = (today + timedelta(INTERVALS[state["box"] - 1])).isoformat()
    return progress


def main(argv: list[str] | None = None) -> None:
    """xlsx / add / review / due; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="JSON output (always on)")
    sub = p.add_subparsers(dest="cmd", required=True)
    x = sub.add_parser("xlsx", parents=[common], help="entries -> Excel list")
    x.add_argument("entries", type=Path)
    x.add_argument("--out", type=Path, required=True)
    x.add_argument("--title", default="词汇表")
    for name in ("review", "due"):
        sp = sub.add_parser(name, parents=[common])
        sp.add_argument("--progress", type=Path, required=True, help="JSON file kept between sessions")
        sp.add_argument("--today", default=date.today().isoformat())
        if name == "review":
            sp.add_argument("results", nargs="+", help="word:1 (knew it) or word:0 (missed)")
        else:
            sp.add_argument("--words", type=Path, help="entries file: new words not yet in progress are due too")
    a = p.parse_args(argv)
    try:
        if a.cmd == "xlsx":
            entries = load_entries(a.entries)
            write_xlsx(entries, a.out, a.title)
            result = {"out": str(a.out), "words": len(entries),
                      "incomplete": [e["word"] for e in entries if not (e["meaning"] and e["phonetic"])]}
        else:
            today = date.fromisoformat(a.today)
            progress = json.loads(a.progress.read_text(encoding="utf-8")) if a.progress.exists() else {}
            if a.cmd == "review":
                progress = review(progress, a.results, today)
                a.progress.write_text(json.dumps(progress, ensure_ascii=False, indent=1), encoding="utf-8")
            due = sorted(w for w, s in progress.items() if s["due"] <= today.isoformat())
            new = [e["word"] for e in load_entries(a.words) if e["word"] not in progress] if getattr(a, "words", None) else []
            result = {"today": today.isoformat(), "due": due, "new": new, "tracked": len(progress),
                      "boxes": {str(b): sum(s["box"] == b for s in progress.values()) for b in range(1, 7)}}
    except (OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
