#!/usr/bin/env python3
"""Compare a résumé with a job description: which JD keywords the résumé covers, which are missing, how much is quantified."""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

# Words that frame requirements in Chinese JDs; they split phrases and are never keywords themselves.
ZH_SPLIT = ("熟悉", "熟练", "掌握", "精通", "了解", "具备", "具有", "拥有", "负责", "参与", "能够", "良好的", "较强的", "优秀的",
            "相关", "以上", "优先", "经验", "能力", "工作", "岗位", "职责", "要求", "任职", "以及", "或者", "并且", "进行",
            "使用", "我们", "公司", "团队", "候选人", "及", "和", "与", "或", "等", "的", "有", "对", "并", "在", "者", "年")
EN_STOP = set("a an and or the of to in for with on at by from as is are be will you we our your this that have has "
              "experience years year strong good excellent ability able work working team teams role job plus preferred "
              "required requirements responsibilities including such using use skills skill knowledge etc".split())


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def read_text(path: Path) -> str:
    """Text of a .docx, .pdf, .md or .txt file."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from docx import Document

        doc = Document(path)
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in doc.paragraphs] + cells)
    if suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def keywords(jd: str, limit: int) -> list[str]:
    """Likely skill terms: Latin tech words/phrases plus short Chinese noun phrases between framing words."""
    latin = re.findall(r"[A-Za-z][A-Za-z0-9+#./-]*(?:\s[A-Z][A-Za-z0-9+#]*)?", jd)
    found = Counter(w.strip(" ./-") for w in latin if w.lower() not in EN_STOP and len(w.strip(" ./-")) > 1)
    text = re.sub(r"[A-Za-z0-9+#./-]+", "，", jd)
    for word in sorted(ZH_SPLIT, key=len, reverse=True):
        text = text.replace(word, "，")
    for piece in re.split(r"[，,。；;、：:（）()\s/\n\d一二三四五六七八九十]+", text):
        if 2 <= len(piece) <= 8 and re.fullmatch(r"[\u4e00-\u9fff]+", piece):
            found[piece] += 1
    return [w for w, _ in found.most_common(limit)]


def covered(term: str, resume: str) -> bool:
    """Case-insensitive containment; Latin terms must match as whole words."""
    if re.fullmatch(r"[\x00-\x7f]+", term):
        return re.search(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])", resume, flags=re.I) is not None
    return term in resume


def quantified(resume: str) -> dict:
    """Bullet/achievement lines, and how many carry a number, % or money figure."""
    lines = [ln.strip() for ln in resume.splitlines() if len(ln.strip()) > 8]
    with_numbers = [ln for ln in lines if re.search(r"\d+(\.\d+)?\s*(%|％|万|千|亿|k|K|x|倍|人|个|项|天|小时|元|ms|s\b)|\d{2,}", ln)]
    return {"lines": len(lines), "with_numbers": len(with_numbers),
            "examples_without_numbers": [ln for ln in lines if ln not in with_numbers][:8]}


def main(argv: list[str] | None = None) -> None:
    """Print JD keywords, which the résumé covers, and quantification figures."""
    ap = argparse.ArgumentParser(description="résumé vs. job description keyword coverage")
    ap.add_argument("jd", help="job description file (.txt/.md/.docx/.pdf), or the text itself with --jd-text")
    ap.add_argument("resume", help="résumé file (.docx/.pdf/.md/.txt)")
    ap.add_argument("--jd-text", action="store_true", help="the first argument is the JD text, not a path")
    ap.add_argument("--keywords", help="comma-separated keywords to use instead of the automatic ones")
    ap.add_argument("--limit", type=int, default=30)
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    try:
        jd = a.jd if a.jd_text else read_text(Path(a.jd))
        resume = read_text(Path(a.resume))
    except OSError as exc:
        fail(str(exc))
    terms = [k.strip() for k in a.keywords.split(",") if k.strip()] if a.keywords else keywords(jd, a.limit)
    hit = [t for t in terms if covered(t, resume)]
    miss = [t for t in terms if t not in hit]
    out = {"ok": True, "keywords": terms, "matched": hit, "missing": miss,
           "coverage": round(len(hit) / len(terms), 2) if terms else 0.0, "quantified": quantified(resume)}
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
