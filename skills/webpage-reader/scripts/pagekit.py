"""Polite page fetching, a small HTML tree with CSS-like selection, main-text extraction and Markdown.

Standard library only. Lives here, in the webpage-reader skill; the other web skills' scripts add this
folder to sys.path (bundled skills ship together), so there is one copy to maintain.
Exit codes used by the scripts: 0 ok, 2 bad input, 4 fetch failed or refused (robots.txt, HTTP error).
"""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from html.parser import HTMLParser

USER_AGENT = "Mozilla/5.0 (compatible; xiaodazi-assistant/0.1; reads pages on a user's request)"
MAX_BYTES = 8_000_000
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
AUTO_CLOSE = {"p": {"p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"},
              "li": {"li"}, "td": {"td", "th", "tr"}, "th": {"td", "th", "tr"}, "tr": {"tr"}, "option": {"option"},
              "dt": {"dt", "dd"}, "dd": {"dt", "dd"}}
SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "head", "canvas"}
BOILERPLATE = {"nav", "header", "footer", "aside", "form", "button", "select", "dialog", "menu"}
NOISE = re.compile(r"(^|[-_ ])(ad|ads|advert\w*|banner|nav\w*|menu|sidebar|side-bar|footer|header|comment\w*|share|"
                   r"social|related|recommend\w*|breadcrumbs?|cookie\w*|popup|modal|subscribe|newsletter|toolbar|"
                   r"login|signup|sponsor\w*|promo\w*|hot-?list|rank\w*)($|[-_ ])", re.IGNORECASE)


class FetchError(Exception):
    """A page could not be fetched or may not be fetched (exit code 4)."""


@dataclass
class Page:
    """A fetched page."""

    url: str
    status: int
    content_type: str
    text: str


@dataclass(eq=False)  # identity equality: nodes are hashed and compared as distinct elements
class Node:
    """An element of the parsed page; children are Nodes or text strings."""

    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)
    parent: Node | None = field(default=None, repr=False)

    def classes(self) -> set[str]:
        """The element's class names."""
        return set(self.attrs.get("class", "").split())

    def elements(self):
        """All descendant elements, depth first."""
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.elements()


def decode(raw: bytes, content_type: str) -> str:
    """Bytes to text using the HTTP charset, then the page's meta charset, then UTF-8/GB18030."""
    m = re.search(r"charset=([\w-]+)", content_type or "", re.IGNORECASE) or \
        re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", raw[:4096], re.IGNORECASE)
    names = [m.group(1).decode() if isinstance(m.group(1), bytes) else m.group(1)] if m else []
    for enc in names + ["utf-8", "gb18030"]:
        try:
            return raw.decode("gb18030" if enc.lower() in ("gb2312", "gbk") else enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", errors="replace")


_robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}


def robots_allowed(url: str) -> bool:
    """Whether robots.txt lets us fetch the URL (an unreachable robots.txt counts as allowed)."""
    parts = urllib.parse.urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    if base not in _robots:
        rp = urllib.robotparser.RobotFileParser()
        try:
            req = urllib.request.Request(base + "/robots.txt", headers={"User-Agent": USER_AGENT})
            with urllib.request.urlopen(req, timeout=10) as resp:
                rp.parse(decode(resp.read(500_000), resp.headers.get("Content-Type", "")).splitlines())
            _robots[base] = rp
        except (urllib.error.URLError, OSError, ValueError):
            _robots[base] = None
    rp = _robots[base]
    return rp is None or rp.can_fetch(USER_AGENT, url)


