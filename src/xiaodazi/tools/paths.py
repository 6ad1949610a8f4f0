"""The path guard: every path a tool touches resolves inside the workspace or a folder the user granted.

Relative paths are relative to the workspace. The guard resolves symlinks (and junctions) fully, so
a link inside the workspace that points elsewhere is judged by where it leads, including the final
component of a file that is about to be created. It refuses what a model might use to escape:
`..`, absolute paths outside, `~`, NUL bytes, Windows drive/UNC/device forms on POSIX, device and
kernel folders, and the app's own data folder (where the command policy and undo journal live).
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

from xiaodazi.core.tools import ToolContext, ToolRetry

IS_WINDOWS = sys.platform.startswith("win")
# Kernel and device trees: never a place for user files, even under a granted "/".
DEVICE_ROOTS = tuple(Path(p) for p in ("/dev", "/proc", "/sys"))
_DRIVE = re.compile(r"^[A-Za-z]:")
_WIN_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$", re.I)
_SAFE_DEVICES = frozenset({"/dev/null"})


def allowed_roots(ctx: ToolContext) -> list[Path]:
    """The folders a tool may touch: the workspace first, then the granted folders (resolved)."""
    roots = [Path(os.path.realpath(ctx.workspace))]
    for extra in ctx.allowed_dirs:
        real = Path(os.path.realpath(Path(extra).expanduser()))
        if real not in roots:
            roots.append(real)
    return roots


def _refuse(path: str, why: str, ctx: ToolContext) -> ToolRetry:
    roots = ", ".join(str(r) for r in allowed_roots(ctx))
    return ToolRetry(
        f"路径不允许 / path refused: {path!r} — {why}. "
        f"可用的文件夹 / allowed folders: {roots} (relative paths start in the workspace)",
        path=path,
    )


def _lexical_problem(raw: str) -> str | None:
    """A reason to refuse the path as written, before touching the disk."""
    if not raw or not raw.strip():
        return "the path is empty"
    if "\x00" in raw:
        return "the path contains a NUL byte"
    if any(ord(c) < 32 for c in raw):
        return "the path contains control characters"
    if raw.lower().startswith("file:"):
        return "file:// URLs are not paths; give a path relative to the workspace"
    if raw.startswith("~"):
        return "'~' (the home folder) is outside the workspace"
    if not IS_WINDOWS and (raw.startswith("\\\\") or raw.startswith("//") or _DRIVE.match(raw)):
        return "Windows drive, UNC or device paths are not allowed here"
    return _segment_problem(raw)


def _segment_problem(raw: str) -> str | None:
    parts = [p for p in re.split(r"[\\/]+", raw) if p]
    for part in parts:
        if part == "..":
            return "'..' may not leave the allowed folders"
        if set(part) == {"."} and len(part) > 2:
            return f"the segment {part!r} is not a valid name"
        if _WIN_RESERVED.match(part.split(".")[0].rstrip(" ")):
            return f"{part!r} is a reserved device name on Windows"
        if IS_WINDOWS and (part != part.rstrip(" .") or ":" in part):
            return f"the segment {part!r} is not a safe Windows name (trailing dot/space or stream)"
    return None


def _candidate(ctx: ToolContext, raw: str) -> Path:
    # On POSIX a backslash is legal in names, but a model writing `..\x` means a separator.
    text = raw if IS_WINDOWS else raw.replace("\\", "/")
    path = Path(text)
    return path if path.is_absolute() else Path(ctx.workspace) / path


def _inside(path: Path, roots: list[Path]) -> Path | None:
    """The root containing `path`, if any (case-insensitive where the OS is)."""
    norm = os.path.normcase(str(path))
    for root in roots:
        base = os.path.normcase(str(root))
        if norm == base or norm.startswith(base.rstrip(os.sep) + os.sep):
            return root
    return None


def _is_device(real: Path) -> bool:
    if str(real) in _SAFE_DEVICES:
        return False
    if any(real == d or d in real.parents for d in DEVICE_ROOTS):
        return True
    try:
        mode = os.lstat(real).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode))


def resolve_path(ctx: ToolContext, raw: str, *, must_exist: bool = False, follow_final: bool = True) -> Path:
    """Resolve a user/model path to a real location inside the allowed folders, or raise ToolRetry.

    Symlinks are followed at every step (also a dangling final link of a file about to be
    written), so the answer is where a read or write would really land. With
    `follow_final=False` a final symlink is the answer itself (deleting or moving the link,
    not what it points to); its folder is still resolved and checked.
    """
    problem = _lexical_problem(raw)
    if problem:
        raise _refuse(raw, problem, ctx)
    roots = allowed_roots(ctx)
    candidate = _candidate(ctx, raw)
    if not follow_final and os.path.islink(candidate):
        real = Path(os.path.realpath(candidate.parent)) / candidate.name
    else:
        real = Path(os.path.realpath(candidate))
    if _inside(real, roots) is None:
        raise _refuse(raw, f"it leads to {real}, outside the allowed folders", ctx)
    data_dir = Path(os.path.realpath(ctx.data_dir))
    if _inside(real, [data_dir]) is not None:
        raise _refuse(raw, "the app's own data folder is off limits", ctx)
    if _is_device(real):
        raise _refuse(raw, "device files, pipes and sockets are not allowed", ctx)
    if must_exist and not (real.exists() or real.is_symlink()):
        raise ToolRetry(f"文件不存在 / not found: {raw!r} (resolved to {real})", path=raw)
    return real


def in_workspace(ctx: ToolContext, real: Path) -> bool:
    """True when an already resolved path lies in the workspace (not only in a granted folder)."""
    return _inside(real, [Path(os.path.realpath(ctx.workspace))]) is not None


def display_path(ctx: ToolContext, real: Path) -> str:
    """A short form for messages: relative to the workspace when inside it."""
    ws = Path(os.path.realpath(ctx.workspace))
    try:
        return real.relative_to(ws).as_posix() or "."
    except ValueError:
        return str(real)
