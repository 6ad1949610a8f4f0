"""`xiaodazi skills …`: list, show, match and validate skills from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from xiaodazi.skills.model import Skill, SkillInvalid, parse_skill, unknown_tools

# Tools named in the tool contract (issue 4) and the assistant's own tools; a skill may list them
# before every module that provides them is registered.
PLANNED_TOOLS = frozenset(
    "read_file write_file edit_file list_dir search_files move_file copy_file make_dir delete_file run_shell "
    "run_python web_search fetch_url create_docx create_xlsx create_pptx create_pdf screenshot click move "
    "scroll type_text hotkey open_app list_windows clipboard notify remember recall ask_user update_plan "
    "load_skill read_skill_file run_skill_script".split()
)


def known_tools() -> set[str]:
    """Every tool a skill may name: the live registry plus the fixed contract list."""
    from xiaodazi.tools import build_registry

    return set(build_registry().names()) | PLANNED_TOOLS


def skill_issues(skill: Skill, tools: set[str]) -> list[str]:
    """Warnings of a loaded skill plus tools it names that do not exist."""
    bad = unknown_tools(skill, tools)
    return [*skill.warnings, *([f"unknown tool(s) in allowed-tools: {' '.join(bad)}"] if bad else [])]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xiaodazi skills", description="list, inspect, test and check skills")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("list", help="every skill with its group, status and switch")
    show = sub.add_parser("show", help="one skill's details and instructions")
    show.add_argument("name")
    match = sub.add_parser("match", help="which skills the selector offers for a message")
    match.add_argument("text")
    match.add_argument("--top", type=int, default=3, help="how many skills at most (default 3)")
    match.add_argument("--json", action="store_true", help="print JSON")
    validate = sub.add_parser("validate", help="check SKILL.md files; exit 1 when any is invalid")
    validate.add_argument("path", nargs="?", type=Path, help="a skill folder or a folder of skills")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    return parser


def run_skills_cli(argv: list[str]) -> int:
    """Entry point of `xiaodazi skills`; returns the exit code."""
    args = _parser().parse_args(argv)
    from xiaodazi.config import Settings
    from xiaodazi.skills import build_skill_library

    library = build_skill_library(Settings(), warm=False)
    if args.action == "validate":
        return validate(args.path, library, args.strict)
    return {"list": cmd_list, "show": cmd_show, "match": cmd_match}[args.action](library, args)


def cmd_list(library, _args) -> int:
    """Print one line per skill, then the folders that were skipped."""
    for skill in library.skills():
        state, missing = library.status(skill.name)
        flag = "on " if library.is_enabled(skill.name) else "off"
        need = f"  ({', '.join(m.name for m in missing)})" if missing else ""
        print(f"{skill.name:28} {skill.group or '-':10} {flag} {state.value}{need}  {skill.name_zh}")
    for problem in library.problems():
        print(f"{problem.path.name:28} INVALID  {'; '.join(problem.reasons)}", file=sys.stderr)
    return 0


def cmd_show(library, args) -> int:
    """Print one skill's fields and body."""
    from xiaodazi.core.errors import NotFound

    try:
        skill = library.get(args.name)
    except NotFound as exc:
        print(exc.message, file=sys.stderr)
        return 1
    state, missing = library.status(skill.name)
    print(f"name: {skill.name}  ({skill.name_zh})\ngroup: {skill.group}\nsource: {skill.source}  {skill.path}")
    print(f"status: {state.value}" + "".join(f"\n  - {m.describe()}" for m in missing))
    print(f"enabled: {library.is_enabled(skill.name)}\ntools: {' '.join(skill.allowed_tools)}")
    print(f"description: {skill.description}\n\n{skill.body}")
    return 0


def cmd_match(library, args) -> int:
    """Print the skills the selector would offer for a text."""
    matches = library.match(args.text, args.top)
    if args.json:
        print(json.dumps({"matches": [{"name": n, "score": s} for n, s in matches]}, ensure_ascii=False))
    else:
        for name, score in matches:
            print(f"{score:8.3f}  {name}")
        if not matches:
            print("(no skill matches)")
    return 0


def _folders(path: Path | None, library) -> list[tuple[Path, str]]:
    if path is None:
        return [(d, r.source) for r in library.roots if r.path.is_dir() for d in sorted(r.path.iterdir())
                if d.is_dir() and not d.name.startswith((".", "_"))]
    if (path / "SKILL.md").is_file():
        return [(path, "user")]
    if path.is_dir():
        return [(d, "user") for d in sorted(path.iterdir()) if d.is_dir() and not d.name.startswith((".", "_"))]
    return [(path, "user")]


def validate(path: Path | None, library, strict: bool = False) -> int:
    """Check every skill folder under `path` (default: all skill folders); 1 when any fails."""
    tools, failed, count = known_tools(), 0, 0
    for folder, source in _folders(path, library):
        count += 1
        try:
            issues = skill_issues(parse_skill(folder, source), tools)
        except SkillInvalid as exc:
            failed += 1
            print(f"INVALID {folder}: " + "; ".join(exc.fields.get("problems") or [exc.message]))
            continue
        failed += bool(issues and strict)
        print(f"{'WARN' if issues else 'OK  '}    {folder.name}" + "".join(f"\n        - {i}" for i in issues))
    print(f"{count} checked, {failed} failed")
    return 1 if failed or count == 0 else 0
