"""The command policy: `exec-policy.json` rules plus built-in guards decide allow / ask / deny.

A command line is split into every simple command it runs (compound commands, substitutions,
`bash -c`, `sudo`, `xargs`, `find -exec`, `powershell -Command`, `cmd /c` …); each part is judged
and the strictest verdict wins. Deny rules and built-in guards always win; then the user's rules;
then the defaults; anything unknown is "ask". "Always allow" stores a narrow user rule.
"""

from __future__ import annotations

import ast
import fnmatch
import hashlib
import json
import logging
import os
import re
import shlex
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xiaodazi.core.errors import InvalidInput, NotFound
from xiaodazi.core.tools import Gate, Verdict
from xiaodazi.tools import cmdrules
from xiaodazi.tools.cmdparse import Simple, Word, parse
from xiaodazi.tools.cmdpaths import PathEnv, read_only_args, redirect_findings
from xiaodazi.tools.cmdrules import Finding, ask

log = logging.getLogger(__name__)
POLICY_FILE = "exec-policy.json"
MAX_COMMAND_CHARS = 8000  # longer lines are asked about as a whole, not parsed
_ORDER = {Verdict.allow: 0, Verdict.ask: 1, Verdict.deny: 2}
_KEYWORDS = {"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "esac",
             "time", "coproc"}
_SAFE_VARS = re.compile(r"^(LANG|LC_[A-Z]+|TZ|NO_COLOR|TERM|COLUMNS|LINES|PYTHONIOENCODING)=")
SUBCOMMAND_TOOLS = {"git", "npm", "pnpm", "yarn", "pip", "pip3", "uv", "cargo", "docker", "kubectl", "go",
                    "apt", "apt-get", "brew", "conda", "poetry", "gh", "make", "systemctl", "winget",
                    "choco", "scoop", "dotnet", "mvn", "gradle", "hugo", "terraform"}


def _rule_id(pattern: str, action: str) -> str:
    return hashlib.sha1(f"{action}\0{pattern}".encode()).hexdigest()[:10]


@dataclass
class Rule:
    """One line of exec-policy.json."""

    pattern: str
    action: Verdict
    source: str = "user"
    id: str = ""
    tokens: list[str] = field(default_factory=list, repr=False)
    first: str | None = field(default=None, repr=False)  # literal command name, for a quick reject

    def __post_init__(self) -> None:
        self.action = Verdict(self.action)
        self.id = self.id or _rule_id(self.pattern, self.action)
        self.tokens = _pattern_tokens(self.pattern)
        self.first = self.tokens[0] if self.tokens and not _has_glob(self.tokens[0]) else None

    def public(self) -> dict[str, str]:
        return {"id": self.id, "pattern": self.pattern, "action": self.action.value, "source": self.source}

    def matches(self, words: list[str]) -> bool:
        """Word-by-word glob match; a final `*` also matches no words at all."""
        toks = self.tokens
        if not words or (self.first is not None and self.first != words[0].lower()):
            return False  # the cheap test that rejects almost every rule
        if toks and toks[-1] == "*":
            toks, rest_ok = toks[:-1], True
        else:
            rest_ok = False
        if len(words) < len(toks) or (not rest_ok and len(words) != len(toks)):
            return False
        if self.action == Verdict.deny:  # deny rules also catch `diskutil eraseDisk` and `SCHTASKS /Create`
            words, toks = [w.lower() for w in words], [t.lower() for t in toks]
        return all(fnmatch.fnmatchcase(w, p) for w, p in zip(words, toks, strict=False))


def _has_glob(token: str) -> bool:
    return any(c in token for c in "*?[")


def _pattern_tokens(pattern: str) -> list[str]:
    try:
        toks = shlex.split(pattern)
    except ValueError:
        toks = pattern.split()
    return [t.lower() if i == 0 else t for i, t in enumerate(toks)]


def default_dialect() -> str:
    return "powershell" if sys.platform.startswith("win") else "bash"


