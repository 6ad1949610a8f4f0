"""The real desktop app under Xvfb with the Qt backend: window, UI, quick ask, single instance, quit."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.support.display import xvfb
from tests.support.scripted_llm import text

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "desktop"


@pytest.fixture
def display():
    with xvfb() as env:
        yield env["DISPLAY"]


def _env(tmp_path, llm, display=None):
    env = {**os.environ, "XIAODAZI_DATA_DIR": str(tmp_path / "data"), "XIAODAZI_WORKSPACE": str(tmp_path / "ws"),
           "XIAODAZI_MODEL": "openai/scripted", "XIAODAZI_API_BASE": llm.base_url, "XIAODAZI_API_KEY": "x",
           "QTWEBENGINE_CHROMIUM_FLAGS": "--no-sandbox", "PYTHONUNBUFFERED": "1"}
    env.pop("DISPLAY", None)
    if display:
        env["DISPLAY"] = display
    return env


def _wait(check, timeout=180.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def _instance(tmp_path):
    try:
        return json.loads((tmp_path / "data" / "instance.json").read_text())
    except (OSError, ValueError):
        return None


def _status(info):
    try:
        return httpx.get(info["url"] + "api/desktop/status", timeout=5,
                         headers={"Authorization": f"Bearer {info['token']}"}).json()
    except httpx.HTTPError:
        return {}


def test_desktop_window_quick_ask_single_instance_and_clean_quit(tmp_path, llm, display):
    llm.add(text("这是快问的回答。"))
    env = _env(tmp_path, llm, display)
    log = (tmp_path / "app.log").open("w")  # a file, not an unread pipe that could fill up and freeze the app
    app = subprocess.Popen([sys.executable, "-m", "xiaodazi"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        info = _wait(lambda: _instance(tmp_path), what="instance file")
        status = _wait(lambda: (s := _status(info)).get("ui_loaded") and s.get("api_calls") and s, what="UI")
        assert status["attached"] is True and status["window"] == "shown"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        time.sleep(1)
        subprocess.run(["import", "-display", display, "-window", "root", str(ARTIFACTS / "main-window.png")],
                       check=False, timeout=30)

        asked = subprocess.run([sys.executable, "-m", "xiaodazi", "quick-ask", "帮我看看桌面"], env=env,
                               capture_output=True, text=True, timeout=60)
        assert asked.returncode == 0 and "already running" in asked.stdout
        _wait(lambda: any("帮我看看桌面" in json.dumps(r["messages"], ensure_ascii=False) for r in llm.requests),
              what="the quick-ask question to reach the model")
        headers = {"Authorization": f"Bearer {info['token']}"}

        def answered():
            convs = httpx.get(info["url"] + "api/conversations", headers=headers).json()["items"]
            for conv in convs:
                items = httpx.get(info["url"] + f"api/conversations/{conv['id']}/messages", headers=headers).json()
                if any(m["content"] == "这是快问的回答。" and m["status"] == "complete" for m in items["items"]):
                    return True
            return False

        _wait(answered, what="the scripted answer to be saved")

        again = subprocess.run([sys.executable, "-m", "xiaodazi"], env=env, capture_output=True, text=True,
                               timeout=60)
        assert again.returncode == 0 and "already running" in again.stdout
        assert _status(info).get("focus_requests") == 1

        httpx.post(info["url"] + "api/desktop/quit", headers=headers, json={}, timeout=10)
        assert app.wait(timeout=60) == 0
        assert not (tmp_path / "data" / "instance.json").exists()
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()


def test_no_display_falls_back_to_serving_with_the_url(tmp_path, llm):
    app = subprocess.Popen([sys.executable, "-m", "xiaodazi"], env=_env(tmp_path, llm), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        while not any(line.startswith("open http://127.0.0.1:") for line in lines):
            lines.append(app.stdout.readline().strip())
            assert app.poll() is None, lines
        assert any("No display" in line for line in lines)
        url = next(line for line in lines if line.startswith("open "))[5:].split("?")[0]
        assert httpx.get(url + "health").json() == {"status": "ok", "version": "0.1.0"}
    finally:
        app.terminate()
        app.wait(timeout=30)
