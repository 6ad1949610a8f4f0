"""File tools: read, write, edit, list, search, move, copy, make folders, delete to the trash.

Every path goes through the path guard. Every change is journaled per run so it can be undone.
Writes inside the workspace go ahead; changing or removing the user's own files in a granted
folder asks first, showing the diff or the path.
"""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from xiaodazi.core.tools import Gate, Risk, ToolContext, ToolFailed, ToolOutput, ToolRetry, Verdict, tool
from xiaodazi.tools.filesearch import search_tree
from xiaodazi.tools.journal import journal_for
from xiaodazi.tools.paths import display_path, in_workspace, resolve_path

DOCUMENT_SUFFIXES = {".pdf", ".docx", ".xlsx", ".pptx"}
MAX_READ_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 100_000
MAX_DIFF_CHARS = 20_000
MAX_DIFF_INPUT = 1_000_000  # difflib is quadratic at worst; gates must stay quick
LIST_CAP = 500


# -- helpers -------------------------------------------------------------------
def decode_text(data: bytes) -> str:
    """Bytes → text: UTF-8 first, then GB18030 (common for Chinese files), then Latin-1."""
    if b"\x00" in data[:8192]:
        raise ToolFailed("this looks like a binary file; it cannot be shown as text")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_text(real: Path) -> str:
    if real.stat().st_size > MAX_READ_BYTES:
        raise ToolFailed(f"the file is larger than {MAX_READ_BYTES // 2**20} MB; read it with run_python")
    return decode_text(real.read_bytes())


def unified_diff(old: str, new: str, name: str) -> str:
    """A unified diff of two texts, capped for display (a size summary for very large files)."""
    if max(len(old), len(new)) > MAX_DIFF_INPUT:
        return f"{name}: {len(old)} → {len(new)} characters (too large to show a diff)\n"
    diff = "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True), f"a/{name}", f"b/{name}"))
    return diff if len(diff) <= MAX_DIFF_CHARS else diff[:MAX_DIFF_CHARS] + "\n… (diff truncated)\n"


@contextmanager
def journaled(ctx: ToolContext, op: str, path: Path, dst: Path | None = None) -> Iterator[None]:
    """Record the change in the run's undo journal (a no-op when no journal is wired)."""
    journal = journal_for(ctx.services) if ctx.run_id else None
    pending = journal.begin(ctx.run_id, op, path, dst) if journal else None
    yield
    if pending is not None:
        journal.commit(pending)


def _make_parents(ctx: ToolContext, target: Path) -> None:
    """Create missing parent folders, journaling the topmost one so undo removes them too."""
    missing = [p for p in target.parents if not p.exists()]
    if missing:
        with journaled(ctx, "make_dir", missing[-1]):
            target.parent.mkdir(parents=True, exist_ok=True)


def _write_bytes(real: Path, data: bytes) -> None:
    # Write beside the target then rename: a crash never leaves half a file, and a symlink
    # swapped in after the guard checked the path is replaced, not followed.
    tmp = real.with_name(f".{real.name}.xdz-tmp")
    tmp.write_bytes(data)
    os.replace(tmp, real)


def _policy_remember(ctx: ToolContext, tool_name: str):
    policy = ctx.services.get("policy")
    return (lambda: policy.allow_tool(tool_name) and None) if policy is not None else None


def _guarded(ctx: ToolContext, raw: str, **kw: Any) -> Path | Gate:
    try:
        return resolve_path(ctx, raw, **kw)
    except ToolRetry as exc:
        return Gate(Verdict.deny, reason=exc.message, rule="path-guard", detail=raw)


def _outside_gate(ctx: ToolContext, tool_name: str, reason: str, detail: str) -> Gate:
    policy = ctx.services.get("policy")
    if policy is not None and policy.tool_allowed(tool_name):
        return Gate(Verdict.allow, reason="always allowed by the user", rule=f"tool:{tool_name}", detail=detail)
    return Gate(Verdict.ask, reason=reason, rule="files:outside-workspace", detail=detail,
                remember=_policy_remember(ctx, tool_name))


