"""Request and response bodies of the HTTP API (the XBase / XCreate / XUpdate / XPublic family)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class ConversationBase(BaseModel):
    title: str = Field(default="", max_length=200)
    model: str | None = Field(default=None, max_length=200)


class ConversationCreate(ConversationBase):
    model_config = ConfigDict(extra="forbid")


class ConversationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=200)
    model: str | None = Field(default=None, max_length=200)
    pinned: bool | None = None


class ConversationPublic(ConversationBase):
    model_config = ConfigDict(from_attributes=True)

    id: str
    pinned: bool
    created_at: datetime
    updated_at: datetime


class ConversationsPublic(BaseModel):
    items: list[ConversationPublic]
    total: int
    limit: int
    offset: int


class MessagePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    conversation_id: str
    role: str
    content: str
    reasoning: str | None = None
    tool_calls: list[dict[str, Any]] | None = None
    tool_call_id: str | None = None
    name: str | None = None
    extra: dict[str, Any] | None = None
    model: str | None = None
    usage: dict[str, Any] | None = None
    status: str
    error: str | None = None
    run_id: str | None = None
    created_at: datetime
    updated_at: datetime


class MessagesPublic(BaseModel):
    items: list[MessagePublic]


class SearchHitPublic(BaseModel):
    conversation_id: str
    conversation_title: str
    message_id: int
    role: str
    snippet: str = Field(description="HTML-escaped excerpt with matches wrapped in <mark>")


class SearchHitsPublic(BaseModel):
    query: str
    items: list[SearchHitPublic]


class LoginRequest(BaseModel):
    token: str = Field(min_length=1, max_length=500)


class Health(BaseModel):
    status: str
    version: str
