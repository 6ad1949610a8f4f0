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

    def _geometry(self) -> dict[str, int]:
        try:
            saved = json.loads((self.settings.data_dir / GEOMETRY_FILE).read_text())
            return {k: int(saved[k]) for k in ("width", "height", "x", "y") if k in saved}
        except (OSError, ValueError):
            return {"width": 1200, "height": 800}

    def _save_geometry(self) -> None:
        if self.main is None:
            return
        geometry = {"width": self.main.width, "height": self.main.height, "x": self.main.x, "y": self.main.y}
        (self.settings.data_dir / GEOMETRY_FILE).write_text(json.dumps(geometry))

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
            self.tray = _make_qt_tray(self)
        self.bridge.status["tray"] = self.tray is not None
        # private_mode: pywebview's Qt backend gives each window its own persistent profile on the same
        # folder, and the second window (quick ask) then never loads; settings live on the server anyway
        webview.start(self._started, gui=gui, private_mode=True)
        return 0

    def _started(self) -> None:
        if self.quick_text:
            self.quick_ask({"text": self.quick_text})

    def _wire_events(self) -> None:
        status = self.bridge.status
        self.main.events.shown += lambda: status.update(window="shown")
        self.main.events.loaded += lambda: status.update(ui_loaded=True)
        self.main.events.closing += self._on_closing

    def _on_closing(self) -> bool | None:
        """Closing hides to the tray when there is one (and the setting allows); otherwise it quits."""
        self._save_geometry()
        if self.quitting or self.tray is None or not self._close_to_tray():
            self.quitting = True
            if self.quick is not None:
                threading.Thread(target=self.quick.destroy, daemon=True).start()
            return None
        threading.Thread(target=self.main.hide, daemon=True).start()  # never call the window from its own event
        self.bridge.status["window"] = "hidden"
        return False

    def _on_quick_closing(self) -> bool | None:
        if self.quitting:
            return None
        threading.Thread(target=self.quick.hide, daemon=True).start()
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
        else:
            self.quick.load_url(url)
            self.quick.show()
        self.bridge.status["quick_asks"] = self.bridge.status.get("quick_asks", 0) + 1
        return "quick ask opened"

    def new_conversation(self, _body: dict | None = None) -> str:
        self.focus()
        self.main.load_url(self.page())
        return "new conversation"

    def stop(self, _body: dict | None = None) -> int:
        """Stop every running task (the tray's "stop" and the emergency hotkey)."""
        runs = self.app.state.services.runs
        active = [r.conversation_id for r in runs.all_active()]
        for conversation_id in active:
            runs.cancel(conversation_id)
        return len(active)

    def quit(self, _body: dict | None = None) -> str:
        self.quitting = True
        self._save_geometry()
        threading.Thread(target=self._destroy_all, daemon=True).start()
        return "quitting"

    def _destroy_all(self) -> None:
        for window in (w for w in (self.quick, self.main) if w is not None):
            try:
                window.destroy()
            except Exception:  # already gone
                log.debug("window already closed")


def _make_qt_tray(shell: DesktopShell) -> Any:
    """A tray icon on pywebview's own QApplication; None when the desktop has no tray."""
    import webview.platforms.qt  # noqa: F401 - must come before the QApplication exists
    from qtpy.QtGui import QIcon
    from qtpy.QtWidgets import QApplication, QMenu, QStyle, QSystemTrayIcon

    app = QApplication.instance() or QApplication(sys.argv)
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = QSystemTrayIcon(QIcon(_icon_path()) if _icon_path() else app.style().standardIcon(
        QStyle.StandardPixmap.SP_ComputerIcon))
    menu = QMenu()
    entries = [("快问 Quick ask", lambda: shell.quick_ask({})), ("打开 Open", shell.focus),
               ("新对话 New conversation", shell.new_conversation), ("停止任务 Stop task", shell.stop),
               ("退出 Quit", shell.quit)]
    for label, action in entries:
        # tray callbacks run on the GUI thread; calling into a window from there deadlocks
        menu.addAction(label).triggered.connect(lambda _=False, a=action: threading.Thread(target=a, daemon=True).start())
    tray.setContextMenu(menu)
    tray.setToolTip("小搭子 xiaodazi")
    tray.show()
    return tray


def _icon_path() -> str | None:
    from xiaodazi.config import resource_root

    icon = resource_root() / "web" / "dist" / "favicon.png"
    return str(icon) if icon.exists() else None
