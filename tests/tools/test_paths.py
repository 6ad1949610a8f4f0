"""The path guard: a corpus of escape attempts (every one refused) and the paths that must keep working."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xiaodazi.core.tools import ToolContext, ToolRetry
from xiaodazi.tools.paths import resolve_path


@pytest.fixture
def layout(tmp_path: Path) -> ToolContext:
    """A workspace full of traps, a granted folder, an outside folder with a secret and the data folder."""
    ws, outside, granted, data = (tmp_path / n for n in ("workspace", "outside", "granted", "data"))
    for folder in (ws / "sub", outside, granted, data, tmp_path / "workspace_sibling", tmp_path / "granted_evil"):
        folder.mkdir(parents=True)
    (outside / "secret.txt").write_text("secret")
    (data / "exec-policy.json").write_text("{}")
    (ws / "notes.txt").write_text("notes")
    (ws / "sub" / "a.txt").write_text("a")
    (granted / "report.txt").write_text("report")
    links = {
        "link_out": outside, "link_etc": Path("/etc"), "link_file": outside / "secret.txt",
        "dangling": outside / "new.txt", "data_link": data, "up2": tmp_path, "tty_link": Path("/dev/tty"),
        "root_link": Path("/"), "chain1": ws / "chain2", "chain2": outside, "inner_link": ws / "sub",
        "link_granted": granted, "proc_link": Path("/proc/self"),
    }
    for name, target in links.items():
        os.symlink(target, ws / name)
    os.symlink("../../outside", ws / "sub" / "deep_link")
    os.mkfifo(ws / "pipe")
    return ToolContext(workspace=ws, data_dir=data, allowed_dirs=[granted])


def _abs(ctx: ToolContext, rel: str) -> str:
    return str(Path(ctx.workspace).parent) + os.sep + rel


ESCAPES = [
    # parent-folder escapes, with every separator a model might use
    "../outside/secret.txt", "../../etc/passwd", "sub/../../outside/secret.txt", "./../outside",
    "..\\outside\\secret.txt", "sub\\..\\..\\outside", "../", "..", "sub/../..", "sub/./../../outside",
    "sub//..//..//outside", "sub/..", "./sub/../notes.txt",
    # absolute paths outside
    "/etc/passwd", "/etc", "/", "//etc/passwd", "/tmp/x.txt", "/etc/../etc/passwd", "/root/.ssh/id_rsa",
    "/var/log/syslog", "/usr/bin/python3",
    "{abs}outside/secret.txt", "{abs}outside/new.txt", "{abs}workspace/../outside/secret.txt",
    "{abs}workspace_sibling/x.txt", "{abs}granted_evil/x.txt", "{abs}granted/../outside/secret.txt",
    "{abs}data/exec-policy.json",
    # home folder shortcuts
    "~", "~/.bashrc", "~root/.ssh/id_rsa", "~/../../etc/passwd", "~user",
    # URLs, NUL bytes, control characters, empty
    "file:///etc/passwd", "FILE:///etc/passwd", "file:notes.txt", "a.txt\x00.png", "\x00", "", "   ",
    "a/\x01b", "line\nbreak", "tab\there",
    # Windows drive, UNC and device forms
    "C:\\Windows\\System32\\drivers\\etc\\hosts", "C:/Windows", "c:secret", "D:\\data", "\\\\server\\share\\file",
    "\\\\?\\C:\\Windows", "\\\\.\\PhysicalDrive0", "//server/share", "CON", "nul.txt", "aux", "COM1", "LPT1.log",
    "sub/PRN", "con .txt", "...", "....", "sub/.../x",
    # device and kernel files
    "/dev/sda", "/dev/zero", "/proc/self/environ", "/proc/1/mem", "/sys/kernel", "pipe",
    # symlinks and chains leading outside (also for files that do not exist yet)
    "link_out/secret.txt", "link_out", "link_out/new.txt", "link_etc/passwd", "dangling", "link_file",
    "sub/deep_link/secret.txt", "sub/deep_link/new.txt", "chain1/secret.txt", "data_link/exec-policy.json",
    "up2/outside/secret.txt", "tty_link", "root_link/etc/passwd", "proc_link/environ", "link_out/../notes.txt",
]


@pytest.mark.parametrize("raw", ESCAPES)
def test_escape_attempt_is_refused_naming_the_allowed_folders(layout, raw):
    raw = raw.replace("{abs}", _abs(layout, ""))
    with pytest.raises(ToolRetry) as err:
        resolve_path(layout, raw)
    assert "allowed folders" in err.value.message and str(layout.workspace) in err.value.message


def test_the_corpus_has_at_least_sixty_attempts():
    assert len(ESCAPES) >= 60


def test_data_folder_inside_the_workspace_is_still_off_limits(tmp_path):
    ws = tmp_path / "ws"
    (ws / ".data").mkdir(parents=True)
    ctx = ToolContext(workspace=ws, data_dir=ws / ".data")
    with pytest.raises(ToolRetry, match="data folder"):
        resolve_path(ctx, ".data/exec-policy.json")


OK = {
    "notes.txt": "workspace/notes.txt", "sub/a.txt": "workspace/sub/a.txt", "./notes.txt": "workspace/notes.txt",
    "sub\\a.txt": "workspace/sub/a.txt", "new/dir/file.txt": "workspace/new/dir/file.txt",
    "中文目录/报告.docx": "workspace/中文目录/报告.docx", "a b.txt": "workspace/a b.txt",
    "inner_link/a.txt": "workspace/sub/a.txt", "link_granted/report.txt": "granted/report.txt",
    "{abs}workspace/notes.txt": "workspace/notes.txt", "{abs}granted/report.txt": "granted/report.txt",
    "{abs}granted/new/file.md": "granted/new/file.md", ".hidden": "workspace/.hidden", ".": "workspace",
    "$HOME": "workspace/$HOME",  # a literal folder name: no expansion happens
}


@pytest.mark.parametrize("raw", list(OK))
def test_paths_inside_the_workspace_or_granted_folders_resolve(layout, raw):
    real = resolve_path(layout, raw.replace("{abs}", _abs(layout, "")))
    assert real == Path(_abs(layout, OK[raw])).resolve()


def test_must_exist_reports_a_missing_file(layout):
    with pytest.raises(ToolRetry, match="not found"):
        resolve_path(layout, "missing.txt", must_exist=True)
