#!/usr/bin/env python3
"""Test a regular expression against samples that must match and samples that must not (stdlib only)."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}
# JavaScript / PCRE spellings Python's re does not accept, and what to write instead.
FLAVOUR_FIXES = [(re.compile(r"\(\?<(?![=!])(\w+)>"), r"(?P<\1>"), (re.compile(r"\\k<(\w+)>"), r"(?P=\1)")]


def fail(message: str, code: int = 2) -> None:
    """Print an error for the model and stop."""
    print(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
    sys.exit(code)


def to_python(pattern: str) -> str:
    """Rewrite JS/PCRE named groups into Python syntax."""
    for rx, repl in FLAVOUR_FIXES:
        pattern = rx.sub(repl, pattern)
    return pattern


def to_js(pattern: str) -> str:
    """Rewrite Python named groups into JavaScript syntax."""
    return re.sub(r"\(\?P=(\w+)\)", r"\\k<\1>", re.sub(r"\(\?P<(\w+)>", r"(?<\1>", pattern))


def read_samples(inline: list[str], file: str | None) -> list[str]:
    """Samples from arguments plus one per line of a UTF-8 file."""
    out = list(inline)
    if file:
        out += [ln for ln in Path(file).read_text(encoding="utf-8-sig").splitlines() if ln.strip()]
    return out


def probe(rx: re.Pattern, text: str, mode: str) -> dict:
    """How the pattern behaves on one sample: matched?, the match and its groups."""
    m = {"full": rx.fullmatch, "search": rx.search}[mode](text)
    if not m:
        return {"sample": text, "matched": False}
    out = {"sample": text, "matched": True, "match": m.group(0), "span": list(m.span())}
    if m.groupdict():
        out["named"] = m.groupdict()
    elif m.groups():
        out["groups"] = list(m.groups())
    return out


def run(pattern: str, flags: str, mode: str, good: list[str], bad: list[str]) -> dict:
    """Check every sample and summarise what failed."""
    py = to_python(pattern)
    rx = re.compile(py, sum(FLAGS[f] for f in flags))
    should = [probe(rx, s, mode) for s in good]
    shouldnt = [probe(rx, s, mode) for s in bad]
    missed = [r["sample"] for r in should if not r["matched"]]
    wrong = [r["sample"] for r in shouldnt if r["matched"]]
    return {"ok": True, "pattern": pattern, "python": py, "javascript": f"/{to_js(py)}/{flags.replace('x', '')}",
            "mode": mode, "passed": not missed and not wrong, "missed_positives": missed,
            "matched_negatives": wrong, "positives": should, "negatives": shouldnt}


def find_all(pattern: str, flags: str, file: str, limit: int) -> dict:
    """Every match in a text file (first `limit`), for extraction jobs."""
    rx = re.compile(to_python(pattern), sum(FLAGS[f] for f in flags))
    text = Path(file).read_text(encoding="utf-8-sig", errors="replace")
    found = [m.groupdict() or (list(m.groups()) if m.groups() else m.group(0)) for m in rx.finditer(text)]
    return {"ok": True, "count": len(found), "matches": found[:limit]}


def main(argv: list[str] | None = None) -> None:
    """test: samples that must / must not match; findall: extract from a file."""
    ap = argparse.ArgumentParser(description="test or apply a regular expression")
    ap.add_argument("action", choices=["test", "findall"])
    ap.add_argument("pattern", help="the regular expression (Python or JS named-group syntax)")
    ap.add_argument("--match", nargs="*", default=[], help="samples that must match")
    ap.add_argument("--no-match", nargs="*", default=[], help="samples that must not match")
    ap.add_argument("--match-file", help="file with one must-match sample per line")
    ap.add_argument("--no-match-file", help="file with one must-not-match sample per line")
    ap.add_argument("--mode", choices=["full", "search"], default="full",
                    help="full: the whole sample must match (validation); search: anywhere in it (extraction)")
    ap.add_argument("--flags", default="", help="any of i m s x")
    ap.add_argument("--file", help="findall: the text file to search")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--json", action="store_true", help="compact JSON output")
    a = ap.parse_args(argv)
    if set(a.flags) - set(FLAGS):
        fail(f"unknown flag(s) {a.flags!r}; use i m s x")
    try:
        if a.action == "findall":
            if not a.file:
                fail("findall needs --file")
            out = find_all(a.pattern, a.flags, a.file, a.limit)
        else:
            good, bad = read_samples(a.match, a.match_file), read_samples(a.no_match, a.no_match_file)
            out = run(a.pattern, a.flags, a.mode, good, bad)
    except re.error as exc:
        fail(f"invalid pattern at position {exc.pos}: {exc.msg}")
    except OSError as exc:
        fail(str(exc))
    print(json.dumps(out, ensure_ascii=False, indent=None if a.json else 2))
    sys.exit(0 if out.get("passed", True) else 1)


if __name__ == "__main__":
    main()
