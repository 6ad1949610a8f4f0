#!/usr/bin/env python3
"""Why is this computer slow? Collect read-only health metrics and rank the likely causes with fixes.

`check` measures this machine; `rank METRICS.json` ranks saved or hand-gathered metrics (same keys).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

PROC = Path("/proc")


def _meminfo() -> dict[str, int]:
    out = {}
    for line in (PROC / "meminfo").read_text().splitlines():
        key, _, rest = line.partition(":")
        if rest.split() and rest.split()[0].isdigit():
            out[key] = int(rest.split()[0]) * 1024
    return out


def _vmstat_swaps() -> int:
    fields = dict(line.split() for line in (PROC / "vmstat").read_text().splitlines() if len(line.split()) == 2)
    return int(fields.get("pswpin", 0)) + int(fields.get("pswpout", 0))


def memory_metrics() -> dict:
    """Memory and swap use, plus pages swapped per second over one second (Linux) — the real sign of pressure."""
    try:
        import psutil
        vm, sw = psutil.virtual_memory(), psutil.swap_memory()
        return {"mem_total": vm.total, "mem_available": vm.available, "swap_total": sw.total, "swap_used": sw.used,
                "swap_pages_per_s": None}
    except ImportError:
        pass
    if not (PROC / "meminfo").exists():
        return {}
    m = _meminfo()
    before = _vmstat_swaps()
    time.sleep(1.0)
    return {"mem_total": m.get("MemTotal", 0), "mem_available": m.get("MemAvailable", 0),
            "swap_total": m.get("SwapTotal", 0), "swap_used": m.get("SwapTotal", 0) - m.get("SwapFree", 0),
            "swap_pages_per_s": _vmstat_swaps() - before}


def temperatures() -> list[float]:
    """Sensor temperatures in °C (psutil or /sys/class/thermal); empty where the OS hides them."""
    try:
        import psutil
        return [t.current for ts in (psutil.sensors_temperatures() or {}).values() for t in ts if t.current]
    except (ImportError, AttributeError):
        pass
    out = []
    for zone in Path("/sys/class/thermal").glob("thermal_zone*/temp"):
        try:
            out.append(int(zone.read_text()) / 1000)
        except (OSError, ValueError):
            continue
    return out


def crash_count() -> int | None:
    """Recent crash reports: macOS DiagnosticReports, Linux /var/crash or journal errors of this boot."""
    reports = Path.home() / "Library/Logs/DiagnosticReports"
    if reports.is_dir():
        week = time.time() - 7 * 86400
        return sum(1 for p in reports.iterdir() if p.stat().st_mtime > week)
    if Path("/var/crash").is_dir() and any(Path("/var/crash").iterdir()):
        return len(list(Path("/var/crash").iterdir()))
    if shutil.which("journalctl"):
        try:
            out = subprocess.run(["journalctl", "-b", "-p", "crit", "-q", "--no-pager", "-n", "200"],
                                 capture_output=True, text=True, timeout=15).stdout
            return len(out.splitlines())
        except (OSError, subprocess.SubprocessError):
            return None
    return None


def collect() -> dict:
    """Every metric the ranking uses, measured here."""
    disks = []
    for mnt in ["/", str(Path.home())] if os.name != "nt" else [os.environ.get("SystemDrive", "C:") + "\\"]:
        u = shutil.disk_usage(mnt)
        disks.append({"mount": mnt, "used_percent": round(100 * u.used / u.total, 1), "free_bytes": u.free})
    uptime = float((PROC / "uptime").read_text().split()[0]) if (PROC / "uptime").exists() else None
    return {"cpu_count": os.cpu_count() or 1, "load_avg_1m": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
            **memory_metrics(), "disks": list({d["mount"]: d for d in disks}.values()),
            "temperatures_c": temperatures(), "uptime_days": round(uptime / 86400, 1) if uptime else None,
            "recent_crashes": crash_count()}


def finding(area: str, score: float, evidence: str, zh: str, en: str) -> dict:
    return {"area": area, "score": round(min(score, 100)), "evidence": evidence, "fix_zh": zh, "fix_en": en}


def rank(m: dict) -> list[dict]:
    """Findings ordered by how much they likely hurt (score 0-100); pure function of the metrics."""
    out = []
    total, avail = m.get("mem_total") or 0, m.get("mem_available")
    swap_total, swap_used = m.get("swap_total") or 0, m.get("swap_used") or 0
    if total and avail is not None:
        free_pct = 100 * avail / total
        swap_pct = 100 * swap_used / swap_total if swap_total else 0
        paging = m.get("swap_pages_per_s") or 0
        score = max(0, 60 - 3 * free_pct) + max(0, swap_pct - 20) * 0.8 + min(paging / 10, 40)
        if score >= 20:
            out.append(finding("memory", score, f"{free_pct:.0f}% RAM free, swap {swap_pct:.0f}% used, {paging} pages/s swapped",
                               "内存不足：关闭占内存多的程序/浏览器标签，减少开机启动项；长期如此建议加内存",
                               "Memory is short: close heavy apps and browser tabs, trim startup items; add RAM if it stays so"))
    load, cores = m.get("load_avg_1m"), m.get("cpu_count") or 1
    if load is not None and load / cores > 1.0:
        out.append(finding("cpu", (load / cores - 1.0) * 50 + 20, f"load {load:.1f} on {cores} cores",
                           "CPU 满负荷：用 process-manager 找出占用最高的进程，结束或推迟它",
                           "CPU is saturated: find the top process with process-manager and stop or postpone it"))
    for d in m.get("disks", []):
        if d.get("used_percent", 0) >= 90:
            out.append(finding("disk_full", (d["used_percent"] - 85) * 6, f"{d['mount']} is {d['used_percent']}% full",
                               "磁盘快满了：用 disk-space-analyzer 找大文件，用 junk-cleaner 清缓存",
                               "The disk is nearly full: find big items with disk-space-analyzer, clear caches with junk-cleaner"))
    temps = m.get("temperatures_c") or []
    if temps and max(temps) >= 80:
        out.append(finding("heat", (max(temps) - 75) * 4, f"hottest sensor {max(temps):.0f} °C",
                           "温度过高会降频：清灰、保证通风、别放在软垫上，检查风扇",
                           "Overheating throttles the CPU: clean dust, keep vents free, check the fans"))
    crashes = m.get("recent_crashes") or 0
    if crashes:
        out.append(finding("crashes", 15 + 5 * crashes, f"{crashes} recent crash/critical log entries",
                           "有崩溃记录：查看崩溃日志里反复出现的程序或驱动，更新或重装它",
                           "Crash reports exist: look for the app or driver that repeats in them and update or reinstall it"))
    if (m.get("uptime_days") or 0) >= 14:
        out.append(finding("uptime", 15, f"running for {m['uptime_days']} days without restart",
                           "很久没重启了：保存工作后重启一次", "Not restarted for a long time: save work and restart once"))
    return sorted(out, key=lambda f: -f["score"])


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="measure this computer and rank causes")
    r = sub.add_parser("rank", help="rank causes from a metrics JSON file")
    r.add_argument("metrics_file")
    for x in (c, r):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    try:
        metrics = collect() if args.cmd == "check" else json.loads(Path(args.metrics_file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        return 2
    findings = rank(metrics)
    print(json.dumps({"ok": True, "metrics": metrics, "findings": findings,
                      "top": findings[0]["area"] if findings else None}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
