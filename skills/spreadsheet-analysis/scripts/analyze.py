"""Profile a table and compute group totals, pivots and period-over-period changes.

Usage:
  analyze.py profile FILE [--sheet S] [--encoding E] [--json]
  analyze.py summarize FILE --by COL[,COL] --value COL[,COL] [--agg sum|mean|count|min|max|median] [--top N]
  analyze.py pivot FILE --index COL --columns COL --value COL [--agg sum]
  analyze.py change FILE --date COL --value COL [--freq M|Q|Y] [--by COL]
Every command accepts --out FILE (.csv/.xlsx/.md/.json) to save the resulting table.
"""

from __future__ import annotations

import argparse

from tableio import InputError, emit, need_columns, read_table, records, run, write_table

AGGS = ("sum", "mean", "count", "min", "max", "median", "nunique")


def profile(df) -> dict:
    """Describe every column: type, missing values, numeric stats or most common values."""
    cols = []
    for name in df.columns:
        s = df[name]
        info = {"column": str(name), "dtype": str(s.dtype), "missing": int(s.isna().sum()),
                "distinct": int(s.nunique())}
        if s.dtype.kind in "if":
            d = s.describe()
            info.update({k: _num(d[k]) for k in ("mean", "std", "min", "max")}, sum=_num(s.sum()))
        else:
            info["top_values"] = {str(k): int(v) for k, v in s.value_counts().head(5).items()}
        cols.append(info)
    return {"rows": len(df), "columns": len(df.columns), "profile": cols,
            "duplicate_rows": int(df.duplicated().sum())}


def _num(x):
    return None if x != x else round(float(x), 6)  # NaN is the only value unequal to itself


def summarize(df, by, value, agg, top) -> object:
    """Group by columns and aggregate value columns, largest first."""
    by, value = need_columns(df, by), need_columns(df, value)
    out = df.groupby(by, dropna=False)[value].agg(agg).reset_index()
    out = out.sort_values(value[0], ascending=False)
    return out.head(top) if top else out


def pivot(df, index, columns, value, agg) -> object:
    """Cross-tabulate value by index rows and column categories with totals."""
    need_columns(df, [index, columns, value])
    import pandas as pd

    return pd.pivot_table(df, index=index, columns=columns, values=value, aggfunc=agg,
                          margins=True, margins_name="合计/Total", fill_value=0).reset_index()


def change(df, date, value, freq, by) -> object:
    """Totals per period with the change from the previous period (and per group with --by)."""
    import pandas as pd

    need_columns(df, [date, value] + ([by] if by else []))
    d = df.copy()
    d[date] = pd.to_datetime(d[date], errors="coerce")
    if d[date].isna().all():
        raise InputError(f"column {date!r} holds no recognisable dates")
    d["period"] = d[date].dt.to_period(freq).astype(str)
    keys = ([by] if by else []) + ["period"]
    out = d.groupby(keys)[value].sum().reset_index().sort_values(keys)
    grouped = out.groupby(by)[value] if by else out[value]
    out["change"] = grouped.diff()
    out["change_pct"] = (grouped.pct_change() * 100).round(2)
    return out


def build_parser() -> argparse.ArgumentParser:
    """Command-line interface."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    cmds = {name: sub.add_parser(name) for name in ("profile", "summarize", "pivot", "change")}
    for p in cmds.values():
        p.add_argument("file")
        p.add_argument("--sheet")
        p.add_argument("--encoding")
        p.add_argument("--out")
        p.add_argument("--json", action="store_true")
    cmds["summarize"].add_argument("--by", required=True)
    cmds["summarize"].add_argument("--value", required=True)
    cmds["summarize"].add_argument("--agg", default="sum", choices=AGGS)
    cmds["summarize"].add_argument("--top", type=int)
    for opt in ("--index", "--columns", "--value"):
        cmds["pivot"].add_argument(opt, required=True)
    cmds["pivot"].add_argument("--agg", default="sum", choices=AGGS)
    cmds["change"].add_argument("--date", required=True)
    cmds["change"].add_argument("--value", required=True)
    cmds["change"].add_argument("--freq", default="M", choices=("M", "Q", "Y"))
    cmds["change"].add_argument("--by")
    return ap


def main() -> int:
    """Entry point."""
    a = build_parser().parse_args()
    df = read_table(a.file, sheet=a.sheet, encoding=a.encoding)
    if a.cmd == "profile":
        emit(profile(df), a.json)
        return 0
    if a.cmd == "summarize":
        table = summarize(df, a.by, a.value, a.agg, a.top)
    elif a.cmd == "pivot":
        table = pivot(df, a.index, a.columns, a.value, a.agg)
    else:
        table = change(df, a.date, a.value, a.freq, a.by)
    result = {"rows": len(table), "table": records(table)}
    if a.out:
        result["saved"] = str(write_table(table, a.out))
    emit(result, a.json)
    return 0


if __name__ == "__main__":
    run(main)
