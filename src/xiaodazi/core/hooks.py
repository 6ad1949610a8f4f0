"""Extension points around one agent turn: skills, memory and MCP plug in here.

Before the model is called, every hook may add text to this turn's system prompt, offer extra
tools and emit events (e.g. `memory`). After the answer is saved, hooks run off the critical
path (e.g. memory extraction). Hooks must be fast before the turn: no model calls there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from xiaodazi.core.tools import ToolSpec


@dataclass
class TurnContext:
    """What a hook may know about the turn being prepared."""

    conversation_id: str
    run_id: str
    user_text: str
    history: list[dict[str, Any]] = field(default_factory=list)  # earlier {"role", "content"} turns, oldest first
    user_message_id: int | None = None  # the stored row of `user_text`


@dataclass
class Contribution:
    """What a hook adds to one turn."""

    system: str = ""  # appended to the system prompt for this turn only
    tools: list[ToolSpec] = field(default_factory=list)  # offered to the model this turn
    tool_names: list[str] = field(default_factory=list)  # optional built-in tools to offer this turn
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # emitted before the model call


class Completer(Protocol):
    """A light, non-streaming model call for background work (titles, memory extraction)."""

    async def __call__(self, messages: list[dict[str, Any]], *, json_schema: dict[str, Any] | None = None) -> str: ...


class TurnHook(Protocol):
    name: str

    async def before_turn(self, turn: TurnContext) -> Contribution | None: ...

    async def after_turn(self, turn: TurnContext, answer: str) -> None: ...
