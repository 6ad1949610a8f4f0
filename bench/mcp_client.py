"""MCP client figures: server start (to ready), tool-call round trip p50/p95, and the turn hook's
cost (selection over 20 and 300 tools). Prints figures; never fails on time.
Run: .venv/bin/python bench/mcp_client.py [--calls 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from xiaodazi.core.hooks import TurnContext  # noqa: E402
from xiaodazi.mcp import McpManager, McpToolHook, MemorySecretStore  # noqa: E402

DEMO = ROOT / "tests" / "mcp" / "servers" / "demo_server.py"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(folder: Path, calls: int) -> None:
    mcp = McpManager(folder, folder / "logs", secrets=MemorySecretStore())
    try:
        began = time.perf_counter()
        state = await mcp.put("demo", {"command": sys.executable, "args": [str(DEMO), "stdio"]})
        print(f"demo server (stdio, Python FastMCP) start to ready: {(time.perf_counter() - began) * 1000:.0f} ms "
              f"({state['tools']} tools)")
        began = time.perf_counter()
        await mcp.put("time", {"command": sys.executable, "args": ["-m", "mcp_server_time", "--local-timezone", "UTC"]})
        print(f"mcp-server-time start to ready: {(time.perf_counter() - began) * 1000:.0f} ms")
        times = []
        for i in range(calls):
            began = time.perf_counter()
            await mcp.call("demo", "add", {"a": i, "b": 1})
            times.append((time.perf_counter() - began) * 1000)
        print(f"tool call round trip over {calls} calls: p50 {statistics.median(times):.2f} ms, "
              f"p95 {pct(times, 0.95):.2f} ms")
        await hook_cost(mcp, f"{len(await mcp.tools())} tools (all offered)")
        await mcp.put("big", {"command": sys.executable, "args": [str(DEMO), "stdio"], "env": {"DEMO_TOOLS": "300"}})
        await hook_cost(mcp, f"{len(await mcp.tools())} tools (ranked)")
    finally:
        await mcp.aclose()


async def hook_cost(mcp: McpManager, label: str) -> None:
    hook = McpToolHook(mcp)
    turn = TurnContext("c", "r", "what is the weather like in Hangzhou tomorrow? 明天杭州天气怎么样")
    times = []
    for _ in range(200):
        began = time.perf_counter()
        contribution = await hook.before_turn(turn)
        times.append((time.perf_counter() - began) * 1000)
    offered = len(contribution.tools) if contribution else 0
    print(f"before_turn with {label}: p50 {statistics.median(times):.2f} ms, p95 {pct(times, 0.95):.2f} ms, "
          f"{offered} offered")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(measure(Path(folder), args.calls))


if __name__ == "__main__":
    main()
