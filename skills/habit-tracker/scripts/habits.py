#!/usr/bin/env python3
"""Daily habit check-ins in a CSV file (date,habit,note): streaks, today's status and a month calendar heat-map.

A streak counts consecutive days up to today; when today is not checked yet, the streak up to yesterday is still
alive (it breaks only when a whole day is missed).
"""
from __future__ import annotations

import argparse
import calendar
import csv
import json
import os
import sys
from datetime import date, timedelta
from pathlib import Path

FIELDS = ["date", "habit", "note"]


def read(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.DictReader(f) if r.get("date") and r.get("habit")]


def days_of(rows: list[dict], habit: str) -> set[date]:
    return {date.fromisoformat(r["date"]) for r in rows if r["habit"].strip() == habit.strip()}


def checkin(path: Path, habit: str, day: date, note: str) -> dict:
    """Record a check-in once per habit and day (a second one is reported, not duplicated)."""
    rows = read(path)
    if day in days_of(rows, habit):
        return {"ok": True, "habit": habit, "date": day.isoformat(), "already": True, **streaks(days_of(rows, habit), day)}
    new = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, FIELDS)
        if new:
            w.writeheader()
        w.writerow({"date": day.isoformat(), "habit": habit.strip(), "note": note})
    return {"ok": True, "habit": habit, "date": day.isoformat(), "already": False,
            **streaks(days_of(rows, habit) | {day}, day)}


def streaks(days: set[date], today: date) -> dict:
    """Current streak (alive through yesterday), longest streak, and totals."""
    cur = 0
    d = today if today in days else today - timedelta(days=1)
    while d in days:
        cur += 1
        d -= timedelta(days=1)
    longest, run, prev = 0, 0, None
    for d in sorted(days):
        run = run + 1 if prev and d - prev == timedelta(days=1) else 1
        longest, prev = max(longest, run), d
    last30 = sum(1 for d in days if today - timedelta(days=29) <= d <= today)
    return {"current_streak": cur, "checked_today": today in days, "longest_streak": longest, "total_days": len(days),
            "last_30_days": last30, "last_30_rate": round(last30 / 30, 2)}


def month_map(days: set[date], year: int, month: int, today: date) -> dict:
    """A text calendar: ■ done, □ missed (past), · still to come; weeks start on Monday (一 = Mo)."""
    lines = ["M T W T F S S"]
    for week in calendar.Calendar().monthdatescalendar(year, month):
        lines.append(" ".join(" " if d.month != month else "■" if d in days else "·" if d > today else "□" for d in week))
    done = sorted(d.isoformat() for d in days if d.year == year and d.month == month)
    return {"month": f"{year}-{month:02d}", "done_days": len(done), "done_dates": done, "calendar": "\n".join(lines)}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--file", default="habits.csv", help="check-in CSV (default ./habits.csv)")
    ap.add_argument("--today", help="YYYY-MM-DD to treat as today (back-filling, checks)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("checkin", help="check a habit in")
    c.add_argument("habit")
    c.add_argument("--date", help="YYYY-MM-DD (default today)")
    c.add_argument("--note", default="")
    s = sub.add_parser("streak", help="streaks of one habit")
    s.add_argument("habit")
    st = sub.add_parser("status", help="every habit: checked today? current streak")
    m = sub.add_parser("month", help="calendar heat-map of one habit")
    m.add_argument("habit")
    m.add_argument("--month", help="YYYY-MM (default this month)")
    for x in (c, s, st, m):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    path = Path(os.path.expanduser(args.file))
    try:
        today = date.fromisoformat(args.today) if args.today else date.today()
        rows = read(path)
        if args.cmd == "checkin":
            result = checkin(path, args.habit, date.fromisoformat(args.date) if args.date else today, args.note)
        elif args.cmd == "streak":
            result = {"ok": True, "habit": args.habit, **streaks(days_of(rows, args.habit), today)}
        elif args.cmd == "status":
            habits = sorted({r["habit"].strip() for r in rows})
            result = {"ok": True, "today": today.isoformat(),
                      "habits": [{"habit": h, **streaks(days_of(rows, h), today)} for h in habits]}
        else:
            y, mo = (int(x) for x in (args.month or today.strftime("%Y-%m")).split("-"))
            result = {"ok": True, "habit": args.habit, **month_map(days_of(rows, args.habit), y, mo, today)}
    except (OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
