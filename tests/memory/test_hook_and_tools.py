"""The turn hook (recall before, extraction after) and the remember / forget / recall tools."""

from __future__ import annotations

import asyncio

from xiaodazi.core.hooks import TurnContext
from xiaodazi.core.tools import ToolContext, ToolRetry
from xiaodazi.memory import MemoryHook
from xiaodazi.memory.tools import TOOLS, forget, recall, remember


def _turn(text, history=None, run_id="run-1"):
    return TurnContext(conversation_id="conv-9", run_id=run_id, user_text=text, history=history or [])


def _ctx(service, tmp_path):
    return ToolContext(workspace=tmp_path, data_dir=tmp_path, conversation_id="conv-9", services={"memory": service})


def test_before_turn_adds_only_the_relevant_items_and_a_memory_event(service):
    cat = service.add("我养了一只橘猫，叫豆豆", kind="profile")
    service.add("I prefer dark mode in every app")
    service.add("周报每周五下午五点前交给李经理", kind="project")
    got = asyncio.run(MemoryHook(service).before_turn(_turn("我的猫今天不吃饭怎么办")))
    assert "豆豆" in got.system and "dark mode" not in got.system and "周报" not in got.system
    assert got.events == [("memory", {"items": [{"id": cat.id, "content": cat.content}]})]


def test_pinned_items_always_come_and_the_budget_is_kept(service):
    allergy = service.add("我女儿对花生过敏", kind="profile", pinned=True)
    for n in range(8):
        service.add(f"第 {n} 个项目的长篇说明：" + "很长的描述" * 20, kind="project")
    got = asyncio.run(MemoryHook(service, budget_tokens=120).before_turn(_turn("第 3 个项目的进度如何")))
    ids = [i["id"] for i in got.events[0][1]["items"]]
    assert ids[0] == allergy.id and len(ids) <= 2
    assert len(got.system) < 600


def test_small_talk_with_an_empty_memory_adds_nothing(service):
    assert asyncio.run(MemoryHook(service).before_turn(_turn("你好"))) is None


def test_a_short_follow_up_is_recalled_with_the_previous_message(service):
    service.add("青鸟项目的后端用 Go 和 PostgreSQL", kind="project")
    history = [{"role": "user", "content": "青鸟项目的数据库选型"}, {"role": "assistant", "content": "…"}]
    got = asyncio.run(MemoryHook(service).before_turn(_turn("那缓存呢？", history)))
    assert got is not None and "PostgreSQL" in got.system


def test_after_turn_marks_recalled_items_as_used(service):
    item = service.add("我喝咖啡只喝美式")
    hook = MemoryHook(service)

    async def turn():
        await hook.before_turn(_turn("帮我点一杯咖啡"))
        await hook.after_turn(_turn("帮我点一杯咖啡"), "好的")

    asyncio.run(turn())
    assert service.repo.get(item.id).last_used_at is not None


def test_remember_tool_stores_what_the_user_asked(service, tmp_path):
    out = asyncio.run(remember.func(_ctx(service, tmp_path), "我喜欢简洁的回答"))
    assert "我喜欢简洁的回答" in out.text
    [item] = service.items()
    assert item.source == "tool" and item.source_conversation_id == "conv-9"
    assert {t.name for t in TOOLS} == {"remember", "forget", "recall"}
    assert remember.schema()["function"]["parameters"]["required"] == ["text"]


def test_forget_tool_removes_matching_memories_and_says_when_nothing_matched(service, tmp_path):
    service.add("我喜欢喝美式咖啡")
    keep = service.add("I prefer dark mode")
    out = asyncio.run(forget.func(_ctx(service, tmp_path), query="咖啡"))
    assert "咖啡" in out.text and [i.id for i in service.items()] == [keep.id]
    assert "咖啡" not in service.path.read_text(encoding="utf-8")
    nothing = asyncio.run(forget.func(_ctx(service, tmp_path), query="量子物理"))
    assert nothing.data == {"forgotten": []} and len(service.items()) == 1


def test_forget_by_id_and_bad_calls_go_back_to_the_model(service, tmp_path):
    for text in ("我喜欢猫", "我喜欢狗", "我喜欢爬山", "我喜欢游泳"):
        service.add(text)
    try:
        asyncio.run(forget.func(_ctx(service, tmp_path), query="我喜欢"))
        raise AssertionError("a query matching four memories must not delete them all")
    except ToolRetry as exc:
        assert "#1" in str(exc) and len(service.items()) == 4
    for item in service.items():
        service.delete(item.id)
    item = service.add("My cat is called Mimi", kind="profile")
    asyncio.run(forget.func(_ctx(service, tmp_path), memory_id=item.id))
    assert service.items() == []
    for kwargs in ({"memory_id": 12345}, {}):
        try:
            asyncio.run(forget.func(_ctx(service, tmp_path), **kwargs))
        except ToolRetry:
            continue
        raise AssertionError(f"forget({kwargs}) should ask the model to retry")


def test_recall_tool_finds_memories_across_languages(service, tmp_path):
    service.add("My daughter is allergic to peanuts", kind="profile")
    service.add("我喜欢简洁的回答")
    out = asyncio.run(recall.func(_ctx(service, tmp_path), "女儿 过敏"))
    assert out.data["matches"][0]["content"] == "My daughter is allergic to peanuts"


def test_without_embeddings_a_small_memory_is_still_recalled(settings, tmp_path):
    from xiaodazi.memory import MemoryService
    from xiaodazi.storage.memory_store import SqlMemoryRepository
    from xiaodazi.storage.repo import Store

    store = Store.open(f"sqlite:///{tmp_path / 'lex.db'}", tmp_path / "b")
    service = MemoryService(SqlMemoryRepository(store), tmp_path / "MEMORY.md", tmp_path / "mb", embeddings=False)
    service.add("我喜欢简洁的回答")
    hook = MemoryHook(service)
    got = asyncio.run(hook.before_turn(_turn("回答简洁一点就好")))
    assert got is not None and "我喜欢简洁的回答" in got.system
    assert asyncio.run(hook.before_turn(_turn("今天天气怎么样"))) is None
    store.close()
