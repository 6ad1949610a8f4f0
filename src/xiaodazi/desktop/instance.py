"""One running desktop app per data folder: a lock, and a file that tells a second launch where to knock."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx

INSTANCE_FILE = "instance.json"
LOCK_FILE = "instance.lock"


class InstanceLock:
    """An exclusive lock on the data folder held for the life of the desktop app (released by the OS on exit)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE
        self._handle: Any = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = open(self.path, "a+")  # noqa: SIM115 - held until exit
        try:
            if os.name == "nt":
                import msvcrt

                msvcrt.locking(self._handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._handle.close()
            self._handle = None
            return False
        return True


def write_instance(data_dir: Path, url: str, token: str) -> None:
    """Record where the running app listens; readable by this user only (it holds the token)."""
    path = data_dir / INSTANCE_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"url": url, "token": token, "pid": os.getpid()}, handle)


def clear_instance(data_dir: Path) -> None:
    (data_dir / INSTANCE_FILE).unlink(missing_ok=True)


def running_instance(data_dir: Path) -> dict[str, Any] | None:
    """The running app's address and token, if it answers."""
    try:
        info = json.loads((data_dir / INSTANCE_FILE).read_text())
        if httpx.get(info["url"] + "health", timeout=2).status_code == 200:
            return info
    except (OSError, ValueError, KeyError, httpx.HTTPError):
        return None
    return None


def send_command(info: dict[str, Any], command: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """Ask the running app to do something (focus, quick_ask, stop, quit)."""
    response = httpx.post(info["url"] + f"api/desktop/{command}", json=body or {}, timeout=10,
                          headers={"Authorization": f"Bearer {info['token']}"})
    response.raise_for_status()
    return response.json()
