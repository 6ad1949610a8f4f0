"""MCP tools as xiaodazi ToolSpecs: namespaced names, JSON-schema validation, results, approvals."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xiaodazi.core.tools import (
    Gate,
    Risk,
    ToolContext,
    ToolFailed,
    ToolOutput,
    ToolRetry,
    ToolSpec,
    Verdict,
    inline_refs,  # shared with built-in tool schemas
)
from xiaodazi.mcp.config import write_json

if TYPE_CHECKING:
    from mcp.types import CallToolResult, Tool

SEPARATOR = "__"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp",
        "image/svg+xml": "svg", "audio/wav": "wav", "audio/mpeg": "mp3", "application/pdf": "pdf"}

Caller = Callable[[str, str, dict[str, Any]], Awaitable["CallToolResult"]]


def tool_name(server: str, remote: str) -> str:
    """`server__tool`, cut to the 64 characters model APIs accept."""
    return f"{server}{SEPARATOR}{_UNSAFE.sub('_', remote)}"[:64]


def fingerprint(tool: Tool) -> str:
    """A short hash of what the user approved: the description and the input schema."""
    body = json.dumps({"d": tool.description or "", "s": tool.inputSchema}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()[:16]


@dataclass
class McpToolSpec(ToolSpec):
    """A tool served by an MCP server: arguments are checked against the server's JSON schema."""

    server: str = ""
    remote_name: str = ""
    fingerprint: str = ""
    _validator: Any = field(default=None, repr=False, compare=False)

    def validate(self, arguments: dict[str, Any]) -> dict[str, Any]:
        """Check arguments against the server's schema; ToolRetry with the first problem."""
        validator = self._schema_validator()
        if validator is None:
            return dict(arguments)
        error = next(iter(sorted(validator.iter_errors(arguments), key=lambda e: list(e.path))), None)
        if error is not None:
            where = "/".join(str(p) for p in error.path) or "arguments"
            raise ToolRetry(f"invalid arguments for {self.name}: {where}: {error.message}")
        return dict(arguments)

    def _schema_validator(self) -> Any:
        if self._validator is None:
            from jsonschema import Draft202012Validator, SchemaError
            from jsonschema.validators import validator_for

            try:
                cls = validator_for(self.parameters, default=Draft202012Validator)
                cls.check_schema(self.parameters)
                self._validator = cls(self.parameters)
            except SchemaError:
                self._validator = False  # a broken schema: let the server judge the arguments
        return self._validator or None


def build_spec(server: str, transport: str, tool: Tool, caller: Caller, gate: Any) -> McpToolSpec:
    """The ToolSpec the model sees for one server tool."""
    remote = tool.name

    async def run(ctx: ToolContext, **arguments: Any) -> ToolOutput:
        result = await caller(server, remote, arguments)
        return to_output(result, ctx.workspace, server, remote)

    parameters = model_schema(dict(tool.inputSchema or {}))
    parameters.setdefault("type", "object")
    parameters.setdefault("properties", {})
    return McpToolSpec(
        name=tool_name(server, remote),
        description=(tool.description or tool.title or remote).strip(),
        parameters=parameters,
        func=run,
        risk=Risk.execute if transport == "stdio" else Risk.network,
        gate=gate,
        server=server,
        remote_name=remote,
        fingerprint=fingerprint(tool),
    )


