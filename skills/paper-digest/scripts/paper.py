#!/usr/bin/env python3
"""Split an academic paper (PDF or text) into its sections for reading, and collect digests of several papers into
one comparison table (.xlsx, one row per paper).

Section headings recognised in English and Chinese (Abstract/摘要, Introduction/引言, Related Work/相关工作,
Method/方法, Experiments/实验, Results/结果, Discussion/讨论, Limitations/局限, Conclusion/结论, References/参考文献),
numbered or not. PDF text comes from pypdf (part of the app); scanned PDFs have no text and need OCR first.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

SECTIONS = {
    "abstract": r"abstract|摘\s*要", "introduction": r"introduction|引\s*言|绪\s*论|前\s*言",
    "related_work": r"related work|background|相关工作|研究现状|文献综述",
    "method": r"methods?|methodology|approach|model|materials and methods|研究方法|方\s*法|模型",
    "experiments": r"experiments?|experimental setup|evaluation|data(?:set)?s?|实\s*验|数据",
    "results": r"results?|findings|结\s*果", "discussion": r"discussion|讨\s*论",
    "limitations": r"limitations?|局限(?:性)?|不足", "conclusion": r"conclusions?|concluding remarks|结\s*论|总\s*结",
    "references": r"references|bibliography|参考文献",
}
HEADING = re.compile(r"^\s*(?:(?:\d+|[IVX]+)[.\s]\s*|[一二三四五六七八九十]+[、.\s]\s*)?(" +
                     "|".join(f"(?P<{k}>{v})" for k, v in SECTIONS.items()) + r")\s*[:：]?\s*$", re.I)
DIGEST_FIELDS = ["title", "authors", "year", "venue", "question", "method", "data", "results", "limitations", "notes"]
HEADERS_ZH = ["标题", "作者", "年份", "发表于", "研究问题", "方法", "数据", "主要结果", "局限", "备注"]


def text_of(path: Path) -> tuple[str, int]:
    """The text and page count of a PDF, or the contents of a text/Markdown file."""
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(path)
        return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)
    return path.read_text(encoding="utf-8-sig"), 0


def split(text: str, max_chars: int) -> dict:
    """Title guess, sections in order and their text (each cut to max_chars)."""
    lines = text.splitlines()
    title = next((x.strip() for x in lines if len(x.strip()) > 8), "")
    found: list[tuple[str, int]] = []
    for i, line in enumerate(lines):
        m = HEADING.match(line)
        if m and len(line) < 60:
            name = next(k for k in SECTIONS if m.group(k))
            if name not in (f for f, _ in found):
                found.append((name, i))
    sections = {}
    for n, (name, start) in enumerate(found):
        end = found[n + 1][1] if n + 1 < len(found) else len(lines)
        body = "\n".join(lines[start + 1 : end]).strip()
        sections[name] = body if name == "references" else body[:max_chars]
    refs = sections.pop("references", "")
    return {"title": title, "sections": sections, "found": [f for f, _ in found],
            "missing": [k for k in ("abstract", "method", "results", "conclusion") if k not in sections],
            "reference_count": len(re.findall(r"^\s*\[\d+\]|^\s*\d+\.\s", refs, re.M)), "chars": len(text)}


def table(digests: list[dict], out: Path) -> dict:
    """One row per paper; reports digests with empty key fields."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "文献对比"
    ws.append(HEADERS_ZH)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for d in digests:
        ws.append([", ".join(d[f]) if isinstance(d.get(f), list) else d.get(f, "") for f in DIGEST_FIELDS])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGHIJ", (40, 20, 6, 16, 40, 40, 30, 40, 30, 20), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "B2"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    gaps = {d.get("title", f"#{i}"): [f for f in ("question", "method", "results") if not d.get(f)]
            for i, d in enumerate(digests, 1)}
    return {"out": str(out), "rows": len(digests), "incomplete": {k: v for k, v in gaps.items() if v}}


def main(argv: list[str] | None = None) -> None:
    """sections / table; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="JSON output (always on)")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sections", parents=[common])
    s.add_argument("paper", type=Path)
    s.add_argument("--max-chars", type=int, default=6000, help="per section, to keep the output readable")
    t = sub.add_parser("table", parents=[common], help=f"JSON list of digests with fields {', '.join(DIGEST_FIELDS)}")
    t.add_argument("digests", type=Path)
    t.add_argument("--out", type=Path, required=True)
    a = p.parse_args(argv)
    try:
        if a.cmd == "sections":
            text, pages = text_of(a.paper)
            if not text.strip():
                raise ValueError("no text in this file (a scanned PDF needs OCR first)")
            result = {"pages": pages, **split(text, a.max_chars)}
        else:
            result = table(json.loads(a.digests.read_text(encoding="utf-8")), a.out)
    except (OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
