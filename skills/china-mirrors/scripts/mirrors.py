#!/usr/bin/env python3
"""Point pip, npm and conda at a mainland China mirror (and restore the defaults); print the steps for Docker,
Homebrew and apt, which need admin rights or shell profiles.

Files are written under --home (default: the user's home), the previous file is kept as <file>.xiaodazi-bak, and
`restore` puts it back (or removes the file if there was none). Mirror addresses as published by the mirror sites
(checked 2026); if one stops working, try another mirror.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

PYPI = {"tuna": "https://pypi.tuna.tsinghua.edu.cn/simple", "aliyun": "https://mirrors.aliyun.com/pypi/simple/",
        "ustc": "https://mirrors.ustc.edu.cn/pypi/simple", "tencent": "https://mirrors.cloud.tencent.com/pypi/simple",
        "huawei": "https://repo.huaweicloud.com/repository/pypi/simple"}
NPM = {"npmmirror": "https://registry.npmmirror.com", "tencent": "https://mirrors.cloud.tencent.com/npm/",
       "huawei": "https://repo.huaweicloud.com/repository/npm/"}
CONDA = {"tuna": "https://mirrors.tuna.tsinghua.edu.cn/anaconda", "ustc": "https://mirrors.ustc.edu.cn/anaconda"}
BACKUP = ".xiaodazi-bak"
NO_BACKUP = "<none>\n"  # marks "there was no file before"


def pip_file(home: Path) -> Path:
    """Where pip reads the per-user config on this OS."""
    if sys.platform.startswith("win"):
        return Path(os.environ.get("APPDATA", home / "AppData" / "Roaming")) / "pip" / "pip.ini"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "pip" / "pip.conf"
    return home / ".config" / "pip" / "pip.conf"


def pip_text(url: str) -> str:
    host = url.split("/")[2]
    return f"[global]\nindex-url = {url}\ntimeout = 60\n\n[install]\ntrusted-host = {host}\n"


def conda_text(base: str) -> str:
    return ("channels:\n  - defaults\nshow_channel_urls: true\ndefault_channels:\n"
            f"  - {base}/pkgs/main\n  - {base}/pkgs/r\n  - {base}/pkgs/msys2\ncustom_channels:\n"
            f"  conda-forge: {base}/cloud\n  pytorch: {base}/cloud\n")


def target(tool: str, home: Path, mirror: str | None) -> tuple[Path, str | None]:
    """The config file of a tool and the text to write (None when only the path is needed)."""
    if tool == "pip":
        return pip_file(home), pip_text(PYPI[mirror or "tuna"]) if mirror is not None else None
    if tool == "npm":
        return home / ".npmrc", f"registry={NPM[mirror or 'npmmirror']}\n" if mirror is not None else None
    return home / ".condarc", conda_text(CONDA[mirror or "tuna"]) if mirror is not None else None


def set_mirror(tool: str, home: Path, mirror: str) -> dict:
    """Write the config, keeping the old one; setting twice keeps the first backup."""
    path, text = target(tool, home, mirror)
    backup = path.with_name(path.name + BACKUP)
    if not backup.exists():
        backup.parent.mkdir(parents=True, exist_ok=True)
        backup.write_text(path.read_text(encoding="utf-8") if path.exists() else NO_BACKUP, encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    return {"tool": tool, "file": str(path), "backup": str(backup), "written": text}


def restore(tool: str, home: Path) -> dict:
    """Put back the file from before, or remove ours if there was none."""
    path, _ = target(tool, home, None)
    backup = path.with_name(path.name + BACKUP)
    if not backup.exists():
        return {"tool": tool, "file": str(path), "restored": False, "reason": "no backup: nothing was changed here"}
    old = backup.read_text(encoding="utf-8")
    if old == NO_BACKUP:
        path.unlink(missing_ok=True)
    else:
        path.write_text(old, encoding="utf-8")
    backup.unlink()
    return {"tool": tool, "file": str(path), "restored": True}


MANUAL = {
    "docker": "Edit /etc/docker/daemon.json (admin rights) to add \"registry-mirrors\": [\"https://<mirror>\"], then "
              "`sudo systemctl restart docker`; Docker Desktop: Settings > Docker Engine. Public Docker Hub mirrors in "
              "China change often: use the accelerator address from your cloud provider's console (e.g. Alibaba Cloud "
              "容器镜像服务 > 镜像加速器).",
    "brew": "Add to ~/.zshrc: export HOMEBREW_API_DOMAIN=https://mirrors.tuna.tsinghua.edu.cn/homebrew-bottles/api; "
            "export HOMEBREW_BOTTLE_DOMAIN=https://mirrors.tuna.tsinghua.edu.cn/homebrew-bottles; "
            "export HOMEBREW_BREW_GIT_REMOTE=https://mirrors.tuna.tsinghua.edu.cn/git/homebrew/brew.git; "
            "then open a new terminal and run `brew update`. Remove the lines to restore.",
    "apt": "Back up /etc/apt/sources.list (or /etc/apt/sources.list.d/*.sources on Debian 12+/Ubuntu 24.04+), replace "
           "the host deb.debian.org / archive.ubuntu.com with mirrors.tuna.tsinghua.edu.cn (or mirrors.aliyun.com), "
           "keep the release names as they are, then `sudo apt-get update`. Restore from the backup to undo.",
}


def main(argv: list[str] | None = None) -> None:
    """set / restore / show; print JSON; exit 2 on bad input."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("action", choices=["set", "restore", "show", "manual"])
    p.add_argument("tools", nargs="+", choices=["pip", "npm", "conda", "docker", "brew", "apt"])
    p.add_argument("--mirror", help=f"pip: {', '.join(PYPI)}; npm: {', '.join(NPM)}; conda: {', '.join(CONDA)}")
    p.add_argument("--home", type=Path, default=Path.home())
    p.add_argument("--json", action="store_true", help="JSON output (always on)")
    a = p.parse_args(argv)
    results = []
    try:
        for tool in a.tools:
            if tool in MANUAL or a.action == "manual":
                results.append({"tool": tool, "manual": MANUAL.get(tool, "use `set`")})
            elif a.action == "set":
                known = {"pip": PYPI, "npm": NPM, "conda": CONDA}[tool]
                mirror = a.mirror if a.mirror in known else next(iter(known))
                results.append(set_mirror(tool, a.home, mirror))
            elif a.action == "restore":
                results.append(restore(tool, a.home))
            else:
                path, _ = target(tool, a.home, None)
                results.append({"tool": tool, "file": str(path),
                                "content": path.read_text(encoding="utf-8") if path.exists() else None})
    except OSError as exc:
        print(json.dumps({"ok": False, "error": str(exc)}, ensure_ascii=False))
        sys.exit(2)
    print(json.dumps({"ok": True, "action": a.action, "results": results}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
