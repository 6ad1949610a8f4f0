#!/usr/bin/env python3
"""One read-only snapshot of this computer: OS, CPU, memory, disks, GPU, uptime and load (psutil when present)."""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path


def _cmd(*argv: str) -> str:
    """Output of a small platform command, or "" when it is missing or fails."""
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def _meminfo() -> dict[str, int]:
    """/proc/meminfo in bytes (Linux)."""
    out = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            out[key] = int(parts[0]) * (1024 if len(parts) > 1 else 1)
    return out


def cpu_info() -> dict:
    """CPU model, core counts, load average and a one-second busy percentage."""
    info = {"model": platform.processor() or platform.machine(), "cores_logical": os.cpu_count() or 0,
            "cores_physical": None, "load_avg": None, "usage_percent": None}
    if hasattr(os, "getloadavg"):
        info["load_avg"] = [round(x, 2) for x in os.getloadavg()]
    try:
        import psutil
        info.update(cores_physical=psutil.cpu_count(logical=False), usage_percent=psutil.cpu_percent(interval=0.5))
        return info
    except ImportError:
        pass
    if Path("/proc/cpuinfo").exists():
        text = Path("/proc/cpuinfo").read_text()
        if m := re.search(r"^model name\s*:\s*(.+)$", text, re.M):
            info["model"] = m.group(1).strip()
        cores = {(p, c) for p, c in re.findall(r"physical id\s*:\s*(\d+).*?core id\s*:\s*(\d+)", text, re.S)}
        info["cores_physical"] = len(cores) or None
        info["usage_percent"] = _proc_cpu_percent()
    elif sys.platform == "darwin":
        info["model"] = _cmd("sysctl", "-n", "machdep.cpu.brand_string").strip() or info["model"]
        info["cores_physical"] = int(_cmd("sysctl", "-n", "hw.physicalcpu").strip() or 0) or None
    return info


def _proc_cpu_percent(interval: float = 0.5) -> float:
    """Busy share of all CPUs over `interval` seconds from /proc/stat."""
    def sample() -> tuple[int, int]:
        vals = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
        return sum(vals), idle
    t1, i1 = sample()
    time.sleep(interval)
    t2, i2 = sample()
    return round(100.0 * (1 - (i2 - i1) / max(t2 - t1, 1)), 1)


def memory_info() -> dict:
    """Total, available and used memory plus swap, in bytes."""
    try:
        import psutil
        vm, sw = psutil.virtual_memory(), psutil.swap_memory()
        total, avail, swap_total, swap_used = vm.total, vm.available, sw.total, sw.used
    except ImportError:
        total = avail = swap_total = swap_used = 0
        if Path("/proc/meminfo").exists():
            m = _meminfo()
            total, avail = m.get("MemTotal", 0), m.get("MemAvailable", m.get("MemFree", 0))
            swap_total, swap_used = m.get("SwapTotal", 0), m.get("SwapTotal", 0) - m.get("SwapFree", 0)
        elif sys.platform == "darwin":
            total = int(_cmd("sysctl", "-n", "hw.memsize").strip() or 0)
        elif sys.platform == "win32":
            total, avail = _windows_memory()
    used = total - avail if total and avail else None
    return {"total_bytes": total, "available_bytes": avail or None, "used_bytes": used,
            "used_percent": round(100 * used / total, 1) if used is not None and total else None,
            "swap_total_bytes": swap_total, "swap_used_bytes": swap_used}


def _windows_memory() -> tuple[int, int]:
    import ctypes

    class MemStatus(ctypes.Structure):
        _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong)] + [
            (n, ctypes.c_ulonglong) for n in ("total", "avail", "tpf", "apf", "tv", "av", "aev")]
    st = MemStatus()
    st.dwLength = ctypes.sizeof(st)
    ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(st))
    return st.total, st.avail


