"""Stack many same-layout tables into one, or split one table into a file or sheet per group.

Usage:
  merge_split.py merge INPUT [INPUT ...] --out ALL.xlsx [--all-sheets] [--source-col 来源] [--json]
      INPUT is a file or a folder (every .csv/.tsv/.xlsx/.xls inside, sorted by name).
  merge_split.py split FILE --by 部门 --out-dir DIR [--format xlsx|csv] [--json]
  merge_split.py split FILE --by 部门 --sheets OUT.xlsx     (one sheet per group in one workbook)
Columns are matched by header name; files whose headers differ are reported, never silently dropped.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

# the shared helpers live in the spreadsheet-analysis skill, shipped alongside this one
sys.path.append(str(Path(__file__).resolve().parents[2] / "spreadsheet-analysis" / "scripts"))
from tableio import (  # noqa: E402
    EXCEL_SUFFIXES,
    TEXT_SUFFIXES,
    InputError,
    emit,
    need_columns,
    read_table,
    run,
    sheet_names,
    write_table,
)


def expand_inputs(inputs: list[str], out: str | None) -> list[Path]:
    """Files named directly plus the tables inside named folders (the output file is skipped)."""
    files: list[Path] = []
    for item in map(Path, inputs):
        if item.is_dir():
            files += sorted(p for p in item.iterdir()
                            if p.suffix.lower() in EXCEL_SUFFIXES | TEXT_SUFFIXES and not p.name.startswith("~$"))
        elif item.is_file():
            files.append(item)
        else:
            raise InputError(f"not found: {item}")
    skip = Path(out).resolve() if out else None
    return [f for f in files if f.resolve() != skip]


def merge(a) -> dict:
    """Concatenate the inputs, adding a source column, and report header mismatches."""
    import pandas as pd

    frames, parts, layouts = [], [], {}
    for f in expand_inputs(a.inputs, a.out):
        sheets = sheet_names(f) if a.all_sheets and f.suffix.lower() in EXCEL_SUFFIXES else [None]
        for sheet in sheets:
            df = read_table(f, sheet=sheet)
            label = f.name if sheet is None else f"{f.name}:{sheet}"
            df.insert(0, a.source_col, label)
            frames.append(df)
            parts.append({"source": label, "rows": len(df)})
            layouts.setdefault(tuple(map(str, df.columns[1:])), []).append(label)
    if not frames:
        raise InputError("no tables to merge")
    merged = pd.concat(frames, ignore_index=True)
    write_table(merged, a.out)
    result = {"out": a.out, "rows": len(merged), "inputs": parts, "columns": list(map(str, merged.columns))}
    if len(layouts) > 1:
        result["warning"] = "inputs have different headers; missing cells are left empty"
        result["layouts"] = [{"columns": list(k), "sources": v} for k, v in layouts.items()]
    return result


def safe_name(value) -> str:
    """A file/sheet-safe name for a group value."""
    name = re.sub(r'[\\/:*?"<>|\[\]]+', "_", str(value)).strip() or "blank"
    return name[:31]  # Excel's sheet-name limit; also keeps file names short


def split(a) -> dict:
    """Write one file (or sheet) per distinct value of the --by column."""
    df = read_table(a.file, sheet=a.sheet)
    need_columns(df, [a.by])
    groups = [(safe_name(k), g) for k, g in df.groupby(a.by, sort=True, dropna=False)]
    if a.sheets:
        import pandas as pd

        with pd.ExcelWriter(a.sheets) as xl:
            for name, g in groups:
                g.to_excel(xl, sheet_name=name, index=False)
        return {"out": a.sheets, "groups": [{"sheet": n, "rows": len(g)} for n, g in groups]}
    if not a.out_dir:
        raise InputError("split needs --out-dir or --sheets")
    stem = Path(a.file).stem
    outs = [{"file": str(write_table(g, Path(a.out_dir) / f"{stem}_{n}.{a.format}")), "rows": len(g)}
            for n, g in groups]
    return {"out_dir": a.out_dir, "groups": outs, "rows": len(df)}


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("merge")
    m.add_argument("inputs", nargs="+")
    m.add_argument("--out", required=True)
    m.add_argument("--all-sheets", action="store_true")
    m.add_argument("--source-col", default="来源文件")
    s = sub.add_parser("split")
    s.add_argument("file")
    s.add_argument("--by", required=True)
    s.add_argument("--sheet")
    s.add_argument("--out-dir")
    s.add_argument("--sheets")
    s.add_argument("--format", default="xlsx", choices=("xlsx", "csv"))
    for p in (m, s):
        p.add_argument("--json", action="store_true")
    a = ap.parse_args()
    emit(merge(a) if a.cmd == "merge" else split(a), a.json)
    return 0


if __name__ == "__main__":
    run(main)
