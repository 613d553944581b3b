"""Engines for an archive URL, and the schema migrations that keep it current.

SQLite archives run in WAL mode with a busy timeout, and writers take the write lock
at ``BEGIN IMMEDIATE`` so that two crawls sharing one file queue up instead of
failing with "database is locked" when a read transaction tries to become a write.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from sqlalchemy.engine import Connection, Engine

DEFAULT_DB_URL = "sqlite:///archive.db"
DB_URL_ENV = "NEWSARCHIVE_DB"
SQLITE_BUSY_TIMEOUT_S = 60.0
# Prepared statements the sqlite3 module keeps per connection (its default is 128). The
# writer's multi-row INSERTs have one SQL text per row count, each prepared statement
# ~200 kB of SQLite memory: with 128 of them a crawl's process grew by ~5 kB per article
# until the cache was full (~25 MB). 16 hold every statement a batch repeats; re-preparing
# an evicted multi-row INSERT costs well under a millisecond per batch.
SQLITE_CACHED_STATEMENTS = 16
# Rows per multi-row INSERT ... RETURNING on SQLite (SQLAlchemy's insertmanyvalues, 1000 by
# default). A batch's raw captures (~30 kB each, compressed) and its ~1,000 boilerplate line
# counts went out at up to 1,000 rows a statement: SQLite holds a statement's bound values
# and its prepared program, and the crawler process peaked 7-9 MiB higher (2,000 pages).
# 20 rows keep that peak where one row a statement had it, in 1/20 of the statements.
SQLITE_INSERT_PAGE_ROWS = 20


class ArchiveError(Exception):
    """The archive cannot be opened or used as asked; the message says why and what to do."""


# SQLSTATE classes and codes that pass by themselves: connection exceptions (08),
# operator intervention such as a shutdown or restart (57), transaction rollbacks such
# as serialization failures and deadlocks (40), too many connections.
_TRANSIENT_SQLSTATE_CLASSES = ("08", "57", "40")
_TRANSIENT_SQLSTATES = ("53300",)


def is_transient_error(exc: BaseException) -> bool:
    """Whether a database error may pass if retried: a lost or refused connection, a
    server restarting or shutting down, a deadlock, a lock wait that timed out. A full
    disk, a missing table or a constraint violation are not: retrying cannot help."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    orig = exc.orig
    if type(orig).__module__ == "sqlite3":
        message = str(orig).lower()
        return "locked" in message or "busy" in message
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return sqlstate[:2] in _TRANSIENT_SQLSTATE_CLASSES or sqlstate in _TRANSIENT_SQLSTATES
    # No SQLSTATE: the driver could not reach the server at all (refused, reset, timed out).
    return True


def resolve_db_url(url: str | None = None) -> str:
    """The URL to use: the one given, else ``$NEWSARCHIVE_DB``, else ``sqlite:///archive.db``."""
    return url or os.environ.get(DB_URL_ENV) or DEFAULT_DB_URL


def create_archive_engine(
    url: str | None = None, *, write: bool = True, pool_size: int = 5, sqlite_max_bytes: int = 0
) -> Engine:
    """An engine for ``url``, tuned for the archive's backend.

    ``write`` engines open SQLite transactions with ``BEGIN IMMEDIATE``; read-only
    engines keep SQLite's deferred transactions so readers never wait on a crawl.
    ``sqlite_max_bytes`` caps a SQLite archive's size: a write past it fails as on a
    full disk. Statement parameters (scraped text) never appear in error messages.
    """
    sa_url = make_url(resolve_db_url(url))
    if sa_url.drivername == "postgresql":
        # SQLAlchemy's default PostgreSQL driver is psycopg2; the postgres extra is psycopg 3.
        sa_url = sa_url.set(drivername="postgresql+psycopg")
    if sa_url.get_backend_name() == "sqlite":
        return _sqlite_engine(
            sa_url.render_as_string(hide_password=False), write=write, max_bytes=sqlite_max_bytes
        )
    try:
        return create_engine(
            sa_url,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=pool_size,
            hide_parameters=True,
        )
    except ModuleNotFoundError as exc:
        raise ArchiveError(
            f"the database driver for {sa_url.drivername!r} is not installed ({exc.name}); "
            "for PostgreSQL install the extra: pip install 'newsarchive[postgres]'"
        ) from exc


