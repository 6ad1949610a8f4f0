"""Skills: the catalogue with status, one skill with its body, enable/disable, match preview, zip import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from xiaodazi.api.deps import optional_service
from xiaodazi.skills import SkillLibrary
from xiaodazi.skills.importer import MAX_ZIP_BYTES, SkillImportError, import_skill_zip

router = APIRouter(prefix="/skills", tags=["skills"])


SkillsDep = Annotated[SkillLibrary, Depends(optional_service("skills", "the skills system"))]


class MissingPublic(BaseModel):
    kind: str
    name: str
    message: str


class SkillPublic(BaseModel):
    name: str
    description: str
    name_zh: str
    description_zh: str
    group: str
    status: str
    missing: list[MissingPublic]
    enabled: bool
    source: str


class SkillDetailPublic(SkillPublic):
    body: str
    path: str
    files: list[str]
    allowed_tools: list[str]
    license: str
    warnings: list[str]


class SkillProblemPublic(BaseModel):
    name: str
    path: str
    source: str
    reasons: list[str]


class SkillsPublic(BaseModel):
    items: list[SkillPublic]
    problems: list[SkillProblemPublic]


class SkillUpdate(BaseModel):
    enabled: bool


class SkillMatchPublic(BaseModel):
    name: str
    score: float


class SkillMatchesPublic(BaseModel):
    matches: list[SkillMatchPublic]


class SkillsImported(BaseModel):
    installed: list[str]


def _public(library: SkillLibrary, name: str) -> dict:
    skill = library.get(name)
    state, missing = library.status(name)
    return {
        "name": skill.name, "description": skill.description, "name_zh": skill.name_zh,
        "description_zh": skill.description_zh, "group": skill.group, "status": state.value,
        "missing": [m.as_dict() for m in missing], "enabled": library.is_enabled(name), "source": skill.source,
    }


@router.get("", response_model=SkillsPublic)
def list_skills(library: SkillsDep):
    """Every loaded skill with status and switch, plus the folders that were skipped and why."""
    items = [_public(library, s.name) for s in library.skills()]
    return {"items": items, "problems": [p.as_dict() for p in library.problems()]}


@router.get("/match", response_model=SkillMatchesPublic)
def match_skills(
    library: SkillsDep,
    q: Annotated[str, Query(max_length=4000)],
    k: Annotated[int, Query(ge=1, le=20)] = 5,
):
    """What the selector would offer for this text (empty for small talk)."""
    return {"matches": [{"name": n, "score": s} for n, s in library.match(q, k)]}


@router.post("/import", status_code=status.HTTP_201_CREATED, response_model=SkillsImported)
async def import_skills(library: SkillsDep, file: Annotated[UploadFile, File()], overwrite: bool = False):
    """Install skills from a zip into the user's folder after validating every file in it."""
    data = await file.read(MAX_ZIP_BYTES + 1)
    user_dir = library.user_dir
    if user_dir is None:
        raise SkillImportError("there is no user skills folder to import into")
    names = await run_in_threadpool(import_skill_zip, data, user_dir, overwrite)
    await run_in_threadpool(library.refresh, True)
    return {"installed": names}


@router.get("/{name}", response_model=SkillDetailPublic)
def read_skill(library: SkillsDep, name: str):
    """One skill with its instructions and files."""
    skill = library.get(name)
    return {
        **_public(library, name), "body": skill.body, "path": str(skill.path), "files": skill.files(),
        "allowed_tools": skill.allowed_tools, "license": skill.license, "warnings": skill.warnings,
    }


@router.patch("/{name}", response_model=SkillPublic)
def update_skill(library: SkillsDep, name: str, body: SkillUpdate):
    """Switch a skill on or off (kept across restarts)."""
    library.set_enabled(name, body.enabled)
    return _public(library, name)
