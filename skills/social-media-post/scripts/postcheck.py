#!/usr/bin/env python3
"""Check a social-media post against each platform's length, title and hashtag conventions."""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

# Limits as the platforms apply them to posts (checked 2025); `weighted` = CJK and emoji count double (X).
PLATFORMS = {
    "xiaohongshu": {"title_max": 20, "body_max": 1000, "tags": (3, 10), "tag_style": "#tag", "label": "小红书"},
    "weibo": {"body_max": 2000, "tags": (1, 3), "tag_style": "#tag#", "label": "微博"},
    "moments": {"body_max": 1500, "tags": (0, 0), "tag_style": None, "label": "朋友圈"},
    "douyin": {"body_max": 1000, "tags": (2, 6), "tag_style": "#tag", "label": "抖音"},
    "x": {"body_max": 280, "weighted": True, "tags": (0, 2), "tag_style": "#tag", "label": "X / Twitter"},
    "linkedin": {"body_max": 3000, "tags": (3, 5), "tag_style": "#tag", "label": "LinkedIn", "hook_max": 210},
    "wechat-article": {"title_max": 64, "body_max": 20000, "tags": (0, 3), "tag_style": "#tag", "label": "公众号"},
}
EMOJI_RE = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2705]")


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def weighted_len(text: str) -> int:
    """X's counting: wide characters (CJK, emoji) count 2, others 1; URLs count 23."""
    text = re.sub(r"https?://\S+", "x" * 23, text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" or EMOJI_RE.match(c) else 1 for c in text)


def hashtags(text: str, style: str | None) -> list[str]:
    """Hashtags in the platform's own style (#话题# on Weibo, #话题 elsewhere)."""
    if style == "#tag#":
        return re.findall(r"#([^#\s]{1,40})#", text)
    return re.findall(r"(?<![\w#])#([\w\u4e00-\u9fff]{1,40})(?!#)", text)


def check(platform: str, text: str) -> dict:
    """Figures and problems for one post."""
    rule = PLATFORMS[platform]
    lines = text.strip().splitlines()
    title = lines[0].removeprefix("标题：").removeprefix("Title:").strip() if rule.get("title_max") and lines else None
    body = "\n".join(lines[1:]).strip() if title is not None else text.strip()
    size = weighted_len(body) if rule.get("weighted") else len(body)
    tags = hashtags(text, rule["tag_style"])
    problems = []
    if size > rule["body_max"]:
        problems.append(f"body is {size} long, {rule['label']} allows {rule['body_max']}")
    if title is not None and len(title) > rule["title_max"]:
        problems.append(f"title is {len(title)} characters, keep it within {rule['title_max']}")
    lo, hi = rule["tags"]
    if not lo <= len(tags) <= hi:
        problems.append(f"{len(tags)} hashtags; {rule['label']} posts usually carry {lo}–{hi}")
    if platform != "weibo" and re.search(r"#[^#\s]{1,20}#", text) and rule["tag_style"] == "#tag":
        problems.append("Weibo-style #话题# tags used; this platform uses #话题 followed by a space")
    if rule.get("hook_max") and len(lines[0] if lines else "") > rule["hook_max"]:
        problems.append(f"first line is long; only ~{rule['hook_max']} characters show before 'see more'")
    return {"platform": platform, "label": rule["label"], "title": title, "length": size, "limit": rule["body_max"],
            "hashtags": tags, "emoji": len(EMOJI_RE.findall(text)), "problems": problems, "passed": not problems}


def main(argv: list[str] | None = None) -> None:
    """Check one post file (or --text) for one or more platforms."""
    ap = argparse.ArgumentParser(description="platform rules for social posts")
    ap.add_argument("file", nargs="?", help="the post as UTF-8 text (first line = title where the platform has one)")
    ap.add_argument("--text", help="the post itself instead of a file")
    ap.add_argument("--platform", action="append", required=True, choices=sorted(PLATFORMS))
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    if a.text is None and not (a.file and Path(a.file).is_file()):
        fail("give the post as a file or with --text")
    text = a.text if a.text is not None else Path(a.file).read_text(encoding="utf-8-sig")
    results = [check(p, text) for p in a.platform]
    out = {"ok": True, "results": results, "passed": all(r["passed"] for r in results)}
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
