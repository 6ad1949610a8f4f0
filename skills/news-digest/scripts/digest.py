"""Turn collected news items into a deduplicated Markdown digest: headline, one-line summary, link.

Usage:
  digest.py items.json [--out digest.md] [--since-hours 36] [--max-per-topic 8] [--title "今日要闻"] [--json]
items.json is a list of {"title", "url", "summary"?, "source"?, "date"?, "topic"?} gathered from
web_search results and pages (the model writes it with write_file). Items with the same link (tracking
parameters ignored) or near-identical headlines are merged, keeping every source name. With dates,
items older than --since-hours are dropped; undated items are kept and marked.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path

TRACKING = re.compile(r"^(utm_\w+|spm|from|source|share\w*|ref|scene|timestamp|s_channel|fbclid|gclid)$", re.I)


def strip_tracking(url: str) -> str:
    """The link without tracking parameters (utm_*, spm, share...) or fragment."""
    p = urllib.parse.urlsplit(url.strip())
    query = urllib.parse.urlencode([(k, v) for k, v in urllib.parse.parse_qsl(p.query) if not TRACKING.match(k)])
    return urllib.parse.urlunsplit((p.scheme, p.netloc, p.path, query, ""))


def norm_url(url: str) -> str:
    """A comparison key: tracking removed, host lower-case, scheme and trailing slash ignored."""
    p = urllib.parse.urlsplit(strip_tracking(url))
    return f"{p.netloc.lower()}{p.path.rstrip('/')}?{p.query}"


def _grams(title: str) -> set[str]:
    t = re.sub(r"[\W_]+", "", title.lower())
    return {t[i:i + 2] for i in range(len(t) - 1)} or {t}


def same_story(a: str, b: str) -> bool:
    """Headlines that share most of their character pairs tell the same story."""
    ga, gb = _grams(a), _grams(b)
    return len(ga & gb) / max(len(ga | gb), 1) >= 0.6


def parse_date(value: str | None) -> datetime | None:
    """A timezone-aware datetime from ISO text (or None)."""
    if not value:
        return None
    try:
        d = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def merge(items: list[dict]) -> list[dict]:
    """Collapse duplicates, keeping the longest summary and every source."""
    kept: list[dict] = []
    for it in items:
        if not it.get("title") or not it.get("url"):
            continue
        key = norm_url(it["url"])
        twin = next((k for k in kept if k["_key"] == key or same_story(k["title"], it["title"])), None)
        if twin is None:
            kept.append({**it, "_key": key, "sources": [s for s in [it.get("source")] if s]})
            continue
        if it.get("source") and it["source"] not in twin["sources"]:
            twin["sources"].append(it["source"])
        if len(it.get("summary") or "") > len(twin.get("summary") or ""):
            twin["summary"] = it["summary"]
    return kept


def render(items: list[dict], title: str, per_topic: int) -> str:
    """Markdown grouped by topic, newest first."""
    lines = [f"# {title}", ""]
    topics: dict[str, list[dict]] = {}
    for it in items:
        topics.setdefault(it.get("topic") or "", []).append(it)
    for topic, group in topics.items():
        if topic or len(topics) > 1:
            lines += [f"## {topic or '其他 / Other'}", ""]
        for it in group[:per_topic]:
            summary = " ".join((it.get("summary") or "").split())
            summary = summary if len(summary) <= 90 else summary[:89] + "…"
            when = it["_date"].strftime("%m-%d %H:%M") if it.get("_date") else "日期未知/undated"
            src = "、".join(it["sources"]) or urllib.parse.urlsplit(it["url"]).netloc
            lines.append(f"- **{it['title'].strip()}**" + (f" — {summary}" if summary else "") +
                         f"  \n  [{src}]({strip_tracking(it['url'])}) · {when}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("items")
    ap.add_argument("--out")
    ap.add_argument("--since-hours", type=float)
    ap.add_argument("--max-per-topic", type=int, default=8)
    ap.add_argument("--title", default="新闻速览 / News digest")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    try:
        items = json.loads(Path(a.items).read_text(encoding="utf-8-sig"))
        assert isinstance(items, list)
    except (OSError, ValueError, AssertionError) as exc:
        print(json.dumps({"error": f"items must be a JSON list of news items: {exc}"}), file=sys.stderr)
        return 2
    for it in items:
        it["_date"] = parse_date(it.get("date"))
    cutoff = datetime.now(UTC) - timedelta(hours=a.since_hours) if a.since_hours else None
    fresh = [it for it in items if not (cutoff and it["_date"] and it["_date"] < cutoff)]
    merged = merge(fresh)
    merged.sort(key=lambda it: it["_date"] or datetime.min.replace(tzinfo=UTC), reverse=True)
    text = render(merged, a.title, a.max_per_topic)
    if a.out:
        Path(a.out).write_text(text, encoding="utf-8")
    result = {"input_items": len(items), "too_old": len(items) - len(fresh), "stories": len(merged),
              "out": a.out, "markdown": text}
    print(json.dumps(result, ensure_ascii=False, indent=1) if a.json else text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
