#!/usr/bin/env python3
"""Convert Markdown ↔ Word (.docx) and Markdown ↔ HTML, keeping headings, lists, tables, code blocks and quotes."""
from __future__ import annotations

import argparse
import html
import json
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`|!?\[[^\]]*\]\([^)]+\))")
LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")


class ConvertError(Exception):
    """A problem the user can act on."""


def parse_blocks(text: str) -> list[dict]:
    """Markdown → a flat list of blocks (heading, para, list item, code, table, quote, hr, image)."""
    lines, blocks, i = text.replace("\r\n", "\n").split("\n"), [], 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            j = next((k for k in range(i + 1, len(lines)) if lines[k].startswith("```")), len(lines))
            blocks.append({"type": "code", "lang": line[3:].strip(), "text": "\n".join(lines[i + 1:j])})
            i = j + 1
            continue
        if m := re.match(r"^(#{1,6})\s+(.*)$", line):
            blocks.append({"type": "heading", "level": len(m.group(1)), "text": m.group(2).strip().rstrip("#").strip()})
        elif re.match(r"^\s*\|.*\|\s*$", line) and i + 1 < len(lines) and re.match(r"^\s*\|?\s*:?-{3,}", lines[i + 1]):
            rows = [split_row(line)]
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(split_row(lines[i]))
                i += 1
            blocks.append({"type": "table", "rows": rows})
            continue
        elif m := LIST_ITEM.match(line):
            blocks.append({"type": "item", "ordered": m.group(2)[0].isdigit(), "level": len(m.group(1).expandtabs(4)) // 2,
                           "text": m.group(3)})
        elif line.startswith(">"):
            blocks.append({"type": "quote", "text": line.lstrip(">").strip()})
        elif re.match(r"^\s*([-*_])(\s*\1){2,}\s*$", line):
            blocks.append({"type": "hr"})
        elif m := re.match(r"^!\[([^\]]*)\]\(([^)\s]+)[^)]*\)\s*$", line.strip()):
            blocks.append({"type": "image", "alt": m.group(1), "src": m.group(2)})
        elif line.strip():
            if blocks and blocks[-1]["type"] == "para" and lines[i - 1].strip():
                blocks[-1]["text"] += " " + line.strip()
            else:
                blocks.append({"type": "para", "text": line.strip()})
        i += 1
    return blocks


def split_row(line: str) -> list[str]:
    """'| a | b |' → ['a', 'b'] (escaped pipes kept)."""
    cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return [c.strip().replace("\\|", "|") for c in cells]


def add_inline(paragraph, text: str) -> None:
    """Markdown inline marks → Word runs."""
    from docx.shared import Pt

    for part in INLINE.split(text):
        if not part:
            continue
        if part.startswith("**"):
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("`"):
            run = paragraph.add_run(part[1:-1])
            run.font.name, run.font.size = "Consolas", Pt(10)
        elif part.startswith("*"):
            paragraph.add_run(part[1:-1]).italic = True
        elif m := re.match(r"^!?\[([^\]]*)\]\(([^)]+)\)$", part):
            paragraph.add_run(m.group(1) or m.group(2)).underline = True
        else:
            paragraph.add_run(part)


