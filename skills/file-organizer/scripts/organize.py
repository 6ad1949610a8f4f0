#!/usr/bin/env python3
"""Plan, apply and undo the tidying of one folder into category subfolders (standard library only)."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path

CATEGORIES = {
    "images": ("图片", {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".heic", ".tif", ".tiff", ".svg", ".ico", ".raw"}),
    "documents": ("文档", {".doc", ".docx", ".pdf", ".txt", ".md", ".rtf", ".odt", ".wps", ".pages", ".epub"}),
    "spreadsheets": ("表格", {".xls", ".xlsx", ".csv", ".ods", ".et", ".numbers"}),
    "slides": ("演示文稿", {".ppt", ".pptx", ".key", ".odp", ".dps"}),
    "archives": ("压缩包", {".zip", ".rar", ".7z", ".tar", ".gz", ".bz2", ".xz", ".tgz"}),
    "installers": ("安装包", {".exe", ".msi", ".dmg", ".pkg", ".deb", ".rpm", ".apk", ".appimage"}),
    "audio": ("音频", {".mp3", ".wav", ".flac", ".m4a", ".aac", ".ogg", ".amr", ".wma"}),
    "video": ("视频", {".mp4", ".mov", ".avi", ".mkv", ".wmv", ".flv", ".webm", ".m4v"}),
    "code": ("代码", {".py", ".js", ".ts", ".html", ".css", ".json", ".xml", ".yaml", ".yml", ".sh", ".java", ".c", ".cpp", ".go"}),
}
OTHER = ("others", "其他")
# Files still being written by a browser or app must not be moved.
SKIP_SUFFIXES = {".crdownload", ".part", ".partial", ".download", ".tmp", ".lnk"}
UNDO_PREFIX = ".organize-undo-"


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def category_of(path: Path, names: str) -> str:
    """Return the folder name for a file's type in the chosen language."""
    ext = path.suffix.lower()
    for key, (zh, exts) in CATEGORIES.items():
        if ext in exts:
            return zh if names == "zh" else key.capitalize()
    return OTHER[1] if names == "zh" else OTHER[0].capitalize()


def folder_for(path: Path, by: str, names: str) -> str:
    """Pick the destination subfolder for one file."""
    if by == "type":
        return category_of(path, names)
    if by == "ext":
        return path.suffix.lower().lstrip(".") or ("无扩展名" if names == "zh" else "no-extension")
    stamp = datetime.fromtimestamp(path.stat().st_mtime)
    return stamp.strftime("%Y-%m") if by == "month" else stamp.strftime("%Y")


def candidates(root: Path, include_hidden: bool) -> list[Path]:
    """Top-level regular files worth moving (folders and half-downloaded files stay put)."""
    out = []
    for p in sorted(root.iterdir(), key=lambda q: q.name.lower()):
        if not p.is_file() or p.is_symlink() or p.suffix.lower() in SKIP_SUFFIXES:
            continue
        if p.name.startswith(UNDO_PREFIX) or (p.name.startswith(".") and not include_hidden):
            continue
        out.append(p)
    return out


def build_plan(root: Path, by: str, names: str, include_hidden: bool) -> dict:
    """Describe every move without touching the disk."""
    moves = [{"src": p.name, "dest": f"{folder_for(p, by, names)}/{p.name}", "size": p.stat().st_size}
             for p in candidates(root, include_hidden)]
    summary: dict[str, int] = {}
    for m in moves:
        folder = m["dest"].split("/")[0]
        summary[folder] = summary.get(folder, 0) + 1
    return {"ok": True, "root": str(root), "by": by, "moves": moves, "summary": summary, "count": len(moves)}


def free_name(target: Path) -> Path:
    """Never overwrite: add ' (2)', ' (3)' ... when the name is taken."""
    n = 2
    candidate = target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
        n += 1
    return candidate


def inside(root: Path, relative: str) -> Path:
    """Resolve a plan path and refuse anything that leaves the folder (plans may be written by hand)."""
    target = (root / relative).resolve()
    if target != root and root not in target.parents:
        fail(f"plan path leaves the folder: {relative}")
    return target


def apply_plan(plan: dict) -> dict:
    """Carry out a saved plan and write an undo log beside the files."""
    root = Path(plan["root"]).expanduser().resolve()
    for m in plan["moves"]:  # check everything before moving anything
        inside(root, m["src"]), inside(root, m["dest"])
    done, skipped = [], []
    for m in plan["moves"]:
        src = root / m["src"]
        if not src.is_file():
            skipped.append({"src": m["src"], "reason": "missing"})
            continue
        if (root / m["dest"]).resolve() == src.resolve():
            continue
        dest = free_name(root / m["dest"])
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(src), str(dest))
        done.append({"src": m["src"], "dest": dest.relative_to(root).as_posix()})
    log = root / f"{UNDO_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}.json"
    log.write_text(json.dumps({"root": str(root), "moves": done}, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"ok": True, "moved": len(done), "skipped": skipped, "undo_log": str(log)}


def undo(log_path: Path) -> dict:
    """Move files back to where an undo log says they came from."""
    data = json.loads(log_path.read_text(encoding="utf-8"))
    root, restored = Path(data["root"]), 0
    for m in reversed(data["moves"]):
        cur = root / m["dest"]
        if cur.is_file():
            shutil.move(str(cur), str(free_name(root / m["src"])))
            restored += 1
            if cur.parent != root and not any(cur.parent.iterdir()):
                cur.parent.rmdir()  # only folders this run created and left empty
    return {"ok": True, "restored": restored}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plan", help="show the moves, change nothing")
    p.add_argument("folder")
    p.add_argument("--by", choices=["type", "ext", "month", "year"], default="type")
    p.add_argument("--names", choices=["zh", "en"], default="zh", help="language of category folder names")
    p.add_argument("--include-hidden", action="store_true")
    p.add_argument("--out", help="save the plan as JSON for 'apply'")
    a = sub.add_parser("apply", help="carry out a saved plan")
    a.add_argument("plan")
    u = sub.add_parser("undo", help="reverse an applied plan")
    u.add_argument("log")
    for s in (p, a, u):
        s.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    if args.cmd == "plan":
        root = Path(args.folder).expanduser()
        if not root.is_dir():
            fail(f"not a folder: {root}")
        result = build_plan(root.resolve(), args.by, args.names, args.include_hidden)
        if args.out:
            Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
            # Big folders: the full plan is in the file, the model sees a sample.
            result = {**result, "moves": result["moves"][:40], "plan_file": args.out}
    elif args.cmd == "apply":
        result = apply_plan(json.loads(Path(args.plan).read_text(encoding="utf-8")))
    else:
        result = undo(Path(args.log))
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
