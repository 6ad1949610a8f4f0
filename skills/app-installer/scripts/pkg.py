#!/usr/bin/env python3
"""Search, check, install, upgrade or remove software with winget, Homebrew or apt.

Read-only actions (search, check, list-upgrades) run directly; install, upgrade and remove only run with --confirmed,
which is passed after the user approved the plan.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys

CHANGING = {"install", "upgrade", "remove"}
SAFE_NAME = re.compile(r"^[A-Za-z0-9][\w.+@/-]*$")


def current_os() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


def manager_for(system: str) -> str:
    return {"windows": "winget", "macos": "brew", "linux": "apt"}[system]


def argv_for(manager: str, action: str, name: str | None, cask: bool = False) -> list[str]:
    """The package manager's command; non-interactive flags so nothing waits for a keypress."""
    if manager == "winget":
        agree = ["--accept-package-agreements", "--accept-source-agreements"]
        return {"search": ["winget", "search", name], "check": ["winget", "list", "--exact", "--id", name],
                "list-upgrades": ["winget", "upgrade"], "install": ["winget", "install", "--exact", "--id", name, *agree],
                "upgrade": ["winget", "upgrade", "--exact", "--id", name, *agree] if name else ["winget", "upgrade", "--all", *agree],
                "remove": ["winget", "uninstall", "--exact", "--id", name]}[action]
    if manager == "brew":
        kind = ["--cask"] if cask else []
        return {"search": ["brew", "search", name], "check": ["brew", "list", "--versions", *kind, name],
                "list-upgrades": ["brew", "outdated"], "install": ["brew", "install", *kind, name],
                "upgrade": ["brew", "upgrade", *kind, *([name] if name else [])], "remove": ["brew", "uninstall", *kind, name]}[action]
    sudo = [] if shutil.which("sudo") is None else ["sudo"]
    return {"search": ["apt-cache", "search", "--names-only", name], "check": ["dpkg-query", "-W", "-f=${Status} ${Version}\n", name],
            "list-upgrades": ["apt", "list", "--upgradable"], "install": [*sudo, "apt-get", "install", "-y", name],
            "upgrade": [*sudo, "apt-get", "install", "--only-upgrade", "-y", name] if name else [*sudo, "apt-get", "upgrade", "-y"],
            "remove": [*sudo, "apt-get", "remove", "-y", name]}[action]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments, 3 manager missing or failed, 4 approval needed."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("action", choices=["search", "check", "list-upgrades", "install", "upgrade", "remove"])
    ap.add_argument("name", nargs="?", help="package id/name (winget: the exact Id from search, e.g. 7zip.7zip)")
    ap.add_argument("--manager", choices=["winget", "brew", "apt"], help="default: the OS's own")
    ap.add_argument("--os", choices=["windows", "macos", "linux"], help="plan for another OS (never run)")
    ap.add_argument("--cask", action="store_true", help="brew: a GUI app (cask)")
    ap.add_argument("--confirmed", action="store_true", help="the user approved this change")
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if a.action not in ("list-upgrades", "upgrade") and not a.name:
        ap.error(f"{a.action} needs a package name")
    if a.name and not SAFE_NAME.match(a.name):
        print(json.dumps({"error": f"{a.name!r} does not look like a package name"}, ensure_ascii=False))
        return 2
    system = a.os or current_os()
    manager = a.manager or manager_for(system)
    cmd = argv_for(manager, a.action, a.name, a.cask)
    report = {"os": system, "manager": manager, "action": a.action, "command": cmd, "changes_system": a.action in CHANGING}
    if a.dry_run or system != current_os():
        print(json.dumps({**report, "ran": False}, ensure_ascii=False, indent=1))
        return 0
    if a.action in CHANGING and not a.confirmed:
        print(json.dumps({**report, "ran": False, "needs_approval": "show the command to the user with ask_user, then rerun with --confirmed"},
                         ensure_ascii=False, indent=1))
        return 4
    tool = cmd[1] if cmd[0] == "sudo" else cmd[0]
    if shutil.which(tool) is None:
        hint = {"brew": "install Homebrew from brew.sh", "winget": "install 'App Installer' from the Microsoft Store"}.get(manager, "")
        print(json.dumps({**report, "ran": False, "error": f"{tool} is not installed. {hint}".strip()}))
        return 3
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, stdin=subprocess.DEVNULL)
    report.update(ran=True, exit_code=proc.returncode, output=proc.stdout[-4000:], error=proc.stderr.strip()[-800:] or None)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if proc.returncode == 0 or a.action == "check" else 3


if __name__ == "__main__":
    sys.exit(main())
