"""Which database the tests run on: SQLite by default, PostgreSQL with XIAODAZI_TEST_DB=postgres.

`make test` runs tests/storage and tests/api a second time on PostgreSQL (`make pytest-pg`).
"""

from __future__ import annotations

import os

import pytest


def db_kind() -> str:
    """"sqlite" or "postgres", from XIAODAZI_TEST_DB."""
    kind = os.environ.get("XIAODAZI_TEST_DB", "sqlite").strip().lower()
    return "postgres" if kind.startswith("postgres") else "sqlite"


sqlite_only = pytest.mark.skipif(db_kind() == "postgres", reason="SQLite-specific behaviour")


@pytest.fixture(scope="session")
def postgres_admin_url():
    """The admin URL of a PostgreSQL server: XIAODAZI_TEST_PG_URL, else one started for this session."""
    given = os.environ.get("XIAODAZI_TEST_PG_URL")
    if given:
        yield given
        return
    from tests.support.postgres import PostgresServer

    server = PostgresServer().start()
    yield server.admin_url
    server.stop()


@pytest.fixture
def database_url(request) -> str:
    """An empty database for this test on PostgreSQL; "" on SQLite (the data folder's file is used)."""
    if db_kind() != "postgres":
        return ""
    import uuid

    from tests.support.postgres import create_database

    admin = request.getfixturevalue("postgres_admin_url")
    return create_database(admin, f"t_{uuid.uuid4().hex[:16]}")
