#!/usr/bin/env python3
"""Read-only git summaries: repository state (branch, changes, conflicts, operation in progress) and a changelog."""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

CONVENTIONAL = re.compile(r"^(?P<type>\w+)(?:\((?P<scope>[^)]*)\))?(?P<bang>!)?:\s*(?P<msg>.+)")
SECTIONS = {"feat": "Features / 新功能", "fix": "Fixes / 修复", "perf": "Performance / 性能", "docs": "Docs / 文档",
            "refactor": "Refactoring / 重构", "test": "Tests / 测试", "build": "Build / 构建", "ci": "CI",
            "chore": "Chores / 杂项"}


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def git(repo: Path, *args: str, check: bool = True) -> str:
    """Run a read-only git command in `repo` and return stdout (UTF-8, paths unquoted)."""
    proc = subprocess.run(["git", "-c", "core.quotepath=off", "-C", str(repo), *args], capture_output=True,
                          text=True, encoding="utf-8", errors="replace")
    if check and proc.returncode != 0:
        raise RuntimeError(proc.stderr.strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def in_progress(git_dir: Path) -> str | None:
    """Which multi-step operation is half done, if any."""
    for marker, name in (("rebase-merge", "rebase"), ("rebase-apply", "rebase/am"), ("MERGE_HEAD", "merge"),
                         ("CHERRY_PICK_HEAD", "cherry-pick"), ("REVERT_HEAD", "revert"), ("BISECT_LOG", "bisect")):
        if (git_dir / marker).exists():
            return name
    return None


def status(repo: Path, log_count: int) -> dict:
    """Branch, upstream distance, staged / unstaged / untracked / conflicted files, stashes, last commits."""
    lines = git(repo, "status", "--porcelain=v2", "--branch").splitlines()
    info: dict = {"staged": [], "unstaged": [], "untracked": [], "conflicted": []}
    for ln in lines:
        if ln.startswith("# branch.head"):
            info["branch"] = ln.split()[-1]
        elif ln.startswith("# branch.upstream"):
            info["upstream"] = ln.split()[-1]
        elif ln.startswith("# branch.ab"):
            ahead, behind = ln.split()[2:4]
            info["ahead"], info["behind"] = int(ahead), -int(behind)
        elif ln.startswith(("1 ", "2 ")):
            xy, path = ln.split()[1], ln.split(" ", 8 if ln[0] == "1" else 9)[-1].split("\t")[0]
            if xy[0] != ".":
                info["staged"].append(f"{xy[0]} {path}")
            if xy[1] != ".":
                info["unstaged"].append(f"{xy[1]} {path}")
        elif ln.startswith("u "):
            info["conflicted"].append(ln.split(" ", 10)[-1])
        elif ln.startswith("? "):
            info["untracked"].append(ln[2:])
    git_dir = Path(git(repo, "rev-parse", "--absolute-git-dir").strip())
    info["in_progress"] = in_progress(git_dir)
    info["detached"] = info.get("branch") == "(detached)"
    info["stashes"] = git(repo, "stash", "list").splitlines()
    has_commits = git(repo, "rev-parse", "--verify", "-q", "HEAD", check=False).strip() != ""
    info["last_commits"] = git(repo, "log", f"-{log_count}", "--format=%h %ad %an: %s", "--date=short").splitlines() \
        if has_commits else []
    info["clean"] = not any(info[k] for k in ("staged", "unstaged", "untracked", "conflicted"))
    return info


def changelog(repo: Path, since: str | None, until: str) -> dict:
    """Commits between two refs grouped by conventional-commit type (others under 'Other')."""
    rng = f"{since}..{until}" if since else until
    groups: dict[str, list[str]] = {}
    breaking = []
    for ln in git(repo, "log", rng, "--no-merges", "--format=%h\t%s").splitlines():
        sha, _, subject = ln.partition("\t")
        m = CONVENTIONAL.match(subject)
        section = SECTIONS.get(m["type"].lower(), "Other / 其他") if m else "Other / 其他"
        text = (f"**{m['scope']}**: " if m and m["scope"] else "") + (m["msg"] if m else subject)
        groups.setdefault(section, []).append(f"{text} ({sha})")
        if m and m["bang"]:
            breaking.append(f"{text} ({sha})")
    md = [f"## {since or 'start'} → {until}"]
    if breaking:
        md += ["", "### ⚠ Breaking changes / 不兼容变更", *[f"- {b}" for b in breaking]]
    for section, items in groups.items():
        md += ["", f"### {section}", *[f"- {i}" for i in items]]
    return {"range": rng, "commits": sum(map(len, groups.values())), "sections": groups, "markdown": "\n".join(md)}


def main(argv: list[str] | None = None) -> None:
    """status | changelog — never changes the repository."""
    ap = argparse.ArgumentParser(description="read-only git summaries")
    ap.add_argument("action", choices=["status", "changelog"])
    ap.add_argument("--repo", default=".", help="a folder inside the repository (default: current)")
    ap.add_argument("--log", type=int, default=5, help="status: how many recent commits")
    ap.add_argument("--since", help="changelog: start ref (exclusive), e.g. the last tag v1.2.0")
    ap.add_argument("--until", default="HEAD", help="changelog: end ref (default HEAD)")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    repo = Path(a.repo)
    try:
        git(repo, "rev-parse", "--git-dir")
        out = status(repo, a.log) if a.action == "status" else changelog(repo, a.since, a.until)
    except FileNotFoundError:
        fail("git is not installed / 未安装 git")
    except RuntimeError as exc:
        fail(str(exc))
    print(json.dumps({"ok": True, **out}, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
