"""The composition root: builds the parts from Settings and wires them together."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from xiaodazi.attachments import expand_content
from xiaodazi.chat import ChatService
from xiaodazi.config import Settings
from xiaodazi.core.agent import Agent, AgentConfig
from xiaodazi.core.desktop_bridge import DesktopBridge
from xiaodazi.core.hooks import Completer, TurnHook
from xiaodazi.core.model import ModelError
from xiaodazi.core.runs import RunManager
from xiaodazi.core.tools import ToolRegistry
from xiaodazi.mcp import McpManager, McpToolHook, build_mcp
from xiaodazi.memory import MemoryHook, MemoryService
from xiaodazi.providers.manager import ProviderManager
from xiaodazi.providers.secrets import SecretStore
from xiaodazi.skills import SkillLibrary, SkillsHook, build_skill_library
from xiaodazi.storage.memory_store import SqlMemoryRepository
from xiaodazi.storage.recorder import StoreRecorder
from xiaodazi.storage.repo import Store
from xiaodazi.tools import build_registry, build_tool_services
from xiaodazi.tools.groups import ToolGroupsHook

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a request handler or the CLI may need, created once per process."""

    settings: Settings
    store: Store
    secrets: SecretStore
    providers: ProviderManager
    runs: RunManager
    agent: Agent
    registry: ToolRegistry
    chat: ChatService
    tool_services: dict[str, Any] = field(default_factory=dict)
    desktop: DesktopBridge = field(default_factory=DesktopBridge)
    hooks: list[TurnHook] = field(default_factory=list)
    skills: SkillLibrary | None = None  # SKILL.md files are parsed lazily on first use
    mcp: McpManager | None = None  # MCP servers start lazily on first tool listing or call
    memory: MemoryService | None = None  # mirrored to <data dir>/MEMORY.md

    async def aclose(self) -> None:
        """Stop running tasks (they save what they have), then close the database."""
        await self.runs.shutdown()
        if self.mcp is not None:
            await self.mcp.aclose()
        self.close()

    def close(self) -> None:
        self.store.close()


def agent_config(settings: Settings) -> AgentConfig:
    return AgentConfig(max_steps=settings.max_steps, backoff=settings.retry_backoff,
                       approval_timeout=settings.approval_timeout)


def build_memory(settings: Settings, store: Store) -> MemoryService:
    """Memory in the app database (sharing its write lock), mirrored to <data dir>/MEMORY.md."""
    repo = SqlMemoryRepository(store)
    memory = MemoryService(repo, settings.data_dir / "MEMORY.md", settings.backup_dir / "memory")
    memory.warm_up()
    return memory


def model_completer(providers: ProviderManager) -> Completer:
    """A Completer over the current default model, for background work such as memory extraction."""

    async def complete(messages: list[dict[str, Any]], *, json_schema: dict[str, Any] | None = None) -> str:
        model = providers.get_model()
        if model.info.offline_demo:  # a 135M model only makes up memories; keep its one slot for chat
            raise ModelError("background work is skipped with the offline demo model", "offline_demo")
        return await model.complete(messages, json_schema=json_schema)

    return complete


def build_services(settings: Settings) -> Services:
    """Create folders, open and migrate the database, and wire the parts."""
    settings.ensure_dirs()
    store = Store.open(settings.database_url, settings.backup_dir)
    secrets = SecretStore(settings.data_dir, master=settings.secret_key or None)
    providers = ProviderManager(settings, store, secrets)
    hooks: list[TurnHook] = [ToolGroupsHook()]
    tool_services: dict[str, Any] = build_tool_services(settings)  # "policy", "journal"
    skills = build_skill_library(settings)
    hooks.append(SkillsHook(skills))
    tool_services["skills"] = skills
    mcp = build_mcp(settings, secrets)
    hooks.append(McpToolHook(mcp))
    tool_services["mcp"] = mcp
    memory = build_memory(settings, store)
    hooks.append(MemoryHook(memory, model_completer(providers)))
    tool_services["memory"] = memory
    registry = build_registry()
    runs = RunManager()
    expand = partial(expand_content, settings.workspace)
    agent = Agent(StoreRecorder(store, expand), hooks, agent_config(settings))
    chat = ChatService(settings, store, providers, runs, agent, registry, tool_services)
    return Services(settings=settings, store=store, secrets=secrets, providers=providers, runs=runs,
                    agent=agent, registry=registry, chat=chat, tool_services=tool_services, hooks=hooks, skills=skills, mcp=mcp,
                    memory=memory)
