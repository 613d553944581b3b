"""``newsarchive show``: by id or by any URL of the article, versions, diffs, clear misses."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from archive.engine import create_archive_engine, upgrade_archive
from archive.writer import ArchiveWriter, ArticleRecord, CaptureRecord
from crawler.cli import main

T0 = datetime(2024, 5, 12, 8, 30, tzinfo=UTC)
URL = "https://news.example.com/2024/05/12/harbour/"


def record(text: str, title: str) -> ArticleRecord:
    return ArticleRecord(
        url=URL,
        urls=[URL, "https://news.example.com/?p=7"],
        site="news.example.com",
        text=text,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        title=title,
        capture=CaptureRecord(URL, URL, 200, [], b"<html></html>", T0),
    )


@pytest.fixture
def db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    engine = create_archive_engine(url)
    upgrade_archive(engine)
    ArchiveWriter(engine).write_batch([record("First line.\nSecond line.", "Harbour plan")])
    engine.dispose()
    return url


def show(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["show", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_article_is_found_by_id_and_by_any_url_after_normalisation(db, capsys):
    code, by_id, _ = show(capsys, "1", "--db", db)
    assert code == 0 and by_id.startswith("article 1: Harbour plan")
    assert "First line.\nSecond line." in by_id
    alias = "HTTPS://News.Example.com:443/?p=7&utm_source=feed#top"
    assert show(capsys, alias, "--db", db)[1] == by_id


def test_one_version_lists_itself_and_has_no_diff(db, capsys):
    code, out, _ = show(capsys, URL, "--versions", "--diff", "--db", db)
    assert code == 0
    assert "      1  2" in out and "Harbour plan" in out
    assert "(one version: no diff)" in out
    assert "Second line." not in out.split("hash", 1)[1]


def test_diffs_follow_the_versions_in_order(db, capsys):
    engine = create_archive_engine(db)
    writer = ArchiveWriter(engine)
    writer.write_batch([record("First line.\nSecond line, corrected.", "Harbour plan")])
    writer.write_batch([record("First line.\nSecond line, corrected.", "Harbour plan approved")])
    engine.dispose()
    code, out, _ = show(capsys, "1", "--diff", "--db", db)
    assert code == 0
    hunks = out.split("--- version ")[1:]
    assert [h.split(" ", 1)[0] for h in hunks] == ["1", "2"]
    assert "-Second line.\n+Second line, corrected." in hunks[0]
    assert "-Title: Harbour plan\n+Title: Harbour plan approved" in hunks[1]


def test_an_unknown_article_is_a_clear_miss(db, capsys):
    code, out, err = show(capsys, "https://news.example.com/nope?utm_medium=x", "--db", db)
    assert code == 1 and out == ""
    assert "no article https://news.example.com/nope in the archive" in err
    assert show(capsys, "99", "--db", db)[0] == 1


def test_authors_categories_and_tags_are_shown(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'archive.db'}"
    engine = create_archive_engine(url)
    upgrade_archive(engine)
    story = record("A line.", "Harbour plan")
    story.authors = ["Ana Ruiz", "Tom Berg"]
    story.categories = ["Business"]
    story.tags = ["harbour", "strike"]
    ArchiveWriter(engine).write_batch([story])
    engine.dispose()
    code, out, _ = show(capsys, "1", "--db", url)
    assert code == 0
    assert "  by           Ana Ruiz, Tom Berg\n" in out
    assert "  categories   Business\n" in out
    assert "  tags         harbour, strike\n" in out


def test_an_empty_or_malformed_reference_is_a_usage_error(db, capsys):
    for ref, says in (
        ("", "'' is neither an article id nor a URL"),
        ("news.example.com/x", "is neither an article id nor a URL"),
        ("http://[::1", "is not a valid URL"),
    ):
        code, out, err = show(capsys, ref, "--db", db)
        assert (code, out) == (2, "")
        assert says in err and err.count("\n") == 1
