"""Small X11 helpers for the desktop tests: a virtual display with a tray, windows by size, clicks, closing."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.display import xvfb

# a squatter: another program that already holds a global hotkey (argv: keysym name, then modifier mask)
SQUATTER = """
import sys, time
from Xlib import X, XK, display
d = display.Display()
code = d.keysym_to_keycode(XK.string_to_keysym(sys.argv[1]))
for extra in (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask):
    d.screen().root.grab_key(code, int(sys.argv[2]) | extra, True, X.GrabModeAsync, X.GrabModeAsync)
d.sync()
print("grabbed", flush=True)
time.sleep(600)
"""


def xvfb_with_tray(tray: bool = True):
    """A fresh Xvfb with a `trayer` system tray on it; yields the environment to reach it."""
    return xvfb(tray=tray)


def squat(env: dict[str, str], keysym: str, mask: int) -> subprocess.Popen:
    """Start another program holding keysym+mask as its global hotkey; returns once the grab is made."""
    proc = subprocess.Popen([sys.executable, "-c", SQUATTER, keysym, str(mask)], env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = [proc.stdout.readline().strip()]
    while lines[-1] and lines[-1] != "grabbed":  # python-xlib prints its cookie warning on stdout
        lines.append(proc.stdout.readline().strip())
    assert lines[-1] == "grabbed", lines
    return proc


def _connect(env: dict[str, str]):
    """An Xlib connection to the test display (Xlib reads the cookie path from this process's environment)."""
    from Xlib import display

    saved = os.environ.get("XAUTHORITY")
    os.environ["XAUTHORITY"] = env["XAUTHORITY"]
    try:
        return display.Display(env["DISPLAY"])
    finally:
        if saved is None:
            os.environ.pop("XAUTHORITY")
        else:
            os.environ["XAUTHORITY"] = saved


def _windows(env: dict[str, str]) -> list[tuple[int, int, int, int, int, bool]]:
    """(id, x, y, width, height, mapped) of every window of ours (WM_CLASS set by Qt) on the display."""
    from Xlib import X

    d = _connect(env)
    root, found = d.screen().root, []

    def walk(window) -> None:
        for child in window.query_tree().children:
            try:
                cls, geo = child.get_wm_class(), child.get_geometry()
                pos = child.translate_coords(root, 0, 0)
                mapped = child.get_attributes().map_state == X.IsViewable
            except Exception:  # a window closed while we looked
                continue
            if cls and "trayer" not in [c.lower() for c in cls]:
                found.append((child.id, -pos.x, -pos.y, geo.width, geo.height, mapped))
            walk(child)

    walk(root)
    d.close()
    return found


def tray_icon_centre(env: dict[str, str]) -> tuple[int, int] | None:
    """Where our icon sits inside the tray (a small window of ours), or None before it is docked."""
    small = [w for w in _windows(env) if w[3] <= 64 and w[4] <= 64 and w[5] and w[2] > 700]
    return (small[0][1] + small[0][3] // 2, small[0][2] + small[0][4] // 2) if small else None


def mapped_window(env: dict[str, str], width: int) -> int | None:
    """The id of our visible top-level window that is `width` pixels wide (1200 main, 560 quick ask)."""
    return next((w[0] for w in _windows(env) if w[3] == width and w[5]), None)


def xdotool(env: dict[str, str], *args: str) -> None:
    subprocess.run(["xdotool", *args], env={**os.environ, **env}, check=True, timeout=30)


def close_window(env: dict[str, str], window_id: int) -> None:
    """Ask the window to close as a window manager's close button does (WM_DELETE_WINDOW)."""
    from Xlib import X, protocol

    d = _connect(env)
    window = d.create_resource_object("window", window_id)
    message = protocol.event.ClientMessage(
        window=window, client_type=d.intern_atom("WM_PROTOCOLS"),
        data=(32, [d.intern_atom("WM_DELETE_WINDOW"), X.CurrentTime, 0, 0, 0]))
    window.send_event(message)
    d.flush()
    d.close()
