"""Which database errors the store stage retries: only those that pass by themselves."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from archive.engine import is_transient_error


def raised(engine, sql: str) -> Exception:
    with pytest.raises(Exception) as caught, engine.connect() as conn:
        conn.execute(text(sql))
    return caught.value


def test_a_refused_postgresql_connection_is_transient():
    pytest.importorskip("psycopg")
    # Port 1 on loopback: nothing listens there (a server restarting looks the same).
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/x")
    exc = raised(engine, "SELECT 1")
    assert isinstance(exc, OperationalError)
    assert is_transient_error(exc)
    engine.dispose()


def test_a_locked_sqlite_database_is_transient_a_missing_table_is_not(tmp_path):
    path = tmp_path / "a.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
    locked = raised(engine, "SELECT * FROM t")
    assert "locked" in str(locked) and is_transient_error(locked)
    holder.execute("ROLLBACK")
    missing = raised(engine, "SELECT * FROM no_such_table")
    assert isinstance(missing, OperationalError) and not is_transient_error(missing)
    holder.close()
    engine.dispose()


def test_a_postgresql_error_with_a_lasting_cause_is_not_transient(pg_url):
    engine = create_engine(pg_url)
    exc = raised(engine, "SELECT * FROM no_such_table")  # ProgrammingError, SQLSTATE 42P01
    assert not is_transient_error(exc)
    exc = raised(engine, "SELECT pg_terminate_backend(pg_backend_pid())")  # 57P01 admin shutdown
    assert is_transient_error(exc)
    engine.dispose()
