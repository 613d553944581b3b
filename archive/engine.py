"""Engines for an archive URL, and the schema migrations that keep it current.

SQLite archives run in WAL mode with a busy timeout, and writers take the write lock
at ``BEGIN IMMEDIATE`` so that two crawls sharing one file queue up instead of
failing with "database is locked" when a read transaction tries to become a write.
"""

from __future__ import annotations

import ast
import atexit
import functools
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
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


class ArchiveInputError(ArchiveError):
    """What was asked cannot work as given (a malformed URL, an unsupported database, a
    missing driver, no archive where the URL points, an older schema, an empty search
    query): changing the request or the installation helps, retrying does not."""


class NoArchive(ArchiveInputError):
    """Nothing is archived where the URL points. Reading never creates an archive."""


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


# A URL starts with a scheme ("sqlite:", "postgresql+psycopg:"); anything else is a path.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
# A URL's password, to leave out of messages: everything between "user:" and the last '@'.
_PASSWORD = re.compile(r"(://[^:/@]*:)[^/]*@")
_URL_FORMS = "a file path (archive.db), sqlite:///PATH or postgresql://USER@HOST/DATABASE"


def resolve_db_url(url: str | None = None) -> str:
    """The URL to use: the one given, else ``$NEWSARCHIVE_DB``, else ``sqlite:///archive.db``.

    A bare file path (``archive.db``, ``~/news/archive.db``) names a SQLite file: it is
    what people write first, and it cannot mean anything else.
    """
    given = url or os.environ.get(DB_URL_ENV) or DEFAULT_DB_URL
    if _SCHEME.match(given):
        return given
    return f"sqlite:///{Path(given).expanduser()}"


def archive_url(url: str | None = None) -> URL:
    """The archive's parsed URL (see :func:`resolve_db_url`), with our PostgreSQL driver;
    ArchiveInputError, in words, for anything that cannot name an archive."""
    given = resolve_db_url(url)
    try:
        sa_url = make_url(given)
    except ArgumentError:
        raise ArchiveInputError(f"{given!r} is not a database URL: write {_URL_FORMS}") from None
    except ValueError:
        # SQLAlchemy reads what follows the last ':' before the host as the port: a
        # password holding '@' or ':' or a port that is not a number ends up there.
        shown = _PASSWORD.sub(r"\1***@", given)
        raise ArchiveInputError(
            f"{shown!r} is not a database URL: its port is not a number "
            "(percent-encode a password's @, : and /: %40, %3A, %2F)"
        ) from None
    backend = sa_url.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise ArchiveInputError(
            f"{backend} databases are not supported: an archive is SQLite or PostgreSQL "
            f"({_URL_FORMS})"
        )
    if backend == "sqlite" and (sa_url.host or sa_url.port):
        name = f"{sa_url.host or ''}{'/' + sa_url.database if sa_url.database else ''}"
        raise ArchiveInputError(
            f"{given!r} names a host, not a file: write sqlite:///{name} "
            "(three slashes, four before an absolute path) or just the file's path"
        )
    if sa_url.drivername == "postgresql":
        # SQLAlchemy's default PostgreSQL driver is psycopg2; the postgres extra is psycopg 3.
        sa_url = sa_url.set(drivername="postgresql+psycopg")
    return sa_url


def where(url: URL) -> str:
    """How messages name an archive: a SQLite file by its path, a server by its URL
    without the password."""
    if url.get_backend_name() == "sqlite" and url.database:
        return url.database
    return url.render_as_string(hide_password=True)


def no_archive(url: URL) -> NoArchive:
    return NoArchive(
        f"no archive at {where(url)} (run `newsarchive crawl` or `newsarchive db upgrade` first)"
    )


def create_archive_engine(
    url: str | None = None,
    *,
    write: bool = True,
    read_only: bool = False,
    pool_size: int = 5,
    sqlite_max_bytes: int = 0,
) -> Engine:
    """An engine for ``url``, tuned for the archive's backend.

    ``write`` engines open SQLite transactions with ``BEGIN IMMEDIATE``; other engines
    keep SQLite's deferred transactions so readers never wait on a crawl.
    ``read_only`` engines (for commands that only read) never create or change
    anything: SQLite opens the file with ``mode=ro`` (NoArchive if it is not there),
    PostgreSQL runs read-only transactions. ``sqlite_max_bytes`` caps a SQLite
    archive's size: a write past it fails as on a full disk. Statement parameters
    (scraped text) never appear in error messages.
    """
    sa_url = archive_url(url)
    if sa_url.get_backend_name() == "sqlite":
        return _sqlite_engine(
            sa_url, write=write and not read_only, read_only=read_only, max_bytes=sqlite_max_bytes
        )
    try:
        return create_engine(
            sa_url,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=pool_size,
            hide_parameters=True,
            execution_options={"postgresql_readonly": True} if read_only else {},
        )
    except ModuleNotFoundError as exc:
        raise ArchiveInputError(
            f"PostgreSQL archives need the psycopg driver ({exc.name} is not installed): "
            "pip install 'newsarchive[postgres]'"
        ) from exc


