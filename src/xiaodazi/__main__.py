"""Command line: picks the mode (desktop, serve, doctor) and nothing else."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from typing import TYPE_CHECKING

# Before anything can import litellm: use its bundled price map, never download one at import.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from xiaodazi import __version__  # noqa: E402

if TYPE_CHECKING:
    from xiaodazi.config import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xiaodazi", description="小搭子 — a local-first desktop AI agent")
    parser.add_argument("--version", action="version", version=f"xiaodazi {__version__}")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="run the API and web UI without a window (server mode)")
    serve.add_argument("--host", default=None, help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8000)")
    sub.add_parser("doctor", help="check the installation and say what to fix")
    quick = sub.add_parser("quick-ask", help="ask the running desktop app a question in its quick-ask window")
    quick.add_argument("text", help="the question")
    sub.add_parser("skills", help="list, show, match and validate skills (xiaodazi skills -h)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `xiaodazi` command."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["python"] and getattr(sys, "frozen", False):  # the bundle's stand-in interpreter
        return run_python_mode(argv[1:])
    if argv[:1] == ["skills"]:  # the skills command parses its own sub-commands
        from xiaodazi.skills.cli import run_skills_cli

        return run_skills_cli(argv[1:])
    args = _parser().parse_args(argv)
    from xiaodazi.config import Settings

    if args.command == "doctor":
        from xiaodazi.doctor import run_doctor

        return run_doctor(Settings())
    if args.command == "serve":
        overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
        return serve(Settings(mode="serve", **overrides))
    if args.command == "quick-ask":
        return desktop(Settings(mode="desktop"), quick_text=args.text)
    return desktop(Settings(mode="desktop"))


def run_python_mode(args: list[str]) -> int:
    """`xiaodazi python [-X opt] (-c CODE | SCRIPT) [ARGS]` inside the frozen app, where no python exists."""
    import runpy

    while args[:1] == ["-X"]:
        args = args[2:]
    if args[:1] == ["-c"]:
        sys.argv = ["-c", *args[2:]]
        exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102 - it is an interpreter
        return 0
    sys.argv = args
    runpy.run_path(args[0], run_name="__main__")
    return 0


def serve(settings: Settings) -> int:
    """Server mode: refuse a public bind without a token, then serve in the foreground."""
    from xiaodazi.config import is_loopback

    if not is_loopback(settings.host) and not settings.token:
        print(
            f"xiaodazi: refusing to listen on {settings.host} without an access token.\n"
            "An agent that runs commands must not be open to the network. Set XIAODAZI_TOKEN "
            "(e.g. XIAODAZI_TOKEN=$(openssl rand -hex 24)) or bind 127.0.0.1.",
            file=sys.stderr,
        )
        return 2
    if "mcp_stdio" not in settings.model_fields_set:
        # A stdio MCP server is a local command: any logged-in user could make the server run
        # anything through one. Off in server mode unless XIAODAZI_MCP_STDIO says otherwise.
        settings.mcp_stdio = False
    generated = not settings.token
    if generated:
        settings.token = secrets.token_urlsafe(24)
    return _run(settings, show_token=generated)


def desktop(settings: Settings, quick_text: str | None = None) -> int:
    """Desktop mode: a native window on a loopback server with a per-launch token (see desktop/app.py)."""
    from xiaodazi.desktop.app import run_desktop

    return run_desktop(settings, quick_text)


def _run(settings: Settings, show_token: bool) -> int:
    from xiaodazi.api.app import create_app
    from xiaodazi.logs import setup_logging
    from xiaodazi.server import run_foreground

    settings.ensure_dirs()
    setup_logging(settings, stdout=settings.mode == "serve")
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"http://{host}:{settings.port}/"
    # Server mode keeps stdout for JSON log lines; the human hints go to stderr there.
    console = sys.stderr if settings.mode == "serve" else sys.stdout
    print(f"xiaodazi {__version__} serving at {url}", file=console, flush=True)
    if show_token:
        # Printed to the terminal for the user; never written to the log.
        print(f"open {url}?token={settings.token}", file=console, flush=True)
    run_foreground(create_app(settings), settings.host, settings.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
