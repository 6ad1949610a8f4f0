#!/usr/bin/env python3
"""Compare two folder trees by relative path and SHA-256; optionally copy what the second one lacks."""
from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

DEFAULT_IGNORE = [".DS_Store", "Thumbs.db", "desktop.ini", "~$*", ".git", "__pycache__"]


def fail(message: str) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(2)


def sha256(path: Path) -> str:
    """Hash a file in 1 MB blocks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def ignored(name: str, patterns: list[str]) -> bool:
    """True when a file or folder name matches one of the ignore patterns."""
    return any(fnmatch.fnmatch(name, p) for p in patterns)


def tree(root: Path, patterns: list[str]) -> dict[str, Path]:
    """Relative POSIX path → absolute path for every file under root."""
    out = {}
    for dirpath, dirnames, names in os.walk(root):
        dirnames[:] = [d for d in dirnames if not ignored(d, patterns)]
        for n in names:
            if not ignored(n, patterns):
                p = Path(dirpath) / n
                out[p.relative_to(root).as_posix()] = p
    return out


def compare(left: Path, right: Path, patterns: list[str], quick: bool) -> dict:
    """Files only in left (missing from right), only in right (extra), and present in both but different."""
    a, b = tree(left, patterns), tree(right, patterns)
    missing = sorted(set(a) - set(b))
    extra = sorted(set(b) - set(a))
    changed, same = [], 0
    for rel in sorted(set(a) & set(b)):
        sa, sb = a[rel].stat(), b[rel].stat()
        differs = sa.st_size != sb.st_size or (not quick and sha256(a[rel]) != sha256(b[rel]))
        if differs:
            newer = "left" if sa.st_mtime > sb.st_mtime else "right"
            changed.append({"path": rel, "left_size": sa.st_size, "right_size": sb.st_size, "newer": newer})
        else:
            same += 1
    return {"ok": True, "left": str(left), "right": str(right), "missing_in_right": missing,
            "extra_in_right": extra, "changed": changed, "identical": same,
            "in_sync": not (missing or extra or changed)}


def copy_missing(report: dict, apply: bool, overwrite_changed: bool) -> dict:
    """Copy files missing from right (and changed ones if asked); a dry run unless apply is set."""
    left, right = Path(report["left"]), Path(report["right"])
    todo = list(report["missing_in_right"])
    if overwrite_changed:
        todo += [c["path"] for c in report["changed"]]
    if apply:
        for rel in todo:
            dest = right / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(left / rel, dest)  # copy2 keeps timestamps so a re-compare stays meaningful
    return {"ok": True, "applied": apply, "copied" if apply else "would_copy": todo, "count": len(todo)}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("left", help="the original / source folder")
    ap.add_argument("right", help="the copy / backup / other version")
    ap.add_argument("--ignore", nargs="*", default=[], help="extra name patterns to skip (added to the defaults)")
    ap.add_argument("--no-default-ignore", action="store_true", help=f"also compare {', '.join(DEFAULT_IGNORE)}")
    ap.add_argument("--quick", action="store_true", help="compare sizes only (no hashing)")
    ap.add_argument("--copy-missing", action="store_true", help="plan copying left-only files into right")
    ap.add_argument("--overwrite-changed", action="store_true", help="also copy changed files left → right")
    ap.add_argument("--apply", action="store_true", help="really copy (otherwise a dry run)")
    ap.add_argument("--limit", type=int, default=200, help="max entries per list in the output")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    left, right = Path(args.left).expanduser().resolve(), Path(args.right).expanduser().resolve()
    for p in (left, right):
        if not p.is_dir():
            fail(f"not a folder: {p}")
    patterns = args.ignore + ([] if args.no_default_ignore else DEFAULT_IGNORE)
    result = compare(left, right, patterns, args.quick)
    if args.copy_missing:
        result["copy"] = copy_missing(result, args.apply, args.overwrite_changed)
    for key in ("missing_in_right", "extra_in_right", "changed"):
        result[f"{key}_count"] = len(result[key])
        result[key] = result[key][:args.limit]
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
