"""Tools that talk to the run itself: update_plan shows a step list, ask_user waits for an answer."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from xiaodazi.core import events
from xiaodazi.core.tools import ToolContext, ToolFailed, ToolSpec, tool

QUESTION_TIMEOUT = 1800.0


class PlanStep(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    status: Literal["pending", "in_progress", "done", "skipped"] = "pending"


@tool
async def update_plan(ctx: ToolContext, steps: list[PlanStep]) -> str:
    """Show the user your plan for a multi-step task and keep it current (call again when a step's status changes).

    Args:
        steps: the whole list of steps, each with a title and a status (pending, in_progress, done, skipped)
    """
    if ctx.emit is not None:
        await ctx.emit(events.PLAN, {"steps": [s.model_dump() for s in steps]})
    done = sum(1 for s in steps if s.status == "done")
    return f"Plan updated: {done}/{len(steps)} steps done."


@tool
async def ask_user(ctx: ToolContext, question: str, choices: list[str] | None = None) -> str:
    """Ask the user a question and wait for the answer; use it when you need a decision or missing information.

    Args:
        question: the question, in the user's language
        choices: optional short answers the user can pick from
    """
    run = ctx.service("run")
    if ctx.mode == "serve" and run.followers == 0:
        raise ToolFailed("Nobody is connected to answer; make a sensible assumption and say so.")
    question_id = uuid.uuid4().hex
    await run.emit(events.QUESTION, {"id": question_id, "text": question, "choices": choices or []})
    answer = await run.wait_reply(question_id, QUESTION_TIMEOUT)
    if answer is None:
        raise ToolFailed("The user did not answer in time.")
    return f"The user answered: {answer}"


TOOLS: list[ToolSpec] = [update_plan, ask_user]
