#!/usr/bin/env python3
"""Processes by CPU or memory, who holds a network port, and ending one process only with --yes.

Uses psutil when it is installed; otherwise /proc on Linux, or ps / lsof / tasklist / netstat elsewhere.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

# Ending these takes the session or the whole system down.
PROTECTED = {"systemd", "init", "launchd", "kernel_task", "loginwindow", "WindowServer", "csrss.exe", "wininit.exe",
             "winlogon.exe", "services.exe", "lsass.exe", "smss.exe", "System", "explorer.exe", "sshd", "Xorg", "dwm.exe"}
PROC = Path("/proc")


def _run(*argv: str) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=15).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _psutil():
    try:
        import psutil
        return psutil
    except ImportError:
        return None


# --- Linux /proc -------------------------------------------------------------------------------------------------

def _proc_row(pid: int) -> dict | None:
    """Name, command line, RSS and CPU ticks of one pid from /proc."""
    base = PROC / str(pid)
    try:
        stat = (base / "stat").read_text()
        status = (base / "status").read_text()
        cmd = (base / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except OSError:
        return None
    name = stat[stat.index("(") + 1 : stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2 :].split()
    rss = re.search(r"VmRSS:\s*(\d+)", status)
    return {"pid": pid, "name": name, "cmdline": cmd[:300], "ticks": int(fields[11]) + int(fields[12]),
            "rss_bytes": int(rss.group(1)) * 1024 if rss else 0}


def _proc_pids() -> list[int]:
    return [int(p.name) for p in PROC.iterdir() if p.name.isdigit()]


def proc_top(interval: float) -> list[dict]:
    """Every process with cpu_percent measured over `interval` seconds."""
    hz = os.sysconf("SC_CLK_TCK")
    first = {r["pid"]: r for pid in _proc_pids() if (r := _proc_row(pid))}
    time.sleep(interval)
    out = []
    for pid in _proc_pids():
        r = _proc_row(pid)
        if r:
            before = first.get(pid, {"ticks": r["ticks"]})["ticks"]
            r["cpu_percent"] = round(100.0 * (r.pop("ticks") - before) / hz / interval, 1)
            out.append(r)
    return out


def _socket_inodes(port: int) -> dict[str, dict]:
    """inode → socket info for TCP/UDP sockets bound to `port` (any address) from /proc/net."""
    found = {}
    for proto in ("tcp", "tcp6", "udp", "udp6"):
        f = PROC / "net" / proto
        if not f.exists():
            continue
        for line in f.read_text().splitlines()[1:]:
            parts = line.split()
            local, state, inode = parts[1], parts[3], parts[9]
            if int(local.rsplit(":", 1)[1], 16) == port and inode != "0":
                listening = proto.startswith("udp") or state == "0A"
                found[inode] = {"proto": proto, "state": "LISTEN" if listening else "CONNECTED"}
    return found


def proc_port(port: int) -> list[dict]:
    """Processes holding a socket on `port`, found through their /proc/<pid>/fd links."""
    inodes = _socket_inodes(port)
    out = []
    for pid in _proc_pids() if inodes else []:
        try:
            links = [os.readlink(fd) for fd in (PROC / str(pid) / "fd").iterdir()]
        except OSError:
            continue
        for link in links:
            m = re.fullmatch(r"socket:\[(\d+)\]", link)
            if m and m.group(1) in inodes and (row := _proc_row(pid)):
                row.pop("ticks")
                out.append({**row, **inodes[m.group(1)], "port": port})
    return out


# --- psutil and other platforms -----------------------------------------------------------------------------------

def ps_top(interval: float) -> list[dict]:
    """Process list from psutil, or `ps` / `tasklist` when psutil is missing."""
    psutil = _psutil()
    if psutil:
        procs = list(psutil.process_iter(["pid", "name", "cmdline", "memory_info"]))
        for p in procs:
            try:
                p.cpu_percent(None)
            except psutil.Error:
                pass
        time.sleep(interval)
        out = []
        for p in procs:
            try:
                out.append({"pid": p.pid, "name": p.info["name"] or "", "cmdline": " ".join(p.info["cmdline"] or [])[:300],
                            "rss_bytes": p.info["memory_info"].rss if p.info["memory_info"] else 0,
                            "cpu_percent": round(p.cpu_percent(None), 1)})
            except psutil.Error:
                continue
        return out
    if PROC.exists():
        return proc_top(interval)
    if sys.platform == "win32":
        rows = []
        for line in _run("tasklist", "/fo", "csv", "/nh").splitlines():
            cells = [c.strip('"') for c in line.split('","')]
            if len(cells) >= 5:
                kb = int(re.sub(r"\D", "", cells[4]) or 0)
                rows.append({"pid": int(cells[1]), "name": cells[0], "cmdline": "", "rss_bytes": kb * 1024, "cpu_percent": None})
        return rows
    rows = []
    for line in _run("ps", "-axo", "pid=,pcpu=,rss=,comm=").splitlines():
        parts = line.split(None, 3)
        if len(parts) == 4:
            rows.append({"pid": int(parts[0]), "cpu_percent": float(parts[1]), "rss_bytes": int(parts[2]) * 1024,
                         "name": Path(parts[3]).name, "cmdline": parts[3]})
    return rows


def port_users(port: int) -> list[dict]:
    """Processes using `port`, by the best method this machine offers."""
    psutil = _psutil()
    if psutil:
        out = []
        for c in psutil.net_connections(kind="inet"):
            if c.laddr and c.laddr.port == port and c.pid:
                try:
                    p = psutil.Process(c.pid)
                    out.append({"pid": c.pid, "name": p.name(), "cmdline": " ".join(p.cmdline())[:300],
                                "state": c.status or "LISTEN", "port": port, "rss_bytes": p.memory_info().rss})
                except psutil.Error:
                    continue
        return out
    if PROC.exists():
        return proc_port(port)
    if sys.platform == "win32":
        pids = {int(m.group(2)) for m in re.finditer(rf"^\s*\w+\s+\S*[:.]{port}\s+\S+\s+(?:([A-Z_]+)\s+)?(\d+)\s*$",
                                                         _run("netstat", "-ano"), re.M)}
        return [{"pid": pid, "name": "", "cmdline": "", "state": "", "port": port} for pid in sorted(pids)]
    out = []
    for line in _run("lsof", "-nP", f"-i:{port}").splitlines()[1:]:
        parts = line.split()
        out.append({"pid": int(parts[1]), "name": parts[0], "cmdline": "", "state": parts[-1].strip("()"), "port": port})
    return out


def alive(pid: int) -> bool:
    """True while the process exists (zombies count as gone)."""
    if (PROC / str(pid) / "stat").exists():
        return ") Z" not in (PROC / str(pid) / "stat").read_text()
    psutil = _psutil()
    if psutil:
        return psutil.pid_exists(pid)
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        return f'"{pid}"' in _run("tasklist", "/fi", f"PID eq {pid}", "/fo", "csv", "/nh")
    if PROC.exists():
        return False
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def describe(pid: int) -> dict | None:
    """One process's row, or None when it does not exist."""
    if PROC.exists():
        row = _proc_row(pid)
        if row:
            row.pop("ticks")
        return row
    return next((r for r in ps_top(0.0) if r["pid"] == pid), None)


