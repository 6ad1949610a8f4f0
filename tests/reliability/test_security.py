"""Security: every route needs the token, other origins cannot drive the API, the tool corpora hold through
the server, and provider keys never leak into logs, responses, exports or child processes."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.reliability.support import RoutedLLM, after_tool, serve
from tests.support.chat import iter_sse
from tests.support.scripted_llm import Reply, ToolCall
from tests.tools.test_paths import ESCAPES
from tests.tools.test_policy import ASKED, ASKED_WINDOWS, DENIED
from xiaodazi.api.app import create_app

OPEN = {("GET", "/health"), ("GET", "/openapi.json"), ("GET", "/docs"), ("GET", "/docs/oauth2-redirect"),
        ("GET", "/redoc"), ("GET", "/{path:path}"), ("POST", "/api/auth/login"), ("POST", "/api/auth/logout")}


def all_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route, websockets as ("WS", path), read from the app itself."""
    try:
        from fastapi.routing import iter_route_contexts  # FastAPI >= 0.16x keeps included routers nested
        contexts = list(iter_route_contexts(app.routes))
    except ImportError:
        contexts = app.routes
    out = []
    for route in contexts:
        methods = getattr(route, "methods", None) or {"WS"}
        out.extend((m, route.path) for m in sorted(methods) if m != "HEAD")
    return out


def _concrete(path: str) -> str:
    """A path with its parameters filled (integer ids get a number so they pass validation)."""
    return re.sub(r"\{[^}]+\}", lambda m: "1" if m.group(0) == "{item_id}" else "x", path)


@pytest.fixture
def app(settings):
    return create_app(settings)


def test_every_route_but_the_open_few_answers_401_without_a_token(app):
    routes = all_routes(app)
    assert len(routes) > 40
    answered_without_token = set()
    with TestClient(app) as anon:
        for method, path in routes:
            if method == "WS":
                with pytest.raises(WebSocketDisconnect) as closed, anon.websocket_connect(_concrete(path)):
                    pass
                assert closed.value.code == 4401, path
                continue
            response = anon.request(method, _concrete(path), json={})
            if response.status_code != 401:
                answered_without_token.add((method, path))
            else:
                assert response.json()["error"]["code"] == "unauthorized"
    assert answered_without_token == OPEN


def test_a_page_on_another_origin_cannot_drive_the_api(settings):
    settings.mode, settings.allowed_hosts = "desktop", []
    evil = {"Origin": "http://evil.example", "Host": "evil.example:8000"}
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as c:
        rebinding = c.post("/api/conversations", headers={**evil, "Authorization": f"Bearer {settings.token}"})
        preflight = c.options("/api/conversations", headers={"Origin": "http://evil.example",
                                                            "Access-Control-Request-Method": "POST"})
        simple = c.post("/api/conversations", content="{}", headers={"Origin": "http://evil.example",
                                                                    "Content-Type": "text/plain"})
        with pytest.raises(WebSocketDisconnect) as ws_closed, c.websocket_connect(
                f"/api/ws?token={settings.token}", headers=evil):
            pass
        created = c.get("/api/conversations", headers={"Authorization": f"Bearer {settings.token}"}).json()
    assert rebinding.status_code == 403 and ws_closed.value.code == 4403
    assert simple.status_code == 401 and created["total"] == 0
    for response in (rebinding, preflight, simple):
        assert not any(h.startswith("access-control-") for h in response.headers)


