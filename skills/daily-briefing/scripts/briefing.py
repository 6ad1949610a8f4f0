#!/usr/bin/env python3
"""Gather a start-of-day briefing: today's calendar (.ics), open to-dos (Markdown), weather and headlines (URLs)."""
from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.request
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

TIMEOUT = 8
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def _dt(name: str, value: str, tz: ZoneInfo) -> datetime:
    if "VALUE=DATE" in name or len(value) == 8:
        return datetime.strptime(value[:8], "%Y%m%d").replace(tzinfo=tz)
    dt = datetime.strptime(value[:15], "%Y%m%dT%H%M%S")
    if value.endswith("Z"):
        return dt.replace(tzinfo=timezone.utc).astimezone(tz)
    m = re.search(r"TZID=([^;:]+)", name)
    try:
        return dt.replace(tzinfo=ZoneInfo(m[1])).astimezone(tz) if m else dt.replace(tzinfo=tz)
    except (KeyError, ValueError):
        return dt.replace(tzinfo=tz)


def occurs_on(start: datetime, rule: str, day: date) -> bool:
    """Whether an event (possibly DAILY/WEEKLY recurring) happens on `day`."""
    if start.date() == day:
        return True
    if not rule or day < start.date():
        return False
    p = dict(x.split("=", 1) for x in rule.split(";") if "=" in x)
    if "UNTIL" in p and day.strftime("%Y%m%d") > p["UNTIL"][:8]:
        return False
    if p.get("FREQ") == "DAILY":
        return True
    if p.get("FREQ") == "WEEKLY":
        days = [d[-2:] for d in p.get("BYDAY", DAYS[start.weekday()]).split(",")]
        return DAYS[day.weekday()] in days
    return False


def events_today(files: list[str], day: date, tz: ZoneInfo) -> list[dict]:
    """Today's events from .ics files, sorted by time."""
    out = []
    for f in files:
        text = re.sub(r"\r?\n[ \t]", "", Path(f).read_text(encoding="utf-8-sig", errors="replace"))
        for block in re.findall(r"BEGIN:VEVENT(.*?)END:VEVENT", text, flags=re.S):
            props = {}
            for ln in block.strip().splitlines():
                k, _, v = ln.partition(":")
                props.setdefault(k.split(";")[0], (k, v.strip()))
            if "DTSTART" not in props or props.get("STATUS", ("", ""))[1] == "CANCELLED":
                continue
            start = _dt(*props["DTSTART"], tz)
            if occurs_on(start, props.get("RRULE", ("", ""))[1], day):
                all_day = "VALUE=DATE" in props["DTSTART"][0]
                end = _dt(*props["DTEND"], tz) if "DTEND" in props else None
                out.append({"time": "全天 all-day" if all_day else start.strftime("%H:%M") + (f"-{end:%H:%M}" if end else ""),
                            "title": props.get("SUMMARY", ("", "(无标题)"))[1].replace("\\,", ",").replace("\\n", " "),
                            "location": props.get("LOCATION", ("", ""))[1].replace("\\,", ",")})
    return sorted(out, key=lambda e: e["time"])


def open_todos(path: str, day: date) -> list[dict]:
    """Open '- [ ]' items; overdue and due-today first (📅YYYY-MM-DD or 'due: YYYY-MM-DD')."""
    items = []
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():
        m = re.match(r"^\s*[-*] \[ \] (.+)$", line)
        if m:
            due = re.search(r"(?:📅|due[:：]\s*)(\d{4}-\d{2}-\d{2})", m[1])
            text = re.sub(r"\s*(📅|due[:：]\s*)\d{4}-\d{2}-\d{2}", "", m[1]).strip()
            state = None if not due else "overdue" if due[1] < day.isoformat() else "today" if due[1] == day.isoformat() else None
            items.append({"text": text, "due": due[1] if due else None, "flag": state, "high": "!high" in text})
    return sorted(items, key=lambda t: (t["flag"] is None, not t["high"], t["due"] or "9999"))


def fetch(url: str) -> bytes:
    """GET a URL with a short timeout."""
    req = urllib.request.Request(url, headers={"User-Agent": "xiaodazi-briefing/1"})
    with urllib.request.urlopen(req, timeout=TIMEOUT) as r:  # noqa: S310 - the user's chosen source
        return r.read()


