"""The store stage alone: how many articles per second the archive ingests.

    python -m bench.store_postgres [--articles 3000] [--batch 100] [--no-near] [--pg URL]

Writes realistic article records (5-6 KB of text, a 60-90 KB HTML capture, metadata,
two URLs each, the MinHash signature the extraction workers compute, so that story
clustering runs as in a crawl) with ``archive.writer.ArchiveWriter`` in batches, one transaction per
batch, from one thread, as the store stage's writer thread does: first into a fresh
PostgreSQL schema (the production archive), then, for comparison, into a SQLite file.
Each backend is measured twice: new articles, then the same articles again (a
re-crawl: every one unchanged). Record building is not timed; body compression is,
since the writer does it.

PostgreSQL defaults to $NEWSARCHIVE_TEST_PG or the test server at 127.0.0.1:5432
(database ``test``); the schema is dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from archive import neardup
from archive.engine import create_archive_engine, upgrade_archive
from archive.writer import ArchiveWriter, ArticleRecord, CaptureRecord, CrawlRuns
from pipelines.dedupe import content_hash
from tests.support.sitegen import WORDS

ROOT = Path(__file__).resolve().parent.parent

PG_URL = os.environ.get("NEWSARCHIVE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def make_records(count: int, seed: int = 1, signatures: bool = True) -> list[ArticleRecord]:
    rng = random.Random(seed)
    base = datetime(2024, 5, 1, tzinfo=UTC)
    records = []
    for i in range(count):
        paragraphs = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 90))) + f" ({i}/{p})."
            for p in range(10)
        ]
        body_text = "\n\n".join(paragraphs)
        url = f"https://news.example/2024/05/{1 + i % 28:02d}/story-{i}"
        boilerplate = "".join(
            f'<li><a href="/section/{k}/">{rng.choice(WORDS)}</a></li>' for k in range(400)
        )
        html = (
            f"<html><head><title>Story {i}</title></head><body><nav><ul>{boilerplate}</ul></nav>"
            + "".join(f"<p>{p}</p>" for p in paragraphs)
            + f"<footer>{boilerplate}</footer></body></html>"
        ).encode()
        fetched = base + timedelta(minutes=i)
        records.append(
            ArticleRecord(
                url=url,
                urls=[url, url + "?amp=1"],
                site="news.example",
                text=body_text,
                content_hash=content_hash(body_text),
                capture=CaptureRecord(
                    url=url,
                    final_url=url,
                    status=200,
                    headers=[
                        ("Content-Type", "text/html; charset=utf-8"),
                        ("ETag", f'"{i:08x}"'),
                        ("Last-Modified", "Wed, 01 May 2024 10:00:00 GMT"),
                        ("Cache-Control", "max-age=60"),
                    ],
                    body=html,
                    fetched_at=fetched,
                ),
                title=f"Story {i}: the {rng.choice(WORDS)} and the {rng.choice(WORDS)}",
                authors=[f"Reporter {i % 17}", "Desk"],
                published_at=fetched - timedelta(hours=2),
                sitename="News Example",
                description=paragraphs[0][:200],
                language="en",
                tags=[rng.choice(WORDS) for _ in range(4)],
                categories=["Local"],
                image=f"https://news.example/img/{i}.jpg",
                signature=neardup.signature(body_text) if signatures else None,
            )
        )
    return records


def ingest(engine, records: list[ArticleRecord], batch: int) -> tuple[float, dict[str, int]]:
    writer = ArchiveWriter(engine)
    run_id = CrawlRuns(engine).start_run({"bench": True})
    outcomes: dict[str, int] = {}
    started = time.perf_counter()
    for i in range(0, len(records), batch):
        for result in writer.write_batch(records[i : i + batch], run_id):
            outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
    return time.perf_counter() - started, outcomes


def measure(label: str, url: str, records: list[ArticleRecord], batch: int) -> None:
    engine = create_archive_engine(url)
    upgrade_archive(engine)
    for phase in ("new", "re-crawl"):
        seconds, outcomes = ingest(engine, records, batch)
        print(
            f"{label:<10} {phase:<9} {len(records):>6} articles in {seconds:6.2f} s = "
            f"{len(records) / seconds:7.0f} articles/s   {outcomes}"
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=100, help="articles per transaction")
    parser.add_argument(
        "--no-near",
        action="store_true",
        help="records without MinHash signatures (no near-duplicate clustering)",
    )
    parser.add_argument("--pg", default=PG_URL, help="PostgreSQL URL (an empty schema is made)")
    args = parser.parse_args()
    records = make_records(args.articles, signatures=not args.no_near)
    size = sum(len(r.capture.body) for r in records) / len(records)
    print(
        f"{args.articles} records, {size / 1024:.0f} KB HTML and "
        f"{sum(len(r.text) for r in records) / len(records) / 1024:.1f} KB text each, "
        f"batches of {args.batch}, near-duplicate clustering "
        f"{'off' if args.no_near else 'on (signatures made beforehand, as extraction does)'}"
    )
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in args.pg else "?"
    try:
        measure(
            "postgresql", f"{args.pg}{sep}options=-csearch_path%3D{schema}", records, args.batch
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        measure("sqlite", f"sqlite:///{tmp}/bench.db", records, args.batch)


if __name__ == "__main__":
    main()
