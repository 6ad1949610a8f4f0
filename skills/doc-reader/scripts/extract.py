#!/usr/bin/env python3
"""Extract text, tables and section structure from PDF, DOCX, PPTX, XLSX, EPUB, HTML and text files."""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path


class ExtractError(Exception):
    """A problem the user can act on."""


class _HTMLText(HTMLParser):
    """Collect readable text and headings from HTML/XHTML, skipping scripts and styles."""

    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table"}

    def __init__(self):
        super().__init__()
        self.out: list[str] = []
        self.skip = 0
        self.heading: int | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1
        if tag in self.BLOCK:
            self.out.append("\n")
        if re.fullmatch(r"h[1-6]", tag):
            self.heading = int(tag[1])
            self.out.append("#" * self.heading + " ")
        if tag in ("td", "th"):
            self.out.append(" | ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        if tag in self.BLOCK:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        return re.sub(r"\n\s*\n+", "\n\n", "".join(self.out)).strip()


def html_text(markup: str) -> str:
    """Readable Markdown-ish text of an HTML document."""
    parser = _HTMLText()
    parser.feed(markup)
    return parser.text()


def read_text_file(path: Path) -> str:
    """Decode a plain-text file (UTF-8, else GB18030)."""
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def pdf_sections(path: Path, password: str | None) -> list[dict]:
    """One section per page; pdfplumber when installed (better layout), else pypdf."""
    try:
        import pdfplumber

        with pdfplumber.open(path, password=password or "") as pdf:
            return [{"title": f"Page {i}", "page": i, "text": page.extract_text() or ""}
                    for i, page in enumerate(pdf.pages, 1)]
    except ImportError:
        pass
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(password or ""):
        raise ExtractError("the PDF is password-protected; ask the user for the password (--password)")
    return [{"title": f"Page {i}", "page": i, "text": page.extract_text() or ""} for i, page in enumerate(reader.pages, 1)]


def docx_sections(path: Path) -> list[dict]:
    """Split at headings; tables become Markdown-style rows in place."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(path)
    sections = [{"title": "(start)", "text": ""}]
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, doc)
            style = p.style.name if p.style is not None else ""
            if style.startswith(("Heading", "Title")) and p.text.strip():
                sections.append({"title": p.text.strip(), "level": heading_level(style), "text": ""})
            elif p.text.strip():
                sections[-1]["text"] += p.text + "\n"
        elif tag == "tbl":
            sections[-1]["text"] += table_markdown([[c.text for c in r.cells] for r in Table(child, doc).rows])
    return [s for s in sections if s["text"] or s["title"] != "(start)"]


def heading_level(style: str) -> int:
    """'Heading 2' → 2, 'Title' → 0."""
    digits = re.findall(r"\d+", style)
    return int(digits[0]) if digits else 0


def table_markdown(rows: list[list]) -> str:
    """Rows as a pipe table."""
    if not rows:
        return ""
    clean = [[str("" if v is None else v).replace("\n", " ").strip() for v in r] for r in rows]
    lines = ["| " + " | ".join(clean[0]) + " |", "|" + "---|" * len(clean[0])]
    lines += ["| " + " | ".join(r) + " |" for r in clean[1:]]
    return "\n".join(lines) + "\n"


def pptx_sections(path: Path) -> list[dict]:
    """One section per slide, with its notes."""
    from pptx import Presentation

    out = []
    for i, slide in enumerate(Presentation(path).slides, 1):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()]
        for shape in slide.shapes:
            if shape.has_table:
                texts.append(table_markdown([[c.text for c in r.cells] for r in shape.table.rows]))
        title = slide.shapes.title.text if slide.shapes.title is not None and slide.shapes.title.text else f"Slide {i}"
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        out.append({"title": title, "slide": i, "text": "\n".join(texts) + (f"\n[notes] {notes}" if notes else "")})
    return out


def xlsx_sections(path: Path, max_rows: int) -> list[dict]:
    """One section per sheet, as a pipe table of at most max_rows rows."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    out = []
    for ws in wb.worksheets:
        rows = [list(r) for _, r in zip(range(max_rows), ws.iter_rows(values_only=True), strict=False)]
        rows = [r for r in rows if any(v is not None for v in r)]
        out.append({"title": ws.title, "text": table_markdown(rows), "rows_shown": len(rows)})
    return out


def epub_sections(path: Path) -> list[dict]:
    """Chapters in spine order (falls back to file order)."""
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.lower().endswith((".xhtml", ".html", ".htm"))]
        opf = next((n for n in z.namelist() if n.endswith(".opf")), None)
        if opf:
            text = z.read(opf).decode("utf-8", "ignore")
            manifest = dict(re.findall(r'<item[^>]*id="([^"]+)"[^>]*href="([^"]+)"', text))
            base = opf.rsplit("/", 1)[0] + "/" if "/" in opf else ""
            spine = [base + manifest[i] for i in re.findall(r'<itemref[^>]*idref="([^"]+)"', text) if i in manifest]
            names = [n for n in spine if n in z.namelist()] or names
        chapters = [(n, html_text(z.read(n).decode("utf-8", "ignore"))) for n in names]
    return [{"title": first_line(t) or n, "text": t} for n, t in chapters if t.strip()]


