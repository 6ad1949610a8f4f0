"""Built-in tools. Each module exports `TOOLS: list[ToolSpec]`; this is the one list of them."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from xiaodazi.core.tools import ToolRegistry, ToolSpec

if TYPE_CHECKING:
    from xiaodazi.config import Settings

# Modules are imported when the registry is built, not at start-up; heavy libraries inside
# them (pyautogui, python-docx, ...) are imported only inside the tool functions.
TOOL_MODULES: list[str] = [
    "xiaodazi.tools.agent",
    "xiaodazi.skills.tools",
    "xiaodazi.memory.tools",
    "xiaodazi.tools.web",
    "xiaodazi.tools.documents",
    "xiaodazi.tools.files",
    "xiaodazi.tools.shell",
    "xiaodazi.tools.python_exec",
    "xiaodazi.tools.desktop",
    "xiaodazi.tools.system",
]


def builtin_tools() -> list[ToolSpec]:
    """Every built-in tool, in registration order."""
    specs: list[ToolSpec] = []
    for module in TOOL_MODULES:
        specs.extend(importlib.import_module(module).TOOLS)
    return specs


def build_registry(extra: list[ToolSpec] | None = None) -> ToolRegistry:
    """A registry with the built-in tools plus `extra` (skills, memory, MCP)."""
    return ToolRegistry([*builtin_tools(), *(extra or [])])


def build_tool_services(settings: Settings) -> dict[str, Any]:
    """The command policy and the undo journal that tools reach through `ctx.service(...)`."""
    from xiaodazi.tools.journal import Journal
    from xiaodazi.tools.policy import POLICY_FILE, CommandPolicy

    return {"policy": CommandPolicy(settings.data_dir / POLICY_FILE), "journal": Journal(settings.data_dir / "journal"),
            "web_allow_private": settings.web_allow_private}
