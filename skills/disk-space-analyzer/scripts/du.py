#!/usr/bin/env python3
"""Read-only disk usage report: biggest subfolders and files under a path, plus piles worth a look (caches, installers)."""
from __future__ import annotations

import argparse
import heapq
import json
import os
import shutil
import sys
import time
from pathlib import Path

# Folder names that usually hold regenerable or forgotten data.
PILE_DIRS = {
    "cache": {".cache", "cache", "caches", "Cache", "Caches", "__pycache__", ".gradle", ".m2", "CachedData", "GPUCache"},
    "dev build output": {"node_modules", "target", "build", "dist", ".venv", "venv", ".tox", "DerivedData"},
    "temp": {"tmp", "temp", "Temp"},
    "trash": {".Trash", "Trash", "$Recycle.Bin"},
}
INSTALLER_EXT = {".exe", ".msi", ".dmg", ".pkg", ".deb", ".rpm", ".apk", ".iso", ".appimage"}


def human(n: float) -> str:
    """Bytes as B/KB/MB/GB/TB with one decimal (1 KB = 1024 B)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


class Walk:
    """One pass over a tree: size per top-level child, largest files, piles and unreadable paths."""

    def __init__(self, root: Path, top: int, old_days: int):
        self.root, self.top, self.cutoff = root, top, time.time() - old_days * 86400
        self.children: dict[str, int] = {}
        self.files: list[tuple[int, str]] = []
        self.piles: dict[str, dict] = {}
        self.errors: list[str] = []
        self.total = 0

    def run(self) -> None:
        stack = [(self.root, None, None)]
        while stack:
            folder, child, pile = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError as exc:
                self.errors.append(f"{folder}: {exc.strerror or exc}")
                continue
            for e in entries:
                top = child or e.name
                try:
                    if e.is_symlink():
                        continue  # never follow links: they would count space twice or leave the tree
                    if e.is_dir(follow_symlinks=False):
                        kind = pile or next((k for k, names in PILE_DIRS.items() if e.name in names), None)
                        if kind and not pile:
                            self.piles[str(Path(e.path))] = {"kind": kind, "bytes": 0}
                        stack.append((Path(e.path), top, kind and (pile or str(Path(e.path)))))
                    else:
                        self._file(e, top, pile)
                except OSError as exc:
                    self.errors.append(f"{e.path}: {exc.strerror or exc}")

    def _file(self, e: os.DirEntry, top: str, pile: str | None) -> None:
        st = e.stat(follow_symlinks=False)
        size = st.st_size
        self.total += size
        self.children[top] = self.children.get(top, 0) + size
        item = (size, e.path)
        if len(self.files) < self.top:
            heapq.heappush(self.files, item)
        elif size > self.files[0][0]:
            heapq.heapreplace(self.files, item)
        if pile:
            self.piles[pile]["bytes"] += size
        elif Path(e.name).suffix.lower() in INSTALLER_EXT and st.st_mtime < self.cutoff:
            self.piles[e.path] = {"kind": "old installer", "bytes": size}


def report(root: Path, top: int, old_days: int) -> dict:
    """The full JSON report for one folder."""
    w = Walk(root, top, old_days)
    w.run()
    kids = sorted(w.children.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    piles = sorted(({"path": p, **v} for p, v in w.piles.items() if v["bytes"]), key=lambda x: -x["bytes"])[:top]
    try:
        du = shutil.disk_usage(root)
        volume = {"total_bytes": du.total, "free_bytes": du.free, "used_percent": round(100 * du.used / du.total, 1)}
    except OSError:
        volume = None
    return {
        "ok": True, "root": str(root), "total_bytes": w.total, "total": human(w.total), "volume": volume,
        "largest_children": [{"name": n, "path": str(root / n), "bytes": b, "size": human(b)} for n, b in kids],
        "largest_files": [{"path": p, "bytes": b, "size": human(b)} for b, p in sorted(w.files, key=lambda x: (-x[0], x[1]))],
        "piles": [{**p, "size": human(p["bytes"])} for p in piles],
        "unreadable": w.errors[:20], "unreadable_count": len(w.errors),
    }


def main(argv: list[str] | None = None) -> int:
    """Scan one folder (nothing is changed) and print JSON."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path", help="folder to measure, e.g. ~ or C:\\Users\\me")
    ap.add_argument("--top", type=int, default=15, help="how many folders/files/piles to list")
    ap.add_argument("--old-days", type=int, default=30, help="installers older than this count as leftovers")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    root = Path(os.path.expanduser(args.path))
    if not root.is_dir():
        print(json.dumps({"ok": False, "error": f"not a folder: {root}"}, ensure_ascii=False))
        return 2
    print(json.dumps(report(root, args.top, args.old_days), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
