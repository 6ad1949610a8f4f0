#!/usr/bin/env python3
"""Everyday settings per OS (volume, mute, brightness, dark mode, Wi-Fi, Bluetooth, Do Not Disturb): prints the command; --apply runs it."""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys

SETTINGS = ("volume", "mute", "unmute", "brightness", "dark-mode", "light-mode", "wifi-on", "wifi-off", "bluetooth-on",
            "bluetooth-off", "dnd-on", "dnd-off", "default-browser")
PS = ["powershell", "-NoProfile", "-Command"]
PERSONALIZE = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Themes\Personalize"


def linux(setting: str, value: int | None) -> list[list[str]] | None:
    """PulseAudio/PipeWire (pactl), brightnessctl, GNOME gsettings, NetworkManager, rfkill."""
    return {
        "volume": [["pactl", "set-sink-mute", "@DEFAULT_SINK@", "0"], ["pactl", "set-sink-volume", "@DEFAULT_SINK@", f"{value}%"]],
        "mute": [["pactl", "set-sink-mute", "@DEFAULT_SINK@", "1"]],
        "unmute": [["pactl", "set-sink-mute", "@DEFAULT_SINK@", "0"]],
        "brightness": [["brightnessctl", "set", f"{value}%"]],
        "dark-mode": [["gsettings", "set", "org.gnome.desktop.interface", "color-scheme", "prefer-dark"]],
        "light-mode": [["gsettings", "set", "org.gnome.desktop.interface", "color-scheme", "default"]],
        "wifi-on": [["nmcli", "radio", "wifi", "on"]], "wifi-off": [["nmcli", "radio", "wifi", "off"]],
        "bluetooth-on": [["rfkill", "unblock", "bluetooth"]], "bluetooth-off": [["rfkill", "block", "bluetooth"]],
        "dnd-on": [["gsettings", "set", "org.gnome.desktop.notifications", "show-banners", "false"]],
        "dnd-off": [["gsettings", "set", "org.gnome.desktop.notifications", "show-banners", "true"]],
        "default-browser": [["xdg-settings", "set", "default-web-browser", f"{value}.desktop"]],
    }.get(setting)


def macos(setting: str, value: int | None) -> list[list[str]] | None:
    """osascript for sound and appearance, networksetup for Wi-Fi; the rest has no built-in command."""
    appearance = "tell application \"System Events\" to tell appearance preferences to set dark mode to {}"
    return {
        "volume": [["osascript", "-e", f"set volume output volume {value} without output muted"]],
        "mute": [["osascript", "-e", "set volume with output muted"]],
        "unmute": [["osascript", "-e", "set volume without output muted"]],
        "dark-mode": [["osascript", "-e", appearance.format("true")]],
        "light-mode": [["osascript", "-e", appearance.format("false")]],
        "wifi-on": [["networksetup", "-setairportpower", "en0", "on"]],
        "wifi-off": [["networksetup", "-setairportpower", "en0", "off"]],
    }.get(setting)


def windows(setting: str, value: int | None) -> list[list[str]] | None:
    """Registry for the theme, WMI for laptop-panel brightness, netsh for Wi-Fi."""
    theme = [["reg", "add", PERSONALIZE, "/v", name, "/t", "REG_DWORD", "/d", "{}", "/f"] for name in ("AppsUseLightTheme", "SystemUsesLightTheme")]
    return {
        "brightness": [[*PS, f"(Get-CimInstance -Namespace root/WMI -ClassName WmiMonitorBrightnessMethods).WmiSetBrightness(1,{value})"]],
        "dark-mode": [[p.replace("{}", "0") for p in cmd] for cmd in theme],
        "light-mode": [[p.replace("{}", "1") for p in cmd] for cmd in theme],
        "wifi-on": [["netsh", "interface", "set", "interface", "name=Wi-Fi", "admin=enabled"]],
        "wifi-off": [["netsh", "interface", "set", "interface", "name=Wi-Fi", "admin=disabled"]],
        # Volume: the media keys are the only built-in way (each press is 2 %).
        "mute": [[*PS, "(New-Object -ComObject WScript.Shell).SendKeys([char]173)"]],
        "unmute": [[*PS, "(New-Object -ComObject WScript.Shell).SendKeys([char]173)"]],
        "volume": [[*PS, "$w = New-Object -ComObject WScript.Shell; 1..50 | % { $w.SendKeys([char]174) }; "
                         f"1..{(value or 0) // 2} | % {{ $w.SendKeys([char]175) }}"]],
    }.get(setting)


MANUAL = {
    "windows": "Settings → System / Bluetooth & devices (ms-settings: links open the right page, e.g. ms-settings:bluetooth)",
    "macos": "System Settings → Control Centre / Focus / Bluetooth; brightness needs the `brightness` tool (brew install brightness)",
    "linux": "the desktop's settings app",
}


def plan(system: str, setting: str, value: int | None) -> dict:
    """The commands for this OS, or manual steps when there is no command."""
    cmds = {"linux": linux, "macos": macos, "windows": windows}[system](setting, value)
    if cmds is None:
        return {"os": system, "setting": setting, "commands": [], "manual": MANUAL[system]}
    missing = sorted({c[0] for c in cmds if shutil.which(c[0]) is None}) if system == current_os() else []
    return {"os": system, "setting": setting, "value": value, "commands": cmds, "missing_programs": missing}


def current_os() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 bad arguments, 3 no command here or it failed."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("setting", choices=SETTINGS)
    ap.add_argument("value", nargs="?", help="percent for volume/brightness; browser id for default-browser")
    ap.add_argument("--os", choices=["windows", "macos", "linux"], help="plan for another OS (never applied)")
    ap.add_argument("--apply", action="store_true", help="run the commands on this computer")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    needs_value = a.setting in ("volume", "brightness", "default-browser")
    if needs_value and a.value is None:
        ap.error(f"{a.setting} needs a value")
    value = a.value if a.setting == "default-browser" else (max(0, min(100, int(a.value))) if needs_value else None)
    report = plan(a.os or current_os(), a.setting, value)
    if not a.apply or (a.os and a.os != current_os()):
        print(json.dumps({**report, "applied": False}, ensure_ascii=False, indent=1))
        return 0
    if not report["commands"] or report["missing_programs"]:
        print(json.dumps({**report, "applied": False, "error": "no command available here"}, ensure_ascii=False, indent=1))
        return 3
    for cmd in report["commands"]:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if proc.returncode:
            print(json.dumps({**report, "applied": False, "failed": cmd, "error": proc.stderr.strip()[-300:]}, ensure_ascii=False, indent=1))
            return 3
    print(json.dumps({**report, "applied": True}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
