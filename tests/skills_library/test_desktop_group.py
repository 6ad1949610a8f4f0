"""The desktop-group skills: command building per OS, helper scripts on fixtures, and [gui] checks under Xvfb."""

from __future__ import annotations

import json
import os
import plistlib
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from PIL import Image

from tests.skills_library.fd_helpers import SKILLS, run_script, skill_text
from tests.tools.fixtures import xvfb
from tests.tools.fixtures.calls import call, make_ctx
from tests.tools.fixtures.xvfb import wait_for
from xiaodazi.skills import parse_skill
from xiaodazi.skills.status import Status, missing_for, status_of

xdisplay = xvfb.xdisplay  # the shared Xvfb fixture

DESKTOP_SKILLS = ["screenshot-capture", "open-anything", "gui-automation", "clipboard-helper", "macos-automation",
                  "windows-powershell", "windows-ui-automation", "linux-desktop-control", "system-settings", "app-installer",
                  "scheduled-jobs", "browser-automation"]
ONLY_ON = {"macos-automation": "macos", "windows-powershell": "windows", "windows-ui-automation": "windows",
           "linux-desktop-control": "linux"}


@pytest.mark.parametrize("name", DESKTOP_SKILLS)
def test_desktop_skill_body_names_its_tools_and_has_examples(name):
    front, body = skill_text(name)
    assert front["metadata"]["group"] == "desktop"
    scripts = [p.name for p in (SKILLS / name / "scripts").glob("*.py")]
    assert not scripts or any(f'script="{s}"' in body for s in scripts), "the body must say how to run its script"
    assert all(f"`{t}" in body or f"{t}(" in body for t in front["allowed-tools"].split()), "every listed tool is used in the body"
    assert "中文" in body and "English" in body and 40 <= len(body.splitlines()) <= 130


@pytest.mark.parametrize("name", sorted(ONLY_ON))
def test_os_specific_skills_are_unavailable_elsewhere(name, monkeypatch):
    skill = parse_skill(SKILLS / name)
    assert skill.meta_list("os") == [ONLY_ON[name]]
    other = "windows" if ONLY_ON[name] != "windows" else "linux"
    monkeypatch.setattr("xiaodazi.skills.status.current_os", lambda: other)
    assert status_of(missing_for(skill)) == Status.unavailable


# --- screenshot-capture ---------------------------------------------------------------------------------------------

def test_annotate_draws_box_and_arrow_and_leaves_the_rest_alone(tmp_path):
    Image.new("RGB", (400, 300), "white").save(tmp_path / "屏幕.png")
    out = run_script("screenshot-capture", "annotate.py", tmp_path / "屏幕.png", "--box", "20,20,100,50", "--arrow", "350,250,200,150",
                     "--blur", "300,10,60,40", "--out", tmp_path / "marked.png")
    img = Image.open(out["out"]).convert("RGB")
    assert img.getpixel((20, 40)) == (255, 0, 0) and img.getpixel((70, 20)) == (255, 0, 0)  # box edges
    assert img.getpixel((275, 200))[0] > 200 and img.getpixel((275, 200))[1] < 60  # on the arrow's line
    assert img.getpixel((70, 45)) == img.getpixel((10, 290)) == (255, 255, 255)  # inside the box and far away
    cropped = run_script("screenshot-capture", "annotate.py", tmp_path / "屏幕.png", "--crop", "10,10,200,100", "--out", tmp_path / "c.png")
    assert (cropped["width"], cropped["height"]) == (200, 100)
    assert run_script("screenshot-capture", "annotate.py", tmp_path / "屏幕.png", "--out", tmp_path / "c.png", ok=False)["error"]


@pytest.mark.slow
def test_screenshot_tool_saves_the_screen_that_annotate_can_mark(xdisplay, tmp_path):
    from xiaodazi.tools import desktop

    ctx = make_ctx(tmp_path)
    shot = call(desktop.screenshot, ctx)
    saved = ctx.workspace / shot.artifacts[0]
    assert saved.is_file() and Image.open(saved).size == (1024, 768)
    out = run_script("screenshot-capture", "annotate.py", saved, "--box", "0,0,100,100", "--out", ctx.workspace / "marked.png")
    assert Image.open(out["out"]).getpixel((0, 50)) == (255, 0, 0)


