"""100 concurrent conversations through a real `xiaodazi serve` and the scripted model, plus the server's
memory (RSS) idle and after the load. Prints figures; never fails on time.
Run: .venv/bin/python bench/load.py [--streams 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from tests.reliability.support import (  # noqa: E402
    RoutedLLM,
    async_client,
    new_conversations,
    pct,
    serve,
    stream_message,
)
from tests.reliability.test_load import responder  # noqa: E402


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def burst(server, streams: int) -> tuple[list, float]:
    async with async_client(server, connections=streams) as client:
        ids = await new_conversations(client, streams)
    async with async_client(server, connections=streams) as client:
        began = time.perf_counter()
        results = await asyncio.gather(*(stream_message(client, cid, f"[c{i}] 你好，请帮忙")
                                         for i, cid in enumerate(ids)))
        return results, time.perf_counter() - began


async def warm_up(server) -> None:
    async with async_client(server, connections=1) as client:
        cid = (await new_conversations(client, 1))[0]
        await stream_message(client, cid, "[c999] warm up")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--streams", type=int, default=100)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="xdz-load-"))
    (tmp / "ws").mkdir()
    (tmp / "ws" / "notes.txt").write_text("负载测试的笔记", encoding="utf-8")
    with RoutedLLM(responder) as llm:
        server = serve(tmp, llm)
        try:
            time.sleep(1.0)
            idle = rss_mb(server.proc.pid)
            asyncio.run(warm_up(server))
            warm = rss_mb(server.proc.pid)
            results, wall = asyncio.run(burst(server, args.streams))
            after = rss_mb(server.proc.pid)
        finally:
            server.stop()
        log = server.output()
    ok = sum(1 for r in results if r.last == "done")
    before = [(llm.arrivals[f"c{i}"][0] - r.sent_at) * 1000 for i, r in enumerate(results)]
    first = [(r.first_text_at - llm.arrivals[f"c{i}"][-1]) * 1000 for i, r in enumerate(results) if r.first_text_at]
    print(f"{args.streams} concurrent streams: {ok} completed, {args.streams - ok} failed, "
          f"{log.count('database is locked')} 'database is locked', all done in {wall:.1f} s")
    print(f"  send -> model request: p50 {pct(before, .5):.0f} ms, p95 {pct(before, .95):.0f} ms")
    print(f"  model request -> first text at client: p50 {pct(first, .5):.0f} ms, p95 {pct(first, .95):.0f} ms")
    print(f"server RSS: idle {idle:.0f} MB, after one turn {warm:.0f} MB, after the load {after:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
