"""The turn hook that offers matching skills to the model: names and descriptions only."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from xiaodazi.core.hooks import Contribution, TurnContext

if TYPE_CHECKING:
    from xiaodazi.skills.library import SkillLibrary

log = logging.getLogger(__name__)

PREAMBLE = (
    "Skills that may help with this request are listed below (name: description). "
    "Before following one, call load_skill(name) to read its instructions; "
    "skip them if they do not fit. Files of a skill are read with read_skill_file(name, path)."
)


def user_turns(history: list[dict[str, Any]]) -> list[str]:
    """Text of the earlier user messages, oldest first."""
    out = []
    for item in history:
        content = item.get("content")
        if item.get("role") == "user" and isinstance(content, str):
            out.append(content)
    return out


def skills_prompt(library: SkillLibrary, names: list[str]) -> str:
    """The system text listing the selected skills."""
    lines = [PREAMBLE]
    for name in names:
        skill = library.get(name)
        zh = f" ({skill.name_zh})" if skill.name_zh else ""
        lines.append(f"- {skill.name}{zh}: {skill.description}")
    return "\n".join(lines)


class SkillsHook:
    """TurnHook: ranks the enabled, ready skills against the message and lists the best few."""

    name = "skills"

    def __init__(self, library: SkillLibrary, k: int | None = None) -> None:
        self.library = library
        self.k = k

    def select(self, turn: TurnContext) -> list[str]:
        """Names of the skills to offer this turn (none for small talk)."""
        matches = self.library.match(turn.user_text, self.k, history=user_turns(turn.history))
        return [name for name, _score in matches]

    async def before_turn(self, turn: TurnContext) -> Contribution | None:
        """Nothing for small talk; otherwise a short list of skills and how to load them."""
        # The first call parses every SKILL.md: keep that off the event loop.
        names = await asyncio.to_thread(self.select, turn)
        if not names:
            return None
        log.debug("skills offered for run %s: %s", turn.run_id, names)
        tools = [t for n in names for t in self.library.get(n).allowed_tools]
        return Contribution(system=skills_prompt(self.library, names),
                            tool_names=[*tools, "read_skill_file", "run_skill_script"])

    async def after_turn(self, turn: TurnContext, answer: str) -> None:
        """Skills need nothing after a turn."""
        return None
