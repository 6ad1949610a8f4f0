#!/usr/bin/env python3
"""Explain a cron expression in Chinese and English and list its next run times (standard library only)."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timedelta

FIELDS = [("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12), ("weekday", 0, 6)]
NAMES = {
    "month": {m: i + 1 for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split())},
    "weekday": {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())},
}
MACROS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
          "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"}
WD_ZH = "日一二三四五六"
WD_EN = "Sun Mon Tue Wed Thu Fri Sat".split()


class CronError(ValueError):
    """An expression that cron would reject."""


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def _value(text: str, field: str, lo: int, hi: int) -> int:
    text = text.lower()
    value = NAMES.get(field, {}).get(text[:3]) if text.isalpha() else None
    if value is None:
        if not text.isdigit():
            raise CronError(f"{field}: {text!r} is not a number")
        value = int(text)
    if field == "weekday" and value == 7:  # both 0 and 7 mean Sunday
        value = 0
    if not lo <= value <= (7 if field == "weekday" else hi):
        raise CronError(f"{field}: {value} is outside {lo}-{hi}")
    return value


def parse_field(text: str, field: str, lo: int, hi: int) -> set[int]:
    """The set of values one cron field allows."""
    out: set[int] = set()
    for part in text.split(","):
        rng, _, step_s = part.partition("/")
        step = int(step_s) if step_s else 1
        if step_s and (not step_s.isdigit() or step < 1):
            raise CronError(f"{field}: bad step {step_s!r}")
        if rng == "*":
            start, end = lo, hi
        elif "-" in rng:
            a, b = rng.split("-", 1)
            start, end = _value(a, field, lo, hi), _value(b, field, lo, hi)
            if field == "weekday" and b.strip() == "7":  # MON-7 means Monday to Sunday
                end = 6
                out.add(0)
        else:
            start = _value(rng, field, lo, hi)
            end = hi if step_s else start
        if start > end:
            raise CronError(f"{field}: range {rng} runs backwards")
        out.update(range(start, end + 1, step))
    return out


def parse(expr: str) -> dict:
    """Fields of a 5-field expression (macros expanded) as value sets plus the raw parts."""
    expr = MACROS.get(expr.strip().lower(), expr.strip())
    parts = expr.split()
    if len(parts) == 6:
        raise CronError("6 fields: this looks like a Quartz/Spring expression with seconds; drop the first field")
    if len(parts) != 5:
        raise CronError(f"expected 5 fields (minute hour day month weekday), got {len(parts)}")
    sets = {name: parse_field(p, name, lo, hi) for p, (name, lo, hi) in zip(parts, FIELDS)}
    return {"parts": dict(zip([f[0] for f in FIELDS], parts)), "sets": sets}


def matches(spec: dict, t: datetime) -> bool:
    """Whether a minute matches; day and weekday are OR-ed when both are restricted, as in Vixie cron."""
    s, p = spec["sets"], spec["parts"]
    if t.minute not in s["minute"] or t.hour not in s["hour"] or t.month not in s["month"]:
        return False
    dom, dow = t.day in s["day"], (t.isoweekday() % 7) in s["weekday"]
    if p["day"].startswith("*") or p["weekday"].startswith("*"):
        return dom and dow
    return dom or dow


def next_runs(spec: dict, start: datetime, count: int) -> list[datetime]:
    """The next `count` matching minutes strictly after `start` (searches at most ~5 years)."""
    t = start.replace(second=0, microsecond=0) + timedelta(minutes=1)
    out: list[datetime] = []
    limit = t + timedelta(days=366 * 5)
    while len(out) < count and t < limit:
        if t.month not in spec["sets"]["month"]:
            t = (t.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
            continue
        if not matches({**spec, "sets": {**spec["sets"], "minute": set(range(60)), "hour": set(range(24))}}, t):
            t = t.replace(hour=0, minute=0) + timedelta(days=1)
            continue
        if t.hour not in spec["sets"]["hour"]:
            t = t.replace(minute=0) + timedelta(hours=1)
            continue
        if t.minute in spec["sets"]["minute"]:
            out.append(t)
        t += timedelta(minutes=1)
    return out


def _list(values: set[int], lo: int, hi: int, fmt) -> str | None:
    if values == set(range(lo, hi + 1)):
        return None
    vals = sorted(values)
    if len(vals) > 2 and vals == list(range(vals[0], vals[-1] + 1)):
        return f"{fmt(vals[0])}-{fmt(vals[-1])}"
    return ",".join(fmt(v) for v in vals)


def describe(spec: dict) -> dict[str, str]:
    """A Chinese and an English sentence for the schedule."""
    s = spec["sets"]
    minutes, hours = sorted(s["minute"]), sorted(s["hour"])
    if len(minutes) == 1 and len(hours) <= 4:
        times = [f"{h:02d}:{minutes[0]:02d}" for h in hours]
        zh_time, en_time = "、".join(times), ", ".join(f"at {t}" for t in times)
    else:
        m_desc = "每分钟" if len(minutes) == 60 else f"第 {','.join(map(str, minutes))} 分"
        h_txt = _list(s["hour"], 0, 23, str)
        h_desc = f"{h_txt} 点" if h_txt else "每小时"
        zh_time = f"{h_desc}的{m_desc}"
        en_m = "every minute" if len(minutes) == 60 else f"at minute {','.join(map(str, minutes))}"
        en_h = f"past hour {h_txt}" if h_txt else "of every hour"
        en_time = f"{en_m} {en_h}"
    wd_zh = _list(s["weekday"], 0, 6, lambda v: "周" + WD_ZH[v])
    wd_en = _list(s["weekday"], 0, 6, lambda v: WD_EN[v])
    dom = _list(s["day"], 1, 31, str)
    mon = _list(s["month"], 1, 12, str)
    zh = [f"{mon}月" if mon else "", f"每月{dom}日" if dom else "", wd_zh or "", "每天" if not (dom or wd_zh) else ""]
    en = [f"in month {mon}" if mon else "", f"on day {dom} of the month" if dom else "",
          f"on {wd_en}" if wd_en else "", "every day" if not (dom or wd_en) else ""]
    join_zh = "或" if dom and wd_zh else ""
    zh_day = join_zh.join(x for x in zh if x)
    return {"zh": f"{zh_day} {zh_time} 运行".replace("  ", " ").strip(),
            "en": f"Runs {en_time}, {' or '.join(x for x in en[1:3] if x) or en[3]}{' ' + en[0] if mon else ''}."}


def main(argv: list[str] | None = None) -> None:
    """explain | next: parse an expression, describe it and list upcoming runs."""
    ap = argparse.ArgumentParser(description="explain a cron expression and list its next runs")
    ap.add_argument("action", choices=["explain", "next", "check"])
    ap.add_argument("expression", help="5-field cron expression or @daily-style macro, quoted")
    ap.add_argument("--count", type=int, default=5, help="how many next runs (default 5)")
    ap.add_argument("--from", dest="start", help="start time YYYY-MM-DDTHH:MM (default now, local time)")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    args = ap.parse_args(argv)
    try:
        spec = parse(args.expression)
    except CronError as exc:
        fail(f"invalid cron expression: {exc}")
    start = datetime.fromisoformat(args.start) if args.start else datetime.now()
    runs = [] if args.action == "check" else next_runs(spec, start, max(1, min(args.count, 50)))
    out = {"ok": True, "expression": args.expression, "fields": spec["parts"], "description": describe(spec),
           "next": [r.strftime("%Y-%m-%d %H:%M %a") for r in runs]}
    print(json.dumps(out, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
