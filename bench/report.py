"""`make bench`: run every benchmark, then write one table (target beside measured) into bench/README.md.

Each bench prints its own figures; this script runs them one after another in subprocesses, picks the
numbers out of their output, and records the machine and its load average (figures from a busy
machine are not comparable with a quiet one). It never fails on time.
Run: .venv/bin/python bench/report.py [--only startup turn ...] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent
README = ROOT / "README.md"
BEGIN, END = "<!-- report:begin -->", "<!-- report:end -->"
BENCHES = ["startup", "turn", "request_size", "skills", "memory", "search", "load", "mcp_client", "ui_long_chat"]
NUM = r"([\d.]+)"


@dataclass
class Row:
    """One line of the table: what, the target (and where it was set), and how to find the figure."""

    what: str
    target: str
    bench: str
    pattern: str  # a regex over that bench's output; its groups fill `shown`
    shown: str  # format string for the groups, e.g. "p50 {0} ms, p95 {1} ms"


ROWS = [
    Row("Cold start: `xiaodazi serve` → first `/health` 200 (median)", "≤ 0.8 s (#2)", "startup",
        rf"serve launch -> first /health 200: median {NUM} s", "{0} s"),
    Row("Desktop launch → UI's first API call (Xvfb, Qt; median)", "≤ 2 s (#10)", "startup",
        rf"desktop launch -> UI's first API call.*?median {NUM} s", "{0} s"),
    Row("Request received → model request sent (instant model)", "p50 ≤ 5 ms (#3)", "turn",
        rf"request received -> model request sent: p50 {NUM} ms, p95 {NUM} ms", "p50 {0} ms, p95 {1} ms"),
    Row("Chunk relay: model chunk → client chunk", "≤ 1 ms (#3)", "turn",
        rf"model chunk -> client chunk: p50 {NUM} ms, p95 {NUM} ms", "p50 {0} ms, p95 {1} ms"),
    Row('Model request size for "hi"', "≤ 8,000 chars incl. tool schemas (#3)", "request_size",
        rf'model request for "hi": {NUM} characters, {NUM} tool schemas', "{0} chars, {1} tool schemas"),
    Row("Model request size for a skill-heavy request", "only names + descriptions of chosen skills (#5)",
        "request_size", rf'model request for "skill-heavy": {NUM} characters, {NUM} tool schemas',
        "{0} chars, {1} tool schemas"),
    Row("Skill selection at the bundled count", "p50 ≤ 2 ms (#5)", "skills",
        rf"bundled:\s+{NUM} skills.*?match p50\s+{NUM} ms\s+p95\s+{NUM} ms", "{0} skills: p50 {1} ms, p95 {2} ms"),
    Row("Skill selection at 5,000 generated skills", "p50 ≤ 20 ms (#5)", "skills",
        rf"generated:\s+{NUM} skills.*?match p50\s+{NUM} ms\s+p95\s+{NUM} ms", "{0} skills: p50 {1} ms, p95 {2} ms"),
    Row("Memory recall at 10,000 items (hybrid)", "p50 ≤ 10 ms (#8)", "memory",
        rf"10000 items hybrid\s*: recall p50\s+{NUM} ms\s+p95\s+{NUM} ms", "p50 {0} ms, p95 {1} ms"),
    Row("Memory recall at 10,000 items (lexical only)", "p50 ≤ 10 ms (#8)", "memory",
        rf"10000 items lexical\s*: recall p50\s+{NUM} ms\s+p95\s+{NUM} ms", "p50 {0} ms, p95 {1} ms"),
    Row("Search over 100,000 messages (SQLite)", "none set", "search",
        rf"search over 100000 messages \(SQLite[^:]*: p50 {NUM} ms, p95 {NUM} ms", "p50 {0} ms, p95 {1} ms"),
    Row("Search over 100,000 messages (PostgreSQL, throwaway local cluster)", "none set", "search",
        rf"search over 100000 messages \(PostgreSQL[^:]*: p50 {NUM} ms, p95 {NUM} ms", "p50 {0} ms, p95 {1} ms"),
    Row("100 concurrent streams (serve, scripted model, ⅓ with a tool call)",
        "all complete, 0 errors, 0 \"database is locked\" (#12)", "load",
        rf"{NUM} concurrent streams: {NUM} completed, {NUM} failed, {NUM} 'database is locked', all done in {NUM} s",
        "{1}/{0} completed, {2} failed, {3} locked; {4} s wall"),
    Row("… under that load: send → model request", "none set", "load",
        rf"send -> model request: p50 {NUM} ms, p95 {NUM} ms", "p50 {0} ms, p95 {1} ms"),
    Row("… under that load: model request → first text at client", "none set", "load",
        rf"model request -> first text at client: p50 {NUM} ms, p95 {NUM} ms", "p50 {0} ms, p95 {1} ms"),
    Row("Server RSS idle (1 s after `/health`) / after one turn", "none set", "load",
        rf"server RSS: idle {NUM} MB, after one turn {NUM} MB", "{0} MB / {1} MB"),
    Row("Server RSS after the 100-stream load", "none set", "load", rf"after the load {NUM} MB", "{0} MB"),
    Row("Bundle size (PyInstaller one-file, Linux)", "reported (#9, #10)", "bundle", rf"bundle: {NUM} MB", "{0} MB"),
]


def run_bench(name: str) -> tuple[str, float]:
    """A bench's combined output and how long it took."""
    began = time.perf_counter()
    done = subprocess.run([sys.executable, str(ROOT / f"{name}.py")], capture_output=True, text=True,
                          cwd=ROOT.parent, env={**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"})
    lines = [line for line in (done.stdout + done.stderr).splitlines() if "LiteLLM" not in line and line.strip()]
    if done.returncode != 0:
        lines.append(f"(exit code {done.returncode})")
    return "\n".join(lines), time.perf_counter() - began


def bundle_output() -> str:
    """The size of the built one-file bundle, when one exists in dist/."""
    for candidate in ("dist/xiaodazi", "dist/xiaodazi.exe", "dist/xiaodazi.app"):
        path = ROOT.parent / candidate
        if path.is_file():
            stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M UTC")
            return f"bundle: {path.stat().st_size / 1e6:.0f} MB ({candidate}, built {stamp})"
    return "bundle: not built (make package)"


def figure(row: Row, outputs: dict[str, str]) -> str:
    """The measured cell of a row, or why there is none."""
    if row.bench == "-":
        return row.shown
    text = outputs.get(row.bench)
    if text is None:
        return "not run"
    found = re.search(row.pattern, text, re.S)
    if found is None:
        return "n/a (" + (text.splitlines()[0][:80] if "skipped" in text else "no figure in output") + ")"
    return row.shown.format(*found.groups())


def machine(load_before: tuple[float, ...], load_after: tuple[float, ...]) -> list[str]:
    """Lines describing where the figures were measured."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    mem = Path("/proc/meminfo").read_text().split()[1] if Path("/proc/meminfo").exists() else "0"
    return [
        f"- Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {int(mem) / 1024 / 1024:.1f} GB",
        f"- Load average (1/5/15 min) before: {'/'.join(f'{x:.1f}' for x in load_before)}, "
        f"after: {'/'.join(f'{x:.1f}' for x in load_after)}"
        + (" — **the machine was busy with other work: latencies are inflated**"
           if max(load_before[0], load_after[0]) > (os.cpu_count() or 1) else ""),
    ]


def render(outputs: dict[str, str], took: dict[str, float], details: list[str]) -> str:
    """The Markdown block between the report markers."""
    lines = [BEGIN, "", *details, "", "| Figure | Target (issue) | Measured |", "| --- | --- | --- |"]
    lines += [f"| {row.what} | {row.target} | {figure(row, outputs)} |" for row in ROWS]
    lines += ["", "<details><summary>Raw output of each bench</summary>", ""]
    for name, text in outputs.items():
        lines += [f"**{name}** ({took.get(name, 0):.0f} s)", "", "```", text, "```", ""]
    return "\n".join([*lines, "</details>", "", END])


def write(block: str) -> None:
    """Replace the block between the markers in bench/README.md (or append it)."""
    current = README.read_text(encoding="utf-8") if README.exists() else ""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        updated = head + block + rest.split(END, 1)[1]
    else:
        updated = current.rstrip() + "\n\n" + block + "\n"
    README.write_text(updated, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="+", choices=BENCHES, default=BENCHES)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()
    outputs, took = {}, {}
    for name in args.only:
        print(f"== {name}", flush=True)
        outputs[name], took[name] = run_bench(name)
        print(outputs[name], flush=True)
    outputs["bundle"] = bundle_output()
    block = render(outputs, took, machine(load_before, os.getloadavg()))
    if not args.no_write:
        write(block)
    print("\n".join(line for line in block.splitlines() if line.startswith(("|", "- "))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
