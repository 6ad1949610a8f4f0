"""The agent loop's persistence (core.agent.Recorder) over the Store, off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from xiaodazi.storage.models import Message, MessageStatus
from xiaodazi.storage.repo import Store

HISTORY_LIMIT = 400  # messages read back per turn; the window fitter trims further
IMAGE_TURNS = 2  # images are re-sent only with the most recent user messages

# (text, attachments, send_images) -> the content the model sees
Expand = Callable[[str, list[dict[str, str]], bool], Any]


def to_model_message(msg: Message, expand: Expand | None = None, images: bool = False) -> dict[str, Any] | None:
    """A stored message as the model expects it; None for rows the model must not see."""
    if msg.role == "user":
        attachments = (msg.extra or {}).get("attachments")
        if attachments and expand is not None:
            return {"role": "user", "content": expand(msg.content, attachments, images)}
        return {"role": "user", "content": msg.content}
    if msg.role == "tool":
        return {"role": "tool", "tool_call_id": msg.tool_call_id, "content": msg.content}
    if msg.role != "assistant":
        return None
    if not msg.content and not msg.tool_calls:
        return None
    out: dict[str, Any] = {"role": "assistant", "content": msg.content or None}
    if msg.tool_calls:
        out["tool_calls"] = msg.tool_calls
    if msg.extra and msg.extra.get("thinking_blocks"):
        out["thinking_blocks"] = msg.extra["thinking_blocks"]
    return out


class StoreRecorder:
    """Saves a run's messages as they happen; every call is one short write transaction."""

    def __init__(self, store: Store, expand: Expand | None = None) -> None:
        self.store = store
        self.expand = expand

    async def history(self, conversation_id: str) -> list[dict[str, Any]]:
        return await asyncio.to_thread(self._history, conversation_id)

    def _history(self, conversation_id: str) -> list[dict[str, Any]]:
        rows = self.store.recent_messages(conversation_id, HISTORY_LIMIT)
        users = [r.id for r in rows if r.role == "user"]
        recent = set(users[-IMAGE_TURNS:])
        out = (to_model_message(r, self.expand, r.id in recent) for r in rows)
        return [m for m in out if m is not None]

    async def start_assistant(self, conversation_id: str, run_id: str, model: str) -> int:
        msg = await asyncio.to_thread(self.store.add_message, conversation_id, "assistant", "",
                                      status=MessageStatus.streaming, run_id=run_id, model=model)
        return msg.id

    async def save_assistant(self, message_id: int, **fields: Any) -> None:
        await asyncio.to_thread(self.store.update_message, message_id, **fields)

    async def add_tool_result(self, conversation_id: str, run_id: str, call_id: str, name: str,
                              content: str, ok: bool, artifacts: list[str]) -> int:
        extra = {"ok": ok, "artifacts": artifacts}
        msg = await asyncio.to_thread(self.store.add_message, conversation_id, "tool", content,
                                      tool_call_id=call_id, name=name, run_id=run_id, extra=extra,
                                      status=MessageStatus.complete if ok else MessageStatus.error)
        return msg.id
