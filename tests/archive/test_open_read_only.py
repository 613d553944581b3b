"""Archive URLs as people write them, and read-only engines that never create or change."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from archive.engine import (
    ArchiveInputError,
    NoArchive,
    archive_url,
    create_archive_engine,
    current_revision,
    head_revision,
    open_engine,
    resolve_db_url,
    upgrade_archive,
)
from archive.read import open_archive


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("archive.db", "sqlite:///archive.db"),
        ("/srv/news/archive.db", "sqlite:////srv/news/archive.db"),
        ("sqlite:///archive.db", "sqlite:///archive.db"),
        ("postgresql://news@127.0.0.1/news", "postgresql://news@127.0.0.1/news"),
    ],
)
def test_a_bare_file_path_names_a_sqlite_archive(given, url):
    assert resolve_db_url(given) == url


def test_a_path_in_the_environment_is_a_sqlite_archive_too(monkeypatch):
    monkeypatch.setenv("NEWSARCHIVE_DB", "news.db")
    assert resolve_db_url() == "sqlite:///news.db"
    assert resolve_db_url("other.db") == "sqlite:///other.db"


def test_home_is_expanded_in_a_bare_path():
    assert resolve_db_url("~/news.db") == f"sqlite:///{Path.home() / 'news.db'}"


def test_our_postgresql_driver_is_psycopg_3():
    assert archive_url("postgresql://news@127.0.0.1/news").drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("sqlite://archive.db", r"names a host, not a file: write sqlite:///archive.db"),
        ("postgres:/news", r"is not a database URL: write a file path \(archive.db\)"),
        ("mysql://news@127.0.0.1/news", r"mysql databases are not supported"),
        ("oracle://news@127.0.0.1/news", r"oracle databases are not supported"),
        ("postgresql://news@127.0.0.1:notaport/news", r"its port is not a number"),
        # A password's '@' not percent-encoded: the rest reads as the port.
        ("postgresql://news:p@ss:w0rd@127.0.0.1/news", r"percent-encode a password's @"),
    ],
)
def test_urls_that_cannot_name_an_archive_are_refused_in_words(given, message):
    with pytest.raises(ArchiveInputError, match=message):
        archive_url(given)


def test_a_url_that_cannot_be_read_is_refused_without_its_password():
    with pytest.raises(ArchiveInputError) as refused:
        archive_url("postgresql://news:s3cr@t:x@127.0.0.1:5432/news")
    assert "s3cr" not in str(refused.value)
    assert "'postgresql://news:***@127.0.0.1:5432/news'" in str(refused.value)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_read_only_engine_never_creates_an_archive(tmp_path):
    with pytest.raises(NoArchive, match=r"no archive at .*typo.db \(run `newsarchive crawl`"):
        create_archive_engine(f"sqlite:///{tmp_path}/typo.db", read_only=True)
    with pytest.raises(NoArchive):
        open_archive(str(tmp_path / "typo.db"))
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_engine_cannot_write(tmp_path):
    path = tmp_path / "archive.db"
    writer = create_archive_engine(str(path))
    upgrade_archive(writer)
    writer.dispose()  # its last connection's close checkpoints the WAL into the file
    before = digest(path)
    engine = open_engine(str(path))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 0
        with pytest.raises(OperationalError, match="readonly database"):
            conn.execute(text("DELETE FROM articles"))
    engine.dispose()
    assert digest(path) == before


def test_reading_a_wal_archive_leaves_nothing_beside_it(tmp_path):
    """A reader's connection may need the ``-wal``/``-shm`` files of a WAL archive; the
    last one to close removes them, as a writer's does, instead of leaving them in the
    user's folder after every ``stats`` or ``search``."""
    path = tmp_path / "archive.db"
    writer = create_archive_engine(str(path))
    upgrade_archive(writer)
    writer.dispose()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.db"]
    before = digest(path)
    for _ in range(2):
        engine = open_engine(str(path))
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 0
        engine.dispose()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.db"]
    assert digest(path) == before


def test_a_reader_beside_a_running_writer_sees_its_commits_and_leaves_its_log(tmp_path):
    path = tmp_path / "archive.db"
    writer = create_archive_engine(str(path))
    upgrade_archive(writer)
    held = sqlite3.connect(path)  # a crawl at work keeps a connection open
    try:
        assert held.execute("SELECT count(*) FROM articles").fetchone() == (0,)
        with writer.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO boilerplate_sites (site, articles, revision, policy, updated_at)"
                    " VALUES ('127.0.0.2', 0, 0, '{}', CURRENT_TIMESTAMP)"
                )
            )
        engine = open_engine(str(path))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM boilerplate_sites")).scalar() == 1
        engine.dispose()
        assert (tmp_path / "archive.db-wal").exists()  # still the writer's
    finally:
        held.close()
    writer.dispose()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.db"]


