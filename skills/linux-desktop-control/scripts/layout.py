#!/usr/bin/env python3
"""Plan and apply window layouts on a Linux X11 desktop with xdotool (or wmctrl): find windows, move, resize, focus, tile.

Without --apply the commands are only printed.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys

PRESETS = ("left", "right", "top", "bottom", "maximize", "center", "top-left", "top-right", "bottom-left", "bottom-right")


def run(cmd: list[str]) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip()[:200] or 'no match'}")
    return proc.stdout


def screen() -> tuple[int, int]:
    w, h = run(["xdotool", "getdisplaygeometry"]).split()
    return int(w), int(h)


def find(name: str) -> list[dict]:
    """Visible windows whose title contains `name` (case-insensitive regular expression), with their geometry."""
    ids = run(["xdotool", "search", "--onlyvisible", "--name", name]).split()
    out = []
    for wid in ids:
        geo = dict(line.split("=", 1) for line in run(["xdotool", "getwindowgeometry", "--shell", wid]).split())
        title = run(["xdotool", "getwindowname", wid]).strip()
        out.append({"id": wid, "title": title, "x": int(geo["X"]), "y": int(geo["Y"]),
                    "width": int(geo["WIDTH"]), "height": int(geo["HEIGHT"])})
    return out


def geometry(preset: str | None, explicit: str | None, sw: int, sh: int, grid: str | None = None, cell: int = 0) -> tuple[int, int, int, int]:
    """x, y, w, h for a preset, a grid cell (COLSxROWS, index from 0) or an explicit X,Y,W,H."""
    if explicit:
        x, y, w, h = (int(v) for v in explicit.split(","))
        return x, y, w, h
    if grid:
        cols, rows = (int(v) for v in grid.lower().split("x"))
        w, h = sw // cols, sh // rows
        return (cell % cols) * w, (cell // cols) * h, w, h
    half_w, half_h = sw // 2, sh // 2
    table = {"left": (0, 0, half_w, sh), "right": (half_w, 0, sw - half_w, sh), "top": (0, 0, sw, half_h),
             "bottom": (0, half_h, sw, sh - half_h), "maximize": (0, 0, sw, sh),
             "center": (sw // 6, sh // 6, sw * 2 // 3, sh * 2 // 3), "top-left": (0, 0, half_w, half_h),
             "top-right": (half_w, 0, sw - half_w, half_h), "bottom-left": (0, half_h, half_w, sh - half_h),
             "bottom-right": (half_w, half_h, sw - half_w, sh - half_h)}
    return table[preset]


def commands(wid: str, x: int, y: int, w: int, h: int, tool: str) -> list[list[str]]:
    """The shell commands that put window `wid` at x, y with size w×h and raise it."""
    if tool == "wmctrl":
        return [["wmctrl", "-i", "-r", wid, "-b", "remove,maximized_vert,maximized_horz"],
                ["wmctrl", "-i", "-r", wid, "-e", f"0,{x},{y},{w},{h}"], ["wmctrl", "-i", "-a", wid]]
    return [["xdotool", "windowsize", wid, str(w), str(h)], ["xdotool", "windowmove", wid, str(x), str(y)],
            ["xdotool", "windowraise", wid]]


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 ok, 2 no such window or bad arguments, 3 not an X11 session or tool missing."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--list", action="store_true", help="list matching windows and the screen size")
    ap.add_argument("--window", default=".", help="title to match (regular expression), e.g. 'Firefox|火狐'")
    ap.add_argument("--preset", choices=PRESETS)
    ap.add_argument("--geometry", help="explicit X,Y,W,H in pixels")
    ap.add_argument("--grid", help="COLSxROWS: tile every matching window into the grid, in order")
    ap.add_argument("--tool", choices=["xdotool", "wmctrl"], default="xdotool")
    ap.add_argument("--apply", action="store_true", help="run the commands (default: only print them)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if shutil.which(a.tool) is None or shutil.which("xdotool") is None:
        print(json.dumps({"error": f"{a.tool} is not installed (apt install xdotool wmctrl); on Wayland use ydotool or the compositor's own tools"}))
        return 3
    try:
        sw, sh = screen()
        wins = find(a.window)
    except RuntimeError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 2 if "search" in str(exc) else 3
    if a.list or not (a.preset or a.geometry or a.grid):
        print(json.dumps({"screen": [sw, sh], "windows": wins}, ensure_ascii=False, indent=1))
        return 0
    targets = wins if a.grid else wins[:1]
    plan = []
    for i, win in enumerate(targets):
        x, y, w, h = geometry(a.preset, a.geometry, sw, sh, a.grid, i)
        plan.append({"window": win, "to": [x, y, w, h], "commands": commands(win["id"], x, y, w, h, a.tool)})
    if a.apply:
        for step in plan:
            for cmd in step["commands"]:
                run(cmd)
            step["now"] = next((w for w in find(a.window) if w["id"] == step["window"]["id"]), None)
    print(json.dumps({"screen": [sw, sh], "applied": a.apply, "plan": plan}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
