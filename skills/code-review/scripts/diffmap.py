#!/usr/bin/env python3
"""Map a unified diff to files and real line numbers, and flag common risky patterns in the added lines."""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

HUNK_RE = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)")
# (rule id, pattern on an added line, why it matters) — hints for the reviewer, not verdicts.
CHECKS = [
    ("secret", re.compile(r"(?i)(api[_-]?key|secret|password|passwd|token)\s*[:=]\s*['\"][^'\"]{6,}['\"]"),
     "looks like a hard-coded credential"),
    ("debug", re.compile(r"\b(console\.log|print\(|debugger;|pdb\.set_trace|breakpoint\(\))"), "debug output left in"),
    ("bare-except", re.compile(r"^\s*except\s*:|catch\s*\(\s*\w*\s*\)\s*\{\s*\}"), "swallows every error"),
    ("sql-concat", re.compile(r"(?i)(execute|query)\s*\(\s*f?['\"].*(select|insert|update|delete).*(\+|\{|%s?\b.*%)"),
     "SQL built from strings: injection risk, use parameters"),
    ("shell", re.compile(r"shell\s*=\s*True|os\.system\(|eval\(|exec\("), "runs code or shell from strings"),
    ("todo", re.compile(r"\b(TODO|FIXME|XXX|HACK)\b"), "unfinished work marker"),
    ("eq-none", re.compile(r"[!=]=\s*None\b"), "compare with None using 'is' / 'is not'"),
    ("mutable-default", re.compile(r"def \w+\(.*=\s*(\[\]|\{\}|set\(\))"), "mutable default argument is shared"),
    ("off-by-one", re.compile(r"range\(\s*len\([^)]*\)\s*[-+]\s*1\s*\)|<=\s*len\("), "check the loop bound"),
    ("loose-eq", re.compile(r"[^=!]==[^=]"), None),  # JavaScript only, see below
]


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def _new_file(files: list[dict]) -> dict:
    cur = {"old_path": None, "path": None, "hunks": [], "added": 0, "removed": 0}
    files.append(cur)
    return cur


def parse_diff(text: str) -> list[dict]:
    """Files of a unified diff with hunks; each added/removed line keeps its new/old line number."""
    files: list[dict] = []
    cur: dict | None = None
    hunk: dict | None = None
    old = new = 0
    for raw in text.splitlines():
        if raw.startswith("diff --git"):
            cur, hunk = _new_file(files), None
        elif raw.startswith("--- ") and (hunk is None or not hunk["lines"] or raw[4:].startswith(("a/", "/dev/null"))):
            if cur is None or cur["hunks"]:  # plain `diff -u` output has no "diff --git" line
                cur, hunk = _new_file(files), None
            cur["old_path"] = raw[4:].split("\t")[0].removeprefix("a/")
        elif raw.startswith("+++ ") and cur is not None and not cur["hunks"]:
            cur["path"] = raw[4:].split("\t")[0].removeprefix("b/")
        elif (m := HUNK_RE.match(raw)) and cur is not None:
            old, new = int(m[1]), int(m[3])
            hunk = {"header": raw, "old_start": old, "new_start": new, "lines": []}
            cur["hunks"].append(hunk)
        elif hunk is not None and cur is not None and raw[:1] in ("+", "-", " ", ""):
            kind = {"+": "add", "-": "del"}.get(raw[:1], "ctx")
            hunk["lines"].append({"kind": kind, "line": old if kind == "del" else new, "text": raw[1:]})
            new += kind != "del"
            old += kind != "add"
            if kind != "ctx":
                cur["added" if kind == "add" else "removed"] += 1
    return [f for f in files if f["path"] or f["old_path"]]


def flags_for(files: list[dict]) -> list[dict]:
    """Risky patterns on added lines, with file and new line number."""
    out = []
    for f in files:
        js = (f["path"] or "").endswith((".js", ".ts", ".jsx", ".tsx", ".vue"))
        for h in f["hunks"]:
            for ln in h["lines"]:
                if ln["kind"] != "add":
                    continue
                for rule, rx, why in CHECKS:
                    if rule == "loose-eq" and not js:
                        continue
                    if rx.search(ln["text"]):
                        out.append({"file": f["path"], "line": ln["line"], "rule": rule,
                                    "why": why or "use === / !== in JavaScript", "text": ln["text"].strip()[:160]})
    return out


def get_diff(a) -> str:
    """The diff text: a file, or `git diff` of the repo (staged or against a ref)."""
    if a.diff:
        return Path(a.diff).read_text(encoding="utf-8", errors="replace")
    args = ["git", "-c", "core.quotepath=off", "-C", a.repo, "diff", "--no-color", "-U3"]
    args += ["--cached"] if a.staged else ([a.against] if a.against else [])
    proc = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        fail(proc.stderr.strip() or "git diff failed")
    return proc.stdout


def main(argv: list[str] | None = None) -> None:
    """Print files, changed line numbers and flags as JSON."""
    ap = argparse.ArgumentParser(description="map a diff to line numbers and flag risky additions")
    ap.add_argument("diff", nargs="?", help="a .diff/.patch file; omit to read `git diff` of --repo")
    ap.add_argument("--repo", default=".")
    ap.add_argument("--staged", action="store_true", help="git: staged changes")
    ap.add_argument("--against", help="git: compare the working tree with this ref, e.g. main")
    ap.add_argument("--full", action="store_true", help="include every hunk line, not only added/removed")
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    try:
        files = parse_diff(get_diff(a))
    except (OSError, FileNotFoundError) as exc:
        fail(str(exc))
    if not a.full:
        for f in files:
            for h in f["hunks"]:
                h["lines"] = [ln for ln in h["lines"] if ln["kind"] != "ctx"]
    out = {"ok": True, "files": files, "flags": flags_for(files),
           "totals": {"files": len(files), "added": sum(f["added"] for f in files),
                      "removed": sum(f["removed"] for f in files)}}
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))


if __name__ == "__main__":
    main()
