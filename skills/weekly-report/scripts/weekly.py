#!/usr/bin/env python3
"""Collect a period's work from git history and notes/to-do files, sorted into done / in progress / next / risks."""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

SECTIONS = {"done": "本周完成 / Done", "in_progress": "进行中 / In progress", "next": "下周计划 / Next",
            "risks": "风险与求助 / Risks & help needed"}
HEADING_HINTS = [("risks", r"风险|问题|阻塞|困难|求助|risk|block|issue|concern"),
                 ("next", r"下周|下月|明天|计划|待办|next|plan|todo|to-do"),
                 ("in_progress", r"进行|跟进|doing|in progress|wip|ongoing"),
                 ("done", r"完成|已做|成果|done|finished|completed|shipped")]
LINE_HINTS = [("risks", r"风险|阻塞|卡住|延期|来不及|依赖.*未|blocked|risk|delay|waiting on"),
              ("next", r"^(下周|明天|计划|准备|将要|打算)|\bnext\b|\bplan to\b|\bwill\b"),
              ("in_progress", r"进行中|正在|开发中|跟进中|\d{1,3}\s*%|doing|wip|ongoing|in progress"),
              ("done", r"完成|已|上线|修复|交付|通过|搞定|done|fixed|shipped|merged|released|finished")]
CONVENTIONAL = re.compile(r"^\w+(\([^)]*\))?!?:\s*")


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def period(kind: str, ref: date) -> tuple[date, date]:
    """The day, the Monday–Sunday week or the calendar month containing `ref`."""
    if kind == "day":
        return ref, ref
    if kind == "week":
        start = ref - timedelta(days=ref.weekday())
        return start, start + timedelta(days=6)
    start = ref.replace(day=1)
    return start, (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def git_items(repo: str, author: str | None, since: date, until: date) -> list[dict]:
    """Non-merge commits in the period (subject cleaned of conventional prefixes), oldest first."""
    cmd = ["git", "-c", "core.quotepath=off", "-C", repo, "log", "--no-merges", "--reverse",
           f"--since={since.isoformat()} 00:00", f"--until={until.isoformat()} 23:59:59", "--format=%h\t%ad\t%s",
           "--date=short"]
    if author:
        cmd.append(f"--author={author}")
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or f"git log failed in {repo}")
    items = []
    for line in proc.stdout.splitlines():
        sha, day, subject = line.split("\t", 2)
        wip = bool(re.search(r"\bwip\b|进行中|未完成", subject, re.I))
        items.append({"section": "in_progress" if wip else "done", "text": CONVENTIONAL.sub("", subject),
                      "source": f"git {Path(repo).resolve().name}@{sha}", "date": day})
    return items


def note_items(path: Path) -> list[dict]:
    """Lines of a notes/to-do file sorted by heading context, checkbox state or keywords."""
    items, context = [], None
    for raw in path.read_text(encoding="utf-8-sig", errors="replace").splitlines():
        line = raw.strip()
        if not line:
            continue
        if m := re.match(r"^(#{1,6}\s*|【)(.+?)】?$", line):
            context = next((sec for sec, rx in HEADING_HINTS if re.search(rx, m[2], re.I)), None)
            continue
        box = re.match(r"^[-*+]\s*\[([ xX])\]\s*(.+)", line)
        text = box[2] if box else re.sub(r"^([-*+•]|\d+[.、)])\s*", "", line)
        if box and box[1] in "xX":
            section = "done"
        else:
            section = context or next((sec for sec, rx in LINE_HINTS if re.search(rx, text, re.I)), None)
            section = section or ("in_progress" if box else "done")
        text = re.sub(r"\s*(✅|📅)\d{4}-\d{2}-\d{2}", "", text).strip()
        items.append({"section": section, "text": text, "source": path.name})
    return items


def dedupe(items: list[dict]) -> list[dict]:
    """Drop repeats (same text, case and spacing ignored), keeping the first."""
    seen, out = set(), []
    for it in items:
        key = re.sub(r"\W+", "", it["text"].lower())
        if key and key not in seen:
            seen.add(key)
            out.append(it)
    return out


def markdown(grouped: dict[str, list[dict]], title: str) -> str:
    """A report skeleton with the four sections; empty sections say so rather than vanish."""
    lines = [f"# {title}", ""]
    for key, label in SECTIONS.items():
        lines += [f"## {label}", ""]
        lines += [f"- {it['text']}" for it in grouped[key]] or ["- （无 / none）"]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Collect items and print them grouped, with a Markdown draft."""
    ap = argparse.ArgumentParser(description="material for a daily/weekly/monthly report")
    ap.add_argument("--period", choices=["day", "week", "month"], default="week")
    ap.add_argument("--date", help="a day inside the period (default today)")
    ap.add_argument("--git", action="append", default=[], help="a repository folder (repeatable)")
    ap.add_argument("--author", help="only commits by this author (name or email part)")
    ap.add_argument("--notes", action="append", default=[], help="notes / to-do files (repeatable)")
    ap.add_argument("--title", help="report title")
    ap.add_argument("--out", help="write the Markdown draft here")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    start, end = period(a.period, date.fromisoformat(a.date) if a.date else date.today())
    items, problems = [], []
    for repo in a.git:
        try:
            items += git_items(repo, a.author, start, end)
        except (RuntimeError, FileNotFoundError) as exc:
            problems.append(f"{repo}: {exc}")
    for n in a.notes:
        if Path(n).is_file():
            items += note_items(Path(n))
        else:
            problems.append(f"{n}: no such file")
    items = dedupe(items)
    grouped = {k: [it for it in items if it["section"] == k] for k in SECTIONS}
    label = {"day": "日报", "week": "周报", "month": "月报"}[a.period]
    title = a.title or f"{label} {start.isoformat()}" + ("" if start == end else f" ~ {end.isoformat()}")
    md = markdown(grouped, title)
    if a.out:
        Path(a.out).write_text(md, encoding="utf-8")
    out = {"ok": True, "from": start.isoformat(), "to": end.isoformat(), "counts": {k: len(v) for k, v in grouped.items()},
           "sections": grouped, "problems": problems, "markdown": md, "written": a.out}
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
