"""MCP tools through the agent loop: real app under uvicorn, real MCP server subprocess, the
scripted model reached through litellm. The user answers approvals as the UI does."""

from __future__ import annotations

import json

import pytest

from tests.mcp.conftest import demo_stdio
from tests.support.chat import iter_sse, text_of
from tests.support.scripted_llm import Reply, ToolCall, text


def _send(live, conversation_id: str, content: str, decision: str | None = None) -> list:
    """Send a message; answer every approval with `decision` on a second connection."""
    events = []
    with live.client() as c, live.client() as answer, c.stream(
            "POST", f"/api/conversations/{conversation_id}/messages", json={"content": content}) as response:
        assert response.status_code == 200, response.read()
        for name, data in iter_sse(response):
            events.append((name, data))
            if name == "approval":
                assert decision is not None, f"unexpected approval: {data}"
                assert answer.post(f"/api/approvals/{data['id']}", json={"decision": decision}).status_code == 204
            if name in ("done", "error"):
                break
    return events


def _add_demo(live) -> None:
    with live.client() as c:
        assert c.put("/api/mcp/servers/demo", json=demo_stdio()).json()["status"] == "ready"


@pytest.mark.slow  # several server starts or the whole agent loop
def test_mcp_tool_is_offered_asked_called_and_answer_lands_in_the_conversation(live, llm):
    _add_demo(live)
    llm.add(Reply(tool_calls=[ToolCall("demo__echo", {"text": "来自 MCP"}, "c1")]), text("服务器说：echo: 来自 MCP"))
    cid = live.new_conversation()
    events = _send(live, cid, "请用 demo 回声", decision="allow_once")

    offered = {t["function"]["name"]: t["function"] for t in llm.requests[0]["tools"]}
    assert offered["demo__echo"]["description"] == "Echo the text back."
    assert offered["demo__add"]["parameters"]["required"] == ["a", "b"]
    approval = next(d for n, d in events if n == "approval")
    assert approval["tool"] == "demo__echo" and "demo" in approval["reason"]
    result = next(d for n, d in events if n == "tool_result")
    assert result["ok"] is True and "echo: 来自 MCP" in result["output"]
    tool_message = llm.requests[1]["messages"][-1]
    assert tool_message["role"] == "tool" and "echo: 来自 MCP" in tool_message["content"]
    assert text_of(events) == "服务器说：echo: 来自 MCP"
    with live.client() as c:
        saved = json.dumps(c.get(f"/api/conversations/{cid}/messages").json(), ensure_ascii=False)
    assert "echo: 来自 MCP" in saved


@pytest.mark.slow  # several server starts or the whole agent loop
def test_denied_mcp_call_does_not_run_and_always_allow_stops_asking(live, llm, tmp_path):
    _add_demo(live)
    note = tmp_path / "note.txt"
    call = ToolCall("demo__write_note", {"path": str(note), "text": "hello"}, "w1")
    llm.add(Reply(tool_calls=[call]), text("好的，不写了。"))
    denied = _send(live, live.new_conversation(), "写个笔记", decision="deny")
    result = next(d for n, d in denied if n == "tool_result")
    assert result["ok"] is False and "denied" in result["output"] and not note.exists()

    llm.add(Reply(tool_calls=[call]), text("写好了。"), Reply(tool_calls=[call]), text("又写好了。"))
    cid = live.new_conversation()
    first = _send(live, cid, "写个笔记", decision="allow_always")
    assert note.read_text() == "hello" and any(n == "approval" for n, _ in first)
    note.unlink()
    second = _send(live, cid, "再写一次")  # no decision: an approval here would fail the test
    assert note.read_text() == "hello" and text_of(second) == "又写好了。"


@pytest.mark.slow  # several server starts or the whole agent loop
def test_hanging_mcp_tool_fails_the_call_not_the_run(live, llm):
    with live.client() as c:
        c.put("/api/mcp/servers/demo", json={**demo_stdio(), "timeout": 1})
    mcp = live.services.mcp  # "always allow" beforehand, so the test is about the timeout alone
    mcp.approvals.approve(mcp.spec("demo__slow"))
    llm.add(Reply(tool_calls=[ToolCall("demo__slow", {"seconds": 30}, "s1")]), text("它超时了。"))
    events = _send(live, live.new_conversation(), "慢慢来")
    result = next(d for n, d in events if n == "tool_result")
    assert result["ok"] is False and "did not answer within 1 s" in result["output"]
    assert events[-1][0] == "done" and text_of(events) == "它超时了。"
