#!/usr/bin/env python3
"""Merge PDFs; extract, split, delete, reorder and rotate pages (pypdf). Page numbers are 1-based."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path


class PageError(Exception):
    """A problem the user can act on."""


def parse_pages(spec: str, total: int) -> list[int]:
    """'1-3,5,8-' or '3-1' or 'last' → zero-based indexes in the order written."""
    out: list[int] = []
    for part in spec.replace("，", ",").replace(" ", "").split(","):
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            lo, hi = number(a or "1", total), number(b or "last", total)
            step = 1 if hi >= lo else -1
            out.extend(range(lo, hi + step, step))
        else:
            out.append(number(part, total))
    return out


def number(token: str, total: int) -> int:
    """One page token ('7' or 'last') → zero-based index, checked against the page count."""
    if token != "last" and not token.isdigit():
        raise PageError(f"not a page number: {token!r}")
    n = total if token == "last" else int(token)
    if not 1 <= n <= total:
        raise PageError(f"page {token} is outside 1-{total}")
    return n - 1


def reader(path: Path, password: str | None):
    """Open a PDF, decrypting with the given password when needed."""
    from pypdf import PdfReader

    r = PdfReader(path)
    if r.is_encrypted and not r.decrypt(password or ""):
        raise PageError(f"{path.name} is password-protected; pass --password")
    return r


def save(writer, out: Path, force: bool) -> dict:
    """Write the result without overwriting unless forced."""
    if out.exists() and not force:
        raise PageError(f"{out} exists; choose another name or pass --force")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        writer.write(f)
    return {"output": str(out), "pages": len(writer.pages)}


def pick(src, indexes: list[int], rotate: dict[int, int] | None = None):
    """A writer holding the chosen pages in order, optionally rotated."""
    from pypdf import PdfWriter

    w = PdfWriter()
    for i in indexes:
        page = w.add_page(src.pages[i])
        if rotate and i in rotate:
            page.rotate(rotate[i])
    return w


def run(args: argparse.Namespace) -> dict:
    """Dispatch one sub-command."""
    from pypdf import PdfWriter

    if args.cmd == "merge":
        w = PdfWriter()
        for p in args.inputs:
            w.append(reader(Path(p), args.password))
        return save(w, Path(args.out), args.force)
    src = reader(Path(args.input), args.password)
    total = len(src.pages)
    if args.cmd == "info":
        return {"pages": total, "encrypted": src.is_encrypted, "metadata": {k: str(v) for k, v in (src.metadata or {}).items()}}
    if args.cmd == "extract":
        return save(pick(src, parse_pages(args.pages, total)), Path(args.out), args.force)
    if args.cmd == "delete":
        gone = set(parse_pages(args.pages, total))
        if len(gone) == total:
            raise PageError("that would delete every page")
        return {**save(pick(src, [i for i in range(total) if i not in gone]), Path(args.out), args.force), "deleted": len(gone)}
    if args.cmd == "reorder":
        return save(pick(src, parse_pages(args.order, total)), Path(args.out), args.force)
    if args.cmd == "rotate":
        chosen = parse_pages(args.pages, total) if args.pages else list(range(total))
        return save(pick(src, list(range(total)), {i: args.angle for i in chosen}), Path(args.out), args.force)
    return split(src, total, args)


def split(src, total: int, args: argparse.Namespace) -> dict:
    """Split into files of N pages or by explicit ranges ('1-3;4-9')."""
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.ranges:
        groups = [parse_pages(r, total) for r in args.ranges.split(";") if r.strip()]
    else:
        groups = [list(range(i, min(i + args.every, total))) for i in range(0, total, args.every)]
    stem = Path(args.input).stem
    files = [save(pick(src, g), out_dir / f"{stem}_{k:02d}.pdf", args.force) for k, g in enumerate(groups, 1)]
    return {"files": files, "count": len(files)}


def parser() -> argparse.ArgumentParser:
    """Build the argument parser."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("merge", help="combine PDFs in the given order")
    m.add_argument("out")
    m.add_argument("inputs", nargs="+")
    cmds = {"info": [], "extract": ["pages", "out"], "delete": ["pages", "out"], "reorder": ["order", "out"],
            "rotate": ["out"], "split": ["out_dir"]}
    subs = [m]
    for name, positional in cmds.items():
        s = sub.add_parser(name)
        s.add_argument("input")
        for p in positional:
            s.add_argument(p, help="pages like '1-3,5,8-' or 'last'" if p in ("pages", "order") else None)
        subs.append(s)
    subs[5].add_argument("--pages", help="which pages (default all)")
    subs[5].add_argument("--angle", type=int, default=90, choices=[90, 180, 270, -90])
    subs[6].add_argument("--every", type=int, default=1, help="pages per output file")
    subs[6].add_argument("--ranges", help="explicit parts, e.g. '1-3;4-10;11-'")
    for s in subs:
        s.add_argument("--password")
        s.add_argument("--force", action="store_true", help="overwrite existing outputs")
        s.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    return ap


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    args = parser().parse_args(argv)
    try:
        result = run(args)
    except (PageError, OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
