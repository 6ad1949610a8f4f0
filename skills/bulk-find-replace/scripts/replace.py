#!/usr/bin/env python3
"""Find and replace text or a regex across many text files: preview with diffs first, then apply with backups."""
from __future__ import annotations

import argparse
import difflib
import fnmatch
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

SKIP_DIRS = {".git", "node_modules", "__pycache__", ".venv", "venv"}
BACKUP_PREFIX = ".replace-backup-"
MAX_BYTES = 20 * 1024 * 1024


def fail(message: str) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(2)


def decode(raw: bytes) -> tuple[str, str] | None:
    """Text and its encoding, or None for binary files (NUL bytes or undecodable)."""
    if b"\x00" in raw[:8192]:
        return None
    for enc in ("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8", "gb18030"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    return None


def targets(root: Path, globs: list[str]) -> list[Path]:
    """Files under root (or root itself) whose names match one of the globs."""
    if root.is_file():
        return [root]
    out = []
    for dirpath, dirnames, names in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith(BACKUP_PREFIX))
        out += [Path(dirpath) / n for n in sorted(names) if any(fnmatch.fnmatch(n, g) for g in globs)]
    return out


def pattern(args: argparse.Namespace) -> re.Pattern:
    """Compile the search as a regex (escaped unless --regex)."""
    flags = re.IGNORECASE if args.ignore_case else 0
    text = args.find if args.regex else re.escape(args.find)
    if args.whole_word:
        text = rf"\b(?:{text})\b"
    return re.compile(text, flags | re.MULTILINE)


def plan(args: argparse.Namespace) -> list[dict]:
    """Per changed file: count, encoding, new text and a unified diff."""
    rx, repl = pattern(args), args.replace if args.regex else args.replace.replace("\\", "\\\\")
    changes = []
    for p in targets(Path(args.root).expanduser(), args.glob):
        if p.stat().st_size > MAX_BYTES or (got := decode(p.read_bytes())) is None:
            continue
        text, enc = got
        new, n = rx.subn(repl, text)
        if n:
            diff = "".join(difflib.unified_diff(text.splitlines(True), new.splitlines(True), str(p), str(p), n=1))
            changes.append({"path": str(p), "count": n, "encoding": enc, "new": new, "diff": diff})
    return changes


def apply(changes: list[dict], root: Path) -> str:
    """Copy originals into a timestamped backup folder, then write the new text in the same encoding."""
    base = root if root.is_dir() else root.parent
    backup = base / f"{BACKUP_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}"
    for c in changes:
        p = Path(c["path"])
        dest = backup / p.relative_to(base)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, dest)
        # newline="" keeps the file's own line endings exactly as they were
        with p.open("w", encoding=c["encoding"], newline="") as f:
            f.write(c["new"])
    return str(backup)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("action", choices=["preview", "apply"])
    ap.add_argument("root", help="folder (or a single file)")
    ap.add_argument("--find", required=True)
    ap.add_argument("--replace", required=True)
    ap.add_argument("--glob", nargs="*", default=["*.txt", "*.md", "*.csv", "*.html", "*.htm", "*.json", "*.xml",
                                                  "*.yaml", "*.yml", "*.ini", "*.py", "*.js", "*.ts", "*.css", "*.srt"])
    ap.add_argument("--regex", action="store_true", help="treat --find as a Python regex; --replace may use \\1")
    ap.add_argument("--ignore-case", action="store_true")
    ap.add_argument("--whole-word", action="store_true")
    ap.add_argument("--expect", type=int, help="apply only if the total count equals this (the previewed number)")
    ap.add_argument("--max-diff-chars", type=int, default=4000)
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    if not Path(args.root).expanduser().exists():
        fail(f"not found: {args.root}")
    try:
        changes = plan(args)
    except re.error as exc:
        fail(f"bad regular expression: {exc}")
    total = sum(c["count"] for c in changes)
    result = {"ok": True, "action": args.action, "files_changed": len(changes), "replacements": total,
              "files": [{"path": c["path"], "count": c["count"], "encoding": c["encoding"]} for c in changes],
              "diff": "".join(c["diff"] for c in changes)[:args.max_diff_chars]}
    if args.action == "apply":
        if args.expect is not None and args.expect != total:
            fail(f"files changed since the preview: expected {args.expect} replacements, found {total}; preview again")
        result["backup_dir"] = apply(changes, Path(args.root).expanduser()) if changes else None
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
