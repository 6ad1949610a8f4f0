"""The SQL implementation of `xiaodazi.memory.model.MemoryRepository` (SQLite or PostgreSQL).

It shares the engine and the write lock of `Store`, so memory writes never race the chat's
writes. Text search uses the FTS5 trigram table on SQLite (Chinese substrings match) and
pg_trgm on PostgreSQL, both installed by `memory_models.install_memory_schema`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import text, update
from sqlmodel import Session, col, select

from xiaodazi.memory.model import (
    MemoryChange,
    MemoryItem,
    MemoryKind,
    MemoryNotFound,
    MemorySource,
    MemoryStatus,
)
from xiaodazi.storage.memory_models import MemoryHistoryRow, MemoryRow
from xiaodazi.storage.models import utcnow
from xiaodazi.storage.repo import Store
from xiaodazi.storage.search import _like, split_terms

_ITEM_FIELDS = [
    "id", "content", "kind", "status", "pinned", "confidence", "source", "source_conversation_id",
    "source_message_id", "supersedes", "embedding", "created_at", "updated_at", "last_used_at",
]


def _to_item(row: MemoryRow) -> MemoryItem:
    item = MemoryItem(**{name: getattr(row, name) for name in _ITEM_FIELDS})
    item.kind, item.status, item.source = MemoryKind(row.kind), MemoryStatus(row.status), MemorySource(row.source)
    return item


class SqlMemoryRepository:
    """Memory items, history and `memory.*` settings in the app database."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine
        self._write = store._write  # one write path and lock for the whole database

    def add(self, item: MemoryItem) -> MemoryItem:
        """Insert a new item and return it with its id."""
        values = {n: getattr(item, n) for n in _ITEM_FIELDS if n != "id"}

        def work(s: Session) -> MemoryItem:
            row = MemoryRow(**values)
            s.add(row)
            s.flush()
            return _to_item(row)

        return self._write(work)

    def get(self, item_id: int) -> MemoryItem | None:
        """The item with this id in any status, or None."""
        with Session(self.engine) as s:
            row = s.get(MemoryRow, item_id)
            return None if row is None else _to_item(row)

    def update(self, item_id: int, reason: str, **changes: Any) -> MemoryItem:
        """Change an item; with a `reason`, its previous text, kind and status go to history first."""

        def work(s: Session) -> MemoryItem:
            row = s.get(MemoryRow, item_id)
            if row is None:
                raise MemoryNotFound(f"没有这条记忆 / memory {item_id} not found", id=item_id)
            if reason:  # bookkeeping updates (embedding, merge) pass no reason and leave no history
                s.add(MemoryHistoryRow(item_id=item_id, content=row.content, kind=row.kind, status=row.status,
                                       reason=reason[:200]))
            for key, value in changes.items():
                setattr(row, key, value)
            if reason:
                row.updated_at = utcnow()
            s.add(row)
            s.flush()
            return _to_item(row)

        return self._write(work)

    def items(self, statuses: Iterable[MemoryStatus] = (MemoryStatus.active,)) -> list[MemoryItem]:
        """Items in the given statuses, oldest first."""
        wanted = [str(s) for s in statuses]
        with Session(self.engine) as s:
            rows = s.exec(select(MemoryRow).where(col(MemoryRow.status).in_(wanted)).order_by(col(MemoryRow.id)))
            return [_to_item(r) for r in rows]

    def history(self, item_id: int) -> list[MemoryChange]:
        """Earlier versions of an item, oldest first."""
        with Session(self.engine) as s:
            rows = s.exec(select(MemoryHistoryRow).where(col(MemoryHistoryRow.item_id) == item_id)
                          .order_by(col(MemoryHistoryRow.id)))
            return [MemoryChange(r.item_id, r.content, MemoryKind(r.kind), MemoryStatus(r.status), r.reason,
                                 r.changed_at) for r in rows]

    def touch(self, item_ids: list[int], when: datetime) -> None:
        """Record that these items were used in a turn (no history entry)."""
        if not item_ids:
            return
        self._write(lambda s: s.exec(  # type: ignore[call-overload]
            update(MemoryRow).where(col(MemoryRow.id).in_(item_ids)).values(last_used_at=when)))

    def set_embeddings(self, vectors: dict[int, bytes]) -> None:
        """Store many items' vectors in one transaction (no history, no updated_at change)."""
        if not vectors:
            return
        rows = [{"item_id": item_id, "blob": blob} for item_id, blob in vectors.items()]
        self._write(lambda s: s.connection().execute(
            text("UPDATE memory_items SET embedding = :blob WHERE id = :item_id"), rows))

    def find_text(self, query: str, limit: int = 10) -> list[int]:
        """Ids of active items containing every term of `query` as a substring (any language)."""
        terms = split_terms(query)
        if not terms:
            return []
        with self.engine.connect() as conn:
            return [row[0] for row in conn.execute(*self._find_sql(conn.dialect.name, terms, limit))]

    def _find_sql(self, dialect: str, terms: list[str], limit: int) -> tuple[Any, dict[str, Any]]:
        params: dict[str, Any] = {"limit": limit}
        op = "LIKE" if dialect == "sqlite" else "ILIKE"
        short = terms if dialect != "sqlite" else [t for t in terms if len(t) < 3]
        where = ["m.status = 'active'"] + [f"m.content {op} :like{i} ESCAPE '\\'" for i in range(len(short))]
        params.update({f"like{i}": _like(t) for i, t in enumerate(short)})
        long_terms = [t for t in terms if len(t) >= 3] if dialect == "sqlite" else []
        if not long_terms:
            return text(f"SELECT m.id FROM memory_items m WHERE {' AND '.join(where)} LIMIT :limit"), params
        params["match"] = " ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        sql = ("SELECT m.id FROM memory_items m JOIN memory_fts f ON f.rowid = m.id "
               f"WHERE memory_fts MATCH :match AND {' AND '.join(where)} ORDER BY f.rank LIMIT :limit")
        return text(sql), params

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A memory setting (stored with the app's other settings)."""
        return self.store.get_setting(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        """Save a memory setting."""
        self.store.set_setting(key, value)
