"""Helpers for the system, knowledge and life skill tests: skill lists, a structural check, subprocess runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.skills_library.fd_helpers import SKILLS, skill_text

FIXTURES = Path(__file__).parent / "fixtures_part3a"


def check_structure(name: str, group: str) -> None:
    """Group, examples in both languages, and every script the skill ships is named in its body."""
    front, body = skill_text(name)
    assert front["metadata"]["group"] == group and front["license"] == "Apache-2.0"
    assert "中文" in body and "English" in body and 40 <= len(body.splitlines()) <= 120
    scripts = sorted(p.name for p in (SKILLS / name / "scripts").glob("*.py"))
    for s in scripts:
        assert f'script="{s}"' in body, f"{name}: the body never says how to run {s}"
    if scripts:
        assert "run_skill_script" in front["allowed-tools"].split()
    for tool in ("ask_user", "remember", "recall", "notify", "web_search", "fetch_url"):
        if f"{tool}(" in body or f"`{tool}`" in body:
            assert tool in front["allowed-tools"].split(), f"{name}: body uses {tool} but allowed-tools lacks it"


def run_env(skill: str, script: str, *args: object, env: dict | None = None, code: int | None = 0) -> tuple[int, dict]:
    """Run a skill script with extra environment; (exit code, JSON output). `code` None accepts any code."""
    cmd = [sys.executable, str(SKILLS / skill / "scripts" / script), *map(str, args)]
    full = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=full, timeout=60)
    if code is not None:
        assert proc.returncode == code, f"{script} exited {proc.returncode}: {proc.stdout}\n{proc.stderr}"
    try:
        return proc.returncode, json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"{script} printed no JSON ({proc.returncode}): {proc.stdout[:500]}\n{proc.stderr[-2000:]}") from exc
