"""Provider keys never reach logs, API responses or the conversation store."""

from tests.support.scripted_llm import text

PLANTED = "sk-test-planted-key-0042"  # the live fixture's XIAODAZI_API_KEY


def test_planted_keys_never_appear_in_responses_or_logs(live, llm):
    dashscope_key = "sk-dashscope-secret-9f2c77aa"
    llm.add(text("fine"))
    with live.client() as c:
        saved = c.put("/api/providers/dashscope", json={"key": dashscope_key}).json()
        assert saved["key"] == "sk-…77aa" and saved["configured"] is True
        listing = c.get("/api/providers").text
        settings = c.get("/api/settings").text
        cid = c.post("/api/conversations").json()["id"]
    events = live.send(cid, "my key is in the env, not here")
    with live.client() as c:
        messages = c.get(f"/api/conversations/{cid}/messages").text
    import logging

    for handler in logging.getLogger().handlers:
        handler.flush()
    logs = "".join(p.read_text() for p in (live.settings.data_dir / "logs").glob("*.log*"))
    for blob in (listing, settings, messages, str(events), logs):
        assert dashscope_key not in blob and PLANTED not in blob
    assert llm.requests[0]["_headers"]["authorization"] == f"Bearer {PLANTED}"  # it was used, per call


def test_stored_key_is_not_in_any_plain_file(live):
    key = "sk-zhipu-secret-abcdef123456"
    with live.client() as c:
        c.put("/api/providers/zhipu", json={"key": key})
    for path in live.settings.data_dir.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path


def test_env_key_overrides_stored_key(live, monkeypatch):
    with live.client() as c:
        c.put("/api/providers/deepseek", json={"key": "sk-stored-deepseek-1111"})
        monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-from-env-deepseek-2222")
        item = next(p for p in c.get("/api/providers").json()["items"] if p["name"] == "deepseek")
    assert item["key"] == "sk-…2222" and item["key_source"] == "env"