class CommandPolicy:
    """Rules on disk plus the built-in guards; thread-safe, reloaded when the file changes."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._mtime: tuple[int, int] | None = None  # (mtime_ns, size): a hand edit changes one of them
        self._rules: list[Rule] = []
        self.error: str | None = None
        self._load()

    # -- storage ---------------------------------------------------------------
    def _load(self) -> None:
        with self._lock:
            if not self.path.exists():
                self._rules = [Rule(**r) for r in cmdrules.default_rules()]
                self._save_locked()
                return
            st = self.path.stat()
            mtime = (st.st_mtime_ns, st.st_size)
            if mtime == self._mtime:
                return
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self._rules = [Rule(r["pattern"], r["action"], r.get("source", "user")) for r in data["rules"]]
                self.error = None
            except (ValueError, KeyError, TypeError) as exc:
                # Keep the user's file for them to fix; meanwhile judge with the defaults.
                self.error = f"{self.path} is not a valid policy file ({exc}); using the default rules"
                log.warning(self.error)
                self._rules = [Rule(**r) for r in cmdrules.default_rules()]
            self._mtime = mtime

    def _save_locked(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {"version": 1, "rules": [{k: v for k, v in r.public().items() if k != "id"} for r in self._rules]}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)
        st = self.path.stat()
        self._mtime = (st.st_mtime_ns, st.st_size)

    def rules(self) -> list[Rule]:
        """Every rule, user rules first (they are consulted first)."""
        self._load()
        return sorted(self._rules, key=lambda r: r.source != "user")

    def add_rule(self, pattern: str, action: str, source: str = "user") -> Rule:
        """Add (or return the existing identical) rule."""
        pattern = " ".join(pattern.split())
        if not pattern:
            raise InvalidInput("a rule needs a pattern")
        rule = Rule(pattern, Verdict(action), source)
        self._load()
        with self._lock:
            if not any(r.id == rule.id for r in self._rules):
                self._rules.insert(0, rule)
                self._save_locked()
        return rule

    def remove_rule(self, key: str) -> Rule:
        """Remove by id, or by position in `rules()`."""
        current = self.rules()
        target = next((r for r in current if r.id == key), None)
        if target is None and key.isdigit() and int(key) < len(current):
            target = current[int(key)]
        if target is None:
            raise NotFound(f"no policy rule {key}")
        with self._lock:
            self._rules = [r for r in self._rules if r.id != target.id]
            self._save_locked()
        return target

    # -- tools -----------------------------------------------------------------
    def tool_allowed(self, tool_name: str) -> bool:
        """True when the user chose "always allow" for a whole tool (rule `tool:<name>`)."""
        return any(r.pattern == f"tool:{tool_name}" and r.action == Verdict.allow for r in self.rules())

    def allow_tool(self, tool_name: str) -> Rule:
        return self.add_rule(f"tool:{tool_name}", "allow")

    # -- evaluation ------------------------------------------------------------
    def check(self, command: str, env: PathEnv, dialect: str | None = None) -> Gate:
        """The gate for one command line: strictest verdict of all its parts."""
        findings: list[Finding] = []
        env.cwds = [env.cwd]
        env.rules = self.rules()  # one consistent view of the file for the whole line
        if len(command) > MAX_COMMAND_CHARS:
            findings.append(ask(f"the command is longer than {MAX_COMMAND_CHARS} characters; too long to check", "too-long"))
        else:
            self._walk(command, dialect or default_dialect(), env, findings, 0)
        if not findings:
            findings.append(ask("empty command", "empty"))
        worst = max(findings, key=lambda f: _ORDER[f.verdict])
        gate = Gate(verdict=worst.verdict, reason=worst.reason, rule=worst.rule, detail=command)
        asks = [f for f in findings if f.verdict == Verdict.ask]
        if worst.verdict == Verdict.ask and all(f.pattern for f in asks):
            patterns = sorted({f.pattern for f in asks if f.pattern})
            gate.remember = lambda: [self.add_rule(p, "allow") for p in patterns] and None
        return gate

    def check_code(self, code: str) -> Gate | None:
        """A deny gate when a string in Python code is a denied command (os.system('rm -rf ~')), else None."""
        env = PathEnv(cwd=Path.cwd(), roots=[])
        env.cwds = [env.cwd]
        denied = self._denied_in_code(code, env, 1)
        if not denied:
            return None
        return Gate(Verdict.deny, reason=denied[0].reason, rule=denied[0].rule, detail=code)

    def _walk(self, text: str, dialect: str, env: PathEnv, out: list[Finding], depth: int) -> None:
        if depth > 6:
            out.append(ask("commands nested too deeply to check", "nesting"))
            return
        parsed = parse(text, dialect)
        out += [ask(f"could not check the command fully: {p}", "parse") for p in parsed.problems]
        out += cmdrules.fork_bomb(text) + cmdrules.raw_download_exec(text)
        out += cmdrules.download_exec(parsed.commands)
        for sub_dialect, sub in parsed.substitutions:
            self._walk(sub, sub_dialect, env, out, depth + 1)
        for simple in parsed.commands:
            self._simple(simple, dialect, env, out, depth)

    def _simple(self, simple: Simple, dialect: str, env: PathEnv, out: list[Finding], depth: int) -> None:
        out += redirect_findings(simple, env)
        words = _strip_prefix(simple.words, out)
        if not words:
            return
        if words[0].dynamic or words[0].glob:
            out.append(ask(f"the command name {words[0].text!r} is computed at run time", "dynamic-name"))
            return
        name = cmdrules.command_name(words[0].text)
        out += cmdrules.danger(name, words, env.home)
        if self._interpreter_code(name, words, env, out, depth):
            return
        if not _system_location(words[0].text):
            # `./ls` or `tools/git` runs a file from the workspace, not the real ls or git.
            self._match(words[0].text, words, dialect, env, out)
            return
        inner = cmdrules.unwrap(name, words)
        if inner is not None:
            self._inner(inner, simple, env, out, depth)
            if name != "find":
                return
        self._match(name, words, dialect, env, out)

    def _inner(self, inner: cmdrules.Unwrapped, simple: Simple, env: PathEnv, out: list[Finding], depth: int) -> None:
        out += inner.extra or []
        if inner.words:
            self._simple(Simple(words=inner.words, pipe_out=simple.pipe_out), "bash", env, out, depth + 1)
        elif inner.text is not None:
            self._walk(inner.text, inner.dialect, env, out, depth + 1)

    def _interpreter_code(self, name: str, words: list[Word], env: PathEnv, out: list[Finding], depth: int) -> bool:
        """python -c / node -e …: always ask, and deny when a string in the code is a denied command."""
        base = re.sub(r"[0-9.]+$", "", name)
        flags = [w.text for w in words[1:]]
        code_flag = next((f for f in flags if f in ("-c", "-e", "--eval", "-r")), None)
        if base not in cmdrules.PYLIKE or code_flag is None:
            return False
        idx = flags.index(code_flag) + 2
        code = words[idx].text if idx < len(words) else ""
        out.append(Finding(Verdict.ask, f"{name} {code_flag} runs code", "builtin:interpreter-code",
                           pattern=_exact_pattern([name, code_flag, code])))
        out += self._denied_in_code(code, env, depth + 1)
        return True

    def _denied_in_code(self, code: str, env: PathEnv, depth: int) -> list[Finding]:
        """Deny findings for string literals of the code that are denied commands."""
        probe: list[Finding] = []
        for literal in _code_strings(code)[:500]:  # bounded: data-heavy code has thousands of strings
            self._walk(literal, "bash", env, probe, depth)
        return [f for f in probe if f.verdict == Verdict.deny]

    def _match(self, name: str, words: list[Word], dialect: str, env: PathEnv, out: list[Finding]) -> None:
        texts = [name] + [w.text if dialect == "bash" else w.text.lower() for w in words[1:]]
        narrow = narrow_pattern(texts)
        rules = env.rules if env.rules is not None else self.rules()
        denied = next((r for r in rules if r.action == Verdict.deny and r.matches(texts)), None)
        if denied:
            out.append(Finding(Verdict.deny, f"{name} is on the deny list", denied.pattern))
            return
        rule = next((r for r in rules if r.matches(texts)), None)
        if rule is None:
            out.append(Finding(Verdict.ask, f"{name} is not known to be read-only", "default:unknown", narrow))
            return
        out.append(Finding(rule.action, f"rule {rule.pattern!r} ({rule.source})", rule.pattern,
                           narrow if rule.action == Verdict.ask else None))
        if rule.action == Verdict.allow and rule.source == "default":
            out += read_only_args(name, words, env, narrow)
        if name == "cd" and len(words) > 1 and not out[-1].verdict == Verdict.ask:
            env.cwds.append(Path(os.path.realpath(env.cwd / words[1].text)))


def _strip_prefix(words: list[Word], out: list[Finding]) -> list[Word]:
    """Drop shell keywords and leading VAR=value assignments (asking for risky variables)."""
    i = 0
    while i < len(words):
        t = words[i].text
        if t in _KEYWORDS and not words[i].dynamic:
            i += 1
        elif re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", t):
            if not _SAFE_VARS.match(t):
                out.append(ask(f"sets {t.split('=')[0]} for the command", "env-assignment"))
            i += 1
        else:
            break
    return words[i:]


SYSTEM_BIN = {"/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin", "/opt/homebrew/bin",
              "c:/windows/system32", "c:/windows", "c:/windows/system32/windowspowershell/v1.0"}


def _system_location(word: str) -> bool:
    """True for a bare command name or one spelled with a system program folder (`/usr/bin/git`)."""
    if "/" not in word and "\\" not in word:
        return True
    folder = word.replace("\\", "/").rsplit("/", 1)[0].lower()
    return folder in SYSTEM_BIN


def narrow_pattern(words: list[str]) -> str:
    """The rule "always allow" stores: `git push *` for tools with subcommands, else the exact command."""
    if len(words) >= 2 and words[0] in SUBCOMMAND_TOOLS and re.fullmatch(r"[a-z][a-z0-9-]*", words[1]):
        return f"{words[0]} {words[1]} *"
    return _exact_pattern(words)


def _exact_pattern(words: list[str]) -> str:
    escaped = [re.sub(r"([*?\[])", r"[\1]", w) for w in words]
    return shlex.join(escaped)


def _code_strings(code: str) -> list[str]:
    """String literals in a snippet of code (Python parsed properly, others by regex)."""
    try:
        return [n.value for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    except (SyntaxError, ValueError):
        return [a or b for a, b in re.findall(r"'([^']*)'|\"([^\"]*)\"", code)]


def policy_view(policy: CommandPolicy) -> dict[str, Any]:
    """The rules as the settings page shows them."""
    return {"path": str(policy.path), "error": policy.error, "rules": [r.public() for r in policy.rules()]}
