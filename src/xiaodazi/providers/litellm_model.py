"""The one module that imports litellm: streams chat completions and maps provider failures."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator
from typing import Any

from xiaodazi.core.model import (
    ModelChunk,
    ModelError,
    ModelInfo,
    ReasoningDelta,
    StepEnd,
    TextDelta,
    ToolCallRequest,
)

_import_lock = threading.Lock()
_litellm = None


def load_litellm():
    """Import litellm once (3-7 s), offline: its bundled price map, no telemetry prints."""
    global _litellm
    with _import_lock:
        if _litellm is None:
            os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
            import litellm

            litellm.suppress_debug_info = True
            litellm.drop_params = True
            litellm.telemetry = False
            _litellm = litellm
    return _litellm


def warm_up_in_background() -> threading.Thread:
    """Import litellm on a thread so the first turn does not wait for it."""
    thread = threading.Thread(target=load_litellm, name="litellm-warmup", daemon=True)
    thread.start()
    return thread


def _status_of(exc: Exception) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def map_error(exc: Exception) -> ModelError:
    """A readable ModelError for any litellm/openai/httpx failure."""
    if isinstance(exc, ModelError):
        return exc
    name = type(exc).__name__
    status = _status_of(exc)
    detail = str(exc).split("\n")[0][:300]
    if "MidStream" in name or "Stream ended before" in detail or "Stream ended before" in str(exc):
        return ModelError("the model's answer was cut off before it finished (the connection closed early)",
                          "truncated", True)
    if "RateLimit" in name or status == 429:
        return ModelError(f"the model provider is rate-limiting requests (429): {detail}", "rate_limit", True)
    if "Authentication" in name or status == 401 or "PermissionDenied" in name or status == 403:
        return ModelError(f"the API key was rejected ({status or 'auth'}): check the key in settings", "auth", False)
    if "Timeout" in name or isinstance(exc, TimeoutError):
        return ModelError("the model provider did not answer in time", "timeout", True)
    if "ContextWindow" in name:
        return ModelError(f"the conversation is too long for this model: {detail}", "context_window", False)
    if "NotFound" in name or status == 404:
        return ModelError(f"the model or endpoint was not found: {detail}", "not_found", False)
    if "APIConnection" in name or "Connect" in name or "Connection error" in detail:
        return ModelError(f"cannot reach the model provider (no network?): {detail}", "connection", True)
    if status is not None and status >= 500 or "InternalServer" in name or "ServiceUnavailable" in name:
        return ModelError(f"the model provider had a server error ({status or 500}): {detail}", "server", True)
    if "BadRequest" in name or status == 400:
        return ModelError(f"the model provider refused the request: {detail}", "bad_request", False)
    return ModelError(f"model call failed: {name}: {detail}", "unknown", True)


class _ToolCallBuffer:
    """Collects streamed tool-call fragments by index."""

    def __init__(self) -> None:
        self.calls: dict[int, dict[str, str]] = {}

    def add(self, fragments: list[Any]) -> None:
        for frag in fragments:
            index = getattr(frag, "index", None) or 0
            slot = self.calls.setdefault(index, {"id": "", "name": "", "arguments": ""})
            if getattr(frag, "id", None):
                slot["id"] = frag.id
            function = getattr(frag, "function", None)
            if function is not None:
                if getattr(function, "name", None):
                    slot["name"] = function.name
                if getattr(function, "arguments", None):
                    slot["arguments"] += function.arguments

    def result(self) -> list[ToolCallRequest]:
        out = []
        for index in sorted(self.calls):
            slot = self.calls[index]
            out.append(ToolCallRequest(slot["id"] or f"call_{index}", slot["name"], slot["arguments"]))
        return out


class LitellmModel:
    """A chat model reached through litellm with credentials bound per call (never via os.environ)."""

    def __init__(self, info: ModelInfo, litellm_model: str, api_base: str | None = None,
                 api_key: str | None = None, timeout: float = 120.0, idle_timeout: float = 120.0,
                 extra: dict[str, Any] | None = None) -> None:
        self.info = info
        self.litellm_model = litellm_model
        self.api_base = api_base or None
        self.api_key = api_key or None
        self.timeout = timeout
        self.idle_timeout = idle_timeout
        self.extra = extra or {}

    def _params(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        params: dict[str, Any] = {"model": self.litellm_model, "messages": messages, "timeout": self.timeout,
                                  "num_retries": 0, "max_retries": 0, **self.extra}
        if self.api_base:
            params["api_base"] = self.api_base
        if self.api_key:
            params["api_key"] = self.api_key
        elif self.api_base:
            params["api_key"] = "none"  # local OpenAI-compatible servers often need no key
        return params

    async def stream(self, messages: list[dict[str, Any]],
                     tools: list[dict[str, Any]] | None = None) -> AsyncIterator[ModelChunk]:
        """Text and reasoning deltas as they arrive, then one StepEnd with tool calls and usage."""
        litellm = await asyncio.to_thread(load_litellm)
        params = self._params(messages)
        params.update(stream=True, stream_options={"include_usage": True})
        if tools:
            params["tools"] = tools
        try:
            response = await litellm.acompletion(**params)
            buffer, usage, finish, thinking = _ToolCallBuffer(), {}, None, []
            iterator = response.__aiter__()
            while True:
                try:
                    async with asyncio.timeout(self.idle_timeout):
                        chunk = await iterator.__anext__()
                except StopAsyncIteration:
                    break
                except TimeoutError as exc:
                    raise ModelError(f"the model stopped sending for {self.idle_timeout:.0f} s", "timeout",
                                     True) from exc
                usage = _usage(chunk) or usage
                for choice in chunk.choices or []:
                    finish = choice.finish_reason or finish
                    for out in self._deltas(choice.delta, buffer, thinking):
                        yield out
            yield StepEnd(buffer.result(), finish, usage, self._cost(usage), self._echo(thinking))
        except ModelError:
            raise
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise map_error(exc) from exc

    def _deltas(self, delta: Any, buffer: _ToolCallBuffer, thinking: list[Any]) -> list[ModelChunk]:
        out: list[ModelChunk] = []
        if delta is None:
            return out
        reasoning = getattr(delta, "reasoning_content", None)
        if reasoning:
            out.append(ReasoningDelta(reasoning))
        if getattr(delta, "thinking_blocks", None):
            thinking.extend(delta.thinking_blocks)
        if delta.content:
            out.append(TextDelta(delta.content))
        if delta.tool_calls:
            buffer.add(delta.tool_calls)
        return out

    def _echo(self, thinking: list[Any]) -> dict[str, Any]:
        """Provider payloads that must go back with the assistant message (Claude's signed thinking)."""
        if not thinking:
            return {}
        return {"thinking_blocks": [dict(b) if not isinstance(b, dict) else b for b in thinking]}

    def _cost(self, usage: dict[str, int]) -> float | None:
        if not usage:
            return None
        try:
            prompt, completion = _litellm.cost_per_token(
                model=self.litellm_model, prompt_tokens=usage.get("prompt_tokens", 0),
                completion_tokens=usage.get("completion_tokens", 0))
            return round(prompt + completion, 6)
        except Exception:  # unknown models have no price
            return None

    async def complete(self, messages: list[dict[str, Any]], *,
                       json_schema: dict[str, Any] | None = None) -> str:
        """One non-streamed answer (titles, memory extraction); JSON-constrained when a schema is given."""
        litellm = await asyncio.to_thread(load_litellm)
        params = self._params(messages)
        if json_schema is not None:
            params["response_format"] = {"type": "json_schema",
                                         "json_schema": {"name": "reply", "schema": json_schema}}
        try:
            response = await litellm.acompletion(**params)
        except Exception as exc:
            raise map_error(exc) from exc
        return response.choices[0].message.content or ""


def _usage(chunk: Any) -> dict[str, int]:
    usage = getattr(chunk, "usage", None)
    if not usage:
        return {}
    keys = ("prompt_tokens", "completion_tokens", "total_tokens")
    return {k: int(getattr(usage, k, 0) or 0) for k in keys}
