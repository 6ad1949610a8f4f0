"""Table input/output shared by the data skills' scripts.

Lives here, in the spreadsheet-analysis skill; the other data skills' scripts add this folder to
sys.path (bundled skills ship together), so there is one copy to maintain.
Exit codes used by the scripts: 0 ok, 2 bad input or arguments, 3 missing optional package.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from pathlib import Path

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}


class InputError(Exception):
    """A file or argument the script cannot work with (exit code 2)."""


def detect_encoding(raw: bytes) -> str:
    """Guess a text encoding, preferring UTF-8 and then GB18030 (a superset of GBK/GB2312)."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for enc in ("utf-8", "gb18030"):
        try:
            # final=False: a sample may end in the middle of a multi-byte character.
            codecs.getincrementaldecoder(enc)().decode(raw, final=False)
            return enc
        except UnicodeDecodeError:
            continue
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return "latin-1"
    best = from_bytes(raw).best()
    return best.encoding if best else "latin-1"


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Read a text file, returning (text, encoding used)."""
    raw = path.read_bytes()
    enc = encoding or detect_encoding(raw[:1_000_000])
    return raw.decode(enc, errors="replace"), enc


def sniff_delimiter(text: str, suffix: str) -> str:
    """Pick the delimiter of a delimited text table."""
    if suffix in (".tsv", ".tab"):
        return "\t"
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def read_table(path: str | Path, sheet: str | int | None = None, encoding: str | None = None,
               as_text: bool = False):
    """Load CSV/TSV/Excel/JSON into a DataFrame; as_text keeps every cell as the exact string."""
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise InputError(f"file not found: {p}")
    suffix = p.suffix.lower()
    opts = {"dtype": str, "keep_default_na": False} if as_text else {}
    if suffix in EXCEL_SUFFIXES:
        return pd.read_excel(p, sheet_name=0 if sheet is None else sheet, **opts)
    if suffix == ".json":
        return pd.read_json(io.StringIO(read_text(p, encoding)[0]), orient="records", dtype=not as_text,
                            convert_dates=not as_text)
    text, _ = read_text(p, encoding)
    return pd.read_csv(io.StringIO(text), sep=sniff_delimiter(text, suffix), **opts)


def need_columns(df, columns) -> list[str]:
    """Check that the named columns exist (comma-separated string or list) and return them."""
    cols = [c.strip() for c in columns.split(",")] if isinstance(columns, str) else list(columns)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(f"no such column(s): {missing}; columns are {list(map(str, df.columns))}")
    return cols


def sheet_names(path: str | Path) -> list[str]:
    """Sheet names of an Excel file, or one pseudo-sheet for text tables."""
    p = Path(path)
    if p.suffix.lower() not in EXCEL_SUFFIXES:
        return [p.stem]
    import openpyxl

    wb = openpyxl.load_workbook(p, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def write_table(df, path: str | Path, encoding: str = "utf-8-sig") -> Path:
    """Write a DataFrame by file extension; CSV gets a BOM by default so Excel shows Chinese correctly."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    suffix = p.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        df.to_excel(p, index=False)
    elif suffix == ".json":
        p.write_text(df.to_json(orient="records", force_ascii=False, indent=1), encoding="utf-8")
    elif suffix in (".md", ".markdown"):
        p.write_text(df.to_markdown(index=False) if _has_tabulate() else _markdown(df), encoding="utf-8")
    else:
        df.to_csv(p, index=False, sep="\t" if suffix in (".tsv", ".tab") else ",", encoding=encoding)
    return p


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


def _markdown(df) -> str:
    cells = [[str(c) for c in df.columns]] + [["" if v is None else str(v) for v in row] for row in df.values]
    esc = [[c.replace("|", "\\|").replace("\n", " ") for c in row] for row in cells]
    lines = ["| " + " | ".join(esc[0]) + " |", "|" + "---|" * len(esc[0])]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in esc[1:]]) + "\n"


def records(df) -> list[dict]:
    """Rows as JSON-safe dicts (missing values become null, dates ISO strings)."""
    return json.loads(df.to_json(orient="records", force_ascii=False, date_format="iso"))


def emit(result: dict, as_json: bool) -> None:
    """Print a result for the model: JSON with --json, else a readable summary."""
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        return
    for key, value in result.items():
        if isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False, default=str)
        print(f"{key}: {value}")


def run(main) -> None:
    """Run a script's main(), turning known failures into clear messages and exit codes."""
    try:
        sys.exit(main())
    except InputError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False), file=sys.stderr)
        sys.exit(2)
    except ImportError as exc:  # e.g. xlrd for old .xls files, or an optional extra
        name = getattr(exc, "name", None)
        hint = {"error": f"missing package: {name}", "install": f"pip install {name}"} if name else {"error": str(exc)}
        print(json.dumps(hint, ensure_ascii=False), file=sys.stderr)
        sys.exit(3)
