#!/usr/bin/env python3
"""Save a web page (URL or saved .html file) as clean Markdown with front matter in a notes folder.

The main text is picked with readability-lxml and converted with markdownify when they are installed (they ship with
the app); otherwise a simpler built-in extraction is used. Images stay as links, or are downloaded into an
`assets/` folder with --images download. Existing notes are never overwritten.
"""
from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import sys
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

UA = "Mozilla/5.0 (compatible; xiaodazi-web-clipper/1.0)"
MAX_BYTES = 20 * 1024 * 1024


def fetch(url: str, timeout: float = 20) -> tuple[bytes, str]:
    """Body and final URL of a GET request."""
    req = urllib.request.Request(url, headers={"User-Agent": UA, "Accept": "text/html,*/*;q=0.8"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - the user gave this URL
        return resp.read(MAX_BYTES), resp.geturl()


def decode(data: bytes) -> str:
    """HTML bytes as text, honouring a declared charset (GBK pages are common)."""
    m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
    for enc in ([m.group(1).decode()] if m else []) + ["utf-8", "gb18030"]:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def meta(page: str, *names: str) -> str:
    for name in names:
        m = re.search(rf"<meta[^>]+(?:property|name)=[\"']{re.escape(name)}[\"'][^>]+content=[\"']([^\"']*)", page, re.I) \
            or re.search(rf"<meta[^>]+content=[\"']([^\"']*)[\"'][^>]+(?:property|name)=[\"']{re.escape(name)}[\"']", page, re.I)
        if m and m.group(1).strip():
            return html.unescape(m.group(1).strip())
    return ""


def main_html(page: str) -> tuple[str, str]:
    """(title, article HTML): readability when available, else <article>/<main>/<body>."""
    title = meta(page, "og:title") or html.unescape(re.sub(r"\s+", " ", (re.search(r"<title[^>]*>(.*?)</title>", page, re.S | re.I) or [None, ""])[1])).strip()
    try:
        from readability import Document
        doc = Document(page)
        return title or doc.short_title(), doc.summary(html_partial=True)
    except ImportError:
        pass
    for tag in ("article", "main", "body"):
        m = re.search(rf"<{tag}\b[^>]*>(.*)</{tag}>", page, re.S | re.I)
        if m:
            return title, m.group(1)
    return title, page


def to_markdown(fragment: str) -> str:
    """HTML fragment → Markdown (markdownify, or a small built-in converter)."""
    fragment = re.sub(r"(?is)<(script|style|noscript|iframe|form|nav|footer)\b.*?</\1>", "", fragment)
    try:
        from markdownify import markdownify
        text = markdownify(fragment, heading_style="ATX", bullets="-")
    except ImportError:
        text = fragment
        for n in range(1, 7):
            text = re.sub(rf"(?is)<h{n}[^>]*>(.*?)</h{n}>", lambda m, n=n: "\n\n" + "#" * n + " " + m.group(1) + "\n\n", text)
        text = re.sub(r'(?is)<img[^>]*src="([^"]+)"[^>]*?(?:alt="([^"]*)")?[^>]*>', r"![\2](\1)", text)
        text = re.sub(r'(?is)<a[^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"[\2](\1)", text)
        text = re.sub(r"(?is)<li[^>]*>", "\n- ", text)
        text = re.sub(r"(?is)<br\s*/?>|</p>|</div>", "\n\n", text)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def absolutize(md: str, base: str) -> str:
    """Relative image and link targets made absolute so the note works anywhere."""
    return re.sub(r"(!?\[[^\]]*\]\()([^)\s]+)", lambda m: m.group(1) + urllib.parse.urljoin(base, m.group(2)), md)


def download_images(md: str, assets: Path, rel: str) -> tuple[str, int]:
    """Fetch every http(s) image into `assets` and point the Markdown at the local copies."""
    count = 0

    def swap(m: re.Match) -> str:
        nonlocal count
        url = m.group(2)
        if not url.startswith(("http://", "https://")):
            return m.group(0)
        try:
            data, _ = fetch(url)
        except OSError:
            return m.group(0)  # keep the remote link when a picture cannot be fetched
        ext = Path(urllib.parse.urlsplit(url).path).suffix.lower()
        name = hashlib.sha1(url.encode()).hexdigest()[:12] + (ext if ext in (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg") else ".img")
        assets.mkdir(parents=True, exist_ok=True)
        (assets / name).write_bytes(data)
        count += 1
        return f"{m.group(1)}{rel}/{name})"

    return re.sub(r"(!\[[^\]]*\]\()([^)\s]+)\)", swap, md), count


def unique(path: Path) -> Path:
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        n += 1
    return candidate


def clip(source: str, out_dir: Path, images: str, tags: list[str], source_url: str | None) -> dict:
    """Write the note and return where it went."""
    if re.match(r"^https?://", source):
        data, url = fetch(source)
    else:
        data, url = Path(os.path.expanduser(source)).read_bytes(), source_url or ""
    page = decode(data)
    title, fragment = main_html(page)
    md = to_markdown(fragment)
    if url:
        md = absolutize(md, url)
    title = title or "Untitled"
    stem = re.sub(r"\s+", " ", re.sub(r'[\\/:*?"<>|\r\n]+', " ", title)).strip()[:80]
    path = unique(out_dir / f"{stem}.md")
    downloaded = 0
    if images == "download":
        md, downloaded = download_images(md, out_dir / "assets", "assets")
    front = {"title": title, "source": url, "author": meta(page, "author", "article:author"),
             "published": meta(page, "article:published_time", "pubdate"), "clipped": datetime.now().strftime("%Y-%m-%d %H:%M"),
             "tags": tags}
    lines = ["---"] + [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items() if v] + ["---", ""] + ([] if md.startswith("# ") else [f"# {title}", ""])
    out_dir.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + md, encoding="utf-8")
    return {"ok": True, "file": str(path), "title": title, "source": url, "chars": len(md), "images_downloaded": downloaded,
            "preview": md[:400]}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("source", help="page URL, or a saved .html file")
    ap.add_argument("--out-dir", default="clippings", help="notes folder (default ./clippings)")
    ap.add_argument("--images", choices=["link", "download"], default="link")
    ap.add_argument("--tag", action="append", default=[])
    ap.add_argument("--source-url", help="original URL of a saved .html file")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        result = clip(args.source, Path(os.path.expanduser(args.out_dir)), args.images, args.tag, args.source_url)
    except (OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result["chars"] > 1 else 1


if __name__ == "__main__":
    sys.exit(main())
