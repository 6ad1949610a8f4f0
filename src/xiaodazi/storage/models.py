"""SQLModel tables: conversations, messages and key/value settings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class MessageStatus(StrEnum):
    """Where a message is in its life; `streaming` left over after a crash becomes `interrupted`."""

    complete = "complete"
    streaming = "streaming"
    interrupted = "interrupted"
    error = "error"
    cancelled = "cancelled"


class Conversation(SQLModel, table=True):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_updated", "updated_at"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    title: str = Field(default="", max_length=200)
    model: str | None = Field(default=None, max_length=200)
    pinned: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation", "conversation_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(foreign_key="conversations.id", max_length=32)
    role: str = Field(max_length=16)
    content: str = ""
    reasoning: str | None = None
    tool_calls: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
    tool_call_id: str | None = Field(default=None, max_length=100)
    name: str | None = Field(default=None, max_length=100)
    extra: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    model: str | None = Field(default=None, max_length=200)
    usage: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    status: str = Field(default=MessageStatus.complete, max_length=16)
    error: str | None = None
    run_id: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SettingRow(SQLModel, table=True):
    __tablename__ = "settings"

    key: str = Field(primary_key=True, max_length=100)
    value: Any = Field(default=None, sa_column=Column(JSON))
    updated_at: datetime = Field(default_factory=utcnow)
