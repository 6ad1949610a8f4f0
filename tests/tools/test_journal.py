"""The undo journal: a run's writes, edits, moves, copies, deletes and new folders are put back in reverse."""

from __future__ import annotations

import pytest

from tests.tools.fixtures.calls import call
from tests.tools.safety_ctx import isolate_trash, safety_ctx, tree
from xiaodazi.core.errors import InvalidInput
from xiaodazi.tools.files import copy_file, delete_file, edit_file, make_dir, move_file, write_file


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    isolate_trash(tmp_path, monkeypatch)
    c = safety_ctx(tmp_path)
    (c.workspace / "docs").mkdir()
    (c.workspace / "docs" / "a.txt").write_text("original a")
    (c.workspace / "docs" / "b.txt").write_text("original b")
    (c.workspace / "keep").mkdir()
    (c.workspace / "keep" / "k.txt").write_text("k")
    return c


def _agent_run(ctx):
    call(write_file, ctx, path="new/deep/n.txt", content="brand new")
    call(write_file, ctx, path="docs/a.txt", content="overwritten a")
    call(edit_file, ctx, path="docs/b.txt", old="original", new="edited")
    call(move_file, ctx, src="docs/b.txt", dst="moved/b.txt")
    call(copy_file, ctx, src="docs/a.txt", dst="copy.txt")
    call(make_dir, ctx, path="empty/folder")
    call(delete_file, ctx, path="keep")


def test_undo_restores_the_tree_after_writes_moves_and_deletes(ctx):
    before = tree(ctx.workspace)
    _agent_run(ctx)
    assert tree(ctx.workspace) != before
    result = ctx.services["journal"].undo("run-1")
    assert result["conflicts"] == []
    assert [r["op"] for r in result["restored"]] == [
        "delete", "make_dir", "copy", "move", "make_dir", "edit", "write", "write", "make_dir"]
    assert tree(ctx.workspace) == before


def test_changes_list_every_change_in_order(ctx):
    _agent_run(ctx)
    changes = ctx.services["journal"].changes("run-1")
    assert [c["op"] for c in changes] == [
        "make_dir", "write", "write", "edit", "make_dir", "move", "copy", "make_dir", "delete"]
    assert [c["seq"] for c in changes] == list(range(1, 10))
    assert changes[2]["existed_before"] is True and changes[1]["existed_before"] is False


def test_a_file_changed_since_the_run_is_a_conflict_not_clobbered(ctx):
    _agent_run(ctx)
    (ctx.workspace / "docs" / "a.txt").write_text("the user's own later edit")
    result = ctx.services["journal"].undo("run-1")
    conflicted = {(c["op"], c["path"].rsplit("/", 1)[-1]) for c in result["conflicts"]}
    assert ("write", "a.txt") in conflicted
    assert (ctx.workspace / "docs" / "a.txt").read_text() == "the user's own later edit"
    assert (ctx.workspace / "keep" / "k.txt").read_text() == "k"  # the rest was still restored
    assert not (ctx.workspace / "new").exists()


def test_undo_twice_restores_nothing_more(ctx):
    _agent_run(ctx)
    journal = ctx.services["journal"]
    journal.undo("run-1")
    again = journal.undo("run-1")
    assert again["restored"] == [] and again["conflicts"] == []
    assert all(c["undone"] for c in journal.changes("run-1"))


def test_runs_are_separate(ctx):
    call(write_file, ctx, path="one.txt", content="1")
    ctx.run_id = "run-2"
    call(write_file, ctx, path="two.txt", content="2")
    ctx.services["journal"].undo("run-1")
    assert not (ctx.workspace / "one.txt").exists() and (ctx.workspace / "two.txt").exists()


def test_restoring_a_deleted_file_refuses_to_overwrite_a_new_one(ctx):
    call(delete_file, ctx, path="docs/a.txt")
    (ctx.workspace / "docs" / "a.txt").write_text("recreated by the user")
    result = ctx.services["journal"].undo("run-1")
    assert result["conflicts"][0]["op"] == "delete"
    assert (ctx.workspace / "docs" / "a.txt").read_text() == "recreated by the user"


@pytest.mark.parametrize("run_id", ["../escape", "..", "a/b", "", "a\x00b", "/abs"])
def test_run_ids_cannot_reach_outside_the_journal(ctx, run_id):
    with pytest.raises(InvalidInput):
        ctx.services["journal"].changes(run_id)


def test_overwriting_move_and_copy_are_undone_with_the_old_files_back(ctx):
    docs = ctx.workspace / "docs"
    call(copy_file, ctx, src="keep/k.txt", dst="docs/a.txt", overwrite=True)
    call(move_file, ctx, src="docs/a.txt", dst="docs/b.txt", overwrite=True)
    assert (docs / "b.txt").read_text() == "k" and not (docs / "a.txt").exists()
    assert ctx.services["journal"].undo("run-1")["conflicts"] == []
    assert (docs / "a.txt").read_text() == "original a" and (docs / "b.txt").read_text() == "original b"
