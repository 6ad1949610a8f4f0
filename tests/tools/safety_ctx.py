"""A real ToolContext for the safety tools: workspace, granted folder, outside folder, policy and journal."""

from __future__ import annotations

import os
from pathlib import Path

from xiaodazi.core.tools import ToolContext
from xiaodazi.tools.journal import Journal
from xiaodazi.tools.policy import POLICY_FILE, CommandPolicy


def safety_ctx(tmp_path: Path, run_id: str | None = "run-1", *, services: bool = True) -> ToolContext:
    """Folders under tmp_path: workspace/, granted/ (allowed), outside/ (not allowed), data/."""
    ws, granted, outside, data = (tmp_path / n for n in ("workspace", "granted", "outside", "data"))
    for folder in (ws, granted, outside, data):
        folder.mkdir(exist_ok=True)
    wired = {"policy": CommandPolicy(data / POLICY_FILE), "journal": Journal(data / "journal")} if services else {}
    return ToolContext(workspace=ws, data_dir=data, allowed_dirs=[granted], run_id=run_id, services=wired)


def tree(root: Path) -> dict[str, str]:
    """Every file under root with its text, and folders marked '/': a snapshot to compare."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        out[rel + "/" if path.is_dir() else rel] = "" if path.is_dir() else path.read_text(encoding="utf-8")
    return out


def isolate_trash(tmp_path: Path, monkeypatch) -> Path:
    """Point send2trash's home trash at tmp_path (it reads XDG_DATA_HOME once, at first import)."""
    import send2trash

    data_home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    backend = __import__(send2trash.send2trash.__module__, fromlist=["_"])
    if hasattr(backend, "HOMETRASH_B"):  # the freedesktop implementation used on Linux without gio
        monkeypatch.setattr(backend, "XDG_DATA_HOME", os.fsencode(data_home))
        monkeypatch.setattr(backend, "HOMETRASH_B", os.fsencode(data_home / "Trash"))
        monkeypatch.setattr(backend, "HOMETRASH", str(data_home / "Trash"))
    return data_home / "Trash"
