"""Near-duplicate index: signature cost, lookup time as the archive grows, and memory.

    python -m bench.neardup [--sizes 1000,10000,100000] [--queries 1000] [--postgres URL]

1. Signature cost for a 5 kB story: our MinHash (archive.neardup) against datasketch
   2.0's, medians of side-by-side runs. Above ~1 ms it belongs in the extraction
   workers, not the reactor thread.
2. Lookups: synthetic signatures are put in the persisted LSH index (the real tables,
   through an archive created by the real migrations) up to each size, then the median
   time of ``archive.neardup.find_cluster`` is measured for queries that are near
   copies of an indexed story (similarity ~0.7, which must be found) and for unrelated
   ones. Target: the 100k median within 2x of the 1k median, and under 5 ms.
3. Memory: the index on disk per article, and the Python memory one lookup allocates.
4. Incremental re-crawl lookups (``archive.state``): URLs per second for batches of 500.

Every figure is measured in one run, so ratios are comparable on a busy machine.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from archive import neardup
from archive.engine import create_archive_engine, upgrade_archive
from archive.state import open_page_state

ROOT = Path(__file__).resolve().parent.parent

NOW = datetime(2024, 8, 1, tzinfo=UTC)
COPIES = ROOT / "tests" / "fixtures" / "copies"


def median_ms(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


# --- 1. signature cost ---------------------------------------------------------------


def five_kb_text() -> str:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(COPIES.glob("*.txt")))
    return text[:5000]


def signature_cost(repeat: int = 300) -> None:
    from datasketch import MinHash

    text = five_kb_text()

    def ours() -> None:
        neardup.signature(text)

    def theirs() -> None:
        shingles = {
            " ".join(t) for t in zip(*(neardup.words(text)[i:] for i in range(3)), strict=False)
        }
        m = MinHash(num_perm=neardup.NUM_PERM)
        m.update_batch([s.encode() for s in shingles])

    rows = []
    for _round in range(3):  # interleaved, so both see the same machine load
        rows.append((median_ms(ours, repeat // 3), median_ms(theirs, repeat // 3)))
    ours_ms = statistics.median(r[0] for r in rows)
    theirs_ms = statistics.median(r[1] for r in rows)
    print(f"signature of a {len(text):,}-character text ({len(neardup.words(text))} words):")
    print(f"  archive.neardup (numpy, multiply-shift)  {ours_ms:6.2f} ms")
    print(f"  datasketch 2.0 MinHash.update_batch      {theirs_ms:6.2f} ms")
    print(f"  ratio datasketch / ours                  {theirs_ms / ours_ms:6.2f}x\n")


# --- 2. the persisted index -----------------------------------------------------------


def random_signature(rng: np.random.Generator) -> bytes:
    return rng.integers(0, 2**32, neardup.NUM_PERM, dtype=np.uint32).astype("<u4").tobytes()


def near_copy(sig: bytes, rng: np.random.Generator, keep: float = 0.7) -> bytes:
    values = np.frombuffer(sig, dtype="<u4").copy()
    changed = rng.random(neardup.NUM_PERM) >= keep
    values[changed] = rng.integers(0, 2**32, int(changed.sum()), dtype=np.uint32)
    return values.astype("<u4").tobytes()


class Index:
    """An archive on one backend, filled in bulk through the DB-API (loading is not
    what is measured; lookups go through archive.neardup as the writer's do)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_archive_engine(url)
        upgrade_archive(self.engine)
        self.reader = create_archive_engine(url, write=False)
        self.signatures: list[bytes] = []
        self.backend = self.engine.dialect.name

    def grow(self, size: int, rng: np.random.Generator) -> None:
        start = len(self.signatures)
        new = [random_signature(rng) for _ in range(size - start)]
        articles, urls, bands = [], [], []
        for offset, sig in enumerate(new):
            article_id = start + offset + 1
            url = f"https://site{article_id % 50}.example/2024/08/story-{article_id}/"
            articles.append((article_id, url, hashlib.sha256(url.encode()).hexdigest(), sig))
            urls.append((article_id, url))
            bands += [(key, article_id) for key in dict.fromkeys(neardup.band_keys(sig))]
        self._load(articles, urls, bands)
        self.signatures += new

    def _load(self, articles: list[Any], urls: list[Any], bands: list[Any]) -> None:
        tables = {
            "articles (id, url, site, text, content_hash, authors, tags, categories, version, "
            "cluster_id, cluster_similarity, first_seen_at, last_seen_at, updated_at)": [
                (i, u, "s", "t", h, "[]", "[]", "[]", 1, i, 1.0, NOW, NOW, NOW)
                for i, u, h, _ in articles
            ],
            "article_urls (article_id, url, first_seen_at)": [(i, u, NOW) for i, u in urls],
            "near_dup_signatures (article_id, signature)": [(i, s) for i, _, _, s in articles],
            "near_dup_bands (key, article_id)": bands,
        }
        raw = self.engine.raw_connection()
        try:
            cur = raw.cursor()
            for table, rows in tables.items():
                if self.backend == "postgresql":
                    with cur.copy(f"COPY {table} FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    marks = ", ".join("?" * len(rows[0]))
                    cur.executemany(
                        f"INSERT INTO {table} VALUES ({marks})", [_sqlite_row(r) for r in rows]
                    )
            raw.commit()
            if self.backend == "postgresql":
                cur.execute("ANALYZE")
                raw.commit()
        finally:
            raw.close()

    def lookups(self, queries: list[bytes], threshold: float) -> tuple[list[float], int]:
        times, found = [], 0
        with self.reader.connect() as conn:
            for sig in queries:
                start = time.perf_counter()
                match = neardup.find_cluster(conn, sig, threshold)
                times.append(time.perf_counter() - start)
                found += match is not None
            conn.rollback()
        return times, found

    def index_bytes(self) -> int | None:
        with self.engine.connect() as conn:
            if self.backend == "postgresql":
                return int(
                    conn.exec_driver_sql(
                        "SELECT pg_total_relation_size('near_dup_bands') "
                        "+ pg_total_relation_size('near_dup_signatures')"
                    ).scalar_one()
                )
            try:
                return int(
                    conn.exec_driver_sql(
                        "SELECT sum(pgsize) FROM dbstat WHERE name IN ('near_dup_bands', "
                        "'near_dup_signatures', 'sqlite_autoindex_near_dup_bands_1')"
                    ).scalar_one()
                )
            except Exception:
                return None

    def close(self) -> None:
        self.engine.dispose()
        self.reader.dispose()


def _sqlite_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """SQLite stores the archive's UTC timestamps naive (see archive.models.UTCDateTime)."""
    return tuple(
        v.replace(tzinfo=None).isoformat(" ") if isinstance(v, datetime) else v for v in row
    )


def lookup_python_memory(index: Index, sig: bytes) -> int:
    with index.reader.connect() as conn:
        neardup.find_cluster(conn, sig, 0.5)
        tracemalloc.start()
        neardup.find_cluster(conn, sig, 0.5)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def state_lookup_rate(index: Index, rng: random.Random) -> float:
    state = open_page_state(index.url)
    n = len(index.signatures)
    batches = [
        [f"https://site{i % 50}.example/2024/08/story-{i}/" for i in rng.sample(range(1, n), 500)]
        for _ in range(10)
    ]
    state.lookup(batches[0])
    start = time.perf_counter()
    found = sum(len(state.lookup(batch)) for batch in batches)
    elapsed = time.perf_counter() - start
    state.close()
    assert found == 5000, found
    return 5000 / elapsed


def bench_backend(label: str, url: str, sizes: list[int], queries: int, threshold: float) -> None:
    rng = np.random.default_rng(4)
    index = Index(url)
    print(f"{label}: LSH lookups (archive.neardup.find_cluster, threshold {threshold})")
    print(
        f"  {'indexed':>9}  {'median ms':>9}  {'p90 ms':>7}  {'near copies found':>17}  "
        f"{'false matches':>13}  {'index on disk':>13}"
    )
    medians = {}
    for size in sizes:
        index.grow(size, rng)
        targets = rng.choice(len(index.signatures), queries // 2, replace=False)
        near = [near_copy(index.signatures[t], rng) for t in targets]
        unrelated = [random_signature(rng) for _ in range(queries - len(near))]
        mixed = [q for pair in zip(near, unrelated, strict=True) for q in pair]
        times, _ = index.lookups(mixed, threshold)
        _, found = index.lookups(near, threshold)
        _, false = index.lookups(unrelated, threshold)
        medians[size] = statistics.median(times) * 1000
        p90 = statistics.quantiles(times, n=10)[-1] * 1000
        disk = index.index_bytes()
        disk_text = f"{disk / 2**20:9.1f} MiB" if disk else "  (no dbstat)"
        print(
            f"  {size:>9,}  {medians[size]:>9.3f}  {p90:>7.3f}  "
            f"{found:>8}/{len(near):<8}  {false:>13}  {disk_text}"
        )
    first, last = medians[sizes[0]], medians[sizes[-1]]
    print(
        f"  median at {sizes[-1]:,} / at {sizes[0]:,}: {last / first:.2f}x "
        f"(target < 2x and < 5 ms: {'met' if last / first < 2 and last < 5 else 'NOT met'})"
    )
    disk = index.index_bytes()
    if disk:
        print(f"  index on disk: {disk / len(index.signatures):,.0f} bytes per indexed article")
    peak = lookup_python_memory(index, index.signatures[0])
    print(
        f"  Python memory allocated by one lookup: {peak / 1024:.1f} KiB (flat: no in-memory index)"
    )
    rate = state_lookup_rate(index, random.Random(5))
    print(f"  re-crawl state lookups (archive.state, batches of 500): {rate:,.0f} URLs/s\n")
    index.close()


def postgres_schema(base_url: str) -> tuple[str, Any]:
    """A fresh schema on the PostgreSQL at ``base_url``: its URL and a function to drop it."""
    from sqlalchemy import create_engine, text

    schema = f"bench_neardup_{random.randrange(16**8):08x}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base_url else "?"

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{base_url}{sep}options=-csearch_path%3D{schema}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument(
        "--postgres", metavar="URL", help="also bench PostgreSQL (in a fresh, dropped schema)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    signature_cost()
    with tempfile.TemporaryDirectory() as tmp:
        bench_backend("SQLite", f"sqlite:///{tmp}/bench.db", sizes, args.queries, args.threshold)
    if args.postgres:
        url, drop = postgres_schema(args.postgres)
        try:
            bench_backend("PostgreSQL", url, sizes, args.queries, args.threshold)
        finally:
            drop()


if __name__ == "__main__":
    main()