# -- gates ---------------------------------------------------------------------
def _content_gate(ctx: ToolContext, tool_name: str, raw: str, new_text: str | None) -> Gate:
    real = _guarded(ctx, raw)
    if isinstance(real, Gate):
        return real
    old = _read_text(real) if real.is_file() else ""
    detail = unified_diff(old, new_text if new_text is not None else old, display_path(ctx, real))
    if real.exists() and not in_workspace(ctx, real):
        return _outside_gate(ctx, tool_name, f"changes your file {real} outside the workspace", detail)
    return Gate(Verdict.allow, reason="inside the allowed folders", rule="files:inside", detail=detail)


def write_gate(ctx: ToolContext, args: dict[str, Any]) -> Gate:
    """Allow in the workspace; ask before overwriting a file in a granted folder; the detail is the diff."""
    return _content_gate(ctx, "write_file", str(args.get("path", "")), str(args.get("content", "")))


def edit_gate(ctx: ToolContext, args: dict[str, Any]) -> Gate:
    """Like write_gate, with the diff of the replacement."""
    raw = str(args.get("path", ""))
    real = _guarded(ctx, raw)
    new = None
    if isinstance(real, Path) and real.is_file():
        text = _read_text(real)
        if text.count(str(args.get("old", ""))) == 1:
            new = text.replace(str(args["old"]), str(args.get("new", "")), 1)
    return _content_gate(ctx, "edit_file", raw, new)


def _path_gate(ctx: ToolContext, tool_name: str, raws: list[str], verb: str, *, link_first: bool = False) -> Gate:
    reals = []
    for i, raw in enumerate(raws):
        real = _guarded(ctx, raw, follow_final=not (link_first and i == 0))
        if isinstance(real, Gate):
            return real
        reals.append(real)
    detail = f"{verb}: " + " → ".join(str(r) for r in reals)
    if any(r.exists() and not in_workspace(ctx, r) for r in reals):
        return _outside_gate(ctx, tool_name, f"{verb} your files outside the workspace", detail)
    return Gate(Verdict.allow, reason="inside the workspace", rule="files:inside", detail=detail)


def move_gate(ctx: ToolContext, args: dict[str, Any]) -> Gate:
    """Ask when moving a file that lives outside the workspace (or onto one)."""
    return _path_gate(ctx, "move_file", [str(args.get("src", "")), str(args.get("dst", ""))], "move", link_first=True)


def copy_gate(ctx: ToolContext, args: dict[str, Any]) -> Gate:
    """Ask only when the copy would land on an existing file outside the workspace."""
    return _path_gate(ctx, "copy_file", [str(args.get("dst", ""))], "copy onto")


def delete_gate(ctx: ToolContext, args: dict[str, Any]) -> Gate:
    """Deleting (to the trash) inside the workspace is allowed; outside it asks."""
    return _path_gate(ctx, "delete_file", [str(args.get("path", ""))], "move to the trash", link_first=True)


# -- tools ---------------------------------------------------------------------
@tool(risk=Risk.read)
def read_file(ctx: ToolContext, path: str, start_line: int | None = None, end_line: int | None = None) -> ToolOutput:
    """Read a text file (or the text of a PDF, DOCX, XLSX or PPTX). Lines are numbered when a range is given.

    Args:
        path: file path, relative to the workspace
        start_line: first line to show (1-based)
        end_line: last line to show (inclusive)
    """
    real = resolve_path(ctx, path, must_exist=True)
    if real.is_dir():
        raise ToolRetry(f"{path} is a folder; use list_dir")
    text = _extract(real) if real.suffix.lower() in DOCUMENT_SUFFIXES else _read_text(real)
    lines = text.splitlines()
    data = {"path": display_path(ctx, real), "lines": len(lines)}
    if start_line is None and end_line is None:
        if len(text) > MAX_TEXT_CHARS:
            text = text[:MAX_TEXT_CHARS] + f"\n… (truncated: {len(lines)} lines in all; read a range with start_line/end_line)"
        return ToolOutput(text=text, data=data, untrusted=True)
    first, last = max(1, start_line or 1), min(len(lines), end_line or len(lines))
    if first > max(len(lines), 1):
        raise ToolRetry(f"{path} has only {len(lines)} lines")
    body = "\n".join(f"{n:>6}\t{lines[n - 1]}" for n in range(first, last + 1))
    return ToolOutput(text=body[:MAX_TEXT_CHARS], data=data | {"start_line": first, "end_line": last}, untrusted=True)


