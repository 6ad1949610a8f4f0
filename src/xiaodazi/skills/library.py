"""The skill library: discovery over several folders, a parse cache, live rescan, status and selection."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xiaodazi.core.errors import NotFound
from xiaodazi.skills.model import Skill, SkillInvalid, parse_skill
from xiaodazi.skills.selector import Bm25Index, Document, is_small_talk, query_terms, select
from xiaodazi.skills.state import MemorySkillState, SkillState
from xiaodazi.skills.status import Missing, Status, missing_for, python_dist_installed, status_of

log = logging.getLogger(__name__)
# Later roots override earlier ones with the same skill name.
SOURCE_ORDER = ("bundled", "extra", "user")


@dataclass(frozen=True)
class SkillRoot:
    """A folder whose sub-folders are skills, and what kind of source it is."""

    path: Path
    source: str  # bundled | extra | user


@dataclass
class Problem:
    """A skill folder that could not be loaded, with every reason."""

    path: Path
    source: str
    reasons: list[str]

    def as_dict(self) -> dict[str, object]:
        return {"name": self.path.name, "path": str(self.path), "source": self.source, "reasons": self.reasons}


@dataclass
class SelectionTuning:
    """Selector knobs: how many skills, and how good a match must be to be offered."""

    k: int = 3
    threshold: float = 3.0  # absolute BM25 floor: one weak shared term never passes
    relative: float = 0.3  # drop matches far below the best one
    history_turns: int = 2


def _signature(root: SkillRoot) -> dict[Path, tuple[int, int]]:
    """(mtime, size) of every SKILL.md under a root: the cheap change check."""
    out: dict[Path, tuple[int, int]] = {}
    try:
        entries = list(os.scandir(root.path))
    except OSError:
        return out
    for entry in entries:
        if entry.is_dir() and not entry.name.startswith((".", "_")):
            try:
                st = os.stat(os.path.join(entry.path, "SKILL.md"))
                out[Path(entry.path)] = (st.st_mtime_ns, st.st_size)
            except OSError:
                out[Path(entry.path)] = (0, -1)  # reported as a problem: no SKILL.md
    return out


class SkillLibrary:
    """Every skill the app knows, parsed once, rescanned cheaply, ranked per request."""

    def __init__(self, roots: Sequence[SkillRoot], state: SkillState | None = None, *,
                 rescan_interval: float = 2.0, tuning: SelectionTuning | None = None) -> None:
        self.roots = sorted(roots, key=lambda r: SOURCE_ORDER.index(r.source))
        self.state = state or MemorySkillState()
        self.rescan_interval = rescan_interval
        self.tuning = tuning or SelectionTuning()
        self._lock = threading.RLock()
        self._parsed: dict[Path, tuple[tuple[int, int], Skill | Problem]] = {}
        self._skills: dict[str, Skill] = {}
        self._missing: dict[str, list[Missing]] = {}
        self._index = Bm25Index([])
        self._offered: set[str] = set()
        self._last_scan = float("-inf")
        self._loaded = False

    @property
    def user_dir(self) -> Path | None:
        """The user's own skills folder (where imports go)."""
        return next((r.path for r in self.roots if r.source == "user"), None)

    # -- discovery -------------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:
        """Rescan the folders (at most every `rescan_interval` s); True when skills changed."""
        with self._lock:
            now = time.monotonic()
            if not force and self._loaded and now - self._last_scan < self.rescan_interval:
                return False
            self._last_scan = now
            if force:
                python_dist_installed.cache_clear()
            changed = self._rescan() or not self._loaded
            if changed:
                self._rebuild()
            self._compute_status()
            self._loaded = True
            return changed

    def _rescan(self) -> bool:
        seen: dict[Path, tuple[int, int]] = {}
        changed = False
        for root in self.roots:
            for folder, sig in _signature(root).items():
                seen[folder] = sig
                cached = self._parsed.get(folder)
                if cached is None or cached[0] != sig:
                    self._parsed[folder] = (sig, self._parse(folder, root.source))
                    changed = True
        for gone in set(self._parsed) - set(seen):
            del self._parsed[gone]
            changed = True
        return changed

    @staticmethod
    def _parse(folder: Path, source: str) -> Skill | Problem:
        try:
            return parse_skill(folder, source)
        except SkillInvalid as exc:
            reasons = list(exc.fields.get("problems") or [exc.message])
            log.warning("skill %s skipped: %s", folder, "; ".join(reasons))
            return Problem(folder, source, reasons)
        except OSError as exc:
            log.warning("skill %s unreadable: %s", folder, exc)
            return Problem(folder, source, [f"unreadable: {exc}"])

    def _rebuild(self) -> None:
        skills: dict[str, Skill] = {}
        for root in self.roots:  # bundled, extra, user: later wins
            for _sig, item in (v for k, v in sorted(self._parsed.items()) if k.parent == root.path):
                if isinstance(item, Skill):
                    skills[item.name] = item
        self._skills = dict(sorted(skills.items()))
        self._index = Bm25Index(document_for(s) for s in self._skills.values())

    def _compute_status(self) -> None:
        self._missing = {name: missing_for(s) for name, s in self._skills.items()}
        disabled = set(self.state.load().get("disabled", []))
        self._offered = {n for n, m in self._missing.items() if not m and n not in disabled}

    def warm_up(self) -> None:
        """Parse every skill in a background thread so the first turn never waits for it."""
        threading.Thread(target=self.refresh, name="skills-warm-up", daemon=True).start()

    # -- reading ---------------------------------------------------------------------------------

    def skills(self) -> list[Skill]:
        """Every loaded skill, by name (user and extra folders override bundled ones)."""
        self.refresh()
        return list(self._skills.values())

    def get(self, name: str) -> Skill:
        """One skill by name; NotFound otherwise."""
        self.refresh()
        skill = self._skills.get(name)
        if skill is None and self.refresh(force=True):  # just added? look again before saying no
            skill = self._skills.get(name)
        if skill is None:
            raise NotFound(f"no skill named {name!r} / 没有名为 {name!r} 的技能", name=name)
        return skill

    def problems(self) -> list[Problem]:
        """Skill folders that were skipped, with reasons."""
        self.refresh()
        return [item for _sig, item in self._parsed.values() if isinstance(item, Problem)]

    def status(self, name: str) -> tuple[Status, list[Missing]]:
        """Readiness of a skill and what it lacks."""
        self.get(name)
        missing = self._missing.get(name, [])
        return status_of(missing), missing

    def is_enabled(self, name: str) -> bool:
        """Whether the user left the skill switched on (the default)."""
        return name not in set(self.state.load().get("disabled", []))

    def set_enabled(self, name: str, enabled: bool) -> None:
        """Switch a skill on or off; persisted in the state store."""
        self.get(name)
        with self._lock:
            state = self.state.load()
            disabled = set(state.get("disabled", [])) - {name}
            state["disabled"] = sorted(disabled | (set() if enabled else {name}))
            self.state.save(state)
            self._compute_status()

    # -- selection -------------------------------------------------------------------------------

    def match(self, text: str, k: int | None = None, history: Sequence[str] = (),
              ready_only: bool = True) -> list[tuple[str, float]]:
        """Skills worth offering for this message (and the last user turns), best first."""
        if is_small_talk(text):
            return []
        self.refresh()
        t = self.tuning
        weighted = query_terms(text, list(history)[-t.history_turns :] if t.history_turns else ())
        allowed = self._offered if ready_only else None
        return select(self._index, weighted, k or t.k, t.threshold, t.relative, allowed)

    # -- script approvals ------------------------------------------------------------------------

    def script_allowed(self, skill: str, script: str) -> bool:
        """True when the user chose "always allow" for this exact skill script."""
        return f"{skill}/{script}" in self.state.load().get("allowed_scripts", [])

    def allow_script(self, skill: str, script: str) -> None:
        """Remember "always allow" for one skill script."""
        with self._lock:
            state = self.state.load()
            state["allowed_scripts"] = sorted(set(state.get("allowed_scripts", [])) | {f"{skill}/{script}"})
            self.state.save(state)


def document_for(skill: Skill) -> Document:
    """The text the selector indexes for a skill; short, telling fields weigh more."""
    return Document(skill.name, (
        (skill.name.replace("-", " "), 3), (skill.name_zh, 3), (skill.keywords, 2),
        (skill.description_zh, 2), (skill.description, 1),
    ))
