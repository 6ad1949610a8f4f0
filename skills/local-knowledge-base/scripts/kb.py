#!/usr/bin/env python3
"""A local full-text index of notes and documents (SQLite FTS5, trigram) answering searches with file + line citations.

`index FOLDER...` adds or refreshes files (only changed ones are read again); `search "words"` returns the best
paragraphs with their file and line. Chinese works without word segmentation: queries are split into words and
two-character pieces, and every piece that appears in a paragraph adds to its score.
"""
from __future__ import annotations

import argparse
import html
import json
import math
import os
import re
import sqlite3
import sys
from pathlib import Path

TEXT_EXT = {".md", ".markdown", ".txt", ".rst", ".org", ".csv", ".log", ".html", ".htm", ".json", ".yaml", ".yml", ".tex"}
DOC_EXT = {".docx", ".pdf"}
SKIP_DIRS = {".git", "node_modules", ".venv", "__pycache__", ".obsidian", ".trash"}
CHUNK = 800
DEFAULT_DB = ".knowledge-base.sqlite"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def open_db(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, mtime REAL, size INTEGER, chunks INTEGER)")
    con.execute("CREATE VIRTUAL TABLE IF NOT EXISTS chunks USING fts5(content, path UNINDEXED, line UNINDEXED, "
                "tokenize='trigram')")
    return con


def read_text(path: Path) -> str:
    """Plain text of a file; .docx and .pdf when python-docx / pypdf are installed."""
    ext = path.suffix.lower()
    if ext == ".docx":
        import docx
        return "\n\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    if ext == ".pdf":
        from pypdf import PdfReader
        return "\n\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    text = path.read_bytes().decode("utf-8", errors="replace")
    if ext in (".html", ".htm"):
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"(?s)<br\s*/?>|</p>|</h\d>|</li>", "\n\n", text))
        text = re.sub(r"<[^>]+>", " ", text)
    return text


def paragraphs(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of blank-line separated paragraphs, long ones cut into CHUNK-sized parts."""
    out, buf, start = [], [], 1
    for no, line in enumerate(text.splitlines() + [""], 1):
        if line.strip():
            if not buf:
                start = no
            buf.append(line.rstrip())
        elif buf:
            para = "\n".join(buf)
            out += [(start, para[i : i + CHUNK]) for i in range(0, len(para), CHUNK)]
            buf = []
    return out


def index(con: sqlite3.Connection, folders: list[Path]) -> dict:
    """Add new and changed files, drop deleted ones; returns counts."""
    known = {p: (m, s) for p, m, s in con.execute("SELECT path, mtime, size FROM files")}
    seen, added, failed = set(), 0, []
    for root in folders:
        for dirpath, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
            for name in files:
                p = Path(dirpath) / name
                if p.suffix.lower() not in TEXT_EXT | DOC_EXT:
                    continue
                key, st = str(p.resolve()), p.stat()
                seen.add(key)
                if known.get(key) == (st.st_mtime, st.st_size):
                    continue
                try:
                    paras = paragraphs(read_text(p))
                except Exception as exc:  # a broken or unsupported document must not stop the whole index
                    failed.append({"path": key, "error": f"{type(exc).__name__}: {exc}"})
                    continue
                con.execute("DELETE FROM chunks WHERE path = ?", (key,))
                con.executemany("INSERT INTO chunks(content, path, line) VALUES (?, ?, ?)", [(t, key, n) for n, t in paras])
                con.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", (key, st.st_mtime, st.st_size, len(paras)))
                added += 1
    roots = [str(r.resolve()) for r in folders]
    gone = [p for p in known if p not in seen and any(p.startswith(r) for r in roots)]
    for p in gone:
        con.execute("DELETE FROM chunks WHERE path = ?", (p,))
        con.execute("DELETE FROM files WHERE path = ?", (p,))
    con.commit()
    total = con.execute("SELECT COUNT(*), COALESCE(SUM(chunks), 0) FROM files").fetchone()
    return {"ok": True, "indexed_now": added, "removed": len(gone), "files": total[0], "paragraphs": total[1],
            "failed": failed}


def query_pieces(query: str) -> list[str]:
    """Search pieces: Latin words (2+ letters) and, for Chinese runs, the run itself plus its two-character pieces."""
    pieces = [w for w in re.findall(r"[A-Za-z0-9_.-]{2,}", query)]
    for run in CJK.findall(query):
        pieces.append(run)
        pieces += [run[i : i + 2] for i in range(len(run) - 1)]
    return list(dict.fromkeys(p.lower() for p in pieces))


def search(con: sqlite3.Connection, query: str, top: int) -> list[dict]:
    """Best paragraphs: pieces weighted by rarity (idf), longer pieces count more, exact phrase gets a bonus."""
    pieces = query_pieces(query)
    if not pieces:
        return []
    n = con.execute("SELECT COUNT(*) FROM chunks").fetchone()[0] or 1
    where = " OR ".join("content LIKE ? ESCAPE '\\'" for _ in pieces)
    # % and _ typed by the user are literal characters, not wildcards.
    patterns = ["%" + re.sub(r"([\\%_])", r"\\\1", p) + "%" for p in pieces]
    rows = con.execute(f"SELECT rowid, content, path, line FROM chunks WHERE {where} LIMIT 5000",  # noqa: S608
                       patterns).fetchall()
    df = {p: sum(1 for r in rows if p in r[1].lower()) for p in pieces}
    scored = []
    for _rowid, content, path, line in rows:
        low = content.lower()
        score = sum(math.log(1 + n / df[p]) * min(len(p), 4) for p in pieces if p in low)
        if query.strip().lower() in low:
            score *= 1.5
        scored.append((score, path, int(line), content))
    scored.sort(key=lambda r: (-r[0], r[1], r[2]))
    return [{"path": p, "line": ln, "score": round(s, 2), "text": c[:600]} for s, p, ln, c in scored[:top]]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", default=DEFAULT_DB, help=f"index file (default {DEFAULT_DB} in the current folder)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("index", help="index or refresh folders")
    i.add_argument("folders", nargs="+")
    s = sub.add_parser("search", help="find paragraphs")
    s.add_argument("query")
    s.add_argument("--top", type=int, default=5)
    st = sub.add_parser("stats", help="what is indexed")
    for x in (i, s, st):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    db = Path(os.path.expanduser(args.db))
    if args.cmd != "index" and not db.exists():
        print(json.dumps({"ok": False, "error": f"no index at {db}; run index first"}, ensure_ascii=False))
        return 2
    con = open_db(db)
    if args.cmd == "index":
        missing = [f for f in args.folders if not Path(os.path.expanduser(f)).is_dir()]
        if missing:
            print(json.dumps({"ok": False, "error": f"not a folder: {', '.join(missing)}"}, ensure_ascii=False))
            return 2
        result = index(con, [Path(os.path.expanduser(f)) for f in args.folders])
    elif args.cmd == "search":
        hits = search(con, args.query, args.top)
        result = {"ok": True, "query": args.query, "hits": hits}
    else:
        rows = con.execute("SELECT path, chunks FROM files ORDER BY path").fetchall()
        result = {"ok": True, "db": str(db), "files": len(rows), "paths": [r[0] for r in rows[:200]]}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if args.cmd != "search" or result["hits"] else 1


if __name__ == "__main__":
    sys.exit(main())