def _sqlite_connector(path: Path) -> Callable[[], Any]:
    """Opens ``path`` for reading only, never creating it.

    Where we may write the file and its folder, it opens ``mode=rw`` with ``PRAGMA
    query_only``: no statement can change the archive, and the last connection to a WAL
    archive removes the ``-wal``/``-shm`` files it needed, as a writer's does (a
    ``mode=ro`` connection cannot, and left them beside the user's archive after every
    ``stats`` or ``search``). Elsewhere it opens ``mode=ro``; in a folder we may not
    write to, SQLite cannot create the shared-memory file a WAL database needs to be
    read, and when no write-ahead log is there either, no writer can be at work, and the
    file is opened as immutable instead."""
    import sqlite3

    resolved = path.resolve()
    folder_writable = os.access(resolved.parent, os.W_OK)
    writable = folder_writable and os.access(resolved, os.W_OK)
    uri = f"file:{quote(str(resolved))}?mode={'rw' if writable else 'ro'}"
    wal = resolved.with_name(resolved.name + "-wal")
    if not folder_writable and not wal.exists():
        uri += "&immutable=1"

    def connect() -> Any:
        connection = sqlite3.connect(
            uri,
            uri=True,
            timeout=SQLITE_BUSY_TIMEOUT_S,
            check_same_thread=False,
            cached_statements=SQLITE_CACHED_STATEMENTS,
        )
        if writable:
            connection.execute("PRAGMA query_only = ON")
        return connection

    return connect


# A SQLite file's tables and views when it lacks the archive's revision table: another
# program's database (every archive any release made has the table: the first migration
# creates it with the others, in one transaction), or none for a new file or an archive.
FOREIGN_TABLES = r"""
SELECT name FROM sqlite_master
WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version')
ORDER BY name
"""


def _sqlite_engine(url: URL, *, write: bool, read_only: bool, max_bytes: int = 0) -> Engine:
    database = url.database
    creator: dict[str, Any] = {}
    if database and database != ":memory:":
        path = Path(database).expanduser()
        if read_only:
            if not path.exists():
                raise no_archive(url)
            if not path.is_file():
                raise ArchiveInputError(f"{database} is not an archive file (it is a folder)")
            creator["creator"] = _sqlite_connector(path)
        elif path.is_dir():
            raise ArchiveInputError(f"{database} is a folder: name the archive's file in it")
        elif not path.resolve().parent.is_dir():
            raise ArchiveInputError(
                f"cannot create archive {database!r}: folder {path.resolve().parent} does not exist"
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
        **creator,
    )
    begin = "BEGIN IMMEDIATE" if write else "BEGIN"

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        if not read_only:
            # Set once by a writer, WAL mode stays with the file; a reader may not set it,
            # nor a writer on another program's database (refused once the schema is read).
            if not cursor.execute(FOREIGN_TABLES).fetchone():
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

    current_revision(engine)  # ArchiveInputError for a schema newer than this release's
    with _an_archive_file(engine), engine.begin() as connection:
        command.upgrade(_alembic_config(connection), revision)


@contextmanager
def _an_archive_file(engine: Engine) -> Iterator[None]:
    """ArchiveInputError, in words, when the SQLite file is not a database at all (a
    text file, an export given as --db): the one place every command meets it first,
    reading or migrating the schema."""
    try:
        yield
    except DatabaseError as exc:
        if "file is not a database" not in str(exc.orig):
            raise
        raise ArchiveInputError(
            f"{where(engine.url)} is not an archive (not a SQLite file)"
        ) from None


