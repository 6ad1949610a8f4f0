#!/usr/bin/env python3
"""Summarise a log file: levels, grouped error messages, HTTP statuses, busy minutes, lines around an incident."""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

LEVEL_RE = re.compile(r"\b(FATAL|CRITICAL|ERROR|ERR|WARN(?:ING)?|INFO|DEBUG|TRACE|SEVERE|错误|警告)\b", re.I)
LEVEL_NAMES = {"err": "ERROR", "warn": "WARNING", "warning": "WARNING", "critical": "FATAL", "severe": "FATAL",
               "错误": "ERROR", "警告": "WARNING"}
# Access logs (nginx/apache combined): "GET /path HTTP/1.1" 500 123
ACCESS_RE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) ')
TIME_PATTERNS = [
    (re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}):\d{2}"), lambda m: f"{m[1]} {m[2]}"),
    (re.compile(r"\[(\d{2})/(\w{3})/(\d{4}):(\d{2}:\d{2}):\d{2}"),
     lambda m: datetime.strptime(f"{m[1]} {m[2]} {m[3]} {m[4]}", "%d %b %Y %H:%M").strftime("%Y-%m-%d %H:%M")),
    (re.compile(r"^(\w{3}) +(\d{1,2}) (\d{2}:\d{2}):\d{2}"), lambda m: f"{m[1]} {int(m[2]):02d} {m[3]}"),
]
# Parts of a message that vary between occurrences of the same problem.
MASKS = [
    (re.compile(r"^.*?\b(?:FATAL|CRITICAL|ERROR|ERR|WARN(?:ING)?|SEVERE)\b[\]:\s-]*", re.I), ""),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I), "<uuid>"),
    (re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b"), "<ip>"),
    (re.compile(r"\b0x[0-9a-f]+\b|\b[0-9a-f]{12,}\b", re.I), "<hex>"),
    (re.compile(r"(?<=[=:])\s*'[^']*'|(?<=[=:])\s*\"[^\"]*\""), " <str>"),
    (re.compile(r"\d+(?:\.\d+)?"), "<n>"),
]


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def level_of(line: str) -> str | None:
    """The log level named in a line, normalised."""
    m = LEVEL_RE.search(line)
    if not m:
        return None
    word = m.group(1)
    return LEVEL_NAMES.get(word.lower(), word.upper())


def minute_of(line: str) -> str | None:
    """The line's timestamp truncated to the minute, when one of the common formats is found."""
    for rx, fmt in TIME_PATTERNS:
        m = rx.search(line)
        if m:
            return fmt(m)
    return None


def signature(line: str) -> str:
    """The message with variable parts masked, so repeats of one problem group together."""
    for rx, repl in MASKS:
        line = rx.sub(repl, line)
    return line.strip()[:200]


def spikes(per_minute: Counter, factor: float) -> list[dict]:
    """Minutes whose error count is at least `factor` times the median minute (and ≥ 3)."""
    if not per_minute:
        return []
    counts = sorted(per_minute.values())
    median = counts[len(counts) // 2]
    return [{"minute": m, "errors": c} for m, c in sorted(per_minute.items()) if c >= max(3, factor * median)]


def summarise(lines: list[str], top: int, factor: float) -> dict:
    """Counts by level, grouped problems, HTTP statuses and error spikes."""
    levels, groups, statuses, paths5xx = Counter(), Counter(), Counter(), Counter()
    first_seen: dict[str, tuple[int, str]] = {}
    per_minute: Counter = Counter()
    for no, line in enumerate(lines, 1):
        lvl, access = level_of(line), ACCESS_RE.search(line)
        if access:
            statuses[access["status"]] += 1
            if access["status"].startswith("5"):
                lvl = lvl or "ERROR"
                paths5xx[f'{access["method"]} {access["path"].split("?")[0]}'] += 1
        if lvl:
            levels[lvl] += 1
        if lvl in ("ERROR", "FATAL"):
            sig = f'HTTP {access["status"]} {access["method"]} {access["path"].split("?")[0]}' if access else signature(line)
            groups[sig] += 1
            first_seen.setdefault(sig, (no, line.strip()[:300]))
            per_minute[minute_of(line) or "?"] += 1
    per_minute.pop("?", None)
    return {
        "lines": len(lines), "levels": dict(levels.most_common()),
        "error_groups": [{"signature": s, "count": c, "first_line": first_seen[s][0], "example": first_seen[s][1]}
                         for s, c in groups.most_common(top)],
        "distinct_error_groups": len(groups), "http_status": dict(sorted(statuses.items())),
        "top_5xx_paths": dict(paths5xx.most_common(top)), "error_spikes": spikes(per_minute, factor),
        "first_error_minute": min(per_minute) if per_minute else None,
    }


def around(lines: list[str], needle: str, context: int, limit: int) -> dict:
    """Lines around each hit of a text or a timestamp prefix (e.g. '2024-05-06 14:3')."""
    hits = [i for i, ln in enumerate(lines) if needle in ln]
    blocks = defaultdict(list)
    for i in hits[:limit]:
        for j in range(max(0, i - context), min(len(lines), i + context + 1)):
            blocks[i].append(f"{j + 1}: {lines[j]}")
    return {"hits": len(hits), "shown": min(len(hits), limit), "blocks": [blocks[i] for i in hits[:limit]]}


def main(argv: list[str] | None = None) -> None:
    """summary | around: read the log (any encoding, gz allowed) and print JSON."""
    ap = argparse.ArgumentParser(description="analyse a log file")
    ap.add_argument("action", choices=["summary", "around"])
    ap.add_argument("file")
    ap.add_argument("--find", help="around: text or timestamp prefix to look for")
    ap.add_argument("--context", type=int, default=5, help="around: lines before and after (default 5)")
    ap.add_argument("--limit", type=int, default=10, help="around: at most this many hits shown")
    ap.add_argument("--top", type=int, default=10, help="summary: how many error groups")
    ap.add_argument("--spike-factor", type=float, default=3.0)
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    path = Path(a.file)
    if not path.is_file():
        fail(f"no such file: {a.file}")
    raw = path.read_bytes()
    if path.suffix == ".gz":
        import gzip

        raw = gzip.decompress(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")  # Chinese Windows software often logs in GBK
    lines = text.splitlines()
    if a.action == "around" and not a.find:
        fail("around needs --find")
    out = summarise(lines, a.top, a.spike_factor) if a.action == "summary" else around(lines, a.find, a.context, a.limit)
    print(json.dumps({"ok": True, "file": a.file, **out}, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
