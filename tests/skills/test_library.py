"""Discovery, overrides, invalid skills, live rescan, status and the enabled switch."""

from __future__ import annotations

import os

from tests.skills.conftest import write_skill
from xiaodazi.skills import SkillLibrary, SkillRoot
from xiaodazi.skills.state import JsonSkillState
from xiaodazi.skills.status import current_os


def test_user_skill_overrides_bundled_one_of_the_same_name(roots, library):
    write_skill(roots["bundled"], "pdf-tool", "Bundled PDF helper. Use when bundled.")
    write_skill(roots["user"], "pdf-tool", "My own PDF helper. Use when mine.")
    write_skill(roots["extra"], "other", "Extra folder skill. Use when extra.")
    skills = {s.name: s for s in library.skills()}
    assert skills["pdf-tool"].source == "user" and skills["pdf-tool"].description.startswith("My own")
    assert skills["other"].source == "extra"


def test_invalid_skills_are_reported_with_reasons_and_skipped(roots, library):
    write_skill(roots["bundled"], "good", "Fine. Use when fine.")
    write_skill(roots["bundled"], "other-name", folder="mismatch")
    write_skill(roots["bundled"], "Bad_Name")
    write_skill(roots["bundled"], "long-desc", "x" * 1100)
    (roots["bundled"] / "broken-yaml").mkdir()
    (roots["bundled"] / "broken-yaml" / "SKILL.md").write_text("---\nname: [oops\n---\nbody\n")
    (roots["bundled"] / "no-frontmatter").mkdir()
    (roots["bundled"] / "no-frontmatter" / "SKILL.md").write_text("# just markdown\n")
    (roots["bundled"] / "empty-folder").mkdir()
    assert [s.name for s in library.skills()] == ["good"]
    reasons = {p.path.name: " ".join(p.reasons) for p in library.problems()}
    assert "differs from its folder name" in reasons["mismatch"]
    assert "lowercase" in reasons["Bad_Name"]
    assert "longer than 1024" in reasons["long-desc"]
    assert "not valid YAML" in reasons["broken-yaml"]
    assert "frontmatter" in reasons["no-frontmatter"]
    assert "no SKILL.md" in reasons["empty-folder"]


def test_skill_written_for_another_agent_tool_loads_unchanged(roots, library):
    body = "# Git helper\n\nRun `git status` first.\n"
    write_skill(roots["user"], "git-helper", "Helps with git. Use when the repo is a mess.", body=body,
                extra="allowed-tools: Bash(git:*) Read Grep\nlicense: MIT")
    skill = library.get("git-helper")
    assert skill.body == body and skill.license == "MIT"
    assert skill.allowed_tools == ["Bash(git:*)", "Read", "Grep"]
    assert library.status("git-helper")[0] == "ready" and library.is_enabled("git-helper")


def test_new_changed_and_removed_user_skills_are_seen_without_restart(roots, library):
    assert library.skills() == []
    folder = write_skill(roots["user"], "recipe-box", "Keeps recipes. Use when cooking.")
    assert [s.name for s in library.skills()] == ["recipe-box"]
    write_skill(roots["user"], "recipe-box", "Keeps family recipes and shopping lists. Use when cooking.")
    os.utime(folder / "SKILL.md", ns=(1, 10**18))  # a distinct mtime even on coarse clocks
    assert library.get("recipe-box").description.startswith("Keeps family recipes")
    (folder / "SKILL.md").unlink()
    folder.rmdir()
    assert library.skills() == []


def test_rescan_is_rate_limited_until_forced(roots, tmp_path):
    lib = SkillLibrary([SkillRoot(roots["user"], "user")], rescan_interval=3600)
    assert lib.skills() == []
    write_skill(roots["user"], "late-comer")
    assert lib.skills() == []
    assert lib.refresh(force=True) is True
    assert [s.name for s in lib.skills()] == ["late-comer"]


def test_status_names_exactly_what_is_missing(roots, library, monkeypatch):
    monkeypatch.delenv("XIAODAZI_TEST_KEY_NOT_SET", raising=False)
    monkeypatch.setenv("XIAODAZI_TEST_KEY_SET", "1")
    write_skill(roots["bundled"], "needy", meta={
        "requires-python": "PyYAML no-such-dist-xyz", "requires-bin": "sh no-such-program-xyz",
        "requires-env": "XIAODAZI_TEST_KEY_SET XIAODAZI_TEST_KEY_NOT_SET"})
    write_skill(roots["bundled"], "fine", meta={"requires-python": "pyyaml", "requires-env": "XIAODAZI_TEST_KEY_SET"})
    other = next(o for o in ("windows", "macos", "linux") if o != current_os())
    write_skill(roots["bundled"], "elsewhere", meta={"os": other})
    status, missing = library.status("needy")
    assert status == "needs_setup"
    assert [(m.kind, m.name) for m in missing] == [
        ("python", "no-such-dist-xyz"), ("bin", "no-such-program-xyz"), ("env", "XIAODAZI_TEST_KEY_NOT_SET")]
    assert library.status("fine") == ("ready", [])
    assert library.status("elsewhere")[0] == "unavailable"


def test_disabled_skill_stays_disabled_after_restart_and_is_never_selected(roots, tmp_path):
    write_skill(roots["bundled"], "pdf-merge", "Merges PDF files into one. Use when combining PDFs.")
    state = tmp_path / "state.json"
    first = SkillLibrary([SkillRoot(roots["bundled"], "bundled")], JsonSkillState(state))
    assert [n for n, _ in first.match("merge these pdf files")] == ["pdf-merge"]
    first.set_enabled("pdf-merge", False)
    again = SkillLibrary([SkillRoot(roots["bundled"], "bundled")], JsonSkillState(state))
    assert again.is_enabled("pdf-merge") is False
    assert again.match("merge these pdf files") == []
    again.set_enabled("pdf-merge", True)
    assert [n for n, _ in again.match("merge these pdf files")] == ["pdf-merge"]


def test_skills_that_need_setup_are_not_offered(roots, library):
    write_skill(roots["bundled"], "video-notes", "Summarises online videos. Use when a video link is shared.",
                meta={"requires-bin": "no-such-downloader-xyz"})
    assert library.match("summarise this video link") == []
    assert [n for n, _ in library.match("summarise this video link", ready_only=False)] == ["video-notes"]
