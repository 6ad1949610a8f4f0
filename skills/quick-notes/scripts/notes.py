#!/usr/bin/env python3
"""A dated Markdown notebook: one file per day (YYYY-MM-DD.md), one bullet per note, #tags inline.

`add` appends a note to today's file, `search` finds notes by words, tag and date range, `tags` counts tags.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import date, datetime
from pathlib import Path

DEFAULT_DIR = "notes"
TAG_RE = re.compile(r"(?<![\w#&])#([\w\u3400-\u9fff][\w\u3400-\u9fff/-]*)")
ENTRY_RE = re.compile(r"^- (\d{2}:\d{2}) (.*)$")
DAY_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.md$")


def add(folder: Path, text: str, tags: list[str], now: datetime) -> dict:
    """Append `- HH:MM text #tag` to the day's file, creating it with a heading."""
    folder.mkdir(parents=True, exist_ok=True)
    day = folder / f"{now:%Y-%m-%d}.md"
    clean = " ".join(text.split())  # one note = one line, so search can return it whole
    extra = [t.lstrip("#") for t in tags if t.lstrip("#") not in TAG_RE.findall(clean)]
    line = f"- {now:%H:%M} {clean}" + "".join(f" #{t}" for t in extra)
    if not day.exists():
        day.write_text(f"# {now:%Y-%m-%d}\n\n", encoding="utf-8")
    with day.open("a", encoding="utf-8") as f:
        f.write(line + "\n")
    return {"ok": True, "file": str(day), "line": sum(1 for _ in day.open(encoding="utf-8")), "note": line[2:],
            "tags": TAG_RE.findall(line)}


def entries(folder: Path, since: str | None, until: str | None):
    """Every note as (date, line number, time, text), oldest first."""
    for p in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        m = DAY_FILE.match(p.name)
        if not m or (since and m.group(1) < since) or (until and m.group(1) > until):
            continue
        for no, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if e := ENTRY_RE.match(line):
                yield {"date": m.group(1), "time": e.group(1), "text": e.group(2), "file": str(p), "line": no,
                       "tags": TAG_RE.findall(e.group(2))}


def search(folder: Path, words: str, tag: str | None, since: str | None, until: str | None, limit: int) -> dict:
    """Notes containing all the words (case-insensitive) and the tag, newest first."""
    terms = words.lower().split()
    want = tag.lstrip("#").lower() if tag else None
    hits = [e for e in entries(folder, since, until)
            if all(t in e["text"].lower() for t in terms) and (not want or want in (x.lower() for x in e["tags"]))]
    hits.reverse()
    return {"ok": True, "count": len(hits), "notes": hits[:limit]}


def tags(folder: Path) -> dict:
    counts: dict[str, int] = {}
    for e in entries(folder, None, None):
        for t in e["tags"]:
            counts[t] = counts.get(t, 0) + 1
    return {"ok": True, "tags": dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; `search` exits 1 when nothing matches."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", default=DEFAULT_DIR, help=f"notebook folder (default ./{DEFAULT_DIR})")
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("add", help="jot a note into today's file")
    a.add_argument("text")
    a.add_argument("--tag", action="append", default=[], help="tag without # (repeatable)")
    a.add_argument("--at", help="timestamp YYYY-MM-DDTHH:MM instead of now (back-dating)")
    s = sub.add_parser("search", help="find notes")
    s.add_argument("words", nargs="?", default="")
    s.add_argument("--tag")
    s.add_argument("--since", help="YYYY-MM-DD")
    s.add_argument("--until", help="YYYY-MM-DD")
    s.add_argument("--limit", type=int, default=30)
    t = sub.add_parser("tags", help="tag counts")
    for x in (a, s, t):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    folder = Path(os.path.expanduser(args.dir))
    try:
        if args.cmd == "add":
            if not args.text.strip():
                raise ValueError("the note is empty")
            result = add(folder, args.text, args.tag, datetime.fromisoformat(args.at) if args.at else datetime.now())
        elif args.cmd == "search":
            for d in (args.since, args.until):
                if d:
                    date.fromisoformat(d)
            result = search(folder, args.words, args.tag, args.since, args.until, args.limit)
        else:
            result = tags(folder)
    except (OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 1 if args.cmd == "search" and not result["count"] else 0


if __name__ == "__main__":
    sys.exit(main())
