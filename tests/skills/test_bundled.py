"""Every bundled skill obeys the SKILL.md contract; one test per skill folder."""

from __future__ import annotations

import pytest

from xiaodazi.skills import bundled_skills_dir, parse_skill
from xiaodazi.skills.cli import known_tools, skill_issues
from xiaodazi.skills.model import GROUPS

FOLDERS = sorted(p for p in bundled_skills_dir().iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
TOOLS = known_tools()


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_bundled_skill_is_valid(folder):
    skill = parse_skill(folder)  # raises with every reason when the frontmatter is unusable
    assert skill.name == folder.name
    assert "use when" in skill.description.lower(), "the description must say when to use the skill"
    assert skill.group in GROUPS, f"metadata group {skill.group!r} is not a catalogue group"
    assert skill.name_zh and skill.description_zh, "bundled skills carry name-zh and description-zh"
    assert skill.allowed_tools, "bundled skills list the tools they use"
    assert skill_issues(skill, TOOLS) == []  # unknown tools, missing scripts, bad metadata


def test_bundled_skills_folder_is_found_and_not_empty():
    assert bundled_skills_dir().name == "skills" and len(FOLDERS) >= 48
