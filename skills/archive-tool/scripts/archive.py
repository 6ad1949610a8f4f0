#!/usr/bin/env python3
"""Create, list and extract zip / tar(.gz/.bz2/.xz) / 7z archives; repairs GBK-garbled names in Windows zips."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

UTF8_FLAG = 0x800
# Encodings tried, in order, for zip names stored without the UTF-8 flag (old Windows tools in each locale).
LEGACY = ("utf-8", "gbk", "big5", "shift_jis", "cp949")
TAR_MODES = {".tar": "", ".tar.gz": "gz", ".tgz": "gz", ".tar.bz2": "bz2", ".tar.xz": "xz"}


class ArchiveError(Exception):
    """A problem the user can act on."""


def kind(path: Path) -> str:
    """zip, 7z or a tar mode, from the file name."""
    name = path.name.lower()
    for ext in sorted(TAR_MODES, key=len, reverse=True):
        if name.endswith(ext):
            return "tar"
    if name.endswith(".7z"):
        return "7z"
    if name.endswith(".zip") or zipfile.is_zipfile(path):
        return "zip"
    raise ArchiveError(f"unsupported archive type: {path.name} (rar needs an external tool such as 7-Zip or unar)")


def fix_name(info: zipfile.ZipInfo, encoding: str) -> str:
    """Recover the real file name: zipfile decodes flag-less names as cp437, which garbles Chinese."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    raw = info.filename.encode("cp437")
    for enc in ([encoding] if encoding != "auto" else LEGACY):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def safe_target(dest: Path, name: str) -> Path:
    """Refuse absolute paths and '..' so an archive cannot write outside the destination."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not parts or name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
        raise ArchiveError(f"unsafe path inside archive: {name}")
    return dest.joinpath(*parts)


def open_zip(path: Path, password: str | None):
    """Open a zip; AES-encrypted zips need the optional pyzipper package."""
    try:
        import pyzipper

        z = pyzipper.AESZipFile(path)
    except ImportError:
        z = zipfile.ZipFile(path)
    if password:
        z.setpassword(password.encode("utf-8"))
    return z


def list_archive(path: Path, encoding: str) -> list[dict]:
    """Entries with repaired names and sizes."""
    k = kind(path)
    if k == "zip":
        with zipfile.ZipFile(path) as z:
            return [{"name": fix_name(i, encoding), "size": i.file_size, "encrypted": bool(i.flag_bits & 1)}
                    for i in z.infolist()]
    if k == "tar":
        with tarfile.open(path) as t:
            return [{"name": m.name, "size": m.size} for m in t.getmembers()]
    with py7zr_module().SevenZipFile(path) as s:
        return [{"name": f.filename, "size": f.uncompressed} for f in s.list()]


def check_clashes(path: Path, dest: Path, encoding: str) -> None:
    """Refuse to overwrite existing files unless the caller asked for it."""
    clashes = [e["name"] for e in list_archive(path, encoding)
               if not e["name"].endswith("/") and safe_target(dest, e["name"]).exists()]
    if clashes:
        raise ArchiveError(f"{len(clashes)} file(s) already exist in {dest}, e.g. {clashes[:5]}; "
                           "extract into a new folder or pass --overwrite")


def extract(path: Path, dest: Path, password: str | None, encoding: str) -> list[str]:
    """Extract everything safely into dest; returns the written names."""
    dest.mkdir(parents=True, exist_ok=True)
    k, written = kind(path), []
    if k == "zip":
        with open_zip(path, password) as z:
            for info in z.infolist():
                target = safe_target(dest, fix_name(info, encoding))
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    with z.open(info) as src, target.open("wb") as out:
                        shutil.copyfileobj(src, out, 1 << 20)
                except RuntimeError as exc:  # zipfile's signal for missing/wrong passwords
                    raise ArchiveError(f"password needed or wrong: {exc}") from exc
                written.append(target.relative_to(dest).as_posix())
    elif k == "tar":
        with tarfile.open(path) as t:
            for m in t.getmembers():
                safe_target(dest, m.name)
            t.extractall(dest, filter="data")  # 'data' also blocks links and devices pointing outside
            written = [m.name for m in t.getmembers() if m.isfile()]
    else:
        with py7zr_module().SevenZipFile(path, password=password) as s:
            names = s.getnames()
            for n in names:
                safe_target(dest, n)
            s.extractall(dest)
            written = names
    return written


def py7zr_module():
    """Import py7zr or explain how to get it."""
    try:
        import py7zr
    except ImportError as exc:
        raise ArchiveError("7z needs the optional package py7zr (pip install py7zr)") from exc
    return py7zr


def walk_inputs(inputs: list[Path]) -> list[tuple[Path, str]]:
    """(file, name inside the archive) for every input file or folder."""
    out = []
    for src in inputs:
        if src.is_file():
            out.append((src, src.name))
            continue
        for dirpath, _, names in os.walk(src):
            for n in sorted(names):
                p = Path(dirpath) / n
                out.append((p, (Path(src.name) / p.relative_to(src)).as_posix()))
    return out


def create(out: Path, inputs: list[Path], password: str | None) -> int:
    """Write a new archive; zip names are stored as UTF-8 so every OS shows them correctly."""
    if out.exists():
        raise ArchiveError(f"{out} exists; choose another name or delete it first")
    files, k = walk_inputs(inputs), kind_for_new(out)
    if k == "zip" and password:
        try:
            import pyzipper
        except ImportError as exc:
            raise ArchiveError("password-protected zips need the optional package pyzipper (AES)") from exc
        with pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as z:
            z.setpassword(password.encode("utf-8"))
            for p, arc in files:
                z.write(p, arc)
    elif k == "zip":
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for p, arc in files:
                z.write(p, arc)
    elif k == "tar":
        mode = next(m for e, m in sorted(TAR_MODES.items(), key=lambda x: -len(x[0])) if out.name.lower().endswith(e))
        with tarfile.open(out, f"w:{mode}" if mode else "w") as t:
            for p, arc in files:
                t.add(p, arc)
    else:
        with py7zr_module().SevenZipFile(out, "w", password=password) as s:
            for p, arc in files:
                s.write(p, arc)
    return len(files)


def kind_for_new(out: Path) -> str:
    """Archive type for a file that does not exist yet."""
    name = out.name.lower()
    if name.endswith(".zip"):
        return "zip"
    if name.endswith(".7z"):
        return "7z"
    if any(name.endswith(e) for e in TAR_MODES):
        return "tar"
    raise ArchiveError("output name must end in .zip, .7z, .tar, .tar.gz, .tgz, .tar.bz2 or .tar.xz")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("create", help="pack files/folders into a new archive")
    c.add_argument("out")
    c.add_argument("inputs", nargs="+")
    ls = sub.add_parser("list", help="show entries (with repaired names)")
    ls.add_argument("archive")
    x = sub.add_parser("extract", help="unpack into a folder")
    x.add_argument("archive")
    x.add_argument("dest")
    x.add_argument("--overwrite", action="store_true", help="replace files that already exist in dest")
    for p in (c, x):
        p.add_argument("--password")
    for p in (ls, x):
        p.add_argument("--encoding", default="auto", help="legacy zip name encoding: auto, gbk, big5, shift_jis ...")
    for p in (c, ls, x):
        p.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "create":
            result = {"files": create(Path(args.out), [Path(i).expanduser() for i in args.inputs], args.password),
                      "archive": args.out, "bytes": Path(args.out).stat().st_size}
        elif args.cmd == "list":
            result = {"entries": list_archive(Path(args.archive), args.encoding)}
        else:
            if not args.overwrite:
                check_clashes(Path(args.archive), Path(args.dest), args.encoding)
            result = {"extracted": extract(Path(args.archive), Path(args.dest), args.password, args.encoding),
                      "dest": args.dest}
    except (ArchiveError, OSError, zipfile.BadZipFile, tarfile.TarError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
