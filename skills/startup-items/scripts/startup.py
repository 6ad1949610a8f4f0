#!/usr/bin/env python3
"""List programs that start at login, and disable / re-enable one (dry run unless --yes).

Linux: XDG autostart .desktop files and enabled systemd user units. macOS: LaunchAgents / LaunchDaemons plists.
Windows: the Startup folder and the Run registry keys. Disabling moves the entry (or a registry value, saved to a
backup file) aside, so `enable` can put it back exactly.
"""
from __future__ import annotations

import argparse
import json
import os
import plistlib
import re
import shutil
import sys
from pathlib import Path

HOME = Path.home()
DISABLED = "disabled-by-xiaodazi"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


def default_dirs() -> list[tuple[Path, str]]:
    """(folder, scope) pairs where login items live on this OS; scope 'user' can be changed without admin."""
    if sys.platform == "darwin":
        return [(HOME / "Library/LaunchAgents", "user"), (Path("/Library/LaunchAgents"), "system"),
                (Path("/Library/LaunchDaemons"), "system")]
    if sys.platform == "win32":
        appdata = Path(os.environ.get("APPDATA", HOME / "AppData/Roaming"))
        progdata = Path(os.environ.get("PROGRAMDATA", "C:/ProgramData"))
        sub = "Microsoft/Windows/Start Menu/Programs/Startup"
        return [(appdata / sub, "user"), (progdata / sub, "system")]
    cfg = Path(os.environ.get("XDG_CONFIG_HOME", HOME / ".config"))
    return [(cfg / "autostart", "user"), (Path("/etc/xdg/autostart"), "system"),
            (cfg / "systemd/user/default.target.wants", "user")]


def describe(path: Path) -> dict:
    """Name, command and whether the entry is already switched off, from a .desktop, .plist or shortcut."""
    item = {"id": str(path), "name": path.stem, "command": "", "enabled": True}
    try:
        if path.suffix == ".desktop":
            text = path.read_text(encoding="utf-8", errors="replace")
            fields = dict(re.findall(r"^([A-Za-z-]+)=(.*)$", text, re.M))
            item.update(name=fields.get("Name", path.stem), command=fields.get("Exec", ""))
            item["enabled"] = fields.get("Hidden", "false").lower() != "true" and \
                fields.get("X-GNOME-Autostart-enabled", "true").lower() != "false"
        elif path.suffix == ".plist":
            data = plistlib.loads(path.read_bytes())
            args = data.get("ProgramArguments") or [data.get("Program", "")]
            item.update(name=data.get("Label", path.stem), command=" ".join(map(str, args)),
                        enabled=not data.get("Disabled", False))
        elif path.suffix in (".service", ".timer"):
            target = path.resolve()
            text = target.read_text(encoding="utf-8", errors="replace") if target.is_file() else ""
            m = re.search(r"^ExecStart=(.*)$", text, re.M)
            item["command"] = m.group(1) if m else ""
    except (OSError, ValueError, plistlib.InvalidFileException) as exc:
        item["error"] = str(exc)
    return item


def registry_items() -> list[dict]:
    """Values of the Run keys (Windows only)."""
    if sys.platform != "win32":
        return []
    import winreg
    out = []
    for hive, scope in ((winreg.HKEY_CURRENT_USER, "user"), (winreg.HKEY_LOCAL_MACHINE, "system")):
        try:
            with winreg.OpenKey(hive, RUN_KEY) as key:
                for i in range(winreg.QueryInfoKey(key)[1]):
                    name, value, _ = winreg.EnumValue(key, i)
                    hname = "HKCU" if scope == "user" else "HKLM"
                    out.append({"id": f"reg:{hname}:{name}", "name": name, "command": str(value), "enabled": True,
                                "scope": scope, "kind": "registry"})
        except OSError:
            continue
    return out


def list_items(dirs: list[tuple[Path, str]]) -> list[dict]:
    """Every login item in the given folders plus the registry."""
    items = []
    for folder, scope in dirs:
        if folder.is_dir():
            for p in sorted(folder.iterdir()):
                if p.is_file() or p.is_symlink():
                    items.append({**describe(p), "scope": scope, "kind": "file", "folder": str(folder)})
    return items + registry_items()


def disabled_dir(path: Path) -> Path:
    return path.parent.parent / f"{path.parent.name}-{DISABLED}"