# --- open-anything --------------------------------------------------------------------------------------------------

def test_launcher_command_per_os(tmp_path):
    doc = tmp_path / "报告 final.docx"
    doc.write_text("x")
    cases = {"windows": ["explorer", str(doc)], "macos": ["open", str(doc)], "linux": ["xdg-open", str(doc)]}
    for system, expected in cases.items():
        assert run_script("open-anything", "launch.py", doc, "--os", system)["command"] == expected
    assert run_script("open-anything", "launch.py", "baidu.com", "--os", "macos", "--app", "Safari")["command"] == \
        ["open", "-a", "Safari", "https://baidu.com"]
    assert run_script("open-anything", "launch.py", doc, "--os", "windows", "--reveal")["command"] == ["explorer", f"/select,{doc}"]


def test_launcher_refuses_a_missing_file_instead_of_guessing(tmp_path):
    out = run_script("open-anything", "launch.py", tmp_path / "nope.pdf", ok=False)
    assert out["kind"] == "missing" and "not found" in out["error"]


# --- gui-automation -------------------------------------------------------------------------------------------------

TK_APP = r'''
import json, sys, tkinter as tk
state = sys.argv[1]
root = tk.Tk(); root.title("fixture-app"); root.geometry("400x300+0+0")
label = tk.Label(root, text="waiting"); label.place(x=20, y=20)
entry = tk.Entry(root); entry.place(x=20, y=200, width=300)
def save(*_):
    json.dump({"label": label["text"], "entry": entry.get()}, open(state, "w", encoding="utf-8"), ensure_ascii=False)
def pressed():
    label.config(text="clicked"); save()
tk.Button(root, text="OK", bg="#ff8800", activebackground="#ff8800", command=pressed).place(x=150, y=90, width=120, height=50)
entry.bind("<Return>", save)
root.after(100, save)
root.mainloop()
'''


def _orange_centre(path: Path) -> tuple[int, int] | None:
    img = Image.open(path).convert("RGB")
    mask = Image.eval(img.split()[0], lambda v: 255 if v > 240 else 0)
    green = Image.eval(img.split()[1], lambda v: 255 if 120 < v < 150 else 0)
    box = Image.composite(mask, Image.new("L", img.size, 0), green).getbbox()
    return ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2) if box else None


@pytest.mark.slow
def test_gui_automation_finds_the_button_on_a_screenshot_and_clicking_changes_the_label(xdisplay, tmp_path):
    from xiaodazi.tools import desktop

    ctx, state = make_ctx(tmp_path), tmp_path / "state.json"
    (tmp_path / "app.py").write_text(TK_APP, encoding="utf-8")
    app = subprocess.Popen([sys.executable, str(tmp_path / "app.py"), str(state)])
    try:
        assert wait_for(state.exists), "the Tk fixture app did not start"
        shot = ctx.workspace / call(desktop.screenshot, ctx).artifacts[0]  # step 1 of the skill: look first
        target = _orange_centre(shot)
        assert target is not None and 150 <= target[0] <= 270 and 90 <= target[1] <= 140
        grid = run_script("gui-automation", "grid.py", shot, "--out", ctx.workspace / "grid.png", "--region", "100,50,250,150")
        assert grid["origin"] == [100, 50] and grid["size"] == [500, 300]
        call(desktop.click, ctx, x=target[0], y=target[1])
        assert wait_for(lambda: json.loads(state.read_text(encoding="utf-8"))["label"] == "clicked")
        call(desktop.click, ctx, x=100, y=210)
        call(desktop.type_text, ctx, text="hello 小搭子\n")
        assert wait_for(lambda: json.loads(state.read_text(encoding="utf-8"))["entry"] == "hello 小搭子")
    finally:
        app.kill()
        app.wait()


