"""clipboard (under Xvfb, checked with xclip) and notify (OS notifier, else an event to the app window)."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.support.scripted_llm import text, tool_call
from tests.tools.fixtures import xvfb
from tests.tools.fixtures.calls import call, make_ctx
from xiaodazi.core.tools import ToolFailed, ToolRegistry, Verdict
from xiaodazi.tools import system

xdisplay = xvfb.xdisplay  # the shared Xvfb fixture

TRICKY = "完成了 \"报告\" $(rm -rf ~) `id` 'x'"


def _xclip_out() -> str:
    return subprocess.run(["xclip", "-o", "-selection", "clipboard"], capture_output=True, text=True, timeout=5).stdout


@pytest.mark.slow
def test_clipboard_writes_and_reads_chinese_text(xdisplay, tmp_path):
    ctx = make_ctx(tmp_path)
    call(system.clipboard, ctx, text="剪贴板测试 clipboard ✓")
    assert _xclip_out() == "剪贴板测试 clipboard ✓"
    subprocess.run(["xclip", "-selection", "clipboard"], input="用户复制的内容", text=True, check=True, timeout=5)
    out = call(system.clipboard, ctx)
    assert out.text == "用户复制的内容" and out.untrusted is True


def test_clipboard_read_asks_first_write_does_not_and_server_mode_has_none(tmp_path):
    ctx = make_ctx(tmp_path)
    assert system.clipboard.gate(ctx, {"text": "hi"}).verdict == Verdict.allow
    reading = system.clipboard.gate(ctx, {})
    assert reading.verdict == Verdict.ask and "clipboard" in reading.detail
    assert ToolRegistry(system.TOOLS).names() == ["clipboard", "notify"]
    assert [s.name for s in ToolRegistry(system.TOOLS).available("serve", "linux")] == ["notify"]


@pytest.fixture
def fake_notifier(tmp_path, monkeypatch):
    """A stand-in `notify-send` on PATH that records its arguments (exit code set per test)."""
    bin_dir, record = tmp_path / "bin", tmp_path / "notified.txt"
    bin_dir.mkdir()
    script = bin_dir / "notify-send"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{record}"\nexit "${{FAKE_EXIT:-0}}"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return record


def _recording_ctx(tmp_path, mode="desktop"):
    seen: list[tuple[str, dict]] = []

    async def emit(name, data):
        seen.append((name, data))

    return make_ctx(tmp_path, mode=mode, emit=emit), seen


def test_notify_uses_the_desktop_notifier_with_arguments_passed_verbatim(tmp_path, fake_notifier):
    ctx, seen = _recording_ctx(tmp_path)
    out = call(system.notify, ctx, title="小搭子", body=TRICKY)
    assert out.text == "desktop notification shown (notify-send)"
    assert fake_notifier.read_text().splitlines()[-2:] == ["小搭子", TRICKY]
    assert seen == []


def test_notify_falls_back_to_the_app_window_when_the_notifier_fails(tmp_path, fake_notifier, monkeypatch):
    monkeypatch.setenv("FAKE_EXIT", "1")  # e.g. no notification daemon on the session bus
    ctx, seen = _recording_ctx(tmp_path)
    out = call(system.notify, ctx, title="任务完成", body="周报已生成")
    assert out.data == {"via": "app"} and "app window" in out.text
    assert seen == [("notify", {"title": "任务完成", "body": "周报已生成"})]


def test_notify_in_server_mode_goes_to_the_app_not_the_server_desktop(tmp_path, fake_notifier):
    ctx, seen = _recording_ctx(tmp_path, mode="serve")
    call(system.notify, ctx, title="t", body="b")
    assert seen == [("notify", {"title": "t", "body": "b"})]
    assert not fake_notifier.exists()


def test_notify_with_no_way_to_reach_the_user_fails_readably(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolFailed, match="no way to notify"):
        call(system.notify, make_ctx(tmp_path), title="t", body="b")


def test_notify_through_the_agent_loop_reaches_the_app_window_as_an_event(live, llm):
    llm.add(tool_call("notify", {"title": "任务完成", "body": "周报已生成"}, id="n1"), text("已通知"))
    events = live.send(live.new_conversation(), "做完了提醒我")
    notice = next(d for n, d in events if n == "notify")
    assert (notice["title"], notice["body"]) == ("任务完成", "周报已生成")
    result = next(d for n, d in events if n == "tool_result")
    assert result["ok"] is True and "app window" in result["output"]


def test_server_mode_offers_no_desktop_control_or_clipboard_to_the_model(live, llm):
    llm.add(tool_call("clipboard", {}, id="c1"), text("ok"))
    events = live.send(live.new_conversation(), "what is on my clipboard?")
    offered = {t["function"]["name"] for t in llm.requests[0]["tools"]}
    assert "notify" in offered and not offered & {"clipboard", "click", "type_text", "screenshot", "open_app"}
    result = next(d for n, d in events if n == "tool_result")
    assert result["ok"] is False and "Unknown tool" in result["output"]
