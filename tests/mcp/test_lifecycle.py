"""Server life: lazy start, failures with reasons and stderr, crash and restart, timeouts, config edits."""

from __future__ import annotations

import json
import os
import signal
import sys

import pytest

from tests.mcp.conftest import demo_stdio, run, run_with, until
from xiaodazi.core.hooks import TurnContext
from xiaodazi.mcp import McpToolHook
from xiaodazi.mcp.client import ServerUnavailable, ToolTimeout


def test_servers_start_only_when_tools_are_first_listed(make_manager, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mcp.json").write_text(json.dumps({"mcpServers": {"demo": demo_stdio()}}))

    async def scenario(mcp):
        before = [s["status"] for s in await mcp.statuses()]
        names = [s.name for s in await mcp.tools()]
        after = [s["status"] for s in await mcp.statuses()]
        return before, names, after

    before, names, after = run_with(make_manager(), scenario)
    assert before == ["stopped"] and after == ["ready"]
    assert "demo__echo" in names


def test_killed_server_is_reported_and_restarted(make_manager):
    async def scenario(mcp):
        await mcp.put("demo", demo_stdio())
        pid = int((await mcp.call("demo", "pid", {})).content[0].text)
        os.kill(pid, signal.SIGKILL)
        await until(lambda: mcp.status("demo")["status"] == "failed")
        failed = mcp.status("demo")
        with pytest.raises(ServerUnavailable, match="not available: the server process exited"):
            await mcp.call("demo", "add", {"a": 1, "b": 1})
        await until(lambda: mcp.status("demo")["status"] == "ready")
        answer = await mcp.call("demo", "add", {"a": 2, "b": 3})
        new_pid = int((await mcp.call("demo", "pid", {})).content[0].text)
        return pid, new_pid, failed, mcp.status("demo"), answer.content[0].text

    pid, new_pid, failed, ready, answer = run_with(make_manager(), scenario)
    assert failed["error"] == "the server process exited"
    assert "demo server starting" in failed["stderr"]  # the last stderr lines come with the report
    assert ready["restarts"] == 1 and ready["last_crash"]["reason"] == "the server process exited"
    assert answer == "5" and new_pid != pid


def test_server_that_dies_during_a_call_fails_the_call_at_once(make_manager):
    async def scenario(mcp):
        await mcp.put("demo", demo_stdio())
        with pytest.raises(ServerUnavailable, match="demo"):
            await mcp.call("demo", "crash", {})
        await until(lambda: mcp.status("demo")["status"] == "ready")
        return (await mcp.call("demo", "echo", {"text": "back"})).content[0].text

    assert run_with(make_manager(call_timeout=30), scenario) == "echo: back"


def test_hanging_tool_times_out_with_a_readable_error_and_the_server_stays_usable(make_manager):
    async def scenario(mcp):
        await mcp.put("demo", demo_stdio())
        with pytest.raises(ToolTimeout) as caught:
            await mcp.call("demo", "slow", {"seconds": 30})
        after = await mcp.call("demo", "echo", {"text": "still here"})
        return caught.value.message, after.content[0].text

    message, after = run_with(make_manager(call_timeout=1), scenario)
    assert "the tool slow on MCP server demo did not answer within 1 s" in message
    assert after == "echo: still here"


def test_per_server_timeout_overrides_the_default(make_manager):
    async def scenario(mcp):
        await mcp.put("demo", {**demo_stdio(), "timeout": 0.5})
        with pytest.raises(ToolTimeout, match=r"within 0\.5 s"):
            await mcp.call("demo", "slow", {"seconds": 30})

    run_with(make_manager(call_timeout=60), scenario)


def test_server_that_cannot_start_is_failed_with_reason_and_stderr(make_manager):
    script = "import sys; print('bad token: cannot log in', file=sys.stderr); sys.exit(2)"

    async def scenario(mcp):
        broken = await mcp.put("broken", {"command": sys.executable, "args": ["-c", script]})
        missing = await mcp.put("missing", {"command": "no-such-mcp-server-xyz"})
        nokey = await mcp.put("nokey", {**demo_stdio(), "env": {"TOKEN": "${secret:never-stored}"}})
        with pytest.raises(ServerUnavailable, match="command not found"):
            await mcp.call("missing", "anything", {})
        note = await McpToolHook(mcp).before_turn(TurnContext("c", "r", "hi"))
        assert "MCP server missing is not available right now: command not found" in note.system
        return broken, missing, nokey, await mcp.tools()

    broken, missing, nokey, tools = run_with(make_manager(), scenario)
    assert nokey["status"] == "failed" and "the secret never-stored is not set" in nokey["error"]
    assert broken["status"] == "failed" and "exited" in broken["error"]
    assert broken["stderr"] == ["bad token: cannot log in"]
    assert missing["status"] == "failed" and missing["error"] == "command not found: no-such-mcp-server-xyz"
    assert tools == []


def test_stdio_servers_can_be_turned_off_and_entries_disabled(make_manager):
    async def scenario():
        off = make_manager("off", allow_stdio=False)
        on = make_manager("on")
        try:
            a = await off.put("demo", demo_stdio())
            b = await on.put("quiet", {**demo_stdio(), "disabled": True})
            with pytest.raises(ServerUnavailable, match="disabled"):
                await on.call("quiet", "echo", {"text": "x"})
            return a, b, await off.tools(), await on.tools()
        finally:
            await off.aclose()
            await on.aclose()

    a, b, off_tools, on_tools = run(scenario())
    assert a["status"] == "disabled" and "XIAODAZI_MCP_STDIO" in a["error"]
    assert b["status"] == "disabled" and b["definition"]["disabled"] is True
    assert off_tools == [] and on_tools == []


@pytest.mark.slow  # several server starts or the whole agent loop
def test_hand_edits_of_mcp_json_apply_without_a_restart(make_manager, tmp_path):
    path = tmp_path / "data" / "mcp.json"

    async def scenario(mcp):
        await mcp.put("demo", demo_stdio())
        doc = json.loads(path.read_text())
        doc["mcpServers"]["second"] = demo_stdio()
        doc["mcpServers"]["bad name!"] = {"command": "x"}
        doc["mcpServers"]["both"] = {"command": "x", "url": "http://127.0.0.1:1/mcp"}
        doc["mcpServers"].pop("demo")
        doc["otherClientSetting"] = {"keep": True}
        path.write_text(json.dumps(doc))
        statuses = {s["name"]: s for s in await mcp.statuses()}
        servers = sorted({s.server for s in await mcp.tools()})
        await mcp.put("third", {**demo_stdio(), "disabled": True})
        return statuses, servers, json.loads(path.read_text())

    statuses, servers, saved = run_with(make_manager(), scenario)
    assert set(statuses) == {"second", "bad name!", "both"}
    assert "invalid server name" in statuses["bad name!"]["error"]
    assert "either `command`" in statuses["both"]["error"]
    assert servers == ["second"]
    assert saved["otherClientSetting"] == {"keep": True}  # keys of other clients survive our writes


def test_delete_removes_server_secrets_and_approvals(make_manager, tmp_path):
    async def scenario(mcp):
        await mcp.put("demo", demo_stdio(GITHUB_TOKEN="ghp_planted"))
        mcp.approvals.approve(mcp.spec("demo__echo"))
        await mcp.delete("demo")
        return mcp.secrets.get("mcp.demo.env.GITHUB_TOKEN"), mcp.approvals.get("demo__echo"), await mcp.statuses()

    secret, approval, statuses = run_with(make_manager(), scenario)
    assert secret is None and approval is None and statuses == []
    assert json.loads((tmp_path / "data" / "mcp.json").read_text())["mcpServers"] == {}


def test_a_broken_mcp_json_is_reported_not_fatal(make_manager, tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mcp.json").write_text('{"mcpServers": {"a": ')

    async def scenario(mcp):
        return await mcp.statuses(), await mcp.tools(), mcp.config_error

    statuses, tools, error = run_with(make_manager(), scenario)
    assert statuses == [] and tools == []
    assert "is not valid JSON" in error
