"""The tool protocol: plain functions with type hints and a docstring become tools.

A tool function takes a `ToolContext` as its first parameter (left out of the schema) and
returns text, a JSON-able value or a `ToolOutput`. It raises `ToolRetry` when the model should
try again with other arguments, `ToolFailed` when the action failed for good. Before a tool
runs, its gate (if any) decides allow / ask / deny; the agent loop turns `ask` into an
approval event and waits for the user.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, get_type_hints

from pydantic import TypeAdapter

from xiaodazi.core.errors import XiaodaziError


class Risk(StrEnum):
    """What a tool can do to the user's machine; decides the default gate."""

    read = "read"
    write = "write"
    execute = "execute"
    network = "network"
    desktop = "desktop"


class ToolRetry(XiaodaziError):
    """The call was wrong (bad path, bad argument); the message goes back to the model."""

    code = "tool_retry"


class ToolFailed(XiaodaziError):
    """The action failed for good; the message goes back to the model as a failed result."""

    code = "tool_failed"


class Verdict(StrEnum):
    allow = "allow"
    ask = "ask"
    deny = "deny"


@dataclass
class Gate:
    """A gate's answer for one call: what to do, why, which rule matched, what to show the user."""

    verdict: Verdict
    reason: str = ""
    rule: str | None = None
    detail: str | None = None  # the exact command or file diff shown in the approval card
    remember: Callable[[], None] | None = None  # stores the narrow "always allow" rule


@dataclass
class ToolOutput:
    """A tool result with optional files the UI shows (images, documents)."""

    text: str
    artifacts: list[str] = field(default_factory=list)
    data: dict[str, Any] | None = None
    untrusted: bool = False  # came from the web or a file: never instructions


@dataclass
class ToolContext:
    """What a tool may know about the run it serves."""

    workspace: Path
    data_dir: Path
    allowed_dirs: list[Path] = field(default_factory=list)
    mode: str = "desktop"
    conversation_id: str | None = None
    run_id: str | None = None
    services: dict[str, Any] = field(default_factory=dict)  # e.g. "journal", "policy", "skills"
    emit: Callable[[str, dict[str, Any]], Awaitable[None]] | None = None

    def service(self, name: str) -> Any:
        """A named helper wired by the composition root; ToolFailed when it is missing."""
        if name not in self.services:
            raise ToolFailed(f"{name} is not available in this mode")
        return self.services[name]


GateFn = Callable[[ToolContext, dict[str, Any]], Gate]


@dataclass
class ToolSpec:
    """A registered tool: its schema for the model and how to run and gate it."""

    name: str
    description: str
    parameters: dict[str, Any]
    func: Callable[..., Any]
    risk: Risk = Risk.read
    gate: GateFn | None = None
    modes: frozenset[str] = frozenset({"desktop", "serve"})
    platforms: frozenset[str] | None = None  # sys.platform prefixes, None = everywhere

    @property
    def read_only(self) -> bool:
        return self.risk == Risk.read

    @property
    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.func)

    def schema(self) -> dict[str, Any]:
        """OpenAI-style function schema."""
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters},
        }

    def validate(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """Check arguments against the signature; ToolRetry with a readable reason when wrong."""
        hints = _param_hints(self.func)
        unknown = set(arguments) - set(hints)
        if unknown:
            raise ToolRetry(f"unknown argument(s) for {self.name}: {', '.join(sorted(unknown))}")
        clean = {}
        for pname, param in _params(self.func):
            if pname in arguments:
                try:
                    clean[pname] = TypeAdapter(hints[pname]).validate_python(arguments[pname])
                except Exception as exc:
                    raise ToolRetry(f"argument {pname!r} of {self.name} is invalid: {exc}") from exc
            elif param.default is inspect.Parameter.empty:
                raise ToolRetry(f"missing required argument {pname!r} for {self.name}")
        return clean


def _params(func: Callable[..., Any]) -> list[tuple[str, inspect.Parameter]]:
    params = list(inspect.signature(func).parameters.items())
    return [(n, p) for n, p in params if n != "ctx"]


def _param_hints(func: Callable[..., Any]) -> dict[str, Any]:
    hints = get_type_hints(func)
    return {n: hints.get(n, Any) for n, _ in _params(func)}


def _docstring_parts(func: Callable[..., Any]) -> tuple[str, dict[str, str]]:
    """Description and per-parameter notes from a docstring with `name: text` lines under Args."""
    doc = inspect.getdoc(func) or ""
    head, _, args = doc.partition("\nArgs:\n")
    notes: dict[str, str] = {}
    for line in args.splitlines():
        name, sep, text = line.strip().partition(":")
        if sep and name.isidentifier():
            notes[name] = text.strip()
    return head.strip(), notes


def inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """Replace `$ref`s with their definitions and drop titles: several providers reject `$defs`."""
    if isinstance(node, dict):
        if "$ref" in node:
            return inline_refs(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
        out = {k: inline_refs(v, defs) for k, v in node.items() if k not in ("title", "$defs", "properties")}
        if "properties" in node:  # property names are data, even one called "title"
            out["properties"] = {k: inline_refs(v, defs) for k, v in node["properties"].items()}
        return out
    if isinstance(node, list):
        return [inline_refs(v, defs) for v in node]
    return node


def schema_for(func: Callable[..., Any]) -> tuple[str, dict[str, Any]]:
    """Description and JSON schema of a tool function's parameters (ctx excluded)."""
    description, notes = _docstring_parts(func)
    hints = _param_hints(func)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for pname, param in _params(func):
        raw = TypeAdapter(hints[pname]).json_schema()
        prop = inline_refs(raw, raw.get("$defs", {}))
        if pname in notes:
            prop["description"] = notes[pname]
        if param.default is inspect.Parameter.empty:
            required.append(pname)
        elif param.default is not None:
            prop["default"] = param.default
        properties[pname] = prop
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return description, schema


def tool(
    func: Callable[..., Any] | None = None,
    *,
    risk: Risk = Risk.read,
    name: str | None = None,
    gate: GateFn | None = None,
    modes: Iterable[str] = ("desktop", "serve"),
    platforms: Iterable[str] | None = None,
) -> Any:
    """Decorator turning a function into a ToolSpec (usable bare or with options)."""

    def wrap(f: Callable[..., Any]) -> ToolSpec:
        description, parameters = schema_for(f)
        return ToolSpec(
            name=name or f.__name__,
            description=description,
            parameters=parameters,
            func=f,
            risk=risk,
            gate=gate,
            modes=frozenset(modes),
            platforms=frozenset(platforms) if platforms else None,
        )

    return wrap(func) if func is not None else wrap


class ToolRegistry:
    """The tools offered to the model, by name."""

    def __init__(self, specs: Iterable[ToolSpec] = ()) -> None:
        self._specs: dict[str, ToolSpec] = {}
        for spec in specs:
            self.register(spec)

    def register(self, spec: ToolSpec) -> None:
        if spec.name in self._specs:
            raise ValueError(f"tool {spec.name} registered twice")
        self._specs[spec.name] = spec

    def get(self, name: str) -> ToolSpec | None:
        return self._specs.get(name)

    def names(self) -> list[str]:
        return list(self._specs)

    def available(self, mode: str, platform: str) -> list[ToolSpec]:
        """Tools usable in this mode on this OS."""
        return [
            s
            for s in self._specs.values()
            if mode in s.modes and (s.platforms is None or any(platform.startswith(p) for p in s.platforms))
        ]
