"""WebSocket: the same run events as SSE, plus client frames send / cancel / approve / answer / follow."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from xiaodazi.core.errors import XiaodaziError
from xiaodazi.core.runs import Run
from xiaodazi.services import Services

router = APIRouter(tags=["chat"])
log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15.0


class _Session:
    """One socket: serialises sends and forwards the runs it follows."""

    def __init__(self, ws: WebSocket, services: Services) -> None:
        self.ws = ws
        self.services = services
        self.lock = asyncio.Lock()
        self.forwarders: set[asyncio.Task] = set()

    async def send(self, payload: dict[str, Any]) -> None:
        async with self.lock:
            await self.ws.send_text(json.dumps(payload, ensure_ascii=False))

    def follow(self, run: Run, after: int = 0) -> None:
        async def forward() -> None:
            async for _seq, name, data in run.follow(after, heartbeat=HEARTBEAT_SECONDS):
                if name != "ping":
                    await self.send({"type": name, "conversation_id": run.conversation_id, **data})

        task = asyncio.create_task(forward())
        self.forwarders.add(task)
        task.add_done_callback(self.forwarders.discard)

    async def handle(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        cid = str(frame.get("conversation_id", ""))
        if kind == "send":
            attachments = [str(a) for a in frame.get("attachments") or []]
            self.follow(await self.services.chat.send(cid, str(frame.get("content", "")), frame.get("model"),
                                                      attachments))
        elif kind == "follow":
            run = self.services.runs.latest(cid)
            if run is None:
                raise XiaodaziError("no run of this conversation is known to this server")
            self.follow(run, int(frame.get("after", 0)))
        elif kind == "cancel":
            await self.send({"type": "cancelled", "conversation_id": cid,
                             "cancelled": self.services.runs.cancel(cid)})
        elif kind == "approve":
            if frame.get("decision") not in ("allow_once", "allow_always", "deny"):
                raise XiaodaziError("decision must be allow_once, allow_always or deny")
            self.services.runs.resolve(str(frame.get("id")), frame["decision"])
        elif kind == "answer":
            self.services.runs.resolve(str(frame.get("id")), str(frame.get("answer", "")))
        elif kind == "ping":
            await self.send({"type": "pong"})
        else:
            raise XiaodaziError(f"unknown frame type {kind!r}")


@router.websocket("/ws")
async def websocket_events(ws: WebSocket) -> None:
    """Bidirectional channel for the UI (authenticated by the same token or cookie as /api)."""
    await ws.accept()
    session = _Session(ws, ws.app.state.services)
    heartbeat = asyncio.create_task(_heartbeat(session))
    try:
        while True:
            raw = await ws.receive_text()
            try:
                frame = json.loads(raw)
                if not isinstance(frame, dict):
                    raise ValueError("a frame must be a JSON object")
                await session.handle(frame)
            except XiaodaziError as exc:
                await session.send({"type": "error", "code": exc.code, "message": exc.message,
                                    "frame": frame.get("type") if isinstance(frame, dict) else None})
            except ValueError as exc:
                await session.send({"type": "error", "code": "invalid_frame", "message": str(exc)})
    except WebSocketDisconnect:
        pass
    finally:
        heartbeat.cancel()
        for task in list(session.forwarders):
            task.cancel()


async def _heartbeat(session: _Session) -> None:
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        await session.send({"type": "ping"})
