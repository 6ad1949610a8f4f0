"""Helpers for skill tests: write SKILL.md folders into tmp_path and build libraries over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from xiaodazi.skills import SkillLibrary, SkillRoot
from xiaodazi.skills.state import JsonSkillState


def write_skill(root: Path, name: str, description: str = "Does a thing. Use when testing.",
                body: str = "# Steps\n\n1. do it\n", meta: dict[str, str] | None = None,
                extra: str = "", folder: str | None = None) -> Path:
    """A skill folder with a SKILL.md built from the arguments."""
    folder_path = root / (folder or name)
    folder_path.mkdir(parents=True, exist_ok=True)
    lines = ["---", f"name: {name}", f"description: {description}"]
    if meta:
        lines.append("metadata:")
        lines += [f"  {k}: \"{v}\"" for k, v in meta.items()]
    if extra:
        lines.append(extra)
    lines += ["---", body]
    (folder_path / "SKILL.md").write_text("\n".join(lines), encoding="utf-8")
    return folder_path


@pytest.fixture
def roots(tmp_path) -> dict[str, Path]:
    """Empty bundled, extra and user skill folders."""
    out = {k: tmp_path / k for k in ("bundled", "extra", "user")}
    for path in out.values():
        path.mkdir()
    return out


@pytest.fixture
def library(roots, tmp_path) -> SkillLibrary:
    """A library over the three folders with state in a JSON file and no rescan delay."""
    return SkillLibrary([SkillRoot(p, s) for s, p in roots.items()], JsonSkillState(tmp_path / "state.json"),
                        rescan_interval=0)
