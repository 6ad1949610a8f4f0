"""Start a real `xiaodazi serve` subprocess on a free port and wait for /health."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from xiaodazi.server import free_port


@dataclass
class ServeProcess:
    proc: subprocess.Popen
    base_url: str
    token: str
    log_path: Path

    def client(self, **kw) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.token}"}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30, **kw)

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


def start_serve(data_dir: Path, workspace: Path, token: str = "test-token", env: dict | None = None,
                args: list[str] | None = None, wait: bool = True) -> ServeProcess:
    """Launch `python -m xiaodazi serve` with its own data folder; kill it if /health never answers."""
    port = free_port()
    full_env = {
        **os.environ,
        "XIAODAZI_DATA_DIR": str(data_dir),
        "XIAODAZI_WORKSPACE": str(workspace),
        "XIAODAZI_TOKEN": token,
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    log_path = data_dir.parent / f"serve-{port}.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "wb")  # noqa: SIM115 - lives as long as the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "xiaodazi", "serve", "--port", str(port), *(args or [])],
        env=full_env, stdout=log, stderr=subprocess.STDOUT,
    )
    server = ServeProcess(proc, f"http://127.0.0.1:{port}", token, log_path)
    if wait:
        _wait_healthy(server)
    return server


def _wait_healthy(server: ServeProcess, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"serve exited early:\n{server.output()}")
        try:
            if httpx.get(server.base_url + "/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    server.stop(signal.SIGKILL)
    raise RuntimeError(f"serve did not become healthy:\n{server.output()}")
