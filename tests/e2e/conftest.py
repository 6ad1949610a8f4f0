"""Browser tests: Debian's chromium (Playwright for Python) against a real `xiaodazi serve` with the scripted model."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.chat import collect
from tests.support.proc import ServeProcess, start_serve
from tests.support.scripted_llm import ScriptedLLM, text

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "src" / "xiaodazi" / "web" / "dist"
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts" / "ui"
TOKEN = "e2e-token-0123456789"

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")


def _ensure_ui() -> None:
    """Build the UI when it is missing (make test builds it first; a bare pytest run may not have)."""
    if (DIST / "index.html").exists():
        return
    if shutil.which("npm") is None:
        pytest.skip("the UI is not built and npm is not installed")
    subprocess.run([sys.executable, str(ROOT / "build_scripts" / "build_ui.py")], check=True)


@pytest.fixture(scope="package")
def llm() -> Iterator[ScriptedLLM]:
    with ScriptedLLM() as server:
        yield server


@pytest.fixture(scope="package")
def serve(tmp_path_factory, llm) -> Iterator[ServeProcess]:
    """One real server for the browser tests, its default model being the scripted one."""
    _ensure_ui()
    base = tmp_path_factory.mktemp("e2e")
    env = {"XIAODAZI_MODEL": "openai/scripted", "XIAODAZI_API_BASE": llm.base_url, "XIAODAZI_API_KEY": "x",
           "XIAODAZI_MCP_STDIO": "true"}  # the MCP settings test adds a local (stdio) server
    server = start_serve(base / "data", base / "workspace", token=TOKEN, env=env)
    _warm_up(server, llm)
    yield server
    server.stop()


def _warm_up(server: ServeProcess, llm: ScriptedLLM) -> None:
    """One turn through the API first: the server's first model call imports litellm (seconds on a busy machine)."""
    llm.add(text("ready"))
    with server.client() as c:
        cid = c.post("/api/conversations", json={"title": "warm-up"}).json()["id"]
        with c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "warm up"}, timeout=120) as r:
            collect(r)
        c.delete(f"/api/conversations/{cid}")


@pytest.fixture(scope="package")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome so the page fixture can keep a screenshot of a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, serve, request):
    """A fresh browser profile at 1280×800 that fails the test on any uncaught page error."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.base = serve.base_url  # type: ignore[attr-defined]
    yield pg
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"FAILED-{request.node.name}.png"))
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


def open_app(page, path: str = "/") -> None:
    """Open like the desktop window does: `?token=` once, then the UI drops it from the address bar."""
    sep = "&" if "?" in path else "?"
    page.goto(f"{page.base}{path}{sep}token={TOKEN}")
    page.wait_for_selector("#app > *")


def set_language(page, locale: str) -> None:
    page.evaluate("l => localStorage.setItem('xdz.locale', l)", locale)


def shoot(page, name: str) -> None:
    """Save a screenshot under test-artifacts/ui/ (looked at by a person; never compared by the test)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lang = page.evaluate("document.documentElement.lang") or "zh-CN"
    page.wait_for_timeout(150)  # let the last frame of a streamed render paint
    page.screenshot(path=str(ARTIFACTS / f"{name}-{lang}.png"))
