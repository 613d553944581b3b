"""The archive writer on SQLite and PostgreSQL: outcomes, versions, aliases, idempotence."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import delete, select

from archive.bodies import decompress_body, payload_digest
from archive.models import Article, ArticleUrl, Capture, CrawlRun, Version
from archive.writer import ArchiveWriter, CrawlRuns, Outcome
from tests.support.records import T0, count, outcomes, record


def test_new_article_is_stored_with_its_url_capture_and_first_version(engine):
    writer = ArchiveWriter(engine)
    run_id = CrawlRuns(engine).start_run({"start": ["https://news.example.com/"]})
    [result] = writer.write_batch([record()], run_id)
    assert result.outcome is Outcome.NEW
    with engine.connect() as conn:
        article = conn.execute(select(Article)).one()
        capture = conn.execute(select(Capture)).one()
        version = conn.execute(select(Version)).one()
    assert article.id == result.article_id
    assert (article.title, article.authors, article.tags) == (
        "A title",
        ["Ann Author", "Bo Writer"],
        ["port", "city"],
    )
    assert article.published_at == T0 and article.published_at.tzinfo is not None
    assert article.capture_id == capture.id and capture.crawl_run_id == run_id
    assert capture.etag == '"abc"' and capture.content_type.startswith("text/html")
    body = decompress_body(capture.body, capture.body_codec)
    assert body.startswith(b"<html>") and capture.body_size == len(body)
    assert capture.payload_digest == payload_digest(body)
    assert (version.version, version.text, version.capture_id) == (1, "Story text.", capture.id)


def test_recrawl_of_unchanged_article_writes_no_row(engine):
    writer = ArchiveWriter(engine)
    writer.write_batch([record()])
    before = {m: count(engine, m) for m in (Article, ArticleUrl, Capture, Version)}
    [result] = writer.write_batch([record()])
    assert result.outcome is Outcome.UNCHANGED
    assert {m: count(engine, m) for m in before} == before
    with engine.connect() as conn:
        first, last = conn.execute(select(Article.first_seen_at, Article.last_seen_at)).one()
    assert last >= first


def test_changed_text_makes_a_new_version_and_keeps_the_old(engine):
    writer = ArchiveWriter(engine)
    writer.write_batch([record(text="First text.")])
    [result] = writer.write_batch([record(text="First text. A correction.")])
    assert result.outcome is Outcome.UPDATED
    with engine.connect() as conn:
        article = conn.execute(select(Article)).one()
        versions = conn.execute(
            select(Version.version, Version.text).order_by(Version.version)
        ).all()
    assert (article.version, article.text) == (2, "First text. A correction.")
    assert versions == [(1, "First text."), (2, "First text. A correction.")]
    assert count(engine, Capture) == 2


def test_same_text_under_a_second_url_of_the_same_site_is_an_alias(engine):
    writer = ArchiveWriter(engine)
    writer.write_batch([record("https://news.example.com/a/")])
    [result] = writer.write_batch([record("https://news.example.com/?p=1")])
    assert result.outcome is Outcome.DUPLICATE
    assert count(engine, Article) == 1
    with engine.connect() as conn:
        urls = conn.scalars(select(ArticleUrl.url).order_by(ArticleUrl.id)).all()
    assert urls == ["https://news.example.com/a/", "https://news.example.com/?p=1"]


def test_same_text_on_another_site_is_kept_and_marked_duplicate_of_the_first(engine):
    writer = ArchiveWriter(engine)
    [first] = writer.write_batch([record()])
    [copy] = writer.write_batch([record("https://wire.example.org/a/", site="wire.example.org")])
    assert copy.outcome is Outcome.DUPLICATE
    with engine.connect() as conn:
        duplicate_of = conn.scalar(
            select(Article.duplicate_of).where(Article.id == copy.article_id)
        )
    assert duplicate_of == first.article_id
    assert count(engine, Article) == 2


def test_a_batch_with_repeats_and_a_rewrite_of_it_are_idempotent(engine):
    writer = ArchiveWriter(engine)
    batch = [
        record("https://news.example.com/a/", "Text A"),
        record("https://news.example.com/b/", "Text B"),
        record("https://news.example.com/a/", "Text A"),
        record("https://news.example.com/a2/", "Text A"),
    ]
    assert outcomes(writer.write_batch(batch)) == ["new", "new", "unchanged", "duplicate"]
    rows = {m: count(engine, m) for m in (Article, ArticleUrl, Capture, Version)}
    assert outcomes(writer.write_batch(batch)) == ["unchanged"] * 4
    assert (
        {m: count(engine, m) for m in rows}
        == rows
        == {Article: 2, ArticleUrl: 3, Capture: 2, Version: 2}
    )


def test_a_url_known_under_an_alias_finds_its_article(engine):
    writer = ArchiveWriter(engine)
    writer.write_batch(
        [record(urls=["https://news.example.com/a/", "https://news.example.com/?p=1"])]
    )
    [result] = writer.write_batch([record("https://news.example.com/?p=1")])
    assert result.outcome is Outcome.UNCHANGED
    assert count(engine, Article) == 1


def test_scraped_text_is_stored_verbatim_through_bound_parameters(engine):
    hostile = "'); DROP TABLE articles;-- \" \\ ☃"
    ArchiveWriter(engine).write_batch([record(title=hostile, text=hostile)])
    with engine.connect() as conn:
        assert conn.execute(select(Article.title, Article.text)).one() == (hostile, hostile)


def test_nul_characters_are_dropped_from_text_on_every_backend(engine):
    ArchiveWriter(engine).write_batch([record(title="A\x00B", text="Text\x00 with NUL")])
    with engine.connect() as conn:
        assert conn.execute(select(Article.title, Article.text)).one() == ("AB", "Text with NUL")


def test_naive_datetimes_are_refused(engine):
    bad = record()
    bad.published_at = datetime(2024, 5, 12, 8, 30)
    with pytest.raises(Exception, match="naive datetime"):
        ArchiveWriter(engine).write_batch([bad])
    assert count(engine, Article) == 0


def test_article_ids_are_never_reused(engine):
    writer = ArchiveWriter(engine)
    [a] = writer.write_batch([record("https://news.example.com/a/", "A")])
    with engine.begin() as conn:
        conn.execute(delete(Version))
        conn.execute(delete(ArticleUrl))
        conn.execute(delete(Capture))
        conn.execute(delete(Article))
    [b] = writer.write_batch([record("https://news.example.com/b/", "B")])
    assert b.article_id > a.article_id


def test_crawl_run_is_recorded_from_start_to_finish(engine):
    runs = CrawlRuns(engine)
    run_id = runs.start_run({"start": ["https://x.example/"]})
    runs.finish_run(run_id, "interrupted", "shutdown", {"newsarchive/articles/new": 3})
    with engine.connect() as conn:
        run = conn.execute(select(CrawlRun)).one()
    assert (run.status, run.finish_reason, run.args["start"]) == (
        "interrupted",
        "shutdown",
        ["https://x.example/"],
    )
    assert run.stats == {"newsarchive/articles/new": 3}
    assert run.finished_at >= run.started_at
