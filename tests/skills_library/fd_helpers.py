"""Helpers for the files and documents skill tests: run a bundled skill script as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SKILLS = Path(__file__).resolve().parents[2] / "skills"


def run_script(skill: str, script: str, *args: object, ok: bool = True) -> dict:
    """Run skills/<skill>/scripts/<script> with the test interpreter and return its JSON output."""
    cmd = [sys.executable, str(SKILLS / skill / "scripts" / script), *map(str, args)]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)
    if ok:
        assert proc.returncode == 0, f"{script} failed ({proc.returncode}): {proc.stdout}\n{proc.stderr}"
    else:
        assert proc.returncode != 0, f"{script} unexpectedly succeeded: {proc.stdout}"
    return json.loads(proc.stdout)


def skill_text(name: str) -> tuple[dict, str]:
    """Frontmatter (parsed) and body of a bundled skill."""
    import yaml

    _, front, body = (SKILLS / name / "SKILL.md").read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body

