"""Build the one-file bundle and smoke-test it: serve → /health, a scripted chat turn, skills, a .docx.

`python build_scripts/package.py [--skip-build]`; `make package` runs it. Prints the bundle size and timings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.support.scripted_llm import ScriptedLLM, text, tool_call  # noqa: E402

from xiaodazi.server import free_port  # noqa: E402

BUNDLE = ROOT / "dist" / ("xiaodazi.exe" if os.name == "nt" else "xiaodazi")


def build() -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "build_scripts" / "build_ui.py")], check=True)
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", str(ROOT / "xiaodazi.spec")],
                   cwd=ROOT, check=True)
    return time.monotonic() - started


def _wait_health(url: str, proc: subprocess.Popen, timeout: float = 120) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"the bundle exited early with {proc.returncode}")
        try:
            if httpx.get(url + "/health", timeout=1).json() == {"status": "ok", "version": "0.1.0"}:
                return time.monotonic() - started
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("the bundle never answered /health")


def smoke() -> dict:
    """Run the bundle in serve mode against the scripted model and check what a user would."""
    results: dict = {"size_mb": round(BUNDLE.stat().st_size / 1e6, 1)}
    with tempfile.TemporaryDirectory() as tmp, ScriptedLLM() as llm:
        port = free_port()
        env = {**os.environ, "XIAODAZI_DATA_DIR": f"{tmp}/data", "XIAODAZI_WORKSPACE": f"{tmp}/ws",
               "XIAODAZI_TOKEN": "smoke", "XIAODAZI_MODEL": "openai/scripted", "XIAODAZI_API_BASE": llm.base_url,
               "XIAODAZI_API_KEY": "x"}
        proc = subprocess.Popen([str(BUNDLE), "serve", "--port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            results["health_s"] = round(_wait_health(url, proc), 2)
            results.update(_chat_and_docx(url, llm, Path(tmp) / "ws"))
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
    assert "你好，打包版本可以回答。" in "".join(
        json.loads(line[5:]).get("text", "") for line in first.splitlines() if line.startswith("data:")), first
    assert "event: done" in second and (workspace / "smoke.docx").exists(), second
    items = skills if isinstance(skills, list) else skills.get("items", skills.get("skills", []))
    return {"skills": len(items), "docx_bytes": (workspace / "smoke.docx").stat().st_size}


def main(argv: list[str]) -> int:
    if "--skip-build" not in argv:
        print(f"build: {build():.0f} s", flush=True)
    print(json.dumps(smoke(), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