def test_a_folder_or_a_file_of_something_else_is_not_an_archive(tmp_path):
    with pytest.raises(ArchiveInputError, match="is not an archive file"):
        create_archive_engine(str(tmp_path), read_only=True)
    with pytest.raises(ArchiveInputError, match="is a folder"):
        create_archive_engine(str(tmp_path), write=True)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database " * 200)
    with pytest.raises(ArchiveInputError, match="not a SQLite file"):
        open_engine(str(notes))
    assert notes.read_text() == "not a database " * 200


def another_programs_database(path: Path, *tables: str) -> bytes:
    """A SQLite file some other program made: tables, no archive revision. Its bytes."""
    with sqlite3.connect(path) as db:
        for table in tables:
            db.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
            db.execute(f"INSERT INTO {table} (name) VALUES ('kept')")
    db.close()
    return path.read_bytes()


def test_another_programs_sqlite_database_is_refused_and_left_as_it_was(tmp_path):
    other = tmp_path / "other.db"
    before = another_programs_database(other, "users", "orders", "invoices", "notes")
    said = (
        r"other.db holds another program's tables \(invoices, notes, orders, \.\.\.\): "
        r"not a newsarchive archive; name a new file$"
    )
    for open_it in (
        lambda: open_engine(str(other)),
        lambda: open_engine(str(other), upgrade=True),
        lambda: upgrade_archive(create_archive_engine(str(other))),
        lambda: current_revision(create_archive_engine(str(other), read_only=True)),
    ):
        with pytest.raises(ArchiveInputError, match=said):
            open_it()
        assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_view_alone_is_another_programs_too(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE VIEW today AS SELECT 1 AS one")
    db.close()
    with pytest.raises(ArchiveInputError, match=r"\(today\): not a newsarchive archive"):
        open_engine(str(other), upgrade=True)


def test_an_empty_sqlite_file_is_a_new_archive(tmp_path):
    for name, make in (
        ("zero.db", lambda path: path.write_bytes(b"")),
        ("no-tables.db", lambda path: sqlite3.connect(path).execute("VACUUM").connection.close()),
    ):
        path = tmp_path / name
        make(path)
        with pytest.raises(NoArchive):
            open_engine(str(path))
        open_engine(str(path), upgrade=True).dispose()
        assert current_revision(create_archive_engine(str(path))) == head_revision()


@pytest.mark.postgres
def test_a_postgresql_schema_with_another_programs_tables_named_as_ours_is_refused(pg_url):
    # Other tables may stand beside an archive; one named as an archive's table (their
    # `articles`) makes `db upgrade` fail half-way, and `stats` said to run it.
    engine = create_archive_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE users (id int)"))
        conn.execute(text("CREATE TABLE articles (id int PRIMARY KEY, title text)"))
        conn.execute(text("INSERT INTO articles VALUES (1, 'theirs')"))
    said = (
        r"holds another program's tables \(articles\): "
        r"not a newsarchive archive; name another database or schema$"
    )
    for open_it in (
        lambda: open_engine(pg_url),
        lambda: open_engine(pg_url, upgrade=True),
        lambda: upgrade_archive(engine),
    ):
        with pytest.raises(ArchiveInputError, match=said):
            open_it()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT title FROM articles")).scalars().all() == ["theirs"]
        tables = conn.execute(
            text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            )
        )
        assert sorted(tables.scalars()) == ["articles", "users"]
    engine.dispose()


@pytest.mark.postgres
def test_a_postgresql_schema_with_other_tables_beside_is_a_new_archive(pg_url):
    engine = create_archive_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE users (id int)"))
    upgrade_archive(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_a_read_only_engine_on_postgresql_runs_read_only_transactions(pg_url):
    upgrade_archive(create_archive_engine(pg_url))
    engine = open_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(text("SHOW transaction_read_only")).scalar() == "on"
    engine.dispose()


def test_an_empty_postgresql_schema_is_no_archive(pg_url):
    with pytest.raises(NoArchive, match=r"no archive at postgresql\+psycopg://"):
        open_engine(pg_url)
