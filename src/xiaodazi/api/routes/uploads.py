"""Uploads: files the user attaches, stored under the workspace's uploads/ folder."""

from __future__ import annotations

import asyncio
import shutil

from fastapi import APIRouter, UploadFile, status
from pydantic import BaseModel

from xiaodazi.api.deps import ServicesDep
from xiaodazi.attachments import safe_name, unique_path, uploads_dir

router = APIRouter(tags=["uploads"])


class UploadPublic(BaseModel):
    id: str
    name: str
    path: str
    size: int
    content_type: str | None


def _store(file: UploadFile, folder) -> tuple[str, int]:
    target = unique_path(folder, safe_name(file.filename or "file"))
    with open(target, "xb") as out:  # "x": never overwrite, even in a race
        shutil.copyfileobj(file.file, out, length=1024 * 1024)
    return target.name, target.stat().st_size


@router.post("/uploads", status_code=status.HTTP_201_CREATED, response_model=UploadPublic)
async def create_upload(services: ServicesDep, file: UploadFile) -> UploadPublic:
    """Store an uploaded file under a sanitized, unique name; attach it to a message by its id."""
    folder = uploads_dir(services.settings.workspace)
    name, size = await asyncio.to_thread(_store, file, folder)
    return UploadPublic(id=name, name=name, path=f"uploads/{name}", size=size, content_type=file.content_type)
