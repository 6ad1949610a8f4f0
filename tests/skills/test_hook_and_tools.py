"""The turn hook (nothing for "hi") and the load_skill / read_skill_file / run_skill_script tools."""

from __future__ import annotations

import asyncio
import json
import os

import pytest

from tests.skills.conftest import write_skill
from xiaodazi.core.hooks import TurnContext
from xiaodazi.core.tools import ToolContext, ToolFailed, ToolRetry, Verdict
from xiaodazi.skills import SkillLibrary, SkillRoot, SkillsHook, bundled_skills_dir
from xiaodazi.skills.tools import load_skill, read_skill_file, run_skill_script

SCRIPT = """import json, os, sys
print(json.dumps({"args": sys.argv[1:], "cwd": os.getcwd(), "env": sorted(os.environ)}))
"""


def turn(text: str, history=()) -> TurnContext:
    return TurnContext(conversation_id="c1", run_id="r1", user_text=text, history=list(history))


@pytest.fixture(scope="module")
def hook() -> SkillsHook:
    return SkillsHook(SkillLibrary([SkillRoot(bundled_skills_dir(), "bundled")]))


@pytest.mark.parametrize("text", ["hi", "你好", "谢谢", "在吗", "how are you"])
def test_small_talk_adds_no_skill_text(hook, text):
    assert asyncio.run(hook.before_turn(turn(text))) is None


def test_tidy_downloads_request_lists_the_file_organizer_and_how_to_load_it(hook):
    contribution = asyncio.run(hook.before_turn(turn("把下载文件夹按类型整理一下")))
    assert "file-organizer" in contribution.system and "load_skill" in contribution.system
    body = hook.library.get("file-organizer").body
    assert body.strip()[:60] not in contribution.system  # names and descriptions only, never the body
    assert contribution.tools == []


def test_history_user_turns_reach_the_selector(hook):
    history = [{"role": "user", "content": "merge these two PDF files into one"},
               {"role": "assistant", "content": "Done."}]
    contribution = asyncio.run(hook.before_turn(turn("now the other ones too", history)))
    assert "pdf-merge-split" in contribution.system


@pytest.fixture
def skill_ctx(roots, library, tmp_path) -> ToolContext:
    folder = write_skill(roots["user"], "helper", body="Run `scripts/show.py` then read references/guide.md.\n")
    (folder / "scripts").mkdir()
    (folder / "scripts" / "show.py").write_text(SCRIPT)
    (folder / "scripts" / "fail.py").write_text("import sys\nprint('bad input')\nsys.exit(3)\n")
    (folder / "scripts" / "slow.py").write_text("import time\ntime.sleep(30)\n")
    (folder / "scripts" / "loud.py").write_text("print('x' * 100000)\n")
    (folder / "references").mkdir()
    (folder / "references" / "guide.md").write_text("# Guide\n中文说明\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("top secret")
    (folder / "references" / "escape.md").symlink_to(tmp_path / "secret.txt")
    return ToolContext(workspace=tmp_path / "ws", data_dir=tmp_path / "data", services={"skills": library})


def test_load_skill_returns_body_folder_and_files(skill_ctx):
    text = load_skill.func(skill_ctx, "helper")
    assert "Run `scripts/show.py`" in text and "references/guide.md" in text and "scripts/show.py" in text
    with pytest.raises(ToolRetry, match="no skill named"):
        load_skill.func(skill_ctx, "nope")


def test_read_skill_file_reads_inside_and_refuses_every_escape(skill_ctx):
    out = read_skill_file.func(skill_ctx, "helper", "references/guide.md")
    assert "中文说明" in out.text and out.untrusted  # a user skill is not our text
    for bad in ["../helper/../../secret.txt", "/etc/passwd", "references/escape.md", "scripts/../../../x",
                "C:\\Windows\\win.ini", "", "..", "references/../../"]:
        with pytest.raises(ToolRetry):
            read_skill_file.func(skill_ctx, "helper", bad)


def test_script_gate_asks_with_the_reason_then_remembers_always_allow(skill_ctx):
    gate = run_skill_script.gate(skill_ctx, {"skill": "helper", "script": "show.py", "args": ["a"]})
    assert gate.verdict == Verdict.ask and gate.reason == "run script show.py of skill helper"
    assert "scripts/show.py a" in gate.detail
    gate.remember()
    assert run_skill_script.gate(skill_ctx, {"skill": "helper", "script": "show.py"}).verdict == Verdict.allow
    # The "always" is for that exact script only.
    assert run_skill_script.gate(skill_ctx, {"skill": "helper", "script": "fail.py"}).verdict == Verdict.ask
    assert run_skill_script.gate(skill_ctx, {"skill": "helper", "script": "../../x.py"}).verdict == Verdict.deny


def test_script_runs_in_workspace_with_args_and_a_stripped_environment(skill_ctx, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-should-not-leak")
    monkeypatch.setenv("XIAODAZI_TOKEN", "tok-should-not-leak")
    out = asyncio.run(run_skill_script.func(skill_ctx, "helper", "show.py", ["--x", "中文"]))
    seen = json.loads(out.text)
    assert seen["args"] == ["--x", "中文"] and seen["cwd"] == str(skill_ctx.workspace)
    assert "OPENAI_API_KEY" not in seen["env"] and "XIAODAZI_TOKEN" not in seen["env"]
    assert "PATH" in seen["env"] and os.environ["OPENAI_API_KEY"]


def test_script_failure_timeout_and_long_output_are_readable(skill_ctx):
    with pytest.raises(ToolFailed, match="exited with code 3[\\s\\S]*bad input"):
        asyncio.run(run_skill_script.func(skill_ctx, "helper", "fail.py"))
    with pytest.raises(ToolFailed, match="did not finish within 1 s"):
        asyncio.run(run_skill_script.func(skill_ctx, "helper", "slow.py", timeout=1))
    out = asyncio.run(run_skill_script.func(skill_ctx, "helper", "loud.py"))
    assert len(out.text) < 25_000 and "characters cut" in out.text