# --- clipboard-helper -----------------------------------------------------------------------------------------------

def test_clipboard_transforms_on_text():
    links = run_script("clipboard-helper", "clip.py", "links", "--text", "见 https://a.cn/x?y=1，和 https://b.com）重复 https://a.cn/x?y=1", "--json")
    assert links["result"].splitlines() == ["https://a.cn/x?y=1", "https://b.com"]
    emails = run_script("clipboard-helper", "clip.py", "emails", "--text", "联系 张三 <zhang.san@example.cn>; bob@x.org", "--json")
    assert emails["result"].splitlines() == ["zhang.san@example.cn", "bob@x.org"]
    md = run_script("clipboard-helper", "clip.py", "markdown", "--text", "名称,数量\n苹果,3\n梨", "--json")["result"]
    assert md.splitlines() == ["| 名称 | 数量 |", "|---|---|", "| 苹果 | 3 |", "| 梨 |  |"]


@pytest.mark.slow
def test_clipboard_tsv_becomes_a_markdown_table_back_on_the_clipboard(xdisplay):
    tsv = "姓名\t部门\t工号\n张三\t销售\t001\n李四\t研发\t002\n"
    subprocess.run(["xclip", "-selection", "clipboard"], input=tsv.encode(), check=True, timeout=10)
    out = run_script("clipboard-helper", "clip.py", "markdown", "--from-clipboard", "--to-clipboard", "--json")
    assert out["copied"]
    pasted = subprocess.run(["xclip", "-selection", "clipboard", "-o"], capture_output=True, timeout=10).stdout.decode()
    assert pasted.splitlines() == ["| 姓名 | 部门 | 工号 |", "|---|---|---|", "| 张三 | 销售 | 001 |", "| 李四 | 研发 | 002 |"]


# --- macos-automation / windows-powershell / windows-ui-automation ---------------------------------------------------

def test_macos_applescript_is_escaped_and_shortcuts_argv_is_plain():
    note = run_script("macos-automation", "mac.py", "note", "--title", '周会"纪要"', "--text", "第一条\\第二条", "--dry-run")
    script = note["command"][2]
    assert note["command"][:2] == ["osascript", "-e"] and note["changes_something"]
    assert script == 'tell application "Notes" to make new note at folder "Notes" with properties {name:"周会\\"纪要\\"", body:"第一条\\\\第二条"}'
    run = run_script("macos-automation", "mac.py", "shortcut-run", "--title", "整理下载", "--text", "/Users/me/a.txt", "--dry-run")
    assert run["command"] == ["shortcuts", "run", "整理下载", "--input-path", "/Users/me/a.txt"]
    music = run_script("macos-automation", "mac.py", "music", "--text", "next", "--dry-run")
    assert music["command"][-1] == 'tell application "Music" to next track' and not music["changes_something"]


@pytest.mark.parametrize(("line", "verdict"), [
    ("Get-Service | Where-Object Status -eq 'Running' | Sort-Object Name", "read"),
    ("Get-Process chrome | Stop-Process", "change"),
    ("Get-ChildItem C:\\Users\\me\\Downloads > list.txt", "change"),
    ("reg query HKCU\\Software\\Microsoft", "read"),
    ("Set-ItemProperty -Path HKCU:\\Control -Name X -Value 1", "change"),
    ("Remove-Item -Recurse C:\\temp\\old", "dangerous"),
    ("Format-Volume -DriveLetter E", "dangerous"),
    ("ipconfig /all; Get-NetAdapter", "read"),
    ("Write-Output 'a|b;c'", "read"),
    ("frobnicate --all", "unknown"),
])
def test_powershell_commands_are_classified(line, verdict):
    out = run_script("windows-powershell", "classify.py", line, ok=verdict == "read")
    assert out["results"][0]["verdict"] == verdict and out["needs_approval"] == (verdict != "read")


