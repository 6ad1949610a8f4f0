"""The system-group skills: each catalogue 'offline test' run against the skill's own script (loopback only)."""

from __future__ import annotations

import json
import os
import plistlib
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.skills_library.fd_helpers import run_script
from tests.skills_library.part3a_helpers import check_structure, run_env
from tests.tools.fixtures.loopback import serve_site as serve

SYSTEM = ["system-info", "disk-space-analyzer", "junk-cleaner", "process-manager", "network-diagnose", "startup-items",
          "privacy-scan", "password-tools", "installed-apps", "slow-pc-diagnose"]


@pytest.mark.parametrize("name", SYSTEM)
def test_system_skill_body_is_complete(name):
    check_structure(name, "system")


def test_system_info_reports_cpu_ram_and_disk_as_numbers():
    out = run_script("system-info", "sysinfo.py", "--no-gpu")
    assert out["cpu"]["cores_logical"] >= 1 and isinstance(out["cpu"]["model"], str)
    assert out["memory"]["total_bytes"] > 0 and 0 <= out["memory"]["used_percent"] <= 100
    root = out["disks"][0]
    assert root["total_bytes"] >= root["free_bytes"] > 0 and isinstance(root["used_percent"], float)


def _write(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0" * size)


def test_disk_space_analyzer_ranks_known_sizes_and_finds_piles(tmp_path):
    _write(tmp_path / "Videos/a.mp4", 300_000)
    _write(tmp_path / "Videos/b.mp4", 200_000)
    _write(tmp_path / "Documents/report.docx", 50_000)
    _write(tmp_path / ".cache/app/blob", 120_000)
    _write(tmp_path / "Downloads/setup.exe", 80_000)
    old = time.time() - 90 * 86400
    os.utime(tmp_path / "Downloads/setup.exe", (old, old))
    (tmp_path / "link").symlink_to(tmp_path / "Videos")  # must not be counted twice
    out = run_script("disk-space-analyzer", "du.py", tmp_path, "--top", "3")
    assert [c["name"] for c in out["largest_children"]] == ["Videos", ".cache", "Downloads"]
    assert out["largest_children"][0]["bytes"] == 500_000 and out["total_bytes"] == 750_000
    assert [Path(f["path"]).name for f in out["largest_files"]] == ["a.mp4", "b.mp4", "blob"]
    piles = {Path(p["path"]).name: (p["kind"], p["bytes"]) for p in out["piles"]}
    assert piles == {".cache": ("cache", 120_000), "setup.exe": ("old installer", 80_000)}


def _junk_fixture(tmp_path: Path) -> tuple[Path, Path]:
    home, temp = tmp_path / "home", tmp_path / "tmp"
    _write(home / ".cache/browser/data", 4000)
    _write(home / ".cache/thumbnails/x.png", 1000)
    _write(home / "Documents/keep.txt", 10)
    _write(temp / "old-install.log", 500)
    _write(temp / "fresh.lock", 5)
    old = time.time() - 3 * 86400
    os.utime(temp / "old-install.log", (old, old))
    return home, temp


def test_junk_cleaner_removes_only_whitelisted_entries_after_approval(tmp_path):
    home, temp = _junk_fixture(tmp_path)
    base = ["--home", home, "--temp", temp]
    plan_file = tmp_path / "plan.json"
    plan = run_script("junk-cleaner", "junk.py", *base, "plan", "--category", "cache", "temp", "--out", plan_file)
    assert sorted(Path(i["path"]).name for i in plan["items"]) == ["browser", "old-install.log", "thumbnails"]
    assert plan["total_bytes"] == 5500 and plan["skipped_recent"] == 1
    dry = run_script("junk-cleaner", "junk.py", *base, "apply", plan_file)
    assert dry["dry_run"] and (home / ".cache/browser/data").exists()  # no --yes: nothing removed
    data = json.loads(plan_file.read_text())
    data["items"].append({"category": "cache", "path": str(home / "Documents/keep.txt"), "bytes": 10})
    plan_file.write_text(json.dumps(data))
    _, out = run_env("junk-cleaner", "junk.py", *base, "apply", plan_file, "--yes", "--permanent", code=1)
    assert out["refused"] == [str(home / "Documents/keep.txt")] and (home / "Documents/keep.txt").exists()
    assert out["freed_bytes"] == 5500 and not (home / ".cache/browser").exists()
    assert (home / ".cache").is_dir() and (temp / "fresh.lock").exists()


def test_junk_cleaner_moves_to_the_trash_by_default(tmp_path):
    home, temp = _junk_fixture(tmp_path)
    base = ["--home", home, "--temp", temp]
    run_script("junk-cleaner", "junk.py", *base, "plan", "--category", "cache", "--out", tmp_path / "p.json")
    env = {"HOME": str(home), "XDG_DATA_HOME": str(home / ".local/share")}
    _, out = run_env("junk-cleaner", "junk.py", *base, "apply", tmp_path / "p.json", "--yes", env=env)
    assert {d["action"] for d in out["done"]} == {"trashed"}
    assert not (home / ".cache/browser").exists()
    assert (home / ".local/share/Trash/files/browser/data").exists()


@pytest.fixture
def listener():
    """A separate process listening on a free loopback port."""
    code = ("import socket,sys,time; s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(); "
            "print(s.getsockname()[1], flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    port = int(proc.stdout.readline())
    yield proc, port
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def test_process_manager_finds_the_port_owner_and_ends_it_only_with_yes(listener):
    proc, port = listener
    out = run_script("process-manager", "procs.py", "port", port)
    assert out["in_use"] and [p["pid"] for p in out["processes"]] == [proc.pid]
    assert out["processes"][0]["state"] == "LISTEN"
    dry = run_script("process-manager", "procs.py", "stop", proc.pid)
    assert dry["dry_run"] and dry["would_end"]["pid"] == proc.pid and proc.poll() is None
    done = run_script("process-manager", "procs.py", "stop", proc.pid, "--yes")
    assert done["ended"]["pid"] == proc.pid
    assert proc.wait(timeout=5) is not None
    assert run_script("process-manager", "procs.py", "port", port)["in_use"] is False


def test_process_manager_refuses_init_and_lists_top_processes():
    _, out = run_env("process-manager", "procs.py", "stop", "1", "--yes", code=2)
    assert "refusing" in out["error"] or "no process" in out["error"]
    top = run_script("process-manager", "procs.py", "top", "--by", "mem", "--limit", "3", "--interval", "0.2")
    rss = [p["rss_bytes"] for p in top["processes"]]
    assert len(rss) == 3 and rss == sorted(rss, reverse=True)


class DnsStub:
    """A loopback UDP DNS server answering every A query with NXDOMAIN, or with one address."""

    def __init__(self, address: str | None):
        self.address = address
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                data, peer = self.sock.recvfrom(512)
            except OSError:
                return
            question = data[12:]
            if self.address is None:
                reply = data[:2] + struct.pack(">HHHHH", 0x8183, 1, 0, 0, 0) + question
            else:
                answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton(self.address)
                reply = data[:2] + struct.pack(">HHHHH", 0x8180, 1, 1, 0, 0) + question + answer
            self.sock.sendto(reply, peer)


def test_network_diagnose_passes_every_step_on_loopback():
    with serve() as site:
        site.page("/", b"<html>ok</html>")
        out = run_script("network-diagnose", "netcheck.py", "check", site.url("/"), "--reference", f"127.0.0.1:{site.port}")
    assert out["diagnosis"]["cause"] == "ok" and out["http"]["status"] == 200 and out["tcp"]["ok"]


def test_network_diagnose_names_dns_when_the_name_does_not_resolve():
    dns = DnsStub(None)
    with serve() as site:
        _, out = run_env("network-diagnose", "netcheck.py", "check", f"http://intranet.test:{site.port}/",
                         "--nameserver", f"127.0.0.1:{dns.port}", "--reference", f"127.0.0.1:{site.port}", code=1)
    assert out["dns"]["rcode"] == "NXDOMAIN"
    assert out["diagnosis"]["cause"] == "dns" and "DNS" in out["diagnosis"]["explanation_zh"]


def test_network_diagnose_uses_the_given_dns_server_and_keeps_the_host_name():
    dns = DnsStub("127.0.0.1")
    with serve() as site:
        site.page("/wiki", b"<html>wiki</html>")
        out = run_script("network-diagnose", "netcheck.py", "check", f"http://wiki.corp.test:{site.port}/wiki",
                         "--nameserver", f"127.0.0.1:{dns.port}", "--reference", f"127.0.0.1:{site.port}")
        host_header = site.requests[-1]["headers"]["Host"]
    assert out["dns"]["addresses"] == ["127.0.0.1"] and out["http"]["status"] == 200
    assert host_header.startswith("wiki.corp.test")


def test_network_diagnose_tells_a_closed_port_from_saved_step_results(tmp_path):
    with serve() as site:
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        closed.close()
        _, out = run_env("network-diagnose", "netcheck.py", "check", f"127.0.0.1:{port}",
                         "--reference", f"127.0.0.1:{site.port}", code=1)
    assert out["diagnosis"]["cause"] == "port_closed"
    steps = {"local": {"local_ip": "192.168.1.5"}, "references": [{"ok": False}], "dns": {"ok": False, "error": "timeout"}}
    (tmp_path / "steps.json").write_text(json.dumps(steps))
    _, diag = run_env("network-diagnose", "netcheck.py", "diagnose", tmp_path / "steps.json", code=1)
    assert diag["diagnosis"]["cause"] == "no_internet"


def test_startup_items_lists_and_disables_by_moving_after_approval(tmp_path):
    auto = tmp_path / "autostart"
    auto.mkdir()
    (auto / "cloud.desktop").write_text("[Desktop Entry]\nName=Cloud Drive\nExec=/opt/cloud/run --tray\n")
    (auto / "chat.desktop").write_text("[Desktop Entry]\nName=Chat\nExec=chat\nHidden=true\n")
    items = run_script("startup-items", "startup.py", "--dir", auto, "list")["items"]
    assert [(i["name"], i["command"], i["enabled"]) for i in items] == [
        ("Chat", "chat", False), ("Cloud Drive", "/opt/cloud/run --tray", True)]
    target = str(auto / "cloud.desktop")
    dry = run_script("startup-items", "startup.py", "--dir", auto, "disable", target)
    assert dry["dry_run"] and (auto / "cloud.desktop").exists()
    done = run_script("startup-items", "startup.py", "--dir", auto, "disable", target, "--yes")
    moved = Path(done["moved_to"])
    assert not (auto / "cloud.desktop").exists() and moved.read_text().startswith("[Desktop Entry]")
    assert moved.parent == tmp_path / "autostart-disabled-by-xiaodazi"
    run_script("startup-items", "startup.py", "enable", moved, "--yes")
    assert (auto / "cloud.desktop").exists()


def test_privacy_scan_finds_planted_secrets_and_leaves_clean_files_alone(tmp_path):
    card = "6222021234567890"
    card += str(next(d for d in range(10) if _luhn(card + str(d))))
    secret_key = "sk-proj-" + "Ab3" * 10
    (tmp_path / "config.env").write_text(f"OPENAI_API_KEY={secret_key}\n")
    (tmp_path / "客户.txt").write_text(f"张三 身份证 11010519491231002X\n卡号 {card}\n", encoding="utf-8")
    (tmp_path / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n")
    (tmp_path / "clean.md").write_text("订单号 110105194912310021 共 3 件\n电话区号 010\n", encoding="utf-8")
    os.chmod(tmp_path / "id_rsa", 0o644)
    code, out = run_env("privacy-scan", "scan_secrets.py", tmp_path, code=1)
    kinds = {Path(f["path"]).name: sorted({x["kind"] for x in f["findings"]}) for f in out["files"]}
    assert kinds == {"config.env": ["api_key"], "客户.txt": ["bank_card", "cn_id_number"],
                     "id_rsa": ["permissions", "private_key"]}
    text = json.dumps(out, ensure_ascii=False)
    assert secret_key not in text and "11010519491231002X" not in text and card not in text


def _luhn(digits: str) -> bool:
    total = sum(int(c) if i % 2 == 0 else (int(c) * 2 - 9 if int(c) * 2 > 9 else int(c) * 2)
                for i, c in enumerate(reversed(digits)))
    return total % 10 == 0


def test_password_generation_meets_length_and_character_rules():
    out = run_script("password-tools", "passwords.py", "generate", "--length", "20", "--count", "5")
    for pw in out["passwords"]:
        assert len(pw) == 20 and any(c.islower() for c in pw) and any(c.isupper() for c in pw)
        assert any(c.isdigit() for c in pw) and any(not c.isalnum() for c in pw) and not set(pw) & set("Il1O0o")
    plain = run_script("password-tools", "passwords.py", "generate", "--length", "12", "--no-symbols")
    assert all(pw.isalnum() for pw in plain["passwords"])
    weak = run_script("password-tools", "passwords.py", "check", "Password123!")
    assert weak["score"] <= 1 and any("common" in w for w in weak["weaknesses"])
    assert run_script("password-tools", "passwords.py", "passphrase", "--words", "4")["entropy_bits"] == 79.2


RFC6238 = {  # RFC 6238 appendix B: (algorithm, ASCII seed) → {time: 8-digit code}
    ("sha1", "12345678901234567890"): {59: "94287082", 1111111109: "07081804", 1234567890: "89005924",
                                       20000000000: "65353130"},
    ("sha256", "12345678901234567890123456789012"): {59: "46119246", 1111111111: "67062674", 2000000000: "90698825"},
    ("sha512", "1234567890" * 6 + "1234"): {59: "90693936", 1234567890: "93441116", 20000000000: "47863826"},
}


@pytest.mark.parametrize(("algo", "seed"), list(RFC6238))
def test_totp_matches_the_rfc_6238_vectors(algo, seed):
    import base64

    secret = base64.b32encode(seed.encode()).decode()
    for when, code in RFC6238[(algo, seed)].items():
        out = run_script("password-tools", "passwords.py", "totp", secret, "--time", when, "--digits", "8", "--algo", algo)
        assert out["code"] == code


def test_installed_apps_parses_app_bundles_and_dpkg_status(tmp_path):
    apps = tmp_path / "Applications"
    for name, version in (("Zoom", "6.1.1"), ("WeChat", "3.8.9")):
        contents = apps / f"{name}.app" / "Contents"
        contents.mkdir(parents=True)
        (contents / "Info.plist").write_bytes(plistlib.dumps({"CFBundleName": name, "CFBundleShortVersionString": version}))
    status = tmp_path / "status"
    status.write_text("Package: vlc\nStatus: install ok installed\nVersion: 3.0.21-1\nDescription: media player\n\n"
                      "Package: gimp\nStatus: deinstall ok config-files\nVersion: 2.10\n\n")
    out = run_script("installed-apps", "apps.py", "--apps-dir", apps, "--dpkg-status", status)
    assert [(a["name"], a["version"], a["source"]) for a in out["apps"]] == [
        ("vlc", "3.0.21-1", "dpkg"), ("WeChat", "3.8.9", "app"), ("Zoom", "6.1.1", "app")]
    assert run_script("installed-apps", "apps.py", "--apps-dir", apps, "--filter", "zoo")["count"] == 1
    run_script("installed-apps", "apps.py", "--apps-dir", apps, "--filter", "photoshop", ok=False)


def test_slow_pc_ranks_memory_first_when_swap_is_heavy(tmp_path):
    gib = 1024**3
    metrics = {"cpu_count": 4, "load_avg_1m": 5.0, "mem_total": 8 * gib, "mem_available": gib // 4,
               "swap_total": 4 * gib, "swap_used": 3 * gib, "swap_pages_per_s": 800,
               "disks": [{"mount": "/", "used_percent": 71.0}], "temperatures_c": [62.0], "uptime_days": 3}
    (tmp_path / "m.json").write_text(json.dumps(metrics))
    out = run_script("slow-pc-diagnose", "slowpc.py", "rank", tmp_path / "m.json")
    assert out["top"] == "memory" and [f["area"] for f in out["findings"]] == ["memory", "cpu"]
    healthy = {**metrics, "load_avg_1m": 0.5, "mem_available": 6 * gib, "swap_used": 0, "swap_pages_per_s": 0,
               "disks": [{"mount": "/", "used_percent": 96.0}]}
    (tmp_path / "h.json").write_text(json.dumps(healthy))
    assert run_script("slow-pc-diagnose", "slowpc.py", "rank", tmp_path / "h.json")["top"] == "disk_full"
    live = run_script("slow-pc-diagnose", "slowpc.py", "check")
    assert live["metrics"]["mem_total"] > 0 and isinstance(live["findings"], list)
