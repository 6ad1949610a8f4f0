"""Tool calls, approvals, questions and plans through the live app and the scripted model."""

import asyncio
import threading
import time

from tests.support.chat import collect, iter_sse, names, text_of
from tests.support.scripted_llm import Reply, ToolCall, text, tool_call
from xiaodazi.core.tools import Risk, ToolContext, tool


def test_tool_call_result_then_answer_is_streamed_and_saved(live, llm):
    steps = {"steps": [{"title": "读取文件", "status": "done"}, {"title": "总结", "status": "in_progress"}]}
    llm.add(tool_call("update_plan", steps, id="p1"), text("计划已更新。"))
    cid = live.new_conversation()
    events = live.send(cid, "帮我做个计划")
    assert names(events) == ["message_start", "tool_call", "plan", "tool_result", *["text"] * 2, "done"]
    assert events[2][1]["steps"][0] == {"title": "读取文件", "status": "done"}
    assert events[3][1]["ok"] is True and events[3][1]["id"] == "p1"
    with live.client() as c:
        rows = c.get(f"/api/conversations/{cid}/messages").json()["items"]
    assert [r["role"] for r in rows] == ["user", "assistant", "tool", "assistant"]
    assert rows[1]["tool_calls"][0]["function"]["name"] == "update_plan"
    assert rows[2]["tool_call_id"] == "p1" and rows[3]["content"] == "计划已更新。"
    assert len({r["run_id"] for r in rows[1:]}) == 1


def _register_slow_reader(live, spans):
    @tool(risk=Risk.read)
    async def slow_read(ctx: ToolContext, name: str) -> str:
        """Read something slowly (test tool)."""
        start = time.monotonic()
        await asyncio.sleep(0.4)
        spans[name] = (start, time.monotonic())
        return f"content of {name}"

    live.services.registry.register(slow_read)


def test_two_read_only_tools_run_in_parallel(live, llm):
    spans: dict = {}
    _register_slow_reader(live, spans)
    llm.add(Reply(tool_calls=[ToolCall("slow_read", {"name": "a"}, "a1"), ToolCall("slow_read", {"name": "b"}, "b1")]),
            text("both read"))
    events = live.send(live.new_conversation(), "read a and b")
    assert [d["output"] for n, d in events if n == "tool_result"] == ["content of a", "content of b"]
    (a_start, a_end), (b_start, b_end) = spans["a"], spans["b"]
    assert b_start < a_end and a_start < b_end  # the two calls overlapped
    tool_messages = [m for m in llm.requests[1]["messages"] if m["role"] == "tool"]
    assert [m["tool_call_id"] for m in tool_messages] == ["a1", "b1"]


def _register_risky(live, ran):
    @tool(risk=Risk.execute)
    def risky(ctx: ToolContext, command: str) -> str:
        """Run something risky (test tool)."""
        ran.append(command)
        return "ran " + command

    live.services.registry.register(risky)


def _answer_first_approval(live, cid, decision, box):
    with live.client() as c, c.stream("POST", f"/api/conversations/{cid}/messages",
                                      json={"content": "do the risky thing"}) as response:
        seen = []
        for name, data in iter_sse(response):
            seen.append((name, data))
            if name == "approval":
                assert c.post(f"/api/approvals/{data['id']}", json={"decision": decision}).status_code == 204
            if name in ("done", "error"):
                break
        box.extend(seen)


def test_approval_allow_once_runs_the_tool(live, llm):
    ran: list = []
    _register_risky(live, ran)
    llm.add(tool_call("risky", {"command": "format c:"}), text("done"))
    cid = live.new_conversation()
    events: list = []
    _answer_first_approval(live, cid, "allow_once", events)
    approval = next(d for n, d in events if n == "approval")
    assert approval["tool"] == "risky" and approval["arguments"] == {"command": "format c:"}
    assert ran == ["format c:"]
    assert next(d for n, d in events if n == "tool_result")["ok"] is True


def test_approval_denied_is_respected_and_model_told(live, llm):
    ran: list = []
    _register_risky(live, ran)
    llm.add(tool_call("risky", {"command": "rm -rf ~"}), text("ok, I will not"))
    events: list = []
    _answer_first_approval(live, live.new_conversation(), "deny", events)
    assert ran == []
    result = next(d for n, d in events if n == "tool_result")
    assert result["ok"] is False and "denied" in result["output"]
    assert "denied" in llm.requests[1]["messages"][-1]["content"]


def test_unanswered_approval_times_out_as_deny(live, llm):
    ran: list = []
    _register_risky(live, ran)
    live.services.agent.config.approval_timeout = 0.3
    llm.add(tool_call("risky", {"command": "x"}), text("ok"))
    events = live.send(live.new_conversation(), "go")
    assert ran == [] and "in time" in next(d for n, d in events if n == "tool_result")["output"]


