"""kill -9 in the middle of 20 running tasks: what was said survives, cut answers say so, work goes on."""

from __future__ import annotations

import asyncio
import signal
import sqlite3

import pytest

from tests.reliability.support import (
    RoutedLLM,
    async_client,
    messages,
    new_conversations,
    serve,
    stream_message,
)
from tests.support.scripted_llm import Reply

pytestmark = pytest.mark.slow
TASKS = 20
LONG = "这是一个很长的回答，会在中途被强行中断。" * 40


def responder(tag: str, body: dict) -> Reply:
    """First turn: a short answer; second: a long slow one (cut by the kill); third: a short one again."""
    turn = sum(1 for m in body["messages"] if m["role"] == "user")
    if turn == 2:
        return Reply(text=LONG, chunk_size=4, chunk_delay=0.1)
    return Reply(text=f"完整回答 {tag} 第{turn}轮", chunk_size=4, chunk_delay=0.005)


@pytest.fixture
def routed():
    with RoutedLLM(responder) as llm:
        yield llm


def _enough_text(result) -> bool:
    return len(result.text) >= 24  # several chunks in: past at least one periodic save


async def _first_turns_then_long_ones(server) -> tuple[list[str], list]:
    async with async_client(server, connections=TASKS) as client:
        ids = await new_conversations(client, TASKS)
        first = await asyncio.gather(*(stream_message(client, cid, f"[c{i}] 第一个问题") for i, cid in enumerate(ids)))
    async with async_client(server, connections=TASKS) as client:
        second = await asyncio.gather(*(stream_message(client, cid, f"[c{i}] 讲个长故事", stop=_enough_text)
                                        for i, cid in enumerate(ids)))
        await asyncio.sleep(1.0)  # the runs keep streaming (and saving) without a reader
    assert [r.last for r in first] == ["done"] * TASKS
    return ids, second


async def _third_turns(server, ids: list[str]) -> list:
    async with async_client(server, connections=TASKS) as client:
        return await asyncio.gather(*(stream_message(client, cid, f"[c{i}] 继续") for i, cid in enumerate(ids)))


def test_kill_9_during_twenty_running_tasks_loses_nothing_saved(tmp_path, routed):
    server = serve(tmp_path, routed)
    try:
        ids, second = asyncio.run(_first_turns_then_long_ones(server))
    finally:
        server.stop(signal.SIGKILL)
    assert all(_enough_text(r) for r in second)
    with sqlite3.connect(tmp_path / "data" / "xiaodazi.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = serve(tmp_path, routed)
    try:
        for i, cid in enumerate(ids):
            _check_after_crash(again, cid, i)
        third = asyncio.run(_third_turns(again, ids))
        assert [r.last for r in third] == ["done"] * TASKS
        for i, cid in enumerate(ids):
            assert messages(again, cid)[-1]["content"] == f"完整回答 c{i} 第3轮"
    finally:
        again.stop()
    with sqlite3.connect(tmp_path / "data" / "xiaodazi.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _check_after_crash(server, cid: str, i: int) -> None:
    items = [(m["role"], m["content"], m["status"]) for m in messages(server, cid)]
    assert items[:3] == [("user", f"[c{i}] 第一个问题", "complete"),
                         ("assistant", f"完整回答 c{i} 第1轮", "complete"),
                         ("user", f"[c{i}] 讲个长故事", "complete")]
    role, partial, status = items[3]
    assert (role, status) == ("assistant", "interrupted") and len(items) == 4
    assert partial and LONG.startswith(partial) and len(partial) < len(LONG)
