"""One batch, many kinds of record: the multi-row inserts decide exactly as one-by-one
writes would, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from archive.engine import create_archive_engine, upgrade_archive
from archive.models import Article, ArticleUrl, Capture, Version
from archive.writer import ArchiveWriter
from tests.archive.test_writer import outcomes, record

A = "https://news.example.com/a/"
B = "https://news.example.com/b/"
E = "https://news.example.com/e/"
D = "https://other.example.org/d/"


@pytest.fixture
def engine(db_url: str):
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    yield engine
    engine.dispose()


def test_a_mixed_batch_resolves_records_that_depend_on_earlier_new_ones(engine):
    batch = [
        record(A, "Text X"),  # new
        record(B, "Text X"),  # same text, same site: an alias of A
        record(A, "Text Y"),  # A again, changed: version 2 of an article new in this batch
        record(D, "Text X", site="other.example.org"),  # A's first text on another site
        record(B, "Text Y"),  # the alias, now matching A's current text
        record(E, "Text W"),  # new
        record(E, "Text W"),  # repeated in the batch
    ]
    results = ArchiveWriter(engine).write_batch(batch)
    assert outcomes(results) == [
        "new",
        "duplicate",
        "updated",
        "duplicate",
        "unchanged",
        "new",
        "unchanged",
    ]
    ids = [r.article_id for r in results]
    a, d, e = ids[0], ids[3], ids[5]
    assert ids == [a, a, a, d, a, e, e]
    assert len({a, d, e}) == 3 and all(i > 0 for i in ids)
    with engine.connect() as conn:
        articles = {row.id: row for row in conn.execute(select(Article))}
        urls = dict(conn.execute(select(ArticleUrl.url, ArticleUrl.article_id)).all())
        versions = sorted(conn.execute(select(Version.article_id, Version.version)).all())
        captures = conn.execute(select(Capture.id, Capture.article_id)).all()
    assert (articles[a].text, articles[a].version) == ("Text Y", 2)
    assert articles[d].duplicate_of == a
    assert urls == {A: a, B: a, D: d, E: e}
    assert versions == sorted([(a, 1), (a, 2), (d, 1), (e, 1)])
    assert sorted(article_id for _, article_id in captures) == sorted([a, a, d, e])
    # every article points at its latest capture
    latest = {}
    for capture_id, article_id in sorted(captures):
        latest[article_id] = capture_id
    assert {i: articles[i].capture_id for i in (a, d, e)} == latest
