"""Convert a table between CSV, TSV, Excel, JSON, Markdown and HTML without changing its cells.

Usage:
  convert.py IN OUT [--sheet S] [--encoding E] [--out-encoding utf-8-sig|utf-8|gbk] [--table N] [--json]
Formats come from the file extensions (.csv .tsv .txt .xlsx .xls .json .md .html/.htm).
Cells are carried as text, so leading zeros, long ID numbers and dates survive the trip; when writing
Excel, plain numbers (no leading zero, at most 15 digits) become real numbers so Excel can sum them.
--table picks the Nth table (from 1) of an HTML or Markdown input.
"""

from __future__ import annotations

import argparse
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

# the shared helpers live in the spreadsheet-analysis skill, shipped alongside this one
sys.path.append(str(Path(__file__).resolve().parents[2] / "spreadsheet-analysis" / "scripts"))
from tableio import InputError, emit, read_table, read_text, run, write_table  # noqa: E402

NUMERIC = re.compile(r"^-?(0|[1-9]\d{0,14})(\.\d+)?$")


class _Tables(HTMLParser):
    """Collects the cell text of every <table> in a page."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def frame(rows: list[list[str]]):
    """A DataFrame from rows whose first row is the header."""
    import pandas as pd

    rows = [r for r in rows if r]
    if not rows:
        raise InputError("the table is empty")
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return pd.DataFrame(rows[1:], columns=rows[0])


def read_markdown(text: str, index: int):
    """The Nth pipe table of a Markdown text."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.strip().startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    if len(tables) < index:
        raise InputError(f"found {len(tables)} Markdown table(s), asked for number {index}")
    rows = []
    for line in tables[index - 1]:
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells):  # skip the |---| separator row
            rows.append(cells)
    return frame(rows)


def read_any(path: Path, a):
    """Read the input as text cells, whatever its format."""
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        return read_markdown(read_text(path, a.encoding)[0], a.table)
    if suffix in (".html", ".htm"):
        parser = _Tables()
        parser.feed(read_text(path, a.encoding)[0])
        if len(parser.tables) < a.table:
            raise InputError(f"found {len(parser.tables)} HTML table(s), asked for number {a.table}")
        return frame(parser.tables[a.table - 1])
    return read_table(path, sheet=a.sheet, encoding=a.encoding, as_text=True)


def write_any(df, out: Path, encoding: str):
    """Write by extension; Excel gets real numbers, HTML a plain escaped table."""
    suffix = out.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        df = df.apply(lambda col: col.map(lambda v: (float(v) if "." in v else int(v)) if NUMERIC.match(v) else v))
    if suffix in (".html", ".htm"):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(df.to_html(index=False, border=1, na_rep=""), encoding="utf-8")
        return out
    return write_table(df, out, encoding=encoding)


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--sheet")
    ap.add_argument("--encoding")
    ap.add_argument("--out-encoding", default="utf-8-sig", help="CSV/TSV only; gbk suits very old Excel")
    ap.add_argument("--table", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    src, out = Path(a.input), Path(a.output)
    if not src.is_file():
        raise InputError(f"file not found: {src}")
    df = read_any(src, a).fillna("")
    write_any(df, out, a.out_encoding)
    emit({"input": str(src), "output": str(out), "rows": len(df), "columns": list(map(str, df.columns))}, a.json)
    return 0


if __name__ == "__main__":
    run(main)
