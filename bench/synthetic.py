"""Synthetic archives for the benchmarks: bulk-inserted rows, not crawled pages.

Words are made-up syllable strings whose frequencies follow Zipf's law, as words in
real text do, so that a search meets the same spread of rare and common terms. The
rows go in with multi-row INSERTs through SQLAlchemy Core (the search triggers run,
as they would for the crawler's writer), in one transaction per batch. ``fill`` makes
articles only; ``fill_browsable`` adds the history a long-lived archive has (versions,
captures, story clusters, boilerplate models, crawl runs), for ``bench/web.py``.
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

from sqlalchemy import bindparam, create_engine, insert, text, update

from archive.bodies import PackedBody
from archive.engine import create_archive_engine, upgrade_archive
from archive.models import (
    Article,
    ArticleUrl,
    BoilerplateModel,
    BoilerplateSite,
    Capture,
    CrawlRun,
    CrawlRunOutcome,
    Version,
)

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


# --- an archive with history, to browse ------------------------------------------------------

EDITED_SHARE = 0.10  # articles with 2-4 versions
CLUSTERED_SHARE = 0.15  # articles that join an earlier article's story cluster
DUPLICATE_SHARE = 0.02  # of those, exact copies (duplicate_of)
HOT_CLUSTERS = 10  # stories of a news cycle that keep growing: a few large clusters
NEWS_CYCLE = 5_000  # articles
RUNS = 200  # crawl runs, one every 12 hours, each with every site's outcomes
BOILERPLATE_LINES = ["Subscribe to our newsletter", "Follow us on social media", "Advertisement"]


def fill_browsable(url: str, n: int, corpus: Corpus, now: datetime, batch: int = 2_000) -> float:
    """An archive of ``n`` articles archived over the year before ``now`` (in id order),
    with what a long-running archive holds besides: versions (and their captures), story
    clusters large and small, exact copies, boilerplate models, crawl runs with per-site
    outcomes. Returns the seconds taken."""
    engine = create_archive_engine(url)
    upgrade_archive(engine)
    started = time.perf_counter()
    history = _History(random.Random(21), now - timedelta(days=365), n)
    rows: list[dict[str, Any]] = []
    for row in article_rows(corpus, n):
        rows.append(row)
        if len(rows) == batch:
            _insert_history(engine, history, rows, corpus)
            rows = []
    if rows:
        _insert_history(engine, history, rows, corpus)
    _insert_site_tables(engine, now)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    engine.dispose()
    return time.perf_counter() - started


class _History:
    """Ids, clusters and times handed out as the articles are generated in order."""

    def __init__(self, rng: random.Random, start: datetime, n: int) -> None:
        self.rng = rng
        self.start = start
        self.step = timedelta(days=365) / max(n, 1)
        self.next_id = 1
        self.next_capture = 1
        self.firsts: list[int] = []
        self.hot: list[int] = []

    def cluster(self, article_id: int) -> tuple[int, float, int | None]:
        """(cluster_id, similarity, duplicate_of) of a new article: half of those that join
        a cluster join one of the news cycle's few big stories."""
        rng = self.rng
        if article_id % NEWS_CYCLE == 0:
            self.hot = self.firsts[-HOT_CLUSTERS:]
        if self.firsts and rng.random() < CLUSTERED_SHARE:
            pool = self.hot if self.hot and rng.random() < 0.5 else self.firsts[-5_000:]
            first = rng.choice(pool)
            if rng.random() < DUPLICATE_SHARE / CLUSTERED_SHARE:
                return first, 1.0, first
            return first, round(rng.uniform(0.5, 0.95), 3), None
        self.firsts.append(article_id)
        return article_id, 1.0, None


def _edited(corpus: Corpus, rng: random.Random, text: str) -> str:
    """The next version of a text: a word changed, sometimes a paragraph added."""
    lines = text.split("\n")
    index = rng.randrange(len(lines))
    words = lines[index].split(" ")
    words[rng.randrange(len(words))] = rng.choice(corpus.words[:5_000])
    lines[index] = " ".join(words)
    if rng.random() < 0.4:
        lines.append(corpus.passage(rng, rng.randint(20, 60)))
    return "\n".join(lines)


