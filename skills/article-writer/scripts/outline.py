#!/usr/bin/env python3
"""Turn an outline into a Markdown skeleton, and check a draft against it: headings present, length per section, sources."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def read_outline(path: Path) -> list[tuple[int, str]]:
    """(level, heading) from Markdown headings, or from an indented list (two spaces or a tab per level)."""
    items = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if m := re.match(r"^(#{1,6})\s+(.+)", line):
            items.append((len(m[1]), m[2].strip()))
        elif m := re.match(r"^(\s*)(?:[-*+]|\d+[.、)])\s+(.+)", line):
            items.append((2 + len(m[1].replace("\t", "  ")) // 2, m[2].strip()))
    return items


def length(text: str) -> int:
    """Chinese characters plus English words."""
    return len(CJK_RE.findall(text)) + len(WORD_RE.findall(text))


def skeleton(items: list[tuple[int, str]], title: str | None) -> str:
    """A Markdown file with every heading and a placeholder under each."""
    lines = [f"# {title}", ""] if title else []
    for level, text in items:
        lines += [f"{'#' * max(level, 2 if title else 1)} {text}", "", "<!-- TODO -->", ""]
    return "\n".join(lines)


def sections(draft: str) -> list[dict]:
    """Headings of a Markdown draft with the length of the text under each."""
    out: list[dict] = []
    for line in draft.splitlines():
        if m := re.match(r"^(#{1,6})\s+(.+)", line):
            out.append({"level": len(m[1]), "heading": m[2].strip(), "length": 0})
        elif out:
            out[-1]["length"] += length(line)
    return out


def norm(h: str) -> str:
    """A heading without numbering and punctuation, for matching."""
    return re.sub(r"^[\d.、一二三四五六七八九十]+[.、\s]*|[\s:：,，。.!！?？]", "", h).lower()


def check(items: list[tuple[int, str]], draft: str, min_section: int) -> dict:
    """Which outline headings are missing, thin sections, leftover TODOs and how many sources are cited."""
    found = sections(draft)
    have = {norm(s["heading"]) for s in found}
    missing = [h for _, h in items if norm(h) not in have]
    # A short section is fine when its text lives in sub-sections right below it.
    thin = [s["heading"] for i, s in enumerate(found) if s["level"] > 1 and s["length"] < min_section
            and not (i + 1 < len(found) and found[i + 1]["level"] > s["level"])]
    links = re.findall(r"\]\((https?://[^)]+)\)|(?<!\()\bhttps?://\S+", draft)
    refs = len(re.findall(r"^\s*(?:\[\d+\]|\d+\.)\s+.+", draft.split("参考", 1)[-1], flags=re.M)) if "参考" in draft else 0
    problems = [f"missing heading: {h}" for h in missing] + [f"thin section: {h}" for h in thin]
    if "<!-- TODO -->" in draft:
        problems.append("placeholders left: <!-- TODO -->")
    return {"total_length": length(draft), "sections": found, "missing": missing, "thin": thin,
            "links": len(links), "numbered_references": refs, "problems": problems, "passed": not problems}


def main(argv: list[str] | None = None) -> None:
    """skeleton | check."""
    ap = argparse.ArgumentParser(description="outline skeletons and draft checks")
    ap.add_argument("action", choices=["skeleton", "check"])
    ap.add_argument("outline", help="outline file (Markdown headings or an indented list)")
    ap.add_argument("draft", nargs="?", help="check: the Markdown draft")
    ap.add_argument("--title", help="skeleton: the article title (H1)")
    ap.add_argument("--out", help="skeleton: write the skeleton here")
    ap.add_argument("--min-section", type=int, default=80, help="check: shortest acceptable section")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    if not Path(a.outline).is_file():
        fail(f"no such outline file: {a.outline}")
    items = read_outline(Path(a.outline))
    if not items:
        fail("no headings found in the outline (use # headings or a - list)")
    if a.action == "skeleton":
        text = skeleton(items, a.title)
        if a.out:
            if Path(a.out).exists():
                fail(f"{a.out} exists; choose another name so no draft is overwritten")
            Path(a.out).write_text(text, encoding="utf-8")
        out = {"headings": len(items), "written": a.out, "text": None if a.out else text}
    else:
        if not a.draft or not Path(a.draft).is_file():
            fail("check needs the draft file")
        out = check(items, Path(a.draft).read_text(encoding="utf-8-sig"), a.min_section)
    print(json.dumps({"ok": True, **out}, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
