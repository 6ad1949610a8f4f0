#!/usr/bin/env python3
"""Compare two versions of a document (docx, pdf, txt, md) paragraph by paragraph; optional redline .docx."""
from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
from pathlib import Path


class CompareError(Exception):
    """A problem the user can act on."""


def paragraphs(path: Path) -> list[str]:
    """Non-empty paragraphs (table cells included for docx) with whitespace normalised."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from docx import Document

        doc = Document(path)
        items = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            items += [" | ".join(c.text for c in row.cells) for row in table.rows]
    elif suffix == ".pdf":
        items = pdf_paragraphs(path)
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        items = text.splitlines()
    return [re.sub(r"\s+", " ", p).strip() for p in items if p.strip()]


def pdf_paragraphs(path: Path) -> list[str]:
    """Lines of a text PDF; pdfplumber when present, else pypdf."""
    try:
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            return [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    except ImportError:
        from pypdf import PdfReader

        return [line for page in PdfReader(path).pages for line in (page.extract_text() or "").splitlines()]


def inline_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pieces; character level so Chinese (no spaces) diffs well too."""
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out = []
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "equal":
            out.append(("=", old[a1:a2]))
        else:
            if a2 > a1:
                out.append(("-", old[a1:a2]))
            if b2 > b1:
                out.append(("+", new[b1:b2]))
    return out


def walk(old: list[str], new: list[str], threshold: float):
    """Yield (kind, old_index, new_index) in document order: equal, changed, deleted, inserted (1-based indexes)."""
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "equal":
            yield from (("equal", a1 + k + 1, b1 + k + 1) for k in range(a2 - a1))
            continue
        paired = 0
        if op == "replace":  # pair similar paragraphs as edits; the rest are whole deletions/insertions
            for o, n in zip(old[a1:a2], new[b1:b2], strict=False):
                if difflib.SequenceMatcher(None, o, n, autojunk=False).ratio() < threshold:
                    break
                paired += 1
                yield "changed", a1 + paired, b1 + paired
        yield from (("deleted", a1 + k + 1, None) for k in range(paired, a2 - a1))
        yield from (("inserted", None, b1 + k + 1) for k in range(paired, b2 - b1))


def compare(old: list[str], new: list[str], threshold: float) -> list[dict]:
    """Inserted, deleted and changed paragraphs with their positions and an inline diff for edits."""
    changes = []
    for kind, i, j in walk(old, new, threshold):
        if kind == "changed":
            changes.append({"kind": kind, "old_index": i, "new_index": j, "old": old[i - 1], "new": new[j - 1],
                            "detail": describe(inline_diff(old[i - 1], new[j - 1]))})
        elif kind == "deleted":
            changes.append({"kind": kind, "old_index": i, "old": old[i - 1]})
        elif kind == "inserted":
            changes.append({"kind": kind, "new_index": j, "new": new[j - 1]})
    return changes


def describe(pieces: list[tuple[str, str]]) -> str:
    """Compact '[-old-]{+new+}' rendering of an inline diff."""
    return "".join(t if op == "=" else (f"[-{t}-]" if op == "-" else f"{{+{t}+}}") for op, t in pieces)


def pieces_for(kind: str, old_text: str, new_text: str) -> list[tuple[str, str]]:
    """Runs to write for one paragraph of the redline."""
    if kind == "changed":
        return inline_diff(old_text, new_text)
    if kind == "deleted":
        return [("-", old_text)]
    return [("+" if kind == "inserted" else "=", new_text)]


def redline(old: list[str], new: list[str], threshold: float, out: Path) -> None:
    """A Word file in reading order: deletions struck through in red, insertions underlined in blue."""
    from docx import Document
    from docx.shared import RGBColor

    doc = Document()
    doc.add_heading("文档比对结果 / Comparison", level=1)
    for kind, i, j in walk(old, new, threshold):
        pieces = pieces_for(kind, old[i - 1] if i else "", new[j - 1] if j else "")
        p = doc.add_paragraph()
        for op, text in pieces:
            r = p.add_run(text)
            if op == "-":
                r.font.strike, r.font.color.rgb = True, RGBColor(0xC0, 0x00, 0x00)
            elif op == "+":
                r.font.underline, r.font.color.rgb = True, RGBColor(0x00, 0x44, 0xCC)
    doc.save(out)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("old", help="earlier version")
    ap.add_argument("new", help="later version")
    ap.add_argument("--redline", help="also write a marked-up .docx here")
    ap.add_argument("--similarity", type=float, default=0.5, help="0-1: how alike two paragraphs must be to count as 'changed'")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        old, new = (paragraphs(Path(p).expanduser()) for p in (args.old, args.new))
        changes = compare(old, new, args.similarity)
        if args.redline:
            redline(old, new, args.similarity, Path(args.redline))
    except (CompareError, OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    counts = {k: sum(1 for c in changes if c["kind"] == k) for k in ("inserted", "deleted", "changed")}
    print(json.dumps({"ok": True, "identical": not changes, "counts": counts, "changes": changes,
                      "redline": args.redline}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