def first_line(text: str) -> str:
    """First non-empty line without Markdown heading marks."""
    for line in text.splitlines():
        if line.strip():
            return line.strip("# ").strip()[:80]
    return ""


def extract(path: Path, password: str | None, max_rows: int) -> list[dict]:
    """Dispatch on the file type."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_sections(path, password)
    if suffix == ".docx":
        return docx_sections(path)
    if suffix == ".pptx":
        return pptx_sections(path)
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_sections(path, max_rows)
    if suffix == ".epub":
        return epub_sections(path)
    if suffix in (".html", ".htm", ".xhtml"):
        return [{"title": path.name, "text": html_text(read_text_file(path))}]
    if suffix in (".doc", ".ppt", ".xls"):
        raise ExtractError(f"old binary {suffix} format: convert it to {suffix}x first (Word/WPS/LibreOffice 'Save as')")
    return [{"title": path.name, "text": read_text_file(path)}]


def find(sections: list[dict], words: list[str], width: int = 80) -> list[dict]:
    """Every hit of any word with its section and surrounding text."""
    hits = []
    for s in sections:
        low = s["text"].lower()
        for w in words:
            for m in re.finditer(re.escape(w.lower()), low):
                a, b = max(0, m.start() - width), m.end() + width
                hits.append({"section": s["title"], "word": w, "context": s["text"][a:b].replace("\n", " ")})
    return hits


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path")
    ap.add_argument("--out", help="write the full text as Markdown here (recommended for long documents)")
    ap.add_argument("--find", nargs="*", default=[], help="words to locate, with context")
    ap.add_argument("--section", help="print only sections whose title contains this text")
    ap.add_argument("--max-chars", type=int, default=12000, help="max characters of text printed")
    ap.add_argument("--max-rows", type=int, default=200, help="rows per sheet for spreadsheets")
    ap.add_argument("--password")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    path = Path(args.path).expanduser()
    try:
        if not path.is_file():
            raise ExtractError(f"not found: {path}")
        sections = extract(path, args.password, args.max_rows)
    except (ExtractError, OSError, zipfile.BadZipFile, ValueError, KeyError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps(summarise(sections, args), ensure_ascii=False, indent=1))


def summarise(sections: list[dict], args: argparse.Namespace) -> dict:
    """Outline, stats, optional search hits and as much text as allowed."""
    full = "\n\n".join(f"## {s['title']}\n\n{s['text'].strip()}" for s in sections)
    chosen = [s for s in sections if not args.section or args.section.lower() in s["title"].lower()]
    text = "\n\n".join(f"## {s['title']}\n\n{s['text'].strip()}" for s in chosen)
    result = {"ok": True, "sections": len(sections), "chars": len(full),
              "outline": [s["title"] for s in sections][:200], "text": text[:args.max_chars],
              "truncated": len(text) > args.max_chars}
    if sum(len(s["text"].strip()) for s in sections) == 0:
        result["warning"] = "no text found: probably a scanned document; it needs OCR"
    if args.find:
        result["hits"] = find(sections, args.find)[:100]
    if args.out:
        Path(args.out).write_text(full, encoding="utf-8")
        result["full_text_file"] = args.out
    return result


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
