"""Installing skills from a zip into the user's skills folder, refusing every archive trick.

Refused: absolute paths, drive letters, `..`, backslash paths, symlinks, too many files, members
larger than announced, and archives that expand beyond a size or ratio cap (zip bombs). Every
skill inside is parsed and must be valid before anything is installed.
"""

from __future__ import annotations

import io
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from xiaodazi.core.errors import Conflict, InvalidInput
from xiaodazi.skills.model import NAME_RE, SkillInvalid, parse_skill, read_frontmatter

MAX_ZIP_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_RATIO = 100  # uncompressed / compressed for any member larger than 1 MB
IGNORED_PREFIXES = ("__MACOSX/",)


class SkillImportError(InvalidInput):
    """A skill archive that was refused; the message says why."""

    code = "skill_import_refused"


def _member_path(info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise SkillImportError(f"refused: absolute or Windows-style path in archive: {name!r}")
    path = PurePosixPath(name)
    if any(part in ("..", "") for part in path.parts) or not path.parts:
        raise SkillImportError(f"refused: path leading outside the archive: {name!r}")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise SkillImportError(f"refused: symbolic link in archive: {name!r}")
    return path


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise SkillImportError(f"refused: more than {MAX_MEMBERS} files in archive")
    if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise SkillImportError("refused: archive expands beyond 100 MB")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise SkillImportError(f"refused: {info.filename!r} is compressed suspiciously well (zip bomb?)")


def _extract(zf: zipfile.ZipFile, dest: Path) -> None:
    """Extract member by member, counting real bytes so lying headers cannot overflow the caps."""
    infos = [i for i in zf.infolist() if not i.filename.startswith(IGNORED_PREFIXES)]
    _check_sizes(infos)
    written = 0
    for info in infos:
        target = dest.joinpath(*_member_path(info).parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, open(target, "wb") as out:
            while chunk := src.read(64 * 1024):
                written += len(chunk)
                if written > MAX_TOTAL_BYTES:
                    raise SkillImportError("refused: archive expands beyond 100 MB")
                out.write(chunk)


def _skill_folders(root: Path) -> list[Path]:
    """A zip holds one skill at its root, or one skill per top-level folder."""
    if (root / "SKILL.md").is_file():
        return [root]
    folders = [p for p in sorted(root.iterdir()) if p.is_dir() and (p / "SKILL.md").is_file()]
    if not folders:
        raise SkillImportError("refused: no SKILL.md found in the archive")
    return folders


def _validated(folders: list[Path], staging: Path) -> dict[str, Path]:
    """Skill name → folder for every skill, after each one parsed cleanly."""
    found: dict[str, Path] = {}
    for folder in folders:
        if folder == staging:
            # A root-level SKILL.md: the folder is named after the skill it declares.
            folder = _rename_root(folder)
        try:
            skill = parse_skill(folder, "user")
        except SkillInvalid as exc:
            raise SkillImportError(f"refused: {exc.message}", problems=exc.fields.get("problems")) from exc
        found[skill.name] = folder
    return found


def _rename_root(root: Path) -> Path:
    try:
        name = str(read_frontmatter((root / "SKILL.md").read_text(encoding="utf-8"))[0].get("name") or "")
    except (SkillInvalid, UnicodeDecodeError) as exc:
        raise SkillImportError(f"refused: SKILL.md unreadable: {exc}") from exc
    if not NAME_RE.match(name):
        raise SkillImportError(f"refused: SKILL.md name {name!r} is not a valid skill name")
    target = root.parent / name
    root.rename(target)
    return target


def import_skill_zip(data: bytes, user_dir: Path, overwrite: bool = False) -> list[str]:
    """Validate a zip of one or more skills and install them into `user_dir`; their names."""
    if len(data) > MAX_ZIP_BYTES:
        raise SkillImportError("refused: archive larger than 20 MB")
    user_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=user_dir.parent, prefix=".skill-import-") as tmp:
        staging = Path(tmp) / "content"
        staging.mkdir()
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                _extract(zf, staging)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
            raise SkillImportError(f"refused: not a readable zip archive ({exc})") from exc
        skills = _validated(_skill_folders(staging), staging)
        clashes = [n for n in skills if (user_dir / n).exists()]
        if clashes and not overwrite:
            raise Conflict(f"skill(s) already installed: {', '.join(clashes)}; import with overwrite", names=clashes)
        for name, folder in skills.items():
            if (user_dir / name).exists():
                shutil.rmtree(user_dir / name)
            shutil.move(str(folder), str(user_dir / name))
        return sorted(skills)
