#!/usr/bin/env python3
"""Build (and on a Mac run) osascript / shortcuts commands for common app actions; --dry-run prints them only."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys


def q(text: str) -> str:
    """An AppleScript string literal: backslashes and double quotes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def script_for(a) -> tuple[list[str], bool]:
    """(argv, changes_something) for the requested action."""
    tell = lambda app, body: ["osascript", "-e", f"tell application {q(app)} to {body}"]  # noqa: E731
    if a.action == "notify":
        return ["osascript", "-e", f"display notification {q(a.text)} with title {q(a.title or '小搭子')}"], False
    if a.action == "note":
        body = f"make new note at folder {q(a.folder)} with properties {{name:{q(a.title)}, body:{q(a.text)}}}"
        return tell("Notes", body), True
    if a.action == "reminder":
        props = f"name:{q(a.title)}" + (f", body:{q(a.text)}" if a.text else "")
        if a.due:
            date = f'(date {q(a.due)})'
            props += f", due date:{date}"
        return tell("Reminders", f"make new reminder at end of list {q(a.list)} with properties {{{props}}}"), True
    if a.action == "music":
        return tell("Music", {"play": "play", "pause": "pause", "next": "next track", "previous": "previous track"}[a.text]), False
    if a.action == "safari-open":
        return tell("Safari", f"open location {q(a.text)}"), False
    if a.action == "finder-reveal":
        return ["osascript", "-e", f"tell application \"Finder\" to reveal (POSIX file {q(a.text)} as alias)",
                "-e", 'tell application "Finder" to activate'], False
    if a.action == "front-app":
        return ["osascript", "-e", 'tell application "System Events" to get name of first process whose frontmost is true'], False
    if a.action == "shortcut-list":
        return ["shortcuts", "list"], False
    if a.action == "shortcut-run":
        return ["shortcuts", "run", a.title, *(["--input-path", a.text] if a.text else [])], True
    raise ValueError(f"unknown action {a.action}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments, 3 not a Mac or the command failed."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("action", choices=["notify", "note", "reminder", "music", "safari-open", "finder-reveal", "front-app",
                                       "shortcut-list", "shortcut-run"])
    ap.add_argument("--title", default="", help="note/reminder title, or the Shortcut's name")
    ap.add_argument("--text", default="", help="body text, URL, path, music command (play/pause/next/previous) or input file")
    ap.add_argument("--folder", default="Notes")
    ap.add_argument("--list", default="Reminders")
    ap.add_argument("--due", help='AppleScript date text, e.g. "2026-12-03 09:00" in the Mac\'s own date format')
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    try:
        cmd, changes = script_for(a)
    except (KeyError, ValueError) as exc:
        print(json.dumps({"error": f"bad arguments: {exc}"}, ensure_ascii=False))
        return 2
    report = {"action": a.action, "command": cmd, "changes_something": changes}
    if a.dry_run or sys.platform != "darwin":
        print(json.dumps({**report, "dry_run": True, **({} if sys.platform == "darwin" else {"note": "not a Mac: nothing run"})},
                         ensure_ascii=False, indent=1))
        return 0 if a.dry_run else 3
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    report.update(exit_code=proc.returncode, output=proc.stdout.strip()[-2000:], error=proc.stderr.strip()[-500:] or None)
    if "-1743" in (proc.stderr or ""):
        report["hint"] = "macOS blocked it: allow the app under System Settings → Privacy & Security → Automation"
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if proc.returncode == 0 else 3


if __name__ == "__main__":
    sys.exit(main())
