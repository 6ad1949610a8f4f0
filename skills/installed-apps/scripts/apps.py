#!/usr/bin/env python3
"""List installed applications with versions (read-only): macOS app bundles, Windows uninstall entries,
Linux desktop apps plus dpkg / rpm / flatpak / snap packages."""
from __future__ import annotations

import argparse
import json
import os
import plistlib
import re
import shutil
import subprocess
import sys
from pathlib import Path


def _run(*argv: str) -> str:
    if not shutil.which(argv[0]):
        return ""
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def app_bundles(folders: list[Path]) -> list[dict]:
    """macOS *.app bundles: display name and version from Contents/Info.plist."""
    out = []
    for folder in folders:
        for app in sorted(folder.glob("*.app")) if folder.is_dir() else []:
            info = {}
            try:
                info = plistlib.loads((app / "Contents/Info.plist").read_bytes())
            except (OSError, ValueError, plistlib.InvalidFileException):
                pass
            out.append({"name": info.get("CFBundleDisplayName") or info.get("CFBundleName") or app.stem,
                        "version": info.get("CFBundleShortVersionString") or info.get("CFBundleVersion") or "",
                        "id": info.get("CFBundleIdentifier", ""), "source": "app", "path": str(app)})
    return out


def parse_dpkg_status(text: str) -> list[dict]:
    """Installed packages from a dpkg status file (paragraphs of 'Field: value')."""
    out = []
    for para in text.split("\n\n"):
        fields = dict(re.findall(r"^([\w-]+): (.*)$", para, re.M))
        if fields.get("Package") and "installed" in fields.get("Status", "").split()[-1:]:
            out.append({"name": fields["Package"], "version": fields.get("Version", ""), "source": "dpkg",
                        "summary": fields.get("Description", "")[:120]})
    return out


def desktop_apps(folders: list[Path]) -> list[dict]:
    """Linux menu entries (.desktop files) that are shown to users."""
    out, seen = [], set()
    for folder in folders:
        for f in sorted(folder.glob("*.desktop")) if folder.is_dir() else []:
            text = f.read_text(encoding="utf-8", errors="replace")
            fields = dict(re.findall(r"^(Name|NoDisplay|Exec|Type|Hidden)=(.*)$", text, re.M))
            if fields.get("NoDisplay") == "true" or fields.get("Hidden") == "true" or fields.get("Name") in seen:
                continue
            seen.add(fields.get("Name"))
            out.append({"name": fields.get("Name", f.stem), "version": "", "source": "desktop",
                        "command": fields.get("Exec", ""), "path": str(f)})
    return out


def linux_packages() -> list[dict]:
    """Packages from rpm, flatpak and snap when those tools exist (dpkg is read from its status file)."""
    out = []
    for line in _run("rpm", "-qa", "--qf", "%{NAME}\t%{VERSION}-%{RELEASE}\n").splitlines():
        name, _, ver = line.partition("\t")
        out.append({"name": name, "version": ver, "source": "rpm"})
    for line in _run("flatpak", "list", "--app", "--columns=name,version").splitlines():
        name, _, ver = line.partition("\t")
        out.append({"name": name, "version": ver, "source": "flatpak"})
    for line in _run("snap", "list").splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2:
            out.append({"name": parts[0], "version": parts[1], "source": "snap"})
    return out


def windows_apps() -> list[dict]:
    """Programs from the Uninstall registry keys (what Settings > Apps shows)."""
    import winreg
    out, seen = [], set()
    keys = [(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"),
            (winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"),
            (winreg.HKEY_CURRENT_USER, r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall")]
    for hive, path in keys:
        try:
            root = winreg.OpenKey(hive, path)
        except OSError:
            continue
        for i in range(winreg.QueryInfoKey(root)[0]):
            try:
                with winreg.OpenKey(root, winreg.EnumKey(root, i)) as sub:
                    name = winreg.QueryValueEx(sub, "DisplayName")[0]
                    ver = _reg_value(winreg, sub, "DisplayVersion")
                    if name not in seen:
                        seen.add(name)
                        out.append({"name": name, "version": ver, "source": "registry",
                                    "publisher": _reg_value(winreg, sub, "Publisher")})
            except OSError:
                continue
    return out


def _reg_value(winreg, key, name: str) -> str:
    try:
        return str(winreg.QueryValueEx(key, name)[0])
    except OSError:
        return ""


def collect(args: argparse.Namespace) -> list[dict]:
    """Apps from the sources this OS has (or the folders/files given for a check)."""
    if args.apps_dir or args.dpkg_status or args.desktop_dir:
        items = app_bundles([Path(p) for p in args.apps_dir or []])
        items += desktop_apps([Path(p) for p in args.desktop_dir or []])
        if args.dpkg_status:
            items += parse_dpkg_status(Path(args.dpkg_status).read_text(encoding="utf-8", errors="replace"))
        return items
    if sys.platform == "darwin":
        return app_bundles([Path("/Applications"), Path("/Applications/Utilities"), Path.home() / "Applications"])
    if sys.platform == "win32":
        return windows_apps()
    home_apps = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share")) / "applications"
    items = desktop_apps([home_apps, Path("/usr/share/applications"), Path("/var/lib/flatpak/exports/share/applications")])
    if args.packages:
        status = Path("/var/lib/dpkg/status")
        items += parse_dpkg_status(status.read_text(encoding="utf-8", errors="replace")) if status.exists() else []
        items += linux_packages()
    return items


def main(argv: list[str] | None = None) -> int:
    """Print the list as JSON; exit 1 when a --filter matched nothing."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--filter", help="only names containing this text (case-insensitive)")
    ap.add_argument("--packages", action="store_true", help="Linux: include system packages, not just menu apps")
    ap.add_argument("--apps-dir", action="append", help="read *.app bundles from this folder instead")
    ap.add_argument("--desktop-dir", action="append", help="read .desktop entries from this folder instead")
    ap.add_argument("--dpkg-status", help="read this dpkg status file instead")
    ap.add_argument("--limit", type=int, default=300)
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        items = collect(args)
    except OSError as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    if args.filter:
        items = [i for i in items if args.filter.lower() in i["name"].lower()]
    items.sort(key=lambda i: i["name"].lower())
    print(json.dumps({"ok": True, "count": len(items), "apps": items[: args.limit],
                      "truncated": len(items) > args.limit}, ensure_ascii=False, indent=1))
    return 1 if args.filter and not items else 0


if __name__ == "__main__":
    sys.exit(main())
