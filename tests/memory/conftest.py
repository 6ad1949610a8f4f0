"""Memory fixtures: the real service over a real SQLite file and a real MEMORY.md."""

from __future__ import annotations

import pytest

from xiaodazi.memory import MemoryService
from xiaodazi.services import build_memory
from xiaodazi.storage.repo import Store


@pytest.fixture
def memory(client) -> MemoryService:
    """The app's memory service behind the `client` fixture."""
    return client.app.state.services.memory


@pytest.fixture
def service(settings) -> MemoryService:
    """A memory service on its own database file, built the way the app builds it."""
    settings.ensure_dirs()
    store = Store.open(settings.database_url, settings.backup_dir)
    yield build_memory(settings, store)
    store.close()


def write_file(memory: MemoryService, text: str) -> None:
    """Edit MEMORY.md like a user would (a new mtime is guaranteed by nudging it forward)."""
    import os

    before = memory.path.stat().st_mtime_ns if memory.path.exists() else 0
    memory.path.write_text(text, encoding="utf-8")
    if memory.path.stat().st_mtime_ns == before:
        os.utime(memory.path, ns=(before + 1_000_000, before + 1_000_000))
