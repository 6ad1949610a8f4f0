"""The seam between the HTTP API and a desktop shell: named commands and a status the shell fills in.

The API only knows this object; the desktop layer registers handlers on it at start-up. In server
mode nothing is registered and the desktop routes answer 404.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class DesktopBridge:
    commands: dict[str, Callable[[dict[str, Any]], Any]] = field(default_factory=dict)
    status: dict[str, Any] = field(default_factory=dict)

    def register(self, name: str, handler: Callable[[dict[str, Any]], Any]) -> None:
        self.commands[name] = handler

    def note_api_call(self) -> None:
        """Called for every authenticated /api request: proves the UI is alive and talking."""
        self.status["api_calls"] = self.status.get("api_calls", 0) + 1
        self.status.setdefault("first_api_call_at", time.time())
