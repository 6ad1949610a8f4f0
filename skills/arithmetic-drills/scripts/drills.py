#!/usr/bin/env python3
"""Printable arithmetic practice for children (口算, 竖式, times tables, fractions) with answer keys, and marking of
completed sheets. Every answer is computed exactly (fractions with Python's Fraction); results stay within the range.

Kinds: add, sub, addsub, mul, div (exact, no remainder), table (乘法口诀 up to 9 x 9), mixed (all four), column
(two- or three-digit add/sub for 竖式), fraction (add/subtract, answers in lowest terms).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from fractions import Fraction
from pathlib import Path


def one(kind: str, rng: random.Random, top: int) -> dict:
    """One problem of a kind with operands and the exact answer, all within 0..top."""
    if kind == "addsub":
        kind = rng.choice(["add", "sub"])
    if kind == "mixed":
        kind = rng.choice(["add", "sub", "mul", "div"])
    if kind in ("add", "column") and rng.random() < (1 if kind == "add" else 0.5):
        lo = 10 if kind == "column" else 0
        a = rng.randint(lo, max(lo, top - lo))
        b = rng.randint(lo, max(lo, top - a)) if top - a >= lo else top - a
        return {"text": f"{a} + {b} =", "answer": a + b, "kind": "add"}
    if kind in ("sub", "column"):
        a = rng.randint(10 if kind == "column" else 0, top)
        b = rng.randint(0, a)
        return {"text": f"{a} − {b} =", "answer": a - b, "kind": "sub"}
    if kind in ("mul", "table"):
        limit = 9 if kind == "table" else max(2, min(top // 2, 12))
        a = rng.randint(1, limit)
        b = rng.randint(1, max(1, min(limit, top // a)))
        return {"text": f"{a} × {b} =", "answer": a * b, "kind": "mul"}
    if kind == "div":
        b = rng.randint(1, max(1, min(9, top)))
        q = rng.randint(0, max(0, min(top // b, 12)))
        return {"text": f"{b * q} ÷ {b} =", "answer": q, "kind": "div"}
    if kind == "fraction":
        d1, d2 = rng.randint(2, 10), rng.randint(2, 10)
        x, y = Fraction(rng.randint(1, d1 - 1), d1), Fraction(rng.randint(1, d2 - 1), d2)
        if rng.random() < 0.5 or x < y:
            return {"text": f"{x} + {y} =", "answer": str(x + y), "kind": "fraction"}
        return {"text": f"{x} − {y} =", "answer": str(x - y), "kind": "fraction"}
    raise ValueError(f"unknown kind {kind!r}")


def generate(kind: str, count: int, top: int, seed: int) -> list[dict]:
    """count problems, avoiding exact repeats until the range runs out of new ones."""
    rng, seen, out = random.Random(seed), set(), []
    for attempt in range(count * 60):
        if len(out) == count:
            break
        p = one(kind, rng, top)
        if p["text"] not in seen or attempt >= count * 30:
            seen.add(p["text"])
            out.append({"no": len(out) + 1, **p})
    return out


def evaluate(text: str):
    """Recompute a problem's answer from its text, independently of the generator."""
    left = text.rstrip("= ").replace("−", "-").replace("×", "*").replace("÷", "/")
    a, op, b = left.split(" ")
    x, y = Fraction(a), Fraction(b)
    value = {"+": lambda: x + y, "-": lambda: x - y, "*": lambda: x * y, "/": lambda: x / y}[op]()
    return int(value) if value.denominator == 1 and "/" not in a + b else str(value)


def mark(problems: list[dict], answers: list[str]) -> dict:
    """Compare a child's answers with the key (fractions may be unsimplified: 2/4 counts for 1/2)."""
    results = []
    for p, given in zip(problems, answers, strict=False):
        try:
            ok = Fraction(str(given).strip()) == Fraction(str(p["answer"]))
        except (ValueError, ZeroDivisionError):
            ok = False
        results.append({"no": p["no"], "text": p["text"], "given": given, "answer": p["answer"], "correct": ok})
    right = sum(r["correct"] for r in results)
    return {"total": len(problems), "answered": len(results), "correct": right,
            "score_pct": round(right / len(problems) * 100, 1) if problems else 0,
            "wrong": [r for r in results if not r["correct"]]}


def write_docx(problems: list[dict], path: Path, title: str, key: bool, cols: int = 4) -> None:
    """A table of problems (or answers), `cols` per row, large font for children."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.add_heading(title + ("（答案）" if key else ""), level=1)
    if not key:
        doc.add_paragraph("姓名：________  日期：________  用时：________  得分：________")
    table = doc.add_table(rows=0, cols=cols)
    for i in range(0, len(problems), cols):
        cells = table.add_row().cells
        for cell, p in zip(cells, problems[i : i + cols], strict=False):
            run = cell.paragraphs[0].add_run(f"{p['no']}. {p['text']} {p['answer'] if key else '____'}")
            run.font.size = Pt(14)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)


def main(argv: list[str] | None = None) -> None:
    """generate / mark; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="JSON output (always on)")
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", parents=[common])
    g.add_argument("--kind", default="addsub",
                   choices=["add", "sub", "addsub", "mul", "div", "table", "mixed", "column", "fraction"])
    g.add_argument("--count", type=int, default=50)
    g.add_argument("--max", type=int, default=20, help="largest number appearing (operands and results)")
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--out", type=Path, help="save the problems JSON (needed for marking later)")
    g.add_argument("--docx", type=Path, help="printable sheet; the key goes next to it as *_答案.docx")
    g.add_argument("--title", default="口算练习")
    m = sub.add_parser("mark", parents=[common])
    m.add_argument("problems", type=Path)
    m.add_argument("answers", nargs="+", help="the child's answers in order")
    a = p.parse_args(argv)
    try:
        if a.cmd == "generate":
            probs = generate(a.kind, a.count, a.max, a.seed)
            if a.out:
                a.out.write_text(json.dumps(probs, ensure_ascii=False, indent=1), encoding="utf-8")
            if a.docx:
                write_docx(probs, a.docx, a.title, False)
                write_docx(probs, a.docx.with_name(a.docx.stem + "_答案.docx"), a.title, True)
            result = {"count": len(probs), "problems": probs, "out": str(a.out) if a.out else None,
                      "docx": str(a.docx) if a.docx else None}
        else:
            result = mark(json.loads(a.problems.read_text(encoding="utf-8")), a.answers)
    except (OSError, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
