"""Runs live on the server, not in the request: an event log per run that clients follow and resume.

A run's events are numbered (`seq`); a client that reconnects asks for events after the last seq it
saw. Approvals and questions are futures that the API resolves by id.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from xiaodazi.core import events
from xiaodazi.core.errors import Conflict, NotFound

Event = tuple[int, str, dict[str, Any]]


@dataclass
class Run:
    """One agent run: its events so far and the replies it waits for."""

    conversation_id: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    log: list[Event] = field(default_factory=list)
    task: asyncio.Task | None = None
    pending: dict[str, asyncio.Future] = field(default_factory=dict)
    followers: int = 0
    cancel_requested: bool = False
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def finished(self) -> bool:
        return bool(self.log) and self.log[-1][1] in events.TERMINAL

    async def emit(self, name: str, data: dict[str, Any]) -> None:
        """Append an event (numbered from 1) and wake every follower."""
        if self.finished:
            return
        seq = len(self.log) + 1
        self.log.append((seq, name, {"seq": seq, **data}))
        self._changed.set()
        self._changed = asyncio.Event()

    async def follow(self, after: int = 0, heartbeat: float | None = None) -> AsyncIterator[Event]:
        """Events after `after`, then live ones, until the terminal event; `ping` events while idle."""
        self.followers += 1
        try:
            index = max(after, 0)
            while True:
                while index < len(self.log):
                    event = self.log[index]
                    index += 1
                    yield event
                    if event[1] in events.TERMINAL:
                        return
                if self.finished:
                    return
                try:
                    await asyncio.wait_for(self._changed.wait(), heartbeat)
                except TimeoutError:
                    yield (0, "ping", {})
        finally:
            self.followers -= 1

    async def wait_reply(self, reply_id: str, timeout: float) -> Any:
        """Wait for the user's answer to an approval or question; None on timeout."""
        future = asyncio.get_running_loop().create_future()
        self.pending[reply_id] = future
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return None
        finally:
            self.pending.pop(reply_id, None)


class RunManager:
    """The runs of this process, by conversation; one active run per conversation."""

    def __init__(self) -> None:
        self._by_conversation: dict[str, Run] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def active(self, conversation_id: str) -> Run | None:
        run = self._by_conversation.get(conversation_id)
        return run if run is not None and run.task is not None and not run.task.done() else None

    def latest(self, conversation_id: str) -> Run | None:
        return self._by_conversation.get(conversation_id)

    def all_active(self) -> list[Run]:
        """The running runs; safe from other threads (the tray), as the dict is copied in one step first."""
        return [r for r in list(self._by_conversation.values()) if r.task is not None and not r.task.done()]

    def start(self, conversation_id: str, work: Callable[[Run], Awaitable[None]]) -> Run:
        """Start `work(run)` as a task that outlives the request that started it."""
        if self.active(conversation_id):
            raise Conflict("a task is already running in this conversation; stop it or wait")
        run = Run(conversation_id)
        self._loop = asyncio.get_running_loop()
        self._by_conversation[conversation_id] = run
        run.task = asyncio.create_task(work(run), name=f"run-{run.id}")
        return run

    def cancel(self, conversation_id: str) -> bool:
        run = self.active(conversation_id)
        if run is None or run.task is None:
            return False
        run.cancel_requested = True  # checked between chunks too: a cancel can never be lost in a race
        run.task.cancel()
        return True

    def cancel_all_threadsafe(self) -> int:
        """Stop every running run from a thread outside the event loop (tray, global hotkey); returns how many.

        The flag is set here at once (a desktop action checks it before its next key); the task itself is
        cancelled on the loop, which a plain call from another thread would not wake.
        """
        active = self.all_active()
        for run in active:
            run.cancel_requested = True
            if self._loop is not None and not self._loop.is_closed():
                self._loop.call_soon_threadsafe(self.cancel, run.conversation_id)
        return len(active)

    def resolve(self, reply_id: str, value: Any) -> None:
        """Deliver the user's answer to whichever run waits for `reply_id`."""
        for run in self._by_conversation.values():
            future = run.pending.get(reply_id)
            if future is not None and not future.done():
                future.set_result(value)
                return
        raise NotFound(f"nothing is waiting for {reply_id} (answered already or timed out)", id=reply_id)

    async def shutdown(self) -> None:
        """Cancel every running task and wait for them to save what they have."""
        tasks = [r.task for r in self.all_active() if r.task is not None]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=10)
