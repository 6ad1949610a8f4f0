#!/usr/bin/env python3
"""Markdown to WeChat Official Account (公众号) HTML: every style inline, no <style>, <script> or class attributes.

The WeChat editor strips style sheets and scripts and does not allow ordinary external links, so links become text
with numbered references listed at the end. Supported: # headings, paragraphs, **bold**, *italic*, `code`, links,
images, > quotes, - and 1. lists, ``` code blocks and --- rules.
"""
from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

THEMES = {"green": "#07c160", "blue": "#1e6bb8", "red": "#d9534f", "orange": "#f08c00", "black": "#333333"}


def styles(color: str) -> dict[str, str]:
    """Inline styles per element for one accent colour."""
    return {
        "section": "font-size:16px;color:#333;line-height:1.75;letter-spacing:0.5px;padding:0 8px;",
        "h1": f"font-size:22px;font-weight:bold;text-align:center;margin:24px 0 16px;color:{color};",
        "h2": f"font-size:18px;font-weight:bold;margin:24px 0 12px;padding-left:10px;border-left:4px solid {color};",
        "h3": f"font-size:16px;font-weight:bold;margin:20px 0 10px;color:{color};",
        "p": "margin:0 0 16px;text-align:justify;",
        "blockquote": f"margin:16px 0;padding:10px 14px;background:#f7f7f7;border-left:3px solid {color};color:#666;",
        "ul": "margin:0 0 16px;padding-left:24px;", "ol": "margin:0 0 16px;padding-left:24px;",
        "li": "margin:4px 0;",
        "pre": "margin:16px 0;padding:12px;background:#282c34;color:#abb2bf;border-radius:6px;font-size:13px;"
               "line-height:1.5;overflow-x:auto;white-space:pre;",
        "code": "font-family:Menlo,Consolas,monospace;background:#f2f2f2;color:#c7254e;padding:2px 4px;border-radius:3px;"
                "font-size:14px;",
        "strong": f"font-weight:bold;color:{color};", "em": "font-style:italic;",
        "img": "display:block;max-width:100%;margin:16px auto;border-radius:4px;",
        "figcaption": "text-align:center;font-size:13px;color:#999;margin-top:-8px;margin-bottom:16px;",
        "hr": "border:none;border-top:1px solid #e5e5e5;margin:24px 0;",
        "ref": "font-size:13px;color:#888;", "sup": f"color:{color};font-size:12px;",
    }


class Converter:
    """One pass over the Markdown lines; collects link references as it goes."""

    def __init__(self, color: str) -> None:
        self.s = styles(color)
        self.links: list[str] = []

    def tag(self, name: str, inner: str, **attrs: str) -> str:
        extra = "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
        return f'<{name} style="{self.s[name]}"{extra}>{inner}</{name}>'

    def inline(self, text: str) -> str:
        """Escape, then bold, italic, code, images and links."""
        codes: list[str] = []
        text = re.sub(r"`([^`]+)`", lambda m: codes.append(m.group(1)) or f"\x00{len(codes) - 1}\x00", text)
        text = html.escape(text, quote=False)
        text = re.sub(r"!\[([^\]]*)\]\(([^)\s]+)\)", lambda m: self.image(m.group(1), m.group(2)), text)
        text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", self.link, text)
        text = re.sub(r"\*\*(.+?)\*\*", lambda m: self.tag("strong", m.group(1)), text)
        text = re.sub(r"(?<!\*)\*(?!\s)(.+?)(?<!\s)\*(?!\*)", lambda m: self.tag("em", m.group(1)), text)
        return re.sub("\x00(\\d+)\x00", lambda m: self.tag("code", html.escape(codes[int(m.group(1))])), text)

    def image(self, alt: str, src: str) -> str:
        img = f'<img src="{html.escape(src, quote=True)}" alt="{alt}" style="{self.s["img"]}">'
        return img + (self.tag("figcaption", alt) if alt else "")

    def link(self, m: re.Match) -> str:
        url = html.unescape(m.group(2))
        if "mp.weixin.qq.com" in url:  # links to other articles of the account are allowed
            return f'<a href="{html.escape(url, quote=True)}" style="color:inherit;">{m.group(1)}</a>'
        self.links.append(url)
        return f'{m.group(1)}<sup style="{self.s["sup"]}">[{len(self.links)}]</sup>'

    def convert(self, md: str) -> str:
        """The whole article, wrapped in one styled <section>."""
        out, lines, i = [], md.replace("\r\n", "\n").split("\n"), 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("```"):
                j = i + 1
                while j < len(lines) and not lines[j].startswith("```"):
                    j += 1
                out.append(self.tag("pre", html.escape("\n".join(lines[i + 1 : j]))))
                i = j + 1
                continue
            if m := re.match(r"^(#{1,6})\s+(.*)", line):
                level = min(len(m.group(1)), 3)
                out.append(self.tag(f"h{level}", self.inline(m.group(2).strip())))
            elif re.match(r"^\s*([-*_])(\s*\1){2,}\s*$", line):
                out.append(f'<hr style="{self.s["hr"]}">')
            elif line.startswith(">"):
                block = []
                while i < len(lines) and lines[i].startswith(">"):
                    block.append(lines[i].lstrip(">").strip())
                    i += 1
                out.append(self.tag("blockquote", "<br>".join(self.inline(b) for b in block)))
                continue
            elif re.match(r"^\s*([-*+]|\d+[.)])\s+", line):
                kind = "ol" if re.match(r"^\s*\d", line) else "ul"
                items = []
                while i < len(lines) and re.match(r"^\s*([-*+]|\d+[.)])\s+", lines[i]):
                    items.append(self.tag("li", self.inline(re.sub(r"^\s*([-*+]|\d+[.)])\s+", "", lines[i]))))
                    i += 1
                out.append(self.tag(kind, "".join(items)))
                continue
            elif line.strip():
                para = [line.strip()]
                while i + 1 < len(lines) and lines[i + 1].strip() and not re.match(r"^(#|>|```|\s*([-*+]|\d+[.)])\s)",
                                                                                     lines[i + 1]):
                    i += 1
                    para.append(lines[i].strip())
                out.append(self.tag("p", self.inline(" ".join(para))))
            i += 1
        if self.links:
            refs = "".join(f"[{n}] {html.escape(u)}<br>" for n, u in enumerate(self.links, 1))
            out.append(f'<p style="{self.s["ref"]}">参考链接<br>{refs}</p>')
        return f'<section style="{self.s["section"]}">{"".join(out)}</section>'


def main(argv: list[str] | None = None) -> None:
    """Convert a Markdown file; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("markdown", type=Path)
    p.add_argument("--out", type=Path, help="write the HTML here (default: <name>.wechat.html)")
    p.add_argument("--theme", choices=sorted(THEMES), default="green")
    p.add_argument("--color", help="accent colour as #rrggbb (overrides --theme)")
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        md = a.markdown.read_text(encoding="utf-8-sig")
        color = a.color if a.color and re.fullmatch(r"#[0-9a-fA-F]{6}", a.color) else THEMES[a.theme]
        conv = Converter(color)
        body = conv.convert(md)
        out = a.out or a.markdown.with_suffix(".wechat.html")
        out.write_text(body, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, "out": str(out), "chars": len(body), "external_links": conv.links},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
