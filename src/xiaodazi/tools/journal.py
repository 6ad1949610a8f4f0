"""The undo journal: every file change the agent makes is recorded per run with what was there before.

Before a change, the old bytes (or the old folder) are copied into `<data_dir>/journal/<run_id>/`;
after it, the new content's hash is noted. `undo(run_id)` walks the run's changes backwards and
puts the tree back: created files go, overwritten and deleted files return, moves are reversed.
A file someone changed since the run is reported as a conflict and left alone, never clobbered.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xiaodazi.core.errors import InvalidInput

OPS = ("write", "edit", "copy", "move", "delete", "make_dir")
MAX_BACKUP_BYTES = 200 * 1024 * 1024  # larger files are not copied; undo says so (they stay in the trash)
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def _hash(path: Path) -> str | None:
    """Content hash of a file, "dir" for a folder, None when nothing is there."""
    if path.is_dir() and not path.is_symlink():
        return "dir"
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@dataclass
class Pending:
    """A change about to happen: where, and a copy of what was there."""

    run_id: str
    op: str
    path: Path
    dst: Path | None = None
    before: dict[str, Any] = field(default_factory=dict)


class Journal:
    """Per-run change records under `root`; thread-safe."""

    def __init__(self, root: Path, max_backup_bytes: int = MAX_BACKUP_BYTES) -> None:
        self.root = Path(root)
        self.max_backup_bytes = max_backup_bytes
        self._lock = threading.Lock()

    def _run_dir(self, run_id: str) -> Path:
        if not _RUN_ID.match(run_id or ""):
            raise InvalidInput(f"invalid run id {run_id!r}")
        return self.root / run_id

    def _log(self, run_id: str) -> Path:
        return self._run_dir(run_id) / "changes.jsonl"

    # -- recording -------------------------------------------------------------
    def begin(self, run_id: str, op: str, path: Path, dst: Path | None = None) -> Pending:
        """Snapshot the target before `op` runs (the destination for copy/move)."""
        if op not in OPS:
            raise ValueError(f"unknown journal op {op}")
        pending = Pending(run_id, op, Path(path), Path(dst) if dst else None)
        target = pending.dst or pending.path
        with self._lock:
            run_dir = self._run_dir(run_id)
            run_dir.mkdir(parents=True, exist_ok=True)
            pending.before = self._snapshot(run_dir, target, backup=op != "make_dir")
        return pending

    def _snapshot(self, run_dir: Path, target: Path, *, backup: bool) -> dict[str, Any]:
        if not target.exists() and not target.is_symlink():
            return {"kind": "missing"}
        kind = "dir" if target.is_dir() and not target.is_symlink() else "file"
        state: dict[str, Any] = {"kind": kind, "hash": _hash(target)}
        if backup and _size(target) <= self.max_backup_bytes:
            name = f"{time.time_ns()}.bak"
            if kind == "dir":
                shutil.copytree(target, run_dir / name, symlinks=True)
            else:
                shutil.copy2(target, run_dir / name, follow_symlinks=False)
            state["backup"] = name
        return state

    def commit(self, pending: Pending) -> dict[str, Any]:
        """Record the change once it happened."""
        target = pending.dst or pending.path
        entry = {
            "op": pending.op, "path": str(pending.path), "dst": str(pending.dst) if pending.dst else None,
            "time": time.time(), "before": pending.before, "after": _hash(target), "undone": False,
        }
        with self._lock:
            entries = self._read(pending.run_id)
            entry["seq"] = len(entries) + 1
            with self._log(pending.run_id).open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return entry

    # -- reading ---------------------------------------------------------------
    def _read(self, run_id: str) -> list[dict[str, Any]]:
        log = self._log(run_id)
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]

    def changes(self, run_id: str) -> list[dict[str, Any]]:
        """The run's changes, oldest first, without internal backup names."""
        with self._lock:
            entries = self._read(run_id)
        return [{k: v for k, v in e.items() if k not in ("before", "after")} | {"existed_before": e["before"]["kind"] != "missing"}
                for e in entries]

    # -- undo ------------------------------------------------------------------
    def undo(self, run_id: str) -> dict[str, Any]:
        """Reverse the run's changes newest first; conflicts are reported, not overwritten."""
        restored: list[dict[str, Any]] = []
        conflicts: list[dict[str, Any]] = []
        with self._lock:
            entries = self._read(run_id)
            blocked: set[str] = set()
            for entry in reversed(entries):
                if entry["undone"]:
                    continue
                paths = {entry["path"], entry["dst"]} - {None}
                reason = "a later change to this path could not be undone" if paths & blocked else None
                reason = reason or self._undo_one(run_id, entry)
                brief = {"seq": entry["seq"], "op": entry["op"], "path": entry["path"], "dst": entry["dst"]}
                if reason:
                    blocked |= paths
                    conflicts.append(brief | {"reason": reason})
                else:
                    entry["undone"] = True
                    restored.append(brief)
            self._rewrite(run_id, entries)
        return {"run_id": run_id, "restored": restored, "conflicts": conflicts}

    def _rewrite(self, run_id: str, entries: list[dict[str, Any]]) -> None:
        log = self._log(run_id)
        if not entries:
            return
        tmp = log.with_suffix(".tmp")
        tmp.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
        os.replace(tmp, log)

    def _undo_one(self, run_id: str, e: dict[str, Any]) -> str | None:
        """Undo one change; the reason it could not be undone, or None."""
        path, dst = Path(e["path"]), Path(e["dst"]) if e["dst"] else None
        target = dst or path
        if e["op"] == "make_dir":
            return self._undo_make_dir(target, e)
        if e["op"] == "delete":
            if target.exists() or target.is_symlink():
                return "something new exists at this path now"
            return self._restore(run_id, target, e["before"])
        if _hash(target) != e["after"]:
            return "changed since the run (by you or another program); left as it is"
        if e["op"] == "move":
            if path.exists():
                return "the original place is taken again"
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, path)
            return self._restore(run_id, target, e["before"]) if e["before"]["kind"] != "missing" else None
        return self._put_back(run_id, target, e["before"])

    def _undo_make_dir(self, target: Path, e: dict[str, Any]) -> str | None:
        if e["before"]["kind"] != "missing" or not target.exists():
            return None
        if any(not p.is_dir() or p.is_symlink() for p in target.rglob("*")):
            return "the folder is not empty any more"
        shutil.rmtree(target)  # only empty sub-folders are left, created with it
        return None

    def _put_back(self, run_id: str, target: Path, before: dict[str, Any]) -> str | None:
        if before["kind"] == "missing":
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
            return None
        return self._restore(run_id, target, before)

    def _restore(self, run_id: str, target: Path, before: dict[str, Any]) -> str | None:
        if "backup" not in before:
            return "too large to keep a copy; look for it in the trash"
        backup = self._run_dir(run_id) / before["backup"]
        target.parent.mkdir(parents=True, exist_ok=True)
        if before["kind"] == "dir":
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(backup, target, symlinks=True)
        else:
            tmp = target.with_name(f".{target.name}.undo")
            shutil.copy2(backup, tmp, follow_symlinks=False)
            os.replace(tmp, target)
        return None


def journal_for(ctx_services: dict[str, Any]) -> Journal | None:
    """The run's journal when the composition root wired one (tools still work without it)."""
    journal = ctx_services.get("journal")
    return journal if isinstance(journal, Journal) else None
