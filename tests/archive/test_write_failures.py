"""The archive when things go wrong: a full disk, runs whose process died, error messages
that name the cause without dumping SQL or scraped text."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from archive.engine import create_archive_engine, db_error_message, upgrade_archive
from archive.models import Article, CrawlRun
from archive.writer import ArchiveWriter, CrawlRuns
from tests.support.records import record


def test_a_full_sqlite_archive_fails_the_write_and_keeps_what_was_committed(tmp_path):
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    setup = create_archive_engine(url)
    upgrade_archive(setup)
    setup.dispose()
    size = (tmp_path / "archive.db").stat().st_size
    engine = create_archive_engine(url, sqlite_max_bytes=size + 8 * 4096)
    writer = ArchiveWriter(engine)
    written = 0
    with pytest.raises(OperationalError) as full:
        for n in range(1000):
            writer.write_batch([record(f"https://n.example/{n}/", f"Text {n} " + "x" * 3000)])
            written += 1
    assert 0 < written < 1000
    assert db_error_message(full.value) == "OperationalError: database or disk is full"
    secret = "x" * 3000
    assert secret not in str(full.value)  # parameters are hidden from messages
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Article)) == written
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()


def test_runs_of_processes_that_died_are_marked_abandoned(db_url):
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    runs = CrawlRuns(engine)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone, alive, elsewhere = (runs.start_run({}) for _ in range(3))
    with engine.begin() as conn:
        conn.execute(update(CrawlRun).where(CrawlRun.id == gone).values(pid=dead.pid))
        conn.execute(update(CrawlRun).where(CrawlRun.id == alive).values(pid=os.getpid()))
        conn.execute(
            update(CrawlRun)
            .where(CrawlRun.id == elsewhere)
            .values(pid=dead.pid, hostname=socket.gethostname() + "-other")
        )
    assert runs.mark_abandoned_runs() == [gone]
    with engine.connect() as conn:
        status = dict(conn.execute(select(CrawlRun.id, CrawlRun.status)).all())
    assert status == {gone: "abandoned", alive: "running", elsewhere: "running"}
    engine.dispose()


def test_error_messages_name_the_database_reason_only():
    class Orig(Exception):
        pass

    class Wrapped(Exception):
        orig = Orig("disk I/O error\n[SQL: INSERT INTO articles ...]")

    assert db_error_message(Wrapped()) == "Orig: disk I/O error"
    assert db_error_message(ValueError("")) == "ValueError"
