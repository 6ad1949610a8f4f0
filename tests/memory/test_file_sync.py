"""MEMORY.md edited by hand: changes are read back on the next use, and a bad edit loses nothing."""

from __future__ import annotations

from tests.memory.conftest import write_file
from xiaodazi.memory import MemoryStatus


def _contents(client) -> list[str]:
    return [i["content"] for i in client.get("/api/memory").json()["items"]]


def test_changing_a_line_changes_the_memory_and_keeps_history(client, memory):
    item = memory.add("我喝咖啡只喝拿铁")
    write_file(memory, memory.path.read_text(encoding="utf-8").replace("拿铁", "美式"))
    assert _contents(client) == ["我喝咖啡只喝美式"]
    assert [v.content for v in memory.repo.history(item.id)] == ["我喝咖啡只喝拿铁"]


def test_editing_memory_md_changes_what_is_recalled(client, memory):
    memory.add("我住在杭州西湖区", kind="profile")
    assert "杭州" in memory.recall("我住在哪里")[0].content
    write_file(memory, memory.path.read_text(encoding="utf-8").replace("杭州西湖区", "上海浦东新区"))
    recalled = [i.content for i in memory.recall("我住在哪里")]
    assert recalled == ["我住在上海浦东新区"]
    hits = client.get("/api/memory/search", params={"q": "上海"}).json()["matches"]
    assert hits[0]["content"] == "我住在上海浦东新区"


def test_deleting_a_line_deletes_the_memory_and_backs_up_the_old_file(client, memory):
    memory.add("I prefer dark mode")
    gone = memory.add("我的猫叫豆豆", kind="profile")
    lines = [ln for ln in memory.path.read_text(encoding="utf-8").splitlines() if "豆豆" not in ln]
    write_file(memory, "\n".join(lines) + "\n")
    assert _contents(client) == ["I prefer dark mode"]
    assert memory.repo.get(gone.id).status == MemoryStatus.deleted
    backups = list(memory.file.backup_dir.glob("MEMORY-*-before-edit.md"))
    assert backups and "豆豆" in backups[0].read_text(encoding="utf-8")


def test_a_new_line_becomes_a_memory_and_gets_its_tag(client, memory):
    memory.add("I prefer dark mode")
    text = memory.path.read_text(encoding="utf-8")
    write_file(memory, text.replace("## 项目 · Projects\n", "## 项目 · Projects\n- 青鸟是一个记账小程序\n"))
    items = client.get("/api/memory").json()["items"]
    new = next(i for i in items if i["content"] == "青鸟是一个记账小程序")
    assert new["kind"] == "project" and new["source"] == "file"
    assert f"- 青鸟是一个记账小程序 <!-- #{new['id']}" in memory.path.read_text(encoding="utf-8")


def test_moving_a_line_or_writing_pinned_changes_kind_and_pin(client, memory):
    item = memory.add("Always answer in English")
    text = memory.path.read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if "Always answer" in ln)
    pinned_line = line.replace(f"#{item.id}", f"#{item.id} pinned")
    moved = text.replace(line + "\n", "").replace("## 指令 · Instructions\n",
                                                  "## 指令 · Instructions\n" + pinned_line + "\n")
    write_file(memory, moved)
    got = client.get(f"/api/memory/{item.id}").json()["item"]
    assert got["kind"] == "instruction" and got["pinned"] is True


def test_an_emptied_file_is_reported_and_restored_without_losing_items(client, memory):
    memory.add("我女儿对花生过敏", kind="profile")
    memory.add("I prefer dark mode")
    write_file(memory, "")
    listed = client.get("/api/memory").json()
    assert len(listed["items"]) == 2
    assert listed["problems"] and "MEMORY.md" in listed["problems"][0]
    assert "花生" in memory.path.read_text(encoding="utf-8")
    assert list(memory.file.backup_dir.glob("MEMORY-*-broken.md"))


def test_a_broken_tag_is_reported_and_deletes_nothing(client, memory, caplog):
    a = memory.add("我不吃香菜")
    memory.add("I prefer dark mode")
    text = memory.path.read_text(encoding="utf-8")
    text = text.replace(f"<!-- #{a.id} ·", f"<!-- #{a.id} ·· oops").replace(" -->\n", "\n", 1)  # unclosed tag
    text = text.replace("dark mode", "light mode")
    write_file(memory, text)
    listed = client.get("/api/memory").json()
    assert sorted(i["content"] for i in listed["items"]) == ["I prefer light mode", "我不吃香菜"]
    assert any("line" in p for p in listed["problems"])
    assert any("memory" in r.name and r.levelname == "WARNING" for r in caplog.records)
    assert list(memory.file.backup_dir.glob("MEMORY-*-with-problems.md"))


def test_a_file_that_is_not_utf8_loses_nothing(client, memory):
    memory.add("我女儿对花生过敏", kind="profile")
    memory.path.write_bytes("- 女儿对花生过敏".encode("gb18030") + b"\xff\xfe")
    assert _contents(client) == ["我女儿对花生过敏"]
    assert any("UTF-8" in p for p in client.get("/api/memory").json()["problems"])


def test_a_deleted_file_is_written_again(client, memory):
    memory.add("I prefer dark mode")
    memory.path.unlink()
    assert _contents(client) == ["I prefer dark mode"]
    assert "dark mode" in memory.path.read_text(encoding="utf-8")


def test_edits_made_while_the_app_was_closed_apply_at_next_start(settings, service):
    service.add("我喝咖啡只喝拿铁")
    path = service.path
    from fastapi.testclient import TestClient

    from tests.conftest import TOKEN
    from xiaodazi.api.app import create_app

    path.write_text(path.read_text(encoding="utf-8").replace("拿铁", "美式"), encoding="utf-8")
    with TestClient(create_app(settings), headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        assert [i["content"] for i in c.get("/api/memory").json()["items"]] == ["我喝咖啡只喝美式"]