def model_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The input schema as offered to the model: `$defs` inlined as for built-in tools."""
    defs = schema.get("$defs")
    if not defs:
        return schema
    try:
        return inline_refs(schema, defs)
    except (RecursionError, KeyError, AttributeError):  # recursive or foreign refs: pass it through
        return schema


def to_output(result: CallToolResult, workspace: Path, server: str, tool: str) -> ToolOutput:
    """Text, saved images/files and resources of a result; ToolFailed when the tool reported an error."""
    texts: list[str] = []
    artifacts: list[str] = []
    for block in result.content:
        kind = getattr(block, "type", "")
        if kind == "text":
            texts.append(block.text)
        elif kind in ("image", "audio"):
            artifacts.append(_save(workspace, server, tool, base64.b64decode(block.data), block.mimeType))
            texts.append(f"[{kind}: {artifacts[-1]}]")
        elif kind == "resource":
            texts.append(_resource_text(block.resource, workspace, server, tool, artifacts))
        elif kind == "resource_link":
            texts.append(f"[resource {block.name}: {block.uri}]")
    text = "\n".join(texts)
    if result.isError:
        raise ToolFailed(text or f"the MCP tool {tool} reported an error")
    if not text and result.structuredContent is not None:
        text = json.dumps(result.structuredContent, ensure_ascii=False)
    return ToolOutput(text=text, artifacts=artifacts, data=result.structuredContent, untrusted=True)


def _resource_text(resource: Any, workspace: Path, server: str, tool: str, artifacts: list[str]) -> str:
    text = getattr(resource, "text", None)
    if text is not None:
        return f"[resource {resource.uri}]\n{text}"
    artifacts.append(_save(workspace, server, tool, base64.b64decode(resource.blob), resource.mimeType or ""))
    return f"[resource {resource.uri}: {artifacts[-1]}]"


def _save(workspace: Path, server: str, tool: str, data: bytes, mime: str) -> str:
    """Write a binary result under workspace/mcp/<server>/; its workspace-relative path."""
    folder = workspace / "mcp" / server
    folder.mkdir(parents=True, exist_ok=True)
    ext = _EXT.get(mime, mime.rpartition("/")[2] if "/" in mime else "bin")
    path = folder / f"{_UNSAFE.sub('_', tool)}-{uuid.uuid4().hex[:8]}.{_UNSAFE.sub('', ext) or 'bin'}"
    path.write_bytes(data)
    return path.relative_to(workspace).as_posix()


class Approvals:
    """"Always allow" choices for MCP tools, tied to the definition the user saw (mcp_approvals.json)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, Any]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def get(self, name: str) -> dict[str, Any] | None:
        return self._read().get(name)

    def approve(self, spec: McpToolSpec) -> None:
        """Remember that this exact definition of the tool may run without asking."""
        data = self._read()
        data[spec.name] = {"fingerprint": spec.fingerprint, "description": spec.description,
                           "parameters": spec.parameters}
        write_json(self.path, data)

    def forget_server(self, server: str) -> None:
        """Drop the choices for every tool of a removed server."""
        data = {k: v for k, v in self._read().items() if not k.startswith(server + SEPARATOR)}
        write_json(self.path, data)

    def state(self, spec: McpToolSpec) -> str:
        """`approved`, `changed` (approved, then the definition changed) or `ask`."""
        saved = self.get(spec.name)
        if saved is None:
            return "ask"
        return "approved" if saved.get("fingerprint") == spec.fingerprint else "changed"

    def gate_for(
        self, name: str, lookup: Callable[[str], McpToolSpec | None]
    ) -> Callable[[ToolContext, dict[str, Any]], Gate]:
        """A gate that asks unless the tool's current definition was approved with "always allow"."""

        def gate(ctx: ToolContext, args: dict[str, Any]) -> Gate:
            return self.decide(lookup(name))

        return gate

    def decide(self, spec: McpToolSpec | None) -> Gate:
        """The gate's verdict for one spec."""
        if spec is None:
            return Gate(Verdict.deny, "this MCP tool is not available now: its server is not running "
                                      "or no longer offers it")
        rule = f"mcp:{spec.name}"
        state = self.state(spec)
        if state == "approved":
            return Gate(Verdict.allow, "you chose to always allow this MCP tool", rule=rule)
        reason = (f"MCP 服务器 {spec.server} 的工具 {spec.remote_name} 请求运行 / "
                  f"the MCP server {spec.server} wants to run its tool {spec.remote_name}")
        detail = None
        if state == "changed":
            reason = (f"工具 {spec.name} 的定义在你批准后已改变，请重新确认 / "
                      f"the definition of {spec.name} changed since you approved it: {self._what_changed(spec)}")
            detail = self._diff(spec)
        return Gate(Verdict.ask, reason, rule=rule, detail=detail, remember=lambda: self.approve(spec))

    def _what_changed(self, spec: McpToolSpec) -> str:
        saved = self.get(spec.name) or {}
        parts = [p for p, key in (("description", "description"), ("input schema", "parameters"))
                 if saved.get(key) != getattr(spec, key)]
        return " and ".join(parts) or "definition"

    def _diff(self, spec: McpToolSpec) -> str:
        import difflib

        saved = self.get(spec.name) or {}
        before = json.dumps({"description": saved.get("description"), "parameters": saved.get("parameters")},
                            indent=1, ensure_ascii=False, sort_keys=True).splitlines()
        after = json.dumps({"description": spec.description, "parameters": spec.parameters},
                           indent=1, ensure_ascii=False, sort_keys=True).splitlines()
        return "\n".join(difflib.unified_diff(before, after, "approved", "now", lineterm=""))

