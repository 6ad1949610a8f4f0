"""The model seam: what the agent loop needs from any chat model, nothing provider-specific."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from xiaodazi.core.errors import XiaodaziError


@dataclass
class TextDelta:
    text: str


@dataclass
class ReasoningDelta:
    text: str


@dataclass
class ToolCallRequest:
    """A complete tool call: `arguments` is the raw JSON text as the model wrote it."""

    id: str
    name: str
    arguments: str


@dataclass
class StepEnd:
    """The end of one model response."""

    tool_calls: list[ToolCallRequest] = field(default_factory=list)
    finish_reason: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    cost: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # provider payloads to echo back (thinking blocks)


ModelChunk = TextDelta | ReasoningDelta | StepEnd


class ModelError(XiaodaziError):
    """A provider failure; `kind` says what happened, `retryable` whether trying again may help."""

    code = "model_error"
    status = 502

    def __init__(self, message: str, kind: str = "unknown", retryable: bool = False) -> None:
        super().__init__(message, kind=kind)
        self.kind = kind
        self.retryable = retryable


@dataclass
class ModelInfo:
    """What the loop must know about a model to use it well."""

    name: str
    context_window: int = 32_000
    supports_tools: bool = True
    supports_vision: bool = False
    supports_reasoning: bool = False
    offline_demo: bool = False


class Model(Protocol):
    info: ModelInfo

    def stream(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None
    ) -> AsyncIterator[ModelChunk]: ...

    async def complete(
        self, messages: list[dict[str, Any]], *, json_schema: dict[str, Any] | None = None
    ) -> str: ...


class ModelProvider(Protocol):
    def get_model(self, name: str | None = None) -> Model: ...
