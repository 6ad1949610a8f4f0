#!/usr/bin/env python3
"""Compute MD5 / SHA-1 / SHA-256 / SHA-512 of files and check them against an expected value or a checksum list."""
from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import re
import sys
from pathlib import Path

BY_LENGTH = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}
GNU_LINE = re.compile(r"^([0-9a-fA-F]{32,128})\s+\*?(.+)$")  # "<hex>  name" or "<hex> *name" (sha256sum)
BSD_LINE = re.compile(r"^(MD5|SHA1|SHA256|SHA512)\s*\((.+)\)\s*=\s*([0-9a-fA-F]+)$", re.I)  # "SHA256 (name) = <hex>"


def file_hash(path: Path, algo: str) -> str:
    """Hash a file in 1 MB blocks."""
    h = hashlib.new(algo)
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def clean_hex(value: str) -> str:
    """Accept pasted values with spaces, colons or upper case."""
    return re.sub(r"[^0-9a-f]", "", value.lower())


def verify_one(path: Path, expected: str, algo: str | None) -> dict:
    """Compare one file with an expected digest; the algorithm follows from its length unless given."""
    want = clean_hex(expected)
    algo = algo or BY_LENGTH.get(len(want))
    if not algo:
        raise ValueError(f"cannot tell the algorithm from a {len(want)}-character value; pass --algo")
    got = file_hash(path, algo)
    return {"path": str(path), "algo": algo, "expected": want, "actual": got,
            "match": hmac.compare_digest(got, want)}


def parse_list(text: str) -> list[tuple[str, str, str | None]]:
    """(name, hex, algo or None) entries from GNU or BSD checksum list formats."""
    entries = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if m := BSD_LINE.match(line):
            entries.append((m.group(2), m.group(3), m.group(1).lower()))
        elif m := GNU_LINE.match(line):
            entries.append((m.group(2).strip(), m.group(1), None))
    return entries


def check_list(list_file: Path) -> list[dict]:
    """Verify every entry of a checksum list; names are relative to the list's folder."""
    results = []
    for name, hexval, algo in parse_list(list_file.read_text(encoding="utf-8-sig", errors="replace")):
        p = list_file.parent / name
        if not p.is_file():
            results.append({"path": str(p), "match": False, "error": "missing"})
        else:
            results.append(verify_one(p, hexval, algo))
    return results


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    h = sub.add_parser("hash", help="print digests")
    h.add_argument("paths", nargs="+")
    h.add_argument("--algo", nargs="*", default=["sha256"], choices=["md5", "sha1", "sha256", "sha512"])
    v = sub.add_parser("verify", help="compare one file with an expected value")
    v.add_argument("path")
    v.add_argument("expected")
    v.add_argument("--algo", choices=["md5", "sha1", "sha256", "sha512"])
    c = sub.add_parser("check", help="verify a SHA256SUMS / *.md5 style list")
    c.add_argument("list_file")
    for p in (h, v, c):
        p.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "hash":
            result = {"ok": True, "files": [{"path": p, **{a: file_hash(Path(p), a) for a in args.algo}} for p in args.paths]}
        else:
            rows = [verify_one(Path(args.path), args.expected, args.algo)] if args.cmd == "verify" else check_list(Path(args.list_file))
            result = {"ok": bool(rows) and all(r["match"] for r in rows), "results": rows,
                      "mismatches": [r["path"] for r in rows if not r["match"]]}
    except (OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
