"""Clean a messy table and log every change.

Usage:
  clean.py FILE --out CLEAN.xlsx [--log LOG.csv] [--sheet S] [--encoding E] [--json]
           [--no-trim] [--no-dedupe] [--no-dates] [--no-numbers] [--no-unmerge]
           [--dates COL,COL] [--numbers COL,COL] [--dayfirst] [--dedupe-on COL,COL]
           [--split COL:SEP:NEW1,NEW2] [--outliers COL,COL]
Steps (in this order): unmerge Excel merged cells (fill the value down), trim spaces, unify dates to
YYYY-MM-DD, turn number-like text ("1,234", "¥5.00", "12%") into numbers, drop duplicate rows,
split a column, flag outliers (outside 1.5 IQR) in a new column. The input file is never modified.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date, timedelta
from pathlib import Path

# the shared helpers live in the spreadsheet-analysis skill, shipped alongside this one
sys.path.append(str(Path(__file__).resolve().parents[2] / "spreadsheet-analysis" / "scripts"))
from tableio import EXCEL_SUFFIXES, emit, need_columns, read_table, run, write_table  # noqa: E402

DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*$")
DMY_RE = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
COMPACT_RE = re.compile(r"^\s*(20\d{2}|19\d{2})(\d{2})(\d{2})\s*$")
NUMBER_RE = re.compile(r"^\s*[¥￥$€£]?\s*([-+]?[\d,]*\.?\d+)\s*(%|元|万)?\s*$")
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (it wrongly treats 1900 as a leap year)


class Log:
    """Every change the cleaner made, one row each."""

    def __init__(self):
        self.rows: list[dict] = []

    def add(self, step, row, column, before, after):
        """Record one change (row numbers are 1-based data rows)."""
        self.rows.append({"step": step, "row": row, "column": column, "before": before, "after": after})


def parse_date(value, dayfirst=False):
    """An ISO date string for text like 2024/3/5, 2024年3月5日, 20240305, 05/03/2024 or an Excel serial."""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text) and 20000 <= float(text) <= 80000:  # an Excel serial day number
        return (EXCEL_EPOCH + timedelta(days=int(float(text)))).isoformat()
    m = DATE_RE.match(text) or COMPACT_RE.match(text)
    if m:
        y, mo, d = map(int, m.groups())
    elif (m := DMY_RE.match(text)):
        a, b, y = map(int, m.groups())
        d, mo = (a, b) if dayfirst else (b, a)
    else:
        return None
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def parse_number(value):
    """A float for number-like text, else None."""
    m = NUMBER_RE.match(str(value))
    if not m:
        return None
    n = float(m.group(1).replace(",", ""))
    n = n / 100 if m.group(2) == "%" else n * 10000 if m.group(2) == "万" else n
    return int(n) if n.is_integer() else n


def _present(v) -> bool:
    return v is not None and v == v and str(v).strip() != ""


def _share(series, fn) -> float:
    vals = [v for v in series if _present(v)]
    return sum(fn(v) is not None for v in vals) / len(vals) if vals else 0.0


def convert_column(df, col, fn, step, log, **kw):
    """Apply a parser to one column, logging each value it changed."""
    for i, v in df[col].items():
        if not _present(v):
            continue
        new = fn(v, **kw)
        if new is not None and str(new) != str(v):
            log.add(step, i + 1, col, str(v), str(new))
            df.at[i, col] = new


def unmerge(path: Path, sheet, df, log):
    """Fill the blanks left by merged cells in an Excel sheet with the merged value."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    for rng in ws.merged_cells.ranges:
        value = ws.cell(rng.min_row, rng.min_col).value
        for r in range(max(rng.min_row, 2), rng.max_row + 1):  # row 1 is the header
            for c in range(rng.min_col, rng.max_col + 1):
                i, col = r - 2, df.columns[c - 1]
                if not _present(df.at[i, col]):
                    df.at[i, col] = value
                    log.add("unmerge", i + 1, col, "", str(value))


def trim(df, log):
    """Strip and collapse whitespace in text cells."""
    for col in df.columns:
        for i, v in df[col].items():
            if isinstance(v, str) and (new := re.sub(r"\s+", " ", v).strip()) != v:
                log.add("trim", i + 1, col, v, new)
                df.at[i, col] = new