def disable(item_id: str, dirs: list[tuple[Path, str]], yes: bool) -> tuple[dict, int]:
    """Move a user-scope entry aside (or back it up and remove a registry value)."""
    item = next((i for i in list_items(dirs) if i["id"] == item_id), None)
    if item is None:
        return {"ok": False, "error": f"no login item {item_id!r}; run list first"}, 2
    if item["scope"] != "user":
        return {"ok": False, "item": item, "error": "a system-wide item: it needs administrator rights; "
                "tell the user how to switch it off in the system settings instead"}, 1
    if item["kind"] == "registry":
        dest = HOME / f".xiaodazi-startup-{DISABLED}.json"
        action = f"save the value to {dest} and delete it from HKCU\\{RUN_KEY}"
    else:
        dest = disabled_dir(Path(item_id)) / Path(item_id).name
        action = f"move {item_id} to {dest}"
    if not yes:
        return {"ok": True, "dry_run": True, "item": item, "plan": action}, 0
    if item["kind"] == "registry":
        _registry_disable(item, dest)
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(item_id, dest)
    undo = item["id"] if item["kind"] == "registry" else str(dest)
    return {"ok": True, "disabled": item, "moved_to": str(dest), "undo": ["enable", undo]}, 0


def _registry_disable(item: dict, backup: Path) -> None:
    import winreg
    saved = json.loads(backup.read_text(encoding="utf-8")) if backup.exists() else {}
    saved[item["name"]] = item["command"]
    backup.write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
        winreg.DeleteValue(key, item["name"])


def _registry_enable(item_id: str, yes: bool) -> tuple[dict, int]:
    """Write a saved Run value back (Windows; the id is reg:HKCU:<name>)."""
    backup = HOME / f".xiaodazi-startup-{DISABLED}.json"
    name = item_id.split(":", 2)[2]
    saved = json.loads(backup.read_text(encoding="utf-8")) if backup.exists() else {}
    if name not in saved:
        return {"ok": False, "error": f"no saved registry entry {name!r} in {backup}"}, 2
    if not yes:
        return {"ok": True, "dry_run": True, "plan": f"restore {name} = {saved[name]} under HKCU\\{RUN_KEY}"}, 0
    import winreg
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
        winreg.SetValueEx(key, name, 0, winreg.REG_SZ, saved.pop(name))
    backup.write_text(json.dumps(saved, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"ok": True, "enabled": item_id}, 0


def enable(disabled_path: str, yes: bool) -> tuple[dict, int]:
    """Move a previously disabled entry back where it came from."""
    if disabled_path.startswith("reg:HKCU:"):
        return _registry_enable(disabled_path, yes)
    src = Path(disabled_path)
    if not src.exists() or not src.parent.name.endswith(DISABLED):
        return {"ok": False, "error": f"{disabled_path} is not an entry this script disabled"}, 2
    dest = src.parent.parent / src.parent.name[: -len(DISABLED) - 1] / src.name
    if dest.exists():
        return {"ok": False, "error": f"{dest} exists already"}, 1
    if not yes:
        return {"ok": True, "dry_run": True, "plan": f"move {src} back to {dest}"}, 0
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(src), dest)
    return {"ok": True, "enabled": str(dest)}, 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", action="append", help="look only in this user folder (repeatable; for tests and odd setups)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    ls = sub.add_parser("list", help="show login items")
    d = sub.add_parser("disable", help="switch one off (dry run unless --yes)")
    d.add_argument("id", help="the id from list")
    e = sub.add_parser("enable", help="undo a disable (dry run unless --yes)")
    e.add_argument("path", help="the undo value from disable: the moved_to path, or reg:HKCU:<name> on Windows")
    for x in (d, e):
        x.add_argument("--yes", action="store_true", help="really change it (only after the user agreed)")
    for x in (ls, d, e):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    dirs = [(Path(os.path.expanduser(p)), "user") for p in args.dir] if args.dir else default_dirs()
    code = 0
    try:
        if args.cmd == "list":
            items = list_items(dirs)
            result = {"ok": True, "count": len(items), "items": items}
        elif args.cmd == "disable":
            result, code = disable(args.id, dirs, args.yes)
        else:
            result, code = enable(args.path, args.yes)
    except OSError as exc:
        result, code = {"ok": False, "error": str(exc)}, 1
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return code


if __name__ == "__main__":
    sys.exit(main())
