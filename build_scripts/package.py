"""Build the bundle and smoke-test it: serve → /health, a scripted chat turn, skills, a .docx; desktop window.

`python build_scripts/package.py [--skip-build] [--onedir] [--clean] [--desktop]`; `make package` runs it
(one file, the release form). `--onedir` builds the folder form into dist/onedir/ (what `make test` checks:
same contents, no compressed archive to write or unpack). `--desktop` also launches the bundle's window
under Xvfb. Prints the bundle size and timings as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support.display import xvfb  # noqa: E402
from tests.support.scripted_llm import ScriptedLLM, text, tool_call  # noqa: E402

from xiaodazi.server import free_port  # noqa: E402

EXE_NAME = "xiaodazi.exe" if os.name == "nt" else "xiaodazi"
HEALTH = {"status": "ok", "version": "0.1.0"}


class SmokeFailed(AssertionError):
    """The bundle did not do what a user would expect."""


def bundle_path(onedir: bool) -> Path:
    """Where the build puts the executable: dist/xiaodazi (one file) or dist/onedir/xiaodazi/xiaodazi."""
    return ROOT / "dist" / "onedir" / "xiaodazi" / EXE_NAME if onedir else ROOT / "dist" / EXE_NAME


def build(onedir: bool = False, clean: bool = False) -> float:
    """Build the UI, then the bundle; returns the seconds taken. PyInstaller's cache is kept unless `clean`."""
    started = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "build_scripts" / "build_ui.py")], check=True)
    distpath = ROOT / "dist" / ("onedir" if onedir else "")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(distpath), "--workpath", str(ROOT / "build" / ("onedir" if onedir else "onefile"))]
    env = {**os.environ, "XIAODAZI_BUNDLE_ONEDIR": "1" if onedir else "0"}
    subprocess.run(command + (["--clean"] if clean else []) + [str(ROOT / "xiaodazi.spec")],
                   cwd=ROOT, env=env, check=True)
    return time.monotonic() - started


