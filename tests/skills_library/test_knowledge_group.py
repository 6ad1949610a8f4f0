"""The knowledge-group skills: each catalogue 'offline test' run against the skill's own script or tools."""

from __future__ import annotations

import asyncio
import csv
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.skills_library.fd_helpers import SKILLS, run_script
from tests.skills_library.part3a_helpers import FIXTURES, check_structure, run_env
from tests.tools.fixtures.loopback import serve_site

KNOWLEDGE = ["local-knowledge-base", "quick-notes", "obsidian-vault", "memory-manager", "reading-highlights",
             "web-clipper", "chat-history-search", "skill-creator", "skill-finder"]


@pytest.mark.parametrize("name", KNOWLEDGE)
def test_knowledge_skill_body_is_complete(name):
    check_structure(name, "knowledge")


def _notes(root: Path) -> None:
    (root / "工作").mkdir(parents=True)
    (root / "工作/报销.md").write_text("# 报销制度\n\n差旅报销需要在出差结束后15天内提交发票和行程单。\n\n"
                                       "餐费标准为每天100元，住宿按城市分级。\n", encoding="utf-8")
    (root / "it.txt").write_text("Meeting notes\n\nThe VPN password rotates every 90 days.\n\nLunch at noon.\n")
    (root / "生活.md").write_text("周末去爬山。\n\n记得给猫买猫粮。\n", encoding="utf-8")


def test_knowledge_base_cites_the_right_file_and_paragraph(tmp_path):
    notes, db = tmp_path / "notes", tmp_path / "kb.sqlite"
    _notes(notes)
    out = run_script("local-knowledge-base", "kb.py", "--db", db, "index", notes)
    assert out["files"] == 3 and out["indexed_now"] == 3
    hit = run_script("local-knowledge-base", "kb.py", "--db", db, "search", "报销 天内 提交")["hits"][0]
    assert Path(hit["path"]).name == "报销.md" and hit["line"] == 3 and "15天内" in hit["text"]
    hit = run_script("local-knowledge-base", "kb.py", "--db", db, "search", "vpn password")["hits"][0]
    assert Path(hit["path"]).name == "it.txt" and hit["line"] == 3
    (notes / "it.txt").write_text("The VPN password now rotates every 30 days.\n")
    (notes / "生活.md").unlink()
    again = run_script("local-knowledge-base", "kb.py", "--db", db, "index", notes)
    assert again["indexed_now"] == 1 and again["removed"] == 1 and again["files"] == 2
    hit = run_script("local-knowledge-base", "kb.py", "--db", db, "search", "VPN password")["hits"][0]
    assert "30 days" in hit["text"] and hit["line"] == 1
    run_script("local-knowledge-base", "kb.py", "--db", db, "search", "猫粮", ok=False)


def test_quick_note_lands_in_todays_file_and_is_found_by_tag(tmp_path):
    book = tmp_path / "notes"
    added = run_script("quick-notes", "notes.py", "--dir", book, "add", "下周三前给王总回电话 #工作", "--tag", "待办")
    today = book / f"{date.today():%Y-%m-%d}.md"
    assert Path(added["file"]) == today and set(added["tags"]) == {"工作", "待办"}
    assert "下周三前给王总回电话 #工作 #待办" in today.read_text(encoding="utf-8")
    run_script("quick-notes", "notes.py", "--dir", book, "add", "Idea: a podcast about old maps", "--tag", "idea",
               "--at", "2025-01-05T08:30")
    found = run_script("quick-notes", "notes.py", "--dir", book, "search", "--tag", "待办")
    assert [n["text"] for n in found["notes"]] == ["下周三前给王总回电话 #工作 #待办"]
    old = run_script("quick-notes", "notes.py", "--dir", book, "search", "podcast", "--until", "2025-01-31")["notes"]
    assert [(n["date"], n["time"]) for n in old] == [("2025-01-05", "08:30")]
    run_script("quick-notes", "notes.py", "--dir", book, "search", "podcast", "--tag", "工作", ok=False)
    assert run_script("quick-notes", "notes.py", "--dir", book, "tags")["tags"] == {"idea": 1, "工作": 1, "待办": 1}


