"""Upgrade safety at real start-up: an older database is backed up before migrating, and a migration
that fails leaves the old file as it was, still usable, with the reason printed."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from tests.support.proc import start_serve
from xiaodazi.storage import migrations
from xiaodazi.storage.engine import make_engine

pytestmark = pytest.mark.slow


def _old_database(data_dir) -> None:
    """A database as the first release made it (schema v1), with one conversation in it."""
    engine = make_engine(f"sqlite:///{data_dir / 'xiaodazi.db'}")
    migrations.migrate(engine, data_dir / "backups", upto=1)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO conversations (id, title, pinned, created_at, updated_at) "
                          "VALUES ('old1', '旧的对话', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
        conn.execute(text("INSERT INTO messages (conversation_id, role, content, status, created_at, updated_at) "
                          "VALUES ('old1', 'user', '帮我整理一下桌面', 'complete', '2026-01-01 00:00:00', "
                          "'2026-01-01 00:00:00')"))
    engine.dispose()


def test_older_database_is_backed_up_then_migrated_by_the_app(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _old_database(data)
    server = start_serve(data, tmp_path / "ws")
    try:
        with server.client() as c:
            messages = c.get("/api/conversations/old1/messages").json()["items"]
            found = c.get("/api/search", params={"q": "整理"}).json()
    finally:
        server.stop()
    assert [m["content"] for m in messages] == ["帮我整理一下桌面"]
    assert found["items"] and found["items"][0]["conversation_id"] == "old1"  # the old row is indexed too
    backups = list((data / "backups").glob("xiaodazi-v1-*.db"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as db:
        assert db.execute("SELECT MAX(version) FROM schema_migrations").fetchone() == (1,)
        assert db.execute("SELECT content FROM messages").fetchone() == ("帮我整理一下桌面",)


def test_failed_migration_at_start_keeps_the_old_file_usable(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    _old_database(data)
    with sqlite3.connect(data / "xiaodazi.db") as db:  # an object in the way makes migration 2 fail
        db.execute("CREATE TABLE message_fts (content TEXT)")
    with pytest.raises(RuntimeError) as failed:
        start_serve(data, tmp_path / "ws")
    assert "migration 2 (fulltext) failed" in str(failed.value)
    with sqlite3.connect(data / "xiaodazi.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT MAX(version) FROM schema_migrations").fetchone() == (1,)
        assert db.execute("SELECT content FROM messages").fetchall() == [("帮我整理一下桌面",)]
        assert db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall() == []
        db.execute("DROP TABLE message_fts")  # the user (or support) removes the obstacle
    server = start_serve(data, tmp_path / "ws")
    try:
        with server.client() as c:
            assert c.get("/api/conversations/old1").json()["title"] == "旧的对话"
    finally:
        server.stop()
