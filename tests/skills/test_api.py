"""The /api/skills routes: catalogue, detail, switch, match preview and zip import."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest

SKILL_MD = """---
name: {name}
description: Plans a vegetable garden by season. Use when someone asks what to plant and when.
metadata:
  group: life
  name-zh: 菜园规划
  description-zh: 按季节规划种菜
allowed-tools: write_file
---
# Garden planner
Ask for the climate zone first.
"""


def make_zip(members: dict[str, bytes | str], symlinks: dict[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return buf.getvalue()


def upload(client, data: bytes, **params):
    return client.post("/api/skills/import", params=params,
                       files={"file": ("skills.zip", data, "application/zip")})


def test_catalogue_lists_bundled_skills_with_status_and_switch(client):
    items = {s["name"]: s for s in client.get("/api/skills").json()["items"]}
    organizer = items["file-organizer"]
    assert organizer["group"] == "files" and organizer["source"] == "bundled" and organizer["enabled"] is True
    assert organizer["name_zh"] and organizer["description_zh"] and organizer["status"] == "ready"
    assert organizer["missing"] == []
    assert all(s["status"] in {"ready", "needs_setup", "unavailable"} for s in items.values())


def test_skill_detail_has_body_and_unknown_skill_is_404(client):
    detail = client.get("/api/skills/file-organizer").json()
    assert detail["body"].strip() and "SKILL.md" in detail["files"]
    missing = client.get("/api/skills/no-such-skill")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_match_preview_offers_file_organizer_and_nothing_for_hi(client):
    matches = client.get("/api/skills/match", params={"q": "把下载文件夹按类型整理一下"}).json()["matches"]
    assert matches[0]["name"] == "file-organizer" and matches[0]["score"] > 0
    assert client.get("/api/skills/match", params={"q": "hi", "k": 5}).json() == {"matches": []}


def test_disabling_a_skill_persists_and_removes_it_from_matches(client, settings):
    assert client.patch("/api/skills/file-organizer", json={"enabled": False}).json()["enabled"] is False
    assert "file-organizer" in (settings.data_dir / "skills-state.json").read_text()
    names = [m["name"] for m in client.get("/api/skills/match", params={"q": "整理下载文件夹"}).json()["matches"]]
    assert "file-organizer" not in names
    assert client.patch("/api/skills/file-organizer", json={"enabled": "maybe"}).status_code == 422


def test_import_installs_a_valid_skill_into_the_user_folder(client, settings):
    data = make_zip({"garden-planner/SKILL.md": SKILL_MD.format(name="garden-planner"),
                     "garden-planner/references/zones.md": "zone 7"})
    response = upload(client, data)
    assert response.status_code == 201 and response.json() == {"installed": ["garden-planner"]}
    assert (settings.data_dir / "skills" / "garden-planner" / "references" / "zones.md").read_text() == "zone 7"
    detail = client.get("/api/skills/garden-planner").json()
    assert detail["source"] == "user" and "climate zone" in detail["body"]
    assert upload(client, data).status_code == 409  # already there
    assert upload(client, data, overwrite=True).status_code == 201


def test_import_accepts_a_skill_md_at_the_archive_root(client):
    response = upload(client, make_zip({"SKILL.md": SKILL_MD.format(name="seed-sower")}))
    assert response.json() == {"installed": ["seed-sower"]}


@pytest.mark.parametrize(("archive", "reason"), [
    pytest.param(make_zip({"../evil/SKILL.md": SKILL_MD.format(name="evil")}), "outside the archive", id="dot-dot"),
    pytest.param(make_zip({"/tmp/evil/SKILL.md": SKILL_MD.format(name="evil")}), "absolute", id="absolute"),
    pytest.param(make_zip({"evil\\..\\..\\SKILL.md": "x"}), "Windows-style", id="backslash"),
    pytest.param(make_zip({"C:/evil/SKILL.md": "x"}), "Windows-style", id="drive-letter"),
    pytest.param(make_zip({"evil/SKILL.md": SKILL_MD.format(name="evil")}, {"evil/link": "/etc/passwd"}),
                 "symbolic link", id="symlink"),
    pytest.param(make_zip({"evil/SKILL.md": SKILL_MD.format(name="evil"), "evil/zeros.bin": b"\0" * (8 << 20)}),
                 "zip bomb", id="zip-bomb"),
    pytest.param(make_zip({"Evil_Name/SKILL.md": SKILL_MD.format(name="Evil_Name")}), "lowercase", id="invalid-name"),
    pytest.param(make_zip({"SKILL.md": SKILL_MD.format(name="../../escape")}), "not a valid skill name", id="root-name-traversal"),
    pytest.param(make_zip({"readme.txt": "no skill here"}), "no SKILL.md", id="no-skill"),
    pytest.param(b"this is not a zip", "not a readable zip", id="not-a-zip"),
])
def test_malicious_or_broken_archives_are_refused_and_install_nothing(client, settings, tmp_path, archive, reason):
    response = upload(client, archive)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "skill_import_refused"
    assert reason in response.json()["error"]["message"]
    user_dir = settings.data_dir / "skills"
    assert not user_dir.exists() or list(user_dir.iterdir()) == []
    assert not (tmp_path / "evil").exists() and not (settings.data_dir / "evil").exists()
