"""The memory turn hook: recall before the model is called, extraction after the answer."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from xiaodazi.core import events
from xiaodazi.core.hooks import Completer, Contribution, TurnContext
from xiaodazi.memory.extract import DEBOUNCE_SECONDS, Extractor
from xiaodazi.memory.model import MemoryItem
from xiaodazi.memory.prompts import RECALL_PREAMBLE
from xiaodazi.memory.service import MemoryService

log = logging.getLogger(__name__)
RECALL_K = 3
TOKEN_BUDGET = 300  # pinned + relevant memories added to one turn's system prompt
SHORT_MESSAGE = 12  # a message this short ("那它呢？") is recalled together with the previous one
MAX_TRACKED_RUNS = 200


def memory_prompt(items: list[MemoryItem]) -> str:
    """The system-prompt text listing recalled memories."""
    return "\n".join([RECALL_PREAMBLE, *(f"- {item.content}" for item in items)])


def recall_query(turn: TurnContext) -> str:
    """The text to recall for: the message, plus the previous user message when it is very short."""
    if len(turn.user_text.strip()) >= SHORT_MESSAGE:
        return turn.user_text
    earlier = [m.get("content") for m in turn.history if m.get("role") == "user"]
    previous = next((c for c in reversed(earlier) if isinstance(c, str)), "")
    return f"{previous} {turn.user_text}".strip()


class MemoryHook:
    """TurnHook: adds the few relevant and pinned memories to a turn; extracts new ones after it."""

    name = "memory"

    def __init__(self, service: MemoryService, completer: Completer | None = None, *, k: int = RECALL_K,
                 budget_tokens: int = TOKEN_BUDGET, debounce: float = DEBOUNCE_SECONDS) -> None:
        self.service = service
        self.k = k
        self.budget_tokens = budget_tokens
        self.extractor = Extractor(service, completer, debounce) if completer is not None else None
        self._used: dict[str, list[int]] = {}

    async def before_turn(self, turn: TurnContext) -> Contribution | None:
        """A `memory` event and system text for the items used; None when nothing is relevant."""
        items = await asyncio.to_thread(self.service.recall, recall_query(turn), self.k, self.budget_tokens, False)
        if not items:
            return None
        if len(self._used) > MAX_TRACKED_RUNS:  # runs that failed never reach after_turn
            self._used.clear()
        self._used[turn.run_id] = [item.id for item in items if item.id is not None]
        listed: list[dict[str, Any]] = [{"id": item.id, "content": item.content} for item in items]
        return Contribution(system=memory_prompt(items), events=[(events.MEMORY, {"items": listed})])

    async def after_turn(self, turn: TurnContext, answer: str) -> None:
        """Mark the recalled items as used, then (debounced) extract new memories from the turn."""
        used = self._used.pop(turn.run_id, [])
        if used:
            await asyncio.to_thread(self.service.touch, used)
        if self.extractor is not None:
            # TurnContext may carry the user's message id (newer agent loops); provenance then links to it.
            message_id = getattr(turn, "user_message_id", None)
            await self.extractor.after_turn(turn.conversation_id, turn.user_text, answer, message_id)
