"""The agent loop: one user message in; the model streams, calls tools, reads results, answers.

Every step is an event on the run and is saved as it happens, so a crash keeps what was said.
There is exactly one model call on the critical path per step: no intent classification first.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from xiaodazi.core import events
from xiaodazi.core.context import fit_window, repair_tool_pairs
from xiaodazi.core.errors import XiaodaziError
from xiaodazi.core.hooks import Contribution, TurnContext, TurnHook
from xiaodazi.core.model import Model, ModelError, ReasoningDelta, StepEnd, TextDelta, ToolCallRequest
from xiaodazi.core.runs import Run
from xiaodazi.core.toolexec import ToolRunner
from xiaodazi.core.tools import ToolContext, ToolSpec

log = logging.getLogger(__name__)

STEP_LIMIT_NOTE = (
    "[Step limit reached] Do not call any more tools. In the user's language, summarise what has been done, "
    "what is left, and what the user could do next."
)


class Recorder(Protocol):
    """Persistence of one conversation's messages, implemented over the database."""

    async def history(self, conversation_id: str) -> list[dict[str, Any]]: ...
    async def start_assistant(self, conversation_id: str, run_id: str, model: str) -> int: ...
    async def save_assistant(self, message_id: int, **fields: Any) -> None: ...
    async def add_tool_result(self, conversation_id: str, run_id: str, call_id: str, name: str,
                              content: str, ok: bool, artifacts: list[str]) -> int: ...


@dataclass
class AgentConfig:
    max_steps: int = 12
    retries: int = 2
    backoff: float = 1.0
    approval_timeout: float = 300.0
    result_limit: int = 20_000
    save_interval: float = 0.5
    hook_timeout: float = 2.0
    output_reserve: int = 4_000


@dataclass
class Turn:
    """What the loop needs to answer one user message."""

    conversation_id: str
    user_text: str
    model: Model
    fallback: Model | None
    system_prompt: str
    tools: list[ToolSpec]
    make_context: Callable[[Run], ToolContext]
    optional_tools: dict[str, ToolSpec] = field(default_factory=dict)  # offered only when a hook asks
    can_ask: bool = True
    user_message_id: int | None = None


@dataclass
class _Step:
    """The assistant message being streamed in the current step."""

    message_id: int
    model_name: str
    text: str = ""
    reasoning: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    last_save: float = field(default_factory=time.monotonic)


