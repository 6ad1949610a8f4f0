"""Chat: send a message and stream the run, resume, cancel, answer approvals and questions."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from xiaodazi.api.deps import ServicesDep
from xiaodazi.api.sse import stream_run
from xiaodazi.core.errors import NotFound

router = APIRouter(tags=["chat"])


class MessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str = Field(min_length=1, max_length=2_000_000)
    model: str | None = Field(default=None, max_length=200)
    attachments: list[str] = Field(default_factory=list, max_length=20)


class ApprovalDecision(BaseModel):
    decision: Literal["allow_once", "allow_always", "deny"]


class QuestionAnswer(BaseModel):
    answer: str = Field(max_length=20_000)


class CancelResult(BaseModel):
    cancelled: bool


@router.post("/conversations/{conversation_id}/messages", response_class=Response,
             responses={200: {"content": {"text/event-stream": {}}, "description": "the run's events"}})
async def send_message(services: ServicesDep, conversation_id: str, body: MessageCreate):
    """Send a message; the answer streams back as server-sent events (see docs/events.md)."""
    run = await services.chat.send(conversation_id, body.content, body.model, body.attachments)
    return stream_run(run)


@router.get("/conversations/{conversation_id}/events", response_class=Response,
            responses={200: {"content": {"text/event-stream": {}}}})
async def follow_events(services: ServicesDep, conversation_id: str,
                        after: Annotated[int, Query(ge=0)] = 0):
    """Replay the latest run's events after `after`, then follow it live until it ends."""
    run = services.runs.latest(conversation_id)
    if run is None:
        raise NotFound("no run of this conversation is known to this server (it may have restarted)")
    return stream_run(run, after)


@router.post("/conversations/{conversation_id}/cancel", response_model=CancelResult)
async def cancel_run(services: ServicesDep, conversation_id: str) -> CancelResult:
    """Stop the running task; what was said so far is kept and marked cancelled."""
    return CancelResult(cancelled=services.runs.cancel(conversation_id))


@router.post("/approvals/{approval_id}", status_code=204)
async def answer_approval(services: ServicesDep, approval_id: str, body: ApprovalDecision) -> Response:
    """Allow once, always allow (a narrow rule), or deny a pending action."""
    services.runs.resolve(approval_id, body.decision)
    return Response(status_code=204)


@router.post("/questions/{question_id}", status_code=204)
async def answer_question(services: ServicesDep, question_id: str, body: QuestionAnswer) -> Response:
    """Answer a question the agent asked with ask_user."""
    services.runs.resolve(question_id, body.answer)
    return Response(status_code=204)
