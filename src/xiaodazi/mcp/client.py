"""One MCP server connection, supervised: start, watch, restart with backoff, stop.

Every connection lives in its own asyncio task because the SDK's transports are anyio context
managers that must be entered and left by the same task. Other tasks call tools through the
session object, which is safe across tasks on one event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xiaodazi.core.errors import XiaodaziError
from xiaodazi.core.tools import ToolFailed
from xiaodazi.mcp.config import ServerDef
from xiaodazi.mcp.secrets import SecretStore

if TYPE_CHECKING:
    from mcp import ClientSession
    from mcp.types import CallToolResult, Tool

log = logging.getLogger(__name__)

STABLE_AFTER = 30.0  # seconds ready before a crash counts as a fresh one (backoff starts over)
MAX_FAILURES = 6  # consecutive failed starts before giving up until the user restarts it
BACKOFF_CAP = 60.0


class ServerUnavailable(ToolFailed):
    """The server is not running (failed, restarting, disabled); the run goes on without it."""

    code = "mcp_unavailable"


class ToolTimeout(ToolFailed):
    """A tool did not answer within the per-call timeout."""

    code = "mcp_timeout"


def describe(exc: BaseException, server: ServerDef) -> str:
    """A readable reason for a failed start or call (the first leaf of an exception group)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    import httpx
    from mcp.shared.exceptions import McpError

    if isinstance(exc, XiaodaziError):
        return exc.message
    if isinstance(exc, FileNotFoundError):
        return f"command not found: {server.command}"
    if isinstance(exc, McpError):
        if exc.error.message == "Connection closed":
            return "the server closed the connection (the process exited)"
        return exc.error.message
    if isinstance(exc, httpx.HTTPStatusError):
        return f"the server answered HTTP {exc.response.status_code}"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect to {server.url}"
    if isinstance(exc, TimeoutError):
        return "no answer during start-up"
    return f"{type(exc).__name__}: {exc}".strip()


def stderr_tail(path: Path | None, lines: int = 20) -> list[str]:
    """The last lines the server wrote to stderr."""
    if path is None or not path.exists():
        return []
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 8192))
        text = fh.read().decode("utf-8", "replace")
    return [line for line in text.splitlines() if line.strip()][-lines:]


