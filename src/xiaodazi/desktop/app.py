"""Desktop mode: the local server in a thread, then a native window on the bundled UI.

Without a display the app says so and keeps serving on loopback (pywebview would abort the
whole process otherwise). A second launch hands its request to the running app and exits.
"""

from __future__ import annotations

import os
import sys
import time

from xiaodazi.config import Settings
from xiaodazi.desktop.instance import (
    InstanceLock,
    clear_instance,
    running_instance,
    send_command,
    write_instance,
)


def display_available() -> bool:
    """Windows and macOS always have one; Linux needs a reachable X11 or Wayland display.

    Qt aborts the whole process (server included) when it cannot open the display, so check first.
    """
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("WAYLAND_DISPLAY"):
        return True
    return _x_display_reachable(os.environ.get("DISPLAY", ""))


def _x_display_reachable(display: str) -> bool:
    import socket

    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return False
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(2)
            return sock.connect_ex(path) == 0
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex((host, 6000 + int(number))) == 0


def xauthority_fallback() -> None:
    """python-xlib (global hotkeys, pyautogui) refuses to connect when the X cookie file is missing, while
    Qt and the X server are fine without it; point it at an empty file then, which means the same: no cookie."""
    if not sys.platform.startswith("linux") or not os.environ.get("DISPLAY"):
        return
    cookie = os.environ.get("XAUTHORITY") or os.path.join(os.path.expanduser("~"), ".Xauthority")
    if not os.path.exists(cookie):
        os.environ["XAUTHORITY"] = os.devnull


def hand_over(settings: Settings, command: str, body: dict | None = None, wait: float = 15.0) -> bool:
    """Pass the request to an app already running on this data folder; False when there is none."""
    deadline = time.monotonic() + wait
    while True:
        info = running_instance(settings.data_dir)
        if info is not None:
            send_command(info, command, body)
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)


def run_desktop(settings: Settings, quick_text: str | None = None) -> int:
    """Start (or hand over to) the desktop app; returns the process exit code."""
    import secrets

    from xiaodazi.logs import setup_logging
    from xiaodazi.server import ThreadedServer, build_app, free_port

    settings.ensure_dirs()
    lock = InstanceLock(settings.data_dir)
    request = ("quick_ask", {"text": quick_text}) if quick_text else ("focus", None)
    if not lock.acquire():
        if hand_over(settings, *request):
            print("xiaodazi is already running; handed over to it.", flush=True)
            return 0
        print("xiaodazi seems to be starting or stuck (the data folder is locked).", file=sys.stderr)
        return 1
    settings.host = "127.0.0.1"
    if "port" not in settings.model_fields_set:  # a free port unless XIAODAZI_PORT pins one
        settings.port = free_port()
    settings.token = secrets.token_urlsafe(32)
    setup_logging(settings)
    app = build_app(settings)
    server = ThreadedServer(app, settings.host, settings.port)
    server.start()
    url = f"http://127.0.0.1:{settings.port}/"
    write_instance(settings.data_dir, url, settings.token)
    try:
        if not display_available():
            return _serve_without_window(settings, server, url)
        from xiaodazi.desktop.shell import DesktopShell

        xauthority_fallback()
        return DesktopShell(settings, app, url, quick_text).run()
    finally:
        clear_instance(settings.data_dir)
        server.stop()


def _serve_without_window(settings: Settings, server, url: str) -> int:
    print("No display found (DISPLAY / WAYLAND_DISPLAY unset or unreachable): the window cannot open; "
          "serving instead.\n"
          "没有检测到显示器：无法打开窗口，改为提供网页服务。", flush=True)
    print(f"open {url}?token={settings.token}", flush=True)
    try:
        server.thread.join()
    except KeyboardInterrupt:
        pass
    return 0