def _extract(real: Path) -> str:
    try:
        from xiaodazi.tools.documents import extract_text
    except ImportError as exc:
        raise ToolFailed(f"reading {real.suffix} files is not available in this installation ({exc})") from exc
    try:
        return extract_text(real)
    except (ToolFailed, ToolRetry):
        raise
    except Exception as exc:  # a broken document must not crash the run
        raise ToolFailed(f"could not extract text from {real.name}: {exc}") from exc


@tool(risk=Risk.write, gate=write_gate)
def write_file(ctx: ToolContext, path: str, content: str) -> ToolOutput:
    """Create or overwrite a text file (UTF-8). Missing folders are created.

    Args:
        path: file path, relative to the workspace
        content: the full new content
    """
    real = resolve_path(ctx, path)
    if real.is_dir():
        raise ToolRetry(f"{path} is a folder")
    old = _read_text(real) if real.is_file() else None
    _make_parents(ctx, real)
    with journaled(ctx, "write", real):
        _write_bytes(real, content.encode("utf-8"))
    verb = "overwrote" if old is not None else "created"
    diff = unified_diff(old or "", content, display_path(ctx, real)) if old is not None else ""
    return ToolOutput(text=f"{verb} {display_path(ctx, real)} ({len(content)} characters)\n{diff}".rstrip(),
                      data={"path": display_path(ctx, real), "created": old is None})


@tool(risk=Risk.write, gate=edit_gate)
def edit_file(ctx: ToolContext, path: str, old: str, new: str) -> ToolOutput:
    """Replace one exact, unique piece of text in a file; the result shows the diff.

    Args:
        path: file path, relative to the workspace
        old: the exact text to replace (must occur exactly once; include surrounding lines to make it unique)
        new: the replacement text
    """
    real = resolve_path(ctx, path, must_exist=True)
    if not old:
        raise ToolRetry("old must not be empty; use write_file to write a whole file")
    text = _read_text(real)
    count = text.count(old)
    if count != 1:
        hint = "was not found" if count == 0 else f"occurs {count} times; include more surrounding text"
        raise ToolRetry(f"the text to replace {hint} in {path}")
    updated = text.replace(old, new, 1)
    with journaled(ctx, "edit", real):
        _write_bytes(real, updated.encode("utf-8"))
    diff = unified_diff(text, updated, display_path(ctx, real))
    return ToolOutput(text=f"edited {display_path(ctx, real)}\n{diff}", data={"path": display_path(ctx, real), "diff": diff})


@tool(risk=Risk.read)
def list_dir(ctx: ToolContext, path: str = ".") -> ToolOutput:
    """List a folder: sub-folders end with '/', files show their size.

    Args:
        path: folder path, relative to the workspace
    """
    real = resolve_path(ctx, path, must_exist=True)
    if not real.is_dir():
        raise ToolRetry(f"{path} is a file; use read_file")
    entries = sorted(real.iterdir(), key=lambda p: (not p.is_dir(), p.name.lower()))
    lines = [f"{p.name}/" if p.is_dir() else f"{p.name}  ({_human(p)})" for p in entries[:LIST_CAP]]
    if len(entries) > LIST_CAP:
        lines.append(f"… and {len(entries) - LIST_CAP} more")
    head = f"{display_path(ctx, real)}: {len(entries)} entries"
    return ToolOutput(text="\n".join([head, *lines]), data={"path": display_path(ctx, real), "count": len(entries)},
                      untrusted=True)


def _human(p: Path) -> str:
    try:
        size = float(p.stat().st_size)
    except OSError:
        return "?"
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return "?"


