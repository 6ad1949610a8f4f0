"""Tools that talk to the run itself: update_plan and ask_user (built with the agent loop)."""

from __future__ import annotations

from xiaodazi.core.tools import ToolSpec

TOOLS: list[ToolSpec] = []
