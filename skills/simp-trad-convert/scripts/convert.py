#!/usr/bin/env python3
"""Simplified <-> Traditional Chinese with OpenCC profiles, for text or whole files.

Profiles: s2t, t2s, s2tw (Taiwan characters), s2twp (Taiwan characters and vocabulary: 软件 -> 軟體), tw2s, tw2sp,
s2hk (Hong Kong), hk2s. Needs the opencc-python-reimplemented package (imported as `opencc`).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

PROFILES = ["s2t", "t2s", "s2tw", "tw2s", "s2twp", "tw2sp", "s2hk", "hk2s"]


def converter(profile: str):
    """An OpenCC converter, or exit 3 with the install command."""
    try:
        from opencc import OpenCC
    except ImportError:
        print(json.dumps({"ok": False, "error": "OpenCC is not installed",
                          "install": "pip install opencc-python-reimplemented"}, ensure_ascii=False))
        sys.exit(3)
    return OpenCC(profile)


def out_path(src: Path, profile: str, out_dir: Path | None) -> Path:
    """name.s2twp.txt beside the source (or in out_dir)."""
    return (out_dir or src.parent) / f"{src.stem}.{profile}{src.suffix}"


def main(argv: list[str] | None = None) -> None:
    """Convert text or files; print JSON; exit 2 on bad input, 3 when OpenCC is missing."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--profile", choices=PROFILES, default="s2t")
    p.add_argument("--text", help="convert this text")
    p.add_argument("files", nargs="*", type=Path, help="UTF-8 text files (.txt .md .srt .csv .html …)")
    p.add_argument("--out-dir", type=Path)
    p.add_argument("--in-place", action="store_true", help="overwrite, keeping <name>.bak")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    if not a.text and not a.files:
        p.error("give --text or at least one file")
    cc = converter(a.profile)
    result: dict = {"ok": True, "profile": a.profile}
    try:
        if a.text:
            result["text"] = cc.convert(a.text)
        done = []
        for src in a.files:
            text = src.read_text(encoding="utf-8-sig")
            dest = src if a.in_place else out_path(src, a.profile, a.out_dir)
            if a.in_place:
                src.with_name(src.name + ".bak").write_text(text, encoding="utf-8")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(cc.convert(text), encoding="utf-8")
            done.append({"source": str(src), "output": str(dest), "chars": len(text)})
        result["files"] = done
    except (OSError, UnicodeDecodeError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
