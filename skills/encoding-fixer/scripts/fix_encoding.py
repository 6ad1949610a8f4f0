#!/usr/bin/env python3
"""Detect text encodings (BOM, UTF-8, GB18030/GBK, Big5, Shift-JIS, UTF-16 ...) and convert files to clean UTF-8."""
from __future__ import annotations

import argparse
import codecs
import json
import os
import shutil
import sys
from pathlib import Path

BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
# Tried in order when there is no BOM and the bytes are not valid UTF-8; GB18030 is a superset of GBK/GB2312.
CJK_FALLBACKS = ["gb18030", "big5", "shift_jis", "euc_kr"]


def detect(raw: bytes) -> tuple[str, float]:
    """Best encoding guess and a rough confidence."""
    for bom, enc in BOMS:
        if raw.startswith(bom):
            return enc, 1.0
    try:
        raw.decode("utf-8")
        return "utf-8", 1.0 if any(b > 127 for b in raw) else 0.9
    except UnicodeDecodeError:
        pass
    if looks_utf16(raw):
        return ("utf-16-le" if raw[1::2].count(0) > raw[0::2].count(0) else "utf-16-be"), 0.8
    guess = normalizer_guess(raw)
    if guess:
        return guess
    for enc in CJK_FALLBACKS:
        try:
            raw.decode(enc)
            return enc, 0.5
        except UnicodeDecodeError:
            continue
    return "latin-1", 0.1


def looks_utf16(raw: bytes) -> bool:
    """BOM-less UTF-16 text has many zero bytes in one of the byte lanes."""
    sample = raw[:4000]
    return len(sample) >= 4 and max(sample[0::2].count(0), sample[1::2].count(0)) > len(sample) // 4


def normalizer_guess(raw: bytes) -> tuple[str, float] | None:
    """Ask charset-normalizer (optional); map GBK-family answers to GB18030 which decodes all of them."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return None
    best = from_bytes(raw[:200_000]).best()
    if best is None:
        return None
    enc = best.encoding.lower()
    if enc in {"gbk", "gb2312", "cp936", "hz"}:
        enc = "gb18030"
    try:
        raw.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None
    return enc, round(1.0 - float(getattr(best, "chaos", 0.5)), 2)


def newline_style(text: str) -> str:
    """crlf, lf, cr, mixed or none."""
    crlf = text.count("\r\n")
    lf, cr = text.count("\n") - crlf, text.count("\r") - crlf
    kinds = [k for k, n in (("crlf", crlf), ("lf", lf), ("cr", cr)) if n]
    return kinds[0] if len(kinds) == 1 else ("mixed" if kinds else "none")


def inspect(path: Path, forced: str | None) -> dict:
    """Encoding, confidence, newline style and a short preview."""
    raw = path.read_bytes()
    enc, conf = (forced, 1.0) if forced else detect(raw)
    text = raw.decode(enc, errors="replace")
    return {"path": str(path), "encoding": enc, "confidence": conf, "bom": enc in {"utf-8-sig", "utf-16", "utf-32"},
            "newlines": newline_style(text), "preview": text.lstrip("\ufeff")[:160]}


def convert(path: Path, args: argparse.Namespace) -> dict:
    """Decode with the detected (or forced) encoding and write UTF-8 with the chosen newline and BOM."""
    info = inspect(path, args.source_encoding)
    text = path.read_bytes().decode(info["encoding"]).lstrip("\ufeff")
    if args.newline != "keep":
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if args.newline == "crlf":
            text = text.replace("\n", "\r\n")
    data = ("\ufeff" if args.bom else "").encode() + text.encode("utf-8")
    target = path if args.in_place else out_path(path, args.out_dir)
    if not args.apply:
        return {**info, "would_write": str(target)}
    if args.in_place:
        shutil.copy2(path, path.with_name(path.name + ".bak"))  # keep the original bytes
    elif target.exists() and not args.force:
        raise ValueError(f"{target} exists; pass --force or choose --out-dir")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return {**info, "written": str(target), "backup": str(path) + ".bak" if args.in_place else None}


def out_path(path: Path, out_dir: str | None) -> Path:
    """Default output: name.utf8.ext beside the original, or the same name in out_dir."""
    if out_dir:
        return Path(out_dir) / path.name
    return path.with_name(f"{path.stem}.utf8{path.suffix}")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("action", choices=["detect", "convert"])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--source-encoding", help="force the source encoding, e.g. gbk, big5, shift_jis, utf-16")
    ap.add_argument("--newline", choices=["keep", "lf", "crlf"], default="keep")
    ap.add_argument("--bom", action="store_true", help="write a UTF-8 BOM (helps Excel open CSV files correctly)")
    ap.add_argument("--out-dir", help="write converted copies here")
    ap.add_argument("--in-place", action="store_true", help="overwrite the original (a .bak copy is kept)")
    ap.add_argument("--force", action="store_true", help="overwrite an existing output file")
    ap.add_argument("--apply", action="store_true", help="really write (otherwise a dry run)")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    results, errors = [], []
    for p in map(Path, args.paths):
        try:
            results.append(inspect(p, args.source_encoding) if args.action == "detect" else convert(p, args))
        except (OSError, ValueError, LookupError) as exc:
            errors.append({"path": str(p), "error": str(exc)})
    print(json.dumps({"ok": not errors, "files": results, "errors": errors}, ensure_ascii=False, indent=1))
    sys.exit(2 if errors else 0)


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