@pytest.mark.skipif(sys.platform != "win32", reason="Windows only: pywinauto drives real Windows UI Automation")
def test_windows_ui_automation_notepad_types_and_saves(tmp_path):  # pragma: no cover - runs on Windows CI only
    from pywinauto.application import Application

    target = tmp_path / "note.txt"
    app = Application(backend="uia").start("notepad.exe")
    win = app.top_window()
    win.type_keys("hello from pywinauto", with_spaces=True)
    win.type_keys("^s")
    app.top_window().child_window(auto_id="1001", control_type="Edit").set_edit_text(str(target))
    app.top_window().type_keys("{ENTER}")
    assert wait_for(target.exists)
    app.kill()


# --- linux-desktop-control ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_linux_layout_moves_an_xterm_to_the_requested_geometry(xdisplay):
    term = subprocess.Popen(["xterm", "-T", "layout-target", "-geometry", "40x10+5+5"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for(lambda: subprocess.run(["xdotool", "search", "--name", "layout-target"], capture_output=True).returncode == 0)
        plan = run_script("linux-desktop-control", "layout.py", "--window", "layout-target", "--preset", "right")
        assert plan["plan"][0]["to"] == [512, 0, 512, 768] and not plan["applied"]
        out = run_script("linux-desktop-control", "layout.py", "--window", "layout-target", "--geometry", "100,120,500,300", "--apply")
        now = out["plan"][0]["now"]
        assert (now["x"], now["y"]) == (100, 120) and abs(now["width"] - 500) < 20 and abs(now["height"] - 300) < 20
    finally:
        term.kill()
        term.wait()


# --- system-settings / app-installer --------------------------------------------------------------------------------

def _fake_programs(folder: Path, *names: str) -> Path:
    """Executables that append their arguments to calls.log; `sudo` just runs the rest."""
    folder.mkdir()
    for name in names:
        body = 'exec "$@"' if name == "sudo" else f'echo "{name} $*" >> "{folder}/calls.log"'
        (folder / name).write_text(f"#!/bin/sh\n{body}\n")
        (folder / name).chmod(0o755)
    return folder


def test_settings_command_table_per_os():
    assert run_script("system-settings", "settings.py", "volume", "40", "--os", "macos")["commands"] == \
        [["osascript", "-e", "set volume output volume 40 without output muted"]]
    dark = run_script("system-settings", "settings.py", "dark-mode", "--os", "windows")["commands"]
    assert [c[c.index("/v") + 1] for c in dark] == ["AppsUseLightTheme", "SystemUsesLightTheme"] and all(c[c.index("/d") + 1] == "0" for c in dark)
    assert run_script("system-settings", "settings.py", "bluetooth-off", "--os", "linux")["commands"] == [["rfkill", "block", "bluetooth"]]
    assert run_script("system-settings", "settings.py", "bluetooth-on", "--os", "macos")["manual"]
    clamp = run_script("system-settings", "settings.py", "brightness", "150", "--os", "linux")
    assert clamp["commands"] == [["brightnessctl", "set", "100%"]]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux branch calls pactl")
def test_settings_apply_calls_pactl_on_linux(tmp_path, monkeypatch):
    fake = _fake_programs(tmp_path / "bin", "pactl")
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    out = run_script("system-settings", "settings.py", "volume", "35", "--apply")
    assert out["applied"]
    assert (fake / "calls.log").read_text().splitlines() == ["pactl set-sink-mute @DEFAULT_SINK@ 0", "pactl set-sink-volume @DEFAULT_SINK@ 35%"]


def test_installer_argv_per_os_and_nothing_runs_without_approval(tmp_path, monkeypatch):
    assert run_script("app-installer", "pkg.py", "install", "VideoLAN.VLC", "--os", "windows")["command"] == \
        ["winget", "install", "--exact", "--id", "VideoLAN.VLC", "--accept-package-agreements", "--accept-source-agreements"]
    assert run_script("app-installer", "pkg.py", "install", "vlc", "--os", "macos", "--cask")["command"] == ["brew", "install", "--cask", "vlc"]
    assert run_script("app-installer", "pkg.py", "search", "vlc", "--os", "linux")["command"] == ["apt-cache", "search", "--names-only", "vlc"]
    assert run_script("app-installer", "pkg.py", "install", "vlc; rm -rf /", ok=False)["error"]
    if not sys.platform.startswith("linux"):
        return
    fake = _fake_programs(tmp_path / "bin", "sudo", "apt-get")
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    waiting = run_script("app-installer", "pkg.py", "install", "vlc", ok=False)
    assert "needs_approval" in waiting and not (fake / "calls.log").exists()
    done = run_script("app-installer", "pkg.py", "install", "vlc", "--confirmed")
    assert done["ran"] and (fake / "calls.log").read_text().strip() == "apt-get install -y vlc"


# --- scheduled-jobs -------------------------------------------------------------------------------------------------

def test_schedule_matches_cron_launchd_and_schtasks():
    out = run_script("scheduled-jobs", "schedule.py", "weekly", "--name", "周报", "--command", "/usr/bin/python3 /home/me/report.py",
                     "--at", "08:30", "--days", "mon,thu", "--os", "linux")
    assert out["cron"] == "30 8 * * 1,4 /usr/bin/python3 /home/me/report.py # xiaodazi-job:周报"
    plist = plistlib.loads(out["launchd_plist"].encode())
    assert plist["StartCalendarInterval"] == [{"Hour": 8, "Minute": 30, "Weekday": 1}, {"Hour": 8, "Minute": 30, "Weekday": 4}]
    assert out["schtasks"][-6:] == ["/SC", "WEEKLY", "/D", "MON,THU", "/ST", "08:30"]
    every = run_script("scheduled-jobs", "schedule.py", "every", "--every", "15m", "--name", "sync", "--command", "echo hi")
    assert every["cron"].startswith("*/15 * * * * ") and plistlib.loads(every["launchd_plist"].encode())["StartInterval"] == 900
    assert every["schtasks"][-4:] == ["/SC", "MINUTE", "/MO", "15"]
    monthly = run_script("scheduled-jobs", "schedule.py", "monthly", "--day", "5", "--at", "21:00", "--name", "bills", "--command", "x")
    assert monthly["cron"].startswith("0 21 5 * * ")


def test_schedule_rejects_odd_intervals_and_installs_only_after_approval():
    assert "divide" in run_script("scheduled-jobs", "schedule.py", "every", "--every", "7m", "--name", "x", "--command", "y", ok=False)["error"]
    pending = run_script("scheduled-jobs", "schedule.py", "daily", "--at", "07:00", "--name", "x", "--command", "y", "--install", ok=False)
    assert "needs_approval" in pending


# --- browser-automation ---------------------------------------------------------------------------------------------

class _FormSite(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _html(self, body: str):
        data = f"<!doctype html><meta charset=utf-8><body>{body}</body>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._html('<form method=post action=/echo><input id=name name=name><select id=city name=city>'
                   '<option>北京</option><option>上海</option></select><button id=go>提交</button></form>')

    def do_POST(self):
        fields = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self._html(f"<p id=out>{fields['name'][0]} / {fields['city'][0]}</p>")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian chromium (make system-deps)")
def test_browser_fills_a_local_form_and_reads_the_echo(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FormSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    steps = [{"goto": f"http://127.0.0.1:{server.server_address[1]}/"}, {"fill": "#name", "value": "张三"},
             {"select": "#city", "value": "上海"}, {"click": "#go"}, {"text": "#out"}, {"click": "#missing", "timeout": 500}]
    try:  # one browser start: the form round trip, then a step that must fail and leave a screenshot
        out = run_script("browser-automation", "browse.py", "--steps", json.dumps(steps, ensure_ascii=False), "--downloads", tmp_path, ok=False)
        assert out["results"][-1]["text"] == ["张三 / 上海"]
        assert not out["ok"] and out["failed_step"] == 6 and Path(out["screenshot"]).is_file()
    finally:
        server.shutdown()
