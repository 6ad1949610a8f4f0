"""Browse and read the workspace (the Files page): every path is confined to the workspace folder."""

from __future__ import annotations

import mimetypes
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel

from xiaodazi.api.deps import ServicesDep
from xiaodazi.core.errors import InvalidInput, NotFound, XiaodaziError

router = APIRouter(prefix="/files", tags=["files"])

# Served inline only as these types; anything else that a browser could execute (HTML, SVG, JS) goes out as text.
INLINE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "application/pdf")
MAX_ENTRIES = 2000


class OutsideWorkspace(XiaodaziError):
    """A path that resolves outside the workspace folder."""

    code = "path_outside_workspace"
    status = 403


class FileEntry(BaseModel):
    name: str
    path: str
    kind: str  # "dir" | "file"
    size: int | None = None
    modified: datetime
    mime: str | None = None


class FileListing(BaseModel):
    path: str
    parent: str | None
    items: list[FileEntry]
    truncated: bool = False


def confined(workspace: Path, rel: str) -> Path:
    """Resolve `rel` against the workspace; refuse anything (.., absolute, symlink) that lands outside it."""
    if "\x00" in rel:
        raise InvalidInput("the path contains a NUL character")
    root = workspace.resolve()
    target = (root / rel.strip()).resolve()
    if not target.is_relative_to(root):
        raise OutsideWorkspace("this path is outside the workspace folder", path=rel)
    return target


def _relative(root: Path, path: Path) -> str:
    rel = path.relative_to(root).as_posix()
    return "" if rel == "." else rel


def _entry(root: Path, child: Path) -> FileEntry | None:
    try:
        real = child.resolve()
        if not real.is_relative_to(root):
            return None  # a symlink pointing out of the workspace is not shown
        stat = real.stat()
    except OSError:
        return None
    is_dir = real.is_dir()
    return FileEntry(
        name=child.name, path=_relative(root, child), kind="dir" if is_dir else "file",
        size=None if is_dir else stat.st_size, modified=datetime.fromtimestamp(stat.st_mtime, UTC),
        mime=None if is_dir else mimetypes.guess_type(child.name)[0],
    )


@router.get("", response_model=FileListing)
def list_files(services: ServicesDep, path: Annotated[str, Query(max_length=4096)] = "") -> FileListing:
    """The folders and files of one workspace folder, folders first."""
    root = services.settings.workspace.resolve()
    folder = confined(root, path)
    if not folder.is_dir():
        raise NotFound("no such folder in the workspace", path=path)
    children = sorted(folder.iterdir(), key=lambda p: p.name.lower())
    entries = [e for e in (_entry(root, c) for c in children[:MAX_ENTRIES]) if e is not None]
    entries.sort(key=lambda e: e.kind != "dir")
    parent = None if folder == root else _relative(root, folder.parent)
    return FileListing(path=_relative(root, folder), parent=parent, items=entries,
                       truncated=len(children) > MAX_ENTRIES)


@router.get("/content")
def read_file_content(
    services: ServicesDep,
    path: Annotated[str, Query(min_length=1, max_length=4096)],
    download: bool = False,
) -> FileResponse:
    """One workspace file; inline for images/PDF/text, never as runnable HTML."""
    target = confined(services.settings.workspace, path)
    if not target.is_file():
        raise NotFound("no such file in the workspace", path=path)
    mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if not download and mime not in INLINE_TYPES:
        mime = "text/plain; charset=utf-8" if _looks_textual(target) else "application/octet-stream"
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}
    if mime != "application/pdf":
        headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return FileResponse(
        target, media_type=mime, headers=headers, filename=target.name,
        content_disposition_type="attachment" if download else "inline",
    )


def _looks_textual(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(4096)
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a multi-byte character cut at the edge of the sample
    return True
