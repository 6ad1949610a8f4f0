"""Database engine: SQLite in WAL mode with a busy timeout, or any SQLAlchemy URL (PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine

BUSY_TIMEOUT_MS = 30_000


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _tune_sqlite(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not the driver, open transactions, so DDL in migrations is transactional too.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _begin(conn) -> None:
    # Writers take the lock up front (IMMEDIATE): a deferred transaction that later upgrades to
    # a write gets "database is locked" at once instead of waiting out the busy timeout.
    immediate = conn.get_execution_options().get("sqlite_immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer_engine(engine: Engine) -> Engine:
    """The same engine, but every transaction it opens on SQLite is BEGIN IMMEDIATE."""
    return engine.execution_options(sqlite_immediate=True)


def make_engine(url: str) -> Engine:
    """Create the engine for `url`; SQLite files get their folder created and are tuned for concurrency."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
        )
        event.listen(engine, "connect", _tune_sqlite)
        event.listen(engine, "begin", _begin)
        return engine
    # PostgreSQL returns timestamps in the session's time zone: pin it to UTC so the API shows
    # the same times whatever the server's default is (SQLite stores them as written, in UTC).
    connect_args = {"options": "-c timezone=UTC"} if make_url(url).get_backend_name() == "postgresql" else {}
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, connect_args=connect_args)
