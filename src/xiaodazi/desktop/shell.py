"""The native window (pywebview), the quick-ask window and the tray icon (Qt on Linux)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from xiaodazi.config import Settings

log = logging.getLogger(__name__)
GEOMETRY_FILE = "window.json"


class JsBridge:
    """What the page may ask of the desktop (window.pywebview.api): kept deliberately small."""

    def __init__(self, shell: DesktopShell) -> None:
        self._shell = shell

    def pick_folder(self) -> str | None:
        """Let the user choose a folder and grant it to the agent."""
        import webview

        chosen = self._shell.main.create_file_dialog(webview.FileDialog.FOLDER)
        if not chosen:
            return None
        folder = str(Path(chosen[0]).resolve())
        self._shell.api("PUT", "settings", {"granted_folders": sorted({*self._shell.granted(), folder})})
        return folder

    def open_external(self, url: str) -> bool:
        """Open a web link in the system browser (http and https only)."""
        if not url.startswith(("http://", "https://")):
            return False
        return webbrowser.open(url)

    def reveal(self, path: str) -> bool:
        """Show a workspace file in the system file manager."""
        target = (self._shell.settings.workspace / path).resolve()
        if not target.is_relative_to(self._shell.settings.workspace.resolve()) or not target.exists():
            return False
        if sys.platform == "win32":
            subprocess.Popen(["explorer", "/select,", str(target)])
        elif sys.platform == "darwin":
            subprocess.Popen(["open", "-R", str(target)])
        else:
            subprocess.Popen(["xdg-open", str(target.parent)])
        return True


class DesktopShell:
    """Owns the windows and the tray; registers the desktop commands on the app's bridge."""

    def __init__(self, settings: Settings, app: Any, url: str, quick_text: str | None = None) -> None:
        self.settings = settings
        self.app = app
        self.url = url
        self.quick_text = quick_text
        self.main: Any = None
        self.quick: Any = None
        self.tray: Any = None
        self.hotkeys: Any = None
        self.quitting = False

    # the local API, as the page sees it ------------------------------------------------------

    def api(self, method: str, path: str, body: dict | None = None) -> Any:
        response = httpx.request(method, self.url + "api/" + path, json=body, timeout=10,
                                 headers={"Authorization": f"Bearer {self.settings.token}"})
        response.raise_for_status()
        return response.json() if response.content else None

    def granted(self) -> list[str]:
        return list(self.api("GET", "settings").get("granted_folders") or [])

    @property
    def bridge(self):
        return self.app.state.services.desktop

    def page(self, route: str = "", **query: str) -> str:
        params = "&".join(f"{k}={quote(v)}" for k, v in {"token": self.settings.token, **query}.items())
        return f"{self.url}{route}?{params}"

    # windows --------------------------------------------------------------------------------

    def _window_state(self) -> dict[str, Any]:
        try:
            saved = json.loads((self.settings.data_dir / GEOMETRY_FILE).read_text())
            return saved if isinstance(saved, dict) else {}
        except (OSError, ValueError):
            return {}

    def _geometry(self) -> dict[str, int]:
        saved = self._window_state()
        try:
            geometry = {k: int(saved[k]) for k in ("width", "height", "x", "y") if k in saved}
        except (TypeError, ValueError):
            geometry = {}
        return geometry if "width" in geometry and "height" in geometry else {"width": 1200, "height": 800}

    def _save_geometry(self) -> None:
        if self.main is None:
            return
        self._remember(width=self.main.width, height=self.main.height, x=self.main.x, y=self.main.y)

    def _remember(self, **fields: Any) -> None:
        """Merge into window.json (geometry and one-time notices share it)."""
        (self.settings.data_dir / GEOMETRY_FILE).write_text(json.dumps({**self._window_state(), **fields}))

    def run(self) -> int:
        """Open the windows and run the GUI loop on this (the main) thread until quit."""
        if os.name == "posix" and hasattr(os, "geteuid") and os.geteuid() == 0:
            os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
        import webview

        gui = "qt" if sys.platform.startswith("linux") else None
        self.main = webview.create_window("小搭子 xiaodazi", self.page(), js_api=JsBridge(self), **self._geometry(),
                                          min_size=(720, 480))
        self._wire_events()
        self._register_commands()
        if gui == "qt":
            from xiaodazi.desktop.tray import make_tray

            self.tray = make_tray(self)
        self.bridge.status["tray"] = self.tray is not None
        # private_mode: pywebview's Qt backend gives each window its own persistent profile on the same
        # folder, and the second window (quick ask) then never loads; settings live on the server anyway
        webview.start(self._started, gui=gui, private_mode=True)
        return 0

    def _started(self) -> None:
        if self.quick_text:
            self.quick_ask({"text": self.quick_text})
        from xiaodazi.desktop.hotkeys import Hotkeys

        self.hotkeys = Hotkeys()  # after the window is up: registering never delays the first paint
        try:
            settings = self.api("GET", "settings")
        except httpx.HTTPError as exc:  # the defaults still apply; the reason is logged
            log.warning("settings unreadable, global hotkeys use the defaults: %s", exc)
            settings = {}
        self.apply_hotkeys(settings)

    def apply_hotkeys(self, settings: dict | None = None) -> dict:
        """(Re)register the global hotkeys from the settings; the result (and any conflict) goes to the status."""
        from xiaodazi.core.hotkeys import DEFAULTS

        if self.hotkeys is None:
            return {}
        settings = settings or {}  # the API fills in the defaults; these cover settings that could not be read
        wanted = {"quick_ask": (settings.get("quick_ask_hotkey", DEFAULTS["quick_ask"]), lambda: self.quick_ask({})),
                  "stop": (settings.get("stop_hotkey", DEFAULTS["stop"]), self.emergency_stop)}
        status = {"backend": self.hotkeys.backend_name, **self.hotkeys.apply(wanted)}
        self.bridge.status["hotkeys"] = status
        return status

    def _wire_events(self) -> None:
        status = self.bridge.status
        self.main.events.shown += lambda: status.update(window="shown")
        self.main.events.loaded += lambda: status.update(ui_loaded=True)
        self.main.events.closing += self._on_closing

    def _on_closing(self) -> bool | None:
        """Closing hides to the tray when there is one (and the setting allows); otherwise it quits."""
        log.info("the window is closing (quitting=%s, tray=%s)", self.quitting, self.tray is not None)
        self._save_geometry()
        if self.quitting or self.tray is None or not self._close_to_tray():
            self.quitting = True
            if self.quick is not None:
                threading.Thread(target=self.quick.destroy, daemon=True).start()
            return None
        threading.Thread(target=self.main.hide, daemon=True).start()  # never call the window from its own event
        self.bridge.status["window"] = "hidden"
        self._first_close_notice()
        return False

    def _first_close_notice(self) -> None:
        """The first time closing hides the window, say where it went (once per data folder)."""
        if self._window_state().get("tray_notice_shown"):
            return
        self.tray.notify("小搭子仍在运行 / xiaodazi is still running",
                         "窗口已收进托盘，从托盘图标打开或退出；可在 设置 › 桌面 里改为关闭即退出。\n"
                         "The window went to the tray: open or quit it from the tray icon, or make closing quit "
                         "in Settings › Desktop.")
        self._remember(tray_notice_shown=True)

    def _on_quick_closing(self) -> bool | None:
        if self.quitting:
            return None
        threading.Thread(target=self.quick.hide, daemon=True).start()
        self.bridge.status["quick"] = "hidden"
        return False

    def _close_to_tray(self) -> bool:
        try:
            return self.api("GET", "settings").get("close_to_tray") is not False
        except httpx.HTTPError:
            return True

    # commands (from the tray, a second launch, or the page) ---------------------------------

    def _register_commands(self) -> None:
        for name in ("focus", "quick_ask", "new_conversation", "stop", "quit"):
            self.bridge.register(name, getattr(self, name))
        self.bridge.register("hotkeys", self.apply_hotkeys)

    def focus(self, _body: dict | None = None) -> str:
        self.bridge.status["focus_requests"] = self.bridge.status.get("focus_requests", 0) + 1
        self.main.show()
        self.main.restore()
        self.bridge.status["window"] = "shown"
        return "focused"

    def quick_ask(self, body: dict | None = None) -> str:
        """Open the small always-on-top window; with text, it asks straight away."""
        import webview

        text = (body or {}).get("text") or ""
        url = self.page("quick", q=text) if text else self.page("quick")
        if self.quick is None:  # made on first use: a hidden second window at start-up breaks Qt's first page
            self.quick = webview.create_window("快问 Quick ask", url, width=560, height=420, on_top=True)
            self.quick.events.closing += self._on_quick_closing
        elif text or self.bridge.status.get("quick") != "shown":
            self.quick.load_url(url)  # a fresh ask; pressing the hotkey again keeps an answer being read
            self.quick.show()
        else:
            self.quick.show()
        self.bridge.status["quick"] = "shown"
        self.bridge.status["quick_asks"] = self.bridge.status.get("quick_asks", 0) + 1
        return "quick ask opened"

    def new_conversation(self, _body: dict | None = None) -> str:
        self.focus()
        self.main.load_url(self.page())
        return "new conversation"

    def stop(self, _body: dict | None = None) -> int:
        """Stop every running task (the tray's "stop" and the emergency hotkey)."""
        return self.app.state.services.runs.cancel_all_threadsafe()

    def emergency_stop(self) -> int:
        """The stop hotkey: every task (desktop control included) stops now, and the user is told so."""
        stopped = self.stop()
        self.bridge.status["emergency_stops"] = self.bridge.status.get("emergency_stops", 0) + 1
        if self.tray is not None:
            self.tray.notify("已紧急停止 / Stopped", f"停止了 {stopped} 个任务 / stopped {stopped} task(s)")
        log.info("emergency stop: %d task(s) stopped", stopped)
        return stopped

    def quit(self, _body: dict | None = None) -> str:
        self.quitting = True
        self._save_geometry()
        threading.Thread(target=self._destroy_all, daemon=True).start()
        return "quitting"

    def _destroy_all(self) -> None:
        if self.hotkeys is not None:
            self.hotkeys.close()
        for window in (w for w in (self.quick, self.main) if w is not None):
            try:
                window.destroy()
            except Exception:  # already gone
                log.debug("window already closed")
