"""A skill as loaded from disk, and how its SKILL.md frontmatter is read and checked.

The format is Agent Skills: YAML frontmatter (`name`, `description`, optional `license`,
`compatibility`, `metadata`, `allowed-tools`) then a Markdown body. Problems come in two
levels: *errors* make a skill unusable (it is skipped and reported), *warnings* do not (a skill
written for another tool still loads), but bundled skills must have neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xiaodazi.core.errors import InvalidInput

NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NAME = 64
MAX_DESCRIPTION = 1024
MAX_COMPATIBILITY = 500
MAX_SKILL_MD = 256 * 1024
TOP_LEVEL_KEYS = {"name", "description", "license", "compatibility", "metadata", "allowed-tools"}
OS_NAMES = {"windows", "macos", "linux"}
GROUPS = {
    "files", "documents", "data", "web", "writing", "office", "desktop", "dev", "media",
    "system", "knowledge", "life", "learning", "finance", "china",
}
# Script paths mentioned in a body, e.g. `scripts/plan.py` or scripts/sub/x.sh.
SCRIPT_REF_RE = re.compile(r"(?<![\w/.-])scripts/[\w./-]*\w")


class SkillInvalid(InvalidInput):
    """A SKILL.md that cannot be used; `problems` lists every reason."""

    code = "skill_invalid"


@dataclass
class Skill:
    """One loaded skill: its frontmatter, body and where it came from."""

    name: str
    description: str
    path: Path
    body: str
    source: str = "bundled"  # bundled | user | extra
    license: str = ""
    compatibility: str = ""
    metadata: dict[str, str] = field(default_factory=dict)
    allowed_tools: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def meta_list(self, key: str) -> list[str]:
        """A space-separated metadata value as a list."""
        return self.metadata.get(key, "").split()

    @property
    def group(self) -> str:
        return self.metadata.get("group", "")

    @property
    def name_zh(self) -> str:
        return self.metadata.get("name-zh", "")

    @property
    def description_zh(self) -> str:
        return self.metadata.get("description-zh", "")

    @property
    def keywords(self) -> str:
        return self.metadata.get("keywords", "")

    def files(self, limit: int = 200) -> list[str]:
        """Files of the skill folder relative to it, without following symlinks out."""
        out: list[str] = []
        for p in sorted(self.path.rglob("*")):
            if p.is_file() and not p.is_symlink() and "__pycache__" not in p.parts:
                out.append(p.relative_to(self.path).as_posix())
                if len(out) >= limit:
                    break
        return out


def split_frontmatter(text: str) -> tuple[str, str]:
    """The YAML block and the body of a SKILL.md; SkillInvalid when there is no frontmatter."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise SkillInvalid("SKILL.md must start with a '---' frontmatter line", problems=["no frontmatter"])
    end = re.search(r"^---[ \t]*$", text[4:], flags=re.MULTILINE)
    if end is None:
        raise SkillInvalid("SKILL.md frontmatter is not closed by '---'", problems=["unclosed frontmatter"])
    return text[4 : 4 + end.start()], text[4 + end.end() :].lstrip("\n")


