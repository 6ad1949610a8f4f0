"""Clean up an exported browser bookmarks file: remove duplicates, sort links into topic folders, write
a file any browser can import (Netscape bookmark format, as exported by Chrome, Edge, Firefox, Safari).

Usage:
  bookmarks.py scan bookmarks.html [--json]                    counts, duplicates, folders, domains
  bookmarks.py organize bookmarks.html --out clean.html [--group topic|domain|keep]
               [--assign assign.json] [--rules rules.json] [--json]
--group topic (default) files links by built-in topic rules (开发, 视频, 购物, 新闻, 学习, 社交, 办公, 设计,
AI…); anything unmatched goes to 其他/Other unless assign.json maps its URL (or domain) to a folder,
which is how the model files the rest after reading titles. rules.json: {"Folder": ["domain or word", ...]}.
--group keep keeps the original folders and only removes duplicates. The input file is never changed.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import urllib.parse
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

RULES = {
    "开发 Dev": ["github.com", "gitlab", "gitee.com", "stackoverflow", "python.org", "npmjs", "pypi.org", "docs.",
               "developer.", "readthedocs", "mdn", "csdn.net", "juejin.cn", "segmentfault", "leetcode"],
    "AI": ["openai", "anthropic", "huggingface", "chatgpt", "claude", "deepseek", "kimi", "tongyi", "doubao"],
    "视频 Video": ["youtube.com", "bilibili.com", "youku", "iqiyi", "v.qq.com", "douyin", "netflix", "vimeo"],
    "购物 Shopping": ["taobao", "tmall", "jd.com", "pinduoduo", "amazon.", "ebay", "smzdm", "xianyu"],
    "新闻 News": ["news", "bbc.", "nytimes", "reuters", "36kr", "thepaper", "sina.com", "163.com", "ifeng"],
    "学习 Learning": ["coursera", "edx.org", "khanacademy", "mooc", "wikipedia", "baike", "zhihu.com", "arxiv"],
    "社交 Social": ["weibo", "twitter.com", "x.com", "facebook", "instagram", "reddit", "douban", "xiaohongshu"],
    "办公 Work": ["mail.", "outlook", "gmail", "feishu", "dingtalk", "notion", "yuque", "docs.qq", "office.com",
                "drive.google", "calendar", "trello", "jira", "confluence"],
    "设计 Design": ["figma", "dribbble", "behance", "canva", "iconfont", "unsplash", "zcool"],
}
TRACKING = re.compile(r"^(utm_\w+|spm|from|ref|share\w*|fbclid|gclid)$", re.I)


class _Reader(HTMLParser):
    """Reads <DT><H3>folder</H3><DL>...</DL> and <DT><A HREF>title</A> nesting."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.path: list[str] = []
        self.pending_folder: str | None = None
        self.links: list[dict] = []
        self._tag, self._attrs, self._text = None, {}, []

    def handle_starttag(self, tag, attrs):
        if tag in ("a", "h3", "h1"):
            self._tag, self._attrs, self._text = tag, dict(attrs), []
        elif tag == "dl":
            self.path.append(self.pending_folder or "")
            self.pending_folder = None

    def handle_endtag(self, tag):
        if tag == "dl" and self.path:
            self.path.pop()
        elif tag == self._tag == "h3":
            self.pending_folder = "".join(self._text).strip()
            self._tag = None
        elif tag == self._tag == "a":
            href = self._attrs.get("href") or ""
            if href and not href.startswith(("javascript:", "place:")):
                self.links.append({"url": href, "title": "".join(self._text).strip() or href,
                                   "add_date": self._attrs.get("add_date", ""),
                                   "folder": "/".join(p for p in self.path if p)})
            self._tag = None
        elif tag == self._tag:
            self._tag = None

    def handle_data(self, data):
        if self._tag:
            self._text.append(data)


def read_bookmarks(path: Path) -> list[dict]:
    """Every link with its folder path."""
    r = _Reader()
    r.feed(path.read_text(encoding="utf-8", errors="replace"))
    return r.links


def url_key(url: str) -> str:
    """Links differing only in scheme, www., trailing slash, fragment or tracking parameters are the same."""
    p = urllib.parse.urlsplit(url.strip())
    host = p.netloc.lower().removeprefix("www.")
    query = urllib.parse.urlencode(sorted((k, v) for k, v in urllib.parse.parse_qsl(p.query) if not TRACKING.match(k)))
    return f"{host}{p.path.rstrip('/') or ''}?{query}"


