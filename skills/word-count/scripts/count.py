#!/usr/bin/env python3
"""Count Chinese characters, English words, punctuation, paragraphs and pages of text, .md, .txt, .docx or .pdf files."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
WORD_RE = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
CJK_PUNCT_RE = re.compile(r"[\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u2014]")
REFS_RE = re.compile(r"^\s*(?:#+\s*)?(参考文献|参考资料|引用文献|references|bibliography|works cited)\s*[:：]?\s*$", re.I | re.M)


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def read(path: Path) -> tuple[str, int | None]:
    """The text of a file and its real page count when the format has one (PDF)."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from docx import Document

        doc = Document(path)
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]  # tables count in Word too
        return "\n".join(parts), None
    if suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(path)
        return "\n".join(p.extract_text() or "" for p in reader.pages), len(reader.pages)
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc), None
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace"), None


def strip_markdown(text: str) -> str:
    """Drop Markdown markup that is not prose: code fences' markers, link targets, heading hashes, emphasis."""
    text = re.sub(r"^```.*$", "", text, flags=re.M)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}(#{1,6}|[-*+]|\d+\.)\s+", "", text, flags=re.M)
    return re.sub(r"[*_`~]{1,3}", "", text)


def count(text: str, zh_per_page: int, en_per_page: int) -> dict:
    """All the figures for one text."""
    cjk = len(CJK_RE.findall(text))
    words = len(WORD_RE.findall(text))
    numbers = len(NUMBER_RE.findall(text))
    paragraphs = len([p for p in re.split(r"\n\s*\n|\n", text) if p.strip()])
    no_space = len(re.sub(r"\s", "", text))
    minutes = cjk / 300 + words / 230  # typical silent reading speeds
    return {
        "chinese_chars": cjk, "english_words": words, "numbers": numbers,
        "chinese_punctuation": len(CJK_PUNCT_RE.findall(text)),
        "chars_no_spaces": no_space, "chars_with_spaces": len(text.replace("\n", "")),
        "word_style_count": cjk + words + numbers,  # what Word shows as 字数 for mixed text, close enough
        "paragraphs": paragraphs, "estimated_pages": round(cjk / zh_per_page + words / en_per_page, 1),
        "reading_minutes": round(minutes, 1),
    }


def main(argv: list[str] | None = None) -> None:
    """Count one file (or --text) and print JSON; --min/--max report whether a requirement is met."""
    ap = argparse.ArgumentParser(description="word and character counts for Chinese and English")
    ap.add_argument("file", nargs="?", help=".txt .md .docx .pdf (or use --text)")
    ap.add_argument("--text", help="count this text instead of a file")
    ap.add_argument("--exclude-references", action="store_true", help="stop at a 参考文献 / References heading")
    ap.add_argument("--markdown", action="store_true", help="ignore Markdown markup (default for .md files)")
    ap.add_argument("--zh-per-page", type=int, default=500, help="Chinese characters per page for the page estimate")
    ap.add_argument("--en-per-page", type=int, default=300, help="English words per page")
    ap.add_argument("--min", type=int, help="required minimum (in --unit)")
    ap.add_argument("--max", type=int, help="allowed maximum (in --unit)")
    ap.add_argument("--unit", default="word_style_count", help="which figure --min/--max refer to")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    pages = None
    if a.text is not None:
        text = a.text
    elif a.file and Path(a.file).is_file():
        text, pages = read(Path(a.file))
    else:
        fail(f"no such file: {a.file}")
    cut = False
    if a.exclude_references and (m := REFS_RE.search(text)):
        text, cut = text[: m.start()], True
    if a.markdown or (a.file or "").lower().endswith((".md", ".markdown")):
        text = strip_markdown(text)
    out = {"ok": True, **count(text, a.zh_per_page, a.en_per_page), "references_excluded": cut}
    if pages is not None:
        out["pdf_pages"] = pages
    if a.min is not None or a.max is not None:
        value = out.get(a.unit)
        if value is None:
            fail(f"unknown --unit {a.unit}")
        out["requirement"] = {"unit": a.unit, "value": value, "min": a.min, "max": a.max,
                              "met": (a.min is None or value >= a.min) and (a.max is None or value <= a.max)}
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
