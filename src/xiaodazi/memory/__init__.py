"""Memory across conversations that the user can see, trust and edit.

The composition root builds one `MemoryService` over a `MemoryRepository` (implemented in
`xiaodazi.storage.memory_store`), adds `MemoryHook(service, completer)` to the turn hooks and
exposes the service to tools as `ctx.service("memory")`; the tools live in `xiaodazi.memory.tools`.
"""

from __future__ import annotations

from xiaodazi.memory.hook import MemoryHook
from xiaodazi.memory.model import MemoryItem, MemoryKind, MemoryRepository, MemorySource, MemoryStatus
from xiaodazi.memory.service import MemoryService, MemorySettings

__all__ = [
    "MemoryHook", "MemoryItem", "MemoryKind", "MemoryRepository", "MemoryService", "MemorySettings",
    "MemorySource", "MemoryStatus",
]
