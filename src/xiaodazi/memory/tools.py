"""Memory tools for the model: remember, forget and recall (reached via `ctx.service("memory")`)."""

from __future__ import annotations

import asyncio
from typing import Any

from xiaodazi.core.tools import Gate, Risk, ToolContext, ToolOutput, ToolRetry, ToolSpec, Verdict, tool
from xiaodazi.memory.model import InvalidMemory, MemoryItem, MemoryNotFound, MemorySource


def _own_memory(_ctx: ToolContext, _args: dict[str, Any]) -> Gate:
    # These write only xiaodazi's own memory, which the user sees in MEMORY.md and can undo.
    return Gate(Verdict.allow, reason="changes only the assistant's visible, editable memory")


def _public(item: MemoryItem) -> dict[str, Any]:
    return {"id": item.id, "content": item.content, "kind": str(item.kind)}


@tool(risk=Risk.write, gate=_own_memory)
async def remember(ctx: ToolContext, text: str, kind: str | None = None) -> ToolOutput:
    """Save a lasting fact, preference or standing instruction about the user for future conversations. Use when the user asks you to remember something ("记住…", "remember that…"); not for one-off task details.

    Args:
        text: one short standalone sentence in the user's language, e.g. "我喜欢简洁的回答"
        kind: preference, profile, project or instruction (default preference)
    """
    memory = ctx.service("memory")
    try:
        item = await asyncio.to_thread(memory.add, text, kind, source=MemorySource.tool,
                                       conversation_id=ctx.conversation_id)
    except InvalidMemory as exc:
        raise ToolRetry(exc.message) from exc
    return ToolOutput(f"已记住 / remembered (#{item.id}): {item.content}", data=_public(item))


@tool(risk=Risk.write, gate=_own_memory)
async def forget(ctx: ToolContext, query: str = "", memory_id: int | None = None) -> ToolOutput:
    """Delete remembered items when the user asks you to forget something ("忘掉…", "forget that I…").

    Args:
        query: words of the memory to forget, e.g. "咖啡" or "likes coffee"
        memory_id: the exact id, when known from recall
    """
    memory = ctx.service("memory")
    if memory_id is not None:
        try:
            gone = [await asyncio.to_thread(memory.delete, memory_id, "forgotten on request")]
        except MemoryNotFound as exc:
            raise ToolRetry(f"no memory #{memory_id}; call recall to find the right id") from exc
    elif query.strip():
        try:
            gone = await asyncio.to_thread(memory.forget, query)
        except InvalidMemory as exc:  # too many matches: the model should pick ids
            raise ToolRetry(f"{exc.message}. Call forget again with memory_id for each one the user meant.") from exc
    else:
        raise ToolRetry("give the words of the memory to forget, or its id")
    if not gone:
        return ToolOutput(f"没有找到匹配“{query}”的记忆 / nothing in memory matches {query!r}", data={"forgotten": []})
    lines = "; ".join(f"#{i.id} {i.content}" for i in gone)
    return ToolOutput(f"已忘记 / forgotten: {lines}", data={"forgotten": [_public(i) for i in gone]})


@tool(risk=Risk.read)
async def recall(ctx: ToolContext, query: str, k: int = 5) -> ToolOutput:
    """Search what you remember about the user (names, preferences, projects) when it may matter for the answer.

    Args:
        query: what to look for, in any language, e.g. "饮食禁忌" or "allergies"
        k: how many memories to return (1-10)
    """
    memory = ctx.service("memory")
    found = await asyncio.to_thread(memory.search, query, max(1, min(k, 10)), True)
    if not found:
        return ToolOutput("没有相关的记忆 / no matching memories", data={"matches": []})
    matches = [{**_public(item), "score": round(s.score, 3)} for item, s in found]
    return ToolOutput("\n".join(f"#{m['id']} [{m['kind']}] {m['content']}" for m in matches),
                      data={"matches": matches})


TOOLS: list[ToolSpec] = [remember, forget, recall]