def disks() -> list[dict]:
    """Mounted volumes with size and free space (virtual file systems left out)."""
    mounts: list[str] = []
    try:
        import psutil
        mounts = [p.mountpoint for p in psutil.disk_partitions(all=False)]
    except ImportError:
        if Path("/proc/mounts").exists():
            skip = {"proc", "sysfs", "tmpfs", "devtmpfs", "cgroup", "cgroup2", "overlay", "squashfs", "devpts", "mqueue"}
            for line in Path("/proc/mounts").read_text().splitlines():
                dev, mnt, fs = line.split()[:3]
                if fs not in skip and (dev.startswith("/") or mnt == "/"):
                    mounts.append(mnt.replace("\\040", " "))
        elif sys.platform == "win32":
            mounts = [f"{c}:\\" for c in "CDEFGHIJKLMNOPQRSTUVWXYZ" if os.path.exists(f"{c}:\\")]
        else:
            mounts = ["/"] + [str(p) for p in Path("/Volumes").glob("*")] if Path("/Volumes").exists() else ["/"]
    out = []
    for mnt in dict.fromkeys(mounts or ["/"]):
        try:
            u = shutil.disk_usage(mnt)
        except OSError:
            continue
        out.append({"mount": mnt, "total_bytes": u.total, "used_bytes": u.used, "free_bytes": u.free,
                    "used_percent": round(100 * u.used / u.total, 1) if u.total else 0.0})
    return out


def gpus() -> list[str]:
    """GPU names from nvidia-smi, lspci, system_profiler or Windows, whichever exists."""
    if shutil.which("nvidia-smi"):
        names = [n.strip() for n in _cmd("nvidia-smi", "--query-gpu=name", "--format=csv,noheader").splitlines()]
        if any(names):
            return [n for n in names if n]
    if shutil.which("lspci"):
        return [ln.split(": ", 1)[-1] for ln in _cmd("lspci").splitlines() if re.search(r"VGA|3D|Display", ln)]
    if sys.platform == "darwin":
        return re.findall(r"Chipset Model:\s*(.+)", _cmd("system_profiler", "SPDisplaysDataType"))
    if sys.platform == "win32":
        out = _cmd("powershell", "-NoProfile", "-Command", "(Get-CimInstance Win32_VideoController).Name")
        return [n.strip() for n in out.splitlines() if n.strip()]
    return []


def uptime_seconds() -> float | None:
    """Seconds since boot."""
    try:
        import psutil
        return round(time.time() - psutil.boot_time())
    except ImportError:
        pass
    if Path("/proc/uptime").exists():
        return round(float(Path("/proc/uptime").read_text().split()[0]))
    if sys.platform == "darwin" and (m := re.search(r"sec = (\d+)", _cmd("sysctl", "-n", "kern.boottime"))):
        return round(time.time() - int(m.group(1)))
    if sys.platform == "win32":
        import ctypes
        return round(ctypes.windll.kernel32.GetTickCount64() / 1000)
    return None


def os_info() -> dict:
    """Operating system name, version and machine."""
    name, version = platform.system(), platform.release()
    if sys.platform == "darwin":
        version = platform.mac_ver()[0] or version
        name = "macOS"
    elif Path("/etc/os-release").exists():
        m = re.search(r'^PRETTY_NAME="?([^"\n]+)', Path("/etc/os-release").read_text(), re.M)
        name = m.group(1) if m else name
    elif sys.platform == "win32":
        name = f"Windows {platform.release()}"
        version = platform.version()
    return {"name": name, "version": version, "kernel": platform.release(), "machine": platform.machine(),
            "hostname": platform.node(), "python": platform.python_version()}


def gib(n: int | None) -> float | None:
    return round(n / 1024**3, 1) if n else None


def main(argv: list[str] | None = None) -> int:
    """Print the snapshot as JSON (with GiB figures for people) and exit 0."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--no-gpu", action="store_true", help="skip the GPU probe (it can take a few seconds)")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    mem = memory_info()
    result = {"ok": True, "os": os_info(), "cpu": cpu_info(), "memory": mem, "disks": disks(),
              "gpu": [] if args.no_gpu else gpus(), "uptime_seconds": uptime_seconds(),
              "summary": {"ram_gib": gib(mem["total_bytes"]), "ram_used_percent": mem["used_percent"],
                          "swap_used_gib": gib(mem["swap_used_bytes"]) or 0.0}}
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