def _sqlite_engine(url: str, *, write: bool, max_bytes: int = 0) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        parent = Path(database).expanduser().resolve().parent
        if not parent.is_dir():
            raise ArchiveError(
                f"cannot create archive {database!r}: folder {parent} does not exist"
            )
    engine = create_engine(
        url,
        connect_args={
            "timeout": SQLITE_BUSY_TIMEOUT_S,
            "check_same_thread": False,
            "cached_statements": SQLITE_CACHED_STATEMENTS,
        },
        insertmanyvalues_page_size=SQLITE_INSERT_PAGE_ROWS,
        hide_parameters=True,
    )
    begin = "BEGIN IMMEDIATE" if write else "BEGIN"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        if max_bytes > 0:
            page_size = int(cursor.execute("PRAGMA page_size").fetchone()[0])
            cursor.execute(f"PRAGMA max_page_count = {max(1, int(max_bytes) // page_size)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)

    return engine


def migrations_location() -> str:
    """The folder of Alembic migrations, on disk.

    Installed normally it is the package's own folder. Deployed as a zipped egg (as
    scrapyd runs projects) Alembic cannot list a folder inside the zip, so the
    migrations are copied out once per process to a temporary folder."""
    folder = Path(__file__).resolve().parent / "migrations"
    return str(folder) if folder.is_dir() else _extracted_migrations()


@functools.cache
def _extracted_migrations() -> str:
    from importlib import resources

    target = Path(tempfile.mkdtemp(prefix="newsarchive-migrations-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    _copy_tree(resources.files("archive") / "migrations", target / "migrations")
    return str(target / "migrations")


def _copy_tree(source: Traversable, target: Path) -> None:
    target.mkdir()
    for entry in source.iterdir():
        if entry.is_dir():
            if entry.name != "__pycache__":
                _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


def db_error_message(exc: BaseException) -> str:
    """The database's own one-line reason for a failed statement, without the SQL
    (``OperationalError: database or disk is full``)."""
    orig = getattr(exc, "orig", None) or exc
    first_line = (str(orig).strip().splitlines() or [""])[0]
    return f"{type(orig).__name__}: {first_line}" if first_line else type(orig).__name__


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", migrations_location())
    config.attributes["connection"] = connection
    return config


def upgrade_archive(engine: Engine, revision: str = "head") -> None:
    """Create the archive's tables or migrate them to ``revision`` (latest by default)."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    """The migration the archive is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _script_directory() -> Any:
    from alembic.script import ScriptDirectory

    with create_archive_engine("sqlite://").connect() as connection:
        return ScriptDirectory.from_config(_alembic_config(connection))


def head_revision() -> str:
    head = _script_directory().get_current_head()
    assert head is not None
    return str(head)


def revision_history() -> list[tuple[str, str]]:
    """Every migration, oldest first: (revision id, what it does)."""
    revisions = list(_script_directory().walk_revisions())
    return [(str(r.revision), (r.doc or "").strip()) for r in reversed(revisions)]


def check_schema(engine: Engine) -> None:
    """Raise ArchiveError unless the archive exists and is at the latest migration."""
    current = current_revision(engine)
    if current is None:
        raise ArchiveError(
            f"{engine.url.render_as_string()} is not a newsarchive archive "
            "(no tables); crawl into it or run: newsarchive db upgrade"
        )
    if current != head_revision():
        raise ArchiveError(
            f"the archive's schema is at {current}, this release needs {head_revision()}: "
            "run: newsarchive db upgrade"
        )


def open_engine(url: str | None = None, *, write: bool = False, upgrade: bool = False) -> Engine:
    """An engine on an existing archive (``upgrade`` creates or migrates it first)."""
    engine = create_archive_engine(url, write=write or upgrade)
    if upgrade:
        upgrade_archive(engine)
    else:
        check_schema(engine)
    return engine
