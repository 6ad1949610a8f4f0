#!/usr/bin/env python3
"""Mainland China working days: statutory holidays and make-up working days (调休) for 2025 and 2026.

Source: the State Council General Office notices 国办发明电〔2024〕12号 (2025 arrangement, the first under the
holiday reform that added 除夕 and 5月2日) and 国务院办公厅2025年11月4日通知 (2026 arrangement). Years outside the table are
counted as Monday-Friday only and flagged `covered: false`: check https://www.gov.cn for that year's notice.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta

# name, first day off, last day off, make-up working days
ARRANGEMENTS = {
    2025: [("元旦", "2025-01-01", "2025-01-01", []),
           ("春节", "2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"]),
           ("清明节", "2025-04-04", "2025-04-06", []),
           ("劳动节", "2025-05-01", "2025-05-05", ["2025-04-27"]),
           ("端午节", "2025-05-31", "2025-06-02", []),
           ("国庆节、中秋节", "2025-10-01", "2025-10-08", ["2025-09-28", "2025-10-11"])],
    2026: [("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"]),
           ("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
           ("清明节", "2026-04-04", "2026-04-06", []),
           ("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"]),
           ("端午节", "2026-06-19", "2026-06-21", []),
           ("中秋节", "2026-09-25", "2026-09-27", []),
           ("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"])],
}
SOURCES = {2025: "国办发明电〔2024〕12号", 2026: "国务院办公厅2025年11月4日通知"}


def _days() -> tuple[dict[date, str], dict[date, str]]:
    """Every day off by holiday name, and every make-up working day by the holiday it serves."""
    off, work = {}, {}
    for items in ARRANGEMENTS.values():
        for name, first, last, makeup in items:
            d = date.fromisoformat(first)
            while d <= date.fromisoformat(last):
                off[d] = name
                d += timedelta(1)
            work.update({date.fromisoformat(m): name for m in makeup})
    return off, work


OFF, MAKEUP = _days()


def status(d: date) -> dict:
    """Whether d is a working day, and why."""
    if d in OFF:
        kind, workday, why = "holiday", False, f"{OFF[d]}放假"
    elif d in MAKEUP:
        kind, workday, why = "makeup_workday", True, f"{MAKEUP[d]}调休上班"
    elif d.weekday() >= 5:
        kind, workday, why = "weekend", False, "周末"
    else:
        kind, workday, why = "workday", True, "工作日"
    return {"date": d.isoformat(), "weekday": "一二三四五六日"[d.weekday()], "workday": workday, "kind": kind,
            "reason": why, "covered": d.year in ARRANGEMENTS}


def is_workday(d: date) -> bool:
    """True on a working day in mainland China."""
    return status(d)["workday"]


def count(start: date, end: date) -> dict:
    """Working days from start to end, both included."""
    if end < start:
        raise ValueError("end is before start")
    days = [start + timedelta(i) for i in range((end - start).days + 1)]
    work = [d for d in days if is_workday(d)]
    holidays = sorted({OFF[d] for d in days if d in OFF})
    return {"start": start.isoformat(), "end": end.isoformat(), "calendar_days": len(days), "workdays": len(work),
            "days_off": len(days) - len(work), "holidays_in_range": holidays,
            "makeup_workdays": [d.isoformat() for d in days if d in MAKEUP], "covered": covered(start, end)}


def add(start: date, n: int) -> dict:
    """The date n working days after start (start itself not counted); n < 0 goes back."""
    step, d, left = (1 if n >= 0 else -1), start, abs(n)
    while left:
        d += timedelta(step)
        left -= is_workday(d)
    return {"start": start.isoformat(), "workdays": n, "date": d.isoformat(), **status(d),
            "covered": covered(min(start, d), max(start, d))}


def covered(start: date, end: date) -> bool:
    """True when every year between start and end is in the table."""
    return all(y in ARRANGEMENTS for y in range(start.year, end.year + 1))


def holidays(year: int) -> dict:
    """The year's arrangement, or an explanation that it is not in the table."""
    if year not in ARRANGEMENTS:
        raise ValueError(f"{year} is not in the table (2025-2026); check the State Council notice on www.gov.cn")
    items = [{"name": n, "from": f, "to": t, "days": (date.fromisoformat(t) - date.fromisoformat(f)).days + 1,
              "makeup_workdays": m} for n, f, t, m in ARRANGEMENTS[year]]
    return {"year": year, "source": SOURCES[year], "holidays": items}


def main(argv: list[str] | None = None) -> None:
    """Run one command; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="JSON output (always on)")
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("is-workday", parents=[common]).add_argument("dates", nargs="+")
    c = sub.add_parser("count", parents=[common], help="working days between two dates, inclusive")
    c.add_argument("start")
    c.add_argument("end")
    d = sub.add_parser("add", parents=[common], help="N working days after a date")
    d.add_argument("start")
    d.add_argument("n", type=int)
    sub.add_parser("holidays", parents=[common]).add_argument("year", type=int)
    a = p.parse_args(argv)
    iso = date.fromisoformat
    try:
        result = {"is-workday": lambda: {"results": [status(iso(x)) for x in a.dates]},
                  "count": lambda: count(iso(a.start), iso(a.end)),
                  "add": lambda: add(iso(a.start), a.n),
                  "holidays": lambda: holidays(a.year)}[a.cmd]()
    except ValueError as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, **result}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
