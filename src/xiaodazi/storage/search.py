"""Full-text search over messages, one class per database dialect.

SQLite uses FTS5 with the trigram tokenizer so Chinese substrings match; terms shorter than
three characters (most two-character Chinese words) cannot use the trigram index and fall back
to LIKE. PostgreSQL uses pg_trgm with ILIKE. Highlighting is done in Python so both agree.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, text

SNIPPET_CHARS = 120
MAX_TERMS = 8


@dataclass(frozen=True)
class Hit:
    message_id: int
    conversation_id: str
    conversation_title: str
    role: str
    content: str
    created_at: object


class SearchBackend(Protocol):
    def install(self, conn: Connection) -> None: ...
    def query(self, conn: Connection, terms: list[str], limit: int) -> list[Hit]: ...


def split_terms(q: str) -> list[str]:
    """Whitespace-separated terms, de-duplicated, at most MAX_TERMS."""
    seen: list[str] = []
    # NUL ends an FTS5 query string early (a 500) and PostgreSQL refuses it: treat it as a separator
    for term in q.replace("\x00", " ").split():
        if term not in seen:
            seen.append(term)
    return seen[:MAX_TERMS]


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_SELECT = (
    "SELECT m.id, m.conversation_id, c.title, m.role, m.content, m.created_at "
    "FROM messages m JOIN conversations c ON c.id = m.conversation_id "
)


def _rows_to_hits(rows) -> list[Hit]:
    return [Hit(*row) for row in rows]


class SqliteSearch:
    """FTS5 trigram index kept in step with `messages` by triggers (user and assistant text only)."""

    def install(self, conn: Connection) -> None:
        statements = [
            "CREATE VIRTUAL TABLE IF NOT EXISTS message_fts USING fts5("
            "content, content='messages', content_rowid='id', tokenize='trigram')",
            "CREATE TRIGGER IF NOT EXISTS message_fts_ai AFTER INSERT ON messages "
            "WHEN new.role IN ('user', 'assistant') BEGIN "
            "INSERT INTO message_fts(rowid, content) VALUES (new.id, new.content); END",
            "CREATE TRIGGER IF NOT EXISTS message_fts_ad AFTER DELETE ON messages "
            "WHEN old.role IN ('user', 'assistant') BEGIN "
            "INSERT INTO message_fts(message_fts, rowid, content) VALUES ('delete', old.id, old.content); END",
            "CREATE TRIGGER IF NOT EXISTS message_fts_au AFTER UPDATE OF content ON messages "
            "WHEN old.role IN ('user', 'assistant') BEGIN "
            "INSERT INTO message_fts(message_fts, rowid, content) VALUES ('delete', old.id, old.content); "
            "INSERT INTO message_fts(rowid, content) VALUES (new.id, new.content); END",
            "INSERT INTO message_fts(message_fts) VALUES ('rebuild')",
        ]
        for sql in statements:
            conn.exec_driver_sql(sql)

    def query(self, conn: Connection, terms: list[str], limit: int) -> list[Hit]:
        long_terms = [t for t in terms if len(t) >= 3]
        params: dict[str, object] = {"limit": limit}
        where = ["m.role IN ('user', 'assistant')"]
        for i, term in enumerate(t for t in terms if len(t) < 3):
            where.append(f"m.content LIKE :like{i} ESCAPE '\\'")
            params[f"like{i}"] = _like(term)
        if long_terms:
            params["match"] = " ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
            sql = (
                _SELECT + "JOIN message_fts f ON f.rowid = m.id "
                f"WHERE message_fts MATCH :match AND {' AND '.join(where)} "
                "ORDER BY f.rank LIMIT :limit"
            )
        else:
            sql = _SELECT + f"WHERE {' AND '.join(where)} ORDER BY m.id DESC LIMIT :limit"
        return _rows_to_hits(conn.execute(text(sql), params))


class PostgresSearch:
    """pg_trgm GIN index; ILIKE handles Chinese substrings of any length."""

    def install(self, conn: Connection) -> None:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS ix_messages_content_trgm ON messages USING gin (content gin_trgm_ops)"
        )

    def query(self, conn: Connection, terms: list[str], limit: int) -> list[Hit]:
        params: dict[str, object] = {"limit": limit}
        where = ["m.role IN ('user', 'assistant')"]
        for i, term in enumerate(terms):
            where.append(f"m.content ILIKE :like{i}")
            params[f"like{i}"] = _like(term)
        sql = _SELECT + f"WHERE {' AND '.join(where)} ORDER BY m.id DESC LIMIT :limit"
        return _rows_to_hits(conn.execute(text(sql), params))


def for_dialect(name: str) -> SearchBackend:
    """The search backend for a SQLAlchemy dialect name."""
    if name == "sqlite":
        return SqliteSearch()
    if name.startswith("postgres"):
        return PostgresSearch()
    raise ValueError(f"full-text search is not available for {name}")


def highlight(content: str, terms: list[str], width: int = SNIPPET_CHARS) -> str:
    """An HTML-escaped window of `content` around the first match, with every term in <mark>."""
    lower = content.lower()
    positions = [lower.find(t.lower()) for t in terms if t]
    found = [p for p in positions if p >= 0]
    start = max(0, min(found) - width // 3) if found else 0
    window = content[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(content) else ""
    out, i, wl = [], 0, window.lower()
    needles = sorted({t.lower() for t in terms if t}, key=len, reverse=True)
    while i < len(window):
        match = next((n for n in needles if wl.startswith(n, i)), None)
        if match:
            out.append("<mark>" + html.escape(window[i : i + len(match)]) + "</mark>")
            i += len(match)
        else:
            out.append(html.escape(window[i]))
            i += 1
    return prefix + "".join(out) + suffix
