"""The real desktop app under Xvfb with a system tray (trayer): global hotkeys, the emergency stop, the tray's
menu and busy indicator, and closing to the tray. Keys and clicks are real X events (xdotool/XTEST)."""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from tests.desktop.test_desktop_app import _env, _instance, _status, _wait
from tests.desktop.x11 import close_window, mapped_window, squat, tray_icon_centre, xdotool, xvfb_with_tray
from tests.support.chat import iter_sse
from tests.support.scripted_llm import text, tool_call

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not all(shutil.which(p) for p in ("Xvfb", "xdotool", "trayer")),
                                 reason="Xvfb, xdotool and trayer are needed")]
CTRL_ALT_SHIFT = 4 | 8 | 1  # X modifier masks: Control, Mod1 (Alt), Shift


class App:
    """The desktop app as a user runs it, plus what its status route reports."""

    def __init__(self, tmp_path, llm, xenv) -> None:
        self.tmp_path, self.xenv = tmp_path, xenv
        env = {**_env(tmp_path, llm), **xenv, "PYTHONFAULTHANDLER": "1", "XDG_SESSION_TYPE": "x11"}
        env.pop("WAYLAND_DISPLAY", None)
        self.log = tmp_path / "app.log"  # a file, not a pipe: a full pipe would freeze the app mid-test
        with self.log.open("w") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "xiaodazi"], env=env, stdout=out,
                                         stderr=subprocess.STDOUT)
        self.info = _wait(lambda: _instance(tmp_path), what="instance file")
        self.headers = {"Authorization": f"Bearer {self.info['token']}"}

    def status(self) -> dict:
        return _status(self.info)

    def wait_status(self, check, what: str) -> dict:
        try:
            return _wait(lambda: (s := self.status()) and check(s) and s, timeout=60, what=what)
        except AssertionError as exc:  # say what the app said and reported, and where each of its threads was
            status = self.status()
            self.proc.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER: every thread's stack goes to the log
            self.proc.wait(timeout=30)
            tail = self.log.read_text(errors="replace")[-12000:]
            raise AssertionError(f"{exc}\nstatus: {status}\napp log:\n{tail}") from None

    def api(self, method: str, path: str, **kw) -> httpx.Response:
        return httpx.request(method, self.info["url"] + "api/" + path, headers=self.headers, timeout=30, **kw)

    def ask_in_background(self, content: str) -> tuple[str, threading.Thread]:
        """Start a chat turn as the UI does (the SSE request stays open in a thread)."""
        cid = self.api("POST", "conversations").json()["id"]
        thread = threading.Thread(target=self.api, args=("POST", f"conversations/{cid}/messages"),
                                  kwargs={"json": {"content": content}}, daemon=True)
        thread.start()
        return cid, thread

    def ask_and_approve(self, content: str) -> tuple[str, threading.Thread]:
        """Start a chat turn and allow each approval it asks for once, as a user clicking 允许一次 would."""
        cid = self.api("POST", "conversations").json()["id"]

        def turn() -> None:
            with httpx.stream("POST", self.info["url"] + f"api/conversations/{cid}/messages", headers=self.headers,
                              json={"content": content}, timeout=60) as response:
                for name, data in iter_sse(response):
                    if name == "approval":
                        self.api("POST", f"approvals/{data['id']}", json={"decision": "allow_once"})
                    if name in ("done", "error"):
                        return

        thread = threading.Thread(target=turn, daemon=True)
        thread.start()
        return cid, thread

    def last_answer(self, cid: str) -> dict:
        return self.api("GET", f"conversations/{cid}/messages").json()["items"][-1]

    def close_main_window(self) -> None:
        """Press the window's close button, as a window manager delivers it (WM_DELETE_WINDOW).

        Under Xvfb with no window manager, Qt sometimes ignored a close sent within a moment of the window
        being mapped again or of a tray menu shutting (no closing event reached the app at all); a window
        manager's close button is never pressed that fast, so the request is repeated up to three times.
        """
        for _attempt in range(3):
            main = _wait(lambda: mapped_window(self.xenv, 1200), what="the main window on screen")
            close_window(self.xenv, main)
            try:
                _wait(lambda: self.status().get("window") == "hidden", timeout=5, what="the window to hide")
                return
            except AssertionError:
                continue
        self.wait_status(lambda s: s.get("window") == "hidden", "closing to hide the window")

    def tray_menu(self, downs: int = 0, ups: int = 0) -> None:
        """Right-click the tray icon and pick an entry with the keyboard, as a user can."""
        x, y = _wait(lambda: tray_icon_centre(self.xenv), what="the tray icon")
        xdotool(self.xenv, "mousemove", str(x), str(y), "click", "3")
        time.sleep(0.6)  # the menu pops up and grabs the keyboard
        keys = ["Down"] * downs + ["Up"] * ups + ["Return"]
        xdotool(self.xenv, "key", "--delay", "120", *keys)


@pytest.fixture
def app(tmp_path, llm):
    with xvfb_with_tray() as xenv:
        squatter = squat(xenv, "Escape", CTRL_ALT_SHIFT)  # another program owns the default stop hotkey
        running = App(tmp_path, llm, xenv)
        try:
            running.wait_status(lambda s: s.get("ui_loaded") and s.get("hotkeys"), "UI and hotkeys")
            yield running
        finally:
            squatter.kill()
            if running.proc.poll() is None:
                running.proc.kill()
                running.proc.wait()


