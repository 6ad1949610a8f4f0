"""Keep a research report honest: check its [n] citations against a source list and format references.

Usage:
  sources.py check REPORT.md --sources sources.json [--min-sources 3] [--json]
  sources.py refs --sources sources.json [--style gb7714|apa|plain] [--cited-in REPORT.md]
sources.json: [{"id": 1, "url": "...", "title": "...", "site": "...", "author": "...",
                "published": "2024-05-01", "accessed": "2024-06-01"}, ...]
check fails (exit code 1) when the report cites a number with no source, cites fewer distinct
sources than --min-sources, lists sources it never cites, or has paragraphs of claims with no
citation at all (those are listed so the model can source them or mark them as its own reasoning).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from pathlib import Path

CITE = re.compile(r"\[(\d+(?:\s*[,，\-–]\s*\d+)*)\]")


def cited_numbers(text: str) -> list[int]:
    """Every source number cited as [1], [2, 3] or [4-6], in order of first use."""
    nums: list[int] = []
    for group in CITE.findall(text):
        for part in re.split(r"\s*[,，]\s*", group):
            if re.search(r"[-–]", part):
                lo, hi = map(int, re.split(r"\s*[-–]\s*", part))
                nums += range(lo, hi + 1)
            else:
                nums.append(int(part))
    return list(dict.fromkeys(nums))


def uncited_paragraphs(text: str) -> list[str]:
    """Body paragraphs with figures or claims but no citation (headings, lists of sources excluded)."""
    body = re.split(r"\n#+\s*(参考|来源|References|Sources)", text, flags=re.IGNORECASE)[0]
    found = []
    for para in re.split(r"\n\s*\n", body):
        p = para.strip()
        if not p or p.startswith(("#", "|", ">", "```")) or CITE.search(p):
            continue
        if len(p) > 30 and re.search(r"\d", p):  # long paragraphs with numbers are factual claims
            found.append(p[:120])
    return found


def check(report: str, sources: list[dict], min_sources: int) -> dict:
    """Problems with the report's citations."""
    ids = {int(s["id"]) for s in sources}
    used = cited_numbers(report)
    problems = []
    missing = [n for n in used if n not in ids]
    if missing:
        problems.append(f"cites numbers with no source: {missing}")
    real = [n for n in used if n in ids]
    if len(real) < min_sources:
        problems.append(f"cites {len(real)} distinct sources, fewer than {min_sources}")
    unused = sorted(ids - set(used))
    if unused:
        problems.append(f"sources listed but never cited: {unused}")
    bare = uncited_paragraphs(report)
    if bare:
        problems.append(f"{len(bare)} paragraph(s) with figures but no citation")
    urls = {int(s["id"]): s["url"] for s in sources}
    return {"ok": not problems, "problems": problems, "cited": [{"id": n, "url": urls[n]} for n in real],
            "uncited_paragraphs": bare}


def reference(s: dict, style: str) -> str:
    """One formatted reference line."""
    accessed = s.get("accessed") or date.today().isoformat()
    who, title = s.get("author") or s.get("site") or "", s.get("title", "")
    site, pub = s.get("site", ""), s.get("published", "")
    if style == "gb7714":  # GB/T 7714-2015 electronic resource: [EB/OL]
        head = f"{who}. " if who else ""
        return f"[{s['id']}] {head}{title}[EB/OL]. ({pub or 'n.d.'})[{accessed}]. {s['url']}."
    if style == "apa":
        year = pub[:4] if pub else "n.d."
        return f"[{s['id']}] {who + ' ' if who else ''}({year}). {title}. {site + '. ' if site and site != who else ''}{s['url']}"
    return f"[{s['id']}] {title} — {site or s['url']} ({pub or 'n.d.'}) {s['url']}"


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check")
    c.add_argument("report")
    c.add_argument("--min-sources", type=int, default=3)
    r = sub.add_parser("refs")
    r.add_argument("--style", choices=("gb7714", "apa", "plain"), default="gb7714")
    r.add_argument("--cited-in")
    for p in (c, r):
        p.add_argument("--sources", required=True)
        p.add_argument("--json", action="store_true")
    a = ap.parse_args()
    try:
        sources = json.loads(Path(a.sources).read_text(encoding="utf-8-sig"))
        if not all("id" in s and "url" in s for s in sources):
            raise ValueError("every source needs an id and a url")
    except (OSError, ValueError, TypeError) as exc:
        print(json.dumps({"error": f"bad sources file: {exc}"}), file=sys.stderr)
        return 2
    if a.cmd == "check":
        result = check(Path(a.report).read_text(encoding="utf-8-sig"), sources, a.min_sources)
        print(json.dumps(result, ensure_ascii=False, indent=1 if a.json else None))
        return 0 if result["ok"] else 1
    if a.cited_in:
        used = set(cited_numbers(Path(a.cited_in).read_text(encoding="utf-8-sig")))
        sources = [s for s in sources if int(s["id"]) in used]
    lines = [reference(s, a.style) for s in sorted(sources, key=lambda s: int(s["id"]))]
    print(json.dumps({"references": lines}, ensure_ascii=False, indent=1) if a.json else "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
