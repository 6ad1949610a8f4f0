"""Helpers for the reliability suite: a scripted model that answers each conversation by its own tag,
a `xiaodazi serve` wired to it, and an async client that reads many SSE streams at once."""

from __future__ import annotations

import asyncio
import io
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.support.proc import ServeProcess, start_serve
from tests.support.scripted_llm import Reply, ScriptedLLM

TAG = re.compile(r"\[([a-z]\w*)\]")
Responder = Callable[[str, dict[str, Any]], Reply]


def last_user_tag(body: dict[str, Any]) -> str:
    """The `[cN]` tag of the newest user message: which conversation this model request belongs to."""
    for message in reversed(body.get("messages", [])):
        if message.get("role") == "user":
            found = TAG.search(str(message.get("content")))
            return found.group(1) if found else ""
    return ""


def after_tool(body: dict[str, Any]) -> bool:
    """True when the request carries a tool result as its newest message (the model should now answer)."""
    messages = body.get("messages", [])
    return bool(messages) and messages[-1].get("role") == "tool"


class RoutedLLM(ScriptedLLM):
    """The scripted server, but each streamed request is answered by `responder(tag, body)`.

    With many conversations at once a shared FIFO script cannot say which reply belongs to whom;
    the tag in the user's message can.
    """

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.arrivals: dict[str, list[float]] = {}  # tag -> perf_counter() of each streamed request
        self._local = threading.local()
        super().__init__()
        self.background = lambda req: '{"memories": []}' if "response_format" in req else "标题"

    def _next(self, model: str) -> Reply | None:
        body = self._local.body
        tag = last_user_tag(body)
        with self._lock:
            self.arrivals.setdefault(tag, []).append(time.perf_counter())
        return self.responder(tag, body)

    def _handler(self):
        base = super()._handler()
        llm = self

        class Peek(base):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                self.rfile = io.BytesIO(raw)  # the base handler reads the body again
                llm._local.body = json.loads(raw or b"{}")
                super().do_POST()

        return Peek


def serve_env(llm: ScriptedLLM, **extra: str) -> dict[str, str]:
    """Environment for `xiaodazi serve` talking to the scripted model with timeouts sized for a busy test machine."""
    return {"XIAODAZI_MODEL": "openai/scripted", "XIAODAZI_API_BASE": llm.base_url,
            "XIAODAZI_API_KEY": "sk-test-reliability-key", "XIAODAZI_RETRY_BACKOFF": "0.05",
            "XIAODAZI_MODEL_TIMEOUT": "60", "XIAODAZI_STREAM_IDLE_TIMEOUT": "30", **extra}


def serve(tmp_path: Path, llm: ScriptedLLM, **extra: str) -> ServeProcess:
    """A real `xiaodazi serve` on tmp_path/data and tmp_path/ws, wired to `llm`."""
    return start_serve(tmp_path / "data", tmp_path / "ws", env=serve_env(llm, **extra))


@dataclass
class StreamResult:
    """What one client saw of one SSE answer."""

    conversation_id: str
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    sent_at: float = 0.0
    first_text_at: float | None = None
    status: int = 0
    failure: str = ""

    @property
    def last(self) -> str:
        return self.events[-1][0] if self.events else ""

    @property
    def text(self) -> str:
        return "".join(d.get("text", "") for n, d in self.events if n == "text")


def async_client(server: ServeProcess, connections: int = 100, timeout: float = 60) -> httpx.AsyncClient:
    """A bounded async client with the server's token."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(base_url=server.base_url, headers={"Authorization": f"Bearer {server.token}"},
                             timeout=timeout, limits=limits)


async def stream_message(client: httpx.AsyncClient, cid: str, content: str,
                         stop: Callable[[StreamResult], bool] | None = None) -> StreamResult:
    """POST a message and read its SSE events until done/error (or until `stop` says so)."""
    result = StreamResult(cid, sent_at=time.perf_counter())
    try:
        async with client.stream("POST", f"/api/conversations/{cid}/messages", json={"content": content}) as r:
            result.status = r.status_code
            if r.status_code != 200:
                result.failure = (await r.aread()).decode(errors="replace")
                return result
            await _read_events(r, result, stop)
    except httpx.HTTPError as exc:
        result.failure = f"{type(exc).__name__}: {exc}"
    return result


async def _read_events(response: httpx.Response, result: StreamResult,
                       stop: Callable[[StreamResult], bool] | None) -> None:
    name, data = "message", []
    async for line in response.aiter_lines():
        if line.startswith(":"):
            continue
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
        elif not line and data:
            result.events.append((name, json.loads("\n".join(data))))
            if name == "text" and result.first_text_at is None:
                result.first_text_at = time.perf_counter()
            if name in ("done", "error") or (stop is not None and stop(result)):
                return
            name, data = "message", []


async def new_conversations(client: httpx.AsyncClient, count: int) -> list[str]:
    """`count` fresh conversation ids."""
    replies = await asyncio.gather(*(client.post("/api/conversations", json={}) for _ in range(count)))
    return [r.json()["id"] for r in replies]


def messages(server: ServeProcess, cid: str) -> list[dict[str, Any]]:
    """Every stored message of a conversation, through the API."""
    with server.client() as c:
        response = c.get(f"/api/conversations/{cid}/messages", params={"limit": 2000})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def server_log(server: ServeProcess, data_dir: Path) -> str:
    """The process output plus the rotating log files."""
    files = "".join(p.read_text(errors="replace") for p in (data_dir / "logs").glob("*.log*"))
    return server.output() + files


def pct(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")
