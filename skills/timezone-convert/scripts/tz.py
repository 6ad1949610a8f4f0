#!/usr/bin/env python3
"""Time zone conversion with daylight saving (IANA zones via zoneinfo) and meeting slots that suit several zones.

Cities can be given in Chinese or English (北京, 纽约, London) or as IANA names (Europe/Berlin) or UTC offsets (UTC+8).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

CITIES = {
    "北京": "Asia/Shanghai", "上海": "Asia/Shanghai", "深圳": "Asia/Shanghai", "广州": "Asia/Shanghai",
    "杭州": "Asia/Shanghai", "成都": "Asia/Shanghai", "中国": "Asia/Shanghai", "beijing": "Asia/Shanghai",
    "shanghai": "Asia/Shanghai", "china": "Asia/Shanghai", "香港": "Asia/Hong_Kong", "hong kong": "Asia/Hong_Kong",
    "台北": "Asia/Taipei", "taipei": "Asia/Taipei", "东京": "Asia/Tokyo", "tokyo": "Asia/Tokyo", "日本": "Asia/Tokyo",
    "首尔": "Asia/Seoul", "seoul": "Asia/Seoul", "新加坡": "Asia/Singapore", "singapore": "Asia/Singapore",
    "曼谷": "Asia/Bangkok", "bangkok": "Asia/Bangkok", "迪拜": "Asia/Dubai", "dubai": "Asia/Dubai",
    "孟买": "Asia/Kolkata", "新德里": "Asia/Kolkata", "印度": "Asia/Kolkata", "delhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata", "india": "Asia/Kolkata", "莫斯科": "Europe/Moscow", "moscow": "Europe/Moscow",
    "伦敦": "Europe/London", "london": "Europe/London", "英国": "Europe/London", "巴黎": "Europe/Paris",
    "paris": "Europe/Paris", "柏林": "Europe/Berlin", "berlin": "Europe/Berlin", "德国": "Europe/Berlin",
    "法兰克福": "Europe/Berlin", "阿姆斯特丹": "Europe/Amsterdam", "马德里": "Europe/Madrid", "罗马": "Europe/Rome",
    "纽约": "America/New_York", "new york": "America/New_York", "nyc": "America/New_York", "华盛顿": "America/New_York",
    "波士顿": "America/New_York", "多伦多": "America/Toronto", "toronto": "America/Toronto",
    "芝加哥": "America/Chicago", "chicago": "America/Chicago", "丹佛": "America/Denver",
    "洛杉矶": "America/Los_Angeles", "los angeles": "America/Los_Angeles", "la": "America/Los_Angeles",
    "旧金山": "America/Los_Angeles", "san francisco": "America/Los_Angeles", "硅谷": "America/Los_Angeles",
    "西雅图": "America/Los_Angeles", "seattle": "America/Los_Angeles", "温哥华": "America/Vancouver",
    "vancouver": "America/Vancouver", "墨西哥城": "America/Mexico_City", "圣保罗": "America/Sao_Paulo",
    "悉尼": "Australia/Sydney", "sydney": "Australia/Sydney", "墨尔本": "Australia/Melbourne",
    "奥克兰": "Pacific/Auckland", "auckland": "Pacific/Auckland", "utc": "UTC", "gmt": "UTC",
}
WEEKDAYS_ZH = "一二三四五六日"


def zone(name: str):
    """A tzinfo from a city, an IANA name or 'UTC+8' / 'GMT-5:30'."""
    key = name.strip()
    if m := re.fullmatch(r"(?i)(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", key):
        delta = timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return timezone(delta if m.group(1) == "+" else -delta, key.upper())
    iana = CITIES.get(key.lower(), CITIES.get(key, key))
    try:
        return ZoneInfo(iana)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown city or time zone {name!r}; use an IANA name such as Europe/Berlin") from exc


def describe(dt: datetime, label: str) -> dict:
    off = dt.utcoffset() or timedelta(0)
    sign, mins = ("+" if off >= timedelta(0) else "-"), abs(int(off.total_seconds())) // 60
    return {"place": label, "time": dt.strftime("%Y-%m-%d %H:%M"), "weekday": dt.strftime("%a"),
            "weekday_zh": "周" + WEEKDAYS_ZH[dt.weekday()], "utc_offset": f"UTC{sign}{mins // 60:02d}:{mins % 60:02d}",
            "dst": bool(dt.dst()), "abbreviation": dt.tzname()}


def convert(when: str, src: str, targets: list[str]) -> dict:
    """A wall-clock time in `src` shown in every target zone; flags times that do not exist or repeat."""
    naive = datetime.fromisoformat(when)
    local = naive.replace(tzinfo=zone(src))
    note = None
    back = local.astimezone(UTC).astimezone(zone(src))
    if back.replace(tzinfo=None) != naive:
        note = "this local time does not exist (clocks jump forward); it was read as the time after the jump"
    elif local.replace(fold=1).utcoffset() != local.utcoffset():
        note = "this local time happens twice (clocks go back); the first occurrence is used"
    return {"ok": True, "source": describe(local, src), "note": note,
            "results": [describe(local.astimezone(zone(t)), t) for t in targets]}


def meeting(day: date, zones: list[str], start: int, end: int, minutes: int) -> dict:
    """Start times (on the hour and half hour, UTC-based scan of the day) inside everyone's working hours."""
    tzs = [zone(z) for z in zones]
    base = datetime(day.year, day.month, day.day, tzinfo=tzs[0])
    slots = []
    for step in range(-24, 48 * 2):
        t0 = base + timedelta(minutes=30 * step)
        t1 = t0 + timedelta(minutes=minutes)
        if t0.astimezone(tzs[0]).date() != day:
            continue
        fits = all(start * 60 <= _mins(t0.astimezone(tz)) and _mins(t1.astimezone(tz)) <= end * 60
                   and t0.astimezone(tz).date() == t1.astimezone(tz).date() and t0.astimezone(tz).weekday() < 5 for tz in tzs)
        if fits:
            slots.append([describe(t0.astimezone(tz), z) for tz, z in zip(tzs, zones, strict=True)])
    return {"ok": True, "date": day.isoformat(), "hours": f"{start}:00-{end}:00 local, Mon-Fri", "slots": slots,
            "hint": None if slots else "no common working time; widen --hours or rotate who meets early/late"}


def _mins(dt: datetime) -> int:
    return dt.hour * 60 + dt.minute


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("convert", help="show a time in other zones")
    c.add_argument("time", help="'YYYY-MM-DD HH:MM' (local time of --from), or 'now'")
    c.add_argument("--from", dest="src", required=True)
    c.add_argument("--to", nargs="+", required=True)
    m = sub.add_parser("meeting", help="slots inside everyone's working hours")
    m.add_argument("--date", required=True, help="YYYY-MM-DD in the first zone")
    m.add_argument("--zones", nargs="+", required=True)
    m.add_argument("--hours", default="9-18", help="working hours, e.g. 9-18")
    m.add_argument("--minutes", type=int, default=60)
    for x in (c, m):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "convert":
            when = datetime.now(zone(args.src)).strftime("%Y-%m-%d %H:%M") if args.time == "now" else args.time
            result = convert(when, args.src, args.to)
        else:
            start, end = (int(x) for x in args.hours.split("-"))
            result = meeting(date.fromisoformat(args.date), args.zones, start, end, args.minutes)
    except ValueError as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
