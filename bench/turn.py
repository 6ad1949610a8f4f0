"""Per-turn overhead: request received → model request sent, model chunk → client chunk, "hi" request size.

Runs the real app (uvicorn, SQLite, litellm) against the scripted model server answering instantly,
all on loopback in one process. Prints figures; never fails on time. The model sends its chunks in one
burst, so the relay figure includes queueing behind earlier chunks; BENCH_CHUNK_DELAY=0.02 spaces them
like a model streaming 50 chunks a second (2026-12-01, load 2: p50 1.75 ms paced against 4.84 ms in a burst).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from tests.support.chat import iter_sse, start_live  # noqa: E402
from tests.support.scripted_llm import ScriptedLLM, text  # noqa: E402

from xiaodazi.config import Settings  # noqa: E402
from xiaodazi.providers.litellm_model import load_litellm  # noqa: E402

TURNS = int(os.environ.get("BENCH_TURNS", "200"))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="xdz-bench-"))
    load_litellm()
    with ScriptedLLM() as llm:
        # background calls (titles, memory extraction) get a reply that means "nothing to remember"
        llm.background = lambda req: '{"memories": []}' if "response_format" in req else "标题"
        settings = Settings(mode="serve", data_dir=tmp / "data", workspace=tmp / "ws", token="bench",
                            model="openai/scripted", api_base=llm.base_url, api_key="x", warmup=False)
        live = start_live(settings)
        before, relay = [], []
        with live.client() as c:
            for i in range(TURNS + 5):
                cid = c.post("/api/conversations", json={"title": "bench"}).json()["id"]
                llm.add(text("0123456789" * 4, chunk_size=4, chunk_delay=float(os.environ.get("BENCH_CHUNK_DELAY", "0"))))
                log_start = len(llm.chunk_log)
                sent = time.perf_counter()
                received = []
                with c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "hi"}) as r:
                    for name, _data in iter_sse(r):
                        if name == "text":
                            received.append(time.perf_counter())
                        if name in ("done", "error"):
                            break
                if i < 5:
                    continue  # warm-up turns
                before.append((llm.received_at[-1] - sent) * 1000)
                chunks = [t for t, _ in llm.chunk_log[log_start:]]
                relay.extend((r_ - s_) * 1000 for s_, r_ in zip(chunks, received, strict=False))
        hi_request = json.dumps({k: v for k, v in llm.requests[0].items() if k != "_headers"}, ensure_ascii=False)
        tools = llm.requests[0].get("tools") or []
        live.server.stop()
    print(f"turns measured: {TURNS}")
    print(f"request received -> model request sent: p50 {statistics.median(before):.2f} ms, "
          f"p95 {pct(before, 0.95):.2f} ms (target p50 <= 5 ms)")
    print(f"model chunk -> client chunk: p50 {statistics.median(relay):.2f} ms, p95 {pct(relay, 0.95):.2f} ms "
          f"(target <= 1 ms)")
    print(f'model request for "hi": {len(hi_request)} characters, {len(tools)} tool schemas '
          f"(target <= 8000 characters)")


if __name__ == "__main__":
    main()
