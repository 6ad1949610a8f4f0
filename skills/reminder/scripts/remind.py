#!/usr/bin/env python3
"""Reminders from natural language (中文 / English): parse the time, keep them in a JSON file, report which are due."""
from __future__ import annotations

import argparse
import json
import re
import sys
import time as clock
import uuid
from datetime import datetime, timedelta
from pathlib import Path

CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
WEEKDAYS_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS_ZH = "一二三四五六日"


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def cn_number(text: str) -> float:
    """'20', '二十', '十五', '两', '半' → a number."""
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    if text == "半":
        return 0.5
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS.get(ones, 0) if ones else 0)
    return float(CN_DIGITS.get(text, 0)) if len(text) == 1 else float("nan")


def normalise(text: str) -> str:
    """Lowercase and turn Chinese numerals in time phrases into digits."""
    text = text.lower().replace("：", ":").replace("一刻", "15分").replace("个", "")
    return re.sub(r"[零一二两三四五六七八九十]+(?=[点时分小钟天周])",
                  lambda m: str(int(cn_number(m[0]))), text)


def clock_time(text: str) -> tuple[int, int] | None:
    """Hour and minute named in the text (下午3点半, 9:30, 3pm, at 21), adjusted for am/pm words."""
    m = re.search(r"(\d{1,2})[:：](\d{2})", text) or re.search(r"(\d{1,2})\s*[点时](?:(\d{1,2})分?|(半))?", text) \
        or re.search(r"(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b", text) or re.search(r"\bat\s+(\d{1,2})\b", text)
    if not m:
        return None
    hour = int(m[1])
    groups = m.groups()
    minute = 30 if "半" in groups else int(groups[1]) if len(groups) > 1 and groups[1] and groups[1].isdigit() else 0
    pm = re.search(r"下午|晚上|今晚|傍晚|pm\b|evening|tonight", text)
    if pm and hour < 12:
        hour += 12
    if re.search(r"中午", text) and hour < 6:
        hour += 12
    if re.search(r"\bam\b|凌晨", text) and hour == 12:
        hour = 0
    return hour, minute


def parse(text: str, now: datetime) -> dict:
    """Due time and repetition of a reminder phrase; ValueError when no time is found."""
    t = normalise(text)
    rel = re.search(r"(\d+(?:\.\d+)?|半)\s*(分钟|分|小时|钟头|天|min(?:ute)?s?|h(?:ou)?rs?|days?)\s*(?:后|以后|之后)?", t)
    if rel and re.search(r"后|以后|之后|\bin\b|later", t):
        n = cn_number(rel[1])
        unit = rel[2]
        delta = timedelta(days=n) if unit.startswith(("天", "day")) else \
            timedelta(hours=n) if unit.startswith(("小时", "钟头", "h")) else timedelta(minutes=n)
        return {"due": now + delta, "repeat": None}
    hm = clock_time(t)
    repeat = None
    if re.search(r"工作日|weekday|周一到周五|mon(day)?-fri(day)?", t):
        repeat = "weekdays"
    elif re.search(r"每天|每日|每晚|每早|every\s*day|daily|each day", t):
        repeat = "daily"
    else:
        wd = re.search(r"(?:每周|每星期|每礼拜)([一二三四五六日天])", t) or re.search(r"every\s+(" + "|".join(WEEKDAYS_EN) + ")", t)
        if wd:
            repeat = f"weekly:{WEEKDAYS_ZH.index(wd[1].replace('天', '日')) if wd[1] in '一二三四五六日天' else WEEKDAYS_EN.index(wd[1])}"
    date_m = re.search(r"(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})", t) or re.search(r"(\d{1,2})月(\d{1,2})[日号]", t)
    if hm is None and not date_m:
        raise ValueError("no time found; say e.g. '20分钟后', '明天下午3点', 'every weekday at 9'")
    hour, minute = hm or (9, 0)
    day = now.date()
    if date_m:
        g = [int(x) for x in date_m.groups()]
        day = day.replace(year=g[0], month=g[1], day=g[2]) if len(g) == 3 else day.replace(month=g[0], day=g[1])
    elif re.search(r"后天|day after tomorrow", t):
        day += timedelta(days=2)
    elif re.search(r"明天|明早|明晚|tomorrow", t):
        day += timedelta(days=1)
    due = datetime.combine(day, datetime.min.time()).replace(hour=hour % 24, minute=minute)
    return {"due": roll(due, repeat, now, strict=not (date_m or re.search(r"明|后天|tomorrow", t))), "repeat": repeat}


