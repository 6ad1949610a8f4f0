"""Starting applications and listing windows on Linux (X11), macOS and Windows, without a shell."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from xiaodazi.core.tools import ToolFailed, ToolRetry

DESKTOP_DIRS = ("~/.local/share/applications", "/usr/share/applications", "/usr/local/share/applications")


def _detached(argv: list[str]) -> int:
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    return proc.pid


def _linux_launch(name: str) -> int:
    exe = shutil.which(name) if "/" not in name else None
    if exe:
        return _detached([exe])
    entry = f"{name}.desktop"
    if shutil.which("gtk-launch") and any((Path(d).expanduser() / entry).is_file() for d in DESKTOP_DIRS):
        return _detached(["gtk-launch", entry])
    raise ToolRetry(f"找不到应用 / no application named {name!r} (not a command on PATH nor a .desktop entry)")


def launch(name: str) -> int | None:
    """Start the application `name` detached from us; its pid where the OS tells it."""
    name = name.strip()
    if not name or any(c in name for c in "\0\n\r") or name.startswith("-"):
        raise ToolRetry("give an application name, without arguments")
    if sys.platform == "darwin":
        result = subprocess.run(["open", "-a", name], capture_output=True, text=True, timeout=20)
        if result.returncode:
            raise ToolRetry(f"找不到应用 / cannot open {name!r}: {result.stderr.strip()}")
        return None
    if sys.platform.startswith("win"):
        try:
            os.startfile(name)  # type: ignore[attr-defined]  # ShellExecute: no shell parsing of the name
        except OSError as exc:
            raise ToolRetry(f"找不到应用 / cannot open {name!r}: {exc}") from exc
        return None
    return _linux_launch(name)


def _x11_title(win: Any, display: Any) -> str:
    for prop, kind in (("_NET_WM_NAME", display.intern_atom("UTF8_STRING")), ("WM_NAME", 0)):
        value = win.get_full_property(display.intern_atom(prop), kind)
        if value is not None and value.value:
            raw = value.value
            return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return ""


def _x11_windows() -> list[dict[str, Any]]:
    from Xlib import X, display

    d = display.Display()
    try:
        root = d.screen().root
        clients = root.get_full_property(d.intern_atom("_NET_CLIENT_LIST"), X.AnyPropertyType)
        wins = [d.create_resource_object("window", w) for w in clients.value] if clients else root.query_tree().children
        found = []
        for win in wins:
            attrs, title = win.get_attributes(), _x11_title(win, d)
            if attrs.map_state != X.IsViewable or not title:
                continue
            geo = win.get_geometry()
            pos = win.translate_coords(root, 0, 0)
            found.append({"title": title, "x": -pos.x, "y": -pos.y, "width": geo.width, "height": geo.height})
        return found
    finally:
        d.close()


def _pygetwindow_windows() -> list[dict[str, Any]]:
    import pygetwindow

    return [{"title": w.title, "x": w.left, "y": w.top, "width": w.width, "height": w.height}
            for w in pygetwindow.getAllWindows() if w.title]


def windows() -> list[dict[str, Any]]:
    """Visible top-level windows: title and screen rectangle."""
    try:
        if sys.platform.startswith("linux"):
            if not os.environ.get("DISPLAY"):
                raise ToolFailed("没有 X11 显示 / no X11 display (DISPLAY is not set)")
            return _x11_windows()
        return _pygetwindow_windows()
    except ToolFailed:
        raise
    except Exception as exc:  # the window system refused us (no access, Wayland-only session, ...)
        raise ToolFailed(f"无法列出窗口 / cannot list windows: {type(exc).__name__}: {exc}") from exc
