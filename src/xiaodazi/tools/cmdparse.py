"""A small, fail-closed lexer for shell command lines (bash/sh, PowerShell, cmd.exe).

It does not run anything and does not try to be a full shell grammar. It splits a line into
simple commands (on `;`, `&&`, `||`, `|`, `&`, newlines, subshell parentheses), removes quotes
the way the shell would (including `$'\\x72m'`), records redirections, and pulls out every
command substitution (`$(…)`, backticks, `<(…)`, PowerShell `$(…)`/`{…}`) so the policy can
check it on its own. Whatever it cannot understand is reported in `problems`, which the policy
treats as "ask".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OPERATORS = ("&&", "||", "|&", ";;", "|", ";", "&", "\n", "(", ")")
_REDIRECT = re.compile(r"^(\d*|&)(>>|>\||>&|>|<<<|<<-|<<|<>|<&|<)")
_ANSI = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b",
         "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}


@dataclass
class Word:
    """One word after quote removal; `dynamic` when it holds an expansion whose value is unknown."""

    text: str
    dynamic: bool = False
    glob: bool = False


@dataclass
class Simple:
    """A simple command: its words and redirections, and whether its output is piped on."""

    words: list[Word] = field(default_factory=list)
    redirects: list[tuple[str, Word]] = field(default_factory=list)
    pipe_out: bool = False
    pipe_in: bool = False
    background: bool = False


@dataclass
class Parsed:
    """Every simple command of a line, the substitutions to check separately, and what was unclear."""

    commands: list[Simple] = field(default_factory=list)
    substitutions: list[tuple[str, str]] = field(default_factory=list)  # (dialect, text)
    problems: list[str] = field(default_factory=list)


def _matching(text: str, start: int, open_ch: str, close_ch: str) -> int:
    """Index of the bracket closing the one just before `start`, aware of quotes; -1 if none."""
    depth, i = 1, start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "'" and open_ch != "{":
            end = text.find("'", i + 1)
            i = len(text) if end < 0 else end + 1
            continue
        if c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _ansi_c(body: str) -> str:
    """Decode bash $'…' escapes (\\x41, \\101, \\u00e9, \\n …)."""
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c != "\\" or i + 1 >= len(body):
            out.append(c)
            i += 1
            continue
        n = body[i + 1]
        hexm = re.match(r"x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|([0-7]{1,3})", body[i + 1:])
        if hexm:
            digits = next(g for g in hexm.groups() if g)
            base = 8 if hexm.group(4) else 16
            out.append(chr(int(digits, base) % 0x110000))
            i += 1 + hexm.end()
        else:
            out.append(_ANSI.get(n, "\\" + n))
            i += 2
    return "".join(out)


class _BashLexer:
    """Turns one bash/sh command line into a `Parsed`."""

    def __init__(self, text: str) -> None:
        self.text, self.i = text, 0
        self.out = Parsed()
        self.cur = Simple()
        self.buf: list[str] = []
        self.in_word = False
        self.dynamic = self.glob = False
        self.pending_redirect: str | None = None

    def run(self) -> Parsed:
        while self.i < len(self.text):
            self._step()
        self._end_word()
        if self.pending_redirect:
            self.out.problems.append("a redirection has no target")
        self._end_command()
        return self.out

    # -- words ---------------------------------------------------------------
    def _add(self, s: str, *, dynamic: bool = False, glob: bool = False) -> None:
        self.buf.append(s)
        self.in_word = True
        self.dynamic |= dynamic
        self.glob |= glob

    def _end_word(self) -> None:
        if not self.in_word:
            return
        word = Word("".join(self.buf), self.dynamic, self.glob)
        self.buf, self.in_word, self.dynamic, self.glob = [], False, False, False
        if self.pending_redirect:
            self.cur.redirects.append((self.pending_redirect, word))
            self.pending_redirect = None
        else:
            self.cur.words.append(word)

    def _end_command(self, *, pipe: bool = False, background: bool = False) -> None:
        self._end_word()
        self.cur.pipe_out, self.cur.background = pipe, background
        if self.cur.words or self.cur.redirects:
            self.out.commands.append(self.cur)
        self.cur = Simple(pipe_in=pipe)

    # -- scanning ------------------------------------------------------------
    def _step(self) -> None:
        t, i = self.text, self.i
        c = t[i]
        if c in " \t":
            self._end_word()
            self.i += 1
        elif c == "#" and not self.in_word:
            end = t.find("\n", i)
            self.i = len(t) if end < 0 else end
        elif c == "\\":
            if t[i + 1:i + 2] != "\n":
                self._add(t[i + 1:i + 2])
            self.i += 2
        elif c in "'\"" or t.startswith("$'", i) or t.startswith('$"', i):
            self._quoted()
        elif c == "`":
            self._backtick(t, i)
        elif c == "$" or (c in "<>" and t[i + 1:i + 2] == "("):
            self._dollar(t, i)
        elif not self._redirect() and not self._operator():
            self._add(c, glob=c in "*?[{")  # `{a,b}` brace expansion can name any path
            self.i += 1

    def _redirect(self) -> bool:
        t = self.text
        if not (t[self.i] in "<>&" or (t[self.i].isdigit() and not self.in_word)):
            return False
        m = _REDIRECT.match(t[self.i:])
        if not m or (t[self.i] == "&" and not m.group(2).startswith(">")):
            return False
        self._end_word()
        op = m.group(2)
        self.i += m.end()
        if op.startswith("<<") and op != "<<<":
            self.out.problems.append("here-documents are not checked line by line")
        if op in (">&", "<&") and re.match(r"\s*(\d+|-)", t[self.i:]):
            self.i += len(re.match(r"\s*(\d+|-)", t[self.i:]).group(0))
            return True
        self.pending_redirect = m.group(1) + op
        return True

    def _operator(self) -> bool:
        t, i = self.text, self.i
        op = next((o for o in OPERATORS if t.startswith(o, i)), None)
        if op is None:
            return False
        self.i += len(op)
        self._end_word()
        if op == "(" and len(self.cur.words) == 1 and t[self.i:].lstrip().startswith(")"):
            self.out.problems.append("defines a shell function")
        self._end_command(pipe=op in ("|", "|&"), background=op == "&")
        return True

    def _quoted(self) -> None:
        t, i = self.text, self.i
        if t.startswith("$'", i):
            end = _single_end(t, i + 2, ansi=True)
            self._add(_ansi_c(t[i + 2:end]))
            self.i = end + 1
        elif t[i] == "'":
            end = t.find("'", i + 1)
            if end < 0:
                self._unbalanced("'")
                return
            self._add(t[i + 1:end])
            self.i = end + 1
        else:
            self._double(i + (2 if t[i] == "$" else 1))

    def _double(self, start: int) -> None:
        t, i = self.text, start
        self.in_word = True
        while i < len(t) and t[i] != '"':
            if t[i] == "\\" and i + 1 < len(t):
                self._add(t[i + 1] if t[i + 1] in '$`"\\\n' else t[i:i + 2])
                i += 2
            elif t[i] in "$`":
                self.i = i
                (self._backtick if t[i] == "`" else self._dollar)(t, i)
                i = self.i
            else:
                self._add(t[i])
                i += 1
        if i >= len(t):
            self._unbalanced('"')
            return
        self.i = i + 1

    def _backtick(self, t: str, i: int) -> None:
        end = t.find("`", i + 1)
        while end > 0 and t[end - 1] == "\\":
            end = t.find("`", end + 1)
        if end < 0:
            self._unbalanced("`")
            return
        self.out.substitutions.append(("bash", t[i + 1:end].replace("\\`", "`")))
        self._add(t[i:end + 1], dynamic=True)
        self.i = end + 1

    def _dollar(self, t: str, i: int) -> None:
        nxt = t[i + 1:i + 2]
        if nxt in ("(", "{"):
            close = ")" if nxt == "(" else "}"
            end = _matching(t, i + 2, nxt, close)
            if end < 0:
                self._unbalanced(nxt)
                return
            inner = t[i + 2:end]
            if nxt == "(" or "$(" in inner or "`" in inner:
                self.out.substitutions.append(("bash", inner[1:-1] if inner.startswith("(") else inner))
            self._add(t[i:end + 1], dynamic=True)
            self.i = end + 1
            return
        m = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])", t[i:])
        self._add(m.group(0) if m else "$", dynamic=bool(m))
        self.i = i + (m.end() if m else 1)

    def _unbalanced(self, ch: str) -> None:
        self.out.problems.append(f"unbalanced {ch}")
        self._add(self.text[self.i:], dynamic=True)
        self.i = len(self.text)


def _single_end(t: str, start: int, *, ansi: bool) -> int:
    i = start
    while i < len(t):
        if ansi and t[i] == "\\":
            i += 2
            continue
        if t[i] == "'":
            return i
        i += 1
    return len(t)


def parse_bash(text: str) -> Parsed:
    """Split a bash/sh line into simple commands, substitutions and problems."""
    return _BashLexer(text).run()


_PS_SEP = re.compile(r"&&|\|\||[;|\n]")


def _ps_words(segment: str, out: Parsed) -> Simple:
    """Words of one PowerShell/cmd segment with quotes removed and redirections split off."""
    simple = Simple()
    tokens = re.findall(r"'(?:[^']|'')*'|\"(?:[^\"`]|`.)*\"|[^\s'\"]+|['\"].*", segment)
    pending: str | None = None
    for tok in tokens:
        red = re.match(r"^(\d|\*)?(>>|>)(.*)$", tok)
        if red and pending is None:
            pending = (red.group(1) or "") + red.group(2)
            if red.group(3):
                simple.redirects.append((pending, Word(red.group(3))))
                pending = None
            continue
        if tok[0] in "'\"" and (len(tok) < 2 or tok[-1] != tok[0]):
            out.problems.append(f"unbalanced {tok[0]}")
        word = Word(_ps_unquote(tok), dynamic="$" in tok or "%" in tok, glob=any(c in tok for c in "*?["))
        if pending:
            simple.redirects.append((pending, word))
            pending = None
        else:
            simple.words.append(word)
    return simple


def _ps_unquote(tok: str) -> str:
    if len(tok) >= 2 and tok[0] == tok[-1] == "'":
        return tok[1:-1].replace("''", "'")
    if len(tok) >= 2 and tok[0] == tok[-1] == '"':
        return re.sub(r"`(.)", r"\1", tok[1:-1])
    return re.sub(r"[`^](.)", r"\1", tok)


def _ps_blocks(text: str, out: Parsed) -> str:
    """Pull out $(…), @(…) and {…} blocks as substitutions; returns the text with placeholders."""
    result, i = [], 0
    while i < len(text):
        c = text[i]
        opener = "(" if text.startswith(("$(", "@("), i) else ("{" if c == "{" else "")
        if not opener:
            result.append(c)
            i += 1
            continue
        start = i + (2 if c in "$@" else 1)
        end = _matching(text, start, opener, ")" if opener == "(" else "}")
        if end < 0:
            out.problems.append(f"unbalanced {opener}")
            return "".join(result) + text[i:]
        out.substitutions.append(("powershell", text[start:end]))
        result.append("$__block__")
        i = end + 1
    return "".join(result)


def parse_powershell(text: str, *, dialect: str = "powershell") -> Parsed:
    """Split a PowerShell (or, with dialect='cmd', a cmd.exe) line into simple commands."""
    out = Parsed()
    body = re.sub(r"<#.*?#>", " ", text, flags=re.S)
    if dialect == "powershell":
        body = _ps_blocks(re.sub(r"(?m)(^|\s)#.*$", " ", body), out)
    seps = re.compile(r"&&|\|\||[&|\n]") if dialect == "cmd" else _PS_SEP
    pieces = seps.split(body)
    ops = seps.findall(body)
    for idx, piece in enumerate(pieces):
        simple = _ps_words(piece.strip(), out)
        if simple.words and simple.words[0].text in ("&", "."):
            simple.words.pop(0)
        simple.pipe_out = idx < len(ops) and ops[idx] == "|"
        simple.pipe_in = idx > 0 and ops[idx - 1] == "|"
        if simple.words or simple.redirects:
            out.commands.append(simple)
    return out


def parse(text: str, dialect: str) -> Parsed:
    """Parse a line in the given dialect: "bash", "powershell" or "cmd"."""
    if dialect == "bash":
        return parse_bash(text)
    return parse_powershell(text, dialect=dialect)
