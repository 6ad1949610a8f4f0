import pytest


@pytest.fixture
def seeded(client):
    store = client.app.state.services.store
    zh = store.create_conversation("整理")
    store.add_message(zh.id, "user", "帮我整理一下桌面")
    store.add_message(zh.id, "assistant", "好的，我把桌面上的文件按类型放进了文件夹。")
    en = store.create_conversation("report")
    store.add_message(en.id, "user", "Summarise the quarterly Report for me")
    store.add_message(en.id, "tool", "quarterly report raw tool output", tool_call_id="t1")
    return zh.id, en.id


def test_two_character_chinese_term_finds_message(client, seeded):
    hits = client.get("/api/search", params={"q": "整理"}).json()["items"]
    assert [h["conversation_id"] for h in hits] == [seeded[0]]
    assert hits[0]["snippet"] == "帮我<mark>整理</mark>一下桌面"
    assert isinstance(hits[0]["message_id"], int)


def test_longer_chinese_substring_uses_index(client, seeded):
    hits = client.get("/api/search", params={"q": "按类型放进"}).json()["items"]
    assert len(hits) == 1 and hits[0]["role"] == "assistant"
    assert "<mark>按类型放进</mark>" in hits[0]["snippet"]


def test_english_search_is_case_insensitive_and_skips_tool_output(client, seeded):
    hits = client.get("/api/search", params={"q": "quarterly report"}).json()["items"]
    assert [h["role"] for h in hits] == ["user"]
    assert "<mark>quarterly</mark>" in hits[0]["snippet"] and "<mark>Report</mark>" in hits[0]["snippet"]


def test_all_terms_must_match(client, seeded):
    assert client.get("/api/search", params={"q": "整理 quarterly"}).json()["items"] == []


def test_snippet_escapes_html(client):
    store = client.app.state.services.store
    conv = store.create_conversation()
    store.add_message(conv.id, "user", "<script>alert(1)</script> findme")
    snippet = client.get("/api/search", params={"q": "findme"}).json()["items"][0]["snippet"]
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_edited_message_is_found_by_new_text_only(client):
    store = client.app.state.services.store
    conv = store.create_conversation()
    msg = store.add_message(conv.id, "assistant", "first draft text")
    store.update_message(msg.id, content="final wording")
    assert client.get("/api/search", params={"q": "draft"}).json()["items"] == []
    assert len(client.get("/api/search", params={"q": "wording"}).json()["items"]) == 1


def test_deleted_conversation_leaves_no_hits(client, seeded):
    client.delete(f"/api/conversations/{seeded[0]}")
    assert client.get("/api/search", params={"q": "桌面"}).json()["items"] == []


def test_quotes_and_fts_syntax_in_query_do_not_error(client, seeded):
    for q in ['"', 'AND OR NOT', "rep*", "NEAR(a b)", "'; DROP TABLE messages; --", "%_"]:
        assert client.get("/api/search", params={"q": q}).status_code == 200


def test_empty_query_is_422(client):
    assert client.get("/api/search", params={"q": ""}).status_code == 422
