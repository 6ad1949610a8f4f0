#!/usr/bin/env python3
"""Date arithmetic: days between dates, adding days/weeks/months/years, weekday, age, ISO week, countdowns,
and working days (Mon-Fri, optionally minus given holidays). Gregorian calendar, standard library only."""
from __future__ import annotations

import argparse
import calendar
import json
import sys
from datetime import date, timedelta

WEEKDAYS_ZH = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]


def parse(text: str) -> date:
    """YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, 'today' or 今天."""
    t = text.strip().lower()
    if t in ("today", "今天", "now"):
        return date.today()
    return date.fromisoformat(t.replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日"))


def add_months(d: date, months: int) -> date:
    """Same day N months later, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def info(d: date) -> dict:
    iso = d.isocalendar()
    return {"date": d.isoformat(), "weekday": d.strftime("%A"), "weekday_zh": WEEKDAYS_ZH[d.weekday()],
            "iso_week": f"{iso[0]}-W{iso[1]:02d}", "day_of_year": d.timetuple().tm_yday,
            "leap_year": calendar.isleap(d.year)}


def between(a: date, b: date, holidays: set[date]) -> dict:
    """Days from a to b (b exclusive), also as weeks + days, whole months + days, and working days."""
    days = (b - a).days
    lo, hi = min(a, b), max(a, b)
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    if add_months(lo, months) > hi:
        months -= 1
    rest = (hi - add_months(lo, months)).days
    work = sum(1 for i in range((hi - lo).days) if (lo + timedelta(i)).weekday() < 5 and lo + timedelta(i) not in holidays)
    return {"from": a.isoformat(), "to": b.isoformat(), "days": days, "days_inclusive": abs(days) + 1,
            "weeks": f"{abs(days) // 7} weeks {abs(days) % 7} days", "months": f"{months} months {rest} days",
            "working_days": work, "note": "days counts the end date but not the start; days_inclusive counts both"}


def age(birth: date, on: date) -> dict:
    """Completed years (the birthday counts on the day; Feb 29 birthdays count on Feb 28 in common years)."""
    this_year = add_months(birth, 12 * (on.year - birth.year))
    years = on.year - birth.year - (on < this_year)
    nxt = this_year if this_year > on else add_months(birth, 12 * (on.year - birth.year + 1))
    return {"birth": birth.isoformat(), "on": on.isoformat(), "age": years, "birthday_today": this_year == on,
            "next_birthday": nxt.isoformat(), "days_to_next_birthday": (nxt - on).days,
            "days_alive": (on - birth).days}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("between", help="days between two dates")
    b.add_argument("start")
    b.add_argument("end")
    b.add_argument("--holiday", action="append", default=[], help="YYYY-MM-DD to leave out of working days")
    a = sub.add_parser("add", help="add or subtract time")
    a.add_argument("start")
    for unit in ("days", "weeks", "months", "years", "workdays"):
        a.add_argument(f"--{unit}", type=int, default=0, help="negative to go back")
    i = sub.add_parser("info", help="weekday, ISO week, day of year")
    i.add_argument("dates", nargs="+")
    g = sub.add_parser("age", help="age on a date")
    g.add_argument("birth")
    g.add_argument("--on", default="today")
    c = sub.add_parser("countdown", help="days until a date")
    c.add_argument("target")
    c.add_argument("--from", dest="start", default="today")
    for x in (b, a, i, g, c):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        result = run(args)
    except (ValueError, OverflowError) as exc:
        print(json.dumps({"ok": False, "error": f"{exc} (dates are written YYYY-MM-DD)"}, ensure_ascii=False))
        return 2
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))
    return 0


def add_workdays(d: date, n: int) -> date:
    step = 1 if n >= 0 else -1
    while n:
        d += timedelta(step)
        if d.weekday() < 5:
            n -= step
    return d


def run(args: argparse.Namespace) -> dict:
    if args.cmd == "between":
        return between(parse(args.start), parse(args.end), {parse(h) for h in args.holiday})
    if args.cmd == "add":
        d = add_months(parse(args.start), args.months + 12 * args.years)
        d = add_workdays(d + timedelta(days=args.days, weeks=args.weeks), args.workdays)
        return {"start": parse(args.start).isoformat(), "result": info(d)}
    if args.cmd == "info":
        return {"dates": [info(parse(x)) for x in args.dates]}
    if args.cmd == "age":
        return age(parse(args.birth), parse(args.on))
    start, target = parse(args.start), parse(args.target)
    return {"from": start.isoformat(), "target": info(target), "days_left": (target - start).days,
            "passed": target < start}


if __name__ == "__main__":
    sys.exit(main())
