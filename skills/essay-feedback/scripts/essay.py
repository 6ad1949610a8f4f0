#!/usr/bin/env python3
"""Essay measurements and rubric totals: word/character counts, sentence lengths and repeated words; a rubric
(criteria, maximum, score) totalled and optionally written as a Word table with comments and corrected excerpts.

Presets name the usual criteria: ielts (Task Achievement/Response, Coherence and Cohesion, Lexical Resource,
Grammatical Range and Accuracy; 0-9 each), gaokao (全国卷 60 分: 内容 20, 表达 20, 发展等级 20), cet (15 分 总体印象).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

PRESETS = {
    "ielts": [("Task Achievement / Response", 9), ("Coherence and Cohesion", 9), ("Lexical Resource", 9),
              ("Grammatical Range and Accuracy", 9)],
    "gaokao": [("内容（切合题意、中心明确、内容充实、思想健康、感情真挚）", 20),
               ("表达（符合文体、结构严谨、语言流畅、字迹工整）", 20), ("发展等级（深刻、丰富、有文采、有创意）", 20)],
    "cet": [("内容与切题", 5), ("结构与连贯", 5), ("语言准确与丰富", 5)],
}
STOP = set("the a an and or but of to in on at for with is are was were be been it this that as by from i you he she "
           "we they my our your their not have has had do does did so if then than there which who what can will "
           "would should could also more most very".split())


def stats(text: str) -> dict:
    """Counts a teacher looks at first."""
    cjk = re.findall(r"[\u4e00-\u9fff]", text)
    words = re.findall(r"[A-Za-z]+(?:'[A-Za-z]+)?", text)
    chinese = len(cjk) > len(words)
    sentences = [s for s in re.split(r"(?<=[.!?。！？])\s*", text.strip()) if s.strip()]
    lengths = [len(re.findall(r"[\u4e00-\u9fff]", s)) if chinese else len(re.findall(r"[A-Za-z']+", s))
               for s in sentences]
    paragraphs = [p for p in re.split(r"\n\s*\n|\n(?=\s{2,}|\u3000)", text) if p.strip()]
    repeats = Counter(w.lower() for w in words if w.lower() not in STOP and len(w) > 3)
    long_limit = 60 if chinese else 35
    return {"language": "zh" if chinese else "en", "characters": len(cjk), "words": len(words),
            "sentences": len(sentences), "paragraphs": len(paragraphs),
            "avg_sentence_length": round(sum(lengths) / len(lengths), 1) if lengths else 0,
            "long_sentences": [s[:80] for s, n in zip(sentences, lengths, strict=True) if n > long_limit],
            "repeated_words": [w for w, n in repeats.most_common(10) if n >= 3]}


def total(rubric: list[dict]) -> dict:
    """Sum and percentage of a rubric; each criterion needs 0 <= score <= max."""
    for c in rubric:
        if not 0 <= float(c["score"]) <= float(c["max"]):
            raise ValueError(f"{c['name']}: score {c['score']} outside 0-{c['max']}")
    got, most = sum(float(c["score"]) for c in rubric), sum(float(c["max"]) for c in rubric)
    out = {"total": got, "max": most, "percent": round(got / most * 100, 1) if most else 0}
    if all(float(c["max"]) == 9 for c in rubric) and len(rubric) == 4:
        mean = got / 4
        out["ielts_band_estimate"] = int(mean * 2 + 0.5) / 2  # to the nearest half band; an estimate, not official
    return out


def write_docx(rubric: list[dict], result: dict, out: Path, title: str, comments: list[str], fixes: list[dict]) -> None:
    """Feedback report: rubric table, comments, corrected excerpts."""
    from docx import Document

    doc = Document()
    doc.add_heading(title, level=1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("评分项 Criterion", "得分 Score", "满分 Max", "评语 Comment"), strict=True):
        cell.text = text
    for c in rubric:
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text, row[3].text = c["name"], f"{c['score']:g}", f"{c['max']:g}", c.get("comment", "")
    last = table.add_row().cells
    last[0].text, last[1].text, last[2].text = "总分 Total", f"{result['total']:g}", f"{result['max']:g}"
    if "ielts_band_estimate" in result:
        doc.add_paragraph(f"Estimated band: {result['ielts_band_estimate']}")
    if comments:
        doc.add_heading("总评 Overall comments", level=2)
        for c in comments:
            doc.add_paragraph(c, style="List Bullet")
    if fixes:
        doc.add_heading("修改示例 Corrections", level=2)
        for f in fixes:
            doc.add_paragraph(f"原文：{f['before']}\n修改：{f['after']}" + (f"\n说明：{f['why']}" if f.get("why") else ""))
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)


def main(argv: list[str] | None = None) -> None:
    """stats / preset / score; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="JSON output (always on)")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("stats", parents=[common]).add_argument("essay", type=Path)
    sub.add_parser("preset", parents=[common]).add_argument("name", choices=sorted(PRESETS))
    s = sub.add_parser("score", parents=[common], help='JSON {"title", "rubric": [{name,max,score,comment}], '
                                                       '"comments": [], "corrections": [{before,after,why}]}')
    s.add_argument("feedback", type=Path)
    s.add_argument("--docx", type=Path)
    a = p.parse_args(argv)
    try:
        if a.cmd == "stats":
            result = stats(a.essay.read_text(encoding="utf-8-sig"))
        elif a.cmd == "preset":
            result = {"rubric": [{"name": n, "max": m, "score": None, "comment": ""} for n, m in PRESETS[a.name]]}
        else:
            fb = json.loads(a.feedback.read_text(encoding="utf-8"))
            result = {"criteria": len(fb["rubric"]), **total(fb["rubric"])}
            if a.docx:
                write_docx(fb["rubric"], result, a.docx, fb.get("title", "作文批改 Essay feedback"),
                           fb.get("comments", []), fb.get("corrections", []))
                result["docx"] = str(a.docx)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
