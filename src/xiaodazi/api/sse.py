"""Server-sent events framing for a run's event log."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi.responses import StreamingResponse

from xiaodazi.core.runs import Run

HEARTBEAT_SECONDS = 15.0
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "Connection": "keep-alive"}


def frame(seq: int, name: str, data: dict) -> bytes:
    """One SSE frame: `id`, `event` and a single-line JSON `data`."""
    return f"id: {seq}\nevent: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


async def _frames(run: Run, after: int) -> AsyncIterator[bytes]:
    yield b": stream open\n\n"
    async for seq, name, data in run.follow(after, heartbeat=HEARTBEAT_SECONDS):
        yield b": ping\n\n" if name == "ping" else frame(seq, name, data)


def stream_run(run: Run, after: int = 0) -> StreamingResponse:
    """Follow a run as text/event-stream; leaving the stream does not stop the run."""
    return StreamingResponse(_frames(run, after), media_type="text/event-stream", headers=SSE_HEADERS)
