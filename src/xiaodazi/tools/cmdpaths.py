"""Where a command reads and writes: the path checks that keep "read-only" commands inside the workspace.

A default-allowed command (`cat`, `ls`, `grep` …) stays allowed only when every argument and input
redirection stays inside the allowed folders, after `..`, `~`, symlinks, globs and brace expansion
are taken into account; otherwise the policy asks. Output redirections are writes: they ask, and
into devices or system folders they are denied.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xiaodazi.core.tools import Verdict
from xiaodazi.tools import cmdrules
from xiaodazi.tools.cmdparse import Simple, Word
from xiaodazi.tools.cmdrules import Finding, ask

NO_PATH_ARGS = {"echo", "printf", "true", "false", "date", "whoami", "id", "uname", "seq", "pwd",
                "write-output", "write-host", "get-date", "get-location", "gl", "test", "ps"}
WRITE_FLAGS = re.compile(r"^(--output|--ext-diff|--textconv|--exec|--upload-pack|--pre|-o$|--set|-s$)")
_GLOB = re.compile(r"[*?\[]")


@dataclass
class PathEnv:
    """Where commands run and may read: for the path checks of read-only commands."""

    cwd: Path
    roots: list[Path]
    home: str = field(default_factory=lambda: str(Path.home()))
    cwds: list[Path] = field(default_factory=list)
    rules: list[Any] | None = None  # the policy's rules, read once per command line


def redirect_findings(simple: Simple, env: PathEnv) -> list[Finding]:
    """`> file` asks (a write), into a device or system folder it is denied; `< file` must be inside."""
    found = []
    for op, target in simple.redirects:
        if target.text in cmdrules.SAFE_DEVICES or re.fullmatch(r"&?\d", target.text):
            continue
        if ">" not in op:
            if target.dynamic or not inside_roots(target, env):
                found.append(ask(f"reads {target.text} from outside the workspace", "redirect-read"))
            continue
        kind = cmdrules.classify_target(target.text, env.home)
        t = target.text.lower().replace("\\", "/")
        if kind or re.match(r"^(/dev/|//\./physicaldrive)", t):
            found.append(cmdrules.deny(f"writes to {target.text}", "redirect-system"))
        else:
            found.append(ask(f"writes to the file {target.text}", "redirect-write"))
    return found


def read_only_args(name: str, words: list[Word], env: PathEnv, narrow: str) -> list[Finding]:
    """A read-only command stays allowed only if it reads inside the allowed folders."""
    if name in NO_PATH_ARGS:
        return []
    found = []
    for w in words[1:]:
        value = w.text.split("=", 1)[1] if w.text.startswith("-") and "=" in w.text else w.text
        if WRITE_FLAGS.match(w.text) and not (name == "sort" and w.text == "-s"):
            found.append(Finding(Verdict.ask, f"{name} {w.text} may write or run something", "builtin:write-flag", narrow))
        elif w.dynamic:
            found.append(Finding(Verdict.ask, f"{w.text!r} is computed at run time", "builtin:dynamic-arg", narrow))
        elif value and not value.startswith("-") and not inside_roots(Word(value, glob=w.glob), env):
            found.append(Finding(Verdict.ask, f"{name} reads outside the workspace: {value}", "builtin:outside", narrow))
    return found


def _is_inside(real: str, roots: list[Path]) -> bool:
    return any(real == str(r) or real.startswith(str(r).rstrip(os.sep) + os.sep) for r in roots)


def _candidates(word: Word, cwd: Path) -> list[str]:
    """Real paths an argument can reach from `cwd`: its glob matches, plus a stand-in for no match."""
    text = word.text.replace("\\", "/")
    if not word.glob:
        return [os.path.realpath(os.path.join(cwd, text))]
    # A glob segment starting with "." may match ".." on shells without globskipdots.
    stand_in = "/".join(".." if seg.startswith(".") and _GLOB.search(seg) else ("_" if _GLOB.search(seg) else seg)
                        for seg in text.split("/"))
    matches = glob.glob(text, root_dir=cwd, include_hidden=True) if not os.path.isabs(text) else glob.glob(text)
    return [os.path.realpath(os.path.join(cwd, p)) for p in [stand_in, *matches[:200]]]


def inside_roots(word: Word, env: PathEnv) -> bool:
    """True when the argument, from every possible working folder, stays inside the allowed folders."""
    value = word.text
    if value in cmdrules.SAFE_DEVICES:
        return True
    if value.startswith("~") or re.match(r"^[A-Za-z]:|^\\\\", value):
        return False
    if word.glob and "{" in value:
        return False  # brace expansion ({/etc/passwd,x}) can name anything
    return all(_is_inside(real, env.roots) for cwd in env.cwds or [env.cwd] for real in _candidates(word, cwd))
