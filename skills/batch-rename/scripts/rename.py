#!/usr/bin/env python3
"""Preview and apply batch renames from a name pattern; every run can be undone from its log."""
from __future__ import annotations

import argparse
import fnmatch
import json
import re
import sys
import time
from datetime import datetime
from pathlib import Path

UNDO_PREFIX = ".rename-undo-"
# Characters Windows refuses in file names; replaced so a plan made on Linux/macOS also works there.
BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def fail(message: str) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(2)


def taken_date(path: Path) -> datetime:
    """Photo date from EXIF when Pillow is installed, else the modification time."""
    try:
        from PIL import Image  # optional

        with Image.open(path) as img:
            raw = img.getexif().get_ifd(0x8769).get(36867) or img.getexif().get(306)
        if raw:
            return datetime.strptime(str(raw)[:19], "%Y:%m:%d %H:%M:%S")
    except Exception:  # no Pillow, not an image, or no EXIF: fall back quietly
        pass
    return datetime.fromtimestamp(path.stat().st_mtime)


def select(folder: Path, pattern: str, sort: str) -> list[Path]:
    """Files in the folder matching the glob, in the requested order."""
    files = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
             and fnmatch.fnmatch(p.name.lower(), pattern.lower())]
    keys = {"name": lambda p: p.name.lower(), "mtime": lambda p: p.stat().st_mtime, "taken": taken_date}
    return sorted(files, key=keys[sort])


def new_name(path: Path, index: int, args: argparse.Namespace) -> str:
    """Compute one target name from the template and the find/replace options."""
    stem = path.stem
    if args.find:
        flags = re.IGNORECASE if args.ignore_case else 0
        stem = re.sub(args.find if args.regex else re.escape(args.find), args.replace, stem, flags=flags)
    when = taken_date(path) if "{taken" in args.template else datetime.fromtimestamp(path.stat().st_mtime)
    name = args.template.format(stem=stem, n=index, ext=path.suffix, date=when.strftime("%Y-%m-%d"),
                                taken=when.strftime("%Y%m%d_%H%M%S"), parent=path.parent.name)
    name = {"lower": name.lower(), "upper": name.upper()}.get(args.case, name)
    return BAD_CHARS.sub("_", name).strip().rstrip(".")


def build_plan(folder: Path, args: argparse.Namespace) -> dict:
    """Map old → new names and flag every collision; touches nothing."""
    files = select(folder, args.glob, args.sort)
    renames = [{"old": p.name, "new": new_name(p, args.start + i, args)} for i, p in enumerate(files)]
    sources = {r["old"].lower() for r in renames}
    seen: dict[str, str] = {}
    problems = []
    for r in renames:
        key = r["new"].lower()  # case-insensitive: Windows and macOS treat A.txt and a.txt as one file
        if not r["new"]:
            problems.append({"old": r["old"], "problem": "empty name"})
        elif key in seen:
            problems.append({"old": r["old"], "new": r["new"], "problem": f"same new name as {seen[key]}"})
        elif (folder / r["new"]).exists() and key not in sources:
            problems.append({"old": r["old"], "new": r["new"], "problem": "a different file already has this name"})
        seen[key] = r["old"]
    changed = [r for r in renames if r["old"] != r["new"]]
    return {"ok": not problems, "folder": str(folder), "renames": changed, "unchanged": len(renames) - len(changed),
            "collisions": problems, "count": len(changed)}


def apply_plan(plan: dict) -> dict:
    """Rename in two phases (to temporary names, then final) so swaps and shifts never clash."""
    if plan.get("collisions"):
        fail("the plan has collisions; fix the pattern and preview again")
    folder = Path(plan["folder"])
    for r in plan["renames"]:  # plans can be edited by hand: names only, never paths
        if not r["new"] or BAD_CHARS.search(r["new"]) or r["new"] in (".", ".."):
            fail(f"not a plain file name: {r['new']!r}")
    tag = f".tmp-rename-{int(time.time())}-"
    staged = []
    for i, r in enumerate(plan["renames"]):
        src = folder / r["old"]
        if not src.is_file():
            fail(f"file vanished since the preview: {r['old']}")
        tmp = folder / f"{tag}{i}"
        src.rename(tmp)
        staged.append((tmp, folder / r["new"], r))
    for tmp, final, _ in staged:
        tmp.rename(final)
    log = folder / f"{UNDO_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}.json"
    log.write_text(json.dumps({"folder": str(folder), "renames": plan["renames"]}, ensure_ascii=False, indent=1),
                   encoding="utf-8")
    return {"ok": True, "renamed": len(staged), "undo_log": str(log)}


def undo_plan(log: Path) -> dict:
    """Reverse a logged run."""
    data = json.loads(log.read_text(encoding="utf-8"))
    back = {"folder": data["folder"], "renames": [{"old": r["new"], "new": r["old"]} for r in data["renames"]]}
    result = apply_plan(back)
    Path(result["undo_log"]).unlink()
    return {"ok": True, "restored": result["renamed"]}


def parser() -> argparse.ArgumentParser:
    """Build the argument parser."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("preview", help="show old → new, change nothing")
    p.add_argument("folder")
    p.add_argument("--template", default="{stem}{ext}",
                   help="fields: {stem} {n} {n:03d} {ext} {date} {taken} {parent}; e.g. 'trip_{n:03d}{ext}'")
    p.add_argument("--glob", default="*", help="which files, e.g. '*.jpg'")
    p.add_argument("--sort", choices=["name", "mtime", "taken"], default="name")
    p.add_argument("--start", type=int, default=1)
    p.add_argument("--find", help="text (or regex with --regex) to replace inside the old name")
    p.add_argument("--replace", default="")
    p.add_argument("--regex", action="store_true")
    p.add_argument("--ignore-case", action="store_true")
    p.add_argument("--case", choices=["keep", "lower", "upper"], default="keep")
    p.add_argument("--out", help="save the plan for 'apply'")
    a = sub.add_parser("apply", help="carry out a saved plan")
    a.add_argument("plan")
    u = sub.add_parser("undo", help="reverse an applied plan from its undo log")
    u.add_argument("log")
    for s in (p, a, u):
        s.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    return ap


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    args = parser().parse_args(argv)
    if args.cmd == "preview":
        folder = Path(args.folder).expanduser()
        if not folder.is_dir():
            fail(f"not a folder: {folder}")
        try:
            result = build_plan(folder.resolve(), args)
        except (KeyError, ValueError, IndexError, re.error) as exc:
            fail(f"bad template or pattern: {exc}")
        if args.out:
            Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
            result["plan_file"] = args.out
    elif args.cmd == "apply":
        result = apply_plan(json.loads(Path(args.plan).read_text(encoding="utf-8")))
    else:
        result = undo_plan(Path(args.log))
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
