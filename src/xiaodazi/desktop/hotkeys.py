"""Global hotkeys (quick ask, emergency stop) registered with the OS, so they work from any application.

Linux/X11: a grab on the root window over an X connection of our own (python-xlib, already present for
pyautogui). Windows: RegisterHotKey on a thread with its own message queue. Other systems (macOS,
Wayland-only sessions) are reported as unsupported. Every failure (a combination another program
holds, an unknown key) is reported per hotkey in `status`, never swallowed.
"""

from __future__ import annotations

import logging
import os
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any

from xiaodazi.core.hotkeys import Hotkey, HotkeyError, parse_hotkey

log = logging.getLogger(__name__)

class Hotkeys:
    """The hotkeys of one desktop session: `apply({name: (combo, action)})` (re)registers them all."""

    def __init__(self) -> None:
        self.backend_name, self._backend = _make_backend()

    def apply(self, wanted: dict[str, tuple[str, Callable[[], Any]]]) -> dict[str, dict[str, Any]]:
        """Release the old hotkeys and register these; an empty combination turns one off."""
        status: dict[str, dict[str, Any]] = {}
        if self._backend is not None:
            self._backend.call(self._backend.release_all)
        for name, (combo, action) in wanted.items():
            status[name] = self._register(combo, action)
        for name, entry in status.items():
            if entry["error"]:
                log.warning("global hotkey %s (%s) not registered: %s", name, entry["combo"], entry["error"])
        return status

    def _register(self, combo: str, action: Callable[[], Any]) -> dict[str, Any]:
        if not combo:
            return {"combo": "", "ok": False, "error": None}
        try:
            hotkey = parse_hotkey(combo)
        except HotkeyError as exc:
            return {"combo": combo, "ok": False, "error": str(exc)}
        if self._backend is None:
            return {"combo": str(hotkey), "ok": False, "error": self.backend_name}
        error = self._backend.call(self._backend.grab, hotkey, action)
        entry = {"combo": str(hotkey), "ok": error is None, "error": error}
        if error is None and _wayland_session():
            entry["warning"] = WAYLAND_WARNING
        return entry

    def close(self) -> None:
        """Release every hotkey and stop the listening thread."""
        if self._backend is not None:
            self._backend.stop()


WAYLAND_WARNING = ("Wayland 桌面上，只有焦点在 X11 程序时快捷键才生效；可在系统设置里把快捷键绑定到 `xiaodazi quick-ask` / "
                   "on a Wayland desktop this works only while an X11 app has focus; bind a system shortcut to "
                   "`xiaodazi quick-ask` instead")


def _wayland_session() -> bool:
    """XWayland passes an X grab only the keys typed into X11 windows, so the grab is not really global there."""
    return os.environ.get("XDG_SESSION_TYPE") == "wayland" or bool(os.environ.get("WAYLAND_DISPLAY"))


def _make_backend() -> tuple[str, Any]:
    """The backend for this system, or (reason it is unsupported, None)."""
    try:
        if sys.platform == "win32":
            from xiaodazi.desktop.hotkeys_windows import WindowsBackend

            return "windows", WindowsBackend()
        if sys.platform.startswith("linux") and os.environ.get("DISPLAY"):
            return "x11", X11Backend(os.environ["DISPLAY"])
    except Exception as exc:  # no X connection, no user32, ...
        log.warning("global hotkeys unavailable: %s", exc)
        return f"全局快捷键不可用 / global hotkeys unavailable: {exc}", None
    if sys.platform == "darwin":
        return "macOS 暂不支持全局快捷键，请用菜单栏图标 / global hotkeys are not supported on macOS yet; " \
               "use the menu bar icon", None
    return "此桌面（Wayland）不允许程序注册全局快捷键 / this desktop (Wayland) does not let apps register " \
           "global hotkeys; bind one in the system settings to `xiaodazi quick-ask`", None


