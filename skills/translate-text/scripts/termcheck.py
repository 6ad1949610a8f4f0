#!/usr/bin/env python3
"""Check a translation: glossary terms rendered as agreed, numbers kept, and the output really in the target language."""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

SCRIPTS = {"zh": r"[\u4e00-\u9fff]", "ja": r"[\u3040-\u30ff]", "ko": r"[\uac00-\ud7af]", "ru": r"[\u0400-\u04ff]",
           "latin": r"[A-Za-z]"}


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def load_glossary(path: str | None, inline: list[str]) -> list[tuple[str, str]]:
    """Pairs from a CSV/TSV (source,target per line) and from 'source=target' arguments."""
    pairs = []
    if path:
        text = Path(path).read_text(encoding="utf-8-sig")
        dialect = "excel-tab" if "\t" in text.splitlines()[0] else "excel"
        pairs += [(r[0].strip(), r[1].strip()) for r in csv.reader(text.splitlines(), dialect=dialect) if len(r) >= 2]
    pairs += [tuple(x.split("=", 1)) for x in inline if "=" in x]
    return [(s, t) for s, t in pairs if s and t and s.lower() not in ("source", "源", "原文")]


def language_share(text: str) -> dict[str, float]:
    """Share of letters per script (zh, ja, ko, ru, latin)."""
    counts = {k: len(re.findall(rx, text)) for k, rx in SCRIPTS.items()}
    total = sum(counts.values()) or 1
    return {k: round(v / total, 2) for k, v in counts.items() if v}


def contains(text: str, term: str) -> int:
    """Occurrences, case-insensitive for Latin terms (whole words)."""
    if term.isascii():  # whole words, plural endings allowed (model → models)
        return len(re.findall(rf"(?<![A-Za-z]){re.escape(term)}(?:s|es)?(?![A-Za-z])", text, flags=re.I))
    return text.count(term)


def main(argv: list[str] | None = None) -> None:
    """Compare source and translation; exit 1 when a check fails."""
    ap = argparse.ArgumentParser(description="glossary and language checks for a translation")
    ap.add_argument("source", help="source text file")
    ap.add_argument("translation", help="translated text file")
    ap.add_argument("--glossary", help="CSV/TSV with source,target per line")
    ap.add_argument("--term", action="append", default=[], help="'源词=target' (repeatable)")
    ap.add_argument("--target-lang", choices=["zh", "en", "ja", "ko", "ru"], help="expected language of the translation")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    try:
        src = Path(a.source).read_text(encoding="utf-8-sig")
        dst = Path(a.translation).read_text(encoding="utf-8-sig")
        pairs = load_glossary(a.glossary, a.term)
    except OSError as exc:
        fail(str(exc))
    terms = []
    for s, t in pairs:
        n_src = contains(src, s)
        if n_src:
            n_dst = contains(dst, t)
            terms.append({"source": s, "target": t, "in_source": n_src, "in_translation": n_dst, "ok": n_dst >= 1})
    # Month and day numbers (6月, 15日) are often rewritten as words (June 15th), so they are not required verbatim.
    nums_src = sorted(set(re.findall(r"\d+(?:[.,]\d+)*(?![\d月日号])", src)))
    nums_missing = [n for n in nums_src if n not in dst and n.replace(",", "") not in dst.replace(",", "")]
    share = language_share(dst)
    lang_ok = True
    if a.target_lang:
        key = "latin" if a.target_lang == "en" else a.target_lang
        lang_ok = share.get(key, 0) >= 0.6
    problems = [f"glossary term {t['source']} should be rendered as {t['target']}" for t in terms if not t["ok"]]
    problems += [f"number {n} from the source is missing" for n in nums_missing]
    problems += [] if lang_ok else [f"the translation does not look like {a.target_lang}: {share}"]
    out = {"ok": True, "terms": terms, "numbers_missing": nums_missing, "script_share": share,
           "problems": problems, "passed": not problems}
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))
    sys.exit(0 if not problems else 1)


if __name__ == "__main__":
    main()
