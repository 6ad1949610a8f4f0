#!/usr/bin/env python3
"""Write standard iCalendar (.ics) events with time zone, alarms, recurrence and attendees; list events of a file."""
from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REPEAT = {"daily": "FREQ=DAILY", "weekly": "FREQ=WEEKLY", "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
          "monthly": "FREQ=MONTHLY", "yearly": "FREQ=YEARLY"}


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def esc(text: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11)."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (Chinese text)."""
    out, cur = [], b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(cur) + len(b) > (75 if not out else 74):
            out.append(cur.decode("utf-8"))
            cur = b""
        cur += b
    out.append(cur.decode("utf-8"))
    return "\r\n ".join(out)


def zone(name: str) -> ZoneInfo:
    """A time zone by IANA name; on Windows this needs the tzdata package."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fail(f"unknown time zone {name!r} (use an IANA name such as Asia/Shanghai; on Windows pip install tzdata)")


def fixed_offset(tz: ZoneInfo, year: int) -> timedelta | None:
    """The zone's UTC offset when it is the same all year (no daylight saving), else None."""
    offsets = {datetime(year, m, 15, tzinfo=tz).utcoffset() for m in (1, 4, 7, 10)}
    return offsets.pop() if len(offsets) == 1 else None


def vtimezone(name: str, offset: timedelta) -> list[str]:
    """A minimal VTIMEZONE for a zone without daylight saving (Asia/Shanghai, Asia/Tokyo…)."""
    mins = int(offset.total_seconds() // 60)
    off = f"{'+' if mins >= 0 else '-'}{abs(mins) // 60:02d}{abs(mins) % 60:02d}"
    return ["BEGIN:VTIMEZONE", f"TZID:{name}", "BEGIN:STANDARD", "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{off}", f"TZOFFSETTO:{off}", f"TZNAME:UTC{off[:3]}", "END:STANDARD", "END:VTIMEZONE"]


def parse_when(text: str) -> datetime | date:
    """'2026-12-03 14:00', '2026-12-03T14:00' or '2026-12-03' (all-day)."""
    text = text.strip().replace("/", "-")
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        return date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    return datetime.fromisoformat(text.replace(" ", "T"))


def event_lines(ev: dict, tzname: str, fixed: bool) -> list[str]:
    """The VEVENT lines for one event dict (title, start, end|minutes, alarms, repeat, attendees…)."""
    start = parse_when(ev["start"])
    all_day = not isinstance(start, datetime)
    if all_day:
        end = parse_when(ev["end"]) if ev.get("end") else start + timedelta(days=1)
        times = [f"DTSTART;VALUE=DATE:{start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
    else:
        end = parse_when(ev["end"]) if ev.get("end") else start + timedelta(minutes=int(ev.get("minutes", 60)))
        if end <= start:
            fail(f"event {ev['title']!r} ends before it starts")
        if fixed:
            times = [f"DTSTART;TZID={tzname}:{start:%Y%m%dT%H%M%S}", f"DTEND;TZID={tzname}:{end:%Y%m%dT%H%M%S}"]
        else:  # zones with daylight saving are written in UTC: every calendar converts it correctly
            z = zone(tzname)
            times = [f"DTSTART:{start.replace(tzinfo=z).astimezone(timezone.utc):%Y%m%dT%H%M%SZ}",
                     f"DTEND:{end.replace(tzinfo=z).astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"]
    lines = ["BEGIN:VEVENT", f"UID:{ev.get('uid') or uuid.uuid4()}@xiaodazi",
             f"DTSTAMP:{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}", *times, f"SUMMARY:{esc(ev['title'])}"]
    for key, prop in (("location", "LOCATION"), ("description", "DESCRIPTION"), ("url", "URL")):
        if ev.get(key):
            lines.append(f"{prop}:{esc(ev[key]) if prop != 'URL' else ev[key]}")
    rule = ev.get("rrule") or REPEAT.get(ev.get("repeat", ""), "")
    if rule:
        rule += f";COUNT={ev['count']}" if ev.get("count") else ""
        rule += f";UNTIL={parse_when(ev['until']):%Y%m%d}T235959Z" if ev.get("until") else ""
        lines.append(f"RRULE:{rule}")
    if ev.get("organizer"):
        lines.append(f"ORGANIZER:mailto:{ev['organizer']}")
    for who in ev.get("attendees", []):
        m = re.match(r"\s*(.*?)\s*<([^>]+)>\s*$", who)
        cn, mail = (m[1], m[2]) if m else ("", who.strip())
        lines.append(f"ATTENDEE;{'CN=' + json.dumps(cn, ensure_ascii=False) + ';' if cn else ''}ROLE=REQ-PARTICIPANT;"
                     f"RSVP=TRUE:mailto:{mail}")
    for minutes in ev.get("alarms", []):
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{esc(ev['title'])}",
                  f"TRIGGER:-PT{int(minutes)}M", "END:VALARM"]
    return lines + ["END:VEVENT"]


def calendar(events: list[dict], tzname: str) -> str:
    """A whole VCALENDAR text with CRLF line endings."""
    tz = zone(tzname)
    years = [parse_when(e["start"]).year for e in events]
    offset = fixed_offset(tz, years[0] if years else 2025)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//xiaodazi//calendar-event-ics//ZH", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    if offset is not None:
        lines += vtimezone(tzname, offset)
    for ev in events:
        lines += event_lines(ev, tzname, offset is not None)
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(ln) for ln in lines) + "\r\n"


