"""Disk trouble: the data folder on a small tmpfs that fills up. The app says so (API error, error event,
`doctor`), keeps everything already saved, and works again once there is room.

Tests run as root, so chmod cannot make a folder read-only for us: a full filesystem is the real fault
we can produce. Skipped where mounting is not permitted."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.reliability.support import RoutedLLM, async_client, messages, serve_env, stream_message
from tests.support.proc import start_serve
from tests.support.scripted_llm import Reply

pytestmark = pytest.mark.slow
SIZE_MB = 24


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_MB}m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(mount) -> None:
    """Write a filler file until the filesystem refuses more."""
    with open(mount / "filler.bin", "wb") as out:
        try:
            while True:
                out.write(b"\0" * (256 * 1024))
                out.flush()
                os.fsync(out.fileno())
        except OSError:
            pass


def responder(tag: str, body: dict) -> Reply:
    if tag == "slow":  # a long answer, so the disk can fill while it streams
        return Reply(text="正在写一个很长的回答。" * 200, chunk_size=4, chunk_delay=0.02)
    return Reply(text=f"回答 {tag}", chunk_size=4)


def _doctor(mount) -> str:
    env = {**os.environ, "XIAODAZI_DATA_DIR": str(mount), "XIAODAZI_WORKSPACE": str(mount.parent / "ws")}
    return subprocess.run([sys.executable, "-m", "xiaodazi", "doctor"], env=env, capture_output=True,
                          text=True, timeout=120).stdout


async def _slow_turn_then_fill(server, cid: str, mount):
    async with async_client(server, connections=2, timeout=30) as client:
        task = asyncio.create_task(stream_message(client, cid, "[slow] 写长文"))
        await asyncio.sleep(1.5)
        await asyncio.to_thread(fill, mount)
        return await task


def test_full_disk_is_reported_and_loses_nothing_saved(tmp_path, small_disk):
    with RoutedLLM(responder) as llm:
        # the data folder is the small disk; the server's own output file lives beside it, on the big one
        server = start_serve(small_disk, tmp_path / "ws", env=serve_env(llm))
        try:
            with server.client() as c:
                cid = c.post("/api/conversations").json()["id"]
                with c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "[c1] 第一句"}) as r:
                    r.read()
            cut = asyncio.run(_slow_turn_then_fill(server, cid, small_disk))
            assert cut.last == "error" and "storage" in cut.events[-1][1]["code"], cut.events[-2:]
            with server.client() as c:
                refused = c.post(f"/api/conversations/{cid}/messages", json={"content": "[c2] 第二句"})
                assert refused.status_code == 503, refused.text
                assert "full" in refused.json()["error"]["message"]
                assert c.get("/health").status_code == 200
            assert "[!!] data folder" in _doctor(small_disk)
            saved = messages(server, cid)
            assert [m["content"] for m in saved[:2]] == ["[c1] 第一句", "回答 c1"]
            (small_disk / "filler.bin").unlink()
            time.sleep(0.2)
            with server.client() as c, c.stream("POST", f"/api/conversations/{cid}/messages",
                                                 json={"content": "[c3] 有空间了"}) as r:
                assert "event: done" in r.read().decode()
            assert [m["content"] for m in messages(server, cid)[-2:]] == ["[c3] 有空间了", "回答 c3"]
        finally:
            server.stop()
    with sqlite3.connect(small_disk / "xiaodazi.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
