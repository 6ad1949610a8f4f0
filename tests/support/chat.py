"""Talking to a live server like the UI does: real HTTP, SSE parsed event by event."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from xiaodazi.api.app import create_app
from xiaodazi.config import Settings
from xiaodazi.server import ThreadedServer, free_port

Event = tuple[str, dict[str, Any]]


def iter_sse(response: httpx.Response) -> Iterator[Event]:
    """Events of a text/event-stream response as (name, data), comments skipped."""
    name, data = "message", []
    for line in response.iter_lines():
        if line.startswith(":"):
            continue
        if not line:
            if data:
                yield name, json.loads("\n".join(data))
            name, data = "message", []
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())


def collect(response: httpx.Response, until: tuple[str, ...] = ("done", "error")) -> list[Event]:
    out = []
    for event in iter_sse(response):
        out.append(event)
        if event[0] in until:
            break
    return out


def names(events: list[Event]) -> list[str]:
    return [n for n, _ in events]


def text_of(events: list[Event]) -> str:
    return "".join(d["text"] for n, d in events if n == "text")


@dataclass
class Live:
    """The real app under uvicorn in this process, on a free loopback port."""

    settings: Settings
    server: ThreadedServer
    base_url: str

    def client(self, **kw: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers={"Authorization": f"Bearer {self.settings.token}"},
                            timeout=kw.pop("timeout", 30), **kw)

    @property
    def services(self):
        return self.server.server.config.app.state.services

    def new_conversation(self, title: str = "") -> str:
        with self.client() as c:
            return c.post("/api/conversations", json={"title": title}).json()["id"]

    def send(self, conversation_id: str, content: str, **body: Any) -> list[Event]:
        """Send a message and read its stream to the end."""
        with self.client() as c, c.stream("POST", f"/api/conversations/{conversation_id}/messages",
                                          json={"content": content, **body}) as response:
            assert response.status_code == 200, response.read()
            return collect(response)


def start_live(settings: Settings) -> Live:
    port = free_port()
    settings.port = port
    server = ThreadedServer(create_app(settings), "127.0.0.1", port)
    server.start()
    return Live(settings, server, f"http://127.0.0.1:{port}")
