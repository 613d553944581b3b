"""Near-duplicate stories: MinHash estimates, the persisted LSH index, story clusters.

The texts are realistic wire stories (tests/fixtures/copies): a wire story, a lightly
edited copy of it (new intro, a paragraph added, the ending trimmed) and a different
story on the same topic, for two topics.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, insert, select

from archive import neardup
from archive.engine import create_archive_engine, upgrade_archive
from archive.models import Article, NearDupBand, NearDupSignature
from archive.writer import DEFAULT_NEAR_THRESHOLD, ArchiveWriter
from tests.support.stories import record, story


def true_jaccard(a: str, b: str) -> float:
    sa, sb = set(neardup.shingle_hashes(a).tolist()), set(neardup.shingle_hashes(b).tolist())
    return len(sa & sb) / len(sa | sb)


def clusters(engine) -> dict[str, tuple[int, int | None, int | None, float | None]]:
    """site/slug -> (id, duplicate_of, cluster_id, cluster_similarity)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                Article.site,
                Article.title,
                Article.id,
                Article.duplicate_of,
                Article.cluster_id,
                Article.cluster_similarity,
            )
        )
        return {f"{r.site}/{r.title}": tuple(r[2:]) for r in rows}


# --- signatures ---------------------------------------------------------------------


def test_signature_is_stable_compact_and_absent_for_short_texts():
    text = story("tram-wire")
    sig = neardup.signature(text)
    assert sig is not None and len(sig) == neardup.SIGNATURE_BYTES == 512
    assert neardup.signature(text) == sig
    assert neardup.signature(text.upper().replace("\n\n", "\n")) == sig
    assert neardup.similarity(sig, sig) == 1.0
    assert len(set(neardup.band_keys(sig))) == neardup.BANDS
    assert neardup.signature("Too short to say anything about.") is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("port-strike-wire", "port-strike-edited"),
        ("tram-wire", "tram-edited"),
        ("port-strike-wire", "port-strike-farmers"),
        ("tram-wire", "tram-shopkeepers"),
        ("tram-wire", "port-strike-wire"),
    ],
)
def test_minhash_estimates_the_jaccard_similarity_of_word_trigrams(a, b):
    estimate = neardup.similarity(neardup.signature(story(a)), neardup.signature(story(b)))
    assert estimate == pytest.approx(true_jaccard(story(a), story(b)), abs=0.1)


def test_default_threshold_separates_edited_copies_from_other_stories_on_the_topic():
    def sim(a, b):
        return neardup.similarity(neardup.signature(story(a)), neardup.signature(story(b)))

    for wire, edited, other in (
        ("port-strike-wire", "port-strike-edited", "port-strike-farmers"),
        ("tram-wire", "tram-edited", "tram-shopkeepers"),
    ):
        assert sim(wire, edited) >= DEFAULT_NEAR_THRESHOLD + 0.1
        assert sim(wire, other) <= DEFAULT_NEAR_THRESHOLD - 0.3
        assert sim(edited, other) <= DEFAULT_NEAR_THRESHOLD - 0.3


# --- the archive's clusters -----------------------------------------------------------


def test_edited_copy_joins_the_cluster_and_another_story_on_the_topic_does_not(engine):
    writer = ArchiveWriter(engine)
    results = writer.write_batch(
        [
            record("wire.example", "port-strike", story("port-strike-wire")),
            record("wire.example", "tram", story("tram-wire")),
        ]
    )
    assert [r.outcome.value for r in results] == ["new", "new"]
    results = writer.write_batch(
        [
            record("gazette.example", "port-strike", story("port-strike-edited")),
            record("gazette.example", "farmers", story("port-strike-farmers")),
            record("daily.example", "tram", story("tram-wire")),
            record("daily.example", "shops", story("tram-shopkeepers")),
        ]
    )
    assert [(r.outcome.value, r.near_duplicate) for r in results] == [
        ("new", True),
        ("new", False),
        ("duplicate", False),
        ("new", False),
    ]
    c = clusters(engine)
    strike, tram = c["wire.example/port-strike"][0], c["wire.example/tram"][0]
    assert c["wire.example/port-strike"] == (strike, None, strike, 1.0)
    edited = c["gazette.example/port-strike"]
    assert edited[1:3] == (None, strike) and 0.6 < edited[3] < 0.9
    assert c["daily.example/tram"][1:] == (tram, tram, 1.0)
    for other in ("gazette.example/farmers", "daily.example/shops"):
        assert c[other][2] == c[other][0] and c[other][3] == 1.0
    with engine.connect() as conn:
        indexed = set(conn.scalars(select(NearDupSignature.article_id)))
        bands = conn.scalar(select(func.count()).select_from(NearDupBand))
    # Only the first article of each cluster is indexed.
    assert indexed == {strike, tram, c["gazette.example/farmers"][0], c["daily.example/shops"][0]}
    assert bands == 4 * neardup.BANDS


