"""Mask or pseudonymise personal data (phones, ID numbers, bank cards, emails, names) in a table or text file.

Usage:
  mask.py IN --out OUT [--mode mask|pseudo|hash] [--kinds phone,idcard,bankcard,email,name]
          [--columns COL,COL] [--name-columns 姓名,联系人] [--key-map PRIVATE.csv] [--salt S] [--json]
Files: .csv/.tsv (cells kept as exact text), .xlsx (edited in place in a copy, formatting kept) or any
text file (.txt, .md, .json, .log...). Only matching text changes; every other cell stays as it was.
Modes: mask   13812345678 -> 138****5678, 张三 -> 张*   (irreversible)
       pseudo 13812345678 -> PHONE_0001 (same value, same token); --key-map saves token -> original (keep it private!)
       hash   13812345678 -> PHONE_3f2a9c1b7d (salted SHA-256; the same value always gives the same code)
Names are only found in name columns (header like 姓名/名字/联系人/客户/收件人/name), never guessed in free text.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections import Counter
from pathlib import Path

# the shared helpers live in the spreadsheet-analysis skill, shipped alongside this one
sys.path.append(str(Path(__file__).resolve().parents[2] / "spreadsheet-analysis" / "scripts"))
from tableio import EXCEL_SUFFIXES, TEXT_SUFFIXES, InputError, emit, read_table, read_text, run, write_table  # noqa: E402

PATTERNS = {  # order matters: an 18-digit ID must be taken before the bank-card and phone patterns see it
    "idcard": re.compile(r"(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx]"
                         r"(?![0-9A-Za-z])"),
    "bankcard": re.compile(r"(?<![0-9])(?:\d[ -]?){14,18}\d(?![0-9])"),
    "phone": re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])"),
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),
}
NAME_HEADER = re.compile(r"(姓名|名字|联系人|客户|收件人|收货人|负责人|员工|^name$|full ?name|contact)", re.IGNORECASE)
TAGS = {"idcard": "ID", "bankcard": "CARD", "phone": "PHONE", "email": "EMAIL", "name": "NAME"}


def luhn_ok(digits: str) -> bool:
    """Bank card check digit (Luhn), so order numbers and the like are left alone."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def star(kind: str, value: str) -> str:
    """Partial masking that keeps enough to recognise the record but not the person."""
    digits = re.sub(r"\D", "", value)
    if kind == "phone":
        return digits[-11:-8] + "****" + digits[-4:]
    if kind == "idcard":
        return value[:3] + "*" * 11 + value[-4:]
    if kind == "bankcard":
        return "*" * (len(digits) - 4) + digits[-4:]
    if kind == "email":
        user, domain = value.split("@", 1)
        return user[:1] + "***@" + domain
    if re.search(r"[\u4e00-\u9fff]", value):
        return value[:1] + "*" * (len(value) - 1)
    return " ".join(w[:1] + "*" * (len(w) - 1) for w in value.split())


class Masker:
    """Replaces personal data consistently and remembers what it did."""

    def __init__(self, mode: str, kinds: set[str], salt: str):
        self.mode, self.kinds, self.salt = mode, kinds, salt
        self.tokens: dict[tuple[str, str], str] = {}
        self.counts: Counter = Counter()

    def replace(self, kind: str, value: str) -> str:
        """The masked form of one value."""
        self.counts[kind] += 1
        if self.mode == "mask":
            return star(kind, value)
        if self.mode == "hash":
            return f"{TAGS[kind]}_{hashlib.sha256((self.salt + value).encode()).hexdigest()[:10]}"
        key = (kind, value)
        if key not in self.tokens:
            n = sum(1 for k in self.tokens if k[0] == kind) + 1
            self.tokens[key] = f"{TAGS[kind]}_{n:04d}"
        return self.tokens[key]

    def text(self, value: str) -> str:
        """Mask every match in a piece of text."""
        for kind, pattern in PATTERNS.items():
            if kind in self.kinds:
                value = pattern.sub(lambda m, k=kind: self._hit(k, m.group(0)), value)
        return value

    def _hit(self, kind: str, found: str) -> str:
        if kind == "bankcard" and not luhn_ok(re.sub(r"\D", "", found)):
            return found
        if "*" in found or re.fullmatch(r"[A-Z]+_[0-9a-f]{4,10}", found):
            return found  # already masked
        return self.replace(kind, found)

    def cell(self, value: str, is_name: bool) -> str:
        """Mask one table cell; whole-cell names only in name columns."""
        if not value.strip():
            return value
        if is_name and "name" in self.kinds:
            return self.replace("name", value.strip())
        return self.text(value)


