"""Agent Skills: SKILL.md discovery, validation, status, per-request selection and the skill tools.

The composition root builds one `SkillLibrary` with `build_skill_library(settings)`; the agent
loop adds `SkillsHook(library)` to its turn hooks; the tools in `xiaodazi.skills.tools` reach the
library through `ctx.service("skills")`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from xiaodazi.config import Settings, resource_root
from xiaodazi.skills.hook import SkillsHook
from xiaodazi.skills.library import SelectionTuning, SkillLibrary, SkillRoot
from xiaodazi.skills.model import Skill, SkillInvalid, parse_skill
from xiaodazi.skills.state import JsonSkillState

__all__ = [
    "SelectionTuning", "Skill", "SkillInvalid", "SkillLibrary", "SkillRoot", "SkillsHook",
    "build_skill_library", "bundled_skills_dir", "parse_skill", "skill_roots",
]


def bundled_skills_dir() -> Path:
    """The bundled `skills/` folder: inside the PyInstaller bundle when frozen, else the repo root."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen) / "skills"] if frozen else []
    # resource_root() is src/xiaodazi when running from source; the repo root is two levels up.
    candidates.append(resource_root().parent.parent / "skills")
    return next((c for c in candidates if c.is_dir()), candidates[-1])


def skill_roots(settings: Settings) -> list[SkillRoot]:
    """Bundled, extra (from settings) and the user's own skill folders, in override order."""
    roots = [SkillRoot(bundled_skills_dir(), "bundled")]
    roots += [SkillRoot(Path(p).expanduser(), "extra") for p in settings.skills_dirs]
    return [*roots, SkillRoot(settings.data_dir / "skills", "user")]


def build_skill_library(settings: Settings, warm: bool = True) -> SkillLibrary:
    """The app's skill library, state in `<data dir>/skills-state.json`, parsed in the background."""
    library = SkillLibrary(skill_roots(settings), JsonSkillState(settings.data_dir / "skills-state.json"))
    if warm:
        library.warm_up()
    return library
