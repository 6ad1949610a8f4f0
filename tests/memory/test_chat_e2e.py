"""Memory through the real agent loop: scripted model over HTTP, litellm, SQLite, MEMORY.md."""

from __future__ import annotations

import json
import time

import pytest

from tests.memory.conftest import write_file
from tests.support.scripted_llm import Reply, ToolCall, text

pytestmark = pytest.mark.slow


def fact(content, kind="preference", durable=True, replaces=None, confidence=0.9):
    return {"content": content, "kind": kind, "durable": durable, "replaces": replaces, "confidence": confidence}


class Extraction:
    """The scripted light model: titles for title requests, queued JSON for memory extraction."""

    def __init__(self, llm) -> None:
        self.replies: list[dict] = []
        self.calls: list[dict] = []
        llm.background = self

    def __call__(self, body: dict) -> str:
        if "response_format" not in body:
            return "对话"
        self.calls.append(body)
        return json.dumps(self.replies.pop(0) if self.replies else {"memories": []}, ensure_ascii=False)


@pytest.fixture
def memory_live(live, llm):
    hook = next(h for h in live.services.hooks if h.name == "memory")
    hook.extractor.delay = 0  # no debounce wait in tests
    return live, llm, Extraction(llm), live.services.memory


def _settle(live, extraction, calls: int) -> None:
    """Wait until `calls` extraction requests were made and the background work finished."""
    for _ in range(200):
        if len(extraction.calls) >= calls and not live.services.agent.background:
            return
        time.sleep(0.05)
    raise AssertionError("memory extraction did not finish")


def _system(request: dict) -> str:
    return request["messages"][0]["content"]


def test_a_preference_from_one_conversation_reaches_the_next_one(memory_live):
    live, llm, extraction, memory = memory_live
    extraction.replies.append({"memories": [fact("我喜欢简洁的回答，不要客套话")]})
    llm.add(text("好的，以后我会简洁回答。"), text("Python 的列表推导式：[x*x for x in xs]"))
    first = live.new_conversation()
    live.send(first, "以后回答我简洁一点，不要那么多客套话")
    _settle(live, extraction, 1)
    assert "以后回答我简洁一点" in extraction.calls[0]["messages"][-1]["content"]
    [item] = memory.items()
    assert item.source == "chat" and item.source_conversation_id == first
    events = live.send(live.new_conversation(), "简单讲讲 Python 的列表推导式，回答简洁点")
    assert "我喜欢简洁的回答，不要客套话" in _system(llm.requests[-1])
    used = next(d for n, d in events if n == "memory")
    assert used["items"] == [{"id": item.id, "content": "我喜欢简洁的回答，不要客套话"}]


def test_a_one_off_request_stores_nothing(memory_live):
    live, llm, extraction, memory = memory_live
    extraction.replies.append({"memories": [fact("用户喜欢蓝色", durable=False, confidence=0.2)]})
    llm.add(text("已把 PPT 改成蓝色主题。"))
    live.send(live.new_conversation(), "把这个 PPT 改成蓝色")
    _settle(live, extraction, 1)
    assert memory.items() == [] and "蓝色" not in memory.path.read_text(encoding="utf-8")


def test_a_contradiction_replaces_the_older_memory(memory_live):
    live, llm, extraction, memory = memory_live
    old = memory.add("我住在杭州", kind="profile")
    extraction.replies.append({"memories": [fact("我住在上海", "profile", replaces=old.id)]})
    llm.add(text("恭喜搬家！"), text("上海明天晴。"))
    live.send(live.new_conversation(), "我上个月从杭州搬到上海了")
    _settle(live, extraction, 1)
    assert [i.content for i in memory.items()] == ["我住在上海"]
    live.send(live.new_conversation(), "我住的城市明天天气怎么样")
    system = _system(llm.requests[-1])
    assert "我住在上海" in system and "我住在杭州" not in system


def test_remember_me_tool_call_stores_and_forget_removes(memory_live):
    live, llm, extraction, memory = memory_live
    llm.add(Reply(tool_calls=[ToolCall("remember", {"text": "我喜欢喝美式咖啡", "kind": "preference"}, "r1")]),
            text("记住了！"),
            Reply(tool_calls=[ToolCall("forget", {"query": "咖啡"}, "f1")]),
            text("已经忘掉了。"))
    cid = live.new_conversation()
    events = live.send(cid, "记住我喜欢喝美式咖啡")
    assert next(d for n, d in events if n == "tool_result")["ok"] is True
    assert [i.content for i in memory.items()] == ["我喜欢喝美式咖啡"]
    assert "我喜欢喝美式咖啡" in memory.path.read_text(encoding="utf-8")
    live.send(cid, "forget that I like coffee")
    assert memory.items() == [] and "咖啡" not in memory.path.read_text(encoding="utf-8")


def test_editing_memory_md_by_hand_changes_what_the_model_is_told(memory_live):
    live, llm, extraction, memory = memory_live
    memory.add("我的猫叫豆豆", kind="profile")
    write_file(memory, memory.path.read_text(encoding="utf-8").replace("豆豆", "年糕"))
    llm.add(text("年糕今天怎么样？"))
    live.send(live.new_conversation(), "我的猫最近不爱吃饭")
    system = _system(llm.requests[-1])
    assert "我的猫叫年糕" in system and "豆豆" not in system


def test_a_memory_deleted_in_the_api_leaves_the_file_and_the_prompt(memory_live):
    live, llm, extraction, memory = memory_live
    item = memory.add("我女儿对花生过敏", kind="profile")
    with live.client() as c:
        assert c.delete(f"/api/memory/{item.id}").status_code == 204
    assert "花生" not in memory.path.read_text(encoding="utf-8")
    llm.add(text("可以试试燕麦饼干。"))
    live.send(live.new_conversation(), "给女儿推荐点花生零食")
    assert "花生过敏" not in _system(llm.requests[-1])
