#!/usr/bin/env python3
"""Plan and carry out a safe junk cleanup: only entries inside known cache, temp, log and trash folders are touched.

`plan` lists what could go and how much it frees (changes nothing). `apply PLAN --yes` removes the planned entries,
re-checking that each one still lies inside a whitelisted folder; without --yes it only repeats the plan.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path


def whitelist(home: Path, temp: Path) -> dict[str, list[Path]]:
    """Folders whose *contents* are safe to remove, per category, for this OS."""
    cats: dict[str, list[Path]] = {"temp": [temp]}
    if sys.platform == "darwin":
        cats.update(cache=[home / "Library/Caches"], logs=[home / "Library/Logs"], trash=[home / ".Trash"],
                    packages=[home / ".npm/_cacache", home / "Library/Caches/Homebrew"])
    elif sys.platform == "win32":
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData/Local"))
        cats.update(cache=[local / "Microsoft/Windows/INetCache", local / "CrashDumps"],
                    logs=[local / "Microsoft/Windows/WER/ReportArchive"],
                    packages=[local / "pip/Cache", local / "npm-cache/_cacache", local / "Yarn/Cache"])
    else:
        cats.update(cache=[home / ".cache"], logs=[home / ".local/state/log"],
                    trash=[home / ".local/share/Trash/files", home / ".local/share/Trash/info"],
                    packages=[home / ".npm/_cacache", home / ".cache/yarn", home / ".conda/pkgs"])
    return cats


def size_of(path: Path) -> int:
    """Bytes under a path, without following symlinks."""
    if path.is_symlink() or path.is_file():
        return path.lstat().st_size
    total = 0
    for dirpath, _dirs, files in os.walk(path, onerror=lambda e: None):
        for f in files:
            try:
                total += os.lstat(os.path.join(dirpath, f)).st_size
            except OSError:
                pass
    return total


def human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def plan(home: Path, temp: Path, categories: set[str], min_age_days: float) -> dict:
    """Entries (direct children of whitelisted folders) that could be removed, with sizes."""
    cutoff = time.time() - min_age_days * 86400
    items, skipped = [], 0
    for cat, roots in whitelist(home, temp).items():
        if categories and cat not in categories:
            continue
        for root in roots:
            if not root.is_dir():
                continue
            for entry in sorted(root.iterdir()):
                try:
                    st = entry.lstat()
                except OSError:
                    continue
                recent = st.st_mtime > cutoff
                if cat == "temp" and hasattr(os, "getuid") and st.st_uid != os.getuid():
                    continue  # a shared temp folder also holds other users' and services' files
                # Files in use are usually recent; trash is old news by definition.
                if recent and cat in ("temp", "logs"):
                    skipped += 1
                    continue
                items.append({"category": cat, "path": str(entry), "bytes": size_of(entry)})
    total = sum(i["bytes"] for i in items)
    by_cat: dict[str, int] = {}
    for i in items:
        by_cat[i["category"]] = by_cat.get(i["category"], 0) + i["bytes"]
    return {"ok": True, "home": str(home), "temp": str(temp), "items": items, "count": len(items),
            "total_bytes": total, "total": human(total), "skipped_recent": skipped,
            "by_category": {k: {"bytes": v, "size": human(v)} for k, v in sorted(by_cat.items(), key=lambda kv: -kv[1])}}


def allowed(path: Path, home: Path, temp: Path) -> str | None:
    """The category whose folder strictly contains `path`, else None."""
    p = Path(os.path.abspath(path))
    for cat, roots in whitelist(home, temp).items():
        for root in roots:
            r = Path(os.path.abspath(root))
            if p != r and p.is_relative_to(r):
                return cat
    return None


def remove(path: Path, cat: str, permanent: bool) -> str:
    """Trash the entry (or delete it when asked, and always for the trash itself)."""
    if cat != "trash" and not permanent:
        from send2trash import send2trash
        send2trash(str(path))
        return "trashed"
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
    return "deleted"


def apply(plan_file: Path, home: Path, temp: Path, yes: bool, permanent: bool) -> tuple[dict, int]:
    """Carry out a saved plan; refuses any entry outside the whitelist."""
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    done, refused, failed, freed = [], [], [], 0
    for item in data.get("items", []):
        path = Path(item["path"])
        cat = allowed(path, home, temp)
        if cat is None:
            refused.append(str(path))
            continue
        if not path.exists() and not path.is_symlink():
            continue
        if not yes:
            done.append({"path": str(path), "action": "would remove"})
            continue
        size = size_of(path)
        try:
            done.append({"path": str(path), "action": remove(path, cat, permanent)})
            freed += size
        except OSError as exc:
            failed.append({"path": str(path), "error": exc.strerror or str(exc)})
    result = {"ok": not refused and not failed, "dry_run": not yes, "done": done, "refused": refused,
              "failed": failed, "freed_bytes": freed, "freed": human(freed)}
    if refused:
        result["error"] = f"{len(refused)} planned path(s) lie outside the cleanable folders and were left alone"
    return result, (0 if result["ok"] else 1)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--home", default=str(Path.home()), help="home folder (default: yours)")
    ap.add_argument("--temp", default=tempfile.gettempdir(), help="temp folder (default: the system's)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plan", help="list removable entries and sizes")
    p.add_argument("--category", nargs="*", default=[], choices=["cache", "temp", "logs", "trash", "packages"])
    p.add_argument("--min-age-days", type=float, default=1.0, help="keep temp/log entries newer than this")
    p.add_argument("--out", help="save the plan here for apply")
    a = sub.add_parser("apply", help="remove the entries of a saved plan")
    a.add_argument("plan_file")
    a.add_argument("--yes", action="store_true", help="really remove (only after the user agreed)")
    a.add_argument("--permanent", action="store_true", help="delete instead of moving to the trash")
    for s in (p, a):
        s.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    home, temp = Path(os.path.expanduser(args.home)), Path(os.path.expanduser(args.temp))
    try:
        if args.cmd == "plan":
            result, code = plan(home, temp, set(args.category), args.min_age_days), 0
            if args.out:
                Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
                result = {**result, "items": result["items"][:50], "plan_file": args.out}
        else:
            result, code = apply(Path(args.plan_file), home, temp, args.yes, args.permanent)
    except (OSError, ValueError, KeyError) as exc:
        result, code = {"ok": False, "error": str(exc)}, 2
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return code


if __name__ == "__main__":
    sys.exit(main())
