"""The MCP client against real servers: the demo server (stdio and streamable HTTP) and the
reference servers from PyPI (time, git, fetch), each started as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.mcp.conftest import ctx_for, demo_stdio, run_with
from xiaodazi.core.tools import ToolFailed, ToolRetry


def test_stdio_tools_are_namespaced_and_a_call_returns_the_answer(make_manager, tmp_path):
    async def scenario(mcp):
        state = await mcp.put("demo", demo_stdio())
        specs = {s.name: s for s in await mcp.tools()}
        output = await specs["demo__echo"].func(ctx_for(tmp_path), text="你好")
        return state, specs, output

    state, specs, output = run_with(make_manager(), scenario)
    assert state["status"] == "ready" and state["tools"] == len(specs)
    assert {"demo__echo", "demo__add", "demo__slow"} <= set(specs)
    assert specs["demo__echo"].description == "Echo the text back."
    assert specs["demo__add"].parameters["required"] == ["a", "b"]
    assert output.text == "echo: 你好" and output.untrusted


def test_secret_env_reaches_the_server_but_not_mcp_json(make_manager, tmp_path):
    async def scenario(mcp):
        await mcp.put("demo", demo_stdio(API_KEY="sk-planted-4242", MODE="plain"))
        key = await mcp.call("demo", "getenv", {"name": "API_KEY"})
        mode = await mcp.call("demo", "getenv", {"name": "MODE"})
        return key.content[0].text, mode.content[0].text, mcp.secrets

    key, mode, secrets = run_with(make_manager(), scenario)
    saved = (tmp_path / "data" / "mcp.json").read_text()
    assert key == "sk-planted-4242" and mode == "plain"
    assert "sk-planted-4242" not in saved
    assert json.loads(saved)["mcpServers"]["demo"]["env"]["API_KEY"] == "${secret:mcp.demo.env.API_KEY}"
    assert secrets.get("mcp.demo.env.API_KEY") == "sk-planted-4242"


def test_streamable_http_server_gets_secret_headers(make_manager, tmp_path, http_demo):
    async def scenario(mcp):
        state = await mcp.put("web", {"url": http_demo.url, "headers": {"Authorization": "Bearer tok-77"}})
        names = [s.name for s in await mcp.tools()]
        seen = await mcp.call("web", "header", {"name": "authorization"})
        return state, names, seen.content[0].text

    state, names, seen = run_with(make_manager(), scenario)
    assert state["status"] == "ready" and state["transport"] == "http"
    assert "web__echo" in names and seen == "Bearer tok-77"
    assert "tok-77" not in (tmp_path / "data" / "mcp.json").read_text()


def test_image_result_is_saved_in_the_workspace(make_manager, tmp_path):
    async def scenario(mcp):
        await mcp.put("demo", demo_stdio())
        return await mcp.spec("demo__pixel").func(ctx_for(tmp_path))

    output = run_with(make_manager(), scenario)
    assert len(output.artifacts) == 1 and output.artifacts[0].startswith("mcp/demo/pixel-")
    saved = tmp_path / "workspace" / output.artifacts[0]
    assert saved.suffix == ".png" and saved.read_bytes().startswith(b"\x89PNG")


def test_resources_become_text_and_saved_files(make_manager, tmp_path):
    async def scenario(mcp):
        await mcp.put("demo", demo_stdio())
        return await mcp.spec("demo__report").func(ctx_for(tmp_path))

    output = run_with(make_manager(), scenario)
    [pdf] = output.artifacts
    assert pdf.endswith(".pdf") and (tmp_path / "workspace" / pdf).read_bytes() == b"%PDF-1.4 x"
    assert output.text.splitlines()[:3] == ["report ready", "[resource memo://summary]", "三个要点 / three points"]
    assert "[resource full report: https://example.invalid/full]" in output.text


def test_nested_schemas_are_inlined_for_the_model_and_still_validated(make_manager, tmp_path):
    async def scenario(mcp):
        await mcp.put("demo", demo_stdio())
        spec = mcp.spec("demo__schedule")
        with pytest.raises(ToolRetry, match="'title' is a required property"):
            spec.validate({"event": {"minutes": 5}})
        return spec.parameters, await spec.func(ctx_for(tmp_path), event={"title": "站会", "minutes": 15})

    parameters, output = run_with(make_manager(), scenario)
    assert "$defs" not in json.dumps(parameters)
    assert parameters["properties"]["event"]["properties"]["title"]["type"] == "string"
    assert output.text == "scheduled 站会 for 15 min"


def test_tool_error_and_bad_arguments_go_back_to_the_model(make_manager, tmp_path):
    async def scenario(mcp):
        await mcp.put("demo", demo_stdio())
        spec = mcp.spec("demo__fail")
        with pytest.raises(ToolFailed, match="always fails"):
            await spec.func(ctx_for(tmp_path))
        with pytest.raises(ToolRetry, match="'x' is not of type 'integer'"):
            mcp.spec("demo__add").validate({"a": "x", "b": 2})
        assert mcp.spec("demo__add").validate({"a": 1, "b": 2}) == {"a": 1, "b": 2}

    run_with(make_manager(), scenario)


def test_reference_time_server(make_manager, tmp_path):
    async def scenario(mcp):
        await mcp.put("time", {"command": sys.executable, "args": ["-m", "mcp_server_time", "--local-timezone", "UTC"]})
        names = sorted(s.name for s in await mcp.tools())
        out = await mcp.spec("time__get_current_time").func(ctx_for(tmp_path), timezone="Asia/Shanghai")
        return names, json.loads(out.text)

    names, answer = run_with(make_manager(), scenario)
    assert names == ["time__convert_time", "time__get_current_time"]
    assert answer["timezone"] == "Asia/Shanghai" and answer["datetime"].endswith("+08:00")


def test_reference_git_server_on_a_temp_repository(make_manager, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "notes.txt").write_text("hello\n")
    subprocess.run([*git, "add", "notes.txt"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "第一次提交 first commit"], check=True)
    (repo / "notes.txt").write_text("hello\nchanged\n")

    async def scenario(mcp):
        await mcp.put("git", {"command": sys.executable, "args": ["-m", "mcp_server_git", "--repository", str(repo)]})
        ctx = ctx_for(tmp_path)
        log = await mcp.spec("git__git_log").func(ctx, repo_path=str(repo))
        diff = await mcp.spec("git__git_diff_unstaged").func(ctx, repo_path=str(repo))
        return log.text, diff.text

    log, diff = run_with(make_manager(), scenario)
    assert "第一次提交 first commit" in log
    assert "+changed" in diff


class _Page(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        body = b"<html><body><h1>Loopback page</h1><p>Marker 7f3a for the fetch server.</p></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.slow  # the fetch server imports an HTML-to-Markdown stack: ~7 s on 2 cores
def test_reference_fetch_server_against_a_loopback_page(make_manager, tmp_path):
    web = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{web.server_address[1]}/page"

    async def scenario(mcp):
        await mcp.put("fetch", {"command": sys.executable,
                                "args": ["-m", "mcp_server_fetch", "--ignore-robots-txt", "--allow-private-ips"]})
        return await mcp.spec("fetch__fetch").func(ctx_for(tmp_path), url=url)

    try:
        out = run_with(make_manager(), scenario)
    finally:
        web.shutdown()
    assert "Marker 7f3a for the fetch server." in out.text
