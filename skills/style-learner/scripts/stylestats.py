#!/usr/bin/env python3
"""Measure writing-style traits in samples (sentence length, punctuation, emoji, openers, English mix, formatting habits)."""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
EMOJI_RE = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")
SENT_RE = re.compile(r"[^。！？!?…\n]+(?:[。！？!?…]+|\n|$)")
PARTICLES = "啊呀吧呢嘛哈啦哦噢诶呗"
HEDGES = ["其实", "感觉", "可能", "应该", "有点", "稍微", "maybe", "perhaps", "i think", "kind of", "sort of"]


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def read_samples(paths: list[str]) -> list[str]:
    """Texts of sample files (.txt/.md/.docx); folders contribute their .txt/.md/.docx files."""
    texts = []
    for p in map(Path, paths):
        files = sorted(f for f in p.rglob("*") if f.suffix.lower() in (".txt", ".md", ".docx")) if p.is_dir() else [p]
        for f in files:
            if f.suffix.lower() == ".docx":
                from docx import Document

                texts.append("\n".join(par.text for par in Document(f).paragraphs))
            else:
                texts.append(f.read_text(encoding="utf-8-sig", errors="replace"))
    return [t for t in texts if t.strip()]


def sentence_len(s: str) -> int:
    return len(CJK_RE.findall(s)) + len(WORD_RE.findall(s))


def profile(texts: list[str]) -> dict:
    """Numbers that describe the style; the model turns them into a short written profile."""
    joined = "\n".join(texts)
    sentences = [s.strip() for s in SENT_RE.findall(joined) if sentence_len(s) > 0]
    lengths = [sentence_len(s) for s in sentences] or [0]
    paragraphs = [p for p in re.split(r"\n\s*\n", joined) if p.strip()]
    cjk, en = len(CJK_RE.findall(joined)), len(WORD_RE.findall(joined))
    ends = Counter(re.findall(r"[。！？!?…~～]+(?=\s|$)", joined))
    openers = Counter(s[:2] for s in sentences if CJK_RE.match(s[:1] or " "))
    per_k = 1000 / max(cjk + en, 1)
    return {
        "samples": len(texts), "sentences": len(sentences),
        "avg_sentence_length": round(statistics.mean(lengths), 1),
        "median_sentence_length": statistics.median(lengths),
        "avg_paragraph_sentences": round(len(sentences) / max(len(paragraphs), 1), 1),
        "english_share": round(en / max(cjk + en, 1), 2),
        "exclamations_per_1k": round((joined.count("！") + joined.count("!")) * per_k, 1),
        "questions_per_1k": round((joined.count("？") + joined.count("?")) * per_k, 1),
        "emoji_per_1k": round(len(EMOJI_RE.findall(joined)) * per_k, 1),
        "particles_per_1k": round(sum(joined.count(p) for p in PARTICLES) * per_k, 1),
        "hedges": {h: joined.lower().count(h) for h in HEDGES if joined.lower().count(h)},
        "sentence_endings": dict(ends.most_common(5)),
        "common_openers": [o for o, n in openers.most_common(5) if n > 1],
        "uses_lists": bool(re.search(r"^\s*([-*•]|\d+[.、)])\s", joined, flags=re.M)),
        "uses_headings": bool(re.search(r"^#{1,6}\s", joined, flags=re.M)),
        "person": {"我": joined.count("我"), "我们": joined.count("我们"), "你": joined.count("你"), "您": joined.count("您")},
    }


def main(argv: list[str] | None = None) -> None:
    """Print the style figures of the samples."""
    ap = argparse.ArgumentParser(description="measure writing style")
    ap.add_argument("samples", nargs="+", help="sample files or folders")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    try:
        texts = read_samples(a.samples)
    except OSError as exc:
        fail(str(exc))
    if not texts:
        fail("no text found in the samples")
    print(json.dumps({"ok": True, **profile(texts)}, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
