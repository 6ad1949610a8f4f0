"""Shared check for the learning, finance and china skill tests: the SKILL.md shape every one of them must have."""

from __future__ import annotations

from tests.skills_library.fd_helpers import SKILLS, skill_text


def assert_skill_shape(name: str, group: str) -> str:
    """Group, script named in the body with run_skill_script, zh and en examples, 35-120 lines; returns the body."""
    front, body = skill_text(name)
    assert front["metadata"]["group"] == group and "run_skill_script" in front["allowed-tools"].split()
    scripts = [p.name for p in (SKILLS / name / "scripts").glob("*.py")]
    assert any(f'script="{s}"' in body for s in scripts), "the body must tell the model how to run its script"
    assert "**中文**" in body and "**English**" in body
    assert 35 <= len(body.splitlines()) <= 120
    return body
