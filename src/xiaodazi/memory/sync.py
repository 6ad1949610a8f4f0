"""Reading hand edits of MEMORY.md back into the store (a mixin of MemoryService).

Rules that keep a bad edit from losing memories: an unreadable or emptied file is never
applied (the store wins and the file is restored); when any line has a problem, no item is
deleted in that pass; before an edit is applied the previous file is kept as a backup, and a
file with problems is kept too, so the user can fix it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from xiaodazi.memory import markdown
from xiaodazi.memory.model import MemoryItem, MemorySource, MemoryStatus

if TYPE_CHECKING:
    from xiaodazi.memory.service import MemoryService

log = logging.getLogger(__name__)
EDIT_REASON = "edited in MEMORY.md"


class MarkdownSync:
    """Applies a changed MEMORY.md: added, changed and deleted lines."""

    _batch = False

    def _apply_file(self: MemoryService, data: bytes) -> None:
        try:
            parsed = markdown.parse(data.decode("utf-8"))
        except UnicodeDecodeError:
            parsed = markdown.ParsedFile(broken=True, problems=["MEMORY.md 不是 UTF-8 文本 / MEMORY.md is not UTF-8 text"])
        active = dict(self._active_map())
        if parsed.broken and active:
            self._restore(data, parsed.problems[0])
            return
        previous = markdown.render(list(active.values())).encode("utf-8")
        self._batch = True
        try:
            changed = self._apply_lines(parsed.lines, active)
            if not parsed.problems:
                changed += self._apply_deletions(parsed, active)
        finally:
            self._batch = False
        self._finish_apply(data, previous, parsed.problems, changed)

    def _finish_apply(self: MemoryService, data: bytes, previous: bytes, problems: list[str], changed: int) -> None:
        if changed:
            self.file.backup(previous, "before-edit")
        self._problems = []
        if problems:
            kept = self.file.backup(data, "with-problems")
            for problem in problems:
                self._report(f"{problem}（你的版本已保存 / your version is saved: {kept.name}）")
        if changed or problems:
            self._write_file()
        log.info("memory: applied MEMORY.md edit (%d changes, %d problems)", changed, len(problems))

    def _restore(self: MemoryService, data: bytes, problem: str) -> None:
        kept = self.file.backup(data, "broken")
        self._problems = []
        self._write_file()
        self._report(f"{problem}：已按数据库恢复，没有删除任何记忆；你的版本保存为 {kept.name} / "
                     f"restored from the database, no memory was deleted; your version is saved as {kept.name}")

    def _apply_lines(self: MemoryService, lines: list[markdown.FileLine], active: dict[int, MemoryItem]) -> int:
        changed = 0
        for line in lines:
            item = active.get(line.item_id) if line.item_id is not None else None
            if item is not None:
                changed += self._apply_change(item, line)
            else:
                changed += self._apply_new(line)
        return changed

    def _apply_change(self: MemoryService, item: MemoryItem, line: markdown.FileLine) -> int:
        changes: dict[str, Any] = {}
        if line.content != item.content:
            changes["content"] = line.content
        if line.kind != item.kind:
            changes["kind"] = line.kind
        if line.pinned != item.pinned:
            changes["pinned"] = line.pinned
        if changes:
            self._after_change(self.repo.update(item.id, EDIT_REASON, **changes))
        return int(bool(changes))

    def _apply_new(self: MemoryService, line: markdown.FileLine) -> int:
        old = self.repo.get(line.item_id) if line.item_id is not None else None
        if old is not None and old.status != MemoryStatus.active:  # pasted back: restore it
            restored = self.repo.update(old.id, "restored in MEMORY.md", status=MemoryStatus.active,
                                        content=line.content, kind=line.kind, pinned=line.pinned)
            self._after_change(restored)
            return 1
        # A duplicate merges into its twin; either way the file is rewritten with tags.
        self.add(line.content, line.kind, source=MemorySource.file, pinned=line.pinned)
        return 1

    def _apply_deletions(self: MemoryService, parsed: markdown.ParsedFile, active: dict[int, MemoryItem]) -> int:
        kept = {line.item_id for line in parsed.lines} | parsed.protected_ids
        gone = [item_id for item_id in active if item_id not in kept]
        for item_id in gone:
            self._set_status(item_id, MemoryStatus.deleted, "deleted from MEMORY.md")
        return len(gone)
