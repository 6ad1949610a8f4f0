"""Repository functions over one engine; the only place that writes to the database.

Writes in this process go through one lock, so SQLite never answers "database is locked" to
our own concurrent tasks; other processes are waited for by SQLite's busy timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, delete, select

from xiaodazi.core.errors import NotFound, StorageError
from xiaodazi.storage import search
from xiaodazi.storage.engine import make_engine, writer_engine
from xiaodazi.storage.migrations import migrate
from xiaodazi.storage.models import Conversation, Message, MessageStatus, SettingRow, utcnow

T = TypeVar("T")


class Store:
    """Conversations, messages, settings and search over one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = writer_engine(engine)
        self._write_lock = threading.RLock()
        self._search = search.for_dialect(engine.dialect.name)

    @classmethod
    def open(cls, url: str, backup_dir: Path) -> Store:
        """Open (and migrate) the database at `url`; leftover streaming messages become interrupted."""
        engine = make_engine(url)
        migrate(engine, backup_dir)
        store = cls(engine)
        store.mark_interrupted()
        return store

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def _write(self, work: Callable[[Session], T]) -> T:
        with self._write_lock:
            try:
                with Session(self._writer, expire_on_commit=False) as session:
                    result = work(session)
                    session.commit()
                    return result
            except OperationalError as exc:
                raise StorageError(f"could not save: {exc.orig}") from exc

    # conversations ---------------------------------------------------------------------------

    def create_conversation(self, title: str = "", model: str | None = None) -> Conversation:
        def work(s: Session) -> Conversation:
            conv = Conversation(title=title, model=model)
            s.add(conv)
            return conv

        return self._write(work)

    def get_conversation(self, conversation_id: str) -> Conversation:
        with self._reading() as s:
            return _conversation(s, conversation_id)

    def list_conversations(self, limit: int = 50, offset: int = 0) -> tuple[list[Conversation], int]:
        """Pinned first, then newest activity first."""
        with self._reading() as s:
            total = s.exec(select(func.count()).select_from(Conversation)).one()
            query = (
                select(Conversation)
                .order_by(col(Conversation.pinned).desc(), col(Conversation.updated_at).desc())
                .offset(offset)
                .limit(limit)
            )
            return list(s.exec(query)), total

    def update_conversation(self, conversation_id: str, **changes: Any) -> Conversation:
        def work(s: Session) -> Conversation:
            conv = _conversation(s, conversation_id)
            for key, value in changes.items():
                setattr(conv, key, value)
            conv.updated_at = utcnow()
            s.add(conv)
            return conv

        return self._write(work)

    def delete_conversation(self, conversation_id: str) -> None:
        def work(s: Session) -> None:
            conv = _conversation(s, conversation_id)
            s.exec(delete(Message).where(col(Message.conversation_id) == conversation_id))
            s.delete(conv)

        self._write(work)

    # messages --------------------------------------------------------------------------------

    def add_message(self, conversation_id: str, role: str, content: str = "", **fields: Any) -> Message:
        """Append a message and touch the conversation so it sorts as the newest."""

        def work(s: Session) -> Message:
            conv = _conversation(s, conversation_id)
            msg = Message(conversation_id=conversation_id, role=role, content=content, **fields)
            conv.updated_at = msg.created_at
            s.add(msg)
            s.add(conv)
            s.flush()
            return msg

        return self._write(work)

    def update_message(self, message_id: int, **changes: Any) -> Message:
        def work(s: Session) -> Message:
            msg = s.get(Message, message_id)
            if msg is None:
                raise NotFound(f"message {message_id} not found", id=message_id)
            for key, value in changes.items():
                setattr(msg, key, value)
            msg.updated_at = utcnow()
            s.add(msg)
            return msg

        return self._write(work)

    def get_message(self, message_id: int) -> Message:
        with self._reading() as s:
            msg = s.get(Message, message_id)
        if msg is None:
            raise NotFound(f"message {message_id} not found", id=message_id)
        return msg

    def list_messages(self, conversation_id: str, limit: int = 500, after_id: int = 0) -> list[Message]:
        """Messages in order; `after_id` pages forward."""
        self.get_conversation(conversation_id)
        with self._reading() as s:
            query = (
                select(Message)
                .where(col(Message.conversation_id) == conversation_id, col(Message.id) > after_id)
                .order_by(col(Message.id))
                .limit(limit)
            )
            return list(s.exec(query))

    def recent_messages(self, conversation_id: str, limit: int) -> list[Message]:
        """The last `limit` messages, oldest first."""
        with self._reading() as s:
            query = (
                select(Message)
                .where(col(Message.conversation_id) == conversation_id)
                .order_by(col(Message.id).desc())
                .limit(limit)
            )
            return list(reversed(list(s.exec(query))))

    def mark_interrupted(self) -> int:
        """After a crash, messages still marked streaming were cut off: say so."""

        def work(s: Session) -> int:
            result = s.exec(  # type: ignore[call-overload]
                update(Message)
                .where(col(Message.status) == MessageStatus.streaming)
                .values(status=MessageStatus.interrupted)
            )
            return result.rowcount or 0

        return self._write(work)

    # search ----------------------------------------------------------------------------------

    def search(self, q: str, limit: int = 20) -> list[tuple[search.Hit, str]]:
        """Hits for the whitespace-separated terms of `q`, each with a highlighted snippet."""
        terms = search.split_terms(q)
        if not terms:
            return []
        with self.engine.connect() as conn:
            hits = self._search.query(conn, terms, limit)
        return [(hit, search.highlight(hit.content, terms)) for hit in hits]

    # settings --------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._reading() as s:
            row = s.get(SettingRow, key)
        return default if row is None else row.value

    def all_settings(self) -> dict[str, Any]:
        with self._reading() as s:
            return {row.key: row.value for row in s.exec(select(SettingRow))}

    def set_setting(self, key: str, value: Any) -> None:
        def work(s: Session) -> None:
            row = s.get(SettingRow, key) or SettingRow(key=key)
            row.value = value
            row.updated_at = utcnow()
            s.add(row)

        self._write(work)


def _conversation(session: Session, conversation_id: str) -> Conversation:
    conv = session.get(Conversation, conversation_id)
    if conv is None:
        raise NotFound(f"conversation {conversation_id} not found", id=conversation_id)
    return conv
