"""mcp.json: server definitions in the shape other MCP clients use, so users can paste theirs.

    {"mcpServers": {"time": {"command": "uvx", "args": ["mcp-server-time"], "env": {}},
                    "remote": {"url": "https://host/mcp", "headers": {"Authorization": "${secret:x}"}}}}
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from xiaodazi.core.errors import InvalidInput
from xiaodazi.mcp.secrets import SecretStore, is_ref, is_secret_env, referenced, resolve

NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_HTTP_TYPES = {"http", "streamable-http", "streamable_http", "streamableHttp"}


class ServerDef(BaseModel):
    """One entry of mcpServers: a stdio command or a streamable-HTTP URL."""

    model_config = ConfigDict(extra="allow")  # keys other clients add survive a round trip

    command: str | None = None
    args: list[str] = []
    env: dict[str, str] = {}
    cwd: str | None = None
    url: str | None = None
    headers: dict[str, str] = {}
    type: str | None = None
    disabled: bool = False
    timeout: float | None = None  # seconds per tool call; the app default when absent

    @field_validator("timeout")
    @classmethod
    def _positive(cls, value: float | None) -> float | None:
        if value is not None and value <= 0:
            raise ValueError("timeout must be a positive number of seconds")
        return value

    @model_validator(mode="after")
    def _one_transport(self) -> ServerDef:
        if bool(self.command) == bool(self.url):
            raise ValueError("give either `command` (stdio) or `url` (streamable HTTP), not both or neither")
        if self.type == "sse":
            raise ValueError("the SSE transport is not supported; use the server's streamable HTTP URL")
        if self.type and self.type != "stdio" and self.type not in _HTTP_TYPES:
            raise ValueError(f"unknown transport type {self.type!r}")
        if self.url and not self.url.startswith(("http://", "https://")):
            raise ValueError("url must start with http:// or https://")
        return self

    @property
    def transport(self) -> Literal["stdio", "http"]:
        return "stdio" if self.command else "http"

    def to_json(self) -> dict[str, Any]:
        """The entry as written to mcp.json (defaults left out)."""
        return self.model_dump(exclude_none=True, exclude_defaults=True)

    def secret_names(self) -> set[str]:
        """Secrets this definition refers to."""
        return referenced(self.env) | referenced(self.headers)

    def resolved_env(self, store: SecretStore) -> dict[str, str]:
        return {k: resolve(v, store) for k, v in self.env.items()}

    def resolved_headers(self, store: SecretStore) -> dict[str, str]:
        return {k: resolve(v, store) for k, v in self.headers.items()}


def check_name(name: str) -> str:
    """A server name usable as a tool-name prefix; InvalidInput otherwise."""
    if not NAME.match(name) or "__" in name:
        raise InvalidInput(
            f"服务器名称无效 / invalid server name {name!r}: use 1-32 letters, digits, '-' or '_' (no '__')"
        )
    return name


def parse_server(name: str, raw: Any) -> ServerDef:
    """Validate one definition; InvalidInput with a readable reason."""
    check_name(name)
    try:
        return ServerDef.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or name
        raise InvalidInput(f"MCP 服务器 {name} 的定义无效 / invalid definition of {name}: {where}: {first['msg']}") from exc


def move_secrets(name: str, server: ServerDef, store: SecretStore) -> ServerDef:
    """Put credential-looking env values and all header values in the store, leaving references."""
    env = {k: _stash(store, f"mcp.{name}.env.{k}", v) if is_secret_env(k) else v for k, v in server.env.items()}
    headers = {k: _stash(store, f"mcp.{name}.header.{k}", v) for k, v in server.headers.items()}
    return server.model_copy(update={"env": env, "headers": headers})


def _stash(store: SecretStore, key: str, value: str) -> str:
    if is_ref(value):
        return value
    store.set(key, value)
    return "${secret:" + key + "}"


class McpFile:
    """Reads and writes mcp.json, keeping top-level keys it does not know."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def mtime(self) -> float:
        try:
            return self.path.stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    def read_raw(self) -> dict[str, Any]:
        """The whole document; InvalidInput when it is not a JSON object."""
        if not self.path.exists():
            return {"mcpServers": {}}
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{self.path} 不是有效的 JSON / is not valid JSON: {exc}") from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("mcpServers", {}), dict):
            raise InvalidInput(f'{self.path}: expected {{"mcpServers": {{...}}}}')
        doc.setdefault("mcpServers", {})
        return doc

    def load(self) -> tuple[dict[str, ServerDef], dict[str, str]]:
        """Valid definitions by name, and a reason for each invalid one."""
        servers: dict[str, ServerDef] = {}
        errors: dict[str, str] = {}
        for name, raw in self.read_raw()["mcpServers"].items():
            try:
                servers[name] = parse_server(name, raw)
            except InvalidInput as exc:
                errors[name] = exc.message
        return servers, errors

    def write_server(self, name: str, server: ServerDef | None) -> None:
        """Add, replace or (with None) remove one entry, atomically and user-only."""
        doc = self.read_raw()
        if server is None:
            doc["mcpServers"].pop(name, None)
        else:
            doc["mcpServers"][name] = server.to_json()
        write_json(self.path, doc)


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (a crash leaves the old file), readable by this user only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if os.name == "posix":
        os.chmod(tmp, 0o600)
    os.replace(tmp, path)