def md_to_docx(text: str, out: Path, base: Path) -> dict:
    """Write a .docx with real Word heading, list, table and quote styles."""
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    counts: dict[str, int] = {}
    for b in parse_blocks(text):
        counts[b["type"]] = counts.get(b["type"], 0) + 1
        if b["type"] == "heading":
            add_inline(doc.add_heading(level=min(b["level"], 9)), b["text"])
        elif b["type"] == "para":
            add_inline(doc.add_paragraph(), b["text"])
        elif b["type"] == "item":
            style = ("List Number" if b["ordered"] else "List Bullet") + (f" {b['level'] + 1}" if b["level"] else "")
            add_inline(doc.add_paragraph(style=style if style in doc.styles else None), b["text"])
        elif b["type"] == "quote":
            add_inline(doc.add_paragraph(style="Quote"), b["text"])
        elif b["type"] == "code":
            for line in b["text"].split("\n") or [""]:
                run = doc.add_paragraph().add_run(line)
                run.font.name, run.font.size = "Consolas", Pt(9.5)
        elif b["type"] == "table":
            width = max(len(r) for r in b["rows"])
            table = doc.add_table(rows=len(b["rows"]), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(b["rows"]):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = ""
                    add_inline(cell.paragraphs[0], f"**{value}**" if r == 0 and value else value)
        elif b["type"] == "image":
            path = (base / b["src"]).expanduser()
            if path.is_file():
                doc.add_picture(str(path), width=Cm(15))
            else:
                doc.add_paragraph(f"[image: {b['alt'] or b['src']}]")
        elif b["type"] == "hr":
            doc.add_paragraph("―" * 20)
    doc.save(out)
    return {"blocks": counts}


def runs_md(paragraph) -> str:
    """Word runs → Markdown inline marks."""
    out = []
    for r in paragraph.runs:
        t = r.text
        if not t.strip():
            out.append(t)
        elif r.bold:
            out.append(f"**{t}**")
        elif r.italic:
            out.append(f"*{t}*")
        elif r.font.name in ("Consolas", "Courier New"):
            out.append(f"`{t}`")
        else:
            out.append(t)
    return "".join(out).replace("****", "")


def docx_to_md(path: Path) -> str:
    """Headings, lists, quotes, tables and inline marks of a .docx as Markdown, in document order."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc, lines = Document(path), []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            rows = [[c.text.replace("\n", " ").replace("|", "\\|").strip() for c in r.cells] for r in Table(child, doc).rows]
            if rows:
                lines += ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
                lines += ["| " + " | ".join(r) + " |" for r in rows[1:]] + [""]
            continue
        if tag != "p":
            continue
        p = Paragraph(child, doc)
        style, text = (p.style.name if p.style is not None else ""), runs_md(p).strip()
        is_code = bool(p.runs) and all(r.font.name in ("Consolas", "Courier New") for r in p.runs)
        if is_code:  # consecutive monospace paragraphs become one fenced block
            if lines[-2:-1] == ["```"] and lines[-1] == "":
                lines[-2:] = [p.text]
            else:
                lines.append("```")
                lines.append(p.text)
            lines += ["```", ""]
            continue
        if not text:
            continue
        level = int(re.sub(r"\D", "", style) or 1) if style.startswith("Heading") else 0
        if style == "Title":
            lines += ["", f"# {p.text.strip()}", ""]
        elif level:
            lines += ["", f"{'#' * min(level, 6)} {p.text.strip()}", ""]
        elif style.startswith("List"):
            depth = int(re.sub(r"\D", "", style) or 1) - 1
            lines.append("   " * depth + ("1. " if "Number" in style else "- ") + text)
        elif style in ("Quote", "Intense Quote"):
            lines += ["", f"> {text}", ""]
        else:
            lines += ["", text, ""]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def md_to_html(text: str, title: str) -> str:
    """Standalone HTML; uses the 'markdown' package when installed, else a built-in renderer."""
    try:
        import markdown

        body = markdown.markdown(text, extensions=["tables", "fenced_code"])
    except ImportError:
        body = render_html(parse_blocks(text))
    css = ("body{font-family:-apple-system,'Microsoft YaHei','PingFang SC',sans-serif;max-width:820px;margin:2em auto;"
           "line-height:1.7;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
           "pre{background:#f6f8fa;padding:12px;overflow:auto}blockquote{color:#555;border-left:4px solid #ddd;margin:0;padding-left:1em}")
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{css}</style></head><body>\n{body}\n</body></html>\n")


def inline_html(text: str) -> str:
    """Inline Markdown → HTML."""
    t = html.escape(text)
    t = re.sub(r"!\[([^\]]*)\]\(([^)]+)\)", r'<img alt="\1" src="\2">', t)
    t = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', t)
    t = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", t)
    t = re.sub(r"`([^`]+)`", r"<code>\1</code>", t)
    return re.sub(r"\*([^*\s][^*]*)\*", r"<em>\1</em>", t)


def render_html(blocks: list[dict]) -> str:
    """Built-in block renderer (flat lists; good enough for notes)."""
    out, open_list = [], None
    for b in blocks:
        kind = ("ol" if b["ordered"] else "ul") if b["type"] == "item" else None
        if open_list and kind != open_list:
            out.append(f"</{open_list}>")
            open_list = None
        if kind and not open_list:
            out.append(f"<{kind}>")
            open_list = kind
        if b["type"] == "heading":
            out.append(f"<h{b['level']}>{inline_html(b['text'])}</h{b['level']}>")
        elif b["type"] == "item":
            out.append(f"<li>{inline_html(b['text'])}</li>")
        elif b["type"] == "para":
            out.append(f"<p>{inline_html(b['text'])}</p>")
        elif b["type"] == "quote":
            out.append(f"<blockquote>{inline_html(b['text'])}</blockquote>")
        elif b["type"] == "code":
            out.append(f"<pre><code>{html.escape(b['text'])}</code></pre>")
        elif b["type"] == "hr":
            out.append("<hr>")
        elif b["type"] == "image":
            out.append(f'<p><img alt="{html.escape(b["alt"])}" src="{html.escape(b["src"])}"></p>')
        elif b["type"] == "table":
            head = "".join(f"<th>{inline_html(c)}</th>" for c in b["rows"][0])
            body = "".join("<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in r) + "</tr>" for r in b["rows"][1:])
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    if open_list:
        out.append(f"</{open_list}>")
    return "\n".join(out)


class _ToMarkdown(HTMLParser):
    """Small HTML → Markdown converter for headings, paragraphs, lists, links, emphasis, code and tables."""

    MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}

    def __init__(self):
        super().__init__()
        self.out, self.skip, self.href, self.row, self.rows_seen, self.in_pre = [], 0, None, None, 0, False
        self.cell_mark = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag in ("p", "div", "blockquote"):
            self.out.append("\n\n" + ("> " if tag == "blockquote" else ""))
        elif tag == "li":
            self.out.append("\n- ")
        elif tag == "br":
            self.out.append("  \n")
        elif tag == "pre":
            self.in_pre = True
            self.out.append("\n\n```\n")
        elif tag in self.MARKS and not self.in_pre:
            self.out.append(self.MARKS[tag])
        elif tag == "a":
            self.href = a.get("href")
            self.out.append("[")
        elif tag == "img":
            self.out.append(f"![{a.get('alt', '')}]({a.get('src', '')})")
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell_mark = len(self.out)
        elif tag == "table":
            self.rows_seen = 0
            self.out.append("\n\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag == "pre":
            self.in_pre = False
            self.out.append("\n```\n")
        elif tag in self.MARKS and not self.in_pre:
            self.out.append(self.MARKS[tag])
        elif tag == "a":
            self.out.append(f"]({self.href or ''})")
        elif tag in ("td", "th") and self.row is not None:
            cell = "".join(self.out[self.cell_mark:]).strip().replace("|", "\\|")
            del self.out[self.cell_mark:]
            self.row.append(re.sub(r"\s+", " ", cell))
        elif tag == "tr" and self.row is not None:
            self.out.append("| " + " | ".join(self.row) + " |\n")
            if self.rows_seen == 0:
                self.out.append("|" + " --- |" * len(self.row) + "\n")
            self.rows_seen += 1
            self.row = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.skip:
            return
        self.out.append(data if self.in_pre else re.sub(r"\s+", " ", data))

    def unknown_decl(self, data):
        return


def html_to_md(markup: str) -> str:
    """HTML → Markdown text."""
    parser = _ToMarkdown()
    parser.feed(markup)
    text = "".join(parser.out)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip() + "\n"


def read_text(path: Path) -> str:
    """UTF-8 (with or without BOM), else GB18030."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def convert(src: Path, out: Path) -> dict:
    """Pick the conversion from the two file extensions."""
    a, b = src.suffix.lower(), out.suffix.lower()
    if a in (".md", ".markdown", ".txt") and b == ".docx":
        return md_to_docx(read_text(src), out, src.parent)
    if a in (".md", ".markdown", ".txt") and b in (".html", ".htm"):
        out.write_text(md_to_html(read_text(src), src.stem), encoding="utf-8")
        return {}
    if a == ".docx" and b in (".md", ".markdown"):
        out.write_text(docx_to_md(src), encoding="utf-8")
        return {}
    if a in (".html", ".htm") and b in (".md", ".markdown"):
        out.write_text(html_to_md(read_text(src)), encoding="utf-8")
        return {}
    if b == ".pdf":
        raise ConvertError("for PDF output use pandoc (if installed) or the create_pdf tool with the Markdown content")
    raise ConvertError(f"unsupported conversion {a} → {b}; supported: md→docx, md→html, docx→md, html→md")


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("input")
    ap.add_argument("out")
    ap.add_argument("--force", action="store_true", help="overwrite an existing output")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    src, out = Path(args.input), Path(args.out)
    try:
        if not src.is_file():
            raise ConvertError(f"not found: {src}")
        if out.exists() and not args.force:
            raise ConvertError(f"{out} exists; choose another name or pass --force")
        info = convert(src, out)
    except (ConvertError, OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, "output": str(out), **info}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main([os.path.expanduser(a) for a in sys.argv[1:]])  # no shell expands "~/" for us
