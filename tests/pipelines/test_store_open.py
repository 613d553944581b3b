"""The archive's schema is created, migrated or checked once per crawl: by the command
line before Scrapy starts, or by the store stage when something else (scrapyd,
``get_crawler``) started the crawl."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from scrapy import Spider
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from sqlalchemy import text

from archive import engine as engine_module
from archive.engine import ArchiveError, NoArchive, current_revision, head_revision
from crawler.cli.crawl import check_archive
from pipelines import store
from pipelines.store import open_archive


def forget_revision(url: str) -> None:
    """Leave the tables but not the revision: an archive no check or migration accepts."""
    engine = open_archive(Settings({"ARCHIVE_DB_URL": url, "ARCHIVE_SCHEMA_READY": True}))
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM alembic_version"))
    engine.dispose()


def test_a_crawl_started_elsewhere_migrates_the_archive_in_its_store_stage(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    crawler = get_crawler(Spider, {"ARCHIVE_DB_URL": url})
    engine = open_archive(crawler.settings)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_a_crawl_started_elsewhere_checks_the_schema_in_its_store_stage(tmp_path):
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    open_archive(Settings({"ARCHIVE_DB_URL": url})).dispose()
    forget_revision(url)
    crawler = get_crawler(Spider, {"ARCHIVE_DB_URL": url, "ARCHIVE_AUTO_UPGRADE": False})
    with pytest.raises(NoArchive):
        open_archive(crawler.settings)


def test_after_the_command_line_the_store_stage_takes_the_archive_as_it_is(tmp_path):
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    settings = Settings({"ARCHIVE_DB_URL": url, "ARCHIVE_AUTO_UPGRADE": False})
    with pytest.raises(NoArchive):  # the command line checks: nothing is there yet
        check_archive(settings)
    assert not settings.getbool("ARCHIVE_SCHEMA_READY")

    settings = Settings({"ARCHIVE_DB_URL": url})
    check_archive(settings)  # creates it
    assert settings.getbool("ARCHIVE_SCHEMA_READY")
    forget_revision(url)  # what a second check or migration would refuse
    engine = open_archive(settings)  # the settings the command line hands to Scrapy
    try:
        assert current_revision(engine) is None  # neither migrated nor checked again
    finally:
        engine.dispose()


def hold_lock(path, seconds: float) -> threading.Thread:
    """Another process's hold on the archive: an exclusive lock kept for ``seconds``."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("SELECT count(*) FROM alembic_version").fetchall()
    holder.execute("COMMIT")  # the exclusive locking mode keeps the lock after it

    def release() -> None:
        time.sleep(seconds)
        holder.close()

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def test_an_archive_locked_for_a_moment_is_opened_again(tmp_path, monkeypatch, caplog):
    # workers starting together: one finds the file locked by another, and SQLite can say
    # so at once; here a short busy timeout stands for that
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    open_archive(Settings({"ARCHIVE_DB_URL": url})).dispose()
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    thread = hold_lock(tmp_path / "archive.db", 1.0)
    try:
        engine = open_archive(Settings({"ARCHIVE_DB_URL": url}))
    finally:
        thread.join()
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
    assert "archive locked, opening it again" in caplog.text


def test_an_archive_that_stays_locked_is_one_error_line(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    open_archive(Settings({"ARCHIVE_DB_URL": url})).dispose()
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    monkeypatch.setattr(store, "SCHEMA_LOCK_WAIT_S", 1.0)
    thread = hold_lock(tmp_path / "archive.db", 3.0)
    try:
        with pytest.raises(ArchiveError, match=r"^cannot open the archive .*database is locked$"):
            open_archive(Settings({"ARCHIVE_DB_URL": url}))
    finally:
        thread.join()
