"""What the model sees: history turned into chat messages, kept within the context window."""

from __future__ import annotations

import json
from typing import Any

OMITTED_NOTE = "[Earlier messages of this conversation were left out to fit the model's context window.]"
INTERRUPTED_RESULT = "[no result: the run was interrupted before this tool finished]"


def estimate_tokens(value: Any) -> int:
    """A fast token estimate: CJK characters count one each, other text about four characters a token."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    cjk = sum(1 for ch in text if "\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    return cjk + (len(text) - cjk) // 4 + 1


def messages_tokens(messages: list[dict[str, Any]]) -> int:
    return sum(estimate_tokens(m.get("content") or "") + estimate_tokens(m.get("tool_calls") or "") + 4
               for m in messages)


def repair_tool_pairs(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every assistant tool call must be answered by a tool message; add placeholders where a crash cut them."""
    out: list[dict[str, Any]] = []
    answered = {m.get("tool_call_id") for m in messages if m["role"] == "tool"}
    called: set[str] = set()
    for msg in messages:
        if msg["role"] == "tool" and msg.get("tool_call_id") not in called:
            continue  # a result whose call is gone: providers reject it
        out.append(msg)
        for call in msg.get("tool_calls") or []:
            called.add(call.get("id"))
            if call.get("id") not in answered:
                out.append({"role": "tool", "tool_call_id": call["id"], "content": INTERRUPTED_RESULT})
    return out


def _turn_starts(messages: list[dict[str, Any]]) -> list[int]:
    return [i for i, m in enumerate(messages) if m["role"] == "user"]


def fit_window(system: list[dict[str, Any]], history: list[dict[str, Any]], budget: int) -> list[dict[str, Any]]:
    """Drop the oldest whole turns until system + history fit `budget` tokens; never the last user turn."""
    fixed = messages_tokens(system)
    starts = _turn_starts(history)
    dropped = False
    while messages_tokens(history) + fixed > budget and len(starts) > 1:
        history = history[starts[1]:]
        starts = _turn_starts(history)
        dropped = True
    if dropped:
        return [*system, {"role": "user", "content": OMITTED_NOTE},
                {"role": "assistant", "content": "OK."}, *history]
    return [*system, *history]