def test_ask_user_question_waits_for_the_answer(live, llm):
    llm.add(tool_call("ask_user", {"question": "要整理哪个文件夹？", "choices": ["下载", "桌面"]}), text("好的"))
    cid = live.new_conversation()
    with live.client() as c, c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "整理"}) as r:
        events = []
        for name, data in iter_sse(r):
            events.append((name, data))
            if name == "question":
                assert data["choices"] == ["下载", "桌面"]
                c.post(f"/api/questions/{data['id']}", json={"answer": "桌面"})
            if name == "done":
                break
    assert "桌面" in next(d for n, d in events if n == "tool_result")["output"]
    assert "桌面" in llm.requests[1]["messages"][-1]["content"]


def test_answering_unknown_approval_is_404(live):
    with live.client() as c:
        r = c.post("/api/approvals/nope", json={"decision": "deny"})
        assert r.status_code == 404
        assert c.post("/api/approvals/nope", json={"decision": "maybe"}).status_code == 422


def test_malformed_tool_arguments_go_back_so_the_model_retries(live, llm):
    llm.add(tool_call("update_plan", '{"steps": [{"title": ', id="bad"),
            tool_call("update_plan", {"steps": [{"title": "a"}]}, id="good"), text("fixed"))
    events = live.send(live.new_conversation(), "plan")
    results = [d for n, d in events if n == "tool_result"]
    assert results[0]["ok"] is False and "not valid JSON" in results[0]["output"]
    assert results[1]["ok"] is True and text_of(events) == "fixed"


def test_turn_cap_ends_with_a_summary_not_silence(live, llm):
    live.services.agent.config.max_steps = 2
    plan = {"steps": [{"title": "again"}]}
    llm.add(tool_call("update_plan", plan), tool_call("update_plan", plan), text("总结：做了两步，还剩一步。"))
    events = live.send(live.new_conversation(), "loop forever")
    assert names(events).count("tool_result") == 2
    assert text_of(events) == "总结：做了两步，还剩一步。" and names(events)[-1] == "done"
    last = llm.requests[-1]
    assert "tools" not in last and "Step limit reached" in last["messages"][-1]["content"]


def test_cancel_mid_stream_keeps_partial_answer_marked_cancelled(live, llm):
    llm.add(text("一二三四五六七八九十" * 100, chunk_size=2, chunk_delay=0.03))
    cid = live.new_conversation()
    with live.client() as c, c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "数数"}) as r:
        events = []
        for name, data in iter_sse(r):
            events.append((name, data))
            if name == "text" and names(events).count("text") == 5:
                assert c.post(f"/api/conversations/{cid}/cancel").json() == {"cancelled": True}
            if name in ("done", "error"):
                break
    assert events[-1][0] == "done" and events[-1][1]["status"] == "cancelled"
    with live.client() as c:
        saved = c.get(f"/api/conversations/{cid}/messages").json()["items"][-1]
    assert saved["status"] == "cancelled"
    assert 10 <= len(saved["content"]) < 1000 and ("一二三四五六七八九十" * 100).startswith(saved["content"])


def test_disconnected_client_resumes_with_after(live, llm):
    full = "The run lives on the server, not in the request. " * 3
    llm.add(text(full, chunk_size=5, chunk_delay=0.03))
    cid = live.new_conversation()
    with live.client() as c, c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "go"}) as r:
        first = []
        for event in iter_sse(r):
            first.append(event)
            if len(first) == 4:
                break  # the client goes away mid-answer
    last_seq = first[-1][1]["seq"]
    time.sleep(0.3)
    with live.client() as c, c.stream("GET", f"/api/conversations/{cid}/events", params={"after": last_seq}) as r:
        rest = collect(r)
    assert rest[0][1]["seq"] == last_seq + 1 and rest[-1][0] == "done"
    assert text_of(first + rest) == full


def test_second_client_can_watch_a_running_turn(live, llm):
    llm.add(text("abcdefghij" * 5, chunk_size=2, chunk_delay=0.03))
    cid = live.new_conversation()
    box: list = []
    sender = threading.Thread(target=lambda: box.extend(live.send(cid, "hi")))
    sender.start()
    time.sleep(0.3)
    with live.client() as c, c.stream("GET", f"/api/conversations/{cid}/events") as r:
        watched = collect(r)
    sender.join()
    assert text_of(watched) == text_of(box) == "abcdefghij" * 5


def test_memories_used_are_announced_and_kept_with_the_answer(live, llm):
    with live.client() as c:
        c.post("/api/memory", json={"content": "用户喜欢简洁的回答，不要长篇大论", "kind": "preference"})
    llm.add(text("好的。"))
    cid = live.new_conversation()
    events = live.send(cid, "回答要简洁一点，帮我介绍一下 Python")
    memory = next(d for n, d in events if n == "memory")
    assert any("简洁" in item["content"] for item in memory["items"])
    assert "简洁的回答" in llm.requests[0]["messages"][0]["content"]
    with live.client() as c:
        answer = c.get(f"/api/conversations/{cid}/messages").json()["items"][-1]
    assert answer["extra"]["memory"]["items"] == memory["items"]
