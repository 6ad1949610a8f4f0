import asyncio
import sqlite3

import pytest
from sqlalchemy import inspect, text

from tests.support.dbmode import sqlite_only
from xiaodazi.core.errors import StorageError
from xiaodazi.storage import migrations
from xiaodazi.storage.engine import make_engine
from xiaodazi.storage.repo import Store


@pytest.fixture
def db_url(tmp_path, database_url):
    return database_url or f"sqlite:///{tmp_path / 'data' / 'x.db'}"


@sqlite_only
def test_database_uses_wal_and_busy_timeout(db_url, tmp_path):
    store = Store.open(db_url, tmp_path / "backups")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


@sqlite_only
def test_migrating_an_older_database_writes_a_backup_first(db_url, tmp_path):
    engine = make_engine(db_url)
    assert migrations.migrate(engine, tmp_path / "backups", upto=1) is None  # fresh: nothing to back up
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO conversations (id, title, pinned, created_at, updated_at) "
                          "VALUES ('abc', 'old chat', 0, '2026-01-01', '2026-01-01')"))
    backup = migrations.migrate(engine, tmp_path / "backups")
    assert backup is not None and backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT title FROM conversations").fetchone() == ("old chat",)
        assert conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone() == (1,)
    with engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.LATEST


def test_failed_migration_leaves_old_database_usable(db_url, tmp_path, monkeypatch):
    engine = make_engine(db_url)
    migrations.migrate(engine, tmp_path / "backups", upto=1)

    def broken(conn):
        conn.exec_driver_sql("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("disk hiccup")

    monkeypatch.setattr(migrations, "MIGRATIONS", [migrations.MIGRATIONS[0], ("broken", broken)])
    with pytest.raises(StorageError, match="disk hiccup"):
        migrations.migrate(engine, tmp_path / "backups", upto=2)
    with engine.connect() as conn:
        assert migrations.current_version(conn) == 1
        assert not inspect(conn).has_table("half_done")


def test_fifty_concurrent_tasks_all_write(db_url, tmp_path):
    store = Store.open(db_url, tmp_path / "backups")
    conv = store.create_conversation()

    async def writer(i: int):
        for j in range(10):
            await asyncio.to_thread(store.add_message, conv.id, "user", f"task {i} write {j}")

    async def main():
        await asyncio.gather(*(writer(i) for i in range(50)))

    asyncio.run(main())
    assert len(store.list_messages(conv.id, limit=1000)) == 500


def test_two_processes_writing_the_same_file_both_succeed(db_url, tmp_path):
    import multiprocessing as mp

    store = Store.open(db_url, tmp_path / "backups")
    conv = store.create_conversation()
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(db_url, str(tmp_path / "backups"), conv.id)) for _ in range(2)]
    for p in procs:
        p.start()
    _write_many(db_url, str(tmp_path / "backups"), conv.id)
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert len(store.list_messages(conv.id, limit=1000)) == 300


def _write_many(url: str, backups: str, conversation_id: str) -> None:
    from pathlib import Path

    store = Store.open(url, Path(backups))
    for i in range(100):
        store.add_message(conversation_id, "user", f"line {i}")


def test_streaming_messages_become_interrupted_on_reopen(db_url, tmp_path):
    store = Store.open(db_url, tmp_path / "backups")
    conv = store.create_conversation()
    msg = store.add_message(conv.id, "assistant", "half an ans", status="streaming")
    store.close()
    reopened = Store.open(db_url, tmp_path / "backups")
    assert reopened.get_message(msg.id).status == "interrupted"
    assert reopened.get_message(msg.id).content == "half an ans"


def test_settings_round_trip_json(db_url, tmp_path):
    store = Store.open(db_url, tmp_path / "backups")
    store.set_setting("default_model", {"name": "qwen-plus", "温度": 0.3})
    assert store.get_setting("default_model") == {"name": "qwen-plus", "温度": 0.3}
    assert store.get_setting("missing", "fallback") == "fallback"