@tool(risk=Risk.read)
def search_files(ctx: ToolContext, query: str, path: str = ".", content: bool = True) -> ToolOutput:
    """Find files by name (substring or glob like *.xlsx) and, for text files, by content.

    Args:
        query: part of a file name, a glob pattern, or text to look for inside files
        path: folder to search, relative to the workspace
        content: also search inside text files
    """
    if not query.strip():
        raise ToolRetry("query must not be empty")
    real = resolve_path(ctx, path, must_exist=True)
    result = search_tree(ctx, real, query, content=content)
    return ToolOutput(text=result.text(ctx), data=result.summary(ctx), untrusted=True)


def _destination(ctx: ToolContext, src: Path, dst: str, overwrite: bool) -> Path:
    target = resolve_path(ctx, dst)
    if target.is_dir():
        target = resolve_path(ctx, os.path.join(dst, src.name))
    if target == src or src in target.parents:
        raise ToolRetry("the destination is the source itself or inside it")
    if target.exists() and not overwrite:
        raise ToolRetry(f"{display_path(ctx, target)} already exists; pass overwrite=true or choose another name")
    return target


def _transfer(ctx: ToolContext, op: str, src: str, dst: str, overwrite: bool) -> str:
    """Move or copy after the guard, creating parents, journaled as one change."""
    source = resolve_path(ctx, src, must_exist=True, follow_final=op != "move")
    target = _destination(ctx, source, dst, overwrite)
    _make_parents(ctx, target)
    with journaled(ctx, op, source, target):
        if target.is_file() or target.is_symlink():
            target.unlink()  # _destination already checked that overwriting was asked for
        if op == "move":
            shutil.move(str(source), str(target))
        elif source.is_dir():
            shutil.copytree(source, target, symlinks=True, dirs_exist_ok=overwrite)
        else:
            shutil.copy2(source, target)
    verb = "moved" if op == "move" else "copied"
    return f"{verb} {display_path(ctx, source)} → {display_path(ctx, target)}"


@tool(risk=Risk.write, gate=move_gate)
def move_file(ctx: ToolContext, src: str, dst: str, overwrite: bool = False) -> str:
    """Move or rename a file or folder (into dst when dst is an existing folder).

    Args:
        src: what to move, relative to the workspace
        dst: new path or an existing folder
        overwrite: replace an existing file at dst
    """
    return _transfer(ctx, "move", src, dst, overwrite)


@tool(risk=Risk.write, gate=copy_gate)
def copy_file(ctx: ToolContext, src: str, dst: str, overwrite: bool = False) -> str:
    """Copy a file or folder (into dst when dst is an existing folder).

    Args:
        src: what to copy, relative to the workspace
        dst: new path or an existing folder
        overwrite: replace an existing file at dst
    """
    return _transfer(ctx, "copy", src, dst, overwrite)


@tool(risk=Risk.write)
def make_dir(ctx: ToolContext, path: str) -> str:
    """Create a folder (and any missing parents).

    Args:
        path: folder path, relative to the workspace
    """
    real = resolve_path(ctx, path)
    if real.exists():
        if real.is_dir():
            return f"{display_path(ctx, real)} already exists"
        raise ToolRetry(f"{path} exists and is a file")
    missing = [p for p in real.parents if not p.exists()]
    with journaled(ctx, "make_dir", missing[-1] if missing else real):
        real.mkdir(parents=True)
    return f"created folder {display_path(ctx, real)}"


@tool(risk=Risk.write, gate=delete_gate)
def delete_file(ctx: ToolContext, path: str) -> str:
    """Move a file or folder to the system trash (it can be restored; nothing is erased).

    Args:
        path: what to delete, relative to the workspace
    """
    real = resolve_path(ctx, path, must_exist=True, follow_final=False)
    if real in (Path(os.path.realpath(ctx.workspace)), *[Path(os.path.realpath(d)) for d in ctx.allowed_dirs]):
        raise ToolRetry("the workspace or a granted folder itself cannot be deleted")
    from send2trash import send2trash

    with journaled(ctx, "delete", real):
        try:
            send2trash(str(real))
        except Exception as exc:  # no trash on this system: refuse rather than erase
            raise ToolFailed(f"could not move {path} to the trash ({exc}); nothing was deleted") from exc
    return f"moved {display_path(ctx, real)} to the trash"


TOOLS = [read_file, write_file, edit_file, list_dir, search_files, move_file, copy_file, make_dir, delete_file]