def roll(due: datetime, repeat: str | None, now: datetime, strict: bool = True) -> datetime:
    """The first time on or after `due` that fits the repetition and lies in the future."""
    def fits(d: datetime) -> bool:
        if repeat == "weekdays":
            return d.weekday() < 5
        if repeat and repeat.startswith("weekly:"):
            return d.weekday() == int(repeat.split(":")[1])
        return True
    while (strict and due <= now) or not fits(due):
        due += timedelta(days=1)
    return due


class Store:
    """Reminders in one JSON file in the workspace."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []

    def save(self) -> None:
        """Write the file atomically."""
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.items, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(self.path)


def due_now(store: Store, now: datetime) -> list[dict]:
    """Reminders whose time has come; one-offs are marked done, repeating ones move to their next time."""
    fired = []
    for r in store.items:
        if r["active"] and datetime.fromisoformat(r["due"]) <= now:
            fired.append(dict(r))
            if r["repeat"]:
                r["due"] = roll(datetime.fromisoformat(r["due"]) + timedelta(days=1), r["repeat"], now).isoformat(
                    timespec="minutes")
            else:
                r["active"] = False
    return fired


def main(argv: list[str] | None = None) -> None:
    """parse | add | list | cancel | due | wait."""
    ap = argparse.ArgumentParser(description="natural-language reminders")
    ap.add_argument("action", choices=["parse", "add", "list", "cancel", "due", "wait"])
    ap.add_argument("text", nargs="?", help="parse/add: the time phrase; cancel: the reminder id")
    ap.add_argument("--message", help="add: what to remind about (default: the phrase)")
    ap.add_argument("--store", default="reminders.json", help="the reminders file (default in the workspace)")
    ap.add_argument("--now", help="pretend it is this time (YYYY-MM-DDTHH:MM) — for tests and planning")
    ap.add_argument("--max-wait", type=int, default=540, help="wait: give up after this many seconds")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    now = datetime.fromisoformat(a.now) if a.now else datetime.now().replace(microsecond=0)
    store = Store(Path(a.store))
    out: dict = {"ok": True, "now": now.isoformat(timespec="minutes")}
    if a.action in ("parse", "add"):
        try:
            when = parse(a.text or "", now)
        except ValueError as exc:
            fail(str(exc))
        item = {"id": uuid.uuid4().hex[:6], "message": a.message or a.text, "due": when["due"].isoformat(timespec="minutes"),
                "repeat": when["repeat"], "active": True, "phrase": a.text}
        if a.action == "add":
            store.items.append(item)
            store.save()
        out["reminder"] = item
    elif a.action == "list":
        out["reminders"] = sorted((r for r in store.items if r["active"]), key=lambda r: r["due"])
    elif a.action == "cancel":
        hit = [r for r in store.items if r["id"] == a.text]
        if not hit:
            fail(f"no reminder {a.text}")
        hit[0]["active"] = False
        store.save()
        out["cancelled"] = hit[0]
    else:
        if a.action == "wait" and not a.now:
            upcoming = [datetime.fromisoformat(r["due"]) for r in store.items if r["active"]]
            if upcoming:
                clock.sleep(max(0.0, min((min(upcoming) - now).total_seconds(), a.max_wait)))
            now = datetime.now().replace(microsecond=0)
        out["due"] = due_now(store, now)
        store.save()
        left = [r["due"] for r in store.items if r["active"]]
        out["next"] = min(left) if left else None
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
