#!/usr/bin/env python3
"""Turn a schedule (daily, weekdays, weekly, monthly, every N minutes/hours) and a command into a crontab line, a launchd plist
or schtasks arguments; can list and (with --confirmed) install or remove jobs it created."""
from __future__ import annotations

import argparse
import json
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TAG = "# xiaodazi-job:"


@dataclass
class Schedule:
    """kind: daily | weekdays | weekly | monthly | every; at HH:MM; days; day of month; interval minutes."""

    kind: str
    hour: int = 0
    minute: int = 0
    days: tuple[str, ...] = ()
    day_of_month: int = 1
    every_minutes: int = 0


def parse(kind: str, at: str | None, days: str | None, day: int, every: str | None) -> Schedule:
    """Validate the schedule arguments."""
    if kind == "every":
        m = re.fullmatch(r"(\d+)\s*(m|min|h|hour)s?", (every or "").lower())
        if not m:
            raise ValueError("--every needs e.g. 15m or 2h")
        minutes = int(m.group(1)) * (60 if m.group(2).startswith("h") else 1)
        if minutes <= 0 or (minutes < 60 and 60 % minutes) or (minutes >= 60 and (minutes % 60 or 24 % (minutes // 60))):
            raise ValueError("the interval must divide an hour (1-30 min) or a day (1, 2, 3, 4, 6, 8, 12 h)")
        return Schedule("every", every_minutes=minutes)
    hh, _, mm = (at or "").partition(":")
    if not (hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60):
        raise ValueError("--at needs HH:MM (24-hour clock)")
    chosen = tuple(d.strip().lower()[:3] for d in (days or "").split(",") if d.strip())
    if kind == "weekly" and (not chosen or set(chosen) - set(DAYS)):
        raise ValueError("--days needs names such as mon,thu")
    if kind == "monthly" and not 1 <= day <= 28:
        raise ValueError("--day must be 1-28 so every month has it")
    return Schedule(kind, int(hh), int(mm), chosen, day)


def cron_line(s: Schedule, command: str, name: str) -> str:
    """minute hour day-of-month month day-of-week command, tagged so it can be found again."""
    if s.kind == "every":
        m = s.every_minutes
        fields = f"*/{m} * * * *" if m < 60 else f"0 */{m // 60} * * *" if m < 1440 else "0 0 * * *"
    else:
        dow = {"daily": "*", "weekdays": "1-5", "weekly": ",".join(str(DAYS.index(d) + 1) for d in s.days),
               "monthly": "*"}[s.kind]
        dom = str(s.day_of_month) if s.kind == "monthly" else "*"
        fields = f"{s.minute} {s.hour} {dom} * {dow}"
    return f"{fields} {command} {TAG}{name}"


def launchd_plist(s: Schedule, command: str, name: str) -> bytes:
    """A LaunchAgent: StartInterval for intervals, StartCalendarInterval entries otherwise."""
    job = {"Label": f"com.xiaodazi.{name}", "ProgramArguments": ["/bin/sh", "-c", command], "RunAtLoad": False,
           "StandardOutPath": f"/tmp/xiaodazi-{name}.log", "StandardErrorPath": f"/tmp/xiaodazi-{name}.log"}
    if s.kind == "every":
        job["StartInterval"] = s.every_minutes * 60
    else:
        base = {"Hour": s.hour, "Minute": s.minute}
        weekdays = {"daily": [], "weekdays": [1, 2, 3, 4, 5], "weekly": [DAYS.index(d) + 1 for d in s.days], "monthly": []}[s.kind]
        if s.kind == "monthly":
            job["StartCalendarInterval"] = {**base, "Day": s.day_of_month}
        elif weekdays:
            job["StartCalendarInterval"] = [{**base, "Weekday": d % 7} for d in weekdays]  # launchd: 0 = Sunday
        else:
            job["StartCalendarInterval"] = base
    return plistlib.dumps(job)


def schtasks_args(s: Schedule, command: str, name: str) -> list[str]:
    """schtasks /Create arguments (the task runs as the current user, only when logged on)."""
    args = ["schtasks", "/Create", "/TN", f"xiaodazi\\{name}", "/TR", command, "/F"]
    if s.kind == "every":
        m = s.every_minutes
        return args + (["/SC", "MINUTE", "/MO", str(m)] if m < 60 else ["/SC", "HOURLY", "/MO", str(m // 60)])
    at = ["/ST", f"{s.hour:02d}:{s.minute:02d}"]
    if s.kind == "daily":
        return args + ["/SC", "DAILY", *at]
    if s.kind == "monthly":
        return args + ["/SC", "MONTHLY", "/D", str(s.day_of_month), *at]
    days = DAYS[:5] if s.kind == "weekdays" else list(s.days)
    return args + ["/SC", "WEEKLY", "/D", ",".join(d.upper() for d in days), *at]


def current_os() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


def install_cron(line: str, name: str) -> dict:
    """Append the line to the user's crontab, replacing an earlier job of the same name."""
    if not shutil.which("crontab"):
        raise RuntimeError("crontab is not installed")
    old = subprocess.run(["crontab", "-l"], capture_output=True, text=True).stdout
    kept = [ln for ln in old.splitlines() if not ln.endswith(f"{TAG}{name}")]
    new = "\n".join([*kept, line]) + "\n"
    subprocess.run(["crontab", "-"], input=new, text=True, check=True)
    return {"installed": "crontab", "line": line}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad schedule, 3 install failed, 4 approval needed."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("kind", choices=["daily", "weekdays", "weekly", "monthly", "every"])
    ap.add_argument("--name", required=True, help="short job name: letters, digits, - and _")
    ap.add_argument("--command", required=True, help="what to run (a full path is safest: jobs have a minimal PATH)")
    ap.add_argument("--at", help="HH:MM")
    ap.add_argument("--days", help="weekly: mon,wed,fri")
    ap.add_argument("--day", type=int, default=1, help="monthly: day of month 1-28")
    ap.add_argument("--every", help="every: 15m, 2h")
    ap.add_argument("--os", choices=["windows", "macos", "linux"])
    ap.add_argument("--install", action="store_true", help="register the job (needs --confirmed)")
    ap.add_argument("--confirmed", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if not re.fullmatch(r"[\w-]{1,40}", a.name):
        print(json.dumps({"error": "the name may hold letters, digits, - and _ only"}))
        return 2
    try:
        s = parse(a.kind, a.at, a.days, a.day, a.every)
    except ValueError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 2
    system = a.os or current_os()
    plist_path = Path.home() / "Library/LaunchAgents" / f"com.xiaodazi.{a.name}.plist"
    report = {"os": system, "name": a.name, "cron": cron_line(s, a.command, a.name),
              "launchd_plist": launchd_plist(s, a.command, a.name).decode(), "launchd_path": str(plist_path),
              "schtasks": schtasks_args(s, a.command, a.name), "remove": {
                  "linux": f"crontab -l | grep -v '{TAG}{a.name}' | crontab -",
                  "macos": f"launchctl unload {shlex.quote(str(plist_path))} && rm {shlex.quote(str(plist_path))}",
                  "windows": f"schtasks /Delete /TN xiaodazi\\{a.name} /F"}[system]}
    if not a.install:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    if not a.confirmed or system != current_os():
        print(json.dumps({**report, "needs_approval": "show the schedule to the user with ask_user, then rerun with --confirmed"},
                         ensure_ascii=False, indent=1))
        return 4
    try:
        if system == "linux":
            report["result"] = install_cron(report["cron"], a.name)
        elif system == "macos":
            plist_path.parent.mkdir(parents=True, exist_ok=True)
            plist_path.write_bytes(launchd_plist(s, a.command, a.name))
            subprocess.run(["launchctl", "load", str(plist_path)], check=True)
            report["result"] = {"installed": str(plist_path)}
        else:
            subprocess.run(report["schtasks"], check=True, capture_output=True, text=True)
            report["result"] = {"installed": f"xiaodazi\\{a.name}"}
    except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
        print(json.dumps({**report, "error": str(exc)}, ensure_ascii=False))
        return 3
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
