"""The same storage behaviour on SQLite and PostgreSQL (run both ways by `make test`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import make_url

from tests.support.dbmode import db_kind
from xiaodazi.memory.model import MemoryItem, MemoryStatus
from xiaodazi.storage.memory_store import SqlMemoryRepository
from xiaodazi.storage.repo import Store


@pytest.fixture
def store(tmp_path, database_url):
    store = Store.open(database_url or f"sqlite:///{tmp_path / 'x.db'}", tmp_path / "backups")
    yield store
    store.close()


def test_memory_text_search_finds_chinese_substrings_of_any_length(store):
    repo = SqlMemoryRepository(store)
    coffee = repo.add(MemoryItem("我每天早上喝一杯黑咖啡，不加糖"))
    repo.add(MemoryItem("孩子对花生过敏"))
    assert repo.find_text("咖啡") == [coffee.id]
    assert repo.find_text("黑咖啡 不加糖") == [coffee.id]
    assert repo.find_text("抹茶") == []


def test_memory_history_and_vectors_survive_a_round_trip(store):
    repo = SqlMemoryRepository(store)
    item = repo.add(MemoryItem("prefers tea"))
    repo.update(item.id, "user corrected it", content="prefers green tea")
    repo.set_embeddings({item.id: b"\x00\x01\xfe\xff" * 4})
    assert repo.get(item.id).content == "prefers green tea"
    assert repo.get(item.id).embedding == b"\x00\x01\xfe\xff" * 4
    assert [h.content for h in repo.history(item.id)] == ["prefers tea"]
    repo.update(item.id, "forgotten", status=MemoryStatus.deleted)
    assert repo.find_text("green") == [] and [i.id for i in repo.items()] == []


def test_message_search_matches_two_character_chinese_terms(store):
    conv = store.create_conversation("整理")
    store.add_message(conv.id, "user", "帮我整理一下桌面上的文件")
    store.add_message(conv.id, "tool", "整理 done")  # tool output is not searchable
    hits = store.search("整理")
    assert [h.content for h, _ in hits] == ["帮我整理一下桌面上的文件"]
    assert "<mark>整理</mark>" in hits[0][1]


@pytest.mark.skipif(db_kind() != "postgres", reason="PostgreSQL time zones")
def test_times_stay_utc_whatever_the_servers_time_zone(database_url, tmp_path):
    import psycopg

    url = make_url(database_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{url.database}" SET timezone TO \'Asia/Shanghai\'')
    store = Store.open(database_url, tmp_path / "backups")
    created = store.create_conversation("时区").id
    read_back = store.get_conversation(created).created_at
    store.close()
    assert read_back.utcoffset() == timedelta(0)
    assert abs(read_back - datetime.now(UTC)) < timedelta(hours=1)
