#!/usr/bin/env python3
"""Search earlier conversations with the assistant (read-only) by words and dates, or show one conversation.

Reads the app's SQLite database (opened read-only). Default location: the app's data folder
(Linux ~/.local/share/xiaodazi, macOS ~/Library/Application Support/xiaodazi, Windows %LOCALAPPDATA%\\xiaodazi),
or XIAODAZI_DATA_DIR; pass --db when the app keeps its data elsewhere.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
from pathlib import Path


def default_db() -> Path:
    if os.environ.get("XIAODAZI_DATA_DIR"):
        return Path(os.environ["XIAODAZI_DATA_DIR"]).expanduser() / "xiaodazi.db"
    if sys.platform == "darwin":
        base = Path.home() / "Library/Application Support"
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData/Local"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share"))
    return base / "xiaodazi" / "xiaodazi.db"


def connect(db: Path) -> sqlite3.Connection:
    """Read-only connection: searching history must never change it."""
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    return con


def snippet(text: str, terms: list[str], width: int = 90) -> str:
    """The text around the first matching term, with the terms marked «like this»."""
    low = text.lower()
    pos = min((low.find(t) for t in terms if t in low), default=0)
    start = max(0, pos - width)
    cut = text[start : pos + width * 2]
    for t in terms:
        cut = re.sub(re.escape(t), lambda m: f"«{m.group(0)}»", cut, flags=re.I)
    return ("…" if start else "") + " ".join(cut.split()) + ("…" if pos + width * 2 < len(text) else "")


def search(con: sqlite3.Connection, query: str, since: str | None, until: str | None, roles: list[str], limit: int) -> list[dict]:
    """Messages containing every word of the query (case-insensitive), newest first."""
    terms = [t.lower() for t in query.split()]
    sql = ("SELECT m.id, m.conversation_id, m.role, m.content, m.created_at, c.title FROM messages m "
           f"JOIN conversations c ON c.id = m.conversation_id WHERE m.role IN ({','.join('?' * len(roles))})")  # noqa: S608
    params: list = list(roles)
    for t in terms:
        sql += " AND lower(m.content) LIKE ?"
        params.append(f"%{t}%")
    if since:
        sql += " AND m.created_at >= ?"
        params.append(since)
    if until:
        sql += " AND m.created_at < date(?, '+1 day')"
        params.append(until)
    sql += " ORDER BY m.created_at DESC, m.id DESC LIMIT ?"
    params.append(limit)
    return [{"conversation_id": r["conversation_id"], "title": r["title"], "message_id": r["id"], "role": r["role"],
             "date": str(r["created_at"])[:16], "snippet": snippet(r["content"], terms)}
            for r in con.execute(sql, params)]


def show(con: sqlite3.Connection, conversation_id: str, around: int | None, limit: int) -> dict:
    """A conversation's user and assistant messages (optionally only those near one message)."""
    conv = con.execute("SELECT id, title, created_at FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
    if conv is None:
        return {"ok": False, "error": f"no conversation {conversation_id}"}
    rows = con.execute("SELECT id, role, content, created_at FROM messages WHERE conversation_id = ? "
                       "AND role IN ('user', 'assistant') ORDER BY id", (conversation_id,)).fetchall()
    if around is not None:
        idx = next((i for i, r in enumerate(rows) if r["id"] == around), 0)
        rows = rows[max(0, idx - limit // 2) : idx + limit // 2 + 1]
    msgs = [{"id": r["id"], "role": r["role"], "date": str(r["created_at"])[:16], "content": r["content"][:4000]} for r in rows[:limit]]
    return {"ok": True, "conversation_id": conv["id"], "title": conv["title"], "created": str(conv["created_at"])[:16],
            "messages": msgs}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; `search` exits 1 when nothing matches."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", help="path of xiaodazi.db (default: the app's data folder)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("search", help="find messages")
    s.add_argument("query", help="words that must all appear")
    s.add_argument("--since", help="YYYY-MM-DD")
    s.add_argument("--until", help="YYYY-MM-DD (inclusive)")
    s.add_argument("--role", nargs="*", default=["user", "assistant"], choices=["user", "assistant"])
    s.add_argument("--limit", type=int, default=20)
    sh = sub.add_parser("show", help="read one conversation")
    sh.add_argument("conversation_id")
    sh.add_argument("--around", type=int, help="only messages near this message id")
    sh.add_argument("--limit", type=int, default=20)
    for x in (s, sh):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    db = Path(os.path.expanduser(args.db)) if args.db else default_db()
    if not db.is_file():
        print(json.dumps({"ok": False, "error": f"no conversation database at {db}; pass --db"}, ensure_ascii=False))
        return 2
    try:
        con = connect(db)
        if args.cmd == "search":
            hits = search(con, args.query, args.since, args.until, args.role, args.limit)
            result = {"ok": True, "query": args.query, "count": len(hits), "hits": hits}
        else:
            result = show(con, args.conversation_id, args.around, args.limit)
    except sqlite3.Error as exc:
        print(json.dumps({"ok": False, "error": f"database error: {exc}"}, ensure_ascii=False))
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 1 if args.cmd == "search" and not result["count"] else (0 if result["ok"] else 2)


if __name__ == "__main__":
    sys.exit(main())
