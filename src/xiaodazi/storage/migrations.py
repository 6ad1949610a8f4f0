"""Schema migrations: an ordered list of functions, applied at start, with a backup taken first.

Migration 1 creates the tables from the current models, so every later migration must be
idempotent (add a column only if it is missing): a fresh database already has it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from xiaodazi.core.errors import StorageError
from xiaodazi.storage import memory_models, models, search
from xiaodazi.storage.engine import sqlite_path

log = logging.getLogger(__name__)
KEEP_BACKUPS = 5


def _m001_tables(conn: Connection) -> None:
    tables = [models.Conversation.__table__, models.Message.__table__, models.SettingRow.__table__]
    SQLModel.metadata.create_all(conn, tables=tables)


def _m002_fulltext(conn: Connection) -> None:
    search.for_dialect(conn.dialect.name).install(conn)


def _m003_memory(conn: Connection) -> None:
    memory_models.install_memory_schema(conn)


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("tables", _m001_tables),
    ("fulltext", _m002_fulltext),
    ("memory", _m003_memory),
]
LATEST = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    """The highest applied migration, 0 for an empty database."""
    if not inspect(conn).has_table("schema_migrations"):
        return 0
    return conn.execute(text("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")).scalar_one()


def backup_sqlite(db_file: Path, backup_dir: Path, version: int) -> Path:
    """Copy a live SQLite file consistently (backup API) and keep only the newest few copies."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    target = backup_dir / f"{db_file.stem}-v{version}-{stamp}.db"
    with sqlite3.connect(db_file) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    for old in sorted(backup_dir.glob(f"{db_file.stem}-v*.db"))[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)
    return target


def migrate(engine: Engine, backup_dir: Path, upto: int = LATEST) -> Path | None:
    """Apply pending migrations up to `upto`; return the backup file made first, if any."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, applied_at VARCHAR(40) NOT NULL)"
            )
        )
        version = current_version(conn)
    if version >= upto:
        return None
    backup = None
    db_file = sqlite_path(str(engine.url))
    if version > 0 and db_file is not None and db_file.exists():
        backup = backup_sqlite(db_file, backup_dir, version)
        log.info("database backed up to %s before migrating from v%d", backup, version)
    for number in range(version + 1, upto + 1):
        name, step = MIGRATIONS[number - 1]
        try:
            with engine.begin() as conn:
                step(conn)
                conn.execute(
                    text("INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)"),
                    {"v": number, "n": name, "t": datetime.now(UTC).isoformat()},
                )
        except Exception as exc:  # the transaction rolled back; the old schema stays usable
            raise StorageError(f"migration {number} ({name}) failed: {exc}", backup=str(backup)) from exc
        log.info("applied migration %d (%s)", number, name)
    return backup

