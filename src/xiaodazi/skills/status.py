"""Whether a skill can run here: ready, needs_setup (and exactly what is missing) or unavailable."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import shutil
import sys
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from xiaodazi.skills.model import Skill


class Status(StrEnum):
    """A skill's readiness on this machine."""

    ready = "ready"
    needs_setup = "needs_setup"
    unavailable = "unavailable"


@dataclass(frozen=True)
class Missing:
    """One thing a skill declares and this machine lacks."""

    kind: str  # python | bin | env | os
    name: str

    def describe(self) -> str:
        """A short bilingual sentence for the UI and the CLI."""
        return {
            "python": f"Python package {self.name} is not installed / 未安装 Python 包 {self.name}",
            "bin": f"program {self.name} is not on PATH / 找不到程序 {self.name}",
            "env": f"environment variable {self.name} is not set / 未设置环境变量 {self.name}",
            "os": f"only for {self.name} / 仅支持 {self.name}",
        }[self.kind]

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "name": self.name, "message": self.describe()}


def current_os() -> str:
    """windows, macos or linux (other POSIX systems count as linux)."""
    if sys.platform.startswith("win"):
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


@lru_cache(maxsize=1024)
def python_dist_installed(dist: str) -> bool:
    """True when a distribution (or a module of the same name, e.g. in a frozen app) is present."""
    try:
        importlib.metadata.distribution(dist)
        return True
    except importlib.metadata.PackageNotFoundError:
        pass
    module = re.sub(r"[-.]+", "_", dist).lower()
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_for(skill: Skill) -> list[Missing]:
    """Everything the skill declares that is not here, OS first."""
    oses = skill.meta_list("os")
    if oses and current_os() not in oses:
        return [Missing("os", " / ".join(oses))]
    out = [Missing("python", d) for d in skill.meta_list("requires-python") if not python_dist_installed(d)]
    out += [Missing("bin", b) for b in skill.meta_list("requires-bin") if shutil.which(b) is None]
    out += [Missing("env", e) for e in skill.meta_list("requires-env") if not os.environ.get(e)]
    return out


def status_of(missing: list[Missing]) -> Status:
    """The status implied by a list of missing things."""
    if any(m.kind == "os" for m in missing):
        return Status.unavailable
    return Status.needs_setup if missing else Status.ready
