"""Global hotkeys on Windows: RegisterHotKey on a thread with its own message queue (ctypes, no dependency).

Not exercised by the Linux test suite; it follows the documented user32 contract: hotkeys belong to
the thread that registered them and arrive as WM_HOTKEY on that thread's queue.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from ctypes import wintypes
from typing import Any

from xiaodazi.desktop.hotkeys import Backend, Hotkey, fire

WM_HOTKEY = 0x0312
WM_APP = 0x8000
MOD_BITS = {"Alt": 0x1, "Ctrl": 0x2, "Shift": 0x4, "Super": 0x8}
MOD_NOREPEAT = 0x4000
ERROR_HOTKEY_ALREADY_REGISTERED = 1409
VK = {"Space": 0x20, "Escape": 0x1B, "Enter": 0x0D, "Tab": 0x09, "Home": 0x24, "End": 0x23, "PageUp": 0x21,
      "PageDown": 0x22, "Insert": 0x2D, "Delete": 0x2E, "Left": 0x25, "Up": 0x26, "Right": 0x27, "Down": 0x28,
      "Pause": 0x13, **{f"F{n}": 0x6F + n for n in range(1, 25)}}


class WindowsBackend(Backend):
    """Registers on its own thread; a posted WM_APP wakes it to run queued registrations."""

    def __init__(self) -> None:
        super().__init__()
        self.user32 = ctypes.WinDLL("user32", use_last_error=True)
        self.kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        self.actions: dict[int, Callable[[], Any]] = {}
        self.thread_id = 0
        self._ready = threading.Event()
        self.thread.start()
        self._ready.wait(5)

    def wake(self) -> None:
        if self.thread_id:
            self.user32.PostThreadMessageW(self.thread_id, WM_APP, 0, 0)

    def grab(self, hotkey: Hotkey, action: Callable[[], Any]) -> str | None:
        key = VK.get(hotkey.key) or ord(hotkey.key)
        mods = sum(MOD_BITS[m] for m in hotkey.modifiers) | MOD_NOREPEAT
        ident = len(self.actions) + 1
        if not self.user32.RegisterHotKey(None, ident, mods, key):
            code = ctypes.get_last_error()
            if code == ERROR_HOTKEY_ALREADY_REGISTERED:
                return f"{hotkey} 已被其他程序占用 / {hotkey} is already taken by another program"
            return f"{hotkey} 注册失败 / could not register {hotkey} (error {code})"
        self.actions[ident] = action
        return None

    def release_all(self) -> None:
        for ident in self.actions:
            self.user32.UnregisterHotKey(None, ident)
        self.actions.clear()

    def _main(self) -> None:
        msg = wintypes.MSG()
        self.user32.PeekMessageW(ctypes.byref(msg), None, 0, 0, 0)  # makes this thread's message queue
        self.thread_id = self.kernel32.GetCurrentThreadId()
        self._ready.set()
        while not self._stopped.is_set() and self.user32.GetMessageW(ctypes.byref(msg), None, 0, 0) > 0:
            if msg.message == WM_HOTKEY and msg.wParam in self.actions:
                fire(self.actions[msg.wParam])
            self._run_jobs()
