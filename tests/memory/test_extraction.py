"""Automatic extraction with a scripted Completer standing in for the light model."""

from __future__ import annotations

import asyncio
import json

from xiaodazi.memory import MemoryStatus
from xiaodazi.memory.extract import Exchange, Extractor


class ScriptedCompleter:
    """Answers every extraction call with the next canned JSON reply and records the calls."""

    def __init__(self, *replies: object) -> None:
        self.replies = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in replies]
        self.calls: list[dict] = []

    async def __call__(self, messages, *, json_schema=None) -> str:
        self.calls.append({"messages": messages, "json_schema": json_schema})
        return self.replies.pop(0) if self.replies else '{"memories": []}'


def fact(content, kind="preference", durable=True, replaces=None, confidence=0.9):
    return {"content": content, "kind": kind, "durable": durable, "replaces": replaces, "confidence": confidence}


def _extract(service, completer, user_text, answer="好的", cid="conv-1"):
    return asyncio.run(Extractor(service, completer, delay=0).extract(cid, [Exchange(user_text, answer)]))


def test_a_stated_preference_is_stored_with_its_source(service):
    completer = ScriptedCompleter({"memories": [fact("我喜欢简洁的回答")]})
    stored = _extract(service, completer, "以后回答简洁一点，我不喜欢长篇大论")
    assert [i.content for i in stored] == ["我喜欢简洁的回答"]
    item = service.items()[0]
    assert item.source == "chat" and item.source_conversation_id == "conv-1" and item.status == "active"
    assert "我喜欢简洁的回答" in service.path.read_text(encoding="utf-8")
    call = completer.calls[0]
    assert call["json_schema"]["required"] == ["memories"]
    assert "以后回答简洁一点" in call["messages"][-1]["content"]


def test_a_one_off_request_stores_nothing(service):
    completer = ScriptedCompleter({"memories": [fact("用户喜欢蓝色", durable=False, confidence=0.3)]})
    assert _extract(service, completer, "把这个 PPT 改成蓝色") == []
    assert service.items() == []
    assert "one-off" in completer.calls[0]["messages"][0]["content"]


def test_a_contradiction_replaces_the_older_item_and_keeps_it_in_history(service):
    old = service.add("我喝咖啡只喝拿铁")
    completer = ScriptedCompleter({"memories": [fact("我现在只喝美式咖啡", replaces=old.id)]})
    [new] = _extract(service, completer, "我现在不喝拿铁了，只喝美式")
    assert f"#{old.id} [preference] 我喝咖啡只喝拿铁" in completer.calls[0]["messages"][-1]["content"]
    assert [i.content for i in service.items()] == ["我现在只喝美式咖啡"]
    assert service.repo.get(old.id).status == MemoryStatus.superseded and new.supersedes == old.id
    assert "拿铁" not in service.path.read_text(encoding="utf-8")


def test_a_duplicate_proposal_merges_into_the_existing_item(service):
    old = service.add("我不吃香菜", confidence=0.7)
    completer = ScriptedCompleter({"memories": [fact("我不吃香菜。", confidence=0.95)]})
    [merged] = _extract(service, completer, "别放香菜，我不吃香菜")
    assert merged.id == old.id and len(service.items()) == 1 and merged.confidence == 0.95


def test_switching_automatic_memory_off_skips_the_model_call(service):
    service.update_settings(auto=False)
    completer = ScriptedCompleter({"memories": [fact("我喜欢简洁的回答")]})
    assert _extract(service, completer, "回答简洁一点") == []
    assert completer.calls == [] and service.items() == []


def test_with_approval_on_new_items_wait_and_stay_out_of_recall_and_file(service):
    service.update_settings(approval=True)
    [item] = _extract(service, ScriptedCompleter({"memories": [fact("我女儿对花生过敏", "profile")]}),
                      "我女儿对花生过敏，推荐零食时注意")
    assert item.status == MemoryStatus.pending
    assert "花生" not in service.path.read_text(encoding="utf-8")
    assert service.recall("女儿 花生 零食") == []
    service.update(item.id, approve=True)
    assert "花生" in service.path.read_text(encoding="utf-8")
    assert [i.content for i in service.recall("女儿能吃花生吗")] == ["我女儿对花生过敏"]


def test_a_burst_of_turns_is_extracted_once(service):
    completer = ScriptedCompleter({"memories": [fact("我在做一个叫青鸟的记账小程序", "project")]})
    extractor = Extractor(service, completer, delay=0.05)

    async def burst():
        return await asyncio.gather(*(extractor.after_turn("c", f"消息 {n}", "好") for n in range(3)))

    results = asyncio.run(burst())
    assert len(completer.calls) == 1 and sum(len(r) for r in results) == 1
    sent = completer.calls[0]["messages"][-1]["content"]
    assert all(f"消息 {n}" in sent for n in range(3))


def test_an_unreadable_or_failing_model_reply_stores_nothing(service):
    assert _extract(service, ScriptedCompleter("sorry, I cannot do JSON"), "我喜欢猫") == []

    async def down(messages, *, json_schema=None):
        raise ConnectionError("light model offline")

    assert _extract(service, down, "我喜欢猫") == [] and service.items() == []