@pytest.fixture
def policy_client(client, settings, tmp_path):
    """The app, with the same trap the policy unit tests set: a workspace link to a folder outside."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret").write_text("s")
    settings.workspace.mkdir(parents=True, exist_ok=True)
    (settings.workspace / "link_out").symlink_to(tmp_path / "outside")
    return client


def test_the_command_bypass_corpus_is_never_allowed_by_the_server(policy_client):
    cases = [*DENIED, *(("bash", c) for c in ASKED), *ASKED_WINDOWS]
    verdicts = {}
    for dialect, command in cases:
        response = policy_client.post("/api/policy/check", json={"command": command, "dialect": dialect})
        assert response.status_code == 200, (command, response.text)
        verdicts[command] = response.json()["verdict"]
    assert [c for c, v in verdicts.items() if v == "allow"] == []
    assert all(verdicts[c] == "deny" for _, c in DENIED)


def _escape_calls(outside: Path) -> list[ToolCall]:
    paths = [p.replace("{abs}", str(outside.parent) + "/") for p in ESCAPES if p.strip() and "\x00" not in p]
    return [ToolCall("read_file", {"path": p}, id=f"esc{i}") for i, p in enumerate(paths)]


def test_the_path_escape_corpus_through_the_agent_never_reads_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("TOP-SECRET-CANARY")
    (tmp_path / "ws").mkdir()
    for name, target in {"link_out": outside, "link_file": outside / "secret.txt", "up2": tmp_path}.items():
        (tmp_path / "ws" / name).symlink_to(target)
    calls = _escape_calls(outside)

    def responder(tag: str, body: dict) -> Reply:
        return Reply(text="读不到") if after_tool(body) else Reply(tool_calls=calls)

    with RoutedLLM(responder) as llm:
        server = serve(tmp_path, llm)
        try:
            with server.client() as c:
                cid = c.post("/api/conversations").json()["id"]
                with c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "[c0] 读文件"}) as r:
                    events = list(iter_sse(r))
        finally:
            server.stop()
    results = [d for n, d in events if n == "tool_result"]
    assert len(results) == len(calls) and not any(d["ok"] for d in results)
    assert "TOP-SECRET-CANARY" not in str(events) and "TOP-SECRET-CANARY" not in str(llm.requests)


PLANTED = {"XIAODAZI_API_KEY": "sk-planted-main-7f3a91c2", "DASHSCOPE_API_KEY": "sk-planted-dashscope-55e1",
           "OPENAI_API_KEY": "sk-planted-openai-0b9d"}
STORED = "sk-planted-stored-deepseek-c4d2"


def _leak_responder(tag: str, body: dict) -> Reply:
    if after_tool(body):
        return Reply(text="环境变量已列出")
    return Reply(tool_calls=[ToolCall("run_shell", {"command": "env; cat /proc/self/environ | tr '\\0' '\\n'"})])


async def _turn_answering_approvals(server, cid: str) -> list:
    headers = {"Authorization": f"Bearer {server.token}"}
    async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=60) as c:
        events = []
        async with c.stream("POST", f"/api/conversations/{cid}/messages", json={"content": "[c0] 列出环境变量"}) as r:
            async for line in r.aiter_lines():
                events.append(line)
                if line.startswith("data:") and '"timeout"' in line and '"tool": "run_shell"' in line:
                    approval = re.search(r'"id": "([0-9a-f]+)"', line).group(1)
                    await c.post(f"/api/approvals/{approval}", json={"decision": "allow_once"})
                if line.startswith("event: done") or line.startswith("event: error"):
                    break
        return events


def test_provider_keys_never_reach_logs_responses_exports_or_child_processes(tmp_path):
    with RoutedLLM(_leak_responder) as llm:
        server = serve(tmp_path, llm, **PLANTED)
        try:
            with server.client() as c:
                assert c.put("/api/providers/deepseek", json={"key": STORED}).status_code == 200
                cid = c.post("/api/conversations").json()["id"]
            stream = "\n".join(asyncio.run(_turn_answering_approvals(server, cid)))
            assert "environ" in stream and "tool_result" in stream and "PATH=" in stream  # the command ran
            responses = _every_get(server, cid)
        finally:
            server.stop()
        logs = server.output() + "".join(p.read_text(errors="replace") for p in (tmp_path / "data").rglob("*.log*"))
    assert llm.requests[0]["_headers"]["authorization"] == f"Bearer {PLANTED['XIAODAZI_API_KEY']}"
    for secret in [*PLANTED.values(), STORED]:
        for where, blob in {"stream": stream, "logs": logs, **responses}.items():
            assert secret not in blob, (secret, where)


def _every_get(server, cid: str) -> dict[str, str]:
    """The body of every GET route of the schema (path parameters filled with this conversation's id)."""
    out = {}
    with server.client() as c:
        paths = c.get("/openapi.json").json()["paths"]
        for path, operations in paths.items():
            if "get" in operations:
                concrete = path.replace("{conversation_id}", cid)
                concrete = re.sub(r"\{[^}]+\}", "1", concrete)
                out[concrete] = c.get(concrete, params={"q": "sk", "path": "."}).text
    assert "/api/memory/export" in out and f"/api/conversations/{cid}/messages" in out
    return out
