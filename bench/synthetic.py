"""Synthetic archives for the benchmarks: bulk-inserted rows, not crawled pages.

Words are made-up syllable strings whose frequencies follow Zipf's law, as words in
real text do, so that a search meets the same spread of rare and common terms. The
rows go in with multi-row INSERTs through SQLAlchemy Core (the search triggers run,
as they would for the crawler's writer), in one transaction per batch.
"""

from __future__ import annotations

import hashlib
import os
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import create_engine, insert, text

from archive.engine import create_archive_engine, upgrade_archive
from archive.models import Article, ArticleUrl

PG_URL = os.environ.get("NEWSARCHIVE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
VOCABULARY = 40_000
ZIPF_S = 1.07
SITES = 50
START = datetime(2023, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Corpus:
    """A vocabulary ranked by frequency and a long stream of words drawn from it."""

    words: list[str]
    stream: list[str]

    @classmethod
    def make(cls, seed: int = 8, stream_words: int = 3_000_000) -> Corpus:
        rng = random.Random(seed)
        words: list[str] = []
        seen: set[str] = set()
        while len(words) < VOCABULARY:
            word = "".join(rng.choices(SYLLABLES, k=rng.choice((1, 2, 2, 3, 3, 4))))
            if word not in seen:
                seen.add(word)
                words.append(word)
        weights = list(accumulate(1 / (rank**ZIPF_S) for rank in range(1, VOCABULARY + 1)))
        stream = rng.choices(words, cum_weights=weights, k=stream_words)
        return cls(words, stream)

    def passage(self, rng: random.Random, n: int) -> str:
        start = rng.randrange(len(self.stream) - n)
        return " ".join(self.stream[start : start + n])


def article_rows(
    corpus: Corpus, n: int, seed: int = 8, words: int = 300
) -> Iterator[dict[str, Any]]:
    """``n`` article rows; texts of ``words`` words on average, in paragraphs."""
    rng = random.Random(seed)
    for i in range(1, n + 1):
        paragraphs = [corpus.passage(rng, rng.randint(words // 8, words // 4)) for _ in range(6)]
        body = "\n".join(paragraphs)
        site = f"site{i % SITES}.example"
        published = START + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
        seen = published + timedelta(hours=1)
        yield {
            "url": f"https://{site}/{published:%Y/%m/%d}/story-{i}/",
            "site": site,
            "title": corpus.passage(rng, rng.randint(5, 10)).capitalize(),
            "text": body,
            "authors": [corpus.passage(rng, 2).title() for _ in range(rng.randint(0, 2))],
            "published_at": published,
            "modified_at": None,
            "sitename": site.split(".", maxsplit=1)[0].title(),
            "description": corpus.passage(rng, 20),
            "language": "en",
            "tags": corpus.passage(rng, 3).split(),
            "categories": [rng.choice(("World", "Business", "Sport", "Culture"))],
            "image": None,
            "content_hash": hashlib.sha256(body.encode()).hexdigest(),
            "version": 1,
            "duplicate_of": None,
            "first_seen_at": seen,
            "last_seen_at": seen,
            "updated_at": seen,
        }


def fill(url: str, n: int, corpus: Corpus, batch: int = 2_000, words: int = 300) -> float:
    """Create an archive at ``url`` holding ``n`` synthetic articles; return the seconds taken."""
    engine = create_archive_engine(url)
    upgrade_archive(engine)
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    next_id = 1
    for row in article_rows(corpus, n, words=words):
        rows.append(row)
        if len(rows) == batch:
            next_id = _insert(engine, rows, next_id)
            rows = []
    if rows:
        _insert(engine, rows, next_id)
    # The state autovacuum keeps a live archive in: statistics, and on PostgreSQL the
    # GIN index's pending list of fresh entries merged into the index.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    engine.dispose()
    return time.perf_counter() - started


def _insert(engine: Any, rows: list[dict[str, Any]], first_id: int) -> int:
    for offset, row in enumerate(rows):
        row["id"] = first_id + offset
    with engine.begin() as conn:
        conn.execute(insert(Article), rows)
        conn.execute(
            insert(ArticleUrl),
            [
                {"article_id": r["id"], "url": r["url"], "first_seen_at": r["first_seen_at"]}
                for r in rows
            ],
        )
    return first_id + len(rows)


@contextmanager
def archive_url(backend: str, keep: str | None = None) -> Iterator[str]:
    """A fresh archive URL: a SQLite file in a temporary folder, or a PostgreSQL schema
    dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="newsarchive-bench-") as folder:
            yield f"sqlite:///{keep or os.path.join(folder, 'bench.db')}"
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
