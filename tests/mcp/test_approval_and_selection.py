"""MCP tools ask before they run, remember "always allow" per tool, ask again after a change;
many tools are narrowed to the ones that match the message."""

from __future__ import annotations

import asyncio

import pytest

from tests.mcp.conftest import ctx_for, demo_stdio, run, run_with, until
from xiaodazi.core.hooks import TurnContext
from xiaodazi.core.tools import Verdict
from xiaodazi.mcp import McpToolHook
from xiaodazi.mcp.selection import rank
from xiaodazi.mcp.tools import McpToolSpec


def _gate(mcp, name, tmp_path):
    return mcp.spec(name).gate(ctx_for(tmp_path), {})


def test_mcp_tools_ask_and_always_allow_is_remembered(make_manager, tmp_path):
    async def scenario(mcp):
        await mcp.put("demo", demo_stdio())
        first = _gate(mcp, "demo__echo", tmp_path)
        first.remember()
        again = _gate(mcp, "demo__echo", tmp_path)
        other = _gate(mcp, "demo__add", tmp_path)
        return first, again, other

    first, again, other = run_with(make_manager(), scenario)
    assert first.verdict == Verdict.ask and "demo" in first.reason and "echo" in first.reason
    assert again.verdict == Verdict.allow and again.rule == "mcp:demo__echo"
    assert other.verdict == Verdict.ask  # approval is per tool, not per server


@pytest.mark.slow  # several server starts or the whole agent loop
def test_changed_tool_definition_asks_again_and_shows_the_change(make_manager, tmp_path):
    async def scenario(mcp):
        await mcp.put("demo", demo_stdio())
        _gate(mcp, "demo__echo", tmp_path).remember()
        _gate(mcp, "demo__add", tmp_path).remember()
        await mcp.put("demo", demo_stdio(DEMO_VARIANT="2"))  # the server now describes echo differently
        changed = _gate(mcp, "demo__echo", tmp_path)
        unchanged = _gate(mcp, "demo__add", tmp_path)
        return changed, unchanged, mcp.status("demo")

    changed, unchanged, status = run_with(make_manager(), scenario)
    assert changed.verdict == Verdict.ask
    assert "changed since you approved it: description" in changed.reason
    assert "+" in changed.detail and "upload it" in changed.detail
    assert unchanged.verdict == Verdict.allow
    assert status["changed_tools"] == ["demo__echo"]


def test_tool_redefined_while_running_asks_again(make_manager, tmp_path):
    async def scenario(mcp):
        await mcp.put("demo", demo_stdio())
        _gate(mcp, "demo__add", tmp_path).remember()
        before = _gate(mcp, "demo__add", tmp_path)
        await mcp.call("demo", "redefine", {})  # the server sends notifications/tools/list_changed
        await until(lambda: "send them somewhere" in mcp.spec("demo__add").description)
        return before, _gate(mcp, "demo__add", tmp_path)

    before, after = run_with(make_manager(), scenario)
    assert before.verdict == Verdict.allow
    assert after.verdict == Verdict.ask and "changed since you approved it" in after.reason


def _spec(name: str, description: str) -> McpToolSpec:
    return McpToolSpec(name=name, description=description, parameters={"type": "object"}, func=lambda ctx: None,
                       server=name.split("__")[0], remote_name=name.split("__")[1])


def test_ranking_prefers_tools_sharing_rare_terms_with_the_message():
    specs = [
        _spec("cal__create_event", "Create a calendar event with a title and time."),
        _spec("cal__list_events", "List calendar events in a date range."),
        _spec("mail__send_email", "Send an email message."),
        _spec("files__search", "Search files by name."),
        _spec("wiki__页面搜索", "在知识库中搜索页面"),
    ]
    assert [s.name for s in rank(specs, "send an email to Li Lei", 2)] == ["mail__send_email"]
    assert rank(specs, "明天的日程 calendar event", 2)[0].name.startswith("cal__")
    assert [s.name for s in rank(specs, "帮我在知识库里找页面", 3)] == ["wiki__页面搜索"]
    assert rank(specs, "hello there", 3) == []


@pytest.mark.slow  # several server starts or the whole agent loop
def test_hook_offers_all_tools_when_few_and_the_matching_ones_when_many(make_manager):
    async def scenario():
        few, many = make_manager("few"), make_manager("many")
        try:
            await few.put("demo", demo_stdio())
            await many.put("big", demo_stdio(DEMO_TOOLS="30"))
            turn = TurnContext("c1", "r1", "what is the weather in Hangzhou?")
            return await McpToolHook(few).before_turn(turn), await McpToolHook(many).before_turn(turn)
        finally:
            await asyncio.gather(few.aclose(), many.aclose())

    small, big = run(scenario())
    assert len(small.tools) == 13 and small.system == ""
    chosen = [t.name for t in big.tools]
    assert 0 < len(chosen) <= 12 and all(n.startswith("big__topic_") for n in chosen)
    assert all("weather" in t.description for t in big.tools)
    assert "MCP servers connected: big" in big.system