def name_columns(headers, explicit: str | None) -> set[str]:
    """Columns treated as person names."""
    if explicit:
        return {c.strip() for c in explicit.split(",")}
    return {str(h) for h in headers if h is not None and NAME_HEADER.search(str(h))}


def mask_csv(src: Path, out: Path, m: Masker, a) -> dict:
    """CSV/TSV: read every cell as text, write the same layout back."""
    df = read_table(src, encoding=a.encoding, as_text=True)
    names, only = name_columns(df.columns, a.name_columns), set(a.columns.split(",")) if a.columns else None
    changed = Counter()
    for col in df.columns:
        if only and col not in only:
            continue
        new = df[col].map(lambda v, c=col: m.cell(v, c in names))
        changed[col] = int((new != df[col]).sum())
        df[col] = new
    write_table(df, out, encoding="utf-8-sig" if src.suffix.lower() != ".tsv" else "utf-8")
    return {k: v for k, v in changed.items() if v}


def mask_xlsx(src: Path, out: Path, m: Masker, a) -> dict:
    """Excel: change only the matching cells so formats, formulas and other sheets are kept."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    changed = Counter()
    only = set(a.columns.split(",")) if a.columns else None
    for ws in wb.worksheets:
        headers = [c.value for c in next(ws.iter_rows(max_row=1), [])]
        names = name_columns(headers, a.name_columns)
        for row in ws.iter_rows(min_row=2):
            for c in row:
                head = str(headers[c.column - 1]) if c.column - 1 < len(headers) else ""
                if c.value is None or c.data_type == "f" or (only and head not in only):
                    continue
                new = m.cell(str(c.value), head in names)
                if new != str(c.value):
                    c.value = new
                    changed[f"{ws.title}:{head}"] += 1
    wb.save(out)
    return dict(changed)


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("--out", required=True)
    ap.add_argument("--mode", choices=("mask", "pseudo", "hash"), default="mask")
    ap.add_argument("--kinds", default="phone,idcard,bankcard,email,name")
    ap.add_argument("--columns")
    ap.add_argument("--name-columns")
    ap.add_argument("--key-map")
    ap.add_argument("--salt", default="")
    ap.add_argument("--encoding")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    src, out = Path(a.input), Path(a.out)
    if not src.is_file():
        raise InputError(f"file not found: {src}")
    if src.resolve() == out.resolve():
        raise InputError("write the masked copy to a new file; the original is kept")
    m = Masker(a.mode, {k.strip() for k in a.kinds.split(",")}, a.salt)
    suffix = src.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        changed = mask_xlsx(src, out, m, a)
    elif suffix in TEXT_SUFFIXES - {".txt"}:
        changed = mask_csv(src, out, m, a)
    else:
        out.write_text(m.text(read_text(src, a.encoding)[0]), encoding="utf-8")
        changed = {"text": sum(m.counts.values())}
    result = {"out": str(out), "mode": a.mode, "found": dict(m.counts), "changed_cells": changed}
    if a.key_map and m.tokens:
        with open(a.key_map, "w", newline="", encoding="utf-8-sig") as f:
            csv.writer(f).writerows([("token", "kind", "original")] +
                                    [(t, k, v) for (k, v), t in m.tokens.items()])
        result["key_map"] = a.key_map
        result["warning"] = "the key map reverses the masking: keep it private and never share it with the file"
    emit(result, a.json)
    return 0


if __name__ == "__main__":
    run(main)
