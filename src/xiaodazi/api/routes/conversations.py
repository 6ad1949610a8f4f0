"""Conversations and their messages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from xiaodazi.api.deps import StoreDep
from xiaodazi.api.schemas import (
    ConversationCreate,
    ConversationPublic,
    ConversationsPublic,
    ConversationUpdate,
    MessagePublic,
    MessagesPublic,
)

router = APIRouter(prefix="/conversations", tags=["conversations"])
SQL_INT_MAX = 2**63 - 1  # larger numbers cannot reach SQLite (they used to end in a 500)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ConversationPublic)
def create_conversation(store: StoreDep, body: ConversationCreate | None = None):
    """Start a new conversation."""
    body = body or ConversationCreate()
    return store.create_conversation(title=body.title, model=body.model)


@router.get("", response_model=ConversationsPublic)
def list_conversations(
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=SQL_INT_MAX)] = 0,
):
    """Conversations, pinned first, then the most recently active."""
    items, total = store.list_conversations(limit=limit, offset=offset)
    return ConversationsPublic(
        items=[ConversationPublic.model_validate(c) for c in items], total=total, limit=limit, offset=offset
    )


@router.get("/{conversation_id}", response_model=ConversationPublic)
def read_conversation(store: StoreDep, conversation_id: str):
    """One conversation."""
    return store.get_conversation(conversation_id)


@router.patch("/{conversation_id}", response_model=ConversationPublic)
def update_conversation(store: StoreDep, conversation_id: str, body: ConversationUpdate):
    """Rename, pin or change the model of a conversation."""
    return store.update_conversation(conversation_id, **body.model_dump(exclude_unset=True))


@router.delete("/{conversation_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_conversation(store: StoreDep, conversation_id: str) -> Response:
    """Delete a conversation and all its messages."""
    store.delete_conversation(conversation_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{conversation_id}/messages", response_model=MessagesPublic)
def list_messages(
    store: StoreDep,
    conversation_id: str,
    after_id: Annotated[int, Query(ge=0, le=SQL_INT_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
):
    """Messages of a conversation in order; page forward with `after_id`."""
    items = store.list_messages(conversation_id, limit=limit, after_id=after_id)
    return MessagesPublic(items=[MessagePublic.model_validate(m) for m in items])
