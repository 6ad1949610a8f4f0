#!/usr/bin/env python3
"""Compare a rewrite with its original: length change, machine-sounding filler phrases, numbers and names that went missing."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

# Phrases that make a draft read like boilerplate or machine output; the rewrite should not contain them.
FILLER_ZH = ["值得注意的是", "总而言之", "综上所述", "总的来说", "不可否认", "在当今社会", "在当今时代", "随着科技的发展",
             "众所周知", "毋庸置疑", "至关重要", "不言而喻", "赋能", "抓手", "闭环", "底层逻辑", "颗粒度", "助力", "深度融合",
             "全方位", "多维度", "让我们一起", "希望对你有所帮助", "首先，其次，最后", "作为一个AI"]
FILLER_EN = ["it is worth noting", "in today's fast-paced world", "in conclusion", "delve", "tapestry", "testament to",
             "navigate the complexities", "unlock the potential", "game-changer", "leverage", "synergy", "seamless",
             "cutting-edge", "in the realm of", "it's important to note", "embark on", "a myriad of", "robust",
             "i hope this helps", "as an ai", "furthermore", "moreover"]
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def length(text: str) -> int:
    """Chinese characters plus English words."""
    return len(CJK_RE.findall(text)) + len(WORD_RE.findall(text))


def fillers(text: str, extra: list[str]) -> list[dict]:
    """Filler phrases present in the text, with counts."""
    low = text.lower()
    found = []
    for phrase in FILLER_ZH + FILLER_EN + extra:
        n = low.count(phrase.lower()) if phrase.isascii() else text.count(phrase)
        if n:
            found.append({"phrase": phrase, "count": n})
    return found


def facts(text: str) -> set[str]:
    """Numbers, dates, percentages and Latin proper names — things a rewrite must keep."""
    nums = set(re.findall(r"\d+(?:[.,:/-]\d+)*%?", text))
    names = set(re.findall(r"\b[A-Z][a-zA-Z]+(?:\s[A-Z][a-zA-Z]+)*\b", text)) - {"I", "The", "A", "We", "It", "This"}
    return nums | names


def main(argv: list[str] | None = None) -> None:
    """Check a rewrite (and optionally the original) and print figures."""
    ap = argparse.ArgumentParser(description="check a rewrite against its original")
    ap.add_argument("rewrite", help="the rewritten text file")
    ap.add_argument("--original", help="the original text file")
    ap.add_argument("--goal", choices=["shorter", "longer", "same"], help="what length change was asked for")
    ap.add_argument("--ban", default="", help="extra banned phrases, separated by |")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    try:
        new = Path(a.rewrite).read_text(encoding="utf-8-sig")
        old = Path(a.original).read_text(encoding="utf-8-sig") if a.original else None
    except OSError as exc:
        fail(str(exc))
    found = fillers(new, [b for b in a.ban.split("|") if b])
    out: dict = {"ok": True, "length": length(new), "fillers": found,
                 "sentences": len([s for s in re.split(r"[。！？!?.]+", new) if s.strip()])}
    problems = [f"filler phrase: {f['phrase']}" for f in found]
    if old is not None:
        out["original_length"] = length(old)
        out["ratio"] = round(out["length"] / max(out["original_length"], 1), 2)
        lost = sorted(facts(old) - facts(new))
        out["missing_facts"] = lost
        problems += [f"fact dropped: {x}" for x in lost]
        if a.goal == "shorter" and out["length"] >= out["original_length"]:
            problems.append("asked for shorter, but it is not shorter")
        if a.goal == "longer" and out["length"] <= out["original_length"]:
            problems.append("asked for longer, but it is not longer")
    out["problems"], out["passed"] = problems, not problems
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
