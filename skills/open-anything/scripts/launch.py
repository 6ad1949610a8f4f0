#!/usr/bin/env python3
"""Open a file, folder or URL with the system's default handler (or a chosen app); prints the launcher command, --dry-run runs nothing."""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

URL_RE = re.compile(r"^(https?|mailto|tel|file|ftp)://|^mailto:|^tel:", re.IGNORECASE)
BARE_DOMAIN_RE = re.compile(r"^[\w-]+(\.[\w-]+)+(/\S*)?$")


def current_os() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


def classify(target: str) -> tuple[str, str]:
    """('url'|'file'|'folder'|'missing', normalised target); bare domains such as baidu.com get https://."""
    if URL_RE.match(target):
        return "url", target
    path = Path(os.path.expandvars(os.path.expanduser(target)))
    if path.is_dir():
        return "folder", str(path.resolve())
    if path.exists():
        return "file", str(path.resolve())
    if BARE_DOMAIN_RE.match(target) and path.suffix.lower() not in (".txt", ".pdf", ".docx", ".xlsx", ".pptx", ".png", ".jpg"):
        return "url", f"https://{target}"
    return "missing", str(path)


def argv_for(system: str, target: str | None, app: str | None, reveal: bool = False) -> list[str]:
    """The launcher command for one OS: open (macOS), start via cmd (Windows), xdg-open or the app (Linux)."""
    if system == "macos":
        if reveal and target:
            return ["open", "-R", target]
        return ["open", *(["-a", app] if app else []), *([target] if target else [])]
    if system == "windows":
        if reveal and target:
            return ["explorer", f"/select,{target}"]
        if app:
            return [app, *([target] if target else [])]
        # explorer hands files, folders and URLs to their default program; `cmd /c start` would re-parse & and |.
        return ["explorer", target or "."]
    if reveal and target:
        return ["xdg-open", str(Path(target).parent)]
    if app:
        return [app, *([target] if target else [])]
    return ["xdg-open", target or "."]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 target missing, 3 launcher failed or absent."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("target", nargs="?", help="file, folder or URL (omit with --app to start the app alone)")
    ap.add_argument("--app", help="open with this application instead of the default")
    ap.add_argument("--reveal", action="store_true", help="show the file in Finder/Explorer/the file manager")
    ap.add_argument("--os", choices=["windows", "macos", "linux"], help="build the command for this OS (implies --dry-run elsewhere)")
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if not a.target and not a.app:
        ap.error("give a target, --app, or both")
    kind, target = classify(a.target) if a.target else ("app", None)
    system = a.os or current_os()
    report = {"kind": kind, "target": target, "os": system, "command": argv_for(system, target, a.app, a.reveal)}
    if kind == "missing" and not a.dry_run and not a.os:
        print(json.dumps({**report, "error": f"not found: {target}; search for it first (file-finder)"}, ensure_ascii=False))
        return 2
    if a.dry_run or system != current_os():
        print(json.dumps({**report, "dry_run": True}, ensure_ascii=False, indent=1))
        return 0
    if shutil.which(report["command"][0]) is None:
        print(json.dumps({**report, "error": f"{report['command'][0]} is not available"}, ensure_ascii=False))
        return 3
    # Detached: the opened program must outlive this script and never hold its output pipes.
    subprocess.Popen(report["command"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                     start_new_session=system != "windows")
    print(json.dumps({**report, "started": True}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