class ServerRunner:
    """Supervises one configured server; `status` is what the settings page shows."""

    def __init__(
        self, name: str, server: ServerDef, *, secrets: SecretStore, log_dir: Path,
        start_timeout: float = 30.0, backoff: float = 1.0, on_change: Callable[[str], None] | None = None,
    ) -> None:
        self.name, self.server, self.secrets = name, server, secrets
        self.start_timeout, self.backoff = start_timeout, backoff
        self.stderr_path = log_dir / f"mcp-{name}.log" if server.transport == "stdio" else None
        self.on_change = on_change
        self.status = "stopped"
        self.error: str | None = None
        self.stderr: list[str] = []
        self.tools: list[Tool] = []
        self.restarts = 0
        self.last_crash: dict[str, Any] | None = None
        self.next_retry: float | None = None
        self._session: ClientSession | None = None
        self._task: asyncio.Task[None] | None = None
        self._settled = asyncio.Event()
        self._stop = asyncio.Event()
        self._dead = asyncio.Event()
        self._relist: asyncio.Task[None] | None = None
        self._lost_reason: str | None = None  # why the current connection was lost, when known

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the supervisor unless it is already running."""
        if self._task is None or self._task.done():
            self._stop.clear()
            self._settled.clear()
            self._set("starting")
            self._task = asyncio.create_task(self._supervise(), name=f"mcp:{self.name}")

    async def wait_settled(self, timeout: float | None = None) -> None:
        """Wait until the server is ready or failed (bounded by the start timeout)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._settled.wait(), timeout or self.start_timeout + 5)

    async def stop(self) -> None:
        """Stop the server and its process; bounded even when the server misbehaves."""
        task, self._task = self._task, None
        self._stop.set()
        if task is not None and not task.done():
            try:
                await asyncio.wait_for(asyncio.shield(task), 10)
            except TimeoutError:
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
        self._session = None
        if self.status != "disabled":
            self._set("stopped")

    def disable(self, reason: str | None = None) -> None:
        """Mark the server as not to be started (disabled in mcp.json or stdio turned off)."""
        self._set("disabled", reason)

    def request_stop(self) -> None:
        """Ask the supervisor to stop without waiting (no event loop at hand)."""
        self._stop.set()

    def _set(self, status: str, error: str | None = None) -> None:
        self.status, self.error = status, error
        if status != "starting":
            self._settled.set()
        if self.on_change:
            self.on_change(self.name)

    # -- the supervisor loop -----------------------------------------------------------------

    async def _supervise(self) -> None:
        try:
            await self._restart_loop()
        except Exception as exc:  # a bug here must still settle the status, or callers wait for nothing
            log.exception("mcp server %s: supervisor failed", self.name)
            self._session = None
            self._set("failed", f"internal error: {type(exc).__name__}: {exc}")

    async def _restart_loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            began = time.monotonic()
            crashed = await self._connect_once()
            if self._stop.is_set() or not crashed:
                return
            failures = 1 if time.monotonic() - began > STABLE_AFTER else failures + 1
            if failures >= MAX_FAILURES:
                self._set("failed", f"{self.error}; gave up after {failures} attempts — press restart")
                return
            delay = min(self.backoff * 2 ** (failures - 1), BACKOFF_CAP)
            self.next_retry = time.time() + delay
            log.warning("mcp server %s failed (%s); restarting in %.1f s", self.name, self.error, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), delay)
            self.next_retry = None
            if not self._stop.is_set():
                self.restarts += 1
                self._settled.clear()
                self._set("starting")

    async def _connect_once(self) -> bool:
        """Run one connection until stop (False) or a crash or failed start (True)."""
        from mcp import ClientSession

        self._dead = asyncio.Event()
        self._lost_reason = None
        try:
            async with contextlib.AsyncExitStack() as stack:
                read, write = await self._open_transport(stack)
                session = await stack.enter_async_context(
                    ClientSession(read, write, message_handler=self._on_message)
                )
                async with asyncio.timeout(self.start_timeout):
                    await session.initialize()
                    self.tools = await _list_all_tools(session)
                self._session, self.stderr = session, []
                self._set("ready")
                await _first(self._stop.wait(), self._dead.wait())
                self._session = None
                if not self._stop.is_set():
                    lost = "the server process exited" if self.server.transport == "stdio" else "the connection was lost"
                    self._crashed(self._lost_reason or lost)
                    return True
                return False
        except Exception as exc:  # any start or transport failure is reported, never raised
            self._session = None
            if self._stop.is_set():
                return False
            self._crashed(describe(exc, self.server))
            return True

    def _crashed(self, reason: str) -> None:
        self.stderr = stderr_tail(self.stderr_path)
        if self.status == "ready":
            self.last_crash = {"at": time.time(), "reason": reason, "stderr": self.stderr}
        self._set("failed", reason)

    async def _open_transport(self, stack: contextlib.AsyncExitStack) -> tuple[Any, Any]:
        """Enter the SDK transport; the read side is relayed so a closed pipe marks a crash."""
        import anyio

        if self.server.transport == "stdio":
            read, write = await stack.enter_async_context(self._stdio(stack))
        else:
            read, write, _ = await stack.enter_async_context(self._http())
        relay_send, relay_recv = anyio.create_memory_object_stream[Any](0)
        group = await stack.enter_async_context(anyio.create_task_group())
        stack.callback(group.cancel_scope.cancel)
        group.start_soon(self._relay, read, relay_send)
        return relay_recv, write

    async def _on_message(self, message: Any) -> None:
        """The server says its tool list changed: list again (off the receive loop, which answers it)."""
        from mcp.types import ServerNotification, ToolListChangedNotification

        if isinstance(message, ServerNotification) and isinstance(message.root, ToolListChangedNotification):
            self._relist = asyncio.create_task(self._refresh_tools())

    async def _refresh_tools(self) -> None:
        session = self._session
        if session is None:
            return
        try:
            self.tools = await _list_all_tools(session)
            self._set("ready")  # rebuilds the specs: changed definitions then ask again
        except Exception as exc:  # the next call or crash check reports a real failure
            log.warning("mcp server %s: listing tools again failed: %s", self.name, exc)

    async def _relay(self, source: Any, sink: Any) -> None:
        try:
            async with sink:
                async for message in source:
                    if isinstance(message, Exception) and self.server.transport == "http":
                        # a failed POST: the SDK reports it here and the caller would wait forever
                        self._lost_reason = describe(message, self.server)
                        return
                    await sink.send(message)
        except Exception:  # the session went away first: nothing left to deliver to
            pass
        finally:
            self._dead.set()

    def _stdio(self, stack: contextlib.AsyncExitStack) -> Any:
        from mcp import StdioServerParameters
        from mcp.client.stdio import stdio_client

        params = StdioServerParameters(
            command=self.server.command or "", args=self.server.args,
            env=self.server.resolved_env(self.secrets) or None, cwd=self.server.cwd,
        )
        assert self.stderr_path is not None
        self.stderr_path.parent.mkdir(parents=True, exist_ok=True)
        errlog = stack.enter_context(self.stderr_path.open("w", encoding="utf-8"))
        return stdio_client(params, errlog=errlog)

    def _http(self) -> Any:
        import httpx
        from mcp.client.streamable_http import streamable_http_client

        client = httpx.AsyncClient(
            headers=self.server.resolved_headers(self.secrets),
            timeout=httpx.Timeout(30.0, read=300.0),
        )
        return _owned(client, streamable_http_client(self.server.url or "", http_client=client))

    # -- calls -------------------------------------------------------------------------------

    async def session(self) -> ClientSession:
        """The live session, starting the server lazily; ServerUnavailable when it cannot run."""
        if self.status == "disabled":
            raise ServerUnavailable(f"MCP 服务器 {self.name} 已停用 / MCP server {self.name} is disabled")
        if self.status in ("stopped", "starting") and (self._task is None or self._task.done()):
            self.start()
        if self.status == "starting":
            await self.wait_settled()
        if self._session is None:
            retry = f"; retrying in {max(0, self.next_retry - time.time()):.0f} s" if self.next_retry else ""
            raise ServerUnavailable(
                f"MCP 服务器 {self.name} 不可用 / MCP server {self.name} is not available: "
                f"{self.error or self.status}{retry}"
            )
        return self._session

    async def call(self, tool: str, arguments: dict[str, Any], timeout: float) -> CallToolResult:
        """Call one tool with a hard timeout; a lost connection fails the call at once."""
        session = await self.session()
        lost = self._dead  # this connection's event: set when its transport goes away
        call = asyncio.ensure_future(
            session.call_tool(tool, arguments, read_timeout_seconds=timedelta(seconds=timeout))
        )
        watch = asyncio.ensure_future(lost.wait())
        try:
            await asyncio.wait({call, watch}, timeout=timeout + 1, return_when=asyncio.FIRST_COMPLETED)
        finally:
            watch.cancel()
            if not call.done():
                call.cancel()
        if not call.done() or call.cancelled():
            if lost.is_set():
                raise ServerUnavailable(f"MCP server {self.name} stopped during the call; it is being restarted")
            raise self._timeout(tool, timeout)
        return self._result(call, tool, timeout)

    def _result(self, call: asyncio.Future[CallToolResult], tool: str, timeout: float) -> CallToolResult:
        from mcp.shared.exceptions import McpError

        exc = call.exception()
        if exc is None:
            return call.result()
        if isinstance(exc, McpError) and exc.error.code == 408:
            raise self._timeout(tool, timeout) from exc
        if isinstance(exc, McpError) and exc.error.message != "Connection closed":
            raise ToolFailed(f"MCP server {self.name}: {exc.error.message}") from exc
        self._dead.set()  # the transport failed: let the supervisor restart it
        raise ServerUnavailable(f"MCP server {self.name} failed during the call: {describe(exc, self.server)}") from exc

    def _timeout(self, tool: str, timeout: float) -> ToolTimeout:
        return ToolTimeout(
            f"工具 {tool} 在 {timeout:g} 秒内没有响应 / the tool {tool} on MCP server {self.name} "
            f"did not answer within {timeout:g} s"
        )


async def _list_all_tools(session: ClientSession) -> list[Tool]:
    """Every tool, following pagination cursors."""
    from mcp.types import PaginatedRequestParams

    tools, cursor = [], None
    while True:
        params = PaginatedRequestParams(cursor=cursor) if cursor else None
        page = await session.list_tools(params=params)
        tools.extend(page.tools)
        cursor = page.nextCursor
        if not cursor:
            return tools


async def _first(*aws: Any) -> None:
    """Wait until the first of these awaitables finishes; cancel the others."""
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for t in tasks:
            t.cancel()


@contextlib.asynccontextmanager
async def _owned(client: Any, transport: Any):
    """Close our httpx client after the transport that uses it."""
    async with client, transport as streams:
        yield streams
