#!/usr/bin/env python3
"""Scan folders for exposed secrets and personal data, and for sensitive files others can read. Read-only.

Finds private keys, API keys and tokens, password assignments, mainland China ID numbers (checksum verified),
bank card numbers (Luhn verified) and mobile numbers. Findings are masked: the report never repeats a secret.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import stat
import sys
from pathlib import Path

SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".cache", "Library", "AppData"}
MAX_BYTES = 5 * 1024 * 1024
PATTERNS: list[tuple[str, str, re.Pattern]] = [
    ("private_key", "high", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")),
    ("aws_access_key", "high", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("github_token", "high", re.compile(r"\b(?:ghp|gho|ghu|ghs|github_pat)_[A-Za-z0-9_]{20,}\b")),
    ("api_key", "high", re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b")),
    ("slack_token", "high", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}\b")),
    ("password_assignment", "medium", re.compile(
        r"(?i)(?:password|passwd|pwd|secret|token|api[_-]?key|密码|口令)\s*[:=：]\s*[\"']?([^\s\"',;]{6,})")),
    ("cn_id_number", "high", re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")),
    ("bank_card", "medium", re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)")),
    ("cn_mobile", "low", re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")),
]
SENSITIVE_NAMES = re.compile(r"(?i)(^id_(rsa|ed25519|ecdsa)$|\.pem$|\.key$|\.p12$|\.pfx$|^\.env(\..+)?$|credentials|\.kdbx$)")
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_checksum_ok(number: str) -> bool:
    """GB 11643 check digit of an 18-digit resident ID number, plus a sane birth date."""
    if len(number) != 18:
        return False
    body, check = number[:17], number[17].upper()
    if not body.isdigit() or not ("19000101" <= number[6:14] <= "21001231") or not 1 <= int(number[10:12]) <= 12:
        return False
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11] == check


def luhn_ok(digits: str) -> bool:
    """Luhn check used by bank cards."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def mask(value: str) -> str:
    """Keep a hint of the value without repeating it."""
    value = value.strip()
    return value[:3] + "*" * max(len(value) - 6, 3) + value[-3:] if len(value) > 8 else value[:1] + "***"


def valid(kind: str, text: str) -> bool:
    if kind == "cn_id_number":
        return id_checksum_ok(text)
    if kind == "bank_card":
        digits = re.sub(r"\D", "", text)
        return 16 <= len(digits) <= 19 and luhn_ok(digits) and not id_checksum_ok(digits[:18])
    return True


def scan_text(text: str, kinds: set[str]) -> list[dict]:
    """Findings in one text with line numbers and masked values."""
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        taken: list[tuple[int, int]] = []
        for kind, severity, rx in PATTERNS:
            if kinds and kind not in kinds:
                continue
            for m in rx.finditer(line):
                span = m.span()
                # A digit run already reported as an ID is not also a card or phone number.
                if any(a < span[1] and span[0] < b for a, b in taken) or not valid(kind, m.group(0)):
                    continue
                taken.append(span)
                shown = m.group(1) if m.groups() and m.group(1) else m.group(0)
                out.append({"line": lineno, "kind": kind, "severity": severity, "masked": mask(shown)})
    return out


def permission_issue(path: Path) -> str | None:
    """World-readable sensitive files and world-writable files (POSIX only)."""
    if os.name != "posix":
        return None
    mode = path.lstat().st_mode
    if SENSITIVE_NAMES.search(path.name) and mode & (stat.S_IRGRP | stat.S_IROTH):
        return f"sensitive file readable by others (mode {stat.filemode(mode)}); suggest chmod 600"
    if mode & stat.S_IWOTH:
        return f"writable by every user (mode {stat.filemode(mode)})"
    return None


def walk(roots: list[Path]):
    for root in roots:
        if root.is_file():
            yield root
            continue
        for dirpath, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
            for f in files:
                yield Path(dirpath) / f


def scan(roots: list[Path], kinds: set[str]) -> dict:
    """Every finding under the roots, grouped per file, plus a count per kind."""
    files, counts, scanned, skipped = [], {}, 0, 0
    for path in walk(roots):
        try:
            if path.is_symlink() or path.stat().st_size > MAX_BYTES:
                skipped += 1
                continue
            data = path.read_bytes()
        except OSError:
            skipped += 1
            continue
        if b"\0" in data[:4096]:
            skipped += 1  # binary
            continue
        scanned += 1
        findings = scan_text(data.decode("utf-8", errors="replace"), kinds)
        perm = permission_issue(path)
        if perm:
            findings.append({"line": 0, "kind": "permissions", "severity": "medium", "masked": perm})
        if findings:
            files.append({"path": str(path), "findings": findings})
            for f in findings:
                counts[f["kind"]] = counts.get(f["kind"], 0) + 1
    return {"ok": True, "files_scanned": scanned, "files_skipped": skipped, "files_flagged": len(files),
            "counts": counts, "files": files}


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when nothing was found, 1 when something was (the report lists it), 2 on bad input."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("paths", nargs="+", help="folders or files to scan")
    ap.add_argument("--kind", nargs="*", default=[], help="only these kinds, e.g. cn_id_number bank_card")
    ap.add_argument("--json", action="store_true", help="machine-readable output (always JSON)")
    args = ap.parse_args(argv)
    roots = [Path(os.path.expanduser(p)) for p in args.paths]
    missing = [str(r) for r in roots if not r.exists()]
    if missing:
        print(json.dumps({"ok": False, "error": f"not found: {', '.join(missing)}"}, ensure_ascii=False))
        return 2
    result = scan(roots, set(args.kind))
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 1 if result["files_flagged"] else 0


if __name__ == "__main__":
    sys.exit(main())