def _load_yaml(block: str) -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(block, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        reason = f"frontmatter is not valid YAML: {str(exc).splitlines()[0]}"
        raise SkillInvalid(reason, problems=[reason]) from exc
    if not isinstance(data, dict):
        raise SkillInvalid("frontmatter must be a YAML mapping", problems=["frontmatter is not a mapping"])
    return data


def read_frontmatter(text: str) -> tuple[dict[str, Any], str]:
    """The frontmatter mapping and the body of a SKILL.md text; SkillInvalid when unreadable."""
    block, body = split_frontmatter(text)
    return _load_yaml(block), body


def _check_name(name: Any, folder: str, errors: list[str]) -> None:
    if not isinstance(name, str) or not name:
        errors.append("'name' is missing")
    elif len(name) > MAX_NAME:
        errors.append(f"'name' is longer than {MAX_NAME} characters")
    elif not NAME_RE.match(name):
        errors.append(f"'name' {name!r} must be lowercase letters, digits and single hyphens")
    elif name != folder:
        errors.append(f"'name' {name!r} differs from its folder name {folder!r}")


def _check_description(desc: Any, errors: list[str]) -> None:
    if not isinstance(desc, str) or not desc.strip():
        errors.append("'description' is missing")
    elif len(desc) > MAX_DESCRIPTION:
        errors.append(f"'description' is longer than {MAX_DESCRIPTION} characters ({len(desc)})")


def _metadata(raw: Any, warnings: list[str]) -> dict[str, str]:
    """Metadata as a string map; other values are coerced or dropped with a warning."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        warnings.append("'metadata' is not a mapping; ignored")
        return {}
    out: dict[str, str] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            out[str(key)] = value
        elif isinstance(value, bool | int | float):
            warnings.append(f"metadata {key!r} is not a string; read as {str(value)!r}")
            out[str(key)] = str(value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            warnings.append(f"metadata {key!r} is a list; joined with spaces")
            out[str(key)] = " ".join(value)
        else:
            warnings.append(f"metadata {key!r} is not a string; ignored")
    return out


def _tools(raw: Any, warnings: list[str]) -> list[str]:
    """`allowed-tools` is space-separated in the spec; lists and commas are accepted too."""
    if raw is None:
        return []
    if isinstance(raw, list):
        return [str(t).strip() for t in raw if str(t).strip()]
    if isinstance(raw, str):
        return [t for t in re.split(r"[\s,]+", raw) if t]
    warnings.append("'allowed-tools' is not a string; ignored")
    return []


def _check_metadata(meta: dict[str, str], warnings: list[str]) -> None:
    group = meta.get("group")
    if group is not None and group not in GROUPS:
        warnings.append(f"metadata group {group!r} is not a catalogue group")
    bad_os = set(meta.get("os", "").split()) - OS_NAMES
    if bad_os:
        warnings.append(f"metadata os {' '.join(sorted(bad_os))!r} is not one of windows, macos, linux")


def _check_body(body: str, folder: Path, warnings: list[str]) -> None:
    if not body.strip():
        warnings.append("the Markdown body is empty")
    for ref in sorted(set(SCRIPT_REF_RE.findall(body))):
        if not (folder / ref).is_file():
            warnings.append(f"the body mentions {ref} but the file does not exist")


def parse_skill(folder: Path, source: str = "bundled") -> Skill:
    """Read and check `folder/SKILL.md`; SkillInvalid (with every reason) when unusable."""
    md = folder / "SKILL.md"
    if not md.is_file():
        raise SkillInvalid(f"{folder.name}: no SKILL.md", problems=["no SKILL.md"])
    if md.stat().st_size > MAX_SKILL_MD:
        raise SkillInvalid(f"{folder.name}: SKILL.md is larger than 256 KB", problems=["SKILL.md too large"])
    try:
        text = md.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SkillInvalid(f"{folder.name}: SKILL.md is not UTF-8", problems=["not UTF-8"]) from exc
    data, body = read_frontmatter(text)
    errors: list[str] = []
    warnings: list[str] = []
    _check_name(data.get("name"), folder.name, errors)
    _check_description(data.get("description"), errors)
    if errors:
        raise SkillInvalid(f"{folder.name}: {'; '.join(errors)}", problems=errors)
    unknown = sorted(set(map(str, data)) - TOP_LEVEL_KEYS)
    if unknown:
        warnings.append(f"unknown frontmatter field(s): {', '.join(unknown)}")
    compat = data.get("compatibility") or ""
    if len(str(compat)) > MAX_COMPATIBILITY:
        warnings.append(f"'compatibility' is longer than {MAX_COMPATIBILITY} characters")
    meta = _metadata(data.get("metadata"), warnings)
    _check_metadata(meta, warnings)
    _check_body(body, folder, warnings)
    return Skill(
        name=data["name"], description=data["description"].strip(), path=folder, body=body, source=source,
        license=str(data.get("license") or ""), compatibility=str(compat), metadata=meta,
        allowed_tools=_tools(data.get("allowed-tools"), warnings), warnings=warnings,
    )


def unknown_tools(skill: Skill, known: Iterable[str]) -> list[str]:
    """Names in `allowed-tools` that no registered or planned tool has."""
    known_set = set(known)
    # Claude-style entries such as `Bash(git:*)` name a tool followed by a pattern.
    return [t for t in skill.allowed_tools if t.split("(", 1)[0] not in known_set]
