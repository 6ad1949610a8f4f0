"""Memory the user can see and edit: items, search, MEMORY.md export, history and settings."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from xiaodazi.core.errors import StorageError
from xiaodazi.memory import MemoryService, MemoryStatus

router = APIRouter(prefix="/memory", tags=["memory"])
# ids beyond SQLite's 64-bit integers used to end in a 500; they are simply not valid ids
ItemId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def get_memory(request: Request) -> MemoryService:
    memory = request.app.state.services.memory
    if memory is None:
        raise StorageError("记忆功能不可用 / memory is not available")
    return memory


MemoryDep = Annotated[MemoryService, Depends(get_memory)]
Kind = Literal["preference", "profile", "project", "instruction"]


class MemoryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str = Field(min_length=1, max_length=500)
    kind: Kind | None = None
    pinned: bool = False


class MemoryUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str | None = Field(default=None, min_length=1, max_length=500)
    kind: Kind | None = None
    pinned: bool | None = None
    status: Literal["active"] | None = Field(default=None, description="`active` approves a pending item")


class MemoryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    content: str
    kind: str
    status: str
    pinned: bool
    confidence: float
    source: str
    source_conversation_id: str | None
    source_message_id: int | None
    supersedes: int | None
    created_at: datetime
    updated_at: datetime
    last_used_at: datetime | None


class MemorySettingsPublic(BaseModel):
    auto: bool = Field(description="extract memories from conversations automatically")
    approval: bool = Field(description="new automatic memories wait for approval (status pending)")


class MemorySettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    auto: bool | None = None
    approval: bool | None = None


class MemoriesPublic(BaseModel):
    items: list[MemoryPublic]
    problems: list[str] = Field(description="what was wrong with the last hand edit of MEMORY.md")
    settings: MemorySettingsPublic
    file: str = Field(description="where MEMORY.md is")


class MemoryMatch(BaseModel):
    id: int
    content: str
    kind: str
    score: float


class MemoryMatches(BaseModel):
    matches: list[MemoryMatch]


class MemoryVersion(BaseModel):
    content: str
    kind: str
    status: str
    reason: str
    changed_at: datetime


class MemoryHistoryPublic(BaseModel):
    item: MemoryPublic
    versions: list[MemoryVersion]


def _statuses(which: str) -> tuple[MemoryStatus, ...]:
    if which == "all":
        return tuple(MemoryStatus)
    if which == "live":
        return (MemoryStatus.active, MemoryStatus.pending)
    return (MemoryStatus(which),)


@router.get("", response_model=MemoriesPublic)
async def list_memory(
    memory: MemoryDep,
    status_: Annotated[Literal["live", "active", "pending", "superseded", "deleted", "all"],
                       Query(alias="status")] = "live",
):
    """Memories (active and pending by default), problems with MEMORY.md, and the settings."""
    items = await asyncio.to_thread(memory.items, _statuses(status_))
    settings = await asyncio.to_thread(memory.settings)
    return MemoriesPublic(items=[MemoryPublic.model_validate(i) for i in items], problems=memory.problems,
                          settings=MemorySettingsPublic(**vars(settings)), file=str(memory.path))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=MemoryPublic)
async def create_memory(memory: MemoryDep, body: MemoryCreate):
    """Remember something; a duplicate of an existing memory returns that memory."""
    return await asyncio.to_thread(memory.add, body.content, body.kind, pinned=body.pinned)


@router.get("/search", response_model=MemoryMatches)
async def search_memory(
    memory: MemoryDep,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    k: Annotated[int, Query(ge=1, le=50)] = 5,
):
    """The `k` memories most relevant to `q` (any language), best first."""
    found = await asyncio.to_thread(memory.search, q, k)
    return MemoryMatches(matches=[MemoryMatch(id=i.id, content=i.content, kind=i.kind, score=round(s.score, 4))
                                  for i, s in found])


@router.get("/export", response_class=PlainTextResponse)
async def export_memory(memory: MemoryDep) -> PlainTextResponse:
    """MEMORY.md as Markdown."""
    text = await asyncio.to_thread(memory.export)
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="MEMORY.md"'})


@router.get("/settings", response_model=MemorySettingsPublic)
async def read_memory_settings(memory: MemoryDep):
    """Whether memory is extracted automatically and whether new items need approval."""
    return MemorySettingsPublic(**vars(await asyncio.to_thread(memory.settings)))


@router.patch("/settings", response_model=MemorySettingsPublic)
async def update_memory_settings(memory: MemoryDep, body: MemorySettingsUpdate):
    """Switch automatic memory or approval on or off."""
    updated = await asyncio.to_thread(memory.update_settings, body.auto, body.approval)
    return MemorySettingsPublic(**vars(updated))


@router.get("/{item_id}", response_model=MemoryHistoryPublic)
async def read_memory(memory: MemoryDep, item_id: ItemId):
    """One memory with its earlier versions."""
    item = await asyncio.to_thread(memory.get, item_id)
    versions = await asyncio.to_thread(memory.repo.history, item_id)
    return MemoryHistoryPublic(item=MemoryPublic.model_validate(item),
                               versions=[MemoryVersion(**vars(v)) for v in versions])


@router.patch("/{item_id}", response_model=MemoryPublic)
async def update_memory(memory: MemoryDep, item_id: ItemId, body: MemoryUpdate):
    """Edit the text or kind, pin or unpin, or approve a pending memory."""
    return await asyncio.to_thread(
        lambda: memory.update(item_id, content=body.content, kind=body.kind, pinned=body.pinned,
                              approve=body.status == "active"))


@router.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_memory(memory: MemoryDep, item_id: ItemId) -> Response:
    """Forget a memory (it leaves MEMORY.md; its history is kept)."""
    await asyncio.to_thread(memory.delete, item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
