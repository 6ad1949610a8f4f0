#!/usr/bin/env python3
"""Turn e-book highlight exports into one Markdown note per book (and optional review cards).

Formats: Kindle "My Clippings.txt" (English or Chinese Kindle), WeRead (微信读书) text export, and plain
"one highlight per paragraph" text (Apple Books copies, anything else) with --title. Kindle keeps the old
version when a highlight is extended; only the longest highlight per start location is kept.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from pathlib import Path

SEPARATOR = "=========="
KIND = [("note", re.compile(r"Note|笔记")), ("bookmark", re.compile(r"Bookmark|书签")),
        ("highlight", re.compile(r"Highlight|标注"))]
LOCATION = re.compile(r"(?:Location|位置)\s*#?\s*(\d+)(?:-(\d+))?")
PAGE = re.compile(r"(?:page|第)\s*(\d+)\s*页?", re.I)
ADDED = re.compile(r"(?:Added on|添加于)\s*(.+)$")


def split_title(line: str) -> tuple[str, str]:
    """'Title (Author)' → (title, author); the author is the last parenthesised part."""
    line = line.lstrip("\ufeff").strip()
    m = re.match(r"^(.*?)\s*[(（]([^()（）]*)[)）]\s*$", line)
    return (m.group(1).strip(), m.group(2).strip()) if m else (line, "")


def parse_kindle(text: str) -> list[dict]:
    """Entries of a My Clippings.txt file, bookmarks dropped."""
    out = []
    for block in text.split(SEPARATOR):
        lines = [ln for ln in block.strip("\r\n\ufeff ").splitlines()]
        if len(lines) < 3:
            continue
        title, author = split_title(lines[0])
        meta = lines[1]
        kind = next((k for k, rx in KIND if rx.search(meta)), "highlight")
        body = "\n".join(lines[2:]).strip()
        if kind == "bookmark" or not body:
            continue
        loc, page, added = LOCATION.search(meta), PAGE.search(meta), ADDED.search(meta)
        out.append({"book": title, "author": author, "kind": kind, "text": body,
                    "location": int(loc.group(1)) if loc else None, "page": int(page.group(1)) if page else None,
                    "added": added.group(1).strip() if added else ""})
    return dedupe(out)


def dedupe(entries: list[dict]) -> list[dict]:
    """Keep one highlight per (book, start location): the longest, i.e. the final extended version."""
    best: dict[tuple, dict] = {}
    order = []
    for e in entries:
        key = (e["book"], e["kind"], e["location"]) if e["location"] is not None else (e["book"], e["kind"], e["text"])
        if key not in best:
            order.append(key)
            best[key] = e
        elif len(e["text"]) > len(best[key]["text"]) or e["text"].startswith(best[key]["text"][:10]):
            best[key] = e
    return [best[k] for k in order]


def parse_weread(text: str) -> list[dict]:
    """WeRead export: 《Title》, author line, '◆ chapter' headings and '>> highlight' lines."""
    lines = [ln.strip() for ln in text.splitlines()]
    title = next((re.sub(r"^《(.*)》$", r"\1", ln) for ln in lines if ln.startswith("《")), "Untitled")
    idx = next((i for i, ln in enumerate(lines) if ln.startswith("《")), 0)
    author = next((ln for ln in lines[idx + 1 :] if ln), "")
    out, chapter = [], ""
    for ln in lines:
        if ln.startswith("◆"):
            chapter = ln.lstrip("◆ ").strip()
        elif ln.startswith(">>"):
            out.append({"book": title, "author": author, "kind": "highlight", "text": ln[2:].strip(),
                        "chapter": chapter, "location": None, "page": None, "added": ""})
    return out


def parse_plain(text: str, title: str, author: str) -> list[dict]:
    return [{"book": title, "author": author, "kind": "highlight", "text": p.strip(), "location": None,
             "page": None, "added": ""} for p in re.split(r"\n\s*\n", text) if p.strip()]


def detect(text: str) -> str:
    if SEPARATOR in text:
        return "kindle"
    return "weread" if re.search(r"^\s*>>", text, re.M) and "《" in text else "plain"


def safe_name(title: str) -> str:
    return re.sub(r'[\\/:*?"<>|\r\n]+', " ", title).strip()[:100] or "untitled"


def write_notes(entries: list[dict], out_dir: Path) -> list[dict]:
    """One Markdown file per book; returns per-book counts."""
    books: dict[str, list[dict]] = {}
    for e in entries:
        books.setdefault(e["book"], []).append(e)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = []
    for book, items in books.items():
        items.sort(key=lambda e: (e["location"] is None, e["location"] or 0))
        author = items[0]["author"]
        lines = [f"# {book}", "", f"- 作者 / Author: {author}" if author else "", f"- 划线 / Highlights: "
                 f"{sum(e['kind'] == 'highlight' for e in items)}", f"- 笔记 / Notes: {sum(e['kind'] == 'note' for e in items)}", ""]
        chapter = None
        for e in items:
            if e.get("chapter") and e["chapter"] != chapter:
                chapter = e["chapter"]
                lines += [f"## {chapter}", ""]
            where = f"位置 {e['location']}" if e["location"] else (f"第 {e['page']} 页" if e["page"] else "")
            prefix = "> " if e["kind"] == "highlight" else "📝 "
            lines += [prefix + e["text"].replace("\n", "\n> " if e["kind"] == "highlight" else "\n"),
                      *([f"<sub>{where}</sub>"] if where else []), ""]
        path = out_dir / f"{safe_name(book)}.md"
        path.write_text("\n".join(ln for ln in lines if ln is not None) + "\n", encoding="utf-8")
        summary.append({"book": book, "author": author, "file": str(path),
                        "highlights": sum(e["kind"] == "highlight" for e in items),
                        "notes": sum(e["kind"] == "note" for e in items)})
    return summary


def write_cards(entries: list[dict], path: Path) -> int:
    """A two-column CSV (front, back) that Anki and most flashcard apps import."""
    rows = [(e["text"], f"{e['book']}" + (f" — {e['author']}" if e["author"] else "")) for e in entries if e["kind"] == "highlight"]
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f).writerows(rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("input", help="My Clippings.txt, a WeRead export or a plain text file")
    ap.add_argument("--out-dir", help="write one .md per book here (otherwise only the summary is printed)")
    ap.add_argument("--format", choices=["auto", "kindle", "weread", "plain"], default="auto")
    ap.add_argument("--title", default="", help="book title for plain text input")
    ap.add_argument("--author", default="")
    ap.add_argument("--book", help="only books whose title contains this")
    ap.add_argument("--cards", help="also write review cards to this CSV")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        text = Path(os.path.expanduser(args.input)).read_bytes().decode("utf-8-sig", errors="replace")
    except OSError as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    fmt = detect(text) if args.format == "auto" else args.format
    entries = {"kindle": parse_kindle, "weread": parse_weread}.get(fmt, lambda t: parse_plain(t, args.title or "Untitled", args.author))(text)
    if args.book:
        entries = [e for e in entries if args.book.lower() in e["book"].lower()]
    result: dict = {"ok": True, "format": fmt, "entries": len(entries)}
    if args.out_dir:
        result["books"] = write_notes(entries, Path(os.path.expanduser(args.out_dir)))
    else:
        counts: dict[str, int] = {}
        for e in entries:
            counts[e["book"]] = counts.get(e["book"], 0) + 1
        result["books"] = [{"book": b, "entries": c} for b, c in counts.items()]
        result["sample"] = entries[:10]
    if args.cards:
        result["cards"] = write_cards(entries, Path(os.path.expanduser(args.cards)))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if entries else 1


if __name__ == "__main__":
    sys.exit(main())