def fetch(url: str, timeout: float = 20, obey_robots: bool = True) -> Page:
    """GET a page as text, refusing non-web schemes and pages robots.txt disallows."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(f"only http(s) URLs can be fetched: {url}")
    if obey_robots and not robots_allowed(url):
        raise FetchError(f"robots.txt of this site disallows fetching {url}")
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            ctype = resp.headers.get("Content-Type", "")
            return Page(resp.geturl(), resp.status, ctype, decode(resp.read(MAX_BYTES), ctype))
    except urllib.error.HTTPError as exc:
        hint = " (login or paywall?)" if exc.code in (401, 402, 403) else ""
        raise FetchError(f"HTTP {exc.code} for {url}{hint}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FetchError(f"cannot reach {url}: {getattr(exc, 'reason', exc)}") from exc


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root")

    def handle_starttag(self, tag, attrs):
        closes = AUTO_CLOSE.get(self.cur.tag)
        if closes and tag in closes:  # e.g. a new <li> ends the open one
            self.cur = self.cur.parent or self.root
        node = Node(tag, {k: v or "" for k, v in attrs}, [], self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, {k: v or "" for k, v in attrs}, [], self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:  # ignore stray end tags
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse_html(html: str) -> Node:
    """Parse HTML into a forgiving element tree."""
    b = _TreeBuilder()
    b.feed(html)
    b.close()
    return b.root


_SIMPLE = re.compile(r"([a-zA-Z0-9*-]*)((?:[#.][\w-]+|\[[^\]]+\])*)")


def _matches(node: Node, simple: str) -> bool:
    m = _SIMPLE.fullmatch(simple)
    if not m:
        raise ValueError(f"unsupported selector part: {simple!r}")
    tag, rest = m.groups()
    if tag not in ("", "*") and node.tag != tag.lower():
        return False
    for kind, name in re.findall(r"([#.])([\w-]+)", re.sub(r"\[[^\]]+\]", "", rest)):
        if (kind == "#" and node.attrs.get("id") != name) or (kind == "." and name not in node.classes()):
            return False
    for attr in re.findall(r"\[([^\]]+)\]", rest):
        key, _, val = attr.partition("=")
        if key.strip() not in node.attrs or (val and node.attrs[key.strip()] != val.strip("\"' ")):
            return False
    return True


def select(root: Node, selector: str) -> list[Node]:
    """Elements matching a CSS-like selector: tag, #id, .class, [attr], [attr=v], descendant and '>' child."""
    found: list[Node] = []
    for group in selector.split(","):
        steps = re.findall(r">|[^\s>]+", group.strip())
        current = [root]
        child_only = False
        for step in steps:
            if step == ">":
                child_only = True
                continue
            pool = ((c for c in n.children if isinstance(c, Node)) if child_only else n.elements() for n in current)
            current = list(dict.fromkeys(e for gen in pool for e in gen if _matches(e, step)))
            child_only = False
        found += [n for n in current if n is not root and n not in found]
    return found


def text_of(node: Node) -> str:
    """Visible text of an element with whitespace collapsed."""
    parts: list[str] = []

    def walk(n):
        for c in n.children:
            if isinstance(c, str):
                parts.append(c)
            elif c.tag not in SKIP:
                if c.tag in ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4"):
                    parts.append(" ")
                walk(c)

    walk(node)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def is_noise(node: Node) -> bool:
    """Navigation, ads, comments and other page furniture."""
    if node.tag in SKIP or node.tag in BOILERPLATE or node.attrs.get("role") in ("navigation", "banner", "contentinfo"):
        return True
    if node.attrs.get("aria-hidden") == "true" or "display:none" in node.attrs.get("style", "").replace(" ", ""):
        return True
    label = f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}"
    return node.tag not in ("body", "html", "article", "main") and bool(NOISE.search(label))


def prune(node: Node) -> Node:
    """Remove page furniture in place and return the node."""
    node.children = [c for c in node.children if isinstance(c, str) or not is_noise(c)]
    for c in node.children:
        if isinstance(c, Node):
            prune(c)
    return node


def _paragraph_score(p: Node) -> float:
    text = text_of(p)
    if len(text) < 20:
        return 0.0
    links = sum(len(text_of(a)) for a in select(p, "a"))
    return (1 + len(re.findall(r"[,，。.!！?？;；、]", text)) + min(len(text) / 100, 3)) * (1 - links / len(text))