def dedupe(links: list[dict]) -> tuple[list[dict], list[dict]]:
    """Unique links (the first copy kept) and the removed duplicates."""
    seen, kept, dropped = set(), [], []
    for link in links:
        key = url_key(link["url"])
        (dropped if key in seen else kept).append(link)
        seen.add(key)
    return kept, dropped


def topic(link: dict, rules: dict, assign: dict) -> str:
    """Folder for a link: explicit assignment, then rules on domain and title, else 其他."""
    host = urllib.parse.urlsplit(link["url"]).netloc.lower().removeprefix("www.")
    for key in (link["url"], url_key(link["url"]), host):
        if key in assign:
            return assign[key]
    hay = f"{link['url'].lower()} {link['title'].lower()}"
    for folder, words in rules.items():
        if any(w.lower() in hay for w in words):
            return folder
    return "其他 Other"


def write_bookmarks(groups: dict[str, list[dict]], out: Path) -> None:
    """A Netscape bookmark file with one folder per group."""
    esc = lambda s: html.escape(s, quote=True)  # noqa: E731
    lines = ["<!DOCTYPE NETSCAPE-Bookmark-file-1>", '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
             "<TITLE>Bookmarks</TITLE>", "<H1>Bookmarks</H1>", "<DL><p>"]
    for folder in sorted(groups, key=lambda f: (f == "其他 Other", f)):
        inner = [f'        <DT><A HREF="{esc(x["url"])}"' + (f' ADD_DATE="{esc(x["add_date"])}"' if x["add_date"] else "")
                 + f'>{esc(x["title"])}</A>' for x in groups[folder]]
        if folder:
            lines += [f"    <DT><H3>{esc(folder)}</H3>", "    <DL><p>", *inner, "    </DL><p>"]
        else:
            lines += [s[4:] for s in inner]
    lines.append("</DL><p>")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def organize(a, links: list[dict], kept: list[dict], dropped: list[dict]) -> dict:
    """File the unique links into folders and write the new bookmarks file."""
    rules = json.loads(Path(a.rules).read_text(encoding="utf-8")) if a.rules else RULES
    assign = json.loads(Path(a.assign).read_text(encoding="utf-8")) if a.assign else {}
    groups: dict[str, list[dict]] = {}
    for x in kept:
        if a.group == "topic":
            folder = topic(x, rules, assign)
        else:
            folder = x["folder"] if a.group == "keep" else urllib.parse.urlsplit(x["url"]).netloc.lower()
        groups.setdefault(folder, []).append(x)
    write_bookmarks(groups, Path(a.out))
    return {"out": a.out, "links": len(links), "unique": len(kept), "duplicates_removed": len(dropped),
            "folders": {k: len(v) for k, v in groups.items()},
            "unsorted": [{"url": x["url"], "title": x["title"]} for x in groups.get("其他 Other", [])][:80]}


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("scan")
    o = sub.add_parser("organize")
    o.add_argument("--out", required=True)
    o.add_argument("--group", choices=("topic", "domain", "keep"), default="topic")
    o.add_argument("--assign")
    o.add_argument("--rules")
    for p in (s, o):
        p.add_argument("file")
        p.add_argument("--json", action="store_true")
    a = ap.parse_args()
    src = Path(a.file)
    links = read_bookmarks(src) if src.is_file() else None
    if not links:
        print(json.dumps({"error": f"no bookmarks found in {src} (export them as HTML from the browser)"}), file=sys.stderr)
        return 2
    kept, dropped = dedupe(links)
    if a.cmd == "scan":
        domains = Counter(urllib.parse.urlsplit(x["url"]).netloc.lower().removeprefix("www.") for x in kept)
        result = {"links": len(links), "unique": len(kept), "duplicates": [d["url"] for d in dropped][:100],
                  "folders": Counter(x["folder"] for x in links), "top_domains": domains.most_common(30)}
    else:
        if src.resolve() == Path(a.out).resolve():
            print(json.dumps({"error": "write to a new file; the export is kept as a backup"}), file=sys.stderr)
            return 2
        result = organize(a, links, kept, dropped)
    print(json.dumps(result, ensure_ascii=False, indent=1 if a.json else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
