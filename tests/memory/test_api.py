"""The memory API: what the user sees in the UI, and MEMORY.md following every change."""

from __future__ import annotations


def _add(client, content, **body):
    r = client.post("/api/memory", json={"content": content, **body})
    assert r.status_code == 201, r.text
    return r.json()


def test_added_memory_is_listed_and_written_to_memory_md(client, memory):
    item = _add(client, "喜欢简洁的回答", kind="preference")
    listed = client.get("/api/memory").json()
    assert [i["content"] for i in listed["items"]] == ["喜欢简洁的回答"]
    assert listed["problems"] == [] and listed["settings"] == {"auto": True, "approval": False}
    line = next(ln for ln in memory.path.read_text(encoding="utf-8").splitlines() if "喜欢简洁" in ln)
    assert line.startswith(f"- 喜欢简洁的回答 <!-- #{item['id']}") and "api" in line


def test_deleting_through_api_removes_the_line_from_the_file(client, memory):
    keep = _add(client, "I prefer dark mode")
    gone = _add(client, "我养了一只橘猫，叫豆豆", kind="profile")
    assert "豆豆" in memory.path.read_text(encoding="utf-8")
    assert client.delete(f"/api/memory/{gone['id']}").status_code == 204
    text = memory.path.read_text(encoding="utf-8")
    assert "豆豆" not in text and f"#{keep['id']}" in text
    assert [i["id"] for i in client.get("/api/memory").json()["items"]] == [keep["id"]]
    assert client.get(f"/api/memory/{gone['id']}").status_code == 404


def test_edit_pin_and_kind_change_are_saved_with_history(client, memory):
    item = _add(client, "我喝咖啡只喝拿铁")
    r = client.patch(f"/api/memory/{item['id']}", json={"content": "我喝咖啡只喝美式", "kind": "profile",
                                                         "pinned": True})
    assert r.status_code == 200 and r.json()["content"] == "我喝咖啡只喝美式" and r.json()["pinned"] is True
    detail = client.get(f"/api/memory/{item['id']}").json()
    assert [v["content"] for v in detail["versions"]] == ["我喝咖啡只喝拿铁"]
    text = memory.path.read_text(encoding="utf-8")
    assert "拿铁" not in text
    profile = text.split("## 关于我")[1].split("##")[0]
    assert "我喝咖啡只喝美式" in profile and "pinned" in profile


def test_search_ranks_the_relevant_memory_first(client):
    _add(client, "我女儿对花生过敏", kind="profile")
    cat = _add(client, "我养了一只橘猫，叫豆豆", kind="profile")
    _add(client, "I prefer dark mode in every app")
    r = client.get("/api/memory/search", params={"q": "我的猫叫什么", "k": 2})
    assert r.status_code == 200
    matches = r.json()["matches"]
    assert matches[0]["id"] == cat["id"] and matches[0]["content"] == cat["content"]
    assert len(matches) <= 2 and matches[0]["score"] > 0


def test_export_returns_the_markdown_file(client, memory):
    _add(client, "Always answer in English", kind="instruction")
    r = client.get("/api/memory/export")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
    assert r.text == memory.path.read_text(encoding="utf-8")
    assert "- Always answer in English <!--" in r.text.split("## 指令")[1]


def test_posting_the_same_memory_twice_keeps_one(client):
    first = _add(client, "我不吃香菜")
    second = _add(client, " 我不吃香菜。 ")
    assert second["id"] == first["id"]
    assert len(client.get("/api/memory").json()["items"]) == 1


def test_bad_input_is_refused_with_readable_errors(client):
    assert client.post("/api/memory", json={"content": "   "}).status_code == 422
    assert client.post("/api/memory", json={"content": "x", "kind": "mood"}).status_code == 422
    assert client.patch("/api/memory/999", json={"pinned": True}).status_code == 404
    assert client.delete("/api/memory/999").json()["error"]["code"] == "memory_not_found"


def test_settings_switch_auto_memory_and_approval(client):
    r = client.patch("/api/memory/settings", json={"auto": False, "approval": True})
    assert r.json() == {"auto": False, "approval": True}
    assert client.get("/api/memory/settings").json() == {"auto": False, "approval": True}
    assert client.get("/api/memory").json()["settings"] == {"auto": False, "approval": True}


def test_memory_needs_the_token(anon_client):
    assert anon_client.get("/api/memory").status_code == 401