def weather(url: str) -> dict:
    """Weather from wttr.in (?format=j1), Open-Meteo (current/daily JSON), or plain text."""
    raw = fetch(url)
    try:
        data = json.loads(raw)
    except ValueError:
        return {"text": raw.decode("utf-8", "replace").strip()[:300]}
    if "current_condition" in data:
        cur, day = data["current_condition"][0], (data.get("weather") or [{}])[0]
        desc = (cur.get("lang_zh") or cur.get("weatherDesc") or [{"value": ""}])[0]["value"]
        return {"now_c": cur.get("temp_C"), "desc": desc, "min_c": day.get("mintempC"), "max_c": day.get("maxtempC")}
    if "current" in data or "daily" in data:
        daily = data.get("daily", {})
        return {"now_c": data.get("current", {}).get("temperature_2m"),
                "min_c": (daily.get("temperature_2m_min") or [None])[0], "max_c": (daily.get("temperature_2m_max") or [None])[0],
                "rain_mm": (daily.get("precipitation_sum") or [None])[0]}
    return {"raw": data}


def headlines(url: str, limit: int) -> list[str]:
    """Titles from an RSS or Atom feed."""
    root = ET.fromstring(fetch(url))
    titles = [el.text.strip() for el in root.iter() if el.tag.split("}")[-1] == "title" and el.text]
    return titles[1 : limit + 1]  # the first title names the feed itself


def markdown(b: dict) -> str:
    """The briefing as short Markdown for the chat."""
    lines = [f"## {b['date']} 今日简报 / Daily briefing", "", "**日程 / Calendar**"]
    lines += [f"- {e['time']} {e['title']}" + (f" @ {e['location']}" if e["location"] else "") for e in b["events"]] or ["- 今天没有日程 / nothing scheduled"]
    lines += ["", "**待办 / To-dos**"]
    lines += [f"- {'⚠️ ' if t['flag'] == 'overdue' else ''}{t['text']}" + (f" ({t['due']})" if t["due"] else "")
              for t in b["todos"][:10]] or ["- 没有未完成的待办 / nothing open"]
    if b.get("weather"):
        lines += ["", f"**天气 / Weather**: {json.dumps(b['weather'], ensure_ascii=False)}"]
    if b.get("news"):
        lines += ["", "**新闻 / Headlines**", *[f"- {h}" for h in b["news"]]]
    if b["unavailable"]:
        lines += ["", "_暂不可用 / unavailable: " + "; ".join(b["unavailable"]) + "_"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Collect every part that is available; a failing source is reported, not fatal."""
    ap = argparse.ArgumentParser(description="start-of-day briefing")
    ap.add_argument("--ics", action="append", default=[], help="calendar export (repeatable)")
    ap.add_argument("--todo", help="Markdown to-do file")
    ap.add_argument("--weather-url", help="e.g. https://wttr.in/Shanghai?format=j1")
    ap.add_argument("--news-url", action="append", default=[], help="RSS/Atom feed URL (repeatable)")
    ap.add_argument("--news", type=int, default=5, help="headlines per feed")
    ap.add_argument("--date", help="the day (YYYY-MM-DD, default today)")
    ap.add_argument("--tz", default="Asia/Shanghai")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    tz = ZoneInfo(a.tz)
    day = date.fromisoformat(a.date) if a.date else datetime.now(tz).date()
    b: dict = {"date": f"{day.isoformat()} 周{'一二三四五六日'[day.weekday()]}", "events": [], "todos": [], "unavailable": []}
    jobs = [("calendar", lambda: b.update(events=events_today(a.ics, day, tz)) if a.ics else None),
            ("todo", lambda: b.update(todos=open_todos(a.todo, day)) if a.todo else None),
            ("weather", lambda: b.update(weather=weather(a.weather_url)) if a.weather_url else None)]
    jobs += [(f"news {u}", lambda u=u: b.setdefault("news", []).extend(headlines(u, a.news))) for u in a.news_url]
    for label, job in jobs:
        try:
            job()
        except Exception as exc:  # noqa: BLE001 - one broken source must not spoil the briefing
            b["unavailable"].append(f"{label}: {exc}")
    b["markdown"] = markdown(b)
    print(json.dumps({"ok": True, **b}, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
