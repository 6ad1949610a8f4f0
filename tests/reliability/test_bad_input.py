"""Bad input: fuzzed requests from the OpenAPI schema, oversized bodies, and text at the edges of Unicode."""

from __future__ import annotations

import os

import pytest

from tests.support.chat import start_live
from tests.support.scripted_llm import ScriptedLLM, text
from xiaodazi.config import Settings
from xiaodazi.providers.litellm_model import load_litellm

LIMIT_MB = 2
FUZZ_EXAMPLES = int(os.environ.get("XIAODAZI_FUZZ_EXAMPLES", "20"))  # per operation; raise it for a deeper run
# Operations that reach beyond this machine or start programs: their inputs are checked by their own tests.
NOT_FUZZED = {
    ("POST", "/api/providers/{name}/test"), ("PUT", "/api/providers/{name}"), ("PUT", "/api/settings"),
    ("PUT", "/api/mcp/servers/{name}"), ("POST", "/api/mcp/import"), ("POST", "/api/mcp/servers/{name}/restart"),
    ("GET", "/api/mcp/servers/{name}/tools"), ("POST", "/api/skills/import"), ("POST", "/api/desktop/{command}"),
    ("POST", "/api/conversations/{conversation_id}/messages"),  # streaming: covered below with a scripted model
}
EDGE_TEXTS = {
    "emoji": "👩‍👩‍👧‍👦 家庭 🏳️‍🌈 flags 🇨🇳🇺🇸 skin 👍🏽 keycap 1️⃣ ZWJ​joiner",
    "rtl": "مرحبا بالعالم ‏שלום עולם‏ \u202eevil.txt\u202c mixed عربي English 中文",
    "nul_and_controls": "before\x00after \x01\x02\x1f tab\tline\nbreak\r\n",
    "combining": "e\u0301 a\u0308 Z̤͔ͧ̑̓ä͖̭̈̇l͖͎g̞̥͈ͮ͂o̯̥ͪ͊",
    "surrogate_edges": "\U0001f600\U0010fffd\ufeff BOM \uffff",
    "one_mb_line": ("一行很长的文字 long line " * 45_000)[:1_000_000] + "🔚",
}


@pytest.fixture
def edge_live(tmp_path):
    load_litellm()
    with ScriptedLLM() as llm:
        llm.default = text("收到")
        settings = Settings(mode="serve", data_dir=tmp_path / "data", workspace=tmp_path / "ws", token="t",
                            warmup=False, model="openai/scripted", api_base=llm.base_url, api_key="sk-x",
                            max_body_mb=LIMIT_MB, model_timeout=10, stream_idle_timeout=10)
        live = start_live(settings)
        yield live
        live.server.stop()


def test_fuzzed_requests_never_get_a_server_error_or_hang(edge_live):
    import schemathesis
    from hypothesis import HealthCheck, Phase, given
    from hypothesis import settings as hsettings
    from schemathesis.checks import not_a_server_error

    with edge_live.client() as c:
        spec = c.get("/openapi.json").json()
        c.post("/api/conversations", json={"title": "seed"})  # something for list/search to find
    schema = schemathesis.openapi.from_dict(spec)
    headers = {"Authorization": f"Bearer {edge_live.settings.token}"}
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in NOT_FUZZED:
            continue

        @given(case=operation.as_strategy())
        @hsettings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
                   suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            # the timeout is the "no hang" bound; a 5xx fails the check
            case.call_and_validate(base_url=edge_live.base_url, headers=headers, timeout=20,
                                   checks=[not_a_server_error])

        check()
        tested += 1
    assert tested >= 25  # the schema still lists most of the API


def test_body_over_the_limit_is_413_whatever_it_claims(edge_live):
    too_big = b"x" * (LIMIT_MB * 1024 * 1024 + 10)
    with edge_live.client() as c:
        claimed = c.post("/api/conversations", content=too_big, headers={"content-type": "application/json"})
        chunked = c.post("/api/conversations", content=iter([too_big[:1000], too_big[1000:]]),
                         headers={"content-type": "application/json"})
        upload = c.post("/api/uploads", files={"file": ("big.bin", too_big)})
        streamed_upload = c.post("/api/uploads", content=_multipart_chunks(too_big),
                                 headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"})
        assert c.get("/health").status_code == 200
    assert [r.status_code for r in (claimed, chunked, upload, streamed_upload)] == [413] * 4
    assert "transfer-encoding" not in chunked.request.headers or "content-length" not in chunked.request.headers
    assert not any((edge_live.settings.workspace / "uploads").glob("big*"))  # nothing half-written is kept


BOUNDARY = "xiaodazi-test-boundary"


def _multipart_chunks(payload: bytes):
    """A multipart upload sent chunked (no Content-Length), the way a streaming client sends it."""
    yield (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big2.bin\"\r\n"
           "Content-Type: application/octet-stream\r\n\r\n").encode()
    for start in range(0, len(payload), 256 * 1024):
        yield payload[start:start + 256 * 1024]
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


@pytest.mark.parametrize("name", list(EDGE_TEXTS))
def test_unicode_edge_cases_are_stored_and_returned_intact(edge_live, name):
    value = EDGE_TEXTS[name]
    cid = edge_live.new_conversation()
    events = edge_live.send(cid, value)
    assert events[-1][0] == "done"
    with edge_live.client() as c:
        renamed = c.patch(f"/api/conversations/{cid}", json={"title": value[:200]})
        items = c.get(f"/api/conversations/{cid}/messages").json()["items"]
        title = c.get(f"/api/conversations/{cid}").json()["title"]
    assert renamed.status_code == 200 and title == value[:200]
    assert items[0]["role"] == "user" and items[0]["content"] == value


def test_search_with_nul_bytes_answers_instead_of_failing(edge_live):
    """Found by the fuzzer: a NUL inside a term ended the FTS5 query string early (500)."""
    cid = edge_live.new_conversation()
    edge_live.send(cid, "整理桌面\x00文件夹")
    with edge_live.client() as c:
        for q in ("c\x00\x05", "abc\x00def", "整理桌面\x00文件夹"):
            assert c.get("/api/search", params={"q": q}).status_code == 200
            assert c.get("/api/memory/search", params={"q": q}).status_code == 200
        # SQLite's FTS5 and LIKE stop reading stored text at a NUL, so only the part before it is findable
        hits = c.get("/api/search", params={"q": "整理桌面"}).json()["items"]
    assert [h["conversation_id"] for h in hits] == [cid]
