def test_providers_list_presets_with_default_qwen(client):
    body = client.get("/api/providers").json()
    names = [p["name"] for p in body["items"]]
    assert names[:6] == ["dashscope", "anthropic", "openai", "deepseek", "gemini", "zhipu"]
    assert {"ollama", "openai_compatible"} <= set(names)
    assert body["default_model"] == "dashscope/qwen-plus"
    assert body["any_configured"] is False
    qwen = body["items"][0]
    assert qwen["configured"] is False and qwen["key"] is None and qwen["env_key"] == "DASHSCOPE_API_KEY"
    assert any(m["id"] == "dashscope/qwen-plus" for m in qwen["models"])


def test_saving_and_removing_a_key(client):
    saved = client.put("/api/providers/openai", json={"key": "sk-openai-abcdefgh1234"}).json()
    assert saved["key"] == "sk-…1234" and saved["configured"]
    removed = client.put("/api/providers/openai", json={"key": ""}).json()
    assert removed["key"] is None and not removed["configured"]


def test_bad_base_url_and_unknown_provider_are_rejected(client):
    assert client.put("/api/providers/openai_compatible", json={"base_url": "ftp://x"}).status_code == 422
    assert client.put("/api/providers/nope", json={"key": "x"}).status_code == 404
    assert client.put("/api/providers/openai", json={"colour": 1}).status_code == 422


def test_testing_a_provider_without_key_says_so(client):
    result = client.post("/api/providers/dashscope/test").json()
    assert result["ok"] is False and "key" in result["message"].lower()


def test_testing_an_unreachable_endpoint_reports_connection_problem(client):
    client.put("/api/providers/openai_compatible", json={"base_url": "http://127.0.0.1:9/v1", "models": ["m"]})
    result = client.post("/api/providers/openai_compatible/test").json()
    assert result["ok"] is False and result["kind"] == "connection"


def test_testing_a_working_endpoint_reports_latency(client, llm):
    client.put("/api/providers/openai_compatible", json={"base_url": llm.base_url, "models": ["scripted"]})
    result = client.post("/api/providers/openai_compatible/test").json()
    assert result["ok"] is True and result["latency_ms"] >= 0


def test_settings_round_trip_and_validation(client):
    assert client.put("/api/settings", json={"default_model": "deepseek/deepseek-chat", "theme": "dark"}).status_code == 200
    body = client.get("/api/settings").json()
    assert body["default_model"] == "deepseek/deepseek-chat" and body["theme"] == "dark"
    assert client.put("/api/settings", json={"themee": "dark"}).status_code == 422
    assert client.put("/api/settings", json={"memory_auto": "yes"}).status_code == 422


def test_global_hotkeys_have_defaults_are_stored_canonically_and_bad_ones_are_explained(client):
    body = client.get("/api/settings").json()
    assert body["quick_ask_hotkey"] == "Ctrl+Alt+Space" and body["stop_hotkey"] == "Ctrl+Alt+Shift+Escape"
    saved = client.put("/api/settings", json={"quick_ask_hotkey": "alt + ctrl + k", "stop_hotkey": ""}).json()
    assert saved["quick_ask_hotkey"] == "Ctrl+Alt+K" and saved["stop_hotkey"] == ""  # "" turns it off
    assert "hotkeys" not in saved  # no desktop window here: nothing to register
    for combo, reason in [("K", "Ctrl, Alt or Super"), ("Ctrl+Alt+Ü", "unsupported key"),
                          ("Ctrl++", "not a key combination"), ("Hyper+Q", "unknown modifier"),
                          ("Ctrl+Alt+F2", "switches the console")]:
        refused = client.put("/api/settings", json={"quick_ask_hotkey": combo})
        assert refused.status_code == 422 and reason in refused.json()["error"]["message"], combo
    assert client.get("/api/settings").json()["quick_ask_hotkey"] == "Ctrl+Alt+K"  # nothing lost
    reset = client.put("/api/settings", json={"quick_ask_hotkey": None, "stop_hotkey": None}).json()
    assert reset["quick_ask_hotkey"] == "Ctrl+Alt+Space" and reset["stop_hotkey"] == "Ctrl+Alt+Shift+Escape"
