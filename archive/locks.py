"""Locks that keep two runs of one scheduled job off one archive at the same time.

A cron job or systemd timer may start a crawl while the previous one still runs.
``run_lock(db_url, name)`` holds a lock named ``name`` for one archive:

- SQLite: an exclusive ``flock`` on a file, released by the kernel when the process
  ends, however it ends. The file is next to the database file
  (``news.db.<name>.lock``) when the user named the archive; for the default archive
  it goes to a per-user runtime folder (:func:`runtime_lock_folder`), so a crawl run
  from a project folder leaves nothing there but ``archive.db``. The file is left in
  place (deleting it would let two runs lock two different files).
- PostgreSQL: a session advisory lock, keyed by the name, the database and the
  schema, held on a connection of its own: it covers every machine that writes to
  the database, and the server releases it when the connection closes.
- Other backends: no lock (a warning says so).
"""

from __future__ import annotations

import hashlib
import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from archive.engine import ArchiveError, create_archive_engine, resolve_db_url

if TYPE_CHECKING:
    from collections.abc import Iterator

logger = logging.getLogger(__name__)


class LockHeld(Exception):
    """Another run holds the lock; the message says which and where."""


def _advisory_key(name: str, database: str, schema: str) -> int:
    digest = hashlib.sha1(f"newsarchive:{name}:{database}:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise ArchiveError(f"cannot create the lock file {path}: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            raise LockHeld(f"{path} is locked by {holder or 'another process'}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {os.uname().nodename}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


@contextmanager
def _advisory_lock(url: str, name: str) -> Iterator[None]:
    engine = create_archive_engine(url, pool_size=1)
    try:
        try:
            conn = engine.connect()
            database, schema = conn.execute(
                text("SELECT current_database(), current_schema()")
            ).one()
            key = _advisory_key(name, database, schema or "")
            got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
            conn.commit()
        except SQLAlchemyError as exc:
            raise ArchiveError(f"cannot lock the archive: {str(exc).splitlines()[0]}") from exc
        if not got:
            conn.close()
            raise LockHeld(
                f"advisory lock {key} on database {database} (schema {schema}) "
                "is held by another session"
            )
        try:
            yield
        finally:
            _unlock_quietly(conn, key)
    finally:
        engine.dispose()


def _unlock_quietly(conn: Any, key: int) -> None:
    try:
        conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        conn.commit()
        conn.close()
    except SQLAlchemyError:
        # The connection is gone (a database restart): the server released the lock.
        logger.debug("advisory lock %s already released with its connection", key)


def runtime_lock_folder() -> Path:
    """Where lock files of archives nobody named go: ``$XDG_RUNTIME_DIR/newsarchive``
    (a per-user tmpfs), else ``~/.cache/newsarchive/locks``."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir():
        return Path(runtime) / "newsarchive"
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "newsarchive" / "locks"


def lock_path(database: str, name: str, folder: Path | None = None) -> Path:
    """The lock file of lock ``name`` on the SQLite file ``database``: beside it, or in
    ``folder`` under a name that keeps archives at different paths apart."""
    path = Path(database).expanduser()
    if folder is None:
        return path.with_name(f"{path.name}.{name}.lock")
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    return folder / f"{path.name}-{digest}.{name}.lock"


@contextmanager
def run_lock(db_url: str | None, name: str, *, folder: Path | None = None) -> Iterator[None]:
    """Hold the lock ``name`` on the archive at ``db_url`` for the block, or raise
    LockHeld at once if another run holds it. A SQLite archive's lock file is beside
    it, or in ``folder``."""
    url = make_url(resolve_db_url(db_url))
    backend = url.get_backend_name()
    if backend == "sqlite":
        database = url.database
        if not database or database == ":memory:":
            yield
            return
        path = lock_path(database, name, folder)
        if folder is not None:
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as exc:
                raise ArchiveError(f"cannot create the folder {folder}: {exc.strerror}") from exc
        with _file_lock(path):
            yield
    elif backend == "postgresql":
        with _advisory_lock(url.render_as_string(hide_password=False), name):
            yield
    else:
        logger.warning("no run lock on %s archives: overlapping runs are not prevented", backend)
        yield
