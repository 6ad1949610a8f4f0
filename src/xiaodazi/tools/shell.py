"""run_shell: one command in bash (PowerShell on Windows), in the workspace, gated by the command policy.

The child gets an environment without provider keys or tokens, its own process group (a timeout
or a stop kills the whole group), no stdin, and output capped for the model with the full text
saved to a file in the workspace.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from xiaodazi.core.tools import Gate, Risk, ToolContext, ToolFailed, ToolOutput, Verdict, tool
from xiaodazi.tools.paths import allowed_roots, display_path

IS_WINDOWS = sys.platform.startswith("win")
OUTPUT_CAP = 19_000  # below the agent loop's own 20 000 cut, so the note about the saved file survives
KEEP_BYTES = 20 * 1024 * 1024  # beyond this the saved copy is cut too
OUTPUT_DIR = ".xiaodazi/outputs"
_SECRET_NAME = re.compile(r"(_API_KEY|_TOKEN|_SECRET|_PASSWORD|_PASSWD|_CREDENTIALS?|_ACCESS_KEY|_PRIVATE_KEY|"
                          r"_SECRET_ACCESS_KEY|_AUTH)$|^XIAODAZI_|^LITELLM_|SECRET|TOKEN", re.I)


def provider_key_names() -> set[str]:
    """Environment names of the model providers' keys (doctor's list)."""
    from xiaodazi.doctor import PROVIDER_KEYS

    return set(PROVIDER_KEYS.values())


def clean_env(environ: dict[str, str] | None = None) -> dict[str, str]:
    """A copy of the environment without provider keys, tokens and secrets, with pagers turned off."""
    source = dict(os.environ if environ is None else environ)
    drop = provider_key_names()
    env = {k: v for k, v in source.items() if k not in drop and not _SECRET_NAME.search(k)}
    env.update({"PAGER": "cat", "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "PYTHONIOENCODING": "utf-8"})
    if "GIT_CONFIG_COUNT" not in env:
        # A repository's own config may name an fsmonitor program that `git status` would run.
        env.update({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "core.fsmonitor", "GIT_CONFIG_VALUE_0": "false"})
    return env


@dataclass
class ProcResult:
    """What a finished (or killed) child left behind."""

    exit_code: int | None
    output: str
    timed_out: bool
    truncated_bytes: bool


def _kill_group(proc: asyncio.subprocess.Process) -> None:
    try:
        if IS_WINDOWS:
            import subprocess

            subprocess.run(["taskkill", "/T", "/F", "/PID", str(proc.pid)], capture_output=True, check=False)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass


async def _drain(stream: asyncio.StreamReader, sink: bytearray) -> bool:
    """Read everything; keep at most KEEP_BYTES. True when some was dropped."""
    dropped = False
    while chunk := await stream.read(65536):
        room = KEEP_BYTES - len(sink)
        sink.extend(chunk[:max(room, 0)])
        dropped |= len(chunk) > room
    return dropped


async def run_process(argv: list[str], *, cwd: Path, env: dict[str, str], timeout: float) -> ProcResult:
    """Run a child in its own process group, stdout+stderr merged; kill the group on timeout or cancel."""
    extra = {"creationflags": 0x00000200} if IS_WINDOWS else {"start_new_session": True}
    proc = await asyncio.create_subprocess_exec(
        *argv, cwd=str(cwd), env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, **extra,
    )
    sink = bytearray()
    reader = asyncio.ensure_future(_drain(proc.stdout, sink))
    timed_out = False
    try:
        await asyncio.wait_for(asyncio.shield(proc.wait()), timeout)
        # Background children may keep the pipe open; give them a moment, then cut.
        await asyncio.wait_for(asyncio.shield(reader), 2)
    except TimeoutError:
        timed_out = proc.returncode is None
        _kill_group(proc)
    except asyncio.CancelledError:
        _kill_group(proc)
        raise
    finally:
        if proc.returncode is None:
            _kill_group(proc)
        await proc.wait()
        reader.cancel()
    dropped = reader.result() if reader.done() and not reader.cancelled() else False
    return ProcResult(proc.returncode, bytes(sink).decode("utf-8", errors="replace"), timed_out, dropped)


def cap_output(ctx: ToolContext, text: str, label: str) -> tuple[str, str | None]:
    """Head and tail of long output for the model; the whole text saved in the workspace."""
    if len(text) <= OUTPUT_CAP:
        return text, None
    folder = Path(ctx.workspace) / OUTPUT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{label}-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**6}.txt"
    path.write_text(text, encoding="utf-8")
    half = OUTPUT_CAP // 2
    omitted = len(text) - OUTPUT_CAP
    shown = f"{text[:half]}\n… ({omitted} characters omitted; full output in {display_path(ctx, path)}) …\n{text[-half:]}"
    return shown, display_path(ctx, path)


def shell_argv(command: str) -> list[str]:
    """bash on Linux/macOS, PowerShell on Windows."""
    if IS_WINDOWS:
        return ["powershell", "-NoProfile", "-NonInteractive", "-Command", command]
    return ["bash", "-c", command]


def shell_gate(ctx: ToolContext, args: dict) -> Gate:
    """The command policy decides; without one every command asks."""
    command = str(args.get("command", ""))
    policy = ctx.services.get("policy")
    if policy is None:
        return Gate(Verdict.ask, reason="no command policy is loaded", rule="default:ask", detail=command)
    from xiaodazi.tools.policy import PathEnv

    return policy.check(command, PathEnv(cwd=Path(ctx.workspace), roots=allowed_roots(ctx)))


@tool(risk=Risk.execute, gate=shell_gate)
async def run_shell(ctx: ToolContext, command: str, timeout: int = 60) -> ToolOutput:
    """Run a shell command in the workspace (bash; PowerShell on Windows) and return its output.

    Args:
        command: the command line
        timeout: seconds before the command is stopped (max 600)
    """
    Path(ctx.workspace).mkdir(parents=True, exist_ok=True)
    limit = max(1, min(int(timeout), 600))
    result = await run_process(shell_argv(command), cwd=Path(ctx.workspace), env=clean_env(), timeout=limit)
    text, saved = cap_output(ctx, result.output, "shell")
    if result.timed_out:
        raise ToolFailed(f"timed out after {limit}s; the command and its children were stopped.\n{text}")
    head = f"exit code {result.exit_code}" + (f"; full output saved to {saved}" if saved else "")
    return ToolOutput(text=f"{head}\n{text}".rstrip(), data={"exit_code": result.exit_code, "output_file": saved})


TOOLS = [run_shell]
