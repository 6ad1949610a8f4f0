#!/usr/bin/env python3
"""Chinese characters to pinyin (tone marks, tone numbers, plain or initials), name romanisation and pinyin sorting.

Needs the pypinyin package (its phrase dictionary resolves most polyphonic characters such as 重庆 chóng qìng).
Surnames with a special reading (单 Shàn, 曾 Zēng, 解 Xiè, 仇 Qiú …) are handled by a small table here.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SURNAMES = {"单": "shàn", "曾": "zēng", "解": "xiè", "仇": "qiú", "区": "ōu", "查": "zhā", "朴": "piáo",
            "覃": "qín", "盖": "gě", "缪": "miào", "尉迟": "yù chí", "万俟": "mò qí", "长孙": "zhǎng sūn",
            "乐": "yuè", "秘": "bì", "繁": "pó", "种": "chóng", "任": "rén", "石": "shí", "重": "chóng",
            "华": "huà", "翟": "zhái", "沈": "shěn", "宁": "nìng", "纪": "jǐ", "员": "yùn", "黑": "hè"}
COMPOUND = [s for s in SURNAMES if len(s) == 2]


def need_pypinyin():
    """Import pypinyin or exit with the install command."""
    try:
        import pypinyin
    except ImportError:
        print(json.dumps({"ok": False, "error": "pypinyin is not installed",
                          "install": "pip install pypinyin"}, ensure_ascii=False))
        sys.exit(3)
    return pypinyin


def convert(text: str, style: str, heteronym: bool = False) -> list:
    """Pinyin per character (non-Chinese runs are kept as they are)."""
    pp = need_pypinyin()
    styles = {"tone": pp.Style.TONE, "number": pp.Style.TONE3, "plain": pp.Style.NORMAL,
              "initials": pp.Style.FIRST_LETTER}
    out = pp.pinyin(text, style=styles[style], heteronym=heteronym, errors="default")
    return [item if heteronym else item[0] for item in out]


def name(text: str) -> dict:
    """A personal name: surname reading first, given name in the usual order, as on a passport (ZHANG SAN)."""
    sur = next((s for s in COMPOUND if text.startswith(s)), text[:1])
    given = text[len(sur):]
    sur_py = SURNAMES.get(sur) or " ".join(convert(sur, "tone"))
    given_py = " ".join(convert(given, "tone")) if given else ""
    plain = strip_tones(sur_py).replace(" ", ""), strip_tones(given_py).replace(" ", "")
    return {"name": text, "surname": sur, "pinyin": f"{sur_py} {given_py}".strip(),
            "passport": f"{plain[0].upper()} {plain[1].upper()}".strip(),
            "romanised": f"{plain[0].capitalize()} {plain[1].capitalize()}".strip()}


def strip_tones(s: str) -> str:
    """lǚ -> lv-free plain letters (ü kept as v, as in passports and keyboards)."""
    import unicodedata

    s = s.replace("ü", "v").replace("ǖ", "v").replace("ǘ", "v").replace("ǚ", "v").replace("ǜ", "v")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def sort_key(text: str) -> tuple:
    """Pinyin order (tone-number spelling, so mā < má < mǎ < mà), then the characters themselves."""
    return (" ".join(convert(text, "number")).lower(), text)


def main(argv: list[str] | None = None) -> None:
    """convert / initials / name / sort; print JSON; exit 2 on bad input, 3 when pypinyin is missing."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="JSON output (always on)")
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("convert", parents=[common])
    c.add_argument("text")
    c.add_argument("--style", choices=["tone", "number", "plain", "initials"], default="tone")
    c.add_argument("--heteronym", action="store_true", help="list every reading of polyphonic characters")
    sub.add_parser("name", parents=[common]).add_argument("names", nargs="+")
    s = sub.add_parser("sort", parents=[common], help="sort lines or a file of lines by pinyin")
    s.add_argument("items", nargs="*")
    s.add_argument("--file", type=Path, help="one item per line (UTF-8)")
    a = p.parse_args(argv)
    try:
        if a.cmd == "convert":
            items = convert(a.text, a.style, a.heteronym)
            joiner = "" if a.style == "initials" else " "
            result = {"text": a.text, "style": a.style, "pinyin": items,
                      "joined": None if a.heteronym else joiner.join(items)}
        elif a.cmd == "name":
            result = {"names": [name(n.strip()) for n in a.names if n.strip()]}
        else:
            lines = a.items + (a.file.read_text(encoding="utf-8-sig").splitlines() if a.file else [])
            result = {"sorted": sorted((x.strip() for x in lines if x.strip()), key=sort_key)}
    except (OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
