"""Tools the model uses to read skills and run their helper scripts."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from xiaodazi.config import python_command
from xiaodazi.core.errors import NotFound
from xiaodazi.core.tools import (
    Gate,
    Risk,
    ToolContext,
    ToolFailed,
    ToolOutput,
    ToolRetry,
    ToolSpec,
    Verdict,
    tool,
)
from xiaodazi.skills.model import Skill

MAX_READ_BYTES = 256 * 1024
MAX_OUTPUT_CHARS = 20_000
DEFAULT_TIMEOUT = 120
MAX_TIMEOUT = 600
# Only these reach a skill script; provider keys and tokens never do.
ENV_PASSTHROUGH = (
    "PATH", "HOME", "USER", "USERNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TEMP", "TMP",
    "SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "PATHEXT", "USERPROFILE", "APPDATA", "LOCALAPPDATA",
    "PROGRAMDATA", "PROGRAMFILES", "DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR", "XAUTHORITY",
)


def _skill(ctx: ToolContext, name: str) -> Skill:
    try:
        return ctx.service("skills").get(name)
    except NotFound as exc:
        raise ToolRetry(f"no skill named {name!r}; use a name from the skills list") from exc


def inside(folder: Path, relative: str) -> Path:
    """Resolve `relative` inside `folder`; ToolRetry for absolute paths, `..` and symlinks leading out."""
    if not relative or Path(relative).is_absolute() or relative.startswith(("/", "\\")) or ":" in relative:
        raise ToolRetry(f"{relative!r} must be a path relative to the skill folder")
    root = folder.resolve()
    target = (folder / relative).resolve()
    if not target.is_relative_to(root):
        raise ToolRetry(f"{relative!r} leads outside the skill folder")
    return target


@tool(risk=Risk.read)
def load_skill(ctx: ToolContext, name: str) -> str:
    """Read a skill's instructions before following it; also lists the skill's files.

    Args:
        name: the skill name, as listed in the system prompt
    """
    skill = _skill(ctx, name)
    files = "\n".join(f"- {f}" for f in skill.files()) or "- SKILL.md"
    return (
        f"# Skill: {skill.name}\nfolder: {skill.path}\n"
        f"files (read with read_skill_file, run scripts/* with run_skill_script):\n{files}\n\n{skill.body}"
    )


@tool(risk=Risk.read)
def read_skill_file(ctx: ToolContext, name: str, path: str) -> ToolOutput:
    """Read a text file that belongs to a skill (references, templates, scripts).

    Args:
        name: the skill name
        path: the file's path relative to the skill folder, e.g. references/guide.md
    """
    skill = _skill(ctx, name)
    target = inside(skill.path, path)
    if not target.is_file():
        raise ToolRetry(f"{path!r} is not a file of skill {name}; load_skill lists its files")
    if target.stat().st_size > MAX_READ_BYTES:
        raise ToolRetry(f"{path!r} is larger than {MAX_READ_BYTES // 1024} KB")
    try:
        text = target.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ToolRetry(f"{path!r} is not a UTF-8 text file") from exc
    # Skills from the user's own folder or an import are someone else's text, not ours.
    return ToolOutput(text=text, untrusted=skill.source != "bundled")


def _script(ctx: ToolContext, skill_name: str, script: str) -> tuple[Skill, Path]:
    skill = _skill(ctx, skill_name)
    path = inside(skill.path, f"scripts/{script}")
    if not path.is_relative_to((skill.path / "scripts").resolve()) or not path.is_file():
        raise ToolRetry(f"skill {skill_name} has no script scripts/{script}")
    return skill, path


def _script_gate(ctx: ToolContext, args: dict[str, Any]) -> Gate:
    """Ask before running a skill script unless the user always allowed that exact script."""
    skill_name, script = str(args.get("skill", "")), str(args.get("script", ""))
    try:
        _script(ctx, skill_name, script)
    except (ToolRetry, ToolFailed) as exc:
        return Gate(Verdict.deny, reason=exc.message)
    library = ctx.service("skills")
    rule = f"skill-script {skill_name}/{script}"
    if library.script_allowed(skill_name, script):
        return Gate(Verdict.allow, reason="always allowed by the user", rule=rule)
    argv = " ".join([f"scripts/{script}", *map(str, args.get("args") or [])])
    return Gate(
        Verdict.ask, reason=f"run script {script} of skill {skill_name}", rule=rule,
        detail=f"python {argv}", remember=lambda: library.allow_script(skill_name, script),
    )


def script_env(skill: Skill, data_dir: Path | None = None) -> dict[str, str]:
    """A stripped environment: basics, the app's data folder, and the variables the skill itself declares."""
    env = {k: v for k, v in os.environ.items() if k.upper() in ENV_PASSTHROUGH}
    if data_dir is not None:  # skills that read the app's own files (history search, skill creator) need it
        env["XIAODAZI_DATA_DIR"] = str(data_dir)
    env.update({k: os.environ[k] for k in skill.meta_list("requires-env") if k in os.environ})
    env.update(PYTHONIOENCODING="utf-8", PYTHONUTF8="1", PYTHONDONTWRITEBYTECODE="1")
    return env


def cap(text: str, limit: int = MAX_OUTPUT_CHARS) -> str:
    """Head and tail of a long output, with a note of what was cut."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}\n… [{len(text) - limit} characters cut] …\n{text[-half:]}"


async def _run(argv: list[str], cwd: Path, env: dict[str, str], timeout: int) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *argv, cwd=cwd, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except (TimeoutError, asyncio.CancelledError):
        proc.kill()
        await proc.wait()
        raise
    return proc.returncode or 0, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


@tool(risk=Risk.execute, gate=_script_gate)
async def run_skill_script(
    ctx: ToolContext, skill: str, script: str, args: list[str] | None = None, timeout: int = DEFAULT_TIMEOUT,
) -> ToolOutput:
    """Run a Python helper script from a skill's scripts/ folder, in the workspace, and return its output.

    Args:
        skill: the skill name
        script: the script's file name inside scripts/, e.g. plan.py
        args: command-line arguments passed to the script
        timeout: seconds before the script is stopped (at most 600)
    """
    spec, path = _script(ctx, skill, script)
    ctx.workspace.mkdir(parents=True, exist_ok=True)
    argv = [*python_command(), str(path), *(args or [])]
    seconds = max(1, min(timeout, MAX_TIMEOUT))
    try:
        code, out, err = await _run(argv, ctx.workspace, script_env(spec, ctx.data_dir), seconds)
    except TimeoutError as exc:
        raise ToolFailed(f"scripts/{script} of skill {skill} did not finish within {seconds} s") from exc
    text = cap(out) + (f"\n[stderr]\n{cap(err, MAX_OUTPUT_CHARS // 4)}" if err.strip() else "")
    if code != 0:
        raise ToolFailed(f"scripts/{script} exited with code {code}\n{text}")
    return ToolOutput(text=text or "(no output)", data={"exit_code": code})


TOOLS: list[ToolSpec] = [load_skill, read_skill_file, run_skill_script]
