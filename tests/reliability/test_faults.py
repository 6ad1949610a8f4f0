"""Every kind of provider fault at once, in neighbouring conversations: each ends in a retry, the fallback
model or a clear error event; the neighbours are unaffected and the server stays healthy afterwards.

tests/core/test_provider_faults.py checks each fault alone; this runs them together, with a fallback
model configured, against one server."""

from __future__ import annotations

import asyncio
from collections import defaultdict

import httpx
import pytest

from tests.reliability.support import RoutedLLM, StreamResult, stream_message
from tests.support.chat import start_live
from tests.support.scripted_llm import Reply
from xiaodazi.config import Settings
from xiaodazi.providers.litellm_model import load_litellm

pytestmark = pytest.mark.slow
FOREVER = 3600.0
OK = "好的，这次顺利回答了。"

# scenario -> (primary model's replies in order, then repeated; the backup model's reply)
SCENARIOS: dict[str, tuple[list[Reply], Reply]] = {
    # one 429, not two: with every fault at once on a loaded 2-core machine one attempt can outlast the test's
    # 5 s model timeout, and two 429s left no attempt to spare (CI saw the fallback answer instead)
    "429_then_ok": ([Reply(status=429), Reply(text=OK)], Reply(text="unused")),
    "429_storm": ([Reply(status=429)], Reply(status=429)),
    "500_storm_fallback": ([Reply(status=500)], Reply(text="备用模型的回答")),
    "503_then_ok": ([Reply(status=503), Reply(text=OK)], Reply(text="unused")),
    "no_answer": ([Reply(text="late", delay=FOREVER)], Reply(text="late", delay=FOREVER)),
    "truncated": ([Reply(text="这个回答会在中间被截断掉的", chunk_size=2, truncate=True)], Reply(text="unused")),
    "bad_json_always": ([Reply(text="abcdefgh", broken_chunk=True)], Reply(text="abcdefgh", broken_chunk=True)),
    "stall_forever": ([Reply(text="部分回答然后永远卡住", chunk_size=4, stall=FOREVER)], Reply(text="unused")),
    "healthy_neighbour": ([Reply(text=OK, chunk_size=3, chunk_delay=0.01)], Reply(text="unused")),
}
# scenario -> ("done", model that answered) or ("error", code)
EXPECTED = {
    "429_then_ok": ("done", "openai/scripted"), "429_storm": ("error", "rate_limit"),
    "500_storm_fallback": ("done", "openai/backup"), "503_then_ok": ("done", "openai/scripted"),
    "no_answer": ("error", "timeout"), "truncated": ("error", "truncated"),
    "bad_json_always": ("error", None), "stall_forever": ("error", "timeout"),
    "healthy_neighbour": ("done", "openai/scripted"),
}
NAMES = list(SCENARIOS)


class Script:
    """Plays each conversation's scenario; the tag number is the scenario's index."""

    def __init__(self) -> None:
        self.calls: dict[tuple[str, str], int] = defaultdict(int)

    def __call__(self, tag: str, body: dict) -> Reply:
        if tag == "after":
            return Reply(text="恢复正常")
        primary, backup = SCENARIOS[NAMES[int(tag[1:])]]
        if body.get("model") == "backup":
            return backup
        n = self.calls[(tag, "primary")]
        self.calls[(tag, "primary")] += 1
        return primary[min(n, len(primary) - 1)]


@pytest.fixture
def faulty(tmp_path):
    load_litellm()
    with RoutedLLM(Script()) as llm:
        settings = Settings(mode="serve", data_dir=tmp_path / "data", workspace=tmp_path / "ws", token="t",
                            warmup=False, model="openai/scripted", api_base=llm.base_url, api_key="sk-x",
                            retry_backoff=0.05, model_timeout=5, stream_idle_timeout=3)  # roomy on a busy CI machine
        live = start_live(settings)
        live.services.providers.update("openai", base_url=llm.base_url)
        live.services.store.set_setting("fallback_model", "openai/backup")
        yield live, llm
        live.server.stop()


async def _all_faults(live) -> list[StreamResult]:
    headers = {"Authorization": f"Bearer {live.settings.token}"}
    # the client's read timeout is the bound: a stream that never ends fails the test
    async with httpx.AsyncClient(base_url=live.base_url, headers=headers, timeout=60) as client:
        ids = [(await client.post("/api/conversations", json={})).json()["id"] for _ in NAMES]
        return await asyncio.gather(*(stream_message(client, cid, f"[c{i}] {name}")
                                      for i, (cid, name) in enumerate(zip(ids, NAMES, strict=True))))


def test_all_provider_faults_at_once_end_cleanly_and_the_server_stays_healthy(faulty):
    live, llm = faulty
    results = dict(zip(NAMES, asyncio.run(_all_faults(live)), strict=True))
    for name, result in results.items():
        kind, detail = EXPECTED[name]
        assert result.last == kind, (name, result.events[-2:], result.failure)
        end = result.events[-1][1]
        if kind == "done":
            assert end["model"] == detail and result.text in (OK, "备用模型的回答"), name
        else:
            assert end["message"] and (detail is None or end["code"] == detail), (name, end)
    print({name: r.events[-1][1].get("code") or r.events[-1][1].get("model") for name, r in results.items()})
    assert results["stall_forever"].text == "部分回答"  # what arrived before the stall is kept
    with live.client() as c:
        assert c.get("/health").json()["status"] == "ok"
        for name, result in results.items():
            last = c.get(f"/api/conversations/{result.conversation_id}/messages").json()["items"][-1]
            assert last["status"] == ("complete" if EXPECTED[name][0] == "done" else "error"), name
    after = live.send(live.new_conversation(), "[after] 你好")
    assert after[-1][0] == "done" and "".join(d["text"] for n, d in after if n == "text") == "恢复正常"
