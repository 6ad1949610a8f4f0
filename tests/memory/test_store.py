"""The SQL memory repository on a real SQLite file: migration, history, text search."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect

from xiaodazi.memory import MemoryItem, MemoryKind, MemoryStatus
from xiaodazi.storage import migrations
from xiaodazi.storage.engine import make_engine
from xiaodazi.storage.memory_models import install_memory_schema
from xiaodazi.storage.memory_store import SqlMemoryRepository
from xiaodazi.storage.repo import Store


def test_an_older_database_gains_the_memory_tables_and_the_step_is_idempotent(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrations.migrate(engine, tmp_path / "backups", upto=2)
    assert not inspect(engine).has_table("memory_items")
    migrations.migrate(engine, tmp_path / "backups")
    assert {"memory_items", "memory_history", "memory_fts"} <= set(inspect(engine).get_table_names())
    with engine.begin() as conn:
        install_memory_schema(conn)  # a fresh database already has it: running again is harmless


def test_updates_keep_history_and_text_search_finds_chinese_substrings(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "backups")
    repo = SqlMemoryRepository(store)
    coffee = repo.add(MemoryItem(content="我喜欢喝美式咖啡，不加糖"))
    repo.add(MemoryItem(content="Project Falcon ships in March", kind=MemoryKind.project))
    repo.update(coffee.id, "edited", content="我喜欢喝拿铁咖啡")
    repo.update(coffee.id, "", confidence=0.5)  # bookkeeping: no history entry
    assert [(c.content, c.reason) for c in repo.history(coffee.id)] == [("我喜欢喝美式咖啡，不加糖", "edited")]
    assert repo.find_text("拿铁咖啡") == [coffee.id]  # trigram FTS
    assert repo.find_text("咖啡") == [coffee.id]  # two characters: LIKE fallback
    assert repo.find_text("falcon march") == [coffee.id + 1]
    repo.update(coffee.id, "deleted", status=MemoryStatus.deleted)
    assert repo.find_text("咖啡") == [] and [i.content for i in repo.items()] == ["Project Falcon ships in March"]
    when = datetime(2026, 12, 1, tzinfo=UTC)
    repo.touch([coffee.id + 1], when)
    assert repo.get(coffee.id + 1).last_used_at.replace(tzinfo=UTC) == when
    repo.set_setting("memory.auto", False)
    assert repo.get_setting("memory.auto") is False and store.get_setting("memory.auto") is False
    store.close()
