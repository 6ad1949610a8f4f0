#!/usr/bin/env python3
"""Dated folder snapshots (plain copy or zip) with a SHA-256 manifest, verification and optional retention."""
from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import shutil
import sys
import zipfile
from datetime import datetime
from pathlib import Path

MANIFEST = "backup-manifest.json"
DEFAULT_EXCLUDE = ["~$*", "*.tmp", ".DS_Store", "Thumbs.db", "node_modules", "__pycache__", ".venv"]


def fail(message: str) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(2)


def sha256_stream(f) -> str:
    """Hash an open binary stream."""
    h = hashlib.sha256()
    for block in iter(lambda: f.read(1 << 20), b""):
        h.update(block)
    return h.hexdigest()


def source_files(src: Path, exclude: list[str]) -> list[tuple[str, Path]]:
    """(relative posix path, absolute path) for every file to back up."""
    out = []
    for dirpath, dirnames, names in os.walk(src):
        dirnames[:] = sorted(d for d in dirnames if not any(fnmatch.fnmatch(d, p) for p in exclude))
        for n in sorted(names):
            if not any(fnmatch.fnmatch(n, p) for p in exclude):
                p = Path(dirpath) / n
                out.append((p.relative_to(src).as_posix(), p))
    return out


def snapshot_name(dest: Path, base: str, as_zip: bool) -> Path:
    """<base>-YYYYmmdd-HHMMSS, with -2, -3 ... when two backups land in the same second."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = ".zip" if as_zip else ""
    target, n = dest / f"{base}-{stamp}{suffix}", 2
    while target.exists():
        target, n = dest / f"{base}-{stamp}-{n}{suffix}", n + 1
    return target


def make_backup(src: Path, dest: Path, as_zip: bool, exclude: list[str]) -> dict:
    """Copy or zip the files, hashing each as it goes, and store the manifest inside the snapshot."""
    files = source_files(src, exclude)
    target = snapshot_name(dest, src.name, as_zip)
    entries = []
    if as_zip:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
            for rel, p in files:
                z.write(p, rel)
                with p.open("rb") as f:
                    entries.append({"path": rel, "size": p.stat().st_size, "sha256": sha256_stream(f)})
            z.writestr(MANIFEST, manifest_json(src, entries))
    else:
        for rel, p in files:
            out = target / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(p, out)
            with out.open("rb") as f:  # hash the copy, so the manifest proves what actually landed
                entries.append({"path": rel, "size": out.stat().st_size, "sha256": sha256_stream(f)})
        target.mkdir(parents=True, exist_ok=True)
        (target / MANIFEST).write_text(manifest_json(src, entries), encoding="utf-8")
    return {"snapshot": str(target), "files": len(entries), "bytes": sum(e["size"] for e in entries)}


def manifest_json(src: Path, entries: list[dict]) -> str:
    """The manifest stored with each snapshot."""
    return json.dumps({"source": str(src), "created": datetime.now().isoformat(timespec="seconds"),
                       "files": entries}, ensure_ascii=False, indent=1)


def snapshots(dest: Path, base: str) -> list[Path]:
    """Existing snapshots of one source folder, oldest first."""
    found = [p for p in dest.glob(f"{base}-*") if p.name[len(base) + 1:][:8].isdigit()]
    return sorted(found, key=lambda p: p.name)


def prune(dest: Path, base: str, keep: int, apply: bool) -> list[str]:
    """Delete (or, without apply, just name) snapshots beyond the newest `keep`."""
    old = snapshots(dest, base)[:-keep] if keep > 0 else []
    for p in old if apply else []:
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    return [str(p) for p in old]


def verify(snapshot: Path) -> dict:
    """Re-hash a snapshot's files and compare them with its manifest."""
    if snapshot.suffix == ".zip":
        with zipfile.ZipFile(snapshot) as z:
            manifest = json.loads(z.read(MANIFEST))
            actual = {e["path"]: sha256_stream(z.open(e["path"])) for e in manifest["files"] if e["path"] in z.namelist()}
    else:
        manifest = json.loads((snapshot / MANIFEST).read_text(encoding="utf-8"))
        actual = {}
        for e in manifest["files"]:
            p = snapshot / e["path"]
            if p.is_file():
                with p.open("rb") as f:
                    actual[e["path"]] = sha256_stream(f)
    bad = [e["path"] for e in manifest["files"] if actual.get(e["path"]) != e["sha256"]]
    return {"ok": not bad, "snapshot": str(snapshot), "checked": len(manifest["files"]), "damaged_or_missing": bad}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("backup", help="make a new dated snapshot")
    b.add_argument("source")
    b.add_argument("dest", help="folder that holds the snapshots (another drive is best)")
    b.add_argument("--zip", action="store_true", help="one .zip per snapshot instead of a plain copy")
    b.add_argument("--exclude", nargs="*", default=[], help="extra name patterns to leave out (added to the defaults)")
    b.add_argument("--no-default-exclude", action="store_true", help=f"also back up {', '.join(DEFAULT_EXCLUDE)}")
    b.add_argument("--keep", type=int, default=0, help="keep only the newest N snapshots (0 = keep all)")
    b.add_argument("--prune", action="store_true", help="required with --keep to really delete old snapshots")
    b.add_argument("--dry-run", action="store_true", help="only count files and bytes")
    v = sub.add_parser("verify", help="check a snapshot against its manifest")
    v.add_argument("snapshot")
    ls = sub.add_parser("list", help="list snapshots in a destination")
    ls.add_argument("dest")
    ls.add_argument("--source-name", help="only snapshots of this folder name")
    for p in (b, v, ls):
        p.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    print(json.dumps(run(args), ensure_ascii=False, indent=1))


def run(args: argparse.Namespace) -> dict:
    """Dispatch one sub-command."""
    if args.cmd == "verify":
        return verify(Path(args.snapshot).expanduser())
    if args.cmd == "list":
        dest = Path(args.dest).expanduser()
        items = sorted(p.name for p in dest.iterdir() if not args.source_name or p.name.startswith(args.source_name + "-"))
        return {"ok": True, "snapshots": items}
    src, dest = Path(args.source).expanduser().resolve(), Path(args.dest).expanduser().resolve()
    args.exclude = args.exclude + ([] if args.no_default_exclude else DEFAULT_EXCLUDE)
    if not src.is_dir():
        fail(f"not a folder: {src}")
    if dest == src or src in dest.parents:
        fail("the destination must not be inside the folder being backed up")
    if args.dry_run:
        files = source_files(src, args.exclude)
        return {"ok": True, "dry_run": True, "files": len(files), "bytes": sum(p.stat().st_size for _, p in files),
                "would_prune": prune(dest, src.name, args.keep, False) if dest.is_dir() else []}
    dest.mkdir(parents=True, exist_ok=True)
    result = {"ok": True, **make_backup(src, dest, args.zip, args.exclude)}
    if args.keep:
        result["pruned" if args.prune else "would_prune"] = prune(dest, src.name, args.keep, args.prune)
    return result


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
