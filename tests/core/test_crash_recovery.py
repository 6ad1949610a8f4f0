"""A server killed mid-answer loses nothing it had saved; the partial answer is marked interrupted."""

import signal
import time

import pytest

from tests.support.chat import iter_sse
from tests.support.proc import start_serve
from tests.support.scripted_llm import text

pytestmark = pytest.mark.slow


def test_kill_9_mid_stream_keeps_user_message_and_partial_answer(tmp_path, llm):
    full = "这是一段很长的回答，用来测试崩溃恢复。" * 20
    llm.add(text(full, chunk_size=3, chunk_delay=0.05))
    env = {"XIAODAZI_MODEL": "openai/scripted", "XIAODAZI_API_BASE": llm.base_url, "XIAODAZI_API_KEY": "x"}
    server = start_serve(tmp_path / "data", tmp_path / "ws", env=env)
    try:
        with server.client() as c:
            cid = c.post("/api/conversations").json()["id"]
            received = ""
            with c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "讲个长故事"}) as r:
                started = None
                for name, data in iter_sse(r):
                    if name == "text":
                        received += data["text"]
                        started = started or time.monotonic()
                        if time.monotonic() - started > 1.5:  # past several periodic saves
                            break
        server.stop(signal.SIGKILL)
    finally:
        server.stop(signal.SIGKILL)
    again = start_serve(tmp_path / "data", tmp_path / "ws", env=env)
    try:
        with again.client() as c:
            items = c.get(f"/api/conversations/{cid}/messages").json()["items"]
    finally:
        again.stop()
    assert items[0]["role"] == "user" and items[0]["content"] == "讲个长故事"
    partial = items[1]
    assert partial["role"] == "assistant" and partial["status"] == "interrupted"
    assert len(partial["content"]) > 0 and full.startswith(partial["content"])
    assert len(partial["content"]) < len(full)


def test_interrupted_conversation_can_continue(tmp_path, llm):
    llm.add(text("first answer, long enough " * 20, chunk_size=4, chunk_delay=0.05), text("继续好的"))
    env = {"XIAODAZI_MODEL": "openai/scripted", "XIAODAZI_API_BASE": llm.base_url, "XIAODAZI_API_KEY": "x"}
    server = start_serve(tmp_path / "data", tmp_path / "ws", env=env)
    with server.client() as c:
        cid = c.post("/api/conversations").json()["id"]
        with c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "one"}) as r:
            for name, _ in iter_sse(r):
                if name == "text":
                    time.sleep(0.8)
                    break
    server.stop(signal.SIGKILL)
    again = start_serve(tmp_path / "data", tmp_path / "ws", env=env)
    try:
        with again.client() as c, c.stream("POST", f"/api/conversations/{cid}/messages",
                                           json={"content": "继续"}) as r:
            events = [e for e in iter_sse(r)]
    finally:
        again.stop()
    assert events[-1][0] == "done"
    sent = [m["content"] for m in llm.requests[-1]["messages"] if m["role"] in ("user", "assistant")]
    assert sent[0] == "one" and sent[-1] == "继续"
