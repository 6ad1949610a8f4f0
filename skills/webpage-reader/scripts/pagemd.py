"""Readable Markdown from a parsed page: headings, paragraphs, lists, links, images, code, quotes, tables.

Part of the page kit (see pagekit.py); standard library only.
"""

from __future__ import annotations

import re
import urllib.parse

from pagekit import SKIP, Node, table_rows, text_of


def to_markdown(node: Node, base_url: str = "") -> str:
    """Readable Markdown for an element: headings, paragraphs, lists, links, images, code, quotes, tables."""
    out: list[str] = []
    _md(node, out, base_url, 0)
    text = "".join(out)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _inline(node: Node, base: str) -> str:
    parts: list[str] = []
    for c in node.children:
        if isinstance(c, str):
            parts.append(re.sub(r"\s+", " ", c))
        elif c.tag == "a" and c.attrs.get("href") and not c.attrs["href"].startswith(("javascript:", "#")):
            label = _inline(c, base).strip()
            parts.append(f"[{label}]({urllib.parse.urljoin(base, c.attrs['href'])})" if label else "")
        elif c.tag == "img" and c.attrs.get("src"):
            parts.append(f"![{c.attrs.get('alt', '')}]({urllib.parse.urljoin(base, c.attrs['src'])})")
        elif c.tag == "br":
            parts.append("  \n")
        elif c.tag in ("strong", "b"):
            parts.append(f"**{_inline(c, base).strip()}**")
        elif c.tag == "code":
            parts.append(f"`{text_of(c)}`")
        elif c.tag not in SKIP:
            parts.append(_inline(c, base))
    return "".join(parts)


def _md(node: Node, out: list[str], base: str, depth: int) -> None:
    for c in node.children:
        if isinstance(c, str):
            if c.strip():
                out.append(re.sub(r"\s+", " ", c))
            continue
        tag = c.tag
        if tag in SKIP:
            continue
        if re.fullmatch(r"h[1-6]", tag):
            out.append(f"\n\n{'#' * int(tag[1])} {text_of(c)}\n\n")
        elif tag == "p":
            out.append(f"\n\n{_inline(c, base).strip()}\n\n")
        elif tag in ("ul", "ol"):
            out.append("\n")
            for i, li in enumerate(x for x in c.children if isinstance(x, Node) and x.tag == "li"):
                mark = f"{i + 1}." if tag == "ol" else "-"
                out.append(f"{'  ' * depth}{mark} {_inline(li, base).strip()}\n")
            out.append("\n")
        elif tag == "pre":
            out.append(f"\n\n```\n{''.join(_raw(c))}\n```\n\n")
        elif tag == "blockquote":
            out.append("\n\n" + "\n".join("> " + ln for ln in text_of(c).splitlines()) + "\n\n")
        elif tag == "table":
            out.append("\n\n" + _table_md(c) + "\n\n")
        elif tag in ("img", "a"):
            out.append(_inline(Node("span", children=[c]), base))
        elif tag == "br":
            out.append("\n")
        else:
            _md(c, out, base, depth)


def _raw(node: Node) -> list[str]:
    return [c if isinstance(c, str) else "".join(_raw(c)) for c in node.children]


def _table_md(table: Node) -> str:
    rows = table_rows(table)
    if not rows:
        return ""
    width = max(map(len, rows))
    rows = [[c.replace("|", "\\|") for c in r] + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows[1:]])
