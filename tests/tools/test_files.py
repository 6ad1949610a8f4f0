"""File tools on a real workspace: contract names, effects on disk, gates with diffs, trash instead of erase."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tools.fixtures.calls import call
from tests.tools.safety_ctx import isolate_trash, safety_ctx
from xiaodazi.core.tools import Risk, ToolFailed, ToolRetry, Verdict
from xiaodazi.tools import files
from xiaodazi.tools.files import (
    copy_file,
    delete_file,
    edit_file,
    list_dir,
    make_dir,
    move_file,
    read_file,
    search_files,
    write_file,
)


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    isolate_trash(tmp_path, monkeypatch)
    return safety_ctx(tmp_path)


def test_tool_names_parameters_and_risks_are_the_contract():
    specs = {s.name: s for s in files.TOOLS}
    assert {n: s.parameters.get("required", []) for n, s in specs.items()} == {
        "read_file": ["path"], "write_file": ["path", "content"], "edit_file": ["path", "old", "new"],
        "list_dir": [], "search_files": ["query"], "move_file": ["src", "dst"], "copy_file": ["src", "dst"],
        "make_dir": ["path"], "delete_file": ["path"],
    }
    assert {n for n, s in specs.items() if s.risk == Risk.read} == {"read_file", "list_dir", "search_files"}
    assert all(s.risk == Risk.write for n, s in specs.items() if n not in ("read_file", "list_dir", "search_files"))


def test_write_then_read_with_line_numbers(ctx):
    call(write_file, ctx, path="笔记/计划.md", content="第一行\nsecond\nthird\n")
    assert (ctx.workspace / "笔记" / "计划.md").read_text(encoding="utf-8") == "第一行\nsecond\nthird\n"
    whole = call(read_file, ctx, path="笔记/计划.md")
    assert whole.text == "第一行\nsecond\nthird\n" and whole.untrusted
    ranged = call(read_file, ctx, path="笔记/计划.md", start_line=2, end_line=3)
    assert ranged.text.splitlines() == ["     2\tsecond", "     3\tthird"]


def test_read_handles_gb18030_and_refuses_binary(ctx):
    (ctx.workspace / "gbk.txt").write_bytes("中文内容".encode("gb18030"))
    (ctx.workspace / "blob.bin").write_bytes(b"\x00\x01\x02" * 10)
    assert call(read_file, ctx, path="gbk.txt").text == "中文内容"
    with pytest.raises(ToolFailed, match="binary"):
        call(read_file, ctx, path="blob.bin")


def test_read_extracts_office_documents(ctx):
    import docx

    document = docx.Document()
    document.add_paragraph("季度报告：销售增长 12%")
    document.save(ctx.workspace / "report.docx")
    result = call(read_file, ctx, path="report.docx")
    assert "季度报告：销售增长 12%" in result.text and result.untrusted


def test_edit_replaces_a_unique_text_and_shows_the_diff(ctx):
    (ctx.workspace / "a.py").write_text("x = 1\ny = 2\n")
    result = call(edit_file, ctx, path="a.py", old="y = 2", new="y = 3")
    assert (ctx.workspace / "a.py").read_text() == "x = 1\ny = 3\n"
    assert "-y = 2" in result.text and "+y = 3" in result.text


def test_edit_refuses_missing_or_ambiguous_text(ctx):
    (ctx.workspace / "a.txt").write_text("same same")
    with pytest.raises(ToolRetry, match="occurs 2 times"):
        call(edit_file, ctx, path="a.txt", old="same", new="x")
    with pytest.raises(ToolRetry, match="not found"):
        call(edit_file, ctx, path="a.txt", old="other", new="x")
    assert (ctx.workspace / "a.txt").read_text() == "same same"


def test_list_dir_and_search_by_name_and_content(ctx):
    (ctx.workspace / "docs").mkdir()
    (ctx.workspace / "docs" / "预算2024.xlsx").write_bytes(b"PK\x03\x04")
    (ctx.workspace / "docs" / "memo.txt").write_text("remember the Budget meeting")
    listing = call(list_dir, ctx)
    assert listing.text.splitlines()[1] == "docs/"
    assert "memo.txt" in call(list_dir, ctx, path="docs").text
    by_glob = call(search_files, ctx, query="*.xlsx")
    assert by_glob.data["names"] == ["docs/预算2024.xlsx"]
    by_content = call(search_files, ctx, query="budget")
    assert by_content.data["lines"] == [{"path": "docs/memo.txt", "line": 1}]


def test_search_does_not_follow_links_out_of_the_workspace(ctx):
    (ctx.workspace.parent / "outside" / "secret.txt").write_text("password=hunter2")
    (ctx.workspace / "leak.txt").symlink_to(ctx.workspace.parent / "outside" / "secret.txt")
    assert call(search_files, ctx, query="hunter2").data["lines"] == []


def test_move_copy_and_make_dir(ctx):
    (ctx.workspace / "a.txt").write_text("A")
    call(make_dir, ctx, path="archive/2024")
    call(copy_file, ctx, src="a.txt", dst="archive/2024")
    call(move_file, ctx, src="a.txt", dst="b.txt")
    assert (ctx.workspace / "archive/2024/a.txt").read_text() == "A"
    assert (ctx.workspace / "b.txt").read_text() == "A" and not (ctx.workspace / "a.txt").exists()
    with pytest.raises(ToolRetry, match="already exists"):
        call(copy_file, ctx, src="b.txt", dst="archive/2024/a.txt")


def test_delete_goes_to_the_trash_not_erased(ctx, tmp_path, monkeypatch):
    trash = isolate_trash(tmp_path, monkeypatch)
    (ctx.workspace / "old.txt").write_text("keep me somewhere")
    assert "trash" in call(delete_file, ctx, path="old.txt")
    assert not (ctx.workspace / "old.txt").exists()
    trashed = list((trash / "files").iterdir())
    assert [p.read_text() for p in trashed] == ["keep me somewhere"]


def test_workspace_itself_cannot_be_deleted(ctx):
    with pytest.raises(ToolRetry, match="cannot be deleted"):
        call(delete_file, ctx, path=".")


@pytest.mark.parametrize(("spec", "args"), [
    (read_file, {"path": "../outside/x.txt"}), (write_file, {"path": "/etc/evil", "content": "x"}),
    (edit_file, {"path": "~/.bashrc", "old": "a", "new": "b"}), (list_dir, {"path": "/"}),
    (search_files, {"query": "x", "path": ".."}), (move_file, {"src": "a.txt", "dst": "../outside/a.txt"}),
    (copy_file, {"src": "../outside/x.txt", "dst": "x.txt"}), (make_dir, {"path": "/tmp/evil"}),
    (delete_file, {"path": "../outside/x.txt"}),
])
def test_every_file_tool_goes_through_the_path_guard(ctx, spec, args):
    (ctx.workspace / "a.txt").write_text("a")
    (ctx.workspace.parent / "outside" / "x.txt").write_text("x")
    with pytest.raises(ToolRetry, match="allowed folders"):
        call(spec, ctx, **args)
    assert (ctx.workspace.parent / "outside" / "x.txt").read_text() == "x"


def test_write_gate_allows_in_workspace_and_shows_the_diff(ctx):
    (ctx.workspace / "n.txt").write_text("old line\n")
    gate = write_file.gate(ctx, {"path": "n.txt", "content": "new line\n"})
    assert gate.verdict == Verdict.allow
    assert "-old line" in gate.detail and "+new line" in gate.detail


def test_changing_a_file_in_a_granted_folder_asks_with_the_diff(ctx):
    granted = ctx.allowed_dirs[0]
    (granted / "plan.txt").write_text("a\nb\n")
    gate = edit_file.gate(ctx, {"path": str(granted / "plan.txt"), "old": "b", "new": "c"})
    assert gate.verdict == Verdict.ask and "-b" in gate.detail and "+c" in gate.detail
    gate.remember()
    again = edit_file.gate(ctx, {"path": str(granted / "plan.txt"), "old": "b", "new": "c"})
    assert again.verdict == Verdict.allow
    assert write_file.gate(ctx, {"path": str(granted / "new.txt"), "content": "x"}).verdict == Verdict.allow


def test_delete_and_move_outside_the_workspace_ask_inside_they_do_not(ctx):
    granted = ctx.allowed_dirs[0]
    (granted / "photo.jpg").write_bytes(b"jpg")
    (ctx.workspace / "tmp.txt").write_text("t")
    assert delete_file.gate(ctx, {"path": str(granted / "photo.jpg")}).verdict == Verdict.ask
    assert move_file.gate(ctx, {"src": str(granted / "photo.jpg"), "dst": "p.jpg"}).verdict == Verdict.ask
    assert delete_file.gate(ctx, {"path": "tmp.txt"}).verdict == Verdict.allow
    assert move_file.gate(ctx, {"src": "tmp.txt", "dst": "t2.txt"}).verdict == Verdict.allow


def test_gate_denies_a_path_outside_with_the_guard_message(ctx):
    gate = write_file.gate(ctx, {"path": "../outside/x", "content": "x"})
    assert gate.verdict == Verdict.deny and "allowed folders" in gate.reason


def test_tools_work_without_a_journal(tmp_path):
    ctx = safety_ctx(tmp_path, run_id=None, services=False)
    call(write_file, ctx, path="a.txt", content="x")
    call(edit_file, ctx, path="a.txt", old="x", new="y")
    call(move_file, ctx, src="a.txt", dst="b.txt")
    assert (Path(ctx.workspace) / "b.txt").read_text() == "y"


def test_deleting_or_moving_a_link_acts_on_the_link_not_its_target(ctx):
    outside = ctx.workspace.parent / "outside" / "precious.txt"
    outside.write_text("precious")
    (ctx.workspace / "shortcut").symlink_to(outside)
    (ctx.workspace / "inner.txt").write_text("inner")
    (ctx.workspace / "inner_link").symlink_to(ctx.workspace / "inner.txt")
    assert delete_file.gate(ctx, {"path": "shortcut"}).verdict == Verdict.allow
    call(delete_file, ctx, path="shortcut")
    call(move_file, ctx, src="inner_link", dst="renamed_link")
    assert outside.read_text() == "precious" and not (ctx.workspace / "shortcut").is_symlink()
    assert (ctx.workspace / "renamed_link").is_symlink() and (ctx.workspace / "inner.txt").read_text() == "inner"
    (ctx.workspace / "out_link").symlink_to(outside)
    with pytest.raises(ToolRetry, match="allowed folders"):  # reading still follows the link, and refuses
        call(read_file, ctx, path="out_link")
