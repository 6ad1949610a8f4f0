#!/usr/bin/env python3
"""Find common free time in several people's .ics calendars, inside working hours (standard library only)."""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def when(name: str, value: str, default_tz: ZoneInfo) -> datetime:
    """A DTSTART/DTEND property as an aware datetime (all-day dates start at midnight)."""
    tzid = re.search(r"TZID=([^;:]+)", name)
    if "VALUE=DATE" in name or re.fullmatch(r"\d{8}", value):
        return datetime.combine(datetime.strptime(value[:8], "%Y%m%d").date(), time(), default_tz)
    dt = datetime.strptime(value[:15], "%Y%m%dT%H%M%S")
    if value.endswith("Z"):
        return dt.replace(tzinfo=timezone.utc)
    try:
        return dt.replace(tzinfo=ZoneInfo(tzid[1].strip('"')) if tzid else default_tz)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.replace(tzinfo=default_tz)  # Outlook names like "China Standard Time": assume the meeting zone


def duration(text: str) -> timedelta:
    """An ISO 8601 duration such as PT1H30M or P1D."""
    m = re.fullmatch(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", text.strip())
    if not m:
        return timedelta(hours=1)
    w, d, h, mi, s = (int(x or 0) for x in m.groups())
    return timedelta(weeks=w, days=d, hours=h, minutes=mi, seconds=s)


def expand(start: datetime, end: datetime, rule: str, until: datetime) -> list[tuple[datetime, datetime]]:
    """Occurrences of a DAILY/WEEKLY recurrence (COUNT, UNTIL, INTERVAL, BYDAY) up to `until`."""
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    freq, step = parts.get("FREQ"), int(parts.get("INTERVAL", 1))
    count = int(parts["COUNT"]) if "COUNT" in parts else None
    stop = when("UNTIL", parts["UNTIL"], start.tzinfo) if "UNTIL" in parts else until
    bydays = {DAYS[d[-2:]] for d in parts.get("BYDAY", "").split(",") if d[-2:] in DAYS}
    out, span, day = [], end - start, start
    while day <= min(stop, until) and (count is None or len(out) < count):
        weeks = (day.date() - start.date()).days // 7
        ok = (freq == "DAILY" and (day.date() - start.date()).days % step == 0) or \
             (freq == "WEEKLY" and weeks % step == 0 and (day.weekday() in bydays if bydays else day.weekday() == start.weekday()))
        if ok:
            out.append((day, day + span))
        elif freq not in ("DAILY", "WEEKLY"):
            return [(start, end)]  # monthly/yearly rules: only the first occurrence is considered
        day += timedelta(days=1)
    return out


def busy_of(path: Path, tz: ZoneInfo, until: datetime) -> list[tuple[datetime, datetime]]:
    """Busy intervals of one .ics file (transparent/free and cancelled events ignored)."""
    text = re.sub(r"\r?\n[ \t]", "", path.read_text(encoding="utf-8-sig", errors="replace"))
    out = []
    for block in re.findall(r"BEGIN:VEVENT(.*?)END:VEVENT", text, flags=re.S):
        props = {}
        for ln in block.strip().splitlines():
            name, _, value = ln.partition(":")
            props.setdefault(name.split(";")[0].upper(), (name, value.strip()))
        if "DTSTART" not in props or props.get("TRANSP", ("", ""))[1] == "TRANSPARENT" \
                or props.get("STATUS", ("", ""))[1] == "CANCELLED":
            continue
        start = when(*props["DTSTART"], tz)
        end = when(*props["DTEND"], tz) if "DTEND" in props else start + duration(props.get("DURATION", ("", "PT1H"))[1])
        rule = props.get("RRULE", ("", ""))[1]
        out += expand(start, end, rule, until) if rule else [(start, end)]
    return out


def free_slots(busy: list[tuple[datetime, datetime]], day_from: date, day_to: date, tz: ZoneInfo, work: tuple[time, time],
               min_len: timedelta, weekends: bool) -> list[dict]:
    """Gaps of at least `min_len` in working hours of each day that no busy interval covers."""
    busy = sorted(busy)
    slots, d = [], day_from
    while d <= day_to:
        if weekends or d.weekday() < 5:
            cursor, close = datetime.combine(d, work[0], tz), datetime.combine(d, work[1], tz)
            for b0, b1 in busy:
                b0, b1 = b0.astimezone(tz), b1.astimezone(tz)
                if b1 <= cursor or b0 >= close:
                    continue
                if b0 - cursor >= min_len:
                    slots.append((cursor, b0))
                cursor = max(cursor, b1)
            if close - cursor >= min_len:
                slots.append((cursor, close))
        d += timedelta(days=1)
    return [{"start": f"{s:%Y-%m-%d %H:%M}", "end": f"{e:%H:%M}", "minutes": int((e - s).total_seconds() // 60),
             "weekday": "一二三四五六日"[s.weekday()]} for s, e in slots]


def main(argv: list[str] | None = None) -> None:
    """Read every calendar, merge busy times, print the common free slots."""
    ap = argparse.ArgumentParser(description="common free slots across .ics calendars")
    ap.add_argument("calendars", nargs="+", help=".ics files, one per person")
    ap.add_argument("--from", dest="start", required=True, help="first day YYYY-MM-DD")
    ap.add_argument("--to", dest="end", help="last day (default: same as --from)")
    ap.add_argument("--hours", default="09:00-18:00", help="working hours, e.g. 09:00-18:00")
    ap.add_argument("--lunch", help="a daily break to keep free, e.g. 12:00-13:30")
    ap.add_argument("--min", type=int, default=30, help="shortest useful slot in minutes")
    ap.add_argument("--tz", default="Asia/Shanghai", help="the time zone to report in")
    ap.add_argument("--weekends", action="store_true", help="include Saturday and Sunday")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    try:
        tz = ZoneInfo(a.tz)
        d0, d1 = date.fromisoformat(a.start), date.fromisoformat(a.end or a.start)
        h0, h1 = (time.fromisoformat(x) for x in a.hours.split("-"))
    except (ValueError, ZoneInfoNotFoundError) as exc:
        fail(f"bad option: {exc}")
    until = datetime.combine(d1 + timedelta(days=1), time(), tz)
    busy, per_person = [], {}
    for cal in a.calendars:
        if not Path(cal).is_file():
            fail(f"no such calendar file: {cal}")
        mine = busy_of(Path(cal), tz, until)
        per_person[Path(cal).stem] = len(mine)
        busy += mine
    if a.lunch:
        l0, l1 = (time.fromisoformat(x) for x in a.lunch.split("-"))
        busy += [(datetime.combine(d0 + timedelta(days=i), l0, tz), datetime.combine(d0 + timedelta(days=i), l1, tz))
                 for i in range((d1 - d0).days + 1)]
    slots = free_slots(busy, d0, d1, tz, (h0, h1), timedelta(minutes=a.min), a.weekends)
    out = {"ok": True, "timezone": a.tz, "events_per_calendar": per_person, "slots": slots}
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