def _refuse_foreign_tables(engine: Engine, tables: list[str], remedy: str) -> None:
    """ArchiveInputError when a database without the archive's revision table holds
    another program's tables: on SQLite any table or view (``FOREIGN_TABLES``), which a
    crawl or ``db upgrade`` would otherwise fill with the archive's tables (only a file
    with no tables at all is a new archive); on PostgreSQL, where other programs' tables
    may rightly stand beside the archive's, a table named as one of the archive's, which
    ``db upgrade`` could only fail on."""
    if tables:
        shown = ", ".join(" ".join(name.split()) for name in tables[:3])
        shown += ", ..." if len(tables) > 3 else ""
        raise ArchiveInputError(
            f"{where(engine.url)} holds another program's tables ({shown}): "
            f"not a newsarchive archive; {remedy}"
        )


def _tables_named_as_ours(connection: Connection) -> list[str]:
    """The tables of the connection's schema that bear an archive table's name."""
    from archive.tables import metadata

    return sorted(set(inspect(connection).get_table_names()) & set(metadata.tables))


def current_revision(engine: Engine) -> str | None:
    """The migration the archive is at, or None for an empty database; ArchiveInputError
    for a database that holds another program's tables (see _refuse_foreign_tables).

    Read from Alembic's own table without importing Alembic (a third of a reading
    command's start-up): migrations are linear, so the table holds one row."""
    with _an_archive_file(engine), engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            if connection.dialect.name == "sqlite":
                foreign = connection.exec_driver_sql(FOREIGN_TABLES).scalars().all()
                _refuse_foreign_tables(engine, list(foreign), "name a new file")
            else:
                taken = _tables_named_as_ours(connection)
                _refuse_foreign_tables(engine, taken, "name another database or schema")
            return None
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if current is not None and current not in _revisions():
        # a newer release migrated it: `db upgrade` cannot help, and Alembic would fail
        raise ArchiveInputError(
            f"the archive's schema is at {revision_number(current)}, newer than this release "
            f"knows ({revision_number(head_revision())}): upgrade newsarchive to use it"
        )
    return current


def _script_directory() -> Any:
    from alembic.script import ScriptDirectory

    with create_archive_engine("sqlite://").connect() as connection:
        return ScriptDirectory.from_config(_alembic_config(connection))


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.M)


@functools.cache
def _revisions() -> dict[str, str | None]:
    """Every migration this release has, with the one it follows. Read from the migration
    files' ``revision``/``down_revision`` lines, as Alembic does, without importing
    Alembic (``tests/archive/test_migrations.py`` checks both agree)."""
    revisions: dict[str, str | None] = {}
    for script in (resources.files("archive") / "migrations" / "versions").iterdir():
        if script.name.endswith(".py"):
            found = dict(_REVISION_LINE.findall(script.read_text(encoding="utf-8")))
            if "revision" in found:
                revisions[ast.literal_eval(found["revision"])] = ast.literal_eval(
                    found.get("down_revision", "None")
                )
    return revisions


@functools.cache
def head_revision() -> str:
    """The latest migration: the one no other migration follows."""
    revisions = _revisions()
    heads = set(revisions) - set(revisions.values())
    if len(heads) != 1:
        raise ArchiveError(f"the migrations have {len(heads)} heads, not one: {sorted(heads)}")
    return heads.pop()


_REVISION_NUMBER = re.compile(r"\b(\d{4})_\w+")


def revision_number(revision: str) -> str:
    """How users see a revision: its number. Early revision ids carry a tracker's
    issue number (``0005_issue3_boilerplate``); they stay as they are, since every
    archive stores its id, and users are shown ``0005``."""
    return _REVISION_NUMBER.sub(r"\1", revision)


def revision_history() -> list[tuple[str, str]]:
    """Every migration, oldest first: (revision id, what it does)."""
    revisions = list(_script_directory().walk_revisions())
    return [(str(r.revision), (r.doc or "").strip()) for r in reversed(revisions)]


def check_schema(engine: Engine) -> None:
    """Raise ArchiveInputError unless the archive exists and is at the latest migration."""
    current = current_revision(engine)
    if current is None:
        raise no_archive(engine.url)
    if current != head_revision():
        raise ArchiveInputError(
            f"the archive's schema is at {revision_number(current)}, this release needs "
            f"{revision_number(head_revision())}: run: newsarchive db upgrade"
        )


def open_engine(url: str | None = None, *, write: bool = False, upgrade: bool = False) -> Engine:
    """An engine on an existing archive, read-only unless ``write`` (``upgrade`` creates
    or migrates it first)."""
    engine = create_archive_engine(url, write=write or upgrade, read_only=not (write or upgrade))
    try:
        if upgrade:
            upgrade_archive(engine)
        else:
            check_schema(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine
