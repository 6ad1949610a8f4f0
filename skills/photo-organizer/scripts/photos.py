#!/usr/bin/env python3
"""Plan filing photos and videos into YYYY/MM folders by date taken, flag near-duplicates and blurry shots; apply; undo."""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path

PHOTOS = {".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".tif", ".tiff", ".bmp", ".gif", ".dng", ".cr2", ".nef", ".arw"}
VIDEOS = {".mp4", ".mov", ".m4v", ".avi", ".mkv", ".3gp"}
READABLE = {".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif"}


def taken(path: Path) -> tuple[datetime, str]:
    """When the picture was taken (EXIF DateTimeOriginal, then DateTime) or, failing that, the file's mtime."""
    if path.suffix.lower() in READABLE:
        try:
            from PIL import Image

            with Image.open(path) as img:
                exif = img.getexif()
                raw = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
            if raw:
                return datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S"), "exif"
        except (OSError, ValueError):
            pass
    return datetime.fromtimestamp(path.stat().st_mtime), "mtime"


def dhash(path: Path) -> int | None:
    """A 64-bit difference hash: near-identical pictures differ in only a few bits."""
    from PIL import Image

    try:
        with Image.open(path) as img:
            small = img.convert("L").resize((9, 8), Image.LANCZOS)
    except OSError:
        return None
    px = list(small.getdata())
    return sum(1 << i for i, (a, b) in enumerate((px[r * 9 + c], px[r * 9 + c + 1]) for r in range(8) for c in range(8)) if a > b)


def sharpness(path: Path) -> float | None:
    """Variance of the edge image of a 512-px copy: low values mean a blurry or shaken shot."""
    from PIL import Image, ImageFilter, ImageStat

    try:
        with Image.open(path) as img:
            grey = img.convert("L")
            grey.thumbnail((512, 512))
    except OSError:
        return None
    edges = grey.filter(ImageFilter.FIND_EDGES)
    inner = edges.crop((2, 2, max(3, edges.width - 2), max(3, edges.height - 2)))  # the filter rings at the borders
    return round(ImageStat.Stat(inner).var[0], 1)


def similar_groups(hashes: dict[str, int], max_bits: int) -> list[list[str]]:
    """Groups of files whose hashes are within max_bits of the group's first file."""
    groups: list[list[str]] = []
    for name, h in hashes.items():
        for g in groups:
            if bin(hashes[g[0]] ^ h).count("1") <= max_bits:
                g.append(name)
                break
        else:
            groups.append([name])
    return [g for g in groups if len(g) > 1]


def plan(root: Path, dest: Path, pattern: str, recursive: bool, max_bits: int, blur_below: float) -> dict:
    """Moves (relative to root) into dest/pattern, plus similar and blurry shots for review."""
    files = sorted(p for p in (root.rglob("*") if recursive else root.iterdir())
                   if p.is_file() and p.suffix.lower() in PHOTOS | VIDEOS and (dest == root or dest not in p.parents))
    moves, hashes, blurry, taken_from = [], {}, [], {"exif": 0, "mtime": 0}
    used: set[str] = set()
    for p in files:
        when, source = taken(p)
        taken_from[source] += 1
        folder = pattern.format(year=f"{when:%Y}", month=f"{when:%m}", day=f"{when:%d}")
        wanted = dest / folder / p.name
        if wanted != p:  # files already in their YYYY/MM folder stay where they are
            target = _free(wanted, used)
            moves.append({"src": str(p), "dest": str(target), "date": when.isoformat(timespec="seconds"), "from": source})
        if p.suffix.lower() in READABLE:
            h, s = dhash(p), sharpness(p)
            if h is not None:
                hashes[str(p)] = h
            if s is not None and s < blur_below:
                blurry.append({"file": str(p), "sharpness": s})
    return {"root": str(root), "dest": str(dest), "moves": moves, "count": len(moves), "dates_from": taken_from,
            "similar": similar_groups(hashes, max_bits), "blurry": blurry}


def _free(target: Path, used: set[str]) -> Path:
    """target, or target with _2, _3 … when the name is taken on disk or earlier in the plan."""
    n, candidate = 1, target
    while str(candidate) in used or (candidate.exists()):
        n += 1
        candidate = target.with_name(f"{target.stem}_{n}{target.suffix}")
    used.add(str(candidate))
    return candidate


def apply(plan_file: Path, copy: bool) -> dict:
    """Carry out a saved plan; writes an undo log of what really moved."""
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    done, skipped = [], []
    for m in data["moves"]:
        src, dest = Path(m["src"]), Path(m["dest"])
        if not src.exists() or dest.exists():
            skipped.append(m["src"])
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copy2 if copy else shutil.move)(str(src), str(dest))
        done.append({"src": m["src"], "dest": m["dest"]})
    log = plan_file.with_name(f".photo-undo-{time.strftime('%Y%m%d-%H%M%S')}.json")
    log.write_text(json.dumps({"copied": copy, "moves": done}, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"moved" if not copy else "copied": len(done), "skipped": skipped, "undo_log": str(log)}


def undo(log_file: Path) -> dict:
    """Put moved files back (or delete the copies made by --copy)."""
    data = json.loads(log_file.read_text(encoding="utf-8"))
    restored = 0
    for m in reversed(data["moves"]):
        src, dest = Path(m["src"]), Path(m["dest"])
        if dest.exists() and not (src.exists() and not data["copied"]):
            dest.unlink() if data["copied"] else shutil.move(str(dest), str(src))
            restored += 1
    return {"restored": restored}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plan")
    p.add_argument("folder")
    p.add_argument("--dest", help="where the YYYY/MM folders go (default: the folder itself)")
    p.add_argument("--pattern", default="{year}/{month}", help="e.g. {year}/{year}-{month}")
    p.add_argument("--recursive", action="store_true")
    p.add_argument("--similar-bits", type=int, default=6, help="hash distance counted as near-duplicate (0-64)")
    p.add_argument("--blur-below", type=float, default=60.0, help="sharpness under which a shot is flagged")
    p.add_argument("--out", help="save the plan here (needed for apply)")
    a = sub.add_parser("apply")
    a.add_argument("plan")
    a.add_argument("--copy", action="store_true", help="copy instead of move")
    u = sub.add_parser("undo")
    u.add_argument("log")
    for s in (p, a, u):
        s.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.cmd == "plan":
        root = Path(args.folder)
        if not root.is_dir():
            print(json.dumps({"error": f"not a folder: {root}"}, ensure_ascii=False))
            return 2
        result = plan(root, Path(args.dest) if args.dest else root, args.pattern, args.recursive, args.similar_bits, args.blur_below)
        if args.out:
            Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
            result = {**result, "plan_file": args.out}
    else:
        result = apply(Path(args.plan), args.copy) if args.cmd == "apply" else undo(Path(args.log))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
