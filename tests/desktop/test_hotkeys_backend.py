"""The X11 hotkey backend in this process on a private Xvfb: a real key press fires the action, a taken
combination is reported, re-applying releases the old grab, and a Wayland session is warned about."""

import shutil
import threading

import pytest

from tests.desktop.x11 import squat, xdotool, xvfb_with_tray
from xiaodazi.desktop.hotkeys import Hotkeys

pytestmark = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool")), reason="Xvfb and xdotool")


@pytest.fixture
def xenv(monkeypatch):
    with xvfb_with_tray(tray=False) as env:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        monkeypatch.setenv("XDG_SESSION_TYPE", "x11")
        yield env


def test_a_key_press_fires_the_action_and_a_changed_hotkey_frees_the_old_one(xenv):
    pressed = threading.Event()
    hotkeys = Hotkeys()
    try:
        status = hotkeys.apply({"quick_ask": ("ctrl+alt+j", pressed.set)})
        assert hotkeys.backend_name == "x11" and status["quick_ask"] == {"combo": "Ctrl+Alt+J", "ok": True,
                                                                         "error": None}
        xdotool(xenv, "key", "ctrl+alt+j")
        assert pressed.wait(10)

        pressed.clear()
        hotkeys.apply({"quick_ask": ("Ctrl+Alt+U", pressed.set)})
        xdotool(xenv, "key", "ctrl+alt+j")  # no longer ours: nothing fires
        assert not pressed.wait(1.5)
        squatter = squat(xenv, "j", 4 | 8)  # ...and another program can now take it
        squatter.kill()
        xdotool(xenv, "key", "ctrl+alt+u")
        assert pressed.wait(10)
    finally:
        hotkeys.close()


def test_a_taken_combination_is_reported_and_a_wayland_session_is_warned_about(xenv, monkeypatch):
    squatter = squat(xenv, "y", 4 | 8)
    hotkeys = Hotkeys()
    try:
        taken = hotkeys.apply({"quick_ask": ("Ctrl+Alt+Y", lambda: None), "stop": ("", lambda: None)})
        assert taken["quick_ask"]["ok"] is False and "already taken" in taken["quick_ask"]["error"]
        assert taken["stop"] == {"combo": "", "ok": False, "error": None}  # turned off, not an error
        monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
        warned = hotkeys.apply({"quick_ask": ("Ctrl+Alt+Shift+W", lambda: None)})["quick_ask"]
        assert warned["ok"] is True and "Wayland" in warned["warning"]
    finally:
        hotkeys.close()
        squatter.kill()
