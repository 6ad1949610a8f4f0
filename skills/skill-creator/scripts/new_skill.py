#!/usr/bin/env python3
"""Scaffold a new skill folder (SKILL.md with valid frontmatter and a body outline) and validate skill folders.

Validation uses the app's own checker when it is importable, plus the same basic rules built in, so the result
matches what the app will accept. Existing skills are never overwritten.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GROUPS = {"files", "documents", "data", "web", "writing", "office", "desktop", "dev", "media", "system",
          "knowledge", "life", "learning", "finance", "china"}
KEYS = {"name", "description", "license", "compatibility", "metadata", "allowed-tools"}


def user_skills_dir() -> Path:
    """Where the app looks for the user's own skills (<data dir>/skills)."""
    if os.environ.get("XIAODAZI_DATA_DIR"):
        return Path(os.environ["XIAODAZI_DATA_DIR"]).expanduser() / "skills"
    if sys.platform == "darwin":
        base = Path.home() / "Library/Application Support"
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData/Local"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share"))
    return base / "xiaodazi" / "skills"


def frontmatter(args: argparse.Namespace) -> str:
    """YAML frontmatter built by hand with JSON-quoted strings (valid YAML, no PyYAML needed)."""
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731
    meta = {"group": args.group, "name-zh": args.name_zh, "description-zh": args.description_zh, "keywords": args.keywords}
    lines = ["---", f"name: {args.name}", f"description: {q(args.description)}", "license: Apache-2.0", "metadata:"]
    lines += [f"  {k}: {q(v)}" for k, v in meta.items() if v]
    lines += [f"allowed-tools: {args.tools}", "---", ""]
    return "\n".join(lines)


BODY = """# {title}

{description}

**Use it when** … (the user's typical words). **Not for** … (say which other skill fits instead).

## Steps

1. …
2. …
3. Before anything that changes files or settings: show the plan and `ask_user`.

## Pitfalls

- …

## Examples

**中文**：「…」 → …

**English**: "…" → …
"""


def create(args: argparse.Namespace) -> tuple[dict, int]:
    """Write <dir>/<name>/SKILL.md (and scripts/ when asked); refuses to overwrite."""
    if not NAME_RE.match(args.name) or len(args.name) > 64:
        return {"ok": False, "error": "name must be lowercase letters, digits and single hyphens, at most 64 characters"}, 2
    folder = Path(os.path.expanduser(args.dir)) / args.name if args.dir else user_skills_dir() / args.name
    if folder.exists():
        return {"ok": False, "error": f"{folder} exists already; choose another name or edit it"}, 1
    body = Path(args.body_file).read_text(encoding="utf-8") if args.body_file else BODY.format(
        title=args.name_zh or args.name, description=args.description)
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(frontmatter(args) + body, encoding="utf-8")
    if args.with_scripts:
        (folder / "scripts").mkdir()
    report = validate(folder)
    return {**report, "created": str(folder)}, 0 if report["ok"] else 1


def basic_checks(folder: Path) -> tuple[list[str], list[str]]:
    """The rules every skill must meet, without the app."""
    text = (folder / "SKILL.md").read_text(encoding="utf-8") if (folder / "SKILL.md").is_file() else ""
    m = re.match(r"^\ufeff?---\r?\n(.*?)\r?\n---[ \t]*\r?\n(.*)$", text, re.S)
    if not m:
        return ["SKILL.md is missing or has no --- frontmatter"], []
    import yaml
    try:
        data = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        return [f"frontmatter is not valid YAML: {exc}"], []
    errors, warnings = [], []
    name, desc = data.get("name"), data.get("description")
    if not isinstance(name, str) or not NAME_RE.match(name) or len(name) > 64:
        errors.append("'name' must be lowercase letters, digits and single hyphens (≤ 64)")
    elif name != folder.name:
        errors.append(f"'name' {name!r} differs from the folder name {folder.name!r}")
    if not isinstance(desc, str) or not desc.strip() or len(desc) > 1024:
        errors.append("'description' is missing or longer than 1024 characters")
    elif "use when" not in desc.lower():
        warnings.append("the description should end with 'Use when …' so the assistant knows when to pick it")
    if set(map(str, data)) - KEYS:
        warnings.append(f"unknown fields: {sorted(set(map(str, data)) - KEYS)}")
    group = (data.get("metadata") or {}).get("group")
    if group and group not in GROUPS:
        warnings.append(f"metadata group {group!r} is not one of {sorted(GROUPS)}")
    for ref in set(re.findall(r"(?<![\w/.-])scripts/[\w./-]*\w", m.group(2))):
        if not (folder / ref).is_file():
            warnings.append(f"the body mentions {ref} but the file does not exist")
    return errors, warnings


def validate(folder: Path) -> dict:
    """Errors make a skill unusable; warnings do not."""
    errors, warnings = basic_checks(folder)
    checker = "built-in"
    try:
        from xiaodazi.skills.model import SkillInvalid, parse_skill
        checker = "xiaodazi"
        try:
            warnings = sorted(set(warnings) | set(parse_skill(folder, source="user").warnings))
        except SkillInvalid as exc:
            errors = sorted(set(errors) | set(exc.fields.get("problems") or [exc.message]))
    except ImportError:
        pass
    return {"ok": not errors, "folder": str(folder), "errors": errors, "warnings": warnings, "checker": checker}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("create", help="scaffold a new skill")
    c.add_argument("name", help="kebab-case, e.g. weekly-report")
    c.add_argument("--description", required=True, help="what it does, then 'Use when …'")
    c.add_argument("--group", default="")
    c.add_argument("--name-zh", default="")
    c.add_argument("--description-zh", default="")
    c.add_argument("--keywords", default="", help="space-separated words users would say")
    c.add_argument("--tools", default="read_file write_file ask_user", help="space-separated tool names")
    c.add_argument("--body-file", help="use this Markdown file as the body instead of the outline")
    c.add_argument("--with-scripts", action="store_true", help="also create an empty scripts/ folder")
    c.add_argument("--dir", help=f"parent folder (default: the app's user skills folder, {user_skills_dir()})")
    v = sub.add_parser("validate", help="check skill folders")
    v.add_argument("folders", nargs="+")
    for x in (c, v):
        x.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    if args.cmd == "create":
        result, code = create(args)
    else:
        reports = [validate(Path(os.path.expanduser(f))) for f in args.folders]
        result, code = {"ok": all(r["ok"] for r in reports), "results": reports}, 0 if all(r["ok"] for r in reports) else 1
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return code


if __name__ == "__main__":
    sys.exit(main())