def list_events(path: Path) -> list[dict]:
    """Events of an .ics file (summary, start, end, rrule, alarms) — a quick validity check."""
    text = re.sub(r"\r?\n[ \t]", "", path.read_text(encoding="utf-8-sig"))
    out = []
    for block in re.findall(r"BEGIN:VEVENT(.*?)END:VEVENT", text, flags=re.S):
        props = {}
        for ln in block.strip().splitlines():
            name, _, value = ln.partition(":")
            props.setdefault(name.split(";")[0], (name, value))
        out.append({"summary": props.get("SUMMARY", ("", ""))[1], "start": ":".join(props.get("DTSTART", ("", ""))),
                    "end": ":".join(props.get("DTEND", ("", ""))), "rrule": props.get("RRULE", ("", ""))[1],
                    "alarms": re.findall(r"TRIGGER[^:]*:(\S+)", block)})
    return out


def main(argv: list[str] | None = None) -> None:
    """make (one event from flags, or many from --events JSON) | show (list a file's events)."""
    ap = argparse.ArgumentParser(description="create or inspect .ics calendar files")
    ap.add_argument("action", choices=["make", "show"])
    ap.add_argument("--out", help="make: the .ics file to write")
    ap.add_argument("--file", help="show: the .ics file to read")
    ap.add_argument("--events", help="make: JSON file with a list of events (same keys as the flags)")
    ap.add_argument("--title")
    ap.add_argument("--start", help="'YYYY-MM-DD HH:MM' local time, or YYYY-MM-DD for all-day")
    ap.add_argument("--end")
    ap.add_argument("--minutes", type=int, default=60, help="duration when --end is not given")
    ap.add_argument("--tz", default="Asia/Shanghai", help="IANA time zone of the given times")
    ap.add_argument("--alarm", type=int, action="append", default=[], help="minutes before (repeatable)")
    ap.add_argument("--repeat", choices=sorted(REPEAT), help="simple recurrence")
    ap.add_argument("--rrule", help="full RRULE value, e.g. FREQ=WEEKLY;BYDAY=MO,WE")
    ap.add_argument("--count", type=int)
    ap.add_argument("--until")
    ap.add_argument("--location")
    ap.add_argument("--description")
    ap.add_argument("--attendee", action="append", default=[], help="'Name <mail@x>' (repeatable)")
    ap.add_argument("--organizer")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    if a.action == "show":
        if not a.file or not Path(a.file).is_file():
            fail("show needs --file pointing at an .ics file")
        out = {"ok": True, "events": list_events(Path(a.file))}
    else:
        if a.events:
            events = json.loads(Path(a.events).read_text(encoding="utf-8"))
        elif a.title and a.start:
            events = [{"title": a.title, "start": a.start, "end": a.end, "minutes": a.minutes, "alarms": a.alarm,
                       "repeat": a.repeat, "rrule": a.rrule, "count": a.count, "until": a.until, "location": a.location,
                       "description": a.description, "attendees": a.attendee, "organizer": a.organizer}]
        else:
            fail("make needs --title and --start, or --events file.json")
        if not a.out:
            fail("make needs --out file.ics")
        try:
            text = calendar(events, a.tz)
        except (ValueError, KeyError) as exc:
            fail(f"bad event data: {exc}")
        Path(a.out).write_text(text, encoding="utf-8", newline="")
        out = {"ok": True, "written": a.out, "events": list_events(Path(a.out))}
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
