"""/api/mcp through the real app: add, list, tools, restart, remove; errors are readable."""

from __future__ import annotations

import json

from tests.mcp.conftest import demo_stdio


def test_add_list_tools_restart_and_remove_a_server(client, settings):
    added = client.put("/api/mcp/servers/demo", json=demo_stdio(API_TOKEN="tok-planted-9"))
    assert added.status_code == 200, added.text
    assert added.json()["status"] == "ready" and added.json()["tools"] == 13

    listed = client.get("/api/mcp/servers").json()
    assert listed["config_path"] == str(settings.data_dir / "mcp.json") and listed["stdio_allowed"] is True
    [item] = listed["items"]
    assert item["definition"]["env"] == {"API_TOKEN": "${secret:mcp.demo.env.API_TOKEN}"}
    assert "tok-planted-9" not in json.dumps(listed) and "tok-planted-9" not in (settings.data_dir / "mcp.json").read_text()

    tools = client.get("/api/mcp/servers/demo/tools").json()
    echo = next(t for t in tools["items"] if t["name"] == "demo__echo")
    assert tools["status"] == "ready" and echo["remote_name"] == "echo" and echo["approval"] == "ask"
    assert echo["parameters"]["properties"]["text"]["type"] == "string"

    restarted = client.post("/api/mcp/servers/demo/restart").json()
    assert restarted["status"] == "ready"

    assert client.delete("/api/mcp/servers/demo").status_code == 204
    assert client.get("/api/mcp/servers").json()["items"] == []
    assert client.get("/api/mcp/servers/demo/tools").status_code == 404


def test_pasting_a_whole_mcp_json_adds_every_server(client):
    doc = {"mcpServers": {"one": {**demo_stdio(), "disabled": True}, "two": {**demo_stdio(), "disabled": True}}}
    r = client.post("/api/mcp/import", json=doc)
    assert r.status_code == 200, r.text
    assert [(s["name"], s["status"]) for s in r.json()["items"]] == [("one", "disabled"), ("two", "disabled")]


def test_invalid_definitions_are_refused_with_a_reason(client):
    both = client.put("/api/mcp/servers/x", json={"command": "a", "url": "http://127.0.0.1:9/mcp"})
    assert both.status_code == 422 and "either `command`" in both.json()["error"]["message"]
    sse = client.put("/api/mcp/servers/x", json={"url": "http://127.0.0.1:9/sse", "type": "sse"})
    assert sse.status_code == 422 and "SSE" in sse.json()["error"]["message"]
    name = client.put("/api/mcp/servers/a__b", json={"command": "a"})
    assert name.status_code == 422 and "invalid server name" in name.json()["error"]["message"]
    assert client.post("/api/mcp/servers/nope/restart").status_code == 404
    assert client.delete("/api/mcp/servers/nope").status_code == 404


def test_mcp_routes_need_the_token(anon_client):
    assert anon_client.get("/api/mcp/servers").status_code == 401


def test_hand_written_secret_reference_is_filled_through_the_api(client, settings):
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    entry = {**demo_stdio(), "env": {"GITHUB_TOKEN": "${secret:github-token}"}}
    (settings.data_dir / "mcp.json").write_text(json.dumps({"mcpServers": {"gh": entry}}))
    assert client.put("/api/mcp/secrets/github-token", json={"value": "ghp_planted_77"}).status_code == 204
    assert client.put("/api/mcp/secrets/bad name", json={"value": "x"}).status_code == 422
    tools = client.get("/api/mcp/servers/gh/tools").json()
    assert tools["status"] == "ready"
    mcp = client.app.state.services.mcp
    seen = client.portal.call(mcp.call, "gh", "getenv", {"name": "GITHUB_TOKEN"})  # on the app's own loop
    assert seen.content[0].text == "ghp_planted_77"
    assert "ghp_planted_77" not in (settings.data_dir / "mcp.json").read_text()
