"""Commands for the desktop shell (focus, quick ask, stop, quit); 404 when there is no window."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Body

from xiaodazi.api.deps import ServicesDep
from xiaodazi.core.errors import NotFound

router = APIRouter(prefix="/desktop", tags=["desktop"])


@router.get("/status")
def desktop_status(services: ServicesDep) -> dict[str, Any]:
    """Whether a desktop window is attached, and what it reports (window shown, UI loaded…)."""
    return {"attached": bool(services.desktop.commands), **services.desktop.status}


@router.post("/{command}")
async def run_desktop_command(services: ServicesDep, command: str,
                              body: dict[str, Any] | None = Body(default=None)) -> dict[str, Any]:
    """Run a shell command such as `focus`, `quick_ask` (`{"text"}`), `stop` or `quit`."""
    handler = services.desktop.commands.get(command)
    if handler is None:
        raise NotFound(f"no desktop command {command!r} here (is this a desktop window?)")
    result = await asyncio.to_thread(handler, body or {})
    return {"ok": True, "result": result}