class Agent:
    """Runs turns against a model with tools, hooks and a recorder."""

    def __init__(self, recorder: Recorder, hooks: list[TurnHook] | None = None,
                 config: AgentConfig | None = None) -> None:
        self.recorder = recorder
        self.hooks = hooks or []
        self.config = config or AgentConfig()
        self.background: set[asyncio.Task] = set()

    async def run(self, run: Run, turn: Turn) -> None:
        """Answer `turn` on `run`; always ends the run with `done` or `error`."""
        step: _Step | None = None
        usage: dict[str, Any] = {}
        try:
            history = await self.recorder.history(turn.conversation_id)
            hook_turn = TurnContext(turn.conversation_id, run.id, turn.user_text, history[:-1],
                                    turn.user_message_id)
            extra = await self._before_hooks(run, hook_turn)
            wanted = [turn.optional_tools[n] for c in extra for n in c.tool_names if n in turn.optional_tools]
            tools = {t.name: t for t in [*turn.tools, *wanted, *(t for c in extra for t in c.tools)]}
            system = "\n\n".join([turn.system_prompt, *(c.system for c in extra if c.system)])
            runner = ToolRunner(tools, turn.make_context(run), run, self.config.approval_timeout,
                                self.config.result_limit, turn.can_ask)
            step = await self._new_step(run, turn, turn.model.info.name)
            # what hooks told the user (e.g. the memories used) stays with the answer for reloads
            step.extra = {name: data for c in extra for name, data in c.events}
            await run.emit(events.MESSAGE_START, {"message_id": step.message_id, "run_id": run.id,
                                                  "user_message_id": turn.user_message_id, "model": step.model_name})
            step = await self._loop(run, turn, system, history, runner, step, usage)
            await self._finish(run, step, usage, "cancelled" if run.cancel_requested else "complete")
            self._after_hooks(hook_turn, step.text)
        except asyncio.CancelledError:
            if step is not None:
                await self._finish(run, step, usage, "cancelled")
            raise
        except ModelError as exc:
            await self._fail(run, step, exc.kind, exc.message)
        except XiaodaziError as exc:
            await self._fail(run, step, exc.code, exc.message)
        except Exception as exc:
            log.exception("run %s failed", run.id)
            await self._fail(run, step, "internal", f"{type(exc).__name__}: {exc}")

    async def _loop(self, run: Run, turn: Turn, system: str, history: list[dict[str, Any]],
                    runner: ToolRunner, step: _Step, usage: dict[str, Any]) -> _Step:
        current: list[dict[str, Any]] = []
        schemas = [t.schema() for t in runner.tools.values()] or None
        for number in range(self.config.max_steps + 1):
            last = number == self.config.max_steps
            note = [{"role": "user", "content": STEP_LIMIT_NOTE}] if last else []
            messages = self._messages(turn, system, history + current + note)
            end = await self._call(run, turn, step, messages, None if last else schemas)
            _add_usage(usage, {**end.usage, "cost": end.cost})
            if not end.tool_calls or last:
                return step
            current.append(self._assistant_dict(step, end))
            await self._save_step(step, end, "complete")
            for call in end.tool_calls:
                await run.emit(events.TOOL_CALL, {"id": call.id, "name": call.name,
                                                  "arguments": _arguments_for_event(call.arguments)})
            for result in await runner.run_all(end.tool_calls):
                await self.recorder.add_tool_result(turn.conversation_id, run.id, result.call.id,
                                                    result.call.name, result.output, result.ok, result.artifacts)
                current.append({"role": "tool", "tool_call_id": result.call.id, "content": result.for_model()})
            if run.cancel_requested:
                raise asyncio.CancelledError
            step = await self._new_step(run, turn, step.model_name)
        return step

    def _messages(self, turn: Turn, system: str, history: list[dict[str, Any]]) -> list[dict[str, Any]]:
        budget = turn.model.info.context_window - self.config.output_reserve
        return fit_window([{"role": "system", "content": system}], repair_tool_pairs(history), budget)

    async def _call(self, run: Run, turn: Turn, step: _Step, messages: list[dict[str, Any]],
                    schemas: list[dict[str, Any]] | None) -> StepEnd:
        """One model response, retried on transient faults, then tried on the fallback model."""
        try:
            return await self._stream_with_retries(run, turn.model, step, messages, schemas)
        except ModelError as exc:
            if turn.fallback is None or step.text or step.reasoning:
                raise
            log.warning("model %s failed (%s); using fallback %s", turn.model.info.name, exc.message,
                        turn.fallback.info.name)
            step.model_name = turn.fallback.info.name
            return await self._stream_with_retries(run, turn.fallback, step, messages, schemas)

    async def _stream_with_retries(self, run: Run, model: Model, step: _Step,
                                   messages: list[dict[str, Any]], schemas: list[dict[str, Any]] | None) -> StepEnd:
        for attempt in range(self.config.retries + 1):
            try:
                return await self._stream(run, model, step, messages, schemas)
            except ModelError as exc:
                streamed = bool(step.text or step.reasoning)
                if not exc.retryable or streamed or attempt == self.config.retries:
                    raise
                await asyncio.sleep(self.config.backoff * (2**attempt))
        raise AssertionError("unreachable")

    async def _stream(self, run: Run, model: Model, step: _Step, messages: list[dict[str, Any]],
                      schemas: list[dict[str, Any]] | None) -> StepEnd:
        async for chunk in model.stream(messages, schemas):
            if run.cancel_requested:
                raise asyncio.CancelledError
            if isinstance(chunk, TextDelta):
                step.text += chunk.text
                await run.emit(events.TEXT, {"text": chunk.text})
                await self._maybe_save(step)
            elif isinstance(chunk, ReasoningDelta):
                step.reasoning += chunk.text
                await run.emit(events.THINKING, {"text": chunk.text})
            elif isinstance(chunk, StepEnd):
                return chunk
        raise ModelError("the model's answer ended without a proper finish", kind="truncated", retryable=True)

    async def _maybe_save(self, step: _Step) -> None:
        """Save the growing answer now and then, so a crash loses at most a moment of text."""
        now = time.monotonic()
        if now - step.last_save >= self.config.save_interval:
            step.last_save = now
            await self.recorder.save_assistant(step.message_id, content=step.text, reasoning=step.reasoning or None)

    async def _new_step(self, run: Run, turn: Turn, model_name: str) -> _Step:
        message_id = await self.recorder.start_assistant(turn.conversation_id, run.id, model_name)
        return _Step(message_id, model_name)

    def _assistant_dict(self, step: _Step, end: StepEnd) -> dict[str, Any]:
        return {"role": "assistant", "content": step.text or None, "tool_calls": _openai_calls(end.tool_calls),
                **end.extra}

    async def _save_step(self, step: _Step, end: StepEnd, status: str) -> None:
        await self.recorder.save_assistant(
            step.message_id, content=step.text, reasoning=step.reasoning or None,
            tool_calls=_openai_calls(end.tool_calls) or None, extra={**step.extra, **end.extra} or None,
            usage=end.usage or None, status=status, model=step.model_name,
        )

    async def _finish(self, run: Run, step: _Step, usage: dict[str, Any], status: str) -> None:
        await asyncio.shield(self.recorder.save_assistant(
            step.message_id, content=step.text, reasoning=step.reasoning or None, status=status,
            usage=usage or None, model=step.model_name, **({"extra": step.extra} if step.extra else {})))
        await run.emit(events.DONE, {"message_id": step.message_id, "usage": usage, "status": status,
                                     "model": step.model_name, "cost": usage.get("cost")})

    async def _fail(self, run: Run, step: _Step | None, code: str, message: str) -> None:
        try:
            if step is not None:
                await self.recorder.save_assistant(step.message_id, content=step.text, status="error", error=message)
        except Exception:  # e.g. the disk is full: the user must still get the error event, not silence
            log.exception("run %s: could not save the failed answer", run.id)
        await run.emit(events.ERROR, {"code": code, "message": message,
                                      "message_id": step.message_id if step else None})

    async def _before_hooks(self, run: Run, turn: TurnContext) -> list[Contribution]:
        async def one(hook: TurnHook) -> Contribution | None:
            try:
                return await asyncio.wait_for(hook.before_turn(turn), self.config.hook_timeout)
            except Exception:
                log.exception("hook %s failed before the turn; continuing without it", hook.name)
                return None

        found = [c for c in await asyncio.gather(*(one(h) for h in self.hooks)) if c is not None]
        for contribution in found:
            for name, data in contribution.events:
                await run.emit(name, data)
        return found

    def _after_hooks(self, turn: TurnContext, answer: str) -> None:
        for hook in self.hooks:
            self.spawn(hook.after_turn(turn, answer), f"after_turn {hook.name}")

    def spawn(self, coro: Any, what: str) -> None:
        """Background work off the critical path; failures are logged, never raised into a run."""

        async def guarded() -> None:
            try:
                await coro
            except Exception:
                log.exception("background %s failed", what)

        task = asyncio.create_task(guarded())
        self.background.add(task)
        task.add_done_callback(self.background.discard)


def _openai_calls(calls: list[ToolCallRequest]) -> list[dict[str, Any]]:
    return [{"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}} for c in calls]


def _arguments_for_event(raw: str) -> Any:
    import json

    try:
        return json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError:
        return raw


def _add_usage(total: dict[str, Any], more: dict[str, Any]) -> None:
    for key, value in more.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            total[key] = round(total.get(key, 0) + value, 6)
