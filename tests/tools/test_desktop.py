"""Desktop control under Xvfb: typing (ASCII and Chinese) into a real xterm and reading the result back."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from tests.support.scripted_llm import text, tool_call
from tests.tools.fixtures import xvfb
from tests.tools.fixtures.agent import stream_answering
from tests.tools.fixtures.calls import call, make_ctx
from tests.tools.fixtures.xvfb import wait_for
from xiaodazi.core.runs import Run
from xiaodazi.core.tools import ToolFailed, ToolRegistry, ToolRetry, Verdict
from xiaodazi.tools import desktop
from xiaodazi.tools.policy import POLICY_FILE, CommandPolicy

xdisplay = xvfb.xdisplay  # the shared Xvfb fixture

pytestmark = pytest.mark.slow
PASTE_CLIPBOARD = "XTerm*VT100.translations: #override Ctrl <Key>v: insert-selection(CLIPBOARD)"


@pytest.fixture
def ctx(tmp_path):
    return make_ctx(tmp_path)


def _xterm(cwd, title: str) -> subprocess.Popen:
    """An xterm running bash in `cwd`, pasting the CLIPBOARD on Ctrl+V, with the pointer over it (focus)."""
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PS1": "$ "}
    proc = subprocess.Popen(
        ["xterm", "-u8", "-T", title, "-geometry", "80x24+100+100", "-sl", "500", "-xrm", PASTE_CLIPBOARD,
         "-e", "bash", "--norc", "--noprofile"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    if not wait_for(lambda: title in _window_titles()):
        proc.kill()
        raise AssertionError("xterm did not appear")
    subprocess.run(["xdotool", "mousemove", "300", "250"], check=True)
    return proc


@pytest.fixture
def terminal(xdisplay, ctx):
    """An xterm (bash in the workspace) under the pointer, so it has the keyboard focus."""
    proc = _xterm(ctx.workspace, "typing-target")
    yield proc
    proc.kill()
    proc.wait()


def _window_titles() -> list[str]:
    return [w["title"] for w in desktop.windows()]


def _pointer() -> tuple[int, int]:
    out = subprocess.run(["xdotool", "getmouselocation", "--shell"], capture_output=True, text=True).stdout
    values = dict(line.split("=", 1) for line in out.split())
    return int(values["X"]), int(values["Y"])


def _text_of(path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() and path.read_text(encoding="utf-8").endswith("\n") else None


def test_type_text_types_ascii_and_pastes_chinese_into_a_real_terminal(terminal, ctx):
    call(desktop.type_text, ctx, text="echo 'hello 你好，世界 ok' > typed.txt\n")
    assert wait_for(lambda: _text_of(ctx.workspace / "typed.txt")) == "hello 你好，世界 ok\n"


def test_hotkey_sends_a_key_combination(terminal, ctx):
    call(desktop.type_text, ctx, text="cat > keys.txt\nfirst line\n")
    call(desktop.hotkey, ctx, keys=["ctrl", "d"])  # ends cat's input: the file is complete
    call(desktop.type_text, ctx, text="echo done > done.txt\n")
    assert wait_for(lambda: _text_of(ctx.workspace / "done.txt")) == "done\n"
    assert (ctx.workspace / "keys.txt").read_text() == "first line\n"


def test_screenshot_is_saved_in_the_workspace_and_shows_the_screen(terminal, ctx):
    from PIL import Image

    out = call(desktop.screenshot, ctx)
    saved = ctx.workspace / out.artifacts[0]
    assert out.artifacts[0].startswith("screenshots/") and saved.is_file()
    with Image.open(saved) as img:
        assert img.size == (1024, 768)
        assert img.crop((100, 100, 500, 400)).getcolors(1 << 16) is not None  # xterm's area is drawn
        assert len(img.crop((100, 100, 500, 400)).getcolors(1 << 16)) > 1


def test_scroll_moves_the_terminal_scrollback(terminal, ctx):
    call(desktop.type_text, ctx, text="seq 1 300\n")
    wait_for(lambda: False, timeout=0.5)
    shot = lambda: (ctx.workspace / call(desktop.screenshot, ctx).artifacts[0]).read_bytes()  # noqa: E731
    before = shot()
    call(desktop.scroll, ctx, amount=10, x=300, y=250)
    assert shot() != before  # older lines are on screen now
    call(desktop.scroll, ctx, amount=-10, x=300, y=250)
    assert shot() == before  # and back at the bottom


def test_click_and_move_put_the_pointer_where_asked_and_refuse_off_screen(xdisplay, ctx):
    call(desktop.click, ctx, x=640, y=420, button="right")
    assert _pointer() == (640, 420)
    call(desktop.move, ctx, x=200, y=300)
    assert _pointer() == (200, 300)
    with pytest.raises(ToolRetry, match="off the screen"):
        call(desktop.click, ctx, x=5000, y=10)


def test_the_corner_fail_safe_stays_on(xdisplay, ctx):
    subprocess.run(["xdotool", "mousemove", "0", "0"], check=True)
    try:
        with pytest.raises(ToolFailed, match="fail-safe"):
            call(desktop.click, ctx, x=500, y=500)
    finally:
        subprocess.run(["xdotool", "mousemove", "512", "384"], check=True)


def test_open_app_starts_a_program_whose_window_list_windows_shows(xdisplay, ctx):
    out = call(desktop.open_app, ctx, name="xterm")
    try:
        assert wait_for(lambda: "xterm" in [w["title"] for w in call(desktop.list_windows, ctx).data["windows"]])
    finally:
        os.kill(out.data["pid"], signal.SIGTERM)
    with pytest.raises(ToolRetry):
        call(desktop.open_app, ctx, name="no-such-program-xyz")


def test_hotkey_with_an_unknown_key_is_a_retry(xdisplay, ctx):
    with pytest.raises(ToolRetry, match="unknown key"):
        call(desktop.hotkey, ctx, keys=["ctrl", "banana"])


def test_desktop_tools_ask_first_and_remember_always_allow(tmp_path):
    policy = CommandPolicy(tmp_path / POLICY_FILE)
    ctx = make_ctx(tmp_path, services={"policy": policy})
    gate = desktop.click.gate(ctx, {"x": 10, "y": 20})
    assert gate.verdict == Verdict.ask and "(10, 20)" in gate.detail
    gate.remember()
    assert desktop.click.gate(ctx, {"x": 1, "y": 2}).verdict == Verdict.allow
    assert desktop.type_text.gate(ctx, {"text": "rm -rf ~"}).verdict == Verdict.ask  # only that tool
    assert CommandPolicy(tmp_path / POLICY_FILE).tool_allowed("click")  # kept on disk


def test_desktop_tools_are_not_offered_in_server_mode():
    registry = ToolRegistry(desktop.TOOLS)
    assert registry.available("serve", "linux") == []
    assert {s.name for s in registry.available("desktop", "linux")} == {
        "screenshot", "click", "move", "type_text", "hotkey", "scroll", "open_app", "list_windows"}


@pytest.fixture
def llm_settings(llm_settings):
    """The app in desktop mode, where desktop control is offered."""
    llm_settings.mode = "desktop"
    return llm_settings


def test_type_text_through_the_agent_loop_asks_then_types_into_the_terminal(xdisplay, live, llm):
    ws = live.settings.workspace
    term = _xterm(ws, "loop-target")
    try:
        llm.add(tool_call("type_text", {"text": "echo '来自智能体 ok' > loop.txt\n"}, id="t1"),
                tool_call("screenshot", {}, id="p1"), text("done"))
        events, approvals = stream_answering(live, "在终端里输入", "allow_once")
        assert [a["tool"] for a in approvals] == ["type_text", "screenshot"]
        assert "来自智能体" in approvals[0]["detail"]
        assert wait_for(lambda: _text_of(ws / "loop.txt")) == "来自智能体 ok\n"
        shot = [d for n, d in events if n == "tool_result"][1]
        assert shot["ok"] and shot["artifacts"][0].startswith("screenshots/")
        assert (ws / shot["artifacts"][0]).is_file()
    finally:
        term.kill()
        term.wait()


def test_type_text_stops_when_the_user_pressed_stop(terminal, ctx):
    run = Run("conversation-1")
    run.cancel_requested = True
    stopped = make_ctx(ctx.workspace.parent, services={"run": run})
    with pytest.raises(ToolFailed, match="stopped by the user"):
        call(desktop.type_text, stopped, text="echo bad > bad.txt\n")
    call(desktop.type_text, ctx, text="echo ok > after.txt\n")
    assert wait_for(lambda: _text_of(ctx.workspace / "after.txt")) == "ok\n"
    assert not (ctx.workspace / "bad.txt").exists()