def bundle_size_mb(bundle: Path) -> float:
    """The executable's size (one file) or the whole folder's (one dir, beside its `_internal`), in MB."""
    if (bundle.parent / "_internal").is_dir():
        return round(sum(p.stat().st_size for p in bundle.parent.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6, 1)
    return round(bundle.stat().st_size / 1e6, 1)


# what run_python does with the bundle's stand-in interpreter: the data work users ask for most
PYTHON_CHECK = """
import sys, pandas, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
frame = pandas.DataFrame({"月份": ["一月", "二月"], "金额": [120, 80]})
frame.plot(x="月份", y="金额", kind="bar").get_figure().savefig(sys.argv[1])
print(int(frame["金额"].sum()))
"""


def python_mode(bundle: Path, tmp: Path) -> dict:
    """`xiaodazi python -c ...` in the bundle: pandas sums, matplotlib writes a chart."""
    chart = tmp / "chart.png"
    done = subprocess.run([str(bundle), "python", "-c", PYTHON_CHECK, str(chart)], capture_output=True,
                          text=True, timeout=300)
    if done.returncode != 0 or done.stdout.strip() != "200" or not chart.exists():
        raise SmokeFailed(f"the bundle's python mode failed ({done.returncode}): {done.stdout} {done.stderr[-3000:]}")
    return {"python_chart_bytes": chart.stat().st_size}


def _env(tmp: str, llm: ScriptedLLM) -> dict[str, str]:
    return {**os.environ, "XIAODAZI_DATA_DIR": f"{tmp}/data", "XIAODAZI_WORKSPACE": f"{tmp}/ws",
            "XIAODAZI_MODEL": "openai/scripted", "XIAODAZI_API_BASE": llm.base_url, "XIAODAZI_API_KEY": "x"}


def _wait_health(url: str, proc: subprocess.Popen, timeout: float = 120) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise SmokeFailed(f"the bundle exited early with {proc.returncode}")
        try:
            body = httpx.get(url + "/health", timeout=1).json()
            if body == HEALTH:
                return time.monotonic() - started
            raise SmokeFailed(f"/health answered {body!r}, expected {HEALTH!r}")
        except (httpx.HTTPError, ValueError):
            time.sleep(0.1)
    raise SmokeFailed("the bundle never answered /health")


def smoke(bundle: Path) -> dict:
    """Run the bundle in serve mode against the scripted model and check what a user would."""
    results: dict = {"size_mb": bundle_size_mb(bundle)}
    with tempfile.TemporaryDirectory() as tmp, ScriptedLLM() as llm:
        port = free_port()
        env = {**_env(tmp, llm), "XIAODAZI_TOKEN": "smoke"}
        proc = subprocess.Popen([str(bundle), "serve", "--port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            results["health_s"] = round(_wait_health(url, proc), 2)
            results.update(_chat_and_docx(url, llm, Path(tmp) / "ws"))
            results.update(python_mode(bundle, Path(tmp)))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return results


def _chat_and_docx(url: str, llm: ScriptedLLM, workspace: Path) -> dict:
    outline = {"title": "冒烟测试", "blocks": [{"type": "paragraph", "text": "打包后的文档工具可以写中文。"}]}
    llm.add(text("你好，打包版本可以回答。"), tool_call("create_docx", {"path": "smoke.docx", "outline": outline}),
            text("写好了。"))
    headers = {"Authorization": "Bearer smoke"}
    with httpx.Client(base_url=url, headers=headers, timeout=120) as c:
        skills = c.get("/api/skills").json()
        cid = c.post("/api/conversations").json()["id"]
        first = c.post(f"/api/conversations/{cid}/messages", json={"content": "你好"}).text
        second = c.post(f"/api/conversations/{cid}/messages", json={"content": "写一个 Word 文档 smoke.docx"}).text
    said = "".join(json.loads(line[5:]).get("text", "") for line in first.splitlines() if line.startswith("data:"))
    if "你好，打包版本可以回答。" not in said:
        raise SmokeFailed(f"the scripted answer did not come through: {first[:2000]}")
    if "event: done" not in second or not (workspace / "smoke.docx").exists():
        raise SmokeFailed(f"the document tool wrote no smoke.docx: {second[:2000]}")
    items = skills if isinstance(skills, list) else skills.get("items", skills.get("skills", []))
    if not items:
        raise SmokeFailed(f"the bundle lists no skills: {skills!r}")
    return {"skills": len(items), "docx_bytes": (workspace / "smoke.docx").stat().st_size}


def _desktop_status(data: Path) -> dict:
    try:
        info = json.loads((data / "instance.json").read_text())
        status = httpx.get(info["url"] + "api/desktop/status", timeout=2,
                           headers={"Authorization": f"Bearer {info['token']}"}).json()
        return {**status, "_info": info}
    except (OSError, ValueError, KeyError, httpx.HTTPError):
        return {}


def desktop(bundle: Path, display: str, timeout: float = 180) -> dict:
    """Launch the bundle in desktop mode; seconds until the window is shown with the UI loaded; quit → exit 0."""
    with tempfile.TemporaryDirectory() as tmp, ScriptedLLM() as llm:
        env = {**_env(tmp, llm), "DISPLAY": display, "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox"}
        output = Path(tmp) / "desktop.log"  # a file, not a pipe nobody reads: Qt WebEngine logs plenty
        started = time.monotonic()
        with output.open("w") as out:
            proc = subprocess.Popen([str(bundle)], env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            status = _until_shown(Path(tmp) / "data", proc, started + timeout, output)
            shown = time.monotonic() - started
            info = status["_info"]
            httpx.post(info["url"] + "api/desktop/quit", json={}, timeout=10,
                       headers={"Authorization": f"Bearer {info['token']}"})
            code = proc.wait(timeout=60)
            if code != 0:
                raise SmokeFailed(f"quit ended the bundle with exit code {code}: {_tail(output)}")
            return {"window_shown_s": round(shown, 2), "quit_exit_code": code}
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


def _until_shown(data: Path, proc: subprocess.Popen, deadline: float, output: Path) -> dict:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SmokeFailed(f"the desktop bundle exited with {proc.returncode}: {_tail(output)}")
        status = _desktop_status(data)
        if status.get("window") == "shown" and status.get("ui_loaded"):
            return status
        time.sleep(0.05)
    raise SmokeFailed(f"the desktop window never showed the UI: {_tail(output)}")


def main(argv: list[str]) -> int:
    """Build (unless --skip-build), smoke-test in serve mode, and with --desktop open the window under Xvfb."""
    onedir = "--onedir" in argv
    if "--skip-build" not in argv:
        print(f"build: {build(onedir, clean='--clean' in argv):.0f} s", flush=True)
    bundle = bundle_path(onedir)
    results = smoke(bundle)
    if "--desktop" in argv:
        if shutil.which("Xvfb") is None:
            raise SystemExit("--desktop needs Xvfb")
        with xvfb() as screen:
            results.update(desktop(bundle, screen["DISPLAY"]))
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