def stop(pid: int, yes: bool, force: bool, wait: float) -> tuple[dict, int]:
    """End a process: dry run without --yes; terminate, then kill with --force if it lingers."""
    row = describe(pid)
    if row is None:
        return {"ok": False, "error": f"no process with pid {pid}"}, 2
    if pid in (0, 1, os.getpid(), os.getppid()) or row["name"] in PROTECTED:
        return {"ok": False, "error": f"refusing to end {row['name']} (pid {pid}): the system or this app needs it"}, 2
    if not yes:
        return {"ok": True, "dry_run": True, "would_end": row, "hint": "ask the user, then repeat with --yes"}, 0
    try:
        os.kill(pid, signal.SIGTERM)
        deadline = time.time() + wait
        while alive(pid) and time.time() < deadline:
            time.sleep(0.1)
        if alive(pid) and force:
            os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
            time.sleep(0.3)
    except PermissionError:
        return {"ok": False, "error": f"no permission to end pid {pid}; it belongs to another user or the system"}, 1
    except ProcessLookupError:
        pass
    gone = not alive(pid)
    return {"ok": gone, "ended": row if gone else None, "still_running": not gone,
            **({} if gone else {"hint": "it ignored the request; repeat with --force to kill it"})}, 0 if gone else 1


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("top", help="processes using the most CPU or memory")
    t.add_argument("--by", choices=["cpu", "mem"], default="cpu")
    t.add_argument("--limit", type=int, default=10)
    t.add_argument("--interval", type=float, default=1.0, help="seconds to measure CPU over")
    p = sub.add_parser("port", help="who holds a TCP/UDP port")
    p.add_argument("port", type=int)
    s = sub.add_parser("stop", help="end a process (dry run unless --yes)")
    s.add_argument("pid", type=int)
    s.add_argument("--yes", action="store_true", help="really end it (only after the user agreed)")
    s.add_argument("--force", action="store_true", help="kill if it does not exit within --wait seconds")
    s.add_argument("--wait", type=float, default=5.0)
    for x in (t, p, s):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    code = 0
    if args.cmd == "top":
        key = "cpu_percent" if args.by == "cpu" else "rss_bytes"
        rows = sorted(ps_top(args.interval), key=lambda r: -(r.get(key) or 0))[: args.limit]
        for r in rows:
            r["rss_mb"] = round(r["rss_bytes"] / 1024**2, 1)
        result = {"ok": True, "by": args.by, "cpu_count": os.cpu_count(), "processes": rows}
    elif args.cmd == "port":
        users = port_users(args.port)
        result = {"ok": True, "port": args.port, "in_use": bool(users), "processes": users}
    else:
        result, code = stop(args.pid, args.yes, args.force, args.wait)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return code


if __name__ == "__main__":
    sys.exit(main())
