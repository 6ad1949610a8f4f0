"""Automatic memory: after a turn, one light-model call proposes durable facts.

Runs off the critical path (the agent spawns `after_turn`) and is debounced per conversation:
a burst of quick turns leads to one extraction over all of them. The model only proposes;
this module drops one-off and low-confidence proposals, lets `replaces` supersede an existing
item (newer wins, the old one stays in history) and lets the service merge duplicates.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass

from xiaodazi.core.hooks import Completer
from xiaodazi.memory.model import InvalidMemory, MemoryItem, MemoryNotFound, MemorySource, parse_kind
from xiaodazi.memory.prompts import EXTRACT_SCHEMA, EXTRACT_SYSTEM, EXTRACT_USER
from xiaodazi.memory.service import MemoryService

log = logging.getLogger(__name__)
DEBOUNCE_SECONDS = 3.0
MIN_CONFIDENCE = 0.6
EXISTING_SHOWN = 8  # existing memories shown to the model so it can spot contradictions
MAX_TURN_CHARS = 2000
MAX_TURNS = 4


@dataclass(frozen=True)
class Proposal:
    """One fact the model proposes to remember."""

    content: str
    kind: str
    replaces: int | None
    confidence: float


@dataclass(frozen=True)
class Exchange:
    """One finished turn waiting for extraction."""

    user_text: str
    answer: str
    message_id: int | None = None  # the user's message, when the agent loop tells us


def _json_object(reply: str) -> dict:
    start, end = reply.find("{"), reply.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("no JSON object in the reply")
    return json.loads(reply[start : end + 1])  # tolerates code fences and chatter around the JSON


def parse_reply(reply: str) -> list[Proposal]:
    """Durable, confident proposals from the model's JSON (anything malformed is skipped)."""
    try:
        entries = _json_object(reply).get("memories", [])
    except (ValueError, AttributeError) as exc:
        log.warning("memory extraction: unreadable reply (%s)", exc)
        return []
    out = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("durable") is not True:
            continue
        confidence = entry.get("confidence", 0)
        replaces = entry.get("replaces")
        if not isinstance(confidence, int | float) or confidence < MIN_CONFIDENCE:
            continue
        out.append(Proposal(str(entry.get("content", "")), str(entry.get("kind") or "preference"),
                            replaces if isinstance(replaces, int) else None, float(confidence)))
    return out


def extraction_messages(existing: list[MemoryItem], turns: list[Exchange]) -> list[dict[str, str]]:
    """The chat messages sent to the light model."""
    shown = "\n".join(f"#{m.id} [{m.kind}] {m.content}" for m in existing) or "(none)"
    exchange = "\n\n".join(
        f"User: {t.user_text[:MAX_TURN_CHARS]}\nAssistant: {t.answer[:MAX_TURN_CHARS]}" for t in turns[-MAX_TURNS:]
    )
    user = EXTRACT_USER.format(existing=shown, exchange=exchange)
    return [{"role": "system", "content": EXTRACT_SYSTEM}, {"role": "user", "content": user}]


class Extractor:
    """Debounced extraction for one MemoryService through a Completer."""

    def __init__(self, service: MemoryService, completer: Completer, delay: float = DEBOUNCE_SECONDS) -> None:
        self.service = service
        self.completer = completer
        self.delay = delay
        self._waiting: dict[str, list[Exchange]] = {}
        self._generation: dict[str, int] = {}

    async def after_turn(
        self, conversation_id: str, user_text: str, answer: str, message_id: int | None = None
    ) -> list[MemoryItem]:
        """Queue a finished turn; the last call of a burst runs the extraction for all of them."""
        self._waiting.setdefault(conversation_id, []).append(Exchange(user_text, answer, message_id))
        generation = self._generation.get(conversation_id, 0) + 1
        self._generation[conversation_id] = generation
        await asyncio.sleep(self.delay)
        if self._generation.get(conversation_id) != generation:
            return []  # a newer turn arrived while waiting; its call extracts this one too
        return await self.extract(conversation_id, self._waiting.pop(conversation_id, []))

    async def extract(self, conversation_id: str, turns: list[Exchange]) -> list[MemoryItem]:
        """One model call over `turns`; returns the items stored (or merged)."""
        settings = await asyncio.to_thread(self.service.settings)
        if not turns or not settings.auto:
            return []
        query = " ".join(t.user_text for t in turns[-MAX_TURNS:])
        existing = [item for item, _ in await asyncio.to_thread(self.service.search, query, EXISTING_SHOWN)]
        try:
            reply = await self.completer(extraction_messages(existing, turns), json_schema=EXTRACT_SCHEMA)
        except Exception as exc:  # the light model being down must never surface in a chat
            log.warning("memory extraction failed: %s", exc)
            return []
        proposals = parse_reply(reply)
        known = {item.id for item in existing}
        source = (conversation_id, turns[-1].message_id)
        return await asyncio.to_thread(self._store, proposals, source, settings.approval, known)

    def _store(
        self, proposals: list[Proposal], source: tuple[str, int | None], pending: bool, known: set[int | None]
    ) -> list[MemoryItem]:
        stored = []
        conversation_id, message_id = source
        for p in proposals:
            fields = dict(source=MemorySource.chat, conversation_id=conversation_id, message_id=message_id,
                          confidence=p.confidence, pending=pending)
            try:
                kind = parse_kind(p.kind)
                if p.replaces is not None and p.replaces in known:
                    stored.append(self.service.replace(p.replaces, p.content, kind, **fields))
                else:
                    stored.append(self.service.add(p.content, kind, **fields))
            except (InvalidMemory, MemoryNotFound) as exc:  # bad text, or the old item was deleted meanwhile
                log.info("memory extraction: proposal skipped (%s)", exc.message)
        if stored:
            log.info("memory: %d item(s) from conversation %s", len(stored), conversation_id)
        return stored
