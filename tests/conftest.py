"""Shared fixtures: the fixture-site HTTP server, archives, and running the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from archive.engine import create_archive_engine
from tests.support.cli import start_mockserver
from tests.support.migrated import RecordedMigration, copy_sqlite, sqlite_template
from tests.support.services import PG_URL, REDIS_URL, pg_schema_url, postgres_unavailable


@pytest.fixture(scope="session", autouse=True)
def lock_files_in_the_sessions_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A crawl of an archive nobody named (``archive.db`` in its working folder) locks a
    file in the user's runtime folder, else ``~/.cache/newsarchive/locks``
    (archive/locks.py). The suite's crawls, in process or in a subprocess (``cli_env``
    copies the environment), lock theirs in a folder of the session's instead, so a test
    run leaves nothing in the user's cache."""
    folder = tmp_path_factory.mktemp("runtime")
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    patch.undo()


@pytest.fixture(scope="session")
def mockserver() -> Any:
    server = start_mockserver()
    yield server
    server.process.terminate()
    server.process.wait(10)


# --- archives on both backends -------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_skip_reason() -> str | None:
    return postgres_unavailable()


@pytest.fixture(scope="session")
def pg_admin(postgres_skip_reason: str | None) -> Iterator[Engine]:
    """One connection pool for the session's schema creation and removal (a new
    connection per test cost ~20 ms twice)."""
    if postgres_skip_reason:
        pytest.skip(postgres_skip_reason)
    from sqlalchemy import create_engine

    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT", pool_size=1, pool_pre_ping=True)
    yield admin
    admin.dispose()


@pytest.fixture
def pg_url(pg_admin: Engine) -> Any:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped after the test."""
    import uuid

    from sqlalchemy import text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with pg_admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield pg_schema_url(schema)
    with pg_admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty archive URL on each backend: a SQLite file, and a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'archive.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite archive migrated once for the session: ``engine`` copies it."""
    return sqlite_template(tmp_path_factory.mktemp("template") / "archive.db")


@pytest.fixture(scope="session")
def migrated_postgres(pg_admin: Engine) -> RecordedMigration:
    """A PostgreSQL migration recorded once for the session: ``engine`` replays it."""
    import uuid

    from sqlalchemy import text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with pg_admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        return RecordedMigration.record(pg_schema_url(schema))
    finally:
        with pg_admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def engine(db_url: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """An engine on a new archive at the latest migration, on each backend (what the
    migrations make, without running Alembic for each test: tests/support/migrated.py)."""
    if db_url.startswith("sqlite:///"):
        copy_sqlite(
            request.getfixturevalue("migrated_sqlite"), Path(db_url.removeprefix("sqlite:///"))
        )
        engine = create_archive_engine(db_url)
    else:
        engine = create_archive_engine(db_url)
        request.getfixturevalue("migrated_postgres").replay(engine)
    yield engine
    engine.dispose()


# --- Redis ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_skip_reason() -> str | None:
    try:
        import redis
    except ImportError:
        return "redis is not installed (pip install 'newsarchive[redis]')"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"no Redis at {REDIS_URL} ({type(exc).__name__}); set NEWSARCHIVE_TEST_REDIS"
    return None


@pytest.fixture
def redis_key(redis_skip_reason: str | None) -> Any:
    """A Redis key prefix of this test's own; its keys are deleted afterwards."""
    if redis_skip_reason:
        pytest.skip(redis_skip_reason)
    import uuid

    import redis

    prefix = f"newsarchive-test:{uuid.uuid4().hex[:12]}"
    yield prefix
    server = redis.Redis.from_url(REDIS_URL)
    keys = list(server.scan_iter(f"{prefix}*"))
    if keys:
        server.delete(*keys)
    server.close()
