"""Summarise a questionnaire export (Wenjuanxing 问卷星, Tencent Survey, Google Forms, any CSV/Excel).

Usage:
  survey.py options FILE [--columns Q1,Q2] [--multi-sep ┋] [--out counts.csv] [--json]
      counts and shares per option; a cell holding the separator is a multi-choice answer
      (shares then use respondents as the base, so they may add up to more than 100%)
  survey.py crosstab FILE --row COL --col COL [--percent row|col|all] [--json]
  survey.py scale FILE --columns Q5,Q6 [--map "非常满意=5,满意=4,一般=3,不满意=2,非常不满意=1"] [--json]
  survey.py text FILE --column COL [--top 20] [--json]      frequent words and sample open answers
Without --columns, options picks the question columns (few distinct values) and skips metadata such as
序号, 提交答卷时间, 所用时间, IP and timestamps. Blank, (跳过) and (空) answers are not counted.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

# the shared helpers live in the spreadsheet-analysis skill, shipped alongside this one
sys.path.append(str(Path(__file__).resolve().parents[2] / "spreadsheet-analysis" / "scripts"))
from tableio import InputError, emit, need_columns, read_table, records, run, write_table  # noqa: E402

META = re.compile(r"^(序号|编号|提交答卷时间|所用时间|来源|来源详情|来自IP|IP|ID|用户ID|开始时间|结束时间|提交时间|答题时长|"
                  r"Timestamp|时间戳|Email Address|电子邮件地址|总分)", re.IGNORECASE)
SKIPPED = {"", "(跳过)", "（跳过）", "(空)", "（空）", "-3", "-2", "nan", "None"}
LIKERT = {"非常满意": 5, "满意": 4, "比较满意": 4, "一般": 3, "不满意": 2, "比较不满意": 2, "非常不满意": 1,
          "非常同意": 5, "同意": 4, "比较同意": 4, "中立": 3, "不同意": 2, "非常不同意": 1,
          "strongly agree": 5, "agree": 4, "neutral": 3, "disagree": 2, "strongly disagree": 1,
          "very satisfied": 5, "satisfied": 4, "dissatisfied": 2, "very dissatisfied": 1}
SEPARATORS = ("┋", "|", ";", "；")


def answered(series):
    """The non-blank answers of one question as stripped strings."""
    s = series.astype(str).str.strip()
    return s[~s.isin(SKIPPED)]


def question_columns(df, sep: str) -> list[str]:
    """Columns that look like closed questions."""
    cols = []
    for c in df.columns:
        s = answered(df[c])
        if META.match(str(c)) or s.empty:
            continue
        if s.str.len().mean() > 12 and s.nunique() > 0.6 * len(s):  # long, mostly unique: an open question
            continue
        if s.str.contains(sep, regex=False).any() or s.nunique() <= 20:
            cols.append(c)
    return cols


def option_counts(df, col, sep: str) -> dict:
    """Counts and percentage shares of each option of one question."""
    s = answered(df[col])
    multi = s.str.contains(sep, regex=False).any()
    picks = Counter(opt.strip() for cell in s for opt in cell.split(sep) if opt.strip()) if multi else Counter(s)
    base = len(s)
    rows = [{"option": k, "count": v, "percent": round(100 * v / base, 2)} for k, v in picks.most_common()]
    return {"question": str(col), "type": "multiple" if multi else "single", "respondents": base, "options": rows}


def crosstab(df, row, col, percent):
    """Counts (or percentages) of one question broken down by another."""
    import pandas as pd

    need_columns(df, [row, col])
    d = df[[row, col]].astype(str).apply(lambda s: s.str.strip())
    d = d[~d[row].isin(SKIPPED) & ~d[col].isin(SKIPPED)]
    norm = {"row": "index", "col": "columns", "all": "all"}.get(percent, False)
    ct = pd.crosstab(d[row], d[col], normalize=norm, margins=not norm)
    return (ct * 100).round(2) if norm else ct


def scale_scores(df, cols, mapping: dict) -> dict:
    """Mean, spread and count of rating items, mapping labels like 满意 to numbers."""
    import pandas as pd

    items = []
    for c in need_columns(df, cols):
        s = answered(df[c])
        scored = pd.to_numeric(s.map(lambda v: mapping.get(v, mapping.get(v.lower(), v))), errors="coerce")
        nums, unmapped = scored.dropna(), sorted(set(s[scored.isna()]))
        items.append({"item": str(c), "n": int(nums.count()), "mean": round(float(nums.mean()), 3),
                      "sd": round(float(nums.std()), 3), "unmapped": unmapped[:10]})
    overall = sum(i["mean"] * i["n"] for i in items) / max(sum(i["n"] for i in items), 1)
    return {"items": items, "overall_mean": round(overall, 3)}


def text_words(df, col, top: int) -> dict:
    """Frequent words (English) and two-character terms (Chinese) in open answers, with samples."""
    s = answered(df[need_columns(df, [col])[0]])
    counts: Counter = Counter()
    for text in s:
        counts.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text))
        for run_ in re.findall(r"[\u4e00-\u9fff]{2,}", text):
            counts.update({run_[i:i + 2] for i in range(len(run_) - 1)})  # once per answer
    return {"question": str(col), "answers": len(s), "top_terms": counts.most_common(top),
            "samples": s.head(15).tolist()}


def parse_map(spec: str | None) -> dict:
    """Label=score pairs from the command line, on top of common Likert labels."""
    mapping = dict(LIKERT)
    for pair in (spec or "").replace("，", ",").split(","):
        if "=" in pair:
            k, v = pair.split("=", 1)
            mapping[k.strip()] = float(v)
    return mapping


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    parsers = {c: sub.add_parser(c) for c in ("options", "crosstab", "scale", "text")}
    for p in parsers.values():
        p.add_argument("file")
        p.add_argument("--sheet")
        p.add_argument("--json", action="store_true")
    parsers["options"].add_argument("--columns")
    parsers["options"].add_argument("--multi-sep", default="┋")
    parsers["options"].add_argument("--out")
    parsers["crosstab"].add_argument("--row", required=True)
    parsers["crosstab"].add_argument("--col", required=True)
    parsers["crosstab"].add_argument("--percent", choices=("row", "col", "all"))
    parsers["scale"].add_argument("--columns", required=True)
    parsers["scale"].add_argument("--map")
    parsers["text"].add_argument("--column", required=True)
    parsers["text"].add_argument("--top", type=int, default=20)
    a = ap.parse_args()
    df = read_table(a.file, sheet=a.sheet, as_text=True)
    if a.cmd == "options":
        cols = need_columns(df, a.columns) if a.columns else question_columns(df, a.multi_sep)
        if not cols:
            raise InputError("no question columns found; name them with --columns")
        result = {"respondents": len(df), "questions": [option_counts(df, c, a.multi_sep) for c in cols]}
        if a.out:
            import pandas as pd

            flat = pd.DataFrame([{"question": q["question"], **o} for q in result["questions"] for o in q["options"]])
            result["saved"] = str(write_table(flat, a.out))
    elif a.cmd == "crosstab":
        ct = crosstab(df, a.row, a.col, a.percent)
        result = {"row": a.row, "col": a.col, "percent": a.percent, "table": records(ct.reset_index())}
    elif a.cmd == "scale":
        result = scale_scores(df, a.columns, parse_map(a.map))
    else:
        result = text_words(df, a.column, a.top)
    emit(result, a.json)
    return 0


if __name__ == "__main__":
    run(main)
