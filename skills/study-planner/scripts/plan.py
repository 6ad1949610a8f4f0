#!/usr/bin/env python3
"""A study plan toward an exam: topics spread over the available days, each reviewed 1, 3 and 7 days after it is
learned (spaced repetition), the last days kept for full revision; written as a Markdown checklist and an .ics file.

Reviews that would fall on or after the revision days are pulled forward to the last study day, and the plan says so.
"""
from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
            "周一": 0, "周二": 1, "周三": 2, "周四": 3, "周五": 4, "周六": 5, "周日": 6, "周天": 6}


def parse_topics(items: list[str]) -> list[tuple[str, int]]:
    """'topic' or 'topic:days' -> (topic, days)."""
    out = []
    for item in items:
        name, _, days = item.rpartition(":") if ":" in item else (item, "", "1")
        if not name.strip():
            continue
        out.append((name.strip(), max(1, int(days or 1))))
    return out


def build(start: date, exam: date, topics: list[tuple[str, int]], rest: set[int], reviews: list[int],
          final_days: int) -> dict:
    """Day-by-day tasks and per-topic learn/review dates."""
    if exam <= start:
        raise ValueError("the exam must be after the start date")
    days = [start + timedelta(i) for i in range((exam - start).days)]
    study = [d for d in days if d.weekday() not in rest]
    final = study[-final_days:] if final_days else []
    learn_days = study[: len(study) - len(final)]
    need = sum(n for _, n in topics)
    if need > len(learn_days):
        raise ValueError(f"{need} learning days needed but only {len(learn_days)} are free before the revision days")
    # Spread: leave room so the last topic still gets its longest review before the revision days.
    slack = max(0, len(learn_days) - need)
    stride = min(slack // max(len(topics), 1), max(reviews or [0]) // 2)
    tasks: dict[date, list[str]] = defaultdict(list)
    plan, i, pulled = [], 0, 0
    last_study = learn_days[-1]
    for name, n in topics:
        learned = learn_days[i : i + n]
        i += n + stride if i + n + stride + (len(topics) - len(plan) - 1) <= len(learn_days) else n
        for k, d in enumerate(learned):
            tasks[d].append(f"学习 {name}" + (f"（{k + 1}/{n}）" if n > 1 else ""))
        rev_dates = []
        for gap in reviews:
            d = learned[-1] + timedelta(gap)
            while d.weekday() in rest:  # a review on a rest day moves to the next study day
                d += timedelta(1)
            if d > last_study:
                d, pulled = last_study, pulled + 1
            rev_dates.append(d)
            tasks[d].append(f"复习 {name}（+{gap}天）")
        plan.append({"topic": name, "learn": [d.isoformat() for d in learned],
                     "reviews": [d.isoformat() for d in rev_dates]})
    for d in final:
        tasks[d].append("总复习 / 模拟考试")
    tasks[exam].append("考试")
    return {"start": start.isoformat(), "exam": exam.isoformat(), "study_days": len(study), "topics": plan,
            "reviews_pulled_forward": pulled,
            "days": [{"date": d.isoformat(), "tasks": t} for d, t in sorted(tasks.items())]}


def markdown(plan: dict, title: str) -> str:
    """A checklist, one heading per day."""
    lines = [f"# {title}", "", f"{plan['start']} → 考试 {plan['exam']}", ""]
    for day in plan["days"]:
        d = date.fromisoformat(day["date"])
        lines.append(f"## {day['date']} 周{'一二三四五六日'[d.weekday()]}")
        lines += [f"- [ ] {t}" for t in day["tasks"]] + [""]
    return "\n".join(lines)


def ics(plan: dict, title: str) -> str:
    """All-day events, one per day, for any calendar app."""
    stamp = "20260101T000000Z"
    out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//xiaodazi//study-planner//ZH", "CALSCALE:GREGORIAN"]
    for day in plan["days"]:
        d = date.fromisoformat(day["date"])
        summary = "；".join(day["tasks"]).replace(",", "\\,").replace(";", "\\;")
        out += ["BEGIN:VEVENT", f"UID:{uuid.uuid5(uuid.NAMESPACE_URL, title + day['date'])}@xiaodazi",
                f"DTSTAMP:{stamp}", f"DTSTART;VALUE=DATE:{d:%Y%m%d}", f"DTEND;VALUE=DATE:{d + timedelta(1):%Y%m%d}",
                f"SUMMARY:{summary}", "END:VEVENT"]
    return "\r\n".join(out + ["END:VCALENDAR"]) + "\r\n"


def main(argv: list[str] | None = None) -> None:
    """Build the plan and write the files; print JSON; exit 2 when it cannot fit or input is bad."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--exam", required=True, help="exam date YYYY-MM-DD")
    p.add_argument("--start", default=date.today().isoformat())
    p.add_argument("--topics", nargs="+", required=True, help="'topic' or 'topic:days'")
    p.add_argument("--rest", nargs="*", default=[], help="weekly rest days, e.g. sun or 周日")
    p.add_argument("--reviews", nargs="*", type=int, default=[1, 3, 7])
    p.add_argument("--final-days", type=int, default=2, help="days before the exam kept for full revision")
    p.add_argument("--title", default="备考计划")
    p.add_argument("--md", type=Path)
    p.add_argument("--ics", type=Path)
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    try:
        rest = {WEEKDAYS[r.lower()] for r in a.rest}
        plan = build(date.fromisoformat(a.start), date.fromisoformat(a.exam), parse_topics(a.topics), rest,
                     sorted(a.reviews), a.final_days)
        for path, text in ((a.md, markdown(plan, a.title)), (a.ics, ics(plan, a.title))):
            if path:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8", newline="")
    except (ValueError, KeyError, OSError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **plan, "md": str(a.md) if a.md else None, "ics": str(a.ics) if a.ics else None},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
