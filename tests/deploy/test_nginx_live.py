"""Real nginx with deploy/nginx.conf in front of a real `xiaodazi serve`, two temp folders as the volumes."""

from __future__ import annotations

import json
import os
import time

import httpx
import pytest

from tests.deploy.nginx import start_nginx
from tests.support.chat import iter_sse
from tests.support.proc import start_serve
from tests.support.scripted_llm import ScriptedLLM, text, tool_call
from xiaodazi.config import resource_root

TOKEN = "deploy-test-token-0123456789"
UI_DIST = resource_root() / "web" / "dist"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """scripted model <- xiaodazi serve (loopback, token) <- nginx; yields (nginx, llm, backend)."""
    assert (UI_DIST / "index.html").exists(), "the UI is not built: make ui"
    base = tmp_path_factory.mktemp("deploy")
    llm = ScriptedLLM().start()
    env = {"XIAODAZI_MODEL": "openai/scripted", "XIAODAZI_API_BASE": llm.base_url,
           "XIAODAZI_API_KEY": "sk-deploy-test-key-0042", "XIAODAZI_RETRY_BACKOFF": "0.01", "LOG_LEVEL": "DEBUG"}
    backend = start_serve(base / "zenflux-data", base / "zenflux-workspace", token=TOKEN, env=env)
    proxy = start_nginx(base / "nginx", backend.base_url.removeprefix("http://"), UI_DIST)
    yield proxy, llm, backend
    proxy.stop()
    backend.stop()
    llm.stop()


@pytest.fixture
def web(stack):
    """An HTTP client talking to nginx with the access token."""
    with httpx.Client(base_url=stack[0].base_url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as c:
        yield c


def test_ui_loads_at_root_and_client_routes_fall_back_to_it(stack):
    index = httpx.get(stack[0].base_url + "/")
    assert index.status_code == 200 and '<div id="app">' in index.text
    assert index.headers["x-content-type-options"] == "nosniff" and index.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in index.headers["content-security-policy"]
    assert httpx.get(stack[0].base_url + "/settings/models").text == index.text
    script = next(part.split('"')[0] for part in index.text.split('src="')[1:] if part.startswith("/assets/"))
    asset = httpx.get(stack[0].base_url + script, headers={"Accept-Encoding": "gzip"})
    assert asset.status_code == 200 and asset.headers["content-encoding"] == "gzip"
    assert "immutable" in asset.headers["cache-control"]


def test_browser_logs_in_through_nginx_and_the_app_opens(stack):
    """The headers nginx adds must not break the app, and the login cookie must work behind it."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            page = browser.new_page()
            page.goto(stack[0].base_url + "/")
            page.locator("input").first.fill(TOKEN)
            page.locator("input").first.press("Enter")
            page.locator("textarea").first.wait_for(timeout=30_000)  # the chat composer
            assert "xiaodazi_token" in [c["name"] for c in page.context.cookies()]
        finally:
            browser.close()


def test_health_docs_and_openapi_answer_through_nginx(stack):
    base = stack[0].base_url
    assert httpx.get(base + "/health").json() == {"status": "ok", "version": "0.1.0"}
    assert "swagger" in httpx.get(base + "/docs").text.lower()
    assert "/api/conversations" in httpx.get(base + "/openapi.json").json()["paths"]


def test_api_without_the_token_is_refused_through_nginx(stack):
    base = stack[0].base_url
    assert httpx.get(base + "/api/conversations").status_code == 401
    assert httpx.get(base + "/api/conversations", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert httpx.post(base + "/api/uploads", files={"file": ("a.txt", b"x")}).status_code == 401


def test_browser_login_sets_an_httponly_strict_cookie_that_opens_the_api(stack):
    with httpx.Client(base_url=stack[0].base_url) as browser:
        r = browser.post("/api/auth/login", json={"token": TOKEN})
        assert r.status_code == 204
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert browser.get("/api/conversations").status_code == 200


def test_chat_answer_streams_through_nginx_event_by_event(stack, web):
    _, llm, _ = stack
    llm.add(text("一二三四五六七八九十" * 3, chunk_size=2, chunk_delay=0.1))
    cid = web.post("/api/conversations", json={"title": "stream"}).json()["id"]
    first_text_at, events = None, []
    with web.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "数到十"}) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        for name, data in iter_sse(r):
            events.append((name, data))
            if name == "text" and first_text_at is None:
                first_text_at = time.perf_counter()
            if name in ("done", "error"):
                break
    assert events[-1][0] == "done", events[-1]
    assert "".join(d["text"] for n, d in events if n == "text") == "一二三四五六七八九十" * 3
    # The first piece reached us through nginx before the model had even sent its last piece.
    assert first_text_at is not None and first_text_at < llm.chunk_log[-1][0]


def test_websocket_carries_a_run_through_nginx(stack, web):
    from websockets.sync.client import connect

    _, llm, _ = stack
    llm.add(text("来自 WebSocket 的回答"))
    cid = web.post("/api/conversations", json={"title": "ws"}).json()["id"]
    url = stack[0].base_url.replace("http://", "ws://") + "/api/ws"
    with connect(url, additional_headers={"Authorization": f"Bearer {TOKEN}"}, open_timeout=10) as ws:
        ws.send(json.dumps({"type": "send", "conversation_id": cid, "content": "你好"}))
        frames = []
        while not frames or frames[-1]["type"] not in ("done", "error"):
            frames.append(json.loads(ws.recv(timeout=30)))
    assert frames[-1]["type"] == "done"
    assert "".join(f["text"] for f in frames if f["type"] == "text") == "来自 WebSocket 的回答"


def test_websocket_without_the_token_is_refused(stack):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    url = stack[0].base_url.replace("http://", "ws://") + "/api/ws"
    with pytest.raises(InvalidStatus) as refused, connect(url, open_timeout=10):
        pass
    assert refused.value.response.status_code == 403  # the handshake reached the backend's guard


def test_a_50_mb_upload_passes_nginx_into_the_workspace_volume(stack, web, tmp_path):
    payload = os.urandom(50 * 1024 * 1024)
    r = web.post("/api/uploads", files={"file": ("录音.bin", payload, "application/octet-stream")})
    assert r.status_code == 201, r.text
    stored = stack[2].log_path.parent / "zenflux-workspace" / r.json()["path"]
    assert r.json()["size"] == len(payload) and stored.stat().st_size == len(payload)


def test_serve_logs_json_lines_to_stdout_at_the_requested_level(stack):
    lines = [ln for ln in stack[2].output().splitlines() if ln.startswith("{")]
    records = [json.loads(ln) for ln in lines]
    assert records and {"time", "level", "logger", "message"} <= records[0].keys()
    assert any(r["level"] == "DEBUG" for r in records)  # LOG_LEVEL=DEBUG was honoured
    assert TOKEN not in stack[2].output() and "sk-deploy-test-key-0042" not in stack[2].output()


def _tool_messages(web: httpx.Client, cid: str, timeout: float = 30.0) -> list[dict]:
    """Poll the saved conversation until the run has stored its tool results and its answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = web.get(f"/api/conversations/{cid}/messages").json()["items"]
        done = [m for m in items if m["role"] == "assistant" and m["status"] != "streaming" and m["content"]]
        if done:
            return [m for m in items if m["role"] == "tool"]
        time.sleep(0.2)
    raise AssertionError("the run did not finish")


def test_an_approval_nobody_can_answer_is_denied_in_serve_mode(stack, web):
    _, llm, backend = stack
    # The tool call comes late, after the only client has left the stream.
    llm.add(tool_call("run_shell", {"command": "touch unattended.txt"}, delay=3.0), text("没有执行。"))
    cid = web.post("/api/conversations", json={"title": "unattended"}).json()["id"]
    with web.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "建个文件"}) as r:
        assert next(iter_sse(r))[0] == "message_start"
    [result] = _tool_messages(web, cid)
    assert "nobody can answer" in result["content"]
    assert not (backend.log_path.parent / "zenflux-workspace" / "unattended.txt").exists()


