"""MCP servers: list with status, add or replace, remove, restart, and the tools of one server."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request, status
from pydantic import BaseModel, Field

from xiaodazi.core.errors import ConfigError, InvalidInput
from xiaodazi.mcp import McpManager

router = APIRouter(prefix="/mcp", tags=["mcp"])


def get_mcp(request: Request) -> McpManager:
    manager = getattr(request.app.state.services, "mcp", None)
    if manager is None:
        raise ConfigError("the MCP client is not running")
    return manager


McpDep = Annotated[McpManager, Depends(get_mcp)]


class McpServerPublic(BaseModel):
    name: str
    transport: str | None
    status: str  # stopped | starting | ready | failed | disabled
    error: str | None = None
    tools: int | None = None
    stderr: list[str] = []
    restarts: int = 0
    last_crash: dict[str, Any] | None = None
    definition: dict[str, Any] | None = None  # as in mcp.json; secrets appear as ${secret:NAME}
    changed_tools: list[str] = []


class McpServersPublic(BaseModel):
    items: list[McpServerPublic]
    config_path: str
    config_error: str | None = None
    stdio_allowed: bool


class McpToolPublic(BaseModel):
    name: str  # as offered to the model: server__tool
    remote_name: str
    description: str
    parameters: dict[str, Any]
    approval: str  # ask | approved | changed


class McpToolsPublic(BaseModel):
    server: str
    status: str
    error: str | None = None
    items: list[McpToolPublic]


class McpSecret(BaseModel):
    value: str = Field(min_length=1, max_length=10_000)


class McpImport(BaseModel):
    mcpServers: dict[str, dict[str, Any]]


@router.get("/servers", response_model=McpServersPublic)
async def list_mcp_servers(mcp: McpDep):
    """Every configured server with its status (servers are not started by listing them)."""
    items = await mcp.statuses()
    return McpServersPublic(items=items, config_path=str(mcp.file.path), config_error=mcp.config_error,
                            stdio_allowed=mcp.allow_stdio)


@router.put("/servers/{name}", response_model=McpServerPublic)
async def put_mcp_server(mcp: McpDep, name: str, definition: Annotated[dict[str, Any], Body()]):
    """Add or replace a server (`command`/`args`/`env` or `url`/`headers`, optional `disabled`, `timeout`)."""
    return await mcp.put(name, definition)


@router.post("/import", response_model=McpServersPublic)
async def import_mcp_servers(mcp: McpDep, doc: McpImport):
    """Add every server of a pasted `{"mcpServers": {...}}` document."""
    if not doc.mcpServers:
        raise InvalidInput('nothing to import: expected {"mcpServers": {"name": {...}}}')
    for name, definition in doc.mcpServers.items():
        await mcp.put(name, definition)
    return await list_mcp_servers(mcp)


@router.delete("/servers/{name}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_mcp_server(mcp: McpDep, name: str) -> None:
    """Stop and remove a server with its stored secrets and approvals."""
    await mcp.delete(name)


@router.post("/servers/{name}/restart", response_model=McpServerPublic)
async def restart_mcp_server(mcp: McpDep, name: str):
    """Stop and start a server; answers once it is ready or failed."""
    return await mcp.restart(name)


@router.get("/servers/{name}/tools", response_model=McpToolsPublic)
async def list_mcp_server_tools(mcp: McpDep, name: str):
    """The tools of one server as the model sees them (starts the server if needed)."""
    specs = await mcp.server_tools(name)
    items = [McpToolPublic(name=s.name, remote_name=s.remote_name, description=s.description,
                           parameters=s.parameters, approval=mcp.approvals.state(s)) for s in specs]
    state = mcp.status(name)
    return McpToolsPublic(server=name, status=state["status"], error=state["error"], items=items)


@router.put("/secrets/{name}", status_code=status.HTTP_204_NO_CONTENT)
async def put_mcp_secret(mcp: McpDep, name: Annotated[str, Path(pattern=r"^[A-Za-z0-9_.\-]{1,100}$")],
                         secret: McpSecret) -> None:
    """Store a secret that mcp.json refers to as `${secret:NAME}` (never returned by the API)."""
    mcp.secrets.set(name, secret.value)
