"""The archive's schema is created, migrated or checked once per crawl: by the command
line before Scrapy starts, or by the store stage when something else (scrapyd,
``get_crawler``) started the crawl."""

from __future__ import annotations

import pytest
from scrapy import Spider
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from sqlalchemy import text

from archive.engine import NoArchive, current_revision, head_revision
from crawler.cli.crawl import check_archive
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
