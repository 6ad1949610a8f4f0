"""The agent loop through real HTTP, real SQLite and real litellm against the scripted model."""

from tests.support.chat import names, text_of
from tests.support.scripted_llm import Reply, ToolCall, text


def test_plain_answer_streams_in_order_and_is_saved(live, llm):
    llm.add(text("你好！我是小搭子，很高兴为你服务。", chunk_size=3))
    cid = live.new_conversation()
    events = live.send(cid, "你好")
    assert names(events)[0] == "message_start"
    assert names(events)[-1] == "done"
    assert text_of(events) == "你好！我是小搭子，很高兴为你服务。"
    seqs = [d["seq"] for _, d in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    with live.client() as c:
        items = c.get(f"/api/conversations/{cid}/messages").json()["items"]
    assert [(m["role"], m["status"]) for m in items] == [("user", "complete"), ("assistant", "complete")]
    assert items[1]["content"] == "你好！我是小搭子，很高兴为你服务。"
    assert items[1]["id"] == events[-1][1]["message_id"]


def test_model_request_carries_history_and_system_prompt(live, llm):
    llm.add(text("first"), text("second"))
    cid = live.new_conversation()
    live.send(cid, "one")
    live.send(cid, "two")
    sent = llm.requests[-1]["messages"]
    assert sent[0]["role"] == "system" and "xiaodazi" in sent[0]["content"]
    assert [(m["role"], m["content"]) for m in sent[1:]] == [
        ("user", "one"), ("assistant", "first"), ("user", "two")]


def test_thinking_streams_separately_from_text(live, llm):
    llm.add(Reply(text="答案是 4", reasoning="2+2 等于 4"))
    events = live.send(live.new_conversation(), "2+2?")
    thinking = "".join(d["text"] for n, d in events if n == "thinking")
    assert thinking == "2+2 等于 4" and text_of(events) == "答案是 4"


def test_unknown_tool_call_returns_error_to_model_which_recovers(live, llm):
    llm.add(Reply(tool_calls=[ToolCall("no_such_tool", {"x": 1}, "c1")]), text("Sorry, done."))
    events = live.send(live.new_conversation(), "do it")
    result = next(d for n, d in events if n == "tool_result")
    assert result["ok"] is False and "Unknown tool" in result["output"]
    assert text_of(events) == "Sorry, done."
    tool_msg = llm.requests[1]["messages"][-1]
    assert tool_msg["role"] == "tool" and tool_msg["tool_call_id"] == "c1"


def test_conversation_gets_a_title_after_first_answer(live, llm):
    import time

    llm.background = lambda req: "问候对话"
    llm.add(text("hi"))
    cid = live.new_conversation()
    live.send(cid, "你好呀")
    with live.client() as c:
        for _ in range(100):
            if c.get(f"/api/conversations/{cid}").json()["title"]:
                break
            time.sleep(0.05)
        assert c.get(f"/api/conversations/{cid}").json()["title"] == "问候对话"


def test_second_message_while_running_is_409(live, llm):
    import threading

    llm.add(text("slow answer", chunk_delay=0.2, chunk_size=2), text("later"))
    cid = live.new_conversation()
    t = threading.Thread(target=live.send, args=(cid, "first"))
    t.start()
    import time

    time.sleep(0.5)
    with live.client() as c:
        r = c.post(f"/api/conversations/{cid}/messages", json={"content": "second"})
    t.join()
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"


def test_empty_message_is_422_and_missing_conversation_404(live):
    with live.client() as c:
        cid = c.post("/api/conversations").json()["id"]
        assert c.post(f"/api/conversations/{cid}/messages", json={"content": ""}).status_code == 422
        assert c.post("/api/conversations/nope/messages", json={"content": "x"}).status_code == 404
