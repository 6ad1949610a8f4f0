"""Checks shared by the data and web skill tests."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.skills_library.fd_helpers import SKILLS, skill_text


def run_failing(skill: str, script: str, *args: object) -> subprocess.CompletedProcess:
    """Run a skill script expected to fail; the finished process carries the exit code and stderr."""
    return subprocess.run([sys.executable, str(SKILLS / skill / "scripts" / script), *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def check_shared_module(module: str, owner: str, min_users: int) -> None:
    """The helper module exists once, in its owner skill, and every script importing it starts."""
    assert [p.parent.parent.name for p in SKILLS.glob(f"*/scripts/{module}.py")] == [owner]
    users = [p for p in SKILLS.glob("*/scripts/*.py") if f"from {module} import" in p.read_text(encoding="utf-8")]
    assert len(users) >= min_users
    for script in users:  # --help imports the module, so a broken path to the shared helpers fails here
        proc = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, f"{script}: {proc.stderr}"


def check_body(name: str, group: str, *shared_modules: str) -> str:
    """Frontmatter group, tools the body really uses, every script run, steps, pitfalls, zh and en examples."""
    front, body = skill_text(name)
    assert front["name"] == name and front["metadata"]["group"] == group
    for tool in front["allowed-tools"].split():
        assert re.search(rf"\b{tool}\b", body), f"{name}: allowed tool {tool} never used in the body"
    for script in (SKILLS / name / "scripts").glob("*.py"):
        if script.stem not in shared_modules:
            assert f'script="{script.name}"' in body, f"{name}: body never runs {script.name}"
    assert re.search(r"^1\. ", body, re.M), f"{name}: numbered steps expected"
    assert re.search(r"^## .*(Pitfalls|pitfalls|Rules)", body, re.M), f"{name}: pitfalls or rules expected"
    assert re.search(r"[\u4e00-\u9fff]{4,}", body.split("## Examples")[-1]), f"{name}: needs a Chinese example"
    assert "User:" in body, f"{name}: needs an English example request"
    return body


CALL = re.compile(r'run_skill_script\(skill="([a-z-]+)",\s*script="([\w.]+)",\s*args=\[(.*?)\]\)', re.S)


def check_documented_flags(body: str) -> None:
    """Every option a body passes in a full run_skill_script(...) call is one its script really accepts."""
    for skill, script, args in CALL.findall(body):
        words = re.findall(r'"([^"]*)"', args)
        sub = [words[0]] if words and re.fullmatch(r"[a-z][a-z-]*", words[0]) else []
        usage = subprocess.run([sys.executable, str(SKILLS / skill / "scripts" / script), *sub, "--help"],
                               capture_output=True, text=True, timeout=60).stdout
        unknown = [w for w in words if w.startswith("--") and w not in usage]
        assert not unknown, f"{skill}/{script} {' '.join(sub)}: the body passes unknown options {unknown}"
