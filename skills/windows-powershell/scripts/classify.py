#!/usr/bin/env python3
"""Classify PowerShell command lines as read-only or needing approval (changes the system), stage by stage, with reasons."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

READ_VERBS = {"get", "test", "measure", "select", "where", "sort", "group", "format", "out", "convertto", "convertfrom",
              "resolve", "find", "search", "compare", "show", "read", "foreach", "tee", "write", "import"}
CHANGE_VERBS = {"set", "new", "remove", "stop", "start", "restart", "install", "uninstall", "enable", "disable", "add",
                "clear", "move", "rename", "copy", "invoke", "update", "register", "unregister", "suspend", "resume",
                "mount", "dismount", "reset", "expand", "compress", "export", "push", "pop", "send", "grant", "revoke",
                "block", "unblock", "lock", "unlock", "initialize", "repair", "save", "publish", "connect", "disconnect"}
ALWAYS_DANGEROUS = {"format-volume", "clear-disk", "remove-partition", "initialize-disk", "stop-computer", "restart-computer",
                    "invoke-expression", "iex", "set-executionpolicy", "remove-item", "del", "rm", "rd", "rmdir", "erase"}
ALIASES_READ = {"ls", "dir", "gci", "cat", "type", "gc", "echo", "pwd", "gps", "ps", "gsv", "where", "select", "sort",
                "ft", "fl", "measure", "%", "?", "findstr", "ipconfig", "whoami", "hostname", "systeminfo", "tasklist",
                "ping", "nslookup", "tracert", "netstat", "ver", "wmic"}
ALIASES_CHANGE = {"cp", "copy", "mv", "move", "ren", "mkdir", "md", "ni", "kill", "taskkill", "sc", "reg", "netsh",
                  "schtasks", "shutdown", "winget", "choco", "bcdedit", "diskpart", "icacls", "takeown", "attrib", "cd", "sl"}
READ_NATIVE_SUBCOMMANDS = {("reg", "query"), ("sc", "query"), ("sc", "qc"), ("netsh", "show"), ("schtasks", "/query"),
                           ("winget", "list"), ("winget", "search"), ("winget", "show")}


def stages(line: str) -> list[str]:
    """Pipeline stages and ;-separated statements, ignoring separators inside quotes."""
    parts, buf, quote = [], "", ""
    for ch in line:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "|;":
            parts.append(buf.strip())
            buf = ""
            continue
        buf += ch
    return [p for p in [*parts, buf.strip()] if p]


def judge(stage: str) -> tuple[str, str]:
    """('read'|'change'|'dangerous'|'unknown', reason) for one command."""
    words = stage.split()
    name = words[0].lower().lstrip("&.").strip("'\"") if words else ""
    if re.search(r"(^|\s)>{1,2}\s*\S", stage) or "out-file" in stage.lower() or "set-content" in stage.lower():
        return "change", "writes to a file"
    if name in ALWAYS_DANGEROUS:
        return "dangerous", f"{name} deletes, formats, restarts or runs arbitrary code"
    if "-" in name:
        verb = name.split("-", 1)[0]
        if verb in READ_VERBS:
            return "read", f"{verb}- only reads or formats"
        if verb in CHANGE_VERBS:
            return "change", f"{verb}- changes the system"
    sub = words[1].lower() if len(words) > 1 else ""
    if (name, sub) in READ_NATIVE_SUBCOMMANDS or (name == "netsh" and " show " in f" {stage.lower()} "):
        return "read", f"{name} {sub} only queries"
    if name in ALIASES_READ:
        return "read", f"{name} only reads"
    if name in ALIASES_CHANGE:
        return "change", f"{name} can change files or settings"
    return "unknown", f"{name or stage} is not a known command: treat as a change"


def classify(line: str) -> dict:
    """The worst verdict over every stage decides whether approval is needed."""
    verdicts = [{"stage": s, "verdict": v, "reason": r} for s in stages(line) for v, r in [judge(s)]]
    order = ["read", "unknown", "change", "dangerous"]
    worst = max((v["verdict"] for v in verdicts), key=order.index, default="read")
    return {"command": line, "verdict": worst, "needs_approval": worst != "read", "stages": verdicts}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; exit 0 when every line is read-only, 1 when some need approval, 2 bad input."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("commands", nargs="*", help="PowerShell lines (or use --file)")
    ap.add_argument("--file", help="a .ps1 file, one statement per line")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    lines = list(a.commands)
    if a.file:
        lines += [ln for ln in Path(a.file).read_text(encoding="utf-8-sig").splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines:
        ap.error("give commands or --file")
    results = [classify(line) for line in lines]
    print(json.dumps({"results": results, "needs_approval": any(r["needs_approval"] for r in results)}, ensure_ascii=False, indent=1))
    return 1 if any(r["needs_approval"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
