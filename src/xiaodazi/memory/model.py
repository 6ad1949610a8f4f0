"""Memory items and the repository protocol the storage layer implements.

The memory package never imports storage: the composition root hands it something that
satisfies `MemoryRepository` (SQLite/PostgreSQL in production, the same class in tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from xiaodazi.core.errors import InvalidInput, NotFound


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class MemoryKind(StrEnum):
    """What a memory is about; decides its section in MEMORY.md."""

    preference = "preference"
    profile = "profile"
    project = "project"
    instruction = "instruction"


class MemoryStatus(StrEnum):
    """Life of an item: only `active` ones are recalled and written to MEMORY.md."""

    active = "active"
    pending = "pending"  # proposed by extraction, waiting for the user's approval
    superseded = "superseded"  # replaced by a newer, contradicting item
    deleted = "deleted"


class MemorySource(StrEnum):
    """Who created an item: shown as its provenance."""

    chat = "chat"  # automatic extraction after a turn
    tool = "tool"  # the model called remember()
    api = "api"  # the user added it in the UI
    file = "file"  # the user typed it into MEMORY.md


@dataclass
class MemoryItem:
    """One remembered fact, preference or instruction."""

    content: str
    kind: MemoryKind = MemoryKind.preference
    id: int | None = None
    status: MemoryStatus = MemoryStatus.active
    pinned: bool = False
    confidence: float = 1.0
    source: MemorySource = MemorySource.api
    source_conversation_id: str | None = None
    source_message_id: int | None = None
    supersedes: int | None = None  # id of the older item this one replaced
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    last_used_at: datetime | None = None
    embedding: bytes | None = field(default=None, repr=False)  # float32 vector from the optional encoder


@dataclass
class MemoryChange:
    """A past version of an item, kept when it was edited, replaced or deleted."""

    item_id: int
    content: str
    kind: MemoryKind
    status: MemoryStatus
    reason: str
    changed_at: datetime


class MemoryNotFound(NotFound):
    """No memory item with that id."""

    code = "memory_not_found"


class InvalidMemory(InvalidInput):
    """The memory text or kind is not acceptable."""

    code = "invalid_memory"


class MemoryRepository(Protocol):
    """Durable storage of memory items, their history and memory settings."""

    def add(self, item: MemoryItem) -> MemoryItem: ...

    def get(self, item_id: int) -> MemoryItem | None: ...

    def update(self, item_id: int, reason: str, **changes: Any) -> MemoryItem: ...

    def items(self, statuses: Iterable[MemoryStatus] = (MemoryStatus.active,)) -> list[MemoryItem]: ...

    def history(self, item_id: int) -> list[MemoryChange]: ...

    def touch(self, item_ids: list[int], when: datetime) -> None: ...

    def set_embeddings(self, vectors: dict[int, bytes]) -> None: ...

    def find_text(self, query: str, limit: int = 10) -> list[int]: ...

    def get_setting(self, key: str, default: Any = None) -> Any: ...

    def set_setting(self, key: str, value: Any) -> None: ...


MAX_CONTENT_CHARS = 500


def clean_content(text: str) -> str:
    """One line of text, trimmed; InvalidMemory when empty or too long."""
    one_line = " ".join(text.split())
    if not one_line:
        raise InvalidMemory("记忆内容不能为空 / memory text is empty")
    if len(one_line) > MAX_CONTENT_CHARS:
        raise InvalidMemory(
            f"记忆太长（最多 {MAX_CONTENT_CHARS} 字）/ memory is longer than {MAX_CONTENT_CHARS} characters"
        )
    return one_line


def parse_kind(value: str | None, default: MemoryKind = MemoryKind.preference) -> MemoryKind:
    """A MemoryKind from user or model input; InvalidMemory for unknown names."""
    if not value:
        return default
    try:
        return MemoryKind(value.strip().lower())
    except ValueError as exc:
        names = ", ".join(k.value for k in MemoryKind)
        raise InvalidMemory(f"未知的记忆类型 / unknown memory kind {value!r} (use {names})") from exc
