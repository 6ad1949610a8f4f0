"""What a run changed on disk, and undoing it ("undo this task")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from xiaodazi.api.deps import tool_service
from xiaodazi.tools.journal import Journal

router = APIRouter(prefix="/runs", tags=["runs"])


JournalDep = Annotated[Journal, Depends(tool_service("journal", "the undo journal"))]


class ChangePublic(BaseModel):
    seq: int
    op: str
    path: str
    dst: str | None = None
    time: float
    existed_before: bool
    undone: bool


class ChangesPublic(BaseModel):
    run_id: str
    items: list[ChangePublic]


class UndoItem(BaseModel):
    seq: int
    op: str
    path: str
    dst: str | None = None
    reason: str | None = None


class UndoPublic(BaseModel):
    run_id: str
    restored: list[UndoItem]
    conflicts: list[UndoItem]


@router.get("/{run_id}/changes", response_model=ChangesPublic)
async def read_changes(journal: JournalDep, run_id: str):
    """Every file change the run made, oldest first (empty when it changed nothing)."""
    items = await run_in_threadpool(journal.changes, run_id)
    return ChangesPublic(run_id=run_id, items=items)


@router.post("/{run_id}/undo", response_model=UndoPublic)
async def undo_run(journal: JournalDep, run_id: str):
    """Put back what the run changed; files changed since by someone else are listed as conflicts."""
    return await run_in_threadpool(journal.undo, run_id)