def _insert_history(
    engine: Any, history: _History, rows: list[dict[str, Any]], corpus: Corpus
) -> None:
    rng = history.rng
    versions: list[dict[str, Any]] = []
    captures: list[dict[str, Any]] = []
    for row in rows:
        article_id = history.next_id
        history.next_id += 1
        seen = history.start + history.step * article_id
        row.update(id=article_id, first_seen_at=seen, published_at=seen - timedelta(hours=1))
        row["cluster_id"], row["cluster_similarity"], row["duplicate_of"] = history.cluster(
            article_id
        )
        row["boilerplate"] = {"head": BOILERPLATE_LINES[:1], "tail": BOILERPLATE_LINES[1:]}
        row["boilerplate_revision"] = 1
        count = rng.randint(2, 4) if rng.random() < EDITED_SHARE else 1
        text, title = row["text"], row["title"]
        when = seen
        for version in range(1, count + 1):
            if version > 1:
                text = _edited(corpus, rng, text)
                when = when + timedelta(hours=rng.randint(1, 48))
            page = f"<html><head><title>{title}</title></head><body><p>{text}</p></body></html>"
            body = PackedBody.pack(page.encode())
            capture_id = history.next_capture
            history.next_capture += 1
            captures.append(
                {
                    "id": capture_id,
                    "article_id": article_id,
                    "url": row["url"],
                    "final_url": row["url"],
                    "status": 200,
                    "headers": [["Content-Type", "text/html; charset=utf-8"]],
                    "content_type": "text/html; charset=utf-8",
                    "body": body.data,
                    "body_codec": body.codec,
                    "body_size": body.size,
                    "payload_digest": body.digest,
                    "fetched_at": when,
                }
            )
            versions.append(
                {
                    "article_id": article_id,
                    "version": version,
                    "title": title,
                    "text": text,
                    "content_hash": hashlib.sha256(text.encode()).hexdigest(),
                    "capture_id": capture_id,
                    "seen_at": when,
                    "boilerplate": row["boilerplate"],
                }
            )
        row.update(
            text=text,
            version=count,
            content_hash=versions[-1]["content_hash"],
            capture_id=versions[-1]["capture_id"],
            last_seen_at=when,
            updated_at=when,
        )
    with engine.begin() as conn:
        conn.execute(insert(Article), [{**r, "capture_id": None} for r in rows])
        conn.execute(
            insert(ArticleUrl),
            [
                {"article_id": r["id"], "url": r["url"], "first_seen_at": r["first_seen_at"]}
                for r in rows
            ],
        )
        conn.execute(insert(Capture), captures)
        conn.execute(insert(Version), versions)
        conn.execute(
            update(Article.__table__)
            .where(Article.__table__.c.id == bindparam("article"))
            .values(capture_id=bindparam("capture")),
            [{"article": r["id"], "capture": r["capture_id"]} for r in rows],
        )


def _insert_site_tables(engine: Any, now: datetime) -> None:
    """Boilerplate models, and crawl runs every 12 hours with each site's outcomes."""
    sites = [f"site{i}.example" for i in range(SITES)]
    rng = random.Random(33)
    lines = [{"fingerprint": i, "text": t, "articles": 40} for i, t in enumerate(BOILERPLATE_LINES)]
    runs, outcomes = [], []
    for run_id in range(1, RUNS + 1):
        started = now - timedelta(hours=12 * (RUNS - run_id) + 1)
        stats: dict[str, int] = {}
        for site in sites:
            counts = {
                "articles/new": rng.randint(0, 30),
                "articles/unchanged": rng.randint(0, 60),
                "articles/updated": rng.randint(0, 3),
                "skipped/listing": rng.randint(1, 10),
                "skipped/listed_unchanged": rng.randint(0, 40),
                "failed/timeout": rng.randint(0, 2),
            }
            for outcome, count in counts.items():
                if count:
                    outcomes.append(
                        {"crawl_run_id": run_id, "site": site, "outcome": outcome, "count": count}
                    )
                    stats[f"newsarchive/{outcome}"] = stats.get(f"newsarchive/{outcome}", 0) + count
        runs.append(
            {
                "id": run_id,
                "started_at": started,
                "finished_at": started + timedelta(minutes=rng.randint(5, 50)),
                "status": "finished",
                "finish_reason": "finished",
                "args": {"sites": "sites.toml"},
                "stats": stats,
                "hostname": "bench",
                "pid": 1,
            }
        )
    with engine.begin() as conn:
        conn.execute(
            insert(BoilerplateSite),
            [
                {"site": s, "articles": 2_000, "revision": 1, "policy": {}, "updated_at": now}
                for s in sites
            ],
        )
        conn.execute(
            insert(BoilerplateModel),
            [
                {"site": s, "revision": 1, "articles": 40, "lines": lines, "created_at": now}
                for s in sites
            ],
        )
        conn.execute(insert(CrawlRun), runs)
        for chunk in range(0, len(outcomes), 5_000):
            conn.execute(insert(CrawlRunOutcome), outcomes[chunk : chunk + 5_000])
