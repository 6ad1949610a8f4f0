"""search_files' engine: walk a folder once, match names (substring or glob) and text content, with caps."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xiaodazi.core.tools import ToolContext
from xiaodazi.tools.paths import allowed_roots, display_path

SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv", ".mypy_cache", ".pytest_cache", ".tox"}
MAX_RESULTS = 100
MAX_FILES = 5000
MAX_CONTENT_BYTES = 2 * 1024 * 1024


@dataclass
class SearchResult:
    """Name hits and content hits (path, line number, line) of one search."""

    names: list[Path] = field(default_factory=list)
    lines: list[tuple[Path, int, str]] = field(default_factory=list)
    scanned: int = 0
    capped: bool = False

    def text(self, ctx: ToolContext) -> str:
        """Readable summary for the model."""
        out = [f"{len(self.names)} file name match(es), {len(self.lines)} content match(es) in {self.scanned} files"]
        out += [f"  {display_path(ctx, p)}" for p in self.names]
        out += [f"  {display_path(ctx, p)}:{n}: {line}" for p, n, line in self.lines]
        if self.capped:
            out.append(f"(results capped at {MAX_RESULTS} / {MAX_FILES} files; narrow the search)")
        return "\n".join(out)

    def summary(self, ctx: ToolContext) -> dict[str, Any]:
        return {"names": [display_path(ctx, p) for p in self.names],
                "lines": [{"path": display_path(ctx, p), "line": n} for p, n, _ in self.lines],
                "capped": self.capped}


def _name_matches(name: str, query: str) -> bool:
    if any(c in query for c in "*?["):
        return fnmatch.fnmatch(name.lower(), query.lower())
    return query.lower() in name.lower()


def _inside(path: Path, roots: list[Path]) -> bool:
    real = os.path.realpath(path)
    return any(real == str(r) or real.startswith(str(r).rstrip(os.sep) + os.sep) for r in roots)


def _grep(path: Path, needle: str, result: SearchResult) -> None:
    try:
        if path.stat().st_size > MAX_CONTENT_BYTES:
            return
        data = path.read_bytes()
    except OSError:
        return
    if b"\x00" in data[:8192]:
        return
    text = data.decode("utf-8", errors="replace")
    if needle not in text.lower():
        return
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line.lower():
            result.lines.append((path, number, line.strip()[:200]))
            if len(result.lines) >= MAX_RESULTS:
                result.capped = True
                return


def search_tree(ctx: ToolContext, root: Path, query: str, *, content: bool = True) -> SearchResult:
    """Search `root` (already guarded); symlinks leading outside the allowed folders are skipped."""
    result = SearchResult()
    roots = allowed_roots(ctx)
    needle = query.lower()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            path = Path(folder) / name
            if not _inside(path, roots):
                continue
            result.scanned += 1
            if _name_matches(name, query) and len(result.names) < MAX_RESULTS:
                result.names.append(path)
            if content and not result.capped:
                _grep(path, needle, result)
            if result.scanned >= MAX_FILES:
                result.capped = True
                return result
    return result
