"""run_shell with real bash: output, cwd, stripped keys, timeouts that kill the whole group, capped output."""

from __future__ import annotations

import os
import time

import pytest

from tests.tools.fixtures.calls import call
from tests.tools.safety_ctx import safety_ctx
from xiaodazi.core.tools import Risk, ToolFailed, Verdict
from xiaodazi.tools.shell import OUTPUT_CAP, clean_env, run_shell


@pytest.fixture
def ctx(tmp_path):
    return safety_ctx(tmp_path)


def test_runs_in_the_workspace_and_reports_exit_code(ctx):
    result = call(run_shell, ctx, command="pwd; echo 你好; exit 3")
    assert result.text.splitlines() == ["exit code 3", str(ctx.workspace), "你好"]
    assert result.data["exit_code"] == 3 and run_shell.risk == Risk.execute


def test_child_environment_has_no_keys_or_tokens(ctx, monkeypatch):
    planted = {"OPENAI_API_KEY": "sk-1", "DASHSCOPE_API_KEY": "sk-2", "GITHUB_TOKEN": "t", "AWS_SECRET_ACCESS_KEY": "s",
               "XIAODAZI_TOKEN": "x", "MY_SERVICE_SECRET": "y", "ZHIPUAI_API_KEY": "z", "HARMLESS_SETTING": "visible"}
    for name, value in planted.items():
        monkeypatch.setenv(name, value)
    output = call(run_shell, ctx, command="env").text
    assert "HARMLESS_SETTING=visible" in output
    assert not [n for n in planted if n != "HARMLESS_SETTING" and f"{n}=" in output]


def test_clean_env_drops_every_secret_like_name():
    env = clean_env({"PATH": "/bin", "DEEPSEEK_API_KEY": "k", "HF_TOKEN": "t", "XIAODAZI_SECRET_KEY": "s",
                     "DB_PASSWORD": "p", "GEMINI_API_KEY": "g"})
    assert {k for k in env if not k.startswith("GIT_")} - {"PAGER", "PYTHONIOENCODING"} == {"PATH"}


def test_timeout_kills_the_command_and_its_children(ctx):
    pidfile = ctx.workspace / "child.pid"
    with pytest.raises(ToolFailed, match="timed out after 1s"):
        call(run_shell, ctx, command=f"sleep 30 & echo $! > {pidfile}; echo started; wait", timeout=1)
    pid = int(pidfile.read_text())
    for _ in range(50):  # the group was SIGKILLed; give the kernel a moment to reap
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the background child survived the timeout")


def test_long_output_is_capped_and_saved_in_full(ctx):
    result = call(run_shell, ctx, command="seq 1 20000")
    assert len(result.text) < OUTPUT_CAP + 500 and "characters omitted" in result.text
    saved = ctx.workspace / result.data["output_file"]
    assert saved.read_text().split() == [str(i) for i in range(1, 20001)]


def test_gate_uses_the_policy_and_shows_the_command(ctx):
    assert run_shell.gate(ctx, {"command": "ls -la"}).verdict == Verdict.allow
    asked = run_shell.gate(ctx, {"command": "git push origin main"})
    assert asked.verdict == Verdict.ask and asked.detail == "git push origin main"
    assert run_shell.gate(ctx, {"command": "bash -c 'rm -rf ~'"}).verdict == Verdict.deny


def test_without_a_policy_every_command_asks(tmp_path):
    ctx = safety_ctx(tmp_path, services=False)
    assert run_shell.gate(ctx, {"command": "ls"}).verdict == Verdict.ask


def test_git_status_does_not_run_a_repository_fsmonitor_hook(ctx):
    import subprocess

    subprocess.run(["git", "init", "-q", str(ctx.workspace)], check=True)
    hook = ctx.workspace / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {ctx.workspace / 'hook-ran'}\n")
    hook.chmod(0o755)
    subprocess.run(["git", "-C", str(ctx.workspace), "config", "core.fsmonitor", str(hook)], check=True)
    assert run_shell.gate(ctx, {"command": "git status"}).verdict == Verdict.allow
    call(run_shell, ctx, command="git status")
    assert not (ctx.workspace / "hook-ran").exists()
