#!/usr/bin/env python3
"""Pomodoro cycles as a schedule in a state file: start, check which phase is running, wait for the next change, report.

The model shows a notification at each phase change (the `notify` tool); `--os-notify` also asks the operating system.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time as clock
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def schedule(start: datetime, work: int, short: int, long: int, cycles: int, long_every: int) -> list[dict]:
    """Phases: focus, break, focus, … with a long break after every `long_every` focus blocks (none at the end)."""
    phases, t = [], start
    for n in range(1, cycles + 1):
        phases.append({"kind": "focus", "n": n, "start": t.isoformat(), "end": (t := t + timedelta(minutes=work)).isoformat()})
        if n < cycles:
            length = long if n % long_every == 0 else short
            phases.append({"kind": "long_break" if n % long_every == 0 else "break", "n": n, "start": t.isoformat(),
                           "end": (t := t + timedelta(minutes=length)).isoformat()})
    return phases


def current(state: dict, now: datetime) -> tuple[dict | None, dict | None]:
    """The running phase and the next one (None, None once the session is over)."""
    for i, p in enumerate(state["phases"]):
        if datetime.fromisoformat(p["start"]) <= now < datetime.fromisoformat(p["end"]):
            return p, (state["phases"][i + 1] if i + 1 < len(state["phases"]) else None)
    return None, None


def log_finished(state: dict, now: datetime, log: Path) -> list[dict]:
    """Append focus blocks that ended since the last check to the JSONL log; returns phase changes to announce."""
    changes = []
    for p in state["phases"]:
        end = datetime.fromisoformat(p["end"])
        if end <= now and p["end"] > state.get("announced_until", ""):
            changes.append({"ended": p["kind"], "n": p["n"], "at": p["end"]})
            if p["kind"] == "focus":
                with log.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps({"task": state["task"], "start": p["start"], "end": p["end"],
                                         "minutes": state["work"]}, ensure_ascii=False) + "\n")
    if changes:
        state["announced_until"] = max(c["at"] for c in changes)
    return changes


def os_notify(title: str, body: str) -> str | None:
    """Best-effort OS notification; returns what showed it."""
    cmds = [["notify-send", title, body]] if shutil.which("notify-send") else []
    if sys.platform == "darwin":
        cmds.append(["osascript", "-e", f"display notification {json.dumps(body)} with title {json.dumps(title)}"])
    for cmd in cmds:
        if subprocess.run(cmd, capture_output=True).returncode == 0:
            return cmd[0]
    return None


def message(change: dict, nxt: dict | None) -> str:
    """What to tell the user at a phase change (中文 / English)."""
    if change["ended"] == "focus":
        return f"第 {change['n']} 个番茄完成，休息一下 / Pomodoro {change['n']} done, take a break" if nxt else \
            "全部番茄完成！/ All pomodoros done!"
    return "休息结束，开始专注 / Break over, focus time"


def report(log: Path, since: str | None) -> dict:
    """Focus minutes and sessions per task (optionally since a date)."""
    per = defaultdict(lambda: {"sessions": 0, "minutes": 0})
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            e = json.loads(line)
            if since and e["start"] < since:
                continue
            per[e["task"]]["sessions"] += 1
            per[e["task"]]["minutes"] += e["minutes"]
    return {"per_task": dict(per), "total_minutes": sum(v["minutes"] for v in per.values())}


def main(argv: list[str] | None = None) -> None:
    """start | status | wait | stop | report."""
    ap = argparse.ArgumentParser(description="pomodoro timer state and log")
    ap.add_argument("action", choices=["start", "status", "wait", "stop", "report"])
    ap.add_argument("--task", default="专注", help="start: what the user works on")
    ap.add_argument("--work", type=int, default=25)
    ap.add_argument("--break", dest="short", type=int, default=5)
    ap.add_argument("--long-break", type=int, default=15)
    ap.add_argument("--cycles", type=int, default=4)
    ap.add_argument("--long-every", type=int, default=4)
    ap.add_argument("--dir", default=".pomodoro", help="state and log folder (default .pomodoro in the workspace)")
    ap.add_argument("--now", help="pretend it is this time (YYYY-MM-DDTHH:MM:SS) — for tests")
    ap.add_argument("--max-wait", type=int, default=540, help="wait: seconds at most (tool calls have a time limit)")
    ap.add_argument("--since", help="report: only sessions from this date on (YYYY-MM-DD)")
    ap.add_argument("--os-notify", action="store_true", help="also show an OS notification at phase changes")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    folder = Path(a.dir)
    folder.mkdir(parents=True, exist_ok=True)
    state_path, log = folder / "state.json", folder / "log.jsonl"
    now = datetime.fromisoformat(a.now) if a.now else datetime.now().replace(microsecond=0)
    if a.action == "report":
        print(json.dumps({"ok": True, **report(log, a.since)}, ensure_ascii=False, indent=None if a.json else 2))
        return
    if a.action == "start":
        state = {"task": a.task, "work": a.work, "phases": schedule(now, a.work, a.short, a.long_break, a.cycles, a.long_every)}
    elif not state_path.exists():
        fail("no pomodoro running; use start")
    else:
        state = json.loads(state_path.read_text(encoding="utf-8"))
    if a.action == "wait" and not a.now:
        phase, _ = current(state, now)
        if phase:
            clock.sleep(max(0.0, min((datetime.fromisoformat(phase["end"]) - now).total_seconds(), a.max_wait)))
        now = datetime.now().replace(microsecond=0)
    changes = [] if a.action == "start" else log_finished(state, now, log)
    phase, nxt = current(state, now)
    out = {"ok": True, "task": state["task"], "now": now.isoformat(), "phase": phase, "next": nxt, "changes": changes,
           "announce": [message(c, phase) for c in changes], "finished": phase is None and a.action != "start"}
    if a.os_notify and out["announce"]:
        out["os_notified"] = os_notify("番茄钟 / Pomodoro", out["announce"][-1])
    if a.action == "stop" or out["finished"]:
        state_path.unlink(missing_ok=True)
        out["stopped"] = True
    else:
        state_path.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
