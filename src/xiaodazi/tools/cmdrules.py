"""What the command policy knows: default rules, built-in deny guards and the unwrapping of wrappers.

Default rules are written into `exec-policy.json` (visible, editable). The guards here cannot be
edited away: they deny what destroys data or changes the system on Linux, macOS and Windows,
however it is spelled (`/bin/rm`, `r''m`, `$'\\x72m'`, `RM.EXE`, inside `bash -c`, `sudo`, …).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from xiaodazi.core.tools import Verdict
from xiaodazi.tools.cmdparse import Simple, Word

READ_ONLY = (
    "ls", "dir", "pwd", "echo", "printf", "cat", "type", "head", "tail", "wc", "grep", "egrep", "fgrep",
    "rg", "find", "tree", "du", "df", "stat", "file", "which", "whoami", "id", "uname", "date",
    "basename", "dirname", "realpath", "readlink", "diff", "cmp", "md5sum", "sha1sum", "sha256sum",
    "cut", "sort", "uniq", "tr", "nl", "tac", "rev", "seq", "true", "false", "test", "cd", "ps", "jq",
    "get-childitem", "gci", "get-content", "gc", "get-location", "gl", "select-string", "sls",
    "write-output", "write-host", "get-item", "gi", "test-path", "measure-object", "get-date",
    "resolve-path", "select-object", "sort-object", "format-table", "format-list",
)
READ_ONLY_SUB = (
    "git status *", "git log *", "git diff *", "git show *", "git branch --list *", "git rev-parse *",
    "git ls-files *", "git blame *", "git --version", "python --version", "python3 --version",
    "python -V", "python3 -V", "node --version", "npm --version", "pip --version", "pip list *",
    "pip show *", "pip3 list *", "pip3 show *", "uv --version",
)
ASK_DEFAULTS = ("git push *", "git reset *", "git clean *", "git checkout *", "pip install *",
                "npm install *", "curl *", "wget *", "docker *", "kill *", "crontab *", "mount *")
DENY_DEFAULTS = (
    "mkfs *", "mkfs.* *", "mke2fs *", "mkswap *", "wipefs *", "fdisk *", "sfdisk *", "cfdisk *",
    "gdisk *", "sgdisk *", "parted *", "diskpart *", "format *", "format-volume *", "clear-disk *",
    "initialize-disk *", "remove-partition *", "diskutil erasedisk *", "diskutil erasevolume *",
    "diskutil partitiondisk *", "diskutil zerodisk *", "diskutil secureerase *",
    "shutdown *", "reboot *", "halt *", "poweroff *", "init 0", "init 6", "telinit 0", "telinit 6",
    "systemctl poweroff *", "systemctl reboot *", "systemctl halt *", "stop-computer *",
    "restart-computer *", "useradd *", "userdel *", "usermod *", "adduser *", "deluser *",
    "groupadd *", "groupdel *", "passwd *", "chpasswd *", "visudo *", "net user *",
    "net localgroup *", "new-localuser *", "remove-localuser *", "add-localgroupmember *",
    "dscl *", "sysadminctl *", "reg add *", "reg delete *", "reg import *", "reg load *",
    "regedit *", "schtasks /create *", "schtasks /delete *", "schtasks /change *",
    "register-scheduledtask *", "unregister-scheduledtask *", "sc create *", "sc delete *",
    "sc config *", "new-service *", "crontab -r *", "launchctl *", "bcdedit *", "vssadmin *",
    "wmic *", "cipher /w*", "csrutil *", "nvram *", "spctl --master-disable *", "setenforce *",
    "insmod *", "rmmod *", "modprobe *", "set-executionpolicy *", "set-mppreference *",
    "killall5 *", "kill -9 -1", "kill -kill -1", "kill -1", "takeown *",
)


def default_rules() -> list[dict[str, str]]:
    """The rules written to a fresh exec-policy.json."""
    rules = [{"pattern": f"{n} *", "action": "allow"} for n in READ_ONLY]
    rules += [{"pattern": p, "action": "allow"} for p in READ_ONLY_SUB]
    rules += [{"pattern": p, "action": "ask"} for p in ASK_DEFAULTS]
    rules += [{"pattern": p, "action": "deny"} for p in DENY_DEFAULTS]
    return [{**r, "source": "default"} for r in rules]


@dataclass
class Finding:
    """One reason for a verdict; the policy keeps the strictest."""

    verdict: Verdict
    reason: str
    rule: str
    pattern: str | None = None  # the narrow rule "always allow" would store (None: cannot be remembered)


def deny(reason: str, rule: str) -> Finding:
    return Finding(Verdict.deny, reason, f"builtin:{rule}")


def ask(reason: str, rule: str) -> Finding:
    return Finding(Verdict.ask, reason, f"builtin:{rule}")


def command_name(word: str) -> str:
    """`/usr/bin/RM.exe` → `rm`: the name the deny list and rules compare against."""
    name = re.split(r"[\\/]", word)[-1].lower()
    return re.sub(r"\.(exe|com|cmd|bat|ps1)$", "", name)


# -- targets -------------------------------------------------------------------
_HOME_FORMS = re.compile(r"^(~|\$home|\$\{home\}|%userprofile%|\$env:userprofile|%homepath%|\$env:home)(?=$|[\\/])", re.I)
SYSTEM_TREES = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/sbin", "/usr",
                "/proc", "/sys", "/system", "/library", "/private/etc", "/var/lib", "/var/log",
                "c:/windows", "c:/program files", "c:/program files (x86)", "c:/programdata", "c:/boot",
                "%systemroot%", "$env:systemroot", "%windir%", "$env:windir", "%programfiles%")
CRITICAL = ("/", "~", "/home", "/users", "/var", "/opt", "/srv", "/mnt", "/media", "/volumes", "/root",
            "/applications", "/private", "/tmp", "/snap", "c:", "c:/users", "/*", "~/*", "*")
SAFE_DEVICES = ("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/stdin", "/dev/tty", "/dev/zero", "/dev/urandom")


def normalize_target(text: str) -> str:
    """Lower-case, forward slashes, home spelled `~`, no trailing `/`, `/.` or `/*`."""
    t = _HOME_FORMS.sub("~", text.strip()).replace("\\", "/").lower()
    t = re.sub(r"^\$env:systemdrive|^%systemdrive%", "c:", t)
    t = re.sub(r"/+", "/", t)
    t = re.sub(r"(/\.)+$", "", t)
    while len(t) > 1 and t.endswith("/"):
        t = t[:-1]
    return t


def classify_target(text: str, home: str) -> str | None:
    """'critical' (root, home, system roots), 'system' (inside a system tree) or None."""
    t = normalize_target(text)
    h = normalize_target(home)
    if t.startswith(h + "/"):
        t = "~" + t[len(h):]
    elif t == h:
        t = "~"
    bare = re.sub(r"/\*$", "", t) or "/"
    if bare in CRITICAL or bare in SYSTEM_TREES or t in CRITICAL or re.fullmatch(r"[a-z]:/?", bare):
        return "critical"
    top = bare.split("/")[1] if bare.startswith("/") and len(bare) > 1 else ""
    if re.search(r"[*?\[]", top):
        return "critical"  # /e* or /*/… reaches system folders
    if h.startswith(bare + "/") and bare.startswith("/"):
        return "critical"  # an ancestor of the home folder
    if t in SAFE_DEVICES:
        return None
    if any(t.startswith(s + "/") for s in SYSTEM_TREES):
        return "system"
    return None


def _flags(words: list[Word]) -> set[str]:
    out: set[str] = set()
    for w in words[1:]:
        t = w.text
        if t.startswith("--") or (t.startswith("-") and len(t) > 2 and t[1].isupper()):
            out.add(t.lower())
        elif t.startswith("-") and len(t) > 1:
            out.update("-" + c for c in t[1:])
        elif t.startswith("/") and len(t) <= 3 and t[1:].isalpha():
            out.add(t.lower())
    return out


def _operands(words: list[Word]) -> list[Word]:
    return [w for w in words[1:] if not (w.text.startswith("-") and len(w.text) > 1)]


RECURSIVE = {"-r", "-R", "--recursive", "-recurse", "/s"}
DELETERS = {"rm", "rmdir", "unlink", "shred", "srm", "remove-item", "ri", "del", "erase", "rd", "trash"}
WRITERS = {"tee", "truncate", "touch", "set-content", "add-content", "out-file", "new-item", "chattr", "shred"}
PERMS = {"chmod", "chown", "chgrp", "icacls", "cacls", "setfacl"}


MOVERS = {"mv", "cp", "ln", "install", "rsync", "move-item", "copy-item", "move", "copy", "xcopy", "robocopy"}


def danger(name: str, words: list[Word], home: str) -> list[Finding]:
    """Built-in deny checks for one simple command (name already normalized)."""
    found: list[Finding] = []
    flags = _flags(words)
    targets = [(w, classify_target(w.text, home)) for w in _operands(words)]
    if "--no-preserve-root" in flags:
        found.append(deny("rm --no-preserve-root deletes the whole system", "rm-root"))
    if name in MOVERS:
        found += _movers(name, targets)
    elif name in DELETERS or name in WRITERS or (name == "sed" and {"-i", "--in-place"} & flags):
        rule = "delete-system-path" if name in DELETERS else "write-system-path"
        found += [deny(f"{name} on {w.text} would damage the system or the home folder", rule)
                  for w, kind in targets if kind]
    elif name in PERMS:
        found += [deny(f"{name} on {w.text} changes system or home-folder permissions", "system-permissions")
                  for w, kind in targets if kind]
    found += _dd(name, words)
    found += _misc(name, words, flags)
    return found


def _movers(name: str, targets: list[tuple[Word, str | None]]) -> list[Finding]:
    """Moving/copying away `/` or `~` is denied, and so is writing into a system folder; into home is fine."""
    if not targets:
        return []
    *sources, (dest, dest_kind) = targets
    found = [deny(f"{name} would move or overwrite {w.text}", "write-system-path")
             for w, kind in sources if kind == "critical" and name not in {"cp", "copy", "copy-item", "xcopy", "robocopy"}]
    bare = normalize_target(dest.text)
    if dest_kind == "system" or bare in SYSTEM_TREES or bare == "/":
        found.append(deny(f"{name} writes into the system folder {dest.text}", "write-system-path"))
    return found


def _dd(name: str, words: list[Word]) -> list[Finding]:
    if name != "dd":
        return []
    out = [w.text[3:] for w in words if w.text.startswith("of=")]
    return [deny(f"dd writes to the device {o}", "dd-device") for o in out if o.startswith("/dev/") and o not in SAFE_DEVICES]


def _misc(name: str, words: list[Word], flags: set[str]) -> list[Finding]:
    args = " ".join(w.text.lower() for w in words[1:])
    if name in {"kill", "pkill"} and re.search(r"(^|\s)-1(\s|$)", args):
        return [deny("kill -1 ends every process of the user", "kill-all")]
    if name in {"netsh"} and "firewall" in args and ("off" in args or "disable" in args):
        return [deny("turning off the firewall", "firewall-off")]
    if name in {"ufw", "iptables", "ip6tables", "nft"} and ("disable" in args or {"-F", "--flush", "flush"} & flags):
        return [deny("turning off the firewall", "firewall-off")]
    if name in {"set-itemproperty", "new-itemproperty", "remove-itemproperty", "remove-item", "new-item"} \
            and re.search(r"\b(hklm|hkcu|hkey_\w+|registry::)", args):
        return [deny("edits the Windows registry", "registry")]
    if name in {"format"} or name.startswith("mkfs"):
        return [deny("formats a disk", "format")]
    if name == "find" and "-delete" in args.split():
        operands = [w.text for w in words[1:] if not w.text.startswith("-")][:1]
        if any(classify_target(o, "~") for o in operands):
            return [deny("find -delete over a system folder", "delete-system-path")]
    return []


# -- downloads piped into interpreters -----------------------------------------
DOWNLOADERS = {"curl", "wget", "fetch", "iwr", "irm", "invoke-webrequest", "invoke-restmethod", "aria2c",
               "nc", "ncat", "bitsadmin", "certutil", "start-bitstransfer", "lwp-download", "http"}
INTERPRETERS = {"sh", "bash", "zsh", "dash", "ksh", "fish", "csh", "tcsh", "busybox", "python", "python3",
                "python2", "perl", "ruby", "node", "php", "iex", "invoke-expression", "powershell", "pwsh",
                "cmd", "source", ".", "eval", "osascript", "lua", "tclsh"}
_DL_TEXT = re.compile(r"\b(curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod|downloadstring|"
                      r"downloadfile|net\.webclient|start-bitstransfer|bitsadmin|certutil)\b", re.I)


def download_exec(commands: list[Simple]) -> list[Finding]:
    """Deny a downloader whose output reaches an interpreter (curl | sh, iwr | iex, bash <(curl …))."""
    found: list[Finding] = []
    downloading = False
    for simple in commands:
        name = _inner_name(simple)
        if downloading and name in INTERPRETERS:
            found.append(deny("downloads a script and runs it", "download-exec"))
        if name in INTERPRETERS and any(w.dynamic and _DL_TEXT.search(w.text) for w in simple.words):
            found.append(deny("runs a script fetched from the network", "download-exec"))
        downloading = (downloading or name in DOWNLOADERS) and simple.pipe_out
    return found


def _inner_name(simple: Simple) -> str:
    """The program a pipeline stage really runs, looking through sudo/env/nohup and assignments."""
    for w in simple.words:
        t = w.text
        if re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", t) or t.startswith("-"):
            continue
        name = command_name(t)
        if name not in ADMIN and name not in TRANSPARENT:
            return name
    return ""


def raw_download_exec(text: str) -> list[Finding]:
    """Backstop on the raw text: an evaluator and a downloader on one line (PowerShell one-liners)."""
    low = text.lower()
    if re.search(r"\b(iex|invoke-expression)\b", low) and _DL_TEXT.search(low):
        return [deny("downloads a script and runs it", "download-exec")]
    return []


_FORK_BOMB = re.compile(r"([\w:.-]{1,64})\s*\(\)\s*\{[^}]{0,200}?\1\s*\|\s*\1\s*&|%0\s*\|\s*%0")


def fork_bomb(text: str) -> list[Finding]:
    return [deny("a fork bomb freezes the machine", "fork-bomb")] if _FORK_BOMB.search(text) else []


# -- wrappers ------------------------------------------------------------------
ADMIN = {"sudo", "doas", "pkexec", "runas", "su", "gsudo"}
TRANSPARENT = {"env", "nohup", "timeout", "nice", "ionice", "stdbuf", "time", "command", "builtin", "exec",
               "xargs", "setsid", "chronic", "unbuffer", "caffeinate", "chroot", "flock", "watch", "strace",
               "ltrace", "systemd-run", "start-process", "start", "busybox", "torsocks", "proxychains"}
_VALUE_OPTS = {"sudo": "ugChprtUDT", "doas": "uC", "timeout": "sk", "nice": "n", "ionice": "cnp",
               "xargs": "InPLdEsa", "env": "uCS", "su": "sgl", "flock": "wEx", "watch": "nd",
               "runas": "", "start-process": ""}
SHELLS = {"bash", "sh", "zsh", "dash", "ksh", "fish", "csh", "tcsh", "busybox"}
PYLIKE = {"python", "python3", "python2", "perl", "ruby", "node", "php", "osascript", "lua", "deno", "bun"}


@dataclass
class Unwrapped:
    """What a wrapper runs: more words (`sudo rm …`) or a text in a dialect (`bash -c "…"`)."""

    words: list[Word] | None = None
    text: str | None = None
    dialect: str = "bash"
    extra: list[Finding] | None = None


_POSITIONALS = {"timeout": 1, "chroot": 1, "flock": 1}  # the duration / new root / lock file


def _skip_options(name: str, words: list[Word]) -> int:
    """Index of the wrapped command's name after the wrapper's own options (and env assignments)."""
    i, value_letters = 1, _VALUE_OPTS.get(name, "")
    while i < len(words):
        t = words[i].text
        if t == "--":
            i += 1
            break
        if t.startswith("-") and len(t) > 1:
            takes = len(t) == 2 and t[1] in value_letters
            i += 2 if takes else 1
        elif name == "env" and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", t):
            i += 1
        else:
            break
    return i + _POSITIONALS.get(name, 0)


def unwrap(name: str, words: list[Word]) -> Unwrapped | None:
    """The command a wrapper or interpreter runs, or None when `name` runs nothing else."""
    if name in ADMIN:
        return _admin(name, words)
    if name in SHELLS and (inner := _flag_value(words, ("-c",))) is not None:
        return Unwrapped(text=inner, dialect="bash")
    if name in {"powershell", "pwsh"}:
        return _powershell(words)
    if name == "cmd" and (inner := _after(words, ("/c", "/k", "/r"))) is not None:
        return Unwrapped(text=inner, dialect="cmd")
    if name in {"eval", "iex", "invoke-expression"}:
        return Unwrapped(text=" ".join(w.text for w in words[1:]),
                         extra=[ask(f"{name} runs text as a command", "eval")])
    if name == "find":
        return _find_exec(words)
    if name in TRANSPARENT:
        rest = words[_skip_options(name, words):]
        if name == "env" and any(w.text.startswith("-S") for w in words):
            return Unwrapped(extra=[ask("env -S splits a string into a command", "env-split")])
        return Unwrapped(words=rest) if rest else None
    return None


def _admin(name: str, words: list[Word]) -> Unwrapped:
    note = ask(f"{name} runs a command with administrator rights", "admin")
    if name == "su" and (inner := _flag_value(words, ("-c", "--command"))) is not None:
        return Unwrapped(text=inner, extra=[note])
    rest = words[_skip_options(name, words):]
    return Unwrapped(words=rest or None, extra=[note])


def _flag_value(words: list[Word], flags: tuple[str, ...]) -> str | None:
    """The word after the first of `flags` (a short cluster ending in c, like `-lc`, counts as -c)."""
    for i, w in enumerate(words[1:], 1):
        if w.text in flags or ("-c" in flags and re.fullmatch(r"-[A-Za-z]*c", w.text)):
            return words[i + 1].text if i + 1 < len(words) else ""
    return None


def _after(words: list[Word], flags: tuple[str, ...]) -> str | None:
    for i, w in enumerate(words[1:], 1):
        if w.text.lower() in flags:
            return " ".join(x.text for x in words[i + 1:])
    return None


def _powershell(words: list[Word]) -> Unwrapped:
    for i, w in enumerate(words[1:], 1):
        flag = w.text.lower()
        rest = " ".join(x.text for x in words[i + 1:])
        if flag in ("-command", "-c", "/c", "-com", "-comm"):
            return Unwrapped(text=rest, dialect="powershell")
        if flag in ("-encodedcommand", "-enc", "-e", "-ec", "-en"):
            return _decode_ps(rest)
        if flag in ("-file", "-f"):
            break
        if not flag.startswith("-"):
            return Unwrapped(text=" ".join(x.text for x in words[i:]), dialect="powershell")
    return Unwrapped(extra=[ask("runs a PowerShell script or session", "powershell")])


def _decode_ps(b64: str) -> Unwrapped:
    note = ask("PowerShell -EncodedCommand hides the command it runs", "encoded-command")
    try:
        text = base64.b64decode(b64.strip(), validate=True).decode("utf-16-le")
    except ValueError:
        return Unwrapped(extra=[note])
    return Unwrapped(text=text, dialect="powershell", extra=[note])


def _find_exec(words: list[Word]) -> Unwrapped | None:
    texts = [w.text.lower() for w in words]
    extra = []
    if any(t in ("-delete", "-fprint", "-fprint0", "-fprintf", "-fls") for t in texts):
        extra.append(ask("find would delete or write files", "find-write"))
    for i, t in enumerate(texts):
        if t in ("-exec", "-execdir", "-ok", "-okdir"):
            end = next((j for j in range(i + 1, len(words)) if words[j].text in (";", "+")), len(words))
            extra.append(ask("find -exec runs a command on each file", "find-exec"))
            return Unwrapped(words=words[i + 1:end], extra=extra)
    return Unwrapped(extra=extra) if extra else None
