"""SQLModel tables for memory: items (every status) and the history of replaced versions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Connection, Index, LargeBinary
from sqlmodel import Field, SQLModel

from xiaodazi.storage.models import utcnow


class MemoryRow(SQLModel, table=True):
    """One memory item; deleted and superseded items stay as rows so history can show them."""

    __tablename__ = "memory_items"
    __table_args__ = (Index("ix_memory_items_status", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    content: str
    kind: str = Field(default="preference", max_length=16)
    status: str = Field(default="active", max_length=16)
    pinned: bool = False
    confidence: float = 1.0
    source: str = Field(default="api", max_length=16)
    source_conversation_id: str | None = Field(default=None, max_length=32)
    source_message_id: int | None = None
    supersedes: int | None = None
    embedding: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None


class MemoryHistoryRow(SQLModel, table=True):
    """A previous version of an item, written before it was edited, replaced or deleted."""

    __tablename__ = "memory_history"
    __table_args__ = (Index("ix_memory_history_item", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="memory_items.id")
    content: str
    kind: str = Field(max_length=16)
    status: str = Field(max_length=16)
    reason: str = Field(default="", max_length=200)
    changed_at: datetime = Field(default_factory=utcnow)


MEMORY_TABLES = [MemoryRow.__table__, MemoryHistoryRow.__table__]


def install_memory_schema(conn: Connection) -> None:
    """Create the memory tables and their text index (idempotent: used by a migration)."""
    SQLModel.metadata.create_all(conn, tables=MEMORY_TABLES)
    if conn.dialect.name == "sqlite":
        for sql in _SQLITE_FTS:
            conn.exec_driver_sql(sql)
    elif conn.dialect.name.startswith("postgres"):
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.exec_driver_sql(
            "CREATE INDEX IF NOT EXISTS ix_memory_content_trgm ON memory_items USING gin (content gin_trgm_ops)"
        )


_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS memory_fts USING fts5("
    "content, content='memory_items', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS memory_fts_ai AFTER INSERT ON memory_items BEGIN "
    "INSERT INTO memory_fts(rowid, content) VALUES (new.id, new.content); END",
    "CREATE TRIGGER IF NOT EXISTS memory_fts_ad AFTER DELETE ON memory_items BEGIN "
    "INSERT INTO memory_fts(memory_fts, rowid, content) VALUES ('delete', old.id, old.content); END",
    "CREATE TRIGGER IF NOT EXISTS memory_fts_au AFTER UPDATE OF content ON memory_items BEGIN "
    "INSERT INTO memory_fts(memory_fts, rowid, content) VALUES ('delete', old.id, old.content); "
    "INSERT INTO memory_fts(rowid, content) VALUES (new.id, new.content); END",
    "INSERT INTO memory_fts(memory_fts) VALUES ('rebuild')",
]