def main_content(root: Node) -> Node:
    """The element holding the article: <article>, <main>, else the block its paragraphs vote for."""
    prune(root)
    for tag in ("article", "main", "[itemprop=articleBody]"):
        cands = [n for n in select(root, tag) if len(text_of(n)) > 50]
        if cands:
            return max(cands, key=lambda n: len(text_of(n)))
    # each paragraph gives its score to its container and half to the container's parent, so an article
    # whose paragraphs sit directly in one block, or one wrapper each, still wins over menus and footers
    votes: dict[int, tuple[Node, float]] = {}
    for p in select(root, "p, pre, blockquote, td"):
        score = _paragraph_score(p)
        for node, share in ((p.parent, 1.0), (p.parent.parent if p.parent else None, 0.5)):
            if score and node is not None and node.tag != "#root":
                votes[id(node)] = (node, votes.get(id(node), (node, 0.0))[1] + score * share)
    if not votes:
        return root
    return max(votes.values(), key=lambda v: v[1])[0]


def page_meta(root: Node, url: str = "") -> dict:
    """Title, description, author, date, site name and canonical URL from the page head."""
    metas = {}
    for m in select(root, "meta"):
        key = (m.attrs.get("property") or m.attrs.get("name") or m.attrs.get("itemprop") or "").lower()
        if key and m.attrs.get("content"):
            metas.setdefault(key, m.attrs["content"].strip())
    title_el, h1 = select(root, "title"), select(root, "h1")
    times = [t.attrs.get("datetime") for t in select(root, "time") if t.attrs.get("datetime")]
    canon = [link.attrs.get("href") for link in select(root, "link[rel=canonical]")]
    return {
        "title": metas.get("og:title") or (text_of(title_el[0]) if title_el else "") or (text_of(h1[0]) if h1 else ""),
        "description": metas.get("og:description") or metas.get("description", ""),
        "author": metas.get("author") or metas.get("article:author", ""),
        "published": metas.get("article:published_time") or metas.get("datepublished") or metas.get("pubdate")
        or (times[0] if times else ""),
        "site": metas.get("og:site_name", ""),
        "url": urllib.parse.urljoin(url, canon[0]) if canon and canon[0] else url,
    }


def table_rows(table: Node) -> list[list[str]]:
    """Cell texts of a table, row by row (colspan repeated so columns line up)."""
    rows = []
    for tr in select(table, "tr"):
        cells = []
        for cell in (c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")):
            span = int(cell.attrs.get("colspan", "1") or 1) if cell.attrs.get("colspan", "1").isdigit() else 1
            cells += [text_of(cell)] * span
        if cells:
            rows.append(cells)
    return rows


def save_rows(rows: list[dict], path: str) -> str:
    """Write records to .xlsx (openpyxl) or CSV with a BOM so Excel shows Chinese; columns in first-seen order."""
    import csv
    from pathlib import Path

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    columns = list(dict.fromkeys(k for r in rows for k in r))
    if out.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(columns)
        for r in rows:
            ws.append([r.get(c) if not isinstance(r.get(c), (list, dict)) else json.dumps(r.get(c)) for c in columns])
        wb.save(out)
    else:
        with out.open("w", newline="", encoding="utf-8-sig") as f:
            writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    return str(out)


def emit(result: dict, as_json: bool) -> None:
    """Print a result: JSON with --json, else readable lines."""
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
        return
    for key, value in result.items():
        print(f"{key}: {json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, (list, dict)) else value}")


def run(main) -> None:
    """Run main(), mapping failures to exit codes with a JSON error on stderr."""
    try:
        sys.exit(main())
    except FetchError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False), file=sys.stderr)
        sys.exit(4)
    except (ValueError, OSError) as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False), file=sys.stderr)
        sys.exit(2)