def _vault(root: Path) -> None:
    for rel, text in {
        "Home.md": "Start: [[Projects/Alpha|Alpha]] and [[Reading]] and [[Missing note]]\n![[diagram.png]]\n",
        "Projects/Alpha.md": "Back to [[home#Top]]. See [spec](../Specs/spec.md) and [old](gone.md) and [web](https://x.org)\n",
        "Reading.md": "```\n[[Not a link]]\n```\nA list of books. `[[inline code]]`\n",
        "Specs/spec.md": "# Spec\n",
        "Inbox.md": "loose thought\n",
        "Lonely.md": "links out to [[Reading]] but nothing links here\n",
        ".obsidian/workspace.md": "[[ignored]]\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "assets").mkdir()
    (root / "assets/diagram.png").write_bytes(b"png")
    (root / "assets/unused.jpg").write_bytes(b"jpg")


def test_obsidian_report_lists_broken_links_and_orphans_exactly(tmp_path):
    _vault(tmp_path)
    out = run_script("obsidian-vault", "vault.py", tmp_path, "report")
    assert out["notes"] == 6
    assert [(b["note"], b["target"]) for b in out["broken_links"]] == [("Home.md", "Missing note"), ("Projects/Alpha.md", "gone.md")]
    assert out["orphans"] == ["Inbox.md", "Lonely.md"] and out["isolated"] == ["Inbox.md"]
    assert out["unused_attachments"] == ["assets/unused.jpg"]
    back = run_script("obsidian-vault", "vault.py", tmp_path, "backlinks", "home")
    assert back["backlinks"] == [{"note": "Projects/Alpha.md", "line": 1}]


def test_obsidian_daily_note_is_created_once_and_never_overwritten(tmp_path):
    (tmp_path / "Templates").mkdir()
    (tmp_path / "Templates/Daily.md").write_text("# {{date}}\n\n## 今日计划\n", encoding="utf-8")
    args = ["daily", "--folder", "Daily", "--date", "2025-03-14", "--template", "Templates/Daily.md"]
    first = run_script("obsidian-vault", "vault.py", tmp_path, *args)
    note = tmp_path / "Daily/2025-03-14.md"
    assert first["created"] and note.read_text(encoding="utf-8") == "# 2025-03-14\n\n## 今日计划\n"
    note.write_text("my own words", encoding="utf-8")
    assert run_script("obsidian-vault", "vault.py", tmp_path, *args)["created"] is False
    assert note.read_text(encoding="utf-8") == "my own words"


def test_memory_manager_flow_remember_recall_correct_forget(settings, tmp_path):
    from xiaodazi.core.tools import ToolContext
    from xiaodazi.memory import MemoryService
    from xiaodazi.memory.tools import forget, recall, remember
    from xiaodazi.storage.memory_store import SqlMemoryRepository
    from xiaodazi.storage.repo import Store

    settings.ensure_dirs()
    store = Store.open(settings.database_url, settings.backup_dir)
    try:
        # The app's service on a real database; lexical recall only, so the test does not load the embedding model.
        service = MemoryService(SqlMemoryRepository(store), settings.data_dir / "MEMORY.md", settings.backup_dir / "memory",
                                embeddings=False)
        ctx = ToolContext(workspace=tmp_path, data_dir=settings.data_dir, services={"memory": service})
        run = asyncio.run
        saved = run(remember.func(ctx, "住在上海", "profile")).data
        run(remember.func(ctx, "对花生过敏", "profile"))
        found = run(recall.func(ctx, "住在哪个城市", 5)).data["matches"]
        assert saved["id"] in [m["id"] for m in found]
        run(forget.func(ctx, memory_id=saved["id"]))  # correct = forget the old fact, remember the new one
        run(remember.func(ctx, "住在深圳", "profile"))
        contents = [m["content"] for m in run(recall.func(ctx, "住在", 10)).data["matches"]]
        assert "住在深圳" in contents and "住在上海" not in contents
        gone = run(forget.func(ctx, query="花生")).data["forgotten"]
        assert [g["content"] for g in gone] == ["对花生过敏"]
        left = [m["content"] for m in (run(recall.func(ctx, "过敏", 10)).data or {}).get("matches", [])]
        assert "对花生过敏" not in left
    finally:
        store.close()


def test_kindle_clippings_become_one_note_per_book_with_correct_counts(tmp_path):
    out = run_script("reading-highlights", "clippings.py", FIXTURES / "My Clippings.txt", "--out-dir", tmp_path / "notes",
                     "--cards", tmp_path / "cards.csv")
    assert out["format"] == "kindle"
    books = {b["book"]: (b["author"], b["highlights"], b["notes"]) for b in out["books"]}
    assert books == {"原则": ("瑞·达利欧", 2, 0), "Atomic Habits": ("James Clear", 2, 1)}
    principles = (tmp_path / "notes/原则.md").read_text(encoding="utf-8")
    assert "要把原则写下来，并不断加以完善。" in principles and "> 要把原则写下来\n" not in principles
    assert "位置 1203" in principles
    with (tmp_path / "cards.csv").open(encoding="utf-8-sig", newline="") as f:
        cards = list(csv.reader(f))
    assert len(cards) == 4 and cards[0] == ["痛苦+反思=进步。", "原则 — 瑞·达利欧"]


def test_weread_export_keeps_chapters(tmp_path):
    out = run_script("reading-highlights", "clippings.py", FIXTURES / "weread.txt", "--out-dir", tmp_path)
    assert out["format"] == "weread" and out["books"][0]["highlights"] == 3
    text = (tmp_path / "置身事内.md").read_text(encoding="utf-8")
    assert text.index("## 第一章 地方政府的权力与事务") < text.index("> 政府不只是") < text.index("## 第二章")


def test_web_clipper_saves_markdown_with_front_matter_and_images(tmp_path):
    with serve_site() as site:
        site.page("/posts/weekly", (FIXTURES / "article.html").read_bytes())
        site.routes["/img/weekly.png"] = (200, {"Content-Type": "image/png"}, b"\x89PNG fake")
        out = run_script("web-clipper", "clip.py", site.url("/posts/weekly"), "--out-dir", tmp_path,
                         "--images", "download", "--tag", "剪藏")
    note = Path(out["file"])
    text = note.read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    assert 'title: "如何做好周报 | 示例博客"' in front and f'source: "{site.url("/posts/weekly")}"' in front
    assert 'author: "李雷"' in front and '"剪藏"' in front and "clipped:" in front
    body = text.split("---\n", 2)[2]
    assert "结果、问题、计划" in body and "首页" not in body and "备案号" not in body
    assert f"]({site.url('/posts/okr')})" in body  # relative links made absolute
    assert out["images_downloaded"] == 1 and "](assets/" in body
    assert next((tmp_path / "assets").iterdir()).read_bytes() == b"\x89PNG fake"
    again = run_script("web-clipper", "clip.py", FIXTURES / "article.html", "--out-dir", tmp_path)
    assert Path(again["file"]).name.endswith("(2).md") and note.read_text(encoding="utf-8") == text


def test_chat_history_search_returns_the_snippet_and_its_date(settings):
    from xiaodazi.storage.repo import Store

    settings.ensure_dirs()
    store = Store.open(settings.database_url, settings.backup_dir)
    try:
        conv = store.create_conversation("报价单整理")
        store.add_message(conv.id, "user", "帮我算一下给华为的报价，单价 38 元，数量 1200")
        answer = store.add_message(conv.id, "assistant", "总报价为 45,600 元（38 元 × 1200 件），含税。")
        store.add_message(conv.id, "tool", "报价 tool output that must not be searched")
        other = store.create_conversation("周末计划")
        store.add_message(other.id, "user", "周末去哪里爬山")
    finally:
        store.close()
    db = settings.data_dir / "xiaodazi.db"
    out = run_script("chat-history-search", "history.py", "--db", db, "search", "报价 含税")
    assert out["count"] == 1
    hit = out["hits"][0]
    assert hit["title"] == "报价单整理" and hit["role"] == "assistant" and "«报价»" in hit["snippet"]
    assert hit["date"][:10] == datetime.now(UTC).date().isoformat()
    assert run_script("chat-history-search", "history.py", "--db", db, "search", "报价")["count"] == 2
    future = (date.today() + timedelta(days=2)).isoformat()
    run_script("chat-history-search", "history.py", "--db", db, "search", "报价", "--since", future, ok=False)
    shown = run_script("chat-history-search", "history.py", "--db", db, "show", hit["conversation_id"], "--around", answer.id)
    assert [m["role"] for m in shown["messages"]] == ["user", "assistant"]


def test_skill_creator_makes_a_folder_that_loads(tmp_path):
    from xiaodazi.skills import SkillLibrary, SkillRoot

    body = tmp_path / "draft.md"
    body.write_text("# 周报\n\nCollect the week's minutes into a report.\n\n## Steps\n\n1. Read `scripts/collect.py` output.\n")
    out = run_script("skill-creator", "new_skill.py", "create", "weekly-report", "--description",
                     "Writes the weekly report from meeting minutes. Use when it is Friday and the user wants the report.",
                     "--group", "office", "--name-zh", "周报", "--description-zh", "汇总周报", "--keywords", "周报 weekly",
                     "--tools", "read_file write_file", "--body-file", body, "--with-scripts", "--dir", tmp_path / "skills")
    folder = tmp_path / "skills/weekly-report"
    assert out["created"] == str(folder) and out["checker"] == "xiaodazi"
    assert out["ok"] and any("scripts/collect.py" in w for w in out["warnings"])  # body names a script not written yet
    (folder / "scripts/collect.py").write_text("print('{}')\n")
    assert run_script("skill-creator", "new_skill.py", "validate", folder)["results"][0]["warnings"] == []
    skill = SkillLibrary([SkillRoot(tmp_path / "skills", "user")]).get("weekly-report")
    assert skill.name_zh == "周报" and skill.group == "office" and skill.allowed_tools == ["read_file", "write_file"]
    _, again = run_env("skill-creator", "new_skill.py", "create", "weekly-report", "--description", "x. Use when y.",
                       "--dir", tmp_path / "skills", code=1)
    assert "exists already" in again["error"]
    bad = tmp_path / "skills/Bad_Name"
    shutil.copytree(folder, bad)
    _, checked = run_env("skill-creator", "new_skill.py", "validate", bad, code=1)
    assert checked["results"][0]["errors"]


def _mini_catalogue(root: Path) -> None:
    for name, zh, desc, kw in (
        ("unit-convert", "单位换算", "Converts units. Use when a quantity is needed in another unit.", "斤 公斤 miles"),
        ("weather-check", "天气查询", "Gets the forecast. Use when the user asks about weather.", "下雨 带伞 rain"),
        ("pdf-merge-split", "PDF合并拆分", "Merges and splits PDF files. Use when pages must be combined.", "合并 拆分"),
    ):
        (root / name).mkdir(parents=True)
        (root / name / "SKILL.md").write_text(
            f"---\nname: {name}\ndescription: {desc}\nmetadata:\n  group: life\n  name-zh: {zh}\n  keywords: {kw}\n---\nbody\n",
            encoding="utf-8")


def test_skill_finder_ranks_the_matching_skill_first(tmp_path):
    _mini_catalogue(tmp_path)
    assert run_script("skill-finder", "find_skills.py", "--dir", tmp_path, "search", "明天会下雨吗")["hits"][0]["name"] == "weather-check"
    assert run_script("skill-finder", "find_skills.py", "--dir", tmp_path, "search", "3斤是多少公斤")["hits"][0]["name"] == "unit-convert"
    run_script("skill-finder", "find_skills.py", "--dir", tmp_path, "search", "translate poetry", ok=False)
    listed = run_script("skill-finder", "find_skills.py", "--dir", tmp_path, "list")
    assert listed["count"] == 3 and listed["groups"] == {"life": 3}
    bundled = run_script("skill-finder", "find_skills.py", "--dir", SKILLS, "search", "C盘满了 磁盘空间")
    assert bundled["hits"][0]["name"] == "disk-space-analyzer"
