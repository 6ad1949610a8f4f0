#!/usr/bin/env python3
"""Rank files under some folders against vague clues: name words, type, rough date, size, words inside."""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import zipfile
from datetime import datetime
from difflib import SequenceMatcher
from pathlib import Path

TYPE_GROUPS = {
    "excel": {".xlsx", ".xls", ".csv", ".et"}, "word": {".docx", ".doc", ".wps", ".rtf"},
    "ppt": {".pptx", ".ppt", ".dps", ".key"}, "pdf": {".pdf"}, "image": {".jpg", ".jpeg", ".png", ".heic", ".gif", ".webp"},
    "text": {".txt", ".md"}, "archive": {".zip", ".rar", ".7z"}, "video": {".mp4", ".mov", ".mkv", ".avi"},
}
TEXT_EXT = {".txt", ".md", ".csv", ".json", ".html", ".xml", ".py", ".log", ".ini", ".yaml", ".yml"}
OFFICE_EXT = {".docx", ".xlsx", ".pptx"}
SKIP_DIRS = {"node_modules", "__pycache__", "AppData", "Library", "$RECYCLE.BIN", "System Volume Information"}
MAX_CONTENT_BYTES = 5 * 1024 * 1024


def fail(message: str) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(2)


def wanted_exts(types: list[str]) -> set[str]:
    """Expand 'excel', 'xlsx', '.pdf' ... into a set of extensions."""
    out: set[str] = set()
    for t in types:
        t = t.lower().lstrip(".")
        out |= TYPE_GROUPS.get(t, {"." + t})
    return out


def content_text(path: Path) -> str:
    """Readable text of small text files and Office files (their XML parts), lower-cased."""
    try:
        if path.stat().st_size > MAX_CONTENT_BYTES:
            return ""
        if path.suffix.lower() in TEXT_EXT:
            raw = path.read_bytes()
            for enc in ("utf-8", "gb18030"):
                try:
                    return raw.decode(enc).lower()
                except UnicodeDecodeError:
                    continue
        if path.suffix.lower() in OFFICE_EXT:
            with zipfile.ZipFile(path) as z:
                xml = " ".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist()
                               if n.endswith(".xml") and ("sharedStrings" in n or "document" in n or "slides/slide" in n))
            return re.sub(r"<[^>]+>", " ", xml).lower()
    except (OSError, zipfile.BadZipFile):
        pass
    return ""


def name_score(name: str, words: list[str]) -> float:
    """3 points per clue word found in the name, partial credit for near matches."""
    score = 0.0
    low = name.lower()
    for w in words:
        if w in low:
            score += 3
        else:
            ratio = SequenceMatcher(None, w, low).find_longest_match(0, len(w), 0, len(low)).size / max(len(w), 1)
            score += 2 * ratio if ratio >= 0.6 else 0
    return score


def in_window(mtime: float, args: argparse.Namespace) -> bool:
    """Does the modification time fall in the requested rough period?"""
    t = datetime.fromtimestamp(mtime)
    if args.month and t.month != args.month:
        return False
    if args.year and t.year != args.year:
        return False
    if args.after and t < datetime.fromisoformat(args.after):
        return False
    return not (args.before and t > datetime.fromisoformat(args.before))


def score(path: Path, st: os.stat_result, args: argparse.Namespace, exts: set[str]) -> tuple[float, list[str]]:
    """Score one file; returns the score and the reasons behind it."""
    reasons, total = [], 0.0
    s = name_score(path.name, args.name)
    if s:
        total += s
        reasons.append("name")
    if exts and path.suffix.lower() in exts:
        total += 2
        reasons.append("type")
    if (args.month or args.year or args.after or args.before) and in_window(st.st_mtime, args):
        total += 2
        reasons.append("date")
    if (args.min_size or args.max_size) and (args.min_size or 0) <= st.st_size <= (args.max_size or st.st_size):
        total += 1
        reasons.append("size")
    if args.content and (total > 0 or not args.name):  # reading contents is slow: only for plausible files
        text = content_text(path)
        hits = sum(1 for w in args.content if w in text)
        if hits:
            total += 2.5 * hits
            reasons.append("content")
    return total, reasons


def search(args: argparse.Namespace) -> dict:
    """Walk the roots and return the best-ranked files."""
    exts = wanted_exts(args.type)
    args.name = [w.lower() for w in args.name]
    args.content = [w.lower() for w in args.content]
    found, seen = [], 0
    for root in args.roots:
        for dirpath, dirnames, names in os.walk(Path(root).expanduser()):
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS]
            for n in names:
                p = Path(dirpath) / n
                try:
                    st = p.stat()
                except OSError:
                    continue
                seen += 1
                total, why = score(p, st, args, exts)
                if total > 0:
                    found.append((total, st.st_mtime, p, why, st.st_size))
    found.sort(key=lambda r: (-r[0], -r[1]))
    rows = [{"path": str(p), "score": round(s, 2), "matched": why, "size": size,
             "modified": datetime.fromtimestamp(m).strftime("%Y-%m-%d %H:%M")} for s, m, p, why, size in found[:args.limit]]
    return {"ok": True, "files_checked": seen, "results": rows}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("roots", nargs="+", help="folders to search")
    ap.add_argument("--name", nargs="*", default=[], help="words that may be in the file name (any language)")
    ap.add_argument("--content", nargs="*", default=[], help="words that may be inside the file")
    ap.add_argument("--type", nargs="*", default=[], help="xlsx, pdf, or a group: excel word ppt pdf image text archive video")
    ap.add_argument("--month", type=int, help="month modified (1-12), any year unless --year")
    ap.add_argument("--year", type=int)
    ap.add_argument("--after", help="modified on/after YYYY-MM-DD")
    ap.add_argument("--before", help="modified on/before YYYY-MM-DD")
    ap.add_argument("--min-size", type=int, help="bytes")
    ap.add_argument("--max-size", type=int, help="bytes")
    ap.add_argument("--limit", type=int, default=15)
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    if not (args.name or args.content or args.type or args.month or args.year or args.after or args.before):
        fail("give at least one clue: --name, --content, --type or a date")
    missing = [r for r in args.roots if not Path(r).expanduser().is_dir()]
    if missing:
        fail(f"not a folder: {', '.join(missing)}")
    print(json.dumps(search(args), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
