"""archive.state: what the archive knows of page URLs, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from archive.engine import create_archive_engine, upgrade_archive
from archive.models import Article
from archive.state import LOOKUP_CHUNK, open_page_state
from archive.writer import ArchiveWriter, ArticleRecord, CaptureRecord

T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def record(n: int, headers: list[tuple[str, str]]) -> ArticleRecord:
    url = f"https://news.example/2024/05/01/story-{n}/"
    text = f"Story number {n}. " * 25
    return ArticleRecord(
        url=url,
        urls=[url, f"https://news.example/?p={n}"],
        site="news.example",
        text=text,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        capture=CaptureRecord(url, url, 200, headers, b"<html></html>", T0),
    )


def test_lookup_finds_articles_by_any_of_their_urls_with_their_validators(db_url):
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    ArchiveWriter(engine).write_batch(
        [
            record(1, [("ETag", '"e1"'), ("Last-Modified", "Wed, 01 May 2024 08:00:00 GMT")]),
            record(2, []),
        ]
    )
    state = open_page_state(db_url)
    many = [f"https://news.example/unknown/{i}" for i in range(LOOKUP_CHUNK + 10)]
    found = state.lookup(
        ["https://news.example/2024/05/01/story-1/", "https://news.example/?p=2", *many]
    )
    assert set(found) == {"https://news.example/2024/05/01/story-1/", "https://news.example/?p=2"}
    one = found["https://news.example/2024/05/01/story-1/"]
    assert (one.etag, one.last_modified) == ('"e1"', "Wed, 01 May 2024 08:00:00 GMT")
    assert found["https://news.example/?p=2"].etag is None
    assert one.first_seen_at.tzinfo is not None

    state.close()
    engine.dispose()


def test_the_writer_moves_last_seen_at_forward_only(db_url):
    """What a re-crawl's 304 records (the store stage's writer, archive.writer.seen)."""
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    writer = ArchiveWriter(engine)
    writer.write_batch([record(1, []), record(2, [])])
    with engine.connect() as conn:
        first, other = conn.execute(select(Article.id, Article.last_seen_at).order_by(Article.id))
    later = first.last_seen_at + timedelta(hours=1)
    writer.mark_seen([first.id], later)
    writer.mark_seen([first.id], later - timedelta(days=1))
    with engine.connect() as conn:
        seen = dict(conn.execute(select(Article.id, Article.last_seen_at)).all())
    engine.dispose()
    assert seen == {first.id: later, other.id: other.last_seen_at}


def test_an_archive_without_tables_knows_no_url(tmp_path):
    state = open_page_state(f"sqlite:///{tmp_path / 'empty.db'}")
    assert state.lookup(["https://news.example/"]) == {}
    state.close()
