"""Starting a turn: save the user's message, pick the model and tools, run the agent on the server."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import Any

from xiaodazi.attachments import describe
from xiaodazi.config import Settings
from xiaodazi.core.agent import Agent, Turn
from xiaodazi.core.errors import Conflict, InvalidInput
from xiaodazi.core.prompts import TITLE, system_prompt
from xiaodazi.core.runs import Run, RunManager
from xiaodazi.core.tools import ToolContext, ToolRegistry
from xiaodazi.providers.manager import ProviderManager
from xiaodazi.storage.repo import Store
from xiaodazi.tools.groups import OPTIONAL_TOOLS

log = logging.getLogger(__name__)


class ChatService:
    """The one way a user message becomes a run."""

    def __init__(self, settings: Settings, store: Store, providers: ProviderManager, runs: RunManager,
                 agent: Agent, registry: ToolRegistry, tool_services: dict[str, Any]) -> None:
        self.settings = settings
        self.store = store
        self.providers = providers
        self.runs = runs
        self.agent = agent
        self.registry = registry
        self.tool_services = tool_services

    async def send(self, conversation_id: str, content: str, model: str | None = None,
                   attachments: list[str] | None = None) -> Run:
        """Save the message and start answering it; the run continues if the client goes away."""
        if not content.strip():
            raise InvalidInput("the message is empty")
        if self.runs.active(conversation_id):
            raise Conflict("a task is already running in this conversation; stop it or wait")
        # database reads, key lookups and attachment files: one hop off the event loop
        turn, needs_title = await asyncio.to_thread(self._prepare, conversation_id, content, model, attachments)
        return self.runs.start(conversation_id, lambda run: self._work(run, turn, needs_title))

    def _prepare(self, conversation_id: str, content: str, model: str | None,
                 attachments: list[str] | None) -> tuple[Turn, bool]:
        """Resolve the model and tools, check attachments, then save the user's message."""
        conv = self.store.get_conversation(conversation_id)
        turn = self._turn(conversation_id, content, model or conv.model)
        extra = None
        if attachments:
            info = turn.model.info
            extra = {"attachments": describe(self.settings.workspace, attachments, info.supports_vision, info.name)}
        turn.user_message_id = self.store.add_message(conversation_id, "user", content, extra=extra).id
        return turn, not conv.title and not turn.model.info.offline_demo

    def _turn(self, conversation_id: str, content: str, model_name: str | None) -> Turn:
        model = self.providers.get_model(model_name)
        fallback_name = self.providers.fallback_model_name()
        fallback = self.providers.get_model(fallback_name) if fallback_name and fallback_name != model.info.name else None
        tools = self.registry.available(self.settings.mode, sys.platform) if model.info.supports_tools else []
        optional = {t.name: t for t in tools if t.name in OPTIONAL_TOOLS}
        tools = [t for t in tools if t.name not in optional]
        granted = [Path(p) for p in self.store.get_setting("granted_folders", []) or []]
        return Turn(conversation_id=conversation_id, user_text=content, model=model, fallback=fallback,
                    system_prompt=system_prompt(str(self.settings.workspace), self.settings.mode), tools=tools,
                    make_context=lambda run: self._context(conversation_id, run, granted), optional_tools=optional)

    def _context(self, conversation_id: str, run: Run, granted: list[Path]) -> ToolContext:
        return ToolContext(
            workspace=self.settings.workspace, data_dir=self.settings.data_dir,
            allowed_dirs=granted, mode=self.settings.mode,
            conversation_id=conversation_id, run_id=run.id,
            services={**self.tool_services, "run": run}, emit=run.emit,
        )

    async def _work(self, run: Run, turn: Turn, needs_title: bool) -> None:
        await self.agent.run(run, turn)
        if needs_title:
            self.agent.spawn(self._title(turn), "title")

    async def _title(self, turn: Turn) -> None:
        """A short title made after the first answer, off the critical path."""
        messages = [{"role": "system", "content": TITLE}, {"role": "user", "content": turn.user_text[:2000]}]
        title = (await turn.model.complete(messages)).strip().strip("\"'“”《》").splitlines()[0][:60]
        conv = await asyncio.to_thread(self.store.get_conversation, turn.conversation_id)
        if title and not conv.title:
            await asyncio.to_thread(self.store.update_conversation, turn.conversation_id, title=title)
