#!/usr/bin/env python3
"""Transform copied text: tables (TSV/CSV) to Markdown/CSV/Excel, plain text, links, emails, numbers, phones, de-duplicated lines.

Reads --text, --file or the clipboard (--from-clipboard) and can put the result back (--to-clipboard).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

LINK_RE = re.compile(r"https?://[^\s<>\"'）)，。]+", re.IGNORECASE)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NUMBER_RE = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
PHONE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")


def rows_of(text: str) -> list[list[str]]:
    """Cells of a copied table: tabs (Excel, web tables) first, else CSV, else runs of 2+ spaces."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if any("\t" in line for line in lines):
        return [line.split("\t") for line in lines]
    if any("," in line for line in lines):
        return [row for row in csv.reader(lines)]
    return [re.split(r"\s{2,}", line.strip()) for line in lines]


def markdown_table(rows: list[list[str]]) -> str:
    """A GitHub-style table; the first row is the header, ragged rows are padded, pipes escaped."""
    width = max(len(r) for r in rows)
    cells = [[c.strip().replace("|", "\\|") for c in r] + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in cells[1:]])


def plain(text: str) -> str:
    """Formatting noise removed: odd spaces, zero-width characters, trailing blanks, runs of empty lines."""
    text = unicodedata.normalize("NFKC", text).replace("\u200b", "").replace("\ufeff", "")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def transform(op: str, text: str) -> str:
    """The result text of one operation."""
    if op == "markdown":
        return markdown_table(rows_of(text))
    if op == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows_of(text))
        return buf.getvalue().rstrip("\n")
    if op == "tsv":
        return "\n".join("\t".join(r) for r in rows_of(text))
    if op == "plain":
        return plain(text)
    if op == "dedupe-lines":
        return "\n".join(unique([line.rstrip() for line in text.splitlines() if line.strip()]))
    pattern = {"links": LINK_RE, "emails": EMAIL_RE, "numbers": NUMBER_RE, "phones": PHONE_RE}[op]
    return "\n".join(unique(m.group(0) for m in pattern.finditer(text)))


def clipboard():
    """pyperclip, which the app already ships; on Linux it needs xclip, xsel or wl-clipboard."""
    import pyperclip

    return pyperclip


def copy(text: str) -> None:
    """Put text on the clipboard with our stdout/stderr detached from the helper program.

    xclip and xsel stay running to serve the clipboard; if they inherited our output pipes, whoever runs this script
    would wait for them to close and hang.
    """
    import os

    sys.stdout.flush()
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        clipboard().copy(text)
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, null):
            os.close(fd)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad input, 3 clipboard unavailable."""
    ops = ["markdown", "csv", "tsv", "xlsx", "plain", "links", "emails", "numbers", "phones", "dedupe-lines"]
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("op", choices=ops)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--text")
    src.add_argument("--file")
    src.add_argument("--from-clipboard", action="store_true")
    ap.add_argument("--to-clipboard", action="store_true", help="replace the clipboard with the result")
    ap.add_argument("--out", help="xlsx: the workbook to write; others: also save the result here")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    try:
        text = a.text if a.text is not None else Path(a.file).read_text(encoding="utf-8") if a.file else clipboard().paste()
    except Exception as exc:  # pyperclip raises its own exception types when no clipboard program exists
        print(json.dumps({"error": f"cannot read the clipboard: {exc}"}, ensure_ascii=False))
        return 3
    if not text.strip():
        print(json.dumps({"error": "the input is empty (nothing copied?)"}))
        return 2
    if a.op == "xlsx":
        from openpyxl import Workbook

        if not a.out:
            ap.error("xlsx needs --out file.xlsx")
        wb = Workbook()
        for row in rows_of(text):
            wb.active.append([float(c) if re.fullmatch(r"-?\d+(\.\d+)?", c.strip()) else c for c in row])
        wb.save(a.out)
        result = f"saved {a.out}"
    else:
        result = transform(a.op, text)
        if a.out:
            Path(a.out).write_text(result + "\n", encoding="utf-8")
    if a.to_clipboard and a.op != "xlsx":
        try:
            copy(result)
        except Exception as exc:
            print(json.dumps({"error": f"cannot write the clipboard: {exc}", "result": result}, ensure_ascii=False))
            return 3
    report = {"op": a.op, "chars_in": len(text), "result": result, "copied": bool(a.to_clipboard and a.op != "xlsx")}
    print(json.dumps(report, ensure_ascii=False, indent=1) if a.json else result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
