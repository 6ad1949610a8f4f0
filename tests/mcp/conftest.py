"""Fixtures for the MCP client: a manager on a temp data folder, the demo server, helpers."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from xiaodazi.core.tools import ToolContext
from xiaodazi.mcp import McpManager, MemorySecretStore

DEMO = Path(__file__).parent / "servers" / "demo_server.py"
T = TypeVar("T")


def run(coro: Awaitable[T]) -> T:
    """Run one async scenario to the end in a fresh loop."""
    return asyncio.run(coro)  # type: ignore[arg-type]


def run_with(mcp: McpManager, scenario) -> Any:
    """Run `scenario(mcp)` in a fresh loop, then stop every server it started."""

    async def go() -> Any:
        try:
            return await scenario(mcp)
        finally:
            await mcp.aclose()

    return run(go())


def demo_stdio(**env: str) -> dict[str, Any]:
    """mcp.json entry for the demo server over stdio."""
    return {"command": sys.executable, "args": [str(DEMO), "stdio"], "env": env}


def ctx_for(tmp_path: Path) -> ToolContext:
    workspace = tmp_path / "workspace"
    workspace.mkdir(exist_ok=True)
    return ToolContext(workspace=workspace, data_dir=tmp_path / "data")


async def until(predicate, timeout: float = 20.0) -> None:
    """Poll until predicate() is true (state changes made by background tasks)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


@pytest.fixture
def make_manager(tmp_path):
    """Build a manager on this test's data folder; tests close it themselves inside their loop."""

    def make(folder: str = "data", **kw: Any) -> McpManager:
        kw.setdefault("secrets", MemorySecretStore())
        kw.setdefault("backoff", 0.2)
        return McpManager(tmp_path / folder, tmp_path / folder / "logs", **kw)

    return make


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listens on {port}")


class HttpDemo:
    """The demo server over streamable HTTP in a subprocess on a free loopback port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/mcp"
        self.proc: subprocess.Popen | None = None

    def start(self) -> HttpDemo:
        self.proc = subprocess.Popen([sys.executable, str(DEMO), "http", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def http_demo():
    server = HttpDemo().start()
    yield server
    server.kill()
