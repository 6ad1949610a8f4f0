"""The MEMORY.md file on disk: change detection by mtime, atomic writes, backups.

No watcher thread: every read of memory first asks `changed()`, which costs one stat() call
unless the file really changed.
"""

from __future__ import annotations

import hashlib
import os
import time
from datetime import UTC, datetime
from pathlib import Path

KEEP_BACKUPS = 10
SETTLE_NS = 200_000_000  # a file changed less than this long ago is read again
SETTLE_TRIES = 5


class MemoryFile:
    """Tracks the last version of MEMORY.md that the app wrote or read."""

    def __init__(self, path: Path, backup_dir: Path) -> None:
        self.path = path
        self.backup_dir = backup_dir
        self._signature: tuple[int, int] | None = None
        self._digest: str | None = None
        self.last_good: bytes | None = None  # the last content that matched the store

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size

    def missing(self) -> bool:
        """True when the file does not exist (deleted or never written)."""
        return self._stat() is None

    def changed(self) -> bytes | None:
        """The file's bytes when they differ from what we last wrote or read, else None."""
        signature = self._stat()
        if signature is None or signature == self._signature:
            return None
        data = self.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != self._digest:
            signature, data = self._settled(signature, data)
        self._signature = signature
        digest = hashlib.sha256(data).hexdigest()
        if digest == self._digest:
            return None
        self._digest = digest
        return data

    def _settled(self, signature: tuple[int, int], data: bytes) -> tuple[tuple[int, int], bytes]:
        # Many editors save by truncating and rewriting: a file changed a moment ago may be half
        # written, and applying half a file would delete memories. Wait until it stops changing.
        for _ in range(SETTLE_TRIES):
            if time.time_ns() - signature[0] > SETTLE_NS:
                break
            time.sleep(SETTLE_NS / 2e9)
            again = self._stat()
            if again is None or again == signature:
                break
            signature, data = again, self.path.read_bytes()
        return signature, data

    def write(self, text: str) -> None:
        """Replace the file atomically and remember it as ours."""
        data = text.encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, self.path)
        self._signature = self._stat()
        self._digest = hashlib.sha256(data).hexdigest()
        self.last_good = data

    def backup(self, data: bytes, label: str) -> Path:
        """Keep a copy of `data` in the backup folder; only the newest few are kept."""
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        target = self.backup_dir / f"MEMORY-{stamp}-{label}.md"
        target.write_bytes(data)
        for old in sorted(self.backup_dir.glob("MEMORY-*.md"))[:-KEEP_BACKUPS]:
            old.unlink(missing_ok=True)
        return target
