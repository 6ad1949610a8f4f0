"""`xiaodazi skills list|show|match|validate` as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.skills.conftest import write_skill


def skills_cli(tmp_path, *args):
    env = {**os.environ, "XIAODAZI_DATA_DIR": str(tmp_path / "data"), "XIAODAZI_WORKSPACE": str(tmp_path / "ws")}
    return subprocess.run([sys.executable, "-m", "xiaodazi", "skills", *args], capture_output=True, text=True,
                          timeout=60, env=env)


def test_list_and_show_print_the_bundled_skills(tmp_path):
    listing = skills_cli(tmp_path, "list")
    assert listing.returncode == 0
    line = next(ln for ln in listing.stdout.splitlines() if ln.startswith("file-organizer "))
    assert "files" in line and "ready" in line
    shown = skills_cli(tmp_path, "show", "file-organizer")
    assert shown.returncode == 0 and "group: files" in shown.stdout and "status: ready" in shown.stdout
    unknown = skills_cli(tmp_path, "show", "no-such-skill")
    assert unknown.returncode == 1 and "no skill named" in unknown.stderr


def test_match_json_offers_file_organizer_and_nothing_for_a_greeting(tmp_path):
    result = skills_cli(tmp_path, "match", "把下载文件夹按类型整理一下", "--top", "2", "--json")
    matches = json.loads(result.stdout)["matches"]
    assert matches[0]["name"] == "file-organizer" and len(matches) <= 2
    assert json.loads(skills_cli(tmp_path, "match", "你好", "--json").stdout) == {"matches": []}


def test_validate_exits_non_zero_with_reasons_for_invalid_skills(tmp_path):
    folder = tmp_path / "mine"
    write_skill(folder, "good-one", "Fine. Use when fine.", extra="allowed-tools: read_file")
    ok = skills_cli(tmp_path, "validate", str(folder))
    assert ok.returncode == 0 and "OK      good-one" in ok.stdout
    write_skill(folder, "wrong-name", folder="right-name")
    write_skill(folder, "odd-tools", "Fine. Use when fine.", extra="allowed-tools: read_file teleport")
    bad = skills_cli(tmp_path, "validate", str(folder))
    assert bad.returncode == 1
    assert "INVALID" in bad.stdout and "differs from its folder name" in bad.stdout
    assert "unknown tool(s) in allowed-tools: teleport" in bad.stdout
    assert skills_cli(tmp_path, "validate", "--strict", str(folder / "odd-tools")).returncode == 1
