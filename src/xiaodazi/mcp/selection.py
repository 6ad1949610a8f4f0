"""Offer the model only the MCP tools that fit the message when servers expose many of them."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING

from xiaodazi.core.hooks import Contribution, TurnContext
from xiaodazi.mcp.tools import McpToolSpec

if TYPE_CHECKING:
    from xiaodazi.mcp.manager import McpManager

_WORD = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Words so common in requests and tool descriptions that matching them says nothing.
STOPWORDS = frozenset(
    "a an the is are was be been of to in on at by for from with and or not no it its this that these those "
    "what which who how when where why can could would should will do does did me my you your i we our us "
    "please help get set give use using value values any all some one".split()
)


def terms(text: str) -> list[str]:
    """Lower-case words (snake and camel case split) and Chinese character bigrams."""
    words = _WORD.findall(_CAMEL.sub(" ", text).lower())
    grams = [run[i : i + 2] for run in _CJK.findall(text) for i in range(max(1, len(run) - 1))]
    return [w for w in words if (len(w) > 1 or w.isdigit()) and w not in STOPWORDS] + grams


class ToolIndex:
    """Term counts of a fixed set of tools, built once and reused while the set is unchanged."""

    def __init__(self, specs: list[McpToolSpec]) -> None:
        self.specs = specs
        self.key = tuple(id(s) for s in specs)
        self.docs = [Counter(terms(s.name.replace("__", " ")) * 2 + terms(s.description)) for s in specs]
        self.df = Counter(t for d in self.docs for t in d)

    def rank(self, message: str, limit: int) -> list[McpToolSpec]:
        """The `limit` tools whose names and descriptions share the rarest terms with the message."""
        n = len(self.specs)
        query = set(terms(message))
        scored = []
        for spec, doc in zip(self.specs, self.docs, strict=True):
            score = sum(math.log(1 + n / self.df[t]) * min(doc[t], 3) for t in query if t in doc)
            if score > 0:
                scored.append((score, spec.name, spec))
        scored.sort(key=lambda x: (-x[0], x[1]))
        return [spec for _, _, spec in scored[:limit]]


def rank(specs: list[McpToolSpec], message: str, limit: int) -> list[McpToolSpec]:
    """Rank tools against a message (builds a throwaway index)."""
    return ToolIndex(specs).rank(message, limit)


class McpToolHook:
    """TurnHook: all MCP tools when there are few, the best-matching ones when there are many."""

    name = "mcp"

    # `wait` stays below the agent's hook timeout (2 s): a server still starting then joins on a
    # later turn instead of the whole contribution being dropped.
    def __init__(self, manager: McpManager, *, all_up_to: int = 20, limit: int = 12, wait: float = 1.5) -> None:
        self.manager, self.all_up_to, self.limit, self.wait = manager, all_up_to, limit, wait
        self._index: ToolIndex | None = None

    async def before_turn(self, turn: TurnContext) -> Contribution | None:
        """Start servers lazily and offer their tools for this turn."""
        specs = await self.manager.tools(wait=self.wait)
        down = "".join(f"\nMCP server {n} is not available right now: {why}"
                       for n, why in self.manager.unavailable().items())
        if len(specs) <= self.all_up_to:
            return Contribution(system=down.strip(), tools=specs) if specs or down else None
        if self._index is None or self._index.key != tuple(id(s) for s in specs):
            self._index = ToolIndex(specs)  # specs are rebuilt only when a server's tools change
        recent = " ".join(str(m.get("content", "")) for m in turn.history[-2:] if m.get("role") == "user")
        chosen = self._index.rank(f"{turn.user_text} {recent}", self.limit)
        servers = sorted({s.server for s in specs})
        note = (f"MCP servers connected: {', '.join(servers)}. Only the tools that match the request are "
                "offered; name what you need to get others.")
        return Contribution(system=note + down, tools=chosen)

    async def after_turn(self, turn: TurnContext, answer: str) -> None:
        """Nothing to do after a turn."""
        return None
