"""Run Debian's nginx as a plain process with deploy/nginx.conf, in front of a local backend."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from xiaodazi.server import free_port

ROOT = Path(__file__).resolve().parents[2]
SITE_CONF = ROOT / "deploy" / "nginx.conf"
MAIN_TEMPLATE = Path(__file__).with_name("nginx-main.conf.template")
LISTEN_V4 = "listen 80 default_server;"
LISTEN_V6 = "listen [::]:80 default_server;"


def fill(template: str, values: dict[str, str]) -> str:
    """Replace `${NAME}` for the given names only, as the image's envsubst step does."""
    for name, value in values.items():
        template = template.replace("${" + name + "}", value)
    return template


def render_site(backend: str, ui_root: Path, port: int) -> str:
    """deploy/nginx.conf with the backend address and UI folder filled in, listening on loopback:port."""
    text = SITE_CONF.read_text()
    assert LISTEN_V4 in text and LISTEN_V6 in text, "nginx.conf no longer listens on port 80"
    text = text.replace(LISTEN_V4, f"listen 127.0.0.1:{port} default_server;").replace(LISTEN_V6, "")
    text = fill(text, {"XIAODAZI_BACKEND": backend, "XIAODAZI_UI_ROOT": str(ui_root)})
    assert "${XIAODAZI_" not in text, "nginx.conf uses a variable the image does not set"
    return text


@dataclass
class Nginx:
    proc: subprocess.Popen
    prefix: Path
    port: int

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""


def nginx_binary() -> str:
    """The nginx program (Debian installs it in /usr/sbin)."""
    found = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)
    if found is None:
        raise RuntimeError("nginx not found: apt-get install nginx (make system-deps)")
    return found


def start_nginx(prefix: Path, backend: str, ui_root: Path) -> Nginx:
    """Write the configuration into `prefix`, check it with `nginx -t`, start nginx in the foreground."""
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (prefix / "site.conf").write_text(render_site(backend, ui_root, port))
    user_line = "user root root;" if os.geteuid() == 0 else ""  # workers may read the test's 0700 folders
    main = fill(MAIN_TEMPLATE.read_text(), {"PREFIX": str(prefix), "USER_LINE": user_line})
    (prefix / "nginx.conf").write_text(main)
    cmd = [nginx_binary(), "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    check = subprocess.run([*cmd, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen([*cmd, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Nginx(proc, prefix, port)
    _wait_listening(server)
    return server


def _wait_listening(server: Nginx, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"nginx exited:\n{server.error_log()}")
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"nginx did not listen:\n{server.error_log()}")