def test_the_index_survives_a_restart_and_a_copy_of_a_copy_still_finds_the_story(db_url):
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    ArchiveWriter(engine).write_batch([record("wire.example", "tram", story("tram-wire"))])
    engine.dispose()
    engine = create_archive_engine(db_url)
    [result] = ArchiveWriter(engine).write_batch(
        [record("gazette.example", "tram", story("tram-edited"))]
    )
    c = clusters(engine)
    engine.dispose()
    assert result.near_duplicate
    assert c["gazette.example/tram"][2] == c["wire.example/tram"][0]


def test_an_edited_first_article_stays_indexed_under_its_current_text(engine):
    writer = ArchiveWriter(engine)
    writer.write_batch([record("wire.example", "tram", story("tram-wire"))])
    updated = story("tram-wire") + "\n\nUpdate: the referendum petition opened on Friday."
    [result] = writer.write_batch([record("wire.example", "tram", updated)])
    assert result.outcome.value == "updated"
    root = clusters(engine)["wire.example/tram"][0]
    with engine.connect() as conn:
        stored = conn.scalar(select(NearDupSignature.signature))
        keys = set(conn.scalars(select(NearDupBand.key)))
    assert stored == neardup.signature(updated)
    assert keys == set(neardup.band_keys(stored))
    [copy] = writer.write_batch([record("daily.example", "tram", story("tram-edited"))])
    assert copy.near_duplicate and clusters(engine)["daily.example/tram"][2] == root


def test_clustering_can_be_turned_off(engine):
    writer = ArchiveWriter(engine, near_threshold=None)
    writer.write_batch(
        [
            record("wire.example", "tram", story("tram-wire")),
            record("gazette.example", "tram", story("tram-edited")),
        ]
    )
    c = clusters(engine)
    assert all(v[2] == v[0] for v in c.values())
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(NearDupSignature)) == 0


def test_concurrent_writers_agree_on_one_cluster(db_url):
    """Two crawls write copies of one story at the same moment: one cluster, not two."""
    engine = create_archive_engine(db_url)
    upgrade_archive(engine)
    engine.dispose()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(site: str, slug: str, text: str) -> None:
        own = create_archive_engine(db_url)
        try:
            writer = ArchiveWriter(own)
            barrier.wait()
            writer.write_batch([record(site, slug, text)])
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.dispose()

    for slug in ("port-strike", "tram"):
        threads = [
            threading.Thread(target=write, args=(site, slug, story(f"{slug}-{version}")))
            for site, version in (("wire.example", "wire"), ("gazette.example", "edited"))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    engine = create_archive_engine(db_url)
    c = clusters(engine)
    engine.dispose()
    assert len(c) == 4
    for slug in ("port-strike", "tram"):
        assert c[f"wire.example/{slug}"][2] == c[f"gazette.example/{slug}"][2]


def test_migration_puts_existing_articles_in_clusters_of_their_own(db_url):
    engine = create_archive_engine(db_url)
    upgrade_archive(engine, "0002")
    common = {"site": "a.example", "text": "t", "content_hash": "h", "authors": [], "tags": []}
    with engine.begin() as conn:
        conn.execute(
            insert(Article.__table__),
            [
                {**common, "id": 1, "url": "https://a.example/1", "categories": []},
                {**common, "id": 2, "url": "https://b.example/1", "categories": []},
            ],
        )
        conn.execute(Article.__table__.update().where(Article.id == 2).values(duplicate_of=1))
    upgrade_archive(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            select(Article.id, Article.cluster_id, Article.cluster_similarity).order_by(Article.id)
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(1, 1, 1.0), (2, 1, 1.0)]


def test_one_matcher_the_oldest_cluster_wins_a_tie():
    sig = neardup.signature(story("port-strike-wire"))
    other = neardup.signature(story("tram-wire"))
    candidates = [(7, sig), (3, sig), (5, other)]
    assert neardup.best_match(sig, candidates, 0.5) == neardup.Match(3, 1.0)
    assert neardup.best_match(sig, candidates, 0.5, order=lambda c: -c) == neardup.Match(7, 1.0)
    assert neardup.best_match(other, [(3, sig)], 0.5) is None


def test_the_writer_joins_the_cluster_find_cluster_finds(engine):
    """The writer's choice among the clusters it holds is the indexed lookup's."""
    writer = ArchiveWriter(engine)
    text = story("port-strike-wire")
    writer.write_batch([record("wire.example", "first", text)])
    writer.write_batch([record("agency.example", "second", text + " Updated.")])
    edited = story("port-strike-edited")
    with engine.connect() as conn:
        expected = neardup.find_cluster(conn, neardup.signature(edited), DEFAULT_NEAR_THRESHOLD)
    [result] = writer.write_batch([record("gazette.example", "copy", edited)])
    c = clusters(engine)
    assert expected is not None and result.near_duplicate
    assert c["gazette.example/copy"][2:] == (expected.cluster_id, expected.similarity)
