"""One batch, many kinds of record: the multi-row inserts decide exactly as one-by-one
writes would, on both backends."""

from __future__ import annotations

import re

from sqlalchemy import select

from archive.engine import create_archive_engine, upgrade_archive
from archive.models import Article, ArticleUrl, Capture, Version
from archive.writer import ArchiveWriter
from tests.support.records import outcomes, record
from tests.support.stories import COPIES

A = "https://news.example.com/a/"
B = "https://news.example.com/b/"
E = "https://news.example.com/e/"
D = "https://other.example.org/d/"


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


def _story_records() -> list:
    """Wire stories and their copies, edits, aliases and re-captures, mixed in one list."""
    from tests.support.stories import record as story_record
    from tests.support.stories import story

    names = sorted(p.stem for p in COPIES.glob("*.txt"))
    texts = {name: story(name) for name in names}
    firsts, copies, recaptures = [], [], []
    for i, name in enumerate(names):
        text = texts[name]
        firsts.append(story_record("wire.example", name, text))  # new, or a near copy
        copies.append(story_record("paper.example", name, text))  # exact copy, other site
        copies.append(story_record("wire.example", f"{name}-alias", text))  # same site
        edited = text.replace(".", ", officials said.", 1)
        recaptures.append(story_record("wire.example", name, edited))  # changed
        if i % 2:
            recaptures.append(story_record("wire.example", name, edited))  # unchanged
    # New stories first: near copies meet clusters started earlier in the same batch.
    records = firsts + copies + recaptures
    return records


def _articles(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                select(
                    Article.id,
                    Article.url,
                    Article.duplicate_of,
                    Article.cluster_id,
                    Article.cluster_similarity,
                    Article.version,
                    Article.content_hash,
                    Article.capture_id.is_not(None),
                ).order_by(Article.id)
            )
        ]


def test_one_batch_decides_like_one_record_per_batch(tmp_path):
    """The pending-insert path (links resolved after the multi-row insert, clusters
    started earlier in the batch matched in memory) against the record-at-a-time path."""
    records = _story_records()
    archives = []
    for name, batch in (("together", len(records)), ("apart", 1)):
        engine = create_archive_engine(f"sqlite:///{tmp_path / name}.db")
        upgrade_archive(engine)
        writer = ArchiveWriter(engine)
        results = []
        for i in range(0, len(records), batch):
            results += writer.write_batch(records[i : i + batch])
        archives.append(
            ([(r.outcome, r.article_id, r.near_duplicate) for r in results], _articles(engine))
        )
        engine.dispose()
    together, apart = archives
    assert together == apart
    outcomes_seen = {outcome for outcome, _, _ in together[0]}
    assert outcomes_seen == {"new", "duplicate", "updated", "unchanged"}
    assert any(near for _, _, near in together[0])  # the edited copies joined clusters


def test_a_batch_of_new_articles_takes_a_few_statements_and_ids_match_their_rows(engine):
    # The ids come back keyed by URL and article, not by row order: SQLAlchemy inserts
    # one row per statement on SQLite when asked for the rows' order.
    from sqlalchemy import event

    from archive.engine import SQLITE_INSERT_PAGE_ROWS

    batch = [
        record(f"https://news.example.com/story/{i}/", f"Story number {i}.") for i in range(50)
    ]
    statements: list[str] = []

    def count(*args: object) -> None:
        table = re.match(r"INSERT INTO (\w+)", str(args[2]))
        if table:
            statements.append(table[1])

    event.listen(engine, "before_cursor_execute", count)
    try:
        results = ArchiveWriter(engine).write_batch(batch)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert outcomes(results) == ["new"] * 50
    pages = -(-50 // SQLITE_INSERT_PAGE_ROWS) if engine.dialect.name == "sqlite" else 1
    assert statements.count("articles") == pages
    assert statements.count("captures") == pages
    with engine.connect() as conn:
        rows = conn.execute(select(Article.id, Article.url, Article.text, Article.capture_id))
        articles = {url: (id_, text, capture) for id_, url, text, capture in rows}
        captures = dict(conn.execute(select(Capture.id, Capture.article_id)).all())
    for result, rec in zip(results, batch, strict=True):
        article_id, text, capture_id = articles[rec.url]
        assert (result.article_id, text) == (article_id, rec.text)
        assert captures[capture_id] == article_id