def test_desktop_tools_are_not_offered_or_run_in_serve_mode(stack, web):
    _, llm, _ = stack
    llm.add(tool_call("screenshot", {}), text("这里没有桌面。"))
    cid = web.post("/api/conversations", json={"title": "desktop"}).json()["id"]
    with web.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "截个屏，再点一下开始菜单"}) as r:
        events = [e for e in iter_sse(r) if e[0] in ("tool_result", "done", "error")]
        assert events[-1][0] == "done"
    offered = {t["function"]["name"] for t in llm.requests[-2].get("tools", [])}
    assert offered and not offered & {"screenshot", "click", "type_text", "hotkey", "clipboard", "open_app"}
    assert events[0][0] == "tool_result" and events[0][1]["ok"] is False


def test_serve_keeps_stdio_mcp_servers_off_by_default(web):
    # (XIAODAZI_MCP_STDIO=true turns them on: checked by the restart test below.)
    assert web.get("/api/mcp/servers").json()["stdio_allowed"] is False


def test_failed_logins_are_rate_limited_through_nginx(stack):
    # Last in this module: it locks logins from this address for a minute.
    base = stack[0].base_url
    codes = [httpx.post(base + "/api/auth/login", json={"token": f"guess-{i}"}).status_code for i in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    assert httpx.post(base + "/api/auth/login", json={"token": TOKEN}).status_code == 429
    assert httpx.get(base + "/api/conversations", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_restart_with_the_same_volumes_keeps_conversations_memory_and_settings(stack, web):
    # After the module's chats: a redeployed backend gets the same two folders.
    _, _, backend = stack
    chats = {c["id"]: c["title"] for c in web.get("/api/conversations").json()["items"]}
    streamed = next(cid for cid, title in chats.items() if title == "stream")
    assert web.post("/api/memory", json={"content": "住在杭州", "kind": "profile"}).status_code == 201
    assert web.patch("/api/memory/settings", json={"approval": True}).status_code == 200
    assert web.put("/api/settings", json={"theme": "dark", "language": "en"}).status_code == 200
    assert web.put("/api/providers/deepseek", json={"key": "sk-deepseek-stored-key-7788"}).status_code == 200
    backend.stop()
    folders = backend.log_path.parent
    again = start_serve(folders / "zenflux-data", folders / "zenflux-workspace", token=TOKEN,
                        env={"XIAODAZI_MCP_STDIO": "true"})
    try:
        with again.client() as c:
            assert {x["id"]: x["title"] for x in c.get("/api/conversations").json()["items"]} == chats
            said = [m["content"] for m in c.get(f"/api/conversations/{streamed}/messages").json()["items"]]
            assert said[:2] == ["数到十", "一二三四五六七八九十" * 3]
            assert "住在杭州" in [i["content"] for i in c.get("/api/memory").json()["items"]]
            assert c.get("/api/memory/settings").json()["approval"] is True
            assert {"theme": "dark", "language": "en"}.items() <= c.get("/api/settings").json().items()
            deepseek = next(p for p in c.get("/api/providers").json()["items"] if p["name"] == "deepseek")
            assert deepseek["configured"] is True  # the stored key was decrypted with the volume's secret
            assert c.get("/api/mcp/servers").json()["stdio_allowed"] is True  # explicitly asked for
    finally:
        again.stop()
