"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl into a temp folder on a free loopback port.

Root may not run postgres, so as root the server runs as the `postgres` user (created by the
Debian package) through `runuser`; anyone else runs it directly. `XIAODAZI_TEST_PG_URL` points
the tests at an existing server instead (an admin URL that may CREATE DATABASE).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from xiaodazi.server import free_port

_SPEED = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"


def pg_tool(name: str) -> str:
    """Path of a PostgreSQL server program: on PATH, else Debian's /usr/lib/postgresql/<ver>/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        raise RuntimeError(f"{name} not found: install PostgreSQL (apt-get install postgresql)")
    return candidates[-1]


class PostgresServer:
    """One cluster for the test session; each test gets its own database in it."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="xiaodazi-pg-"))
        self.port = free_port()
        self.user = "xiaodazi"
        self._as_owner: list[str] = []

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/postgres"

    def start(self) -> PostgresServer:
        """initdb and start the server; wait until it accepts connections."""
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self._as_owner = ["runuser", "-u", "postgres", "--"]
        data = self.root / "data"
        self._run(pg_tool("initdb"), "-D", str(data), "-U", self.user, "--auth=trust", "-E", "UTF8", "--no-locale")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} {_SPEED}"
        self._run(pg_tool("pg_ctl"), "-D", str(data), "-l", str(self.root / "server.log"), "-o", options, "-w", "start")
        return self

    def stop(self) -> None:
        """Stop the server at once and delete its folder."""
        subprocess.run([*self._as_owner, pg_tool("pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, *cmd: str) -> None:
        result = subprocess.run([*self._as_owner, *cmd], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:2])} failed:\n{result.stdout}\n{result.stderr}")


def create_database(admin_url: str, name: str) -> str:
    """CREATE DATABASE `name` on the server of `admin_url`; returns the new database's URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(admin_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)