def dedupe(df, subset, log):
    """Drop repeated rows, keeping the first."""
    dup = df.duplicated(subset=subset, keep="first")
    for i in df.index[dup]:
        log.add("dedupe", i + 1, ",".join(subset or []) or "*", "duplicate row", "removed")
    return df[~dup]


def split_column(df, spec, log):
    """COL:SEP:NEW1,NEW2 splits one text column into several."""
    col, sep, names = spec.split(":", 2)
    need_columns(df, [col])
    names = names.split(",")
    parts = df[col].astype(str).str.split(sep, n=len(names) - 1, expand=True)
    for k, name in enumerate(names):
        df[name] = parts[k].str.strip() if k in parts else None
    log.add("split", None, col, sep, ",".join(names))


def flag_outliers(df, cols, log):
    """Mark values outside 1.5 interquartile ranges in an _outlier column (nothing is removed)."""
    import pandas as pd

    df["_outlier"] = ""
    for col in cols:
        s = pd.to_numeric(df[col], errors="coerce")
        q1, q3 = s.quantile(0.25), s.quantile(0.75)
        lo, hi = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
        for i in s.index[(s < lo) | (s > hi)]:
            df.at[i, "_outlier"] = (df.at[i, "_outlier"] + " " + col).strip()
            log.add("outlier", i + 1, col, str(df.at[i, col]), f"outside [{lo:g}, {hi:g}]")


def pick(df, explicit, auto_on, fn, threshold):
    """The columns a step applies to: named ones, or those where most values parse."""
    if explicit:
        return need_columns(df, explicit)
    if not auto_on:
        return []
    return [c for c in df.columns if df[c].dtype == object and _share(df[c], fn) >= threshold]


def clean(a, log: Log):
    """Run the steps chosen on the command line and return the cleaned table."""
    path = Path(a.file)
    df = read_table(path, sheet=a.sheet, encoding=a.encoding).astype(object)
    if not a.no_unmerge and path.suffix.lower() in EXCEL_SUFFIXES:
        unmerge(path, a.sheet, df, log)
    if not a.no_trim:
        trim(df, log)
    for col in pick(df, a.dates, not a.no_dates, parse_date, 0.6):
        convert_column(df, col, parse_date, "date", log, dayfirst=a.dayfirst)
    for col in pick(df, a.numbers, not a.no_numbers, parse_number, 0.8):
        convert_column(df, col, parse_number, "number", log)
    if not a.no_dedupe:
        df = dedupe(df, need_columns(df, a.dedupe_on) if a.dedupe_on else None, log).reset_index(drop=True)
    if a.split:
        split_column(df, a.split, log)
    if a.outliers:
        flag_outliers(df, need_columns(df, a.outliers), log)
    return df


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--out", required=True)
    ap.add_argument("--log")
    ap.add_argument("--sheet")
    ap.add_argument("--encoding")
    for flag in ("trim", "dedupe", "dates", "numbers", "unmerge"):
        ap.add_argument(f"--no-{flag}", action="store_true")
    ap.add_argument("--dates")
    ap.add_argument("--numbers")
    ap.add_argument("--dayfirst", action="store_true", help="read 05/03/2024 as 5 March (default: May 3)")
    ap.add_argument("--dedupe-on")
    ap.add_argument("--split")
    ap.add_argument("--outliers")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    log = Log()
    rows_before = len(read_table(a.file, sheet=a.sheet, encoding=a.encoding))
    df = clean(a, log)
    write_table(df, a.out)
    if a.log:
        import pandas as pd

        write_table(pd.DataFrame(log.rows, columns=["step", "row", "column", "before", "after"]), a.log)
    counts: dict[str, int] = {}
    for r in log.rows:
        counts[r["step"]] = counts.get(r["step"], 0) + 1
    emit({"out": a.out, "rows_before": rows_before, "rows_after": len(df), "changes": counts,
          "log": a.log, "sample_changes": log.rows[:20]}, a.json)
    return 0


if __name__ == "__main__":
    run(main)
