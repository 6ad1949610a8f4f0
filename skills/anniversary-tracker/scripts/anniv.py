#!/usr/bin/env python3
"""Important dates (birthdays, lunar birthdays, anniversaries, renewals) in a JSON file, with the next occurrence,
days left and the day to send a reminder.

Lunar (农历) dates need the `lunar-python` package (pip install lunar-python); Gregorian dates need nothing.
Rules: Feb 29 falls on Feb 28 in common years; a lunar 30th in a 29-day month falls on the 29th; a birthday in
a leap month is kept in the ordinary month of that number in years without that leap month.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date, timedelta
from pathlib import Path

KINDS = ("birthday", "anniversary", "renewal", "other")
INSTALL_HINT = "lunar dates need the lunar-python package: pip install lunar-python"


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> tuple[date, list[str]]:
    """The Gregorian date of a lunar date, with notes when the day or leap month had to be adjusted."""
    try:
        from lunar_python import Lunar, LunarMonth, LunarYear
    except ImportError as exc:
        raise RuntimeError(INSTALL_HINT) from exc
    notes = []
    if leap and LunarYear.fromYear(year).getLeapMonth() != month:
        notes.append(f"{year} has no leap month {month}; the ordinary month {month} is used")
        leap = False
    m = -month if leap else month
    days = LunarMonth.fromYm(year, m).getDayCount()
    if day > days:
        notes.append(f"lunar month {month} of {year} has only {days} days; day {days} is used")
        day = days
    s = Lunar.fromYmd(year, m, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay()), notes


def solar_on(year: int, month: int, day: int) -> date:
    if month == 2 and day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    return date(year, month, day)


def next_occurrence(ev: dict, today: date) -> dict:
    """Next date on or after `today`, how many days away, and which year/age it marks."""
    y0, m, d = ev.get("year"), ev["month"], ev["day"]
    notes: list[str] = []
    if ev.get("lunar"):
        from_year = today.year - 1  # the lunar year may still be last year's in January / February
        for y in range(from_year, from_year + 3):
            when, notes = lunar_to_solar(y, m, d, ev.get("leap", False))
            if when >= today:
                break
        lunar_year = y
    else:
        when = solar_on(today.year, m, d)
        if when < today:
            when = solar_on(today.year + 1, m, d)
        lunar_year = None
    count = ((lunar_year or when.year) - y0) if y0 else None
    remind_on = when - timedelta(days=int(ev.get("remind_days", 7)))
    return {**ev, "next": when.isoformat(), "weekday": "一二三四五六日"[when.weekday()], "days_left": (when - today).days,
            "years": count, "remind_on": remind_on.isoformat(), "remind_now": remind_on <= today <= when, "notes": notes}


def load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def save(path: Path, events: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(events, ensure_ascii=False, indent=1), encoding="utf-8")


def parse_date(text: str) -> tuple[int | None, int, int]:
    """'1990-05-20' or '05-20' (year unknown) → (year, month, day)."""
    parts = [int(p) for p in text.replace("/", "-").split("-")]
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    if len(parts) == 2:
        return None, parts[0], parts[1]
    raise ValueError(f"date {text!r} must be YYYY-MM-DD or MM-DD")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--file", default="anniversaries.json", help="the dates file (default ./anniversaries.json)")
    ap.add_argument("--today", help="YYYY-MM-DD to count from (default today)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("add", help="remember a date (replaces one with the same name)")
    a.add_argument("name", help="e.g. 妈妈生日")
    a.add_argument("date", help="YYYY-MM-DD or MM-DD; a lunar date with --lunar (e.g. 1965-08-15 = 八月十五)")
    a.add_argument("--kind", choices=KINDS, default="birthday")
    a.add_argument("--lunar", action="store_true", help="the date is in the Chinese lunar calendar")
    a.add_argument("--leap", action="store_true", help="lunar leap month (闰月)")
    a.add_argument("--remind-days", type=int, default=7)
    a.add_argument("--note", default="", help="gift ideas, who to call …")
    r = sub.add_parser("remove", help="forget a date")
    r.add_argument("name")
    u = sub.add_parser("upcoming", help="dates in the next N days, soonest first")
    u.add_argument("--within", type=int, default=366)
    c = sub.add_parser("lunar", help="Gregorian date of a lunar date")
    c.add_argument("year", type=int)
    c.add_argument("month", type=int)
    c.add_argument("day", type=int)
    c.add_argument("--leap", action="store_true")
    for x in (a, r, u, c):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    path = Path(os.path.expanduser(args.file))
    try:
        result = run(args, path, date.fromisoformat(args.today) if args.today else date.today())
    except RuntimeError as exc:
        print(json.dumps({"ok": False, "error": str(exc), "install": "pip install lunar-python"}, ensure_ascii=False))
        return 3
    except (OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result.get("ok", True) else 1


def run(args: argparse.Namespace, path: Path, today: date) -> dict:
    if args.cmd == "lunar":
        when, notes = lunar_to_solar(args.year, args.month, args.day, args.leap)
        return {"ok": True, "solar": when.isoformat(), "notes": notes}
    events = load(path)
    if args.cmd == "add":
        year, month, day = parse_date(args.date)
        if not args.lunar:
            solar_on(year or 2000, month, day)  # validates month and day
        ev = {"name": args.name, "kind": args.kind, "year": year, "month": month, "day": day, "lunar": args.lunar,
              "leap": args.leap, "remind_days": args.remind_days, "note": args.note}
        nxt = next_occurrence(ev, today)  # fails early on an impossible date or a missing lunar library
        save(path, [e for e in events if e["name"] != args.name] + [ev])
        return {"ok": True, "saved": ev, "next": nxt, "file": str(path)}
    if args.cmd == "remove":
        kept = [e for e in events if e["name"] != args.name]
        save(path, kept)
        return {"ok": len(kept) < len(events), "removed": len(events) - len(kept)}
    rows = sorted((next_occurrence(e, today) for e in events), key=lambda e: e["days_left"])
    return {"ok": True, "today": today.isoformat(), "upcoming": [e for e in rows if e["days_left"] <= args.within],
            "remind_now": [e["name"] for e in rows if e["remind_now"]]}


if __name__ == "__main__":
    sys.exit(main())
