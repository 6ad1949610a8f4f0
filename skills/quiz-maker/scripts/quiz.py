#!/usr/bin/env python3
"""Check a quiz, build the exam paper and a separate answer key as Word files, or draft blanks from notes.

Quiz JSON: {"title": "...", "questions": [{"type": "single" | "multiple" | "truefalse" | "blank" | "short",
"stem": "...", "options": ["...", ...], "answer": "B" | ["A", "C"] | true | "text", "explanation": "...",
"points": 2}]}. Options are lettered A, B, C … in order; --shuffle reorders them and moves the answers along.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

LETTERS = "ABCDEFGH"
TYPE_ZH = {"single": "单项选择题", "multiple": "多项选择题", "truefalse": "判断题", "blank": "填空题", "short": "简答题"}
ORDER = list(TYPE_ZH)


def check(quiz: dict) -> list[str]:
    """Every problem that would make a question unanswerable or its key wrong."""
    problems = []
    for i, q in enumerate(quiz.get("questions", []), 1):
        kind, opts, ans = q.get("type"), q.get("options") or [], q.get("answer")
        if kind not in TYPE_ZH:
            problems.append(f"Q{i}: type must be one of {', '.join(TYPE_ZH)}")
        elif not str(q.get("stem", "")).strip():
            problems.append(f"Q{i}: empty stem")
        elif kind in ("single", "multiple"):
            keys = [ans] if isinstance(ans, str) else list(ans or [])
            if len(opts) < 2 or any(k not in LETTERS[: len(opts)] for k in keys) or not keys:
                problems.append(f"Q{i}: answer {ans!r} is not among options A-{LETTERS[len(opts) - 1] if opts else '?'}")
            elif kind == "single" and len(keys) != 1:
                problems.append(f"Q{i}: a single-choice question needs exactly one answer")
            elif len(set(opts)) != len(opts):
                problems.append(f"Q{i}: duplicate options")
        elif kind == "truefalse" and not isinstance(ans, bool):
            problems.append(f"Q{i}: true/false answer must be true or false")
        elif kind in ("blank", "short") and not str(ans or "").strip():
            problems.append(f"Q{i}: missing reference answer")
    return problems if quiz.get("questions") else ["no questions"]


def shuffle(quiz: dict, seed: int) -> dict:
    """Shuffle the options of choice questions (answers follow)."""
    rng = random.Random(seed)
    for q in quiz["questions"]:
        if q["type"] in ("single", "multiple"):
            order = list(range(len(q["options"])))
            rng.shuffle(order)
            old = [q["answer"]] if isinstance(q["answer"], str) else q["answer"]
            q["options"] = [q["options"][k] for k in order]
            new = sorted(LETTERS[order.index(LETTERS.index(a))] for a in old)
            q["answer"] = new[0] if q["type"] == "single" else new
    return quiz


def grouped(quiz: dict) -> list[tuple[str, list[tuple[int, dict]]]]:
    """Questions grouped by type in the usual paper order, numbered continuously."""
    out, n = [], 0
    for kind in ORDER:
        items = [q for q in quiz["questions"] if q["type"] == kind]
        if items:
            out.append((kind, [(n + i + 1, q) for i, q in enumerate(items)]))
            n += len(items)
    return out


def answer_text(q: dict) -> str:
    a = q["answer"]
    if q["type"] == "truefalse":
        return "√ 正确" if a else "× 错误"
    return "".join(a) if isinstance(a, list) else str(a)


def write_paper(quiz: dict, path: Path, key: bool) -> int:
    """The paper (questions only) or the key (answers and explanations); returns the number of questions."""
    from docx import Document

    doc = Document()
    doc.add_heading(quiz.get("title", "测验") + ("（答案与解析）" if key else ""), level=1)
    if not key:
        doc.add_paragraph("姓名：__________  班级：__________  得分：__________")
    count = 0
    for s, (kind, items) in enumerate(grouped(quiz), 1):
        points = sum(q.get("points", 0) for _, q in items)
        doc.add_heading(f"{'一二三四五'[s - 1]}、{TYPE_ZH[kind]}" + (f"（共 {points} 分）" if points else ""), level=2)
        for n, q in items:
            count += 1
            if key:
                doc.add_paragraph(f"{n}. {answer_text(q)}" + (f"　解析：{q['explanation']}" if q.get("explanation") else ""))
                continue
            stem = q["stem"] + ("（　　）" if kind in ("single", "multiple", "truefalse") else "")
            doc.add_paragraph(f"{n}. {stem}")
            for i, opt in enumerate(q.get("options") or []):
                doc.add_paragraph(f"    {LETTERS[i]}. {opt}")
            if kind == "short":
                for _ in range(q.get("lines", 4)):
                    doc.add_paragraph("_" * 60)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return count


def cloze(notes: str, terms: list[str], limit: int) -> list[dict]:
    """Fill-in-the-blank drafts: one sentence per term, the term blanked out."""
    sentences = [s.strip() for s in re.split(r"(?<=[。！？!?.;；])\s*|\n+", notes) if len(s.strip()) > 6]
    out = []
    for term in terms:
        hit = next((s for s in sentences if term in s), None)
        if hit:
            out.append({"type": "blank", "stem": hit.replace(term, "______", 1), "answer": term})
        if len(out) >= limit:
            break
    return out


def main(argv: list[str] | None = None) -> None:
    """check / build / cloze; print JSON; exit 1 when the quiz has problems, 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="JSON output (always on)")
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", parents=[common])
    c.add_argument("quiz", type=Path)
    b = sub.add_parser("build", parents=[common])
    b.add_argument("quiz", type=Path)
    b.add_argument("--paper", type=Path, required=True)
    b.add_argument("--key", type=Path, required=True)
    b.add_argument("--shuffle", action="store_true")
    b.add_argument("--seed", type=int, default=1)
    z = sub.add_parser("cloze", parents=[common])
    z.add_argument("notes", type=Path)
    z.add_argument("--terms", nargs="+", required=True)
    z.add_argument("--limit", type=int, default=20)
    a = p.parse_args(argv)
    try:
        if a.cmd == "cloze":
            result = {"ok": True, "questions": cloze(a.notes.read_text(encoding="utf-8-sig"), a.terms, a.limit)}
        else:
            quiz = json.loads(a.quiz.read_text(encoding="utf-8"))
            problems = check(quiz)
            result = {"ok": not problems, "problems": problems, "questions": len(quiz.get("questions", [])),
                      "by_type": {TYPE_ZH[k]: len(v) for k, v in grouped(quiz)} if not problems else {}}
            if a.cmd == "build" and not problems:
                quiz = shuffle(quiz, a.seed) if a.shuffle else quiz
                result.update(paper=str(a.paper), key=str(a.key), written=write_paper(quiz, a.paper, False))
                write_paper(quiz, a.key, True)
    except (OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
