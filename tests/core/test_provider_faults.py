"""Provider failures end in a retry, a fallback or a readable error, within bounded time."""

from tests.support.chat import names, text_of
from tests.support.scripted_llm import Reply, error, text


def test_rate_limit_is_retried_then_answer_arrives(live, llm):
    llm.add(error(429, "slow down"), text("终于好了"))
    events = live.send(live.new_conversation(), "hi")
    assert text_of(events) == "终于好了" and names(events)[-1] == "done"
    assert len(llm.requests) == 2


def test_persistent_server_error_falls_back_to_backup_model(live, llm):
    live.services.providers.update("openai", base_url=llm.base_url)
    live.services.store.set_setting("fallback_model", "openai/backup")
    llm.add(*[error(500, "boom", model="scripted") for _ in range(3)], text("备用模型回答", model="backup"))
    cid = live.new_conversation()
    events = live.send(cid, "hi")
    assert text_of(events) == "备用模型回答"
    assert events[-1][1]["model"] == "openai/backup"
    assert [r["model"] for r in llm.requests] == ["scripted"] * 3 + ["backup"]
    with live.client() as c:
        assert c.get(f"/api/conversations/{cid}/messages").json()["items"][-1]["model"] == "openai/backup"


def test_persistent_failure_without_fallback_is_a_readable_error(live, llm):
    llm.add(*[error(503, "maintenance") for _ in range(3)])
    cid = live.new_conversation()
    events = live.send(cid, "hi")
    assert names(events)[-1] == "error"
    err = events[-1][1]
    assert err["code"] == "server" and "server error" in err["message"]
    with live.client() as c:
        items = c.get(f"/api/conversations/{cid}/messages").json()["items"]
    assert items[0]["content"] == "hi"  # the user's message is kept
    assert items[-1]["status"] == "error" and items[-1]["error"]


def test_bad_key_is_not_retried_and_says_so(live, llm):
    llm.add(error(401, "invalid api key"), text("never"))
    events = live.send(live.new_conversation(), "hi")
    assert events[-1][0] == "error" and events[-1][1]["code"] == "auth"
    assert "key" in events[-1][1]["message"] and len(llm.requests) == 1


def test_stalled_stream_times_out_and_keeps_partial_text(live, llm):
    live.settings.stream_idle_timeout = 0.5
    llm.add(Reply(text="部分回答然后卡住了", chunk_size=4, stall=3))
    cid = live.new_conversation()
    events = live.send(cid, "hi")
    assert events[-1][0] == "error" and events[-1][1]["code"] == "timeout"
    with live.client() as c:
        last = c.get(f"/api/conversations/{cid}/messages").json()["items"][-1]
    assert last["status"] == "error" and last["content"] == "部分回答"


def test_no_answer_at_all_times_out_after_retries(live, llm):
    live.settings.model_timeout = 0.5
    llm.add(*[Reply(text="late", delay=2) for _ in range(3)])
    events = live.send(live.new_conversation(), "hi")
    assert events[-1][0] == "error" and events[-1][1]["code"] == "timeout"
    assert len(llm.requests) == 3


def test_truncated_stream_is_an_error_that_keeps_what_arrived(live, llm):
    llm.add(Reply(text="这个回答会被截断在中间的位置", chunk_size=2, truncate=True))
    cid = live.new_conversation()
    events = live.send(cid, "hi")
    assert events[-1][0] == "error" and events[-1][1]["code"] == "truncated"
    assert "cut off" in events[-1][1]["message"]
    with live.client() as c:
        last = c.get(f"/api/conversations/{cid}/messages").json()["items"][-1]
    assert last["status"] == "error" and last["content"] == text_of(events) and last["content"].startswith("这个回答")


def test_broken_json_chunk_before_any_text_is_retried(live, llm):
    llm.add(Reply(text="abcdefghijklmnop", chunk_size=2, broken_chunk=True), text("second try"))
    events = live.send(live.new_conversation(), "hi")
    assert names(events)[-1] == "done" and text_of(events) == "second try"
    assert len(llm.requests) == 2
