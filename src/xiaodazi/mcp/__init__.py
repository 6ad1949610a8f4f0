"""MCP client: any Model Context Protocol server becomes tools for the agent, under the same approvals.

Built on the official `mcp` SDK, imported lazily (it costs ~0.5 s) when a server first starts.
"""

from xiaodazi.mcp.manager import McpManager, build_mcp
from xiaodazi.mcp.secrets import MemorySecretStore, SecretStore
from xiaodazi.mcp.selection import McpToolHook
from xiaodazi.mcp.tools import McpToolSpec

__all__ = ["McpManager", "McpToolHook", "McpToolSpec", "MemorySecretStore", "SecretStore", "build_mcp"]