def test_hotkeys_report_conflicts_stop_tasks_at_once_and_open_quick_ask(app, llm):
    status = app.status()
    assert status["tray"] is True and status["hotkeys"]["backend"] == "x11"
    assert status["hotkeys"]["quick_ask"] == {"combo": "Ctrl+Alt+Space", "ok": True, "error": None}
    stop = status["hotkeys"]["stop"]
    assert stop["ok"] is False and "already taken" in stop["error"]  # reported, not silent

    changed = app.api("PUT", "settings", json={"stop_hotkey": "ctrl + alt + shift + s"}).json()
    assert changed["stop_hotkey"] == "Ctrl+Alt+Shift+S"
    assert changed["hotkeys"]["stop"] == {"combo": "Ctrl+Alt+Shift+S", "ok": True, "error": None}
    bad = app.api("PUT", "settings", json={"quick_ask_hotkey": "Ctrl+Hyper+Q"})
    assert bad.status_code == 422 and "Hyper" in bad.json()["error"]["message"]

    # a task waiting for approval shows as "waiting" in the tray; the stop hotkey ends it at once
    llm.add(tool_call("run_shell", {"command": "rm -r old-drafts"}))
    cid, turn = app.ask_in_background("清理旧草稿")
    app.wait_status(lambda s: s.get("tray_state") == "waiting", "the tray to show a task waiting for the user")
    xdotool(app.xenv, "key", "ctrl+alt+shift+s")
    after = app.wait_status(lambda s: s.get("emergency_stops") == 1 and s.get("tray_state") == "idle",
                            "the emergency stop")
    turn.join(timeout=30)
    assert not turn.is_alive() and app.last_answer(cid)["status"] == "cancelled"
    assert "已紧急停止 / Stopped" in after.get("tray_messages", [])

    xdotool(app.xenv, "key", "ctrl+alt+space")
    app.wait_status(lambda s: s.get("quick_asks") == 1, "quick ask from the hotkey")
    _wait(lambda: mapped_window(app.xenv, 560), what="the quick-ask window on screen")


def test_tray_shows_busy_stops_from_its_menu_and_keeps_the_app_when_the_window_closes(app, llm):
    llm.add(text("这是一个很长的回答，" * 60, chunk_delay=0.15))
    cid, turn = app.ask_in_background("写一段很长的话")
    app.wait_status(lambda s: s.get("tray_state") == "busy", "the busy indicator")
    _wait(lambda: app.last_answer(cid)["content"], what="the first words of the answer")
    app.tray_menu(downs=4)  # 停止任务 Stop the running task
    app.wait_status(lambda s: s.get("tray_state") == "idle", "the tray's stop to end the task")
    turn.join(timeout=30)
    answer = app.last_answer(cid)
    assert answer["status"] == "cancelled" and answer["content"].startswith("这是一个很长的回答")

    time.sleep(1)
    app.tray_menu(downs=1)  # 快问 Quick ask
    app.wait_status(lambda s: s.get("quick_asks") == 1, "quick ask from the tray menu")
    _wait(lambda: mapped_window(app.xenv, 560), what="the quick-ask window on screen")

    app.close_main_window()
    assert app.proc.poll() is None and mapped_window(app.xenv, 1200) is None
    notice = "小搭子仍在运行 / xiaodazi is still running"
    _wait(lambda: notice in app.status().get("tray_messages", []), what="the first-close notice")

    x, y = tray_icon_centre(app.xenv)
    xdotool(app.xenv, "mousemove", str(x), str(y), "click", "1")  # a left click brings the window back
    app.wait_status(lambda s: s.get("window") == "shown" and s.get("focus_requests") == 1, "the window to return")
    _wait(lambda: mapped_window(app.xenv, 1200), what="the main window on screen again")
    app.close_main_window()
    assert app.status()["tray_messages"].count(notice) == 1  # said once, not on every close

    app.tray_menu(ups=1)  # 退出 Quit, the last entry
    assert app.proc.wait(timeout=60) == 0
    assert not (app.tmp_path / "data" / "instance.json").exists()
    state = json.loads((app.tmp_path / "data" / "window.json").read_text())
    assert state["tray_notice_shown"] is True and state["width"] == 1200


@pytest.mark.skipif(shutil.which("xterm") is None, reason="xterm is needed")
def test_the_stop_hotkey_halts_desktop_typing_midway(app, llm, tmp_path):
    assert app.api("PUT", "settings", json={"stop_hotkey": "Ctrl+Alt+Shift+S"}).json()["hotkeys"]["stop"]["ok"]
    typed = tmp_path / "typed.txt"
    # an xterm under the pointer (no window manager: keyboard focus follows the pointer) that records every key
    term = subprocess.Popen(["xterm", "-geometry", "100x20+0+0", "-e", "sh", "-c", f"stty -icanon; cat > {typed}"],
                            env={**os.environ, **app.xenv})
    try:
        _wait(lambda: typed.exists(), what="the xterm")
        xdotool(app.xenv, "mousemove", "200", "120")
        full = "abcdefghij" * 80
        llm.add(tool_call("type_text", {"text": full, "interval": 0.03}), text("打完了。"))
        cid, turn = app.ask_and_approve("在终端里输入一段字母")
        _wait(lambda: typed.stat().st_size >= 40, timeout=60, what="the typing to start")
        xdotool(app.xenv, "key", "ctrl+alt+shift+s")
        turn.join(timeout=30)
        assert not turn.is_alive() and app.last_answer(cid)["status"] == "cancelled"
        stopped_at = typed.stat().st_size
        time.sleep(1.5)
        assert typed.stat().st_size == stopped_at < len(full) / 2  # nothing typed after the stop
        assert app.status()["emergency_stops"] == 1
    finally:
        term.kill()
        term.wait()
