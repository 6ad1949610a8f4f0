"""Built-in tools. Each module exports `TOOLS: list[ToolSpec]`; this is the one list of them."""

from __future__ import annotations

import importlib

from xiaodazi.core.tools import ToolRegistry, ToolSpec

# Modules are imported when the registry is built, not at start-up; heavy libraries inside
# them (pyautogui, python-docx, ...) are imported only inside the tool functions.
TOOL_MODULES: list[str] = [
    "xiaodazi.tools.agent",
    "xiaodazi.skills.tools",
    "xiaodazi.tools.web",
    "xiaodazi.tools.documents",
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
