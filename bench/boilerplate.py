"""What site-level boilerplate learning costs the archive writer, measured side by side.

    python -m bench.boilerplate [--articles N] [--batch N] [--postgres URL]

Texts are our extractions of the benchmark's real pages, spread over 8 sites, each with a
two-line plugin block at its end (as on the plugin fixture site) so the models learn and
clean. Prints, from one run:

* per article, the CPU of the pure steps in the writer thread: fingerprinting a new
  article's short lines (counting), cleaning a text with a learned model, hashing and
  signing (MinHash) a text that cleaning changed, next to the extraction itself (what
  a worker spends on the page);
* the writer's cost per article with learning off and on, batch by batch, on SQLite (and
  PostgreSQL with --postgres), as CPU of the writer thread and wall time, and their ratio:
  once for new articles (every one cleaned, signed again and counted: the worst case),
  once for the same pages re-crawled unchanged (the common case of a scheduled crawl);
* what re-cleaning the articles archived before a model existed costs per article.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine, text

from archive import boilerplate, neardup
from archive.engine import create_archive_engine, upgrade_archive
from archive.text import content_hash
from archive.writer import ArchiveWriter, ArticleRecord, CaptureRecord
from bench.metric import DEFAULT_PAGES, load_pages
from pipelines.extraction import extract_article

SITES = 8
PLUGIN = ["Subscribe to Plugin Times News", "Enter your email address:"]


def corpus(limit: int) -> tuple[list[str], list[str], float]:
    """Extracted texts of the benchmark pages, their HTML, and the median extraction ms."""
    pages = load_pages(DEFAULT_PAGES)
    texts, htmls, costs = [], [], []
    for page in pages:
        start = time.thread_time()
        doc = extract_article(page.html, page.url)
        costs.append(time.thread_time() - start)
        if doc.text:
            texts.append(doc.text)
            htmls.append(page.html)
    return texts[:limit], htmls[:limit], statistics.median(costs) * 1000


def records(texts: list[str], htmls: list[str], count: int) -> list[ArticleRecord]:
    out = []
    for n in range(count):
        tag = hashlib.sha1(str(n).encode()).hexdigest()[:12]
        body = f"Dispatch {tag} from the desk.\n{texts[n % len(texts)]}\n" + "\n".join(PLUGIN)
        site = f"site{n % SITES}.example.com"
        url = f"https://{site}/story/{n}/"
        out.append(
            ArticleRecord(
                url=url,
                urls=[url],
                site=site,
                text=body,
                content_hash=content_hash(body),
                title=f"Story {n}",
                capture=CaptureRecord(
                    url, url, 200, [], htmls[n % len(htmls)].encode(), datetime.now(UTC)
                ),
                # as the extraction worker signs it, before cleaning
                signature=neardup.signature(body),
            )
        )
    return out


def per_call_us(func: Callable[[str], Any], texts: list[str], repeat: int = 5) -> float:
    """Median over texts of the best of ``repeat`` calls, in microseconds of CPU."""
    costs = []
    for item in texts:
        best = float("inf")
        for _ in range(repeat):
            start = time.thread_time()
            func(item)
            best = min(best, time.thread_time() - start)
        costs.append(best)
    return statistics.median(costs) * 1e6


def pure_costs(texts: list[str]) -> dict[str, float]:
    policy = boilerplate.DEFAULT_POLICY
    model = frozenset(boilerplate.fingerprint(line) for line in PLUGIN)
    dirty = [f"{t}\n" + "\n".join(PLUGIN) for t in texts]
    return {
        "count: fingerprint short lines": per_call_us(
            lambda t: boilerplate.counted_lines(t, policy.max_words), dirty
        ),
        "clean with a learned model": per_call_us(lambda t: boilerplate.clean(t, model), dirty),
        "clean, empty model": per_call_us(lambda t: boilerplate.clean(t, frozenset()), dirty),
        "content hash of the cleaned text": per_call_us(content_hash, texts),
        "MinHash of the cleaned text": per_call_us(neardup.signature, texts),
    }


@contextmanager
def archive_url(backend: str, pg_url: str | None) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    assert pg_url is not None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in pg_url else "?"
    try:
        yield f"{pg_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@dataclass
class Pass:
    """Median per-article writer CPU and wall time (ms) of one pass over the records."""

    cpu: float = 0.0
    wall: float = 0.0


@dataclass
class Measured:
    first: Pass = field(default_factory=Pass)  # every article new
    again: Pass = field(default_factory=Pass)  # the same pages re-crawled, all unchanged
    recleaned: int = 0
    reclean_wall: float = 0.0


def write_pass(writer: ArchiveWriter, batch: list[ArticleRecord], size: int) -> Pass:
    cpu, wall = [], []
    for start in range(0, len(batch), size):
        chunk = batch[start : start + size]
        c0, w0 = time.thread_time(), time.perf_counter()
        writer.write_batch(chunk)
        cpu.append((time.thread_time() - c0) / len(chunk))
        wall.append((time.perf_counter() - w0) / len(chunk))
    return Pass(statistics.median(cpu) * 1000, statistics.median(wall) * 1000)


def write_all(
    url: str, batch: list[ArticleRecord], size: int, policy: boilerplate.Policy | None
) -> Measured:
    """Write every record, then all of them again; with the re-cleaning timed apart."""
    engine = create_archive_engine(url)
    upgrade_archive(engine)
    writer = ArchiveWriter(engine, boilerplate_policy=policy)
    measured = Measured()
    original = writer.reclean

    def timed_reclean(sites: Any, budget: int | None = None) -> int:
        start = time.perf_counter()
        try:
            return original(sites, budget)
        finally:
            measured.reclean_wall += time.perf_counter() - start

    writer.reclean = timed_reclean  # type: ignore[method-assign]
    measured.first = write_pass(writer, batch, size)
    measured.again = write_pass(writer, batch, size)
    measured.recleaned = len(writer.recleaned)
    engine.dispose()
    return measured


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1600, help="articles written per run")
    parser.add_argument("--batch", type=int, default=100, help="articles per write batch")
    parser.add_argument("--postgres", metavar="URL", help="also measure on this PostgreSQL")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    texts, htmls, extract_ms = corpus(88)
    print(
        f"{len(texts)} extracted benchmark texts, median {statistics.median(map(len, texts))} chars"
    )
    print(f"\n{'pure step, per article (median)':40} {'CPU us':>8}")
    print(f"{'(extract_article in a worker)':40} {extract_ms * 1000:8.0f}")
    for name, micros in pure_costs(texts).items():
        print(f"{name:40} {micros:8.1f}")
    backends = ["sqlite"] + (["postgresql"] if args.postgres else [])
    batch = records(texts, htmls, args.articles)
    print(
        f"\nwriter, {args.articles} articles on {SITES} sites in batches of {args.batch} "
        "(median per article over batches)"
    )
    header = (
        "backend",
        "learning",
        "new: CPU",
        "wall",
        "again: CPU",
        "wall",
        "recleaned",
        "ms each",
    )
    print("{:11} {:8} {:>9} {:>7} {:>11} {:>7} {:>10} {:>8}".format(*header))
    for backend in backends:
        results: dict[str, Measured] = {}
        # interleave off/on twice and keep the better of each, against load from elsewhere
        for _round in range(2):
            for label, policy in (("off", None), ("on", boilerplate.DEFAULT_POLICY)):
                with archive_url(backend, args.postgres) as url:
                    measured = write_all(url, batch, args.batch, policy)
                best = results.get(label)
                if best is None or measured.first.wall < best.first.wall:
                    results[label] = measured
        for label, m in results.items():
            each = m.reclean_wall / m.recleaned * 1000 if m.recleaned else 0.0
            print(
                f"{backend:11} {label:8} {m.first.cpu:9.2f} {m.first.wall:7.2f} "
                f"{m.again.cpu:11.2f} {m.again.wall:7.2f} {m.recleaned:10d} {each:8.2f}"
            )
        off, on = results["off"], results["on"]
        print(
            f"{backend:11} ratio on/off: new articles CPU {on.first.cpu / off.first.cpu:.2f}, "
            f"wall {on.first.wall / off.first.wall:.2f}; re-crawl CPU "
            f"{on.again.cpu / off.again.cpu:.2f}, wall {on.again.wall / off.again.wall:.2f}"
        )


if __name__ == "__main__":
    main()