class Backend:
    """A thread that owns the OS resources; other threads hand it work through `call`."""

    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        self._stopped = threading.Event()
        self.thread = threading.Thread(target=self._main, name="hotkeys", daemon=True)

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run fn(*args) on the backend's thread and return its result."""
        if not self.thread.is_alive():
            return "快捷键线程已停止 / the hotkey listener has stopped"
        done: queue.Queue = queue.Queue(maxsize=1)
        self._jobs.put((fn, args, done))
        self.wake()
        try:
            ok, value = done.get(timeout=5)
        except queue.Empty:
            return "注册超时 / registering timed out"
        return value if ok else f"{value}"

    def _run_jobs(self) -> None:
        while True:
            try:
                fn, args, done = self._jobs.get_nowait()
            except queue.Empty:
                return
            try:
                done.put((True, fn(*args)))
            except Exception as exc:
                done.put((False, exc))

    def stop(self) -> None:
        if self.thread.is_alive():
            self.call(self.release_all)
        self._stopped.set()
        self.wake()

    def wake(self) -> None:
        """Make the thread look at its job queue (the X thread polls; Windows posts a message)."""

    def _main(self) -> None:
        raise NotImplementedError

    def grab(self, hotkey: Hotkey, action: Callable[[], Any]) -> str | None:
        raise NotImplementedError

    def release_all(self) -> None:
        raise NotImplementedError


def fire(action: Callable[[], Any]) -> None:
    """Run a hotkey's action off the listening thread, so a slow action never blocks the next key."""
    threading.Thread(target=action, name="hotkey-action", daemon=True).start()


class X11Backend(Backend):
    """XGrabKey on the root window; NumLock and CapsLock states are grabbed too so they do not matter."""

    def __init__(self, display: str) -> None:
        super().__init__()
        from Xlib import display as xdisplay

        self.display = xdisplay.Display(display)
        self.root = self.display.screen().root
        self.grabs: dict[tuple[int, int], Callable[[], Any]] = {}
        self.thread.start()

    def _masks(self, hotkey: Hotkey) -> int:
        from Xlib import X

        bits = {"Ctrl": X.ControlMask, "Alt": X.Mod1Mask, "Shift": X.ShiftMask, "Super": X.Mod4Mask}
        return sum(bits[m] for m in hotkey.modifiers)

    def _ignored(self) -> list[int]:
        from Xlib import X

        return [0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask]

    def grab(self, hotkey: Hotkey, action: Callable[[], Any]) -> str | None:
        """Grab the combination; None when it worked, the reason otherwise."""
        from Xlib import XK, X, error

        keysym = XK.string_to_keysym(_X11_NAMES.get(hotkey.key, hotkey.key.lower()))
        keycode = self.display.keysym_to_keycode(keysym) if keysym else 0
        if not keycode:
            return f"这个键盘上没有 {hotkey.key} / this keyboard has no {hotkey.key} key"
        mask = self._masks(hotkey)
        catcher = error.CatchError(error.BadAccess)
        for extra in self._ignored():
            self.root.grab_key(keycode, mask | extra, True, X.GrabModeAsync, X.GrabModeAsync, onerror=catcher)
        self.display.sync()
        if catcher.get_error():
            for extra in self._ignored():
                self.root.ungrab_key(keycode, mask | extra)
            self.display.sync()
            return f"{hotkey} 已被其他程序占用 / {hotkey} is already taken by another program"
        self.grabs[(keycode, mask)] = action
        return None

    def release_all(self) -> None:
        for keycode, mask in self.grabs:
            for extra in self._ignored():
                self.root.ungrab_key(keycode, mask | extra)
        self.grabs.clear()
        self.display.sync()

    def _main(self) -> None:
        import select

        from Xlib import X

        relevant = X.ControlMask | X.Mod1Mask | X.ShiftMask | X.Mod4Mask
        try:
            while not self._stopped.is_set():
                self._run_jobs()
                select.select([self.display], [], [], 0.2)
                for _ in range(self.display.pending_events()):
                    event = self.display.next_event()
                    if event.type == X.KeyPress:
                        action = self.grabs.get((event.detail, event.state & relevant))
                        if action is not None:
                            fire(action)
        except Exception:  # the X server went away
            log.exception("the hotkey listener stopped")
            return
        self.display.close()


_X11_NAMES = {"Space": "space", "Enter": "Return", "PageUp": "Prior", "PageDown": "Next", "Escape": "Escape",
              "Tab": "Tab", "Home": "Home", "End": "End", "Insert": "Insert", "Delete": "Delete", "Up": "Up",
              "Down": "Down", "Left": "Left", "Right": "Right", "Pause": "Pause",
              **{f"F{n}": f"F{n}" for n in range(1, 25)}}
