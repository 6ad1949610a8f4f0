"""MemoryService: the one object the API, the tools and the turn hook use for memory.

The repository is the source of truth; MEMORY.md mirrors its active items and is read back
(by mtime) before every read or write, so hand edits apply without a restart. An in-memory
recall index of active items is built on first use and updated item by item.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xiaodazi.memory import markdown
from xiaodazi.memory.embed import Encoder, encoder_ready, load_encoder, load_in_background
from xiaodazi.memory.filesync import MemoryFile
from xiaodazi.memory.model import (
    InvalidMemory,
    MemoryItem,
    MemoryKind,
    MemoryNotFound,
    MemoryRepository,
    MemorySource,
    MemoryStatus,
    clean_content,
    parse_kind,
)
from xiaodazi.memory.recall import RecallIndex, Scored
from xiaodazi.memory.sync import MarkdownSync

log = logging.getLogger(__name__)
DUPLICATE_SIMILARITY = 0.9  # cosine above which two memories say the same thing
FORGET_MIN_SEMANTIC = 0.45  # forget() deletes a ranked (not substring) match only above this
LIVE = (MemoryStatus.active, MemoryStatus.pending)
MAX_FORGET = 3  # forget(query) deletes at most this many substring matches at once


class AmbiguousForget(InvalidMemory):
    """forget(query) matched too many memories to delete them all on a guess."""

    code = "ambiguous_forget"


@dataclass
class MemorySettings:
    """User switches: automatic extraction, and whether new items wait for approval."""

    auto: bool = True
    approval: bool = False


def estimate_tokens(text: str) -> int:
    """Rough token count: one per Chinese character, one per four other characters."""
    cjk = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    return cjk + (len(text) - cjk + 3) // 4


def _normal(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


class MemoryService(MarkdownSync):
    """Memory items, MEMORY.md sync, recall and settings behind one lock."""

    def __init__(self, repo: MemoryRepository, path: Path, backup_dir: Path, *, embeddings: bool = True) -> None:
        self.repo = repo
        self.file = MemoryFile(path, backup_dir)
        self.use_embeddings = embeddings
        self._problems: list[str] = []
        self._lock = threading.RLock()
        self._index: RecallIndex | None = None
        self._active: dict[int, MemoryItem] = {}

    def warm_up(self) -> None:
        """Write MEMORY.md and build the recall index in the background (the encoder takes ~1 s)."""

        def work() -> None:
            try:
                if self.use_embeddings and self.repo.items():
                    load_encoder()  # outside the service lock: turns keep working while it loads
                with self._lock:
                    self.sync()
                    self._ensure_index()
            except Exception as exc:  # e.g. the database closed at shutdown; the next use retries
                log.warning("memory: warm-up failed: %s", exc)

        threading.Thread(target=work, name="memory-warm-up", daemon=True).start()

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def problems(self) -> list[str]:
        """Problems found in the last read of MEMORY.md (empty when it is fine)."""
        self.sync()
        return list(self._problems)

    # reading ---------------------------------------------------------------------------------

    def items(self, statuses: tuple[MemoryStatus, ...] = LIVE) -> list[MemoryItem]:
        """Items in these statuses, oldest first (after reading back MEMORY.md)."""
        with self._lock:
            self.sync()
            return self.repo.items(statuses)

    def get(self, item_id: int) -> MemoryItem:
        """One item in any status but deleted; MemoryNotFound otherwise."""
        with self._lock:
            self.sync()
            item = self.repo.get(item_id)
        if item is None or item.status == MemoryStatus.deleted:
            raise MemoryNotFound(f"没有这条记忆 / memory {item_id} not found", id=item_id)
        return item

    def search(self, query: str, k: int = 5, threshold: bool = False) -> list[tuple[MemoryItem, Scored]]:
        """The `k` active items best matching `query`, best first, with their scores."""
        with self._lock:
            self.sync()
            index = self._ensure_index()
            return [(self._active[s.item_id], s) for s in index.rank(query, k, threshold)]

    def recall(self, query: str, k: int = 3, budget_tokens: int = 300, wait: bool = True) -> list[MemoryItem]:
        """Pinned items, then the few relevant ones, within a token budget (never the whole store).

        With `wait=False` (before a turn) a still-loading encoder is not waited for: that turn
        ranks by words and characters only.
        """
        with self._lock:
            self.sync()
            index = self._ensure_index(wait)
            pinned = [item for item in self._active.values() if item.pinned]
            relevant = [self._active[s.item_id] for s in index.rank(query, k)]
        chosen, used = [], 0
        for item in [*pinned, *(r for r in relevant if not r.pinned)]:
            cost = estimate_tokens(item.content) + 2
            if used + cost > budget_tokens:
                continue
            chosen.append(item)
            used += cost
        return chosen

    def export(self) -> str:
        """MEMORY.md as it should be for the current store."""
        with self._lock:
            self.sync()
            return markdown.render(self.repo.items())

    # writing ---------------------------------------------------------------------------------

    def add(
        self,
        content: str,
        kind: str | MemoryKind | None = None,
        *,
        source: MemorySource = MemorySource.api,
        conversation_id: str | None = None,
        message_id: int | None = None,
        confidence: float = 1.0,
        pinned: bool = False,
        pending: bool = False,
        supersedes: int | None = None,
    ) -> MemoryItem:
        """Store a memory; a duplicate of an active one is merged into it instead."""
        text, kind_ = clean_content(content), parse_kind(kind)
        with self._lock:
            self.sync()
            duplicate = self._duplicate_of(text)
            if duplicate is not None and supersedes is None:
                return self._merge(duplicate, confidence, pinned)
            item = self.repo.add(MemoryItem(
                content=text, kind=kind_, source=source, source_conversation_id=conversation_id,
                source_message_id=message_id, confidence=confidence, pinned=pinned, supersedes=supersedes,
                status=MemoryStatus.pending if pending else MemoryStatus.active,
            ))
            self._after_change(item)
            return item

    def replace(self, old_id: int, content: str, kind: str | MemoryKind | None = None, **fields: Any) -> MemoryItem:
        """A newer item contradicting `old_id`: the old one is superseded (kept in history)."""
        with self._lock:
            old = self.get(old_id)
            item = self.add(content, kind or old.kind, supersedes=old_id, **fields)
            if item.status == MemoryStatus.active:
                self._set_status(old_id, MemoryStatus.superseded, f"replaced by #{item.id}")
            return item

    def update(
        self, item_id: int, *, content: str | None = None, kind: str | None = None,
        pinned: bool | None = None, approve: bool = False,
    ) -> MemoryItem:
        """Edit text, kind or pin; `approve` turns a pending item active."""
        with self._lock:
            item = self.get(item_id)
            changes: dict[str, Any] = {}
            if content is not None and clean_content(content) != item.content:
                changes["content"] = clean_content(content)
            if kind is not None and parse_kind(kind) != item.kind:
                changes["kind"] = parse_kind(kind)
            if pinned is not None and pinned != item.pinned:
                changes["pinned"] = pinned
            if approve and item.status == MemoryStatus.pending:
                changes["status"] = MemoryStatus.active
            if not changes:
                return item
            updated = self.repo.update(item_id, "approved" if approve else "edited", **changes)
            self._after_change(updated)
            if approve and updated.supersedes and updated.supersedes in self._active:
                self._set_status(updated.supersedes, MemoryStatus.superseded, f"replaced by #{item_id}")
            return updated

    def delete(self, item_id: int, reason: str = "deleted by the user") -> MemoryItem:
        """Mark an item deleted (its row and history stay, so it can be restored)."""
        with self._lock:
            self.get(item_id)
            return self._set_status(item_id, MemoryStatus.deleted, reason)

    def forget(self, query: str) -> list[MemoryItem]:
        """Delete the active items containing `query`, else the single best match if it is close."""
        with self._lock:
            self.sync()
            ids = [i for i in self.repo.find_text(query, limit=20) if i in self._active_map()]
            if len(ids) > MAX_FORGET:  # "我" or "coffee" matching half the store is not a clear request
                shown = "; ".join(f"#{i} {self._active[i].content}" for i in ids[:10])
                raise AmbiguousForget(f"“{query}” 匹配了 {len(ids)} 条记忆 / matches {len(ids)} memories: {shown}",
                                      ids=ids)
            if not ids:
                ranked = self._ensure_index().rank(query, k=1)
                ids = [s.item_id for s in ranked if self._close_enough(s)]
            return [self._set_status(i, MemoryStatus.deleted, f"forgotten on request: {query}") for i in ids]

    def touch(self, item_ids: list[int]) -> None:
        """Record that items were used in a turn (called after the turn)."""
        from xiaodazi.memory.model import utcnow

        self.repo.touch(item_ids, utcnow())

    # settings --------------------------------------------------------------------------------

    def settings(self) -> MemorySettings:
        """The current memory switches."""
        return MemorySettings(
            auto=bool(self.repo.get_setting("memory.auto", True)),
            approval=bool(self.repo.get_setting("memory.approval", False)),
        )

    def update_settings(self, auto: bool | None = None, approval: bool | None = None) -> MemorySettings:
        """Change the switches that are given."""
        if auto is not None:
            self.repo.set_setting("memory.auto", auto)
        if approval is not None:
            self.repo.set_setting("memory.approval", approval)
        return self.settings()

    # internals -------------------------------------------------------------------------------

    def _set_status(self, item_id: int, status: MemoryStatus, reason: str) -> MemoryItem:
        item = self.repo.update(item_id, reason, status=status)
        self._after_change(item)
        return item

    def _merge(self, existing: MemoryItem, confidence: float, pinned: bool) -> MemoryItem:
        changes: dict[str, Any] = {"confidence": max(existing.confidence, confidence)}
        if pinned and not existing.pinned:
            changes["pinned"] = True
        item = self.repo.update(existing.id, "", **changes)  # no history: nothing the user wrote changed
        self._after_change(item)
        return item

    def _duplicate_of(self, text: str) -> MemoryItem | None:
        key = _normal(text)
        for item in self._active_map().values():
            if _normal(item.content) == key:
                return item
        index = self._ensure_index()
        if index.encoder is None:
            return None
        best = index.rank(text, k=1, threshold=False)
        if best and best[0].semantic >= DUPLICATE_SIMILARITY:
            return self._active[best[0].item_id]
        return None

    def _close_enough(self, s: Scored) -> bool:
        return s.semantic >= FORGET_MIN_SEMANTIC if self._index and self._index.encoder else s.lexical >= 2.0

    def _active_map(self) -> dict[int, MemoryItem]:
        self._ensure_index()
        return self._active

    def _after_change(self, item: MemoryItem) -> None:
        """Keep the index and MEMORY.md in step with one changed item."""
        if self._index is None and item.status == MemoryStatus.active:
            self._ensure_index()  # the first memory: build now (off any turn), not in the next turn
        elif self._index is not None:
            if item.status == MemoryStatus.active:
                self._index_item(item)
            else:
                self._index.remove(item.id)
                self._active.pop(item.id, None)
        if not self._batch:  # a MEMORY.md read-back writes the file once at the end
            self._problems = []
            self._write_file()

    def _index_item(self, item: MemoryItem) -> None:
        assert self._index is not None and item.id is not None
        self._active[item.id] = item
        encoder = self._index.encoder
        self._index.add(item.id, item.content)
        if encoder is not None:
            self.repo.set_embeddings({item.id: encoder.to_bytes(self._index.vector(item.id))})

    def _encoder(self, wait: bool) -> Encoder | None:
        if not self.use_embeddings:
            return None
        if wait or encoder_ready():
            return load_encoder()
        load_in_background()
        return None

    def _ensure_index(self, wait: bool = True) -> RecallIndex:
        index = self._index
        if index is not None and (index.encoder is not None or not self.use_embeddings):
            return index
        if index is not None and not (wait or encoder_ready()):
            return index  # lexical-only until the encoder has loaded; then rebuilt once with vectors
        items = self.repo.items()
        if not items:
            self._active = {}
            return RecallIndex(None)  # not cached: the encoder loads only once there is something to rank
        encoder = self._encoder(wait)
        if index is not None and encoder is None:
            return index
        self._index, self._active = RecallIndex(encoder), {i.id: i for i in items}
        self._fill_index(items)
        return self._index

    def _fill_index(self, items: list[MemoryItem]) -> None:
        assert self._index is not None
        encoder = self._index.encoder
        vectors = {i.id: encoder.from_bytes(i.embedding) for i in items} if encoder else {}
        missing = [i for i in items if encoder and vectors[i.id] is None]
        if missing and encoder:
            fresh = dict(zip([i.id for i in missing], encoder.encode([i.content for i in missing]), strict=True))
            vectors.update(fresh)
            self.repo.set_embeddings({item_id: encoder.to_bytes(v) for item_id, v in fresh.items()})
        for item in items:
            self._index.add(item.id, item.content, vectors.get(item.id))

    def _write_file(self) -> None:
        try:
            self.file.write(markdown.render(self.repo.items()))
        except OSError as exc:  # a read-only or full disk must not break chatting
            self._report(f"MEMORY.md 写入失败 / could not write MEMORY.md: {exc}")

    def _report(self, problem: str) -> None:
        log.warning("memory: %s", problem)
        self._problems.append(problem)

    # MEMORY.md read-back --------------------------------------------------------------------

    def sync(self) -> None:
        """Apply hand edits of MEMORY.md made since the last look (one stat() when unchanged)."""
        with self._lock:
            if self.file.missing():
                self._write_file()
                return
            data = self.file.changed()
            if data is not None:
                self._apply_file(data)
