#!/usr/bin/env python3
"""Find identical files (size → quick hash → full SHA-256) and optionally look-alike photos; remove chosen copies."""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

CHUNK = 1 << 20
HEAD = 64 * 1024
IMAGE_EXT = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif", ".heic", ".tif", ".tiff"}


def fail(message: str) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(2)


def digest(path: Path, limit: int | None = None) -> str:
    """SHA-256 of the whole file, or of its first `limit` bytes."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        if limit:
            h.update(f.read(limit))
        else:
            for block in iter(lambda: f.read(CHUNK), b""):
                h.update(block)
    return h.hexdigest()


def walk(roots: list[Path], min_size: int) -> list[Path]:
    """All regular files under the roots, skipping symlinks and hidden folders."""
    files = []
    for root in roots:
        for dirpath, dirnames, names in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for n in names:
                p = Path(dirpath) / n
                if not p.is_symlink() and p.is_file() and p.stat().st_size >= min_size:
                    files.append(p)
    return files


def refine(groups: list[list[Path]], key) -> list[list[Path]]:
    """Split each candidate group by a key function, keeping groups with 2+ members."""
    out = []
    for group in groups:
        buckets: dict[str, list[Path]] = defaultdict(list)
        for p in group:
            try:
                buckets[key(p)].append(p)
            except OSError:
                continue  # unreadable file: never reported as a duplicate
        out.extend(b for b in buckets.values() if len(b) > 1)
    return out


def choose_keeper(paths: list[Path], rule: str) -> Path:
    """Pick the copy to keep."""
    if rule == "newest":
        return max(paths, key=lambda p: p.stat().st_mtime)
    if rule == "shortest-path":
        return min(paths, key=lambda p: (len(str(p)), str(p)))
    return min(paths, key=lambda p: (p.stat().st_mtime, str(p)))


def exact_groups(files: list[Path], rule: str) -> list[dict]:
    """Group byte-identical files and propose which to keep."""
    by_size: dict[int, list[Path]] = defaultdict(list)
    for p in files:
        by_size[p.stat().st_size].append(p)
    groups = [g for g in by_size.values() if len(g) > 1]
    groups = refine(groups, lambda p: digest(p, HEAD))
    groups = refine(groups, digest)
    result = []
    for g in sorted(groups, key=lambda g: -g[0].stat().st_size * (len(g) - 1)):
        keep = choose_keeper(g, rule)
        size = g[0].stat().st_size
        result.append({"sha256": digest(keep), "size": size, "keep": str(keep),
                       "remove": sorted(str(p) for p in g if p != keep), "wasted_bytes": size * (len(g) - 1)})
    return result


def similar_images(files: list[Path], threshold: int) -> dict:
    """Look-alike photos by perceptual hash; needs the optional imagehash package."""
    try:
        import imagehash
        from PIL import Image
    except ImportError:
        return {"available": False, "note": "install imagehash (and Pillow) to find look-alike photos"}
    hashes = []
    for p in files:
        if p.suffix.lower() in IMAGE_EXT:
            try:
                with Image.open(p) as img:
                    hashes.append((p, imagehash.phash(img)))
            except Exception:
                continue
    pairs = [{"a": str(a), "b": str(b), "distance": int(ha - hb)}
             for i, (a, ha) in enumerate(hashes) for b, hb in hashes[i + 1:] if ha - hb <= threshold]
    return {"available": True, "pairs": pairs}


def scan(args: argparse.Namespace) -> dict:
    """Scan the roots and report duplicate groups."""
    roots = [Path(r).expanduser().resolve() for r in args.roots]
    for r in roots:
        if not r.is_dir():
            fail(f"not a folder: {r}")
    files = walk(roots, args.min_size)
    groups = exact_groups(files, args.keep)
    result = {"ok": True, "files_scanned": len(files), "groups": groups,
              "wasted_bytes": sum(g["wasted_bytes"] for g in groups)}
    if args.similar_images:
        result["similar_images"] = similar_images(files, args.threshold)
    return result


def remove(plan: dict, permanent: bool) -> dict:
    """Delete the 'remove' copies of each group after re-checking they still match the kept file."""
    removed, skipped = [], []
    for g in plan["groups"]:
        keep = Path(g["keep"])
        if not keep.is_file() or digest(keep) != g["sha256"]:
            skipped.extend({"path": p, "reason": "kept copy changed or missing"} for p in g["remove"])
            continue
        for p in map(Path, g["remove"]):
            if not p.is_file() or digest(p) != g["sha256"]:
                skipped.append({"path": str(p), "reason": "changed since the scan"})
                continue
            trash(p, permanent)
            removed.append(str(p))
    return {"ok": True, "removed": removed, "skipped": skipped}


def trash(path: Path, permanent: bool) -> None:
    """Send a file to the recycle bin; delete outright only when asked."""
    if permanent:
        path.unlink()
        return
    try:
        from send2trash import send2trash
    except ImportError:
        fail("send2trash is not installed; use --permanent only if the user agreed to permanent deletion")
    send2trash(str(path))


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("scan", help="report duplicates, change nothing")
    s.add_argument("roots", nargs="+")
    s.add_argument("--min-size", type=int, default=1, help="ignore files smaller than this many bytes")
    s.add_argument("--keep", choices=["oldest", "newest", "shortest-path"], default="oldest")
    s.add_argument("--similar-images", action="store_true")
    s.add_argument("--threshold", type=int, default=6, help="max perceptual-hash distance for look-alikes")
    s.add_argument("--out", help="save the report for 'remove'")
    r = sub.add_parser("remove", help="delete the 'remove' copies listed in a saved report")
    r.add_argument("report")
    r.add_argument("--confirm", action="store_true", help="required: the user approved the deletion")
    r.add_argument("--permanent", action="store_true", help="delete instead of moving to the recycle bin")
    for p in (s, r):
        p.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    if args.cmd == "scan":
        result = scan(args)
        if args.out:
            Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
            result = {**result, "groups": result["groups"][:30], "report_file": args.out}
    else:
        if not args.confirm:
            fail("refusing to delete without --confirm (show the plan and get the user's approval first)")
        result = remove(json.loads(Path(args.report).read_text(encoding="utf-8")), args.permanent)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
