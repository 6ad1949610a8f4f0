"""McpManager: every configured MCP server, started lazily, with status, tools and calls."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xiaodazi.core.errors import NotFound
from xiaodazi.mcp.client import ServerRunner
from xiaodazi.mcp.config import McpFile, ServerDef, move_secrets, parse_server
from xiaodazi.mcp.secrets import MemorySecretStore, SecretStore
from xiaodazi.mcp.tools import SEPARATOR, Approvals, McpToolSpec, build_spec

if TYPE_CHECKING:
    from mcp.types import CallToolResult

    from xiaodazi.config import Settings

log = logging.getLogger(__name__)

STDIO_OFF = ("本服务器已关闭 stdio 类 MCP 服务器 / stdio MCP servers are turned off here "
             "(XIAODAZI_MCP_STDIO=false)")


class McpManager:
    """Owns the server runners; reads mcp.json again whenever the file changes."""

    def __init__(
        self, data_dir: Path, log_dir: Path, *, secrets: SecretStore | None = None, allow_stdio: bool = True,
        call_timeout: float = 60.0, start_timeout: float = 30.0, backoff: float = 1.0,
    ) -> None:
        self.file = McpFile(data_dir / "mcp.json")
        self.approvals = Approvals(data_dir / "mcp_approvals.json")
        self.secrets: SecretStore = secrets if secrets is not None else MemorySecretStore()
        self.log_dir, self.allow_stdio = log_dir, allow_stdio
        self.call_timeout, self.start_timeout, self.backoff = call_timeout, start_timeout, backoff
        self._runners: dict[str, ServerRunner] = {}
        self._invalid: dict[str, str] = {}
        self._specs: dict[str, McpToolSpec] = {}
        self._mtime: float | None = None
        self.config_error: str | None = None
        self._refreshing = asyncio.Lock()

    # -- configuration -------------------------------------------------------------------------

    async def refresh(self) -> None:
        """Apply mcp.json when it changed on disk (hand edits work without a restart)."""
        if self.file.mtime() == self._mtime:
            return
        async with self._refreshing:  # a turn and the settings page may both notice the change
            await self._reload()

    async def _reload(self) -> None:
        mtime = self.file.mtime()
        if mtime == self._mtime:
            return
        self._mtime = mtime
        try:
            servers, self._invalid = self.file.load()
            self.config_error = None
        except Exception as exc:  # a broken file is reported, the servers already running stay
            self.config_error = getattr(exc, "message", str(exc))
            return
        for name in [n for n in self._runners if n not in servers]:
            await self._drop(name)
        for name, server in servers.items():
            await self._apply(name, server)

    async def _apply(self, name: str, server: ServerDef) -> ServerRunner:
        """Keep the runner when its definition is unchanged, else replace it (stopped)."""
        old = self._runners.get(name)
        if old is not None and old.server == server:
            return old
        if old is not None:
            await self._drop(name)
        runner = ServerRunner(
            name, server, secrets=self.secrets, log_dir=self.log_dir, start_timeout=self.start_timeout,
            backoff=self.backoff, on_change=self._on_change,
        )
        if server.disabled:
            runner.disable()
        elif server.transport == "stdio" and not self.allow_stdio:
            runner.disable(STDIO_OFF)
        self._runners[name] = runner
        return runner

    async def _drop(self, name: str) -> None:
        runner = self._runners.pop(name, None)
        if runner is not None:
            await runner.stop()
        self._forget_specs(name)

    async def put(self, name: str, raw: Any) -> dict[str, Any]:
        """Add or replace a server from its definition; secrets go to the store; starts it when enabled."""
        server = move_secrets(name, parse_server(name, raw), self.secrets)
        old = self._runners.get(name)
        if old is not None:
            self._delete_secrets(old.server.secret_names() - server.secret_names())
        self.file.write_server(name, server)
        self._mtime = self.file.mtime()
        self._invalid.pop(name, None)
        runner = await self._apply(name, server)
        if runner.status in ("stopped", "failed"):  # same definition saved again after a failure: retry
            return await self.restart(name)
        return self.status(name)

    async def delete(self, name: str) -> None:
        """Stop and remove a server, its stored secrets and its "always allow" choices."""
        await self.refresh()
        if name not in self._runners and name not in self._invalid:
            raise NotFound(f"no MCP server named {name}")
        runner = self._runners.get(name)
        if runner is not None:
            self._delete_secrets(runner.server.secret_names())
        await self._drop(name)
        self._invalid.pop(name, None)
        self.file.write_server(name, None)
        self._mtime = self.file.mtime()
        self.approvals.forget_server(name)

    def _delete_secrets(self, names: set[str]) -> None:
        for secret in names:
            if secret.startswith("mcp."):  # only secrets this module created; others may be shared
                self.secrets.delete(secret)

    # -- running -------------------------------------------------------------------------------

    async def runner(self, name: str) -> ServerRunner:
        """The runner of a configured server; NotFound otherwise."""
        await self.refresh()
        if name not in self._runners:
            raise NotFound(f"no MCP server named {name}")
        return self._runners[name]

    async def restart(self, name: str) -> dict[str, Any]:
        """Stop and start one server (also after it gave up), then report its status."""
        runner = await self.runner(name)
        if runner.status == "disabled":
            return self.status(name)
        await runner.stop()
        runner.restarts = 0
        runner.start()
        await runner.wait_settled()
        return self.status(name)

    async def tools(self, wait: float | None = None) -> list[McpToolSpec]:
        """Tools of every ready server, starting enabled servers lazily (bounded wait)."""
        await self.refresh()
        pending = [r for r in self._runners.values() if r.status in ("stopped", "starting")]
        for runner in pending:
            if runner.status == "stopped":
                runner.start()
        if pending:
            await asyncio.gather(*(r.wait_settled(wait) for r in pending))
        return list(self._specs.values())

    async def server_tools(self, name: str) -> list[McpToolSpec]:
        """Tools of one server, starting it if needed."""
        runner = await self.runner(name)
        if runner.status in ("stopped", "starting"):
            runner.start()
            await runner.wait_settled()
        return [s for s in self._specs.values() if s.server == name]

    def unavailable(self) -> dict[str, str]:
        """Servers that should run but do not, with the reason (the model may tell the user)."""
        return {n: r.error or "failed" for n, r in self._runners.items() if r.status == "failed"}

    def spec(self, name: str) -> McpToolSpec | None:
        """The current spec of a namespaced tool, or None when its server no longer offers it."""
        return self._specs.get(name)

    async def call(self, server: str, tool: str, arguments: dict[str, Any]) -> CallToolResult:
        """Call a tool on a server with that server's timeout."""
        runner = self._runners.get(server)
        if runner is None:
            raise NotFound(f"no MCP server named {server}")
        timeout = runner.server.timeout or self.call_timeout
        return await runner.call(tool, arguments, timeout)

    def _on_change(self, name: str) -> None:
        runner = self._runners.get(name)
        self._forget_specs(name)
        if runner is None or runner.status != "ready":
            return
        for tool in runner.tools:
            spec = build_spec(name, runner.server.transport, tool, self.call, None)
            spec.gate = self.approvals.gate_for(spec.name, self.spec)
            self._specs[spec.name] = spec

    def _forget_specs(self, server: str) -> None:
        for key in [k for k in self._specs if k.startswith(server + SEPARATOR)]:
            del self._specs[key]

    # -- status --------------------------------------------------------------------------------

    async def statuses(self) -> list[dict[str, Any]]:
        """Every configured server with its status, including invalid entries."""
        await self.refresh()
        items = [self.status(name) for name in self._runners]
        items += [{"name": n, "transport": None, "status": "failed", "error": e, "tools": None, "stderr": [],
                   "restarts": 0, "last_crash": None, "definition": None, "changed_tools": []}
                  for n, e in self._invalid.items()]
        return sorted(items, key=lambda s: s["name"])

    def status(self, name: str) -> dict[str, Any]:
        """What the settings page shows for one server."""
        r = self._runners[name]
        specs = [s for s in self._specs.values() if s.server == name]
        return {
            "name": name, "transport": r.server.transport, "status": r.status, "error": r.error,
            "tools": len(r.tools) if r.status == "ready" else None, "stderr": r.stderr,
            "restarts": r.restarts, "last_crash": r.last_crash, "definition": r.server.to_json(),
            "changed_tools": [s.name for s in specs if self.approvals.state(s) == "changed"],
        }

    async def aclose(self) -> None:
        """Stop every server (app shutdown)."""
        await asyncio.gather(*(r.stop() for r in self._runners.values()), return_exceptions=True)

    def close(self) -> None:
        """Synchronous close for callers without a loop: nothing was started there."""
        for runner in self._runners.values():
            runner.request_stop()


def build_mcp(settings: Settings, secrets: SecretStore | None = None) -> McpManager:
    """The manager for this app, configured from Settings."""
    return McpManager(
        settings.data_dir, settings.log_dir, secrets=secrets,
        allow_stdio=getattr(settings, "mcp_stdio", True), call_timeout=getattr(settings, "mcp_timeout", 60.0),
    )
