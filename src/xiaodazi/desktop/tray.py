"""The tray icon (Qt, on pywebview's own QApplication): menu, busy indicator, notices.

Everything Qt happens on the GUI thread: other threads reach the icon through a queued signal, and
menu actions hand their work to a new thread (calling a window from a GUI-loop callback deadlocks).
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

log = logging.getLogger(__name__)
POLL_MS = 400
BUSY_DOT = "#3451B2"  # the UI's accent (ink blue)
WAITING_DOT = "#D9480F"  # a task waits for the user's approval or answer


def make_tray(shell: Any) -> Any:
    """A Tray on pywebview's QApplication; None when the desktop has no tray to show it in."""
    import webview.platforms.qt  # noqa: F401 - must come before the QApplication exists
    from qtpy.QtCore import QObject, QTimer, Signal
    from qtpy.QtWidgets import QApplication, QMenu, QSystemTrayIcon

    app = QApplication.instance() or QApplication(sys.argv)
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None

    class Messages(QObject):
        show = Signal(str, str)

    class Tray:
        """The icon, its menu and the 400 ms poll that shows whether a task is running."""

        def __init__(self) -> None:
            self.icons = {state: _icon(app, dot) for state, dot in
                          (("idle", None), ("busy", BUSY_DOT), ("waiting", WAITING_DOT))}
            self.state = "idle"
            self.icon = QSystemTrayIcon(self.icons["idle"])
            self.menu = QMenu()
            for label, action in _entries(shell):
                self.menu.addAction(label).triggered.connect(
                    lambda _=False, a=action: threading.Thread(target=a, daemon=True).start())
            self.icon.setContextMenu(self.menu)
            self.icon.activated.connect(self._activated)
            self.icon.setToolTip("小搭子 xiaodazi")
            self.messages = Messages()
            self.messages.show.connect(self._show_message)
            self.timer = QTimer()
            self.timer.timeout.connect(self.poll)
            self.timer.start(POLL_MS)
            self.icon.show()

        def notify(self, title: str, text: str) -> None:
            """Show a tray balloon / OS notification; safe from any thread."""
            self.messages.show.emit(title, text)

        def _show_message(self, title: str, text: str) -> None:
            self.icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 5000)
            shell.bridge.status.setdefault("tray_messages", []).append(title)

        def _activated(self, reason: Any) -> None:
            if reason == QSystemTrayIcon.ActivationReason.Trigger:  # a left click opens the window
                threading.Thread(target=shell.focus, daemon=True).start()

        def poll(self) -> None:
            """Idle, busy (a task runs) or waiting (a task waits for the user): icon, tooltip and status."""
            try:
                self._poll()
            except Exception:  # an exception escaping a Qt slot would abort the whole app
                log.exception("tray state update failed")

        def _poll(self) -> None:
            active = shell.app.state.services.runs.all_active()
            waiting = sum(1 for run in active if run.pending)
            state = "waiting" if waiting else "busy" if active else "idle"
            shell.bridge.status["tray_state"] = state
            if state == self.state:
                return
            self.state = state
            self.icon.setIcon(self.icons[state])
            self.icon.setToolTip({"idle": "小搭子 xiaodazi",
                                  "busy": f"小搭子 · 正在执行 {len(active)} 个任务 / {len(active)} task(s) running",
                                  "waiting": f"小搭子 · {waiting} 个任务等你确认 / {waiting} task(s) need you"}[state])

    return Tray()


def _entries(shell: Any) -> list[tuple[str, Any]]:
    return [("快问 Quick ask", lambda: shell.quick_ask({})), ("打开小搭子 Open xiaodazi", shell.focus),
            ("新对话 New conversation", shell.new_conversation), ("停止任务 Stop the running task", shell.stop),
            ("退出 Quit", shell.quit)]


def _icon(app: Any, dot: str | None) -> Any:
    """The app icon, with a coloured dot in the corner for the busy and waiting states."""
    from qtpy.QtCore import Qt
    from qtpy.QtGui import QColor, QIcon, QPainter
    from qtpy.QtWidgets import QStyle

    path = _icon_path()
    base = QIcon(path) if path else app.style().standardIcon(QStyle.StandardPixmap.SP_ComputerIcon)
    if dot is None:
        return base
    pixmap = base.pixmap(64, 64)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(dot))
    painter.drawEllipse(36, 36, 26, 26)
    painter.end()
    return QIcon(pixmap)


def _icon_path() -> str | None:
    from xiaodazi.config import resource_root

    icon = resource_root() / "web" / "dist" / "favicon.png"
    return str(icon) if icon.exists() else None
