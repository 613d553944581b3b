"""Search latency on an archive of synthetic articles, on SQLite and PostgreSQL.

    python -m bench.search                      # 100,000 articles, both backends
    python -m bench.search --articles 20000 --backend sqlite

Builds the archive (bulk inserts, the search triggers maintaining the index), then
times ``Archive.search(query, limit=10)`` (ranked, with snippets: what
``newsarchive search`` runs) over a fixed mix of queries, after a warm-up pass.
Target: median under 50 ms at 100,000 articles.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from archive.read import Archive, ArticleFilter, open_archive
from bench.synthetic import Corpus, archive_url, fill

TARGET_MS = 50.0


def query_mix(corpus: Corpus, n: int, seed: int = 88) -> list[tuple[str, str, dict[str, str]]]:
    """(kind, query, filters): words of middling to rare frequency (what people search
    for), a frequent word, two-word searches, phrases from the text, and site filters."""
    rng = random.Random(seed)
    words = corpus.words
    mix: list[tuple[str, str, dict[str, str]]] = []
    for i in range(n):
        kind = ("word", "word", "common word", "two words", "phrase", "word + site")[i % 6]
        if kind == "word":
            query = words[rng.randrange(200, 20_000)]
        elif kind == "common word":
            query = words[rng.randrange(20, 200)]
        elif kind == "two words":
            query = f"{words[rng.randrange(50, 2_000)]} {words[rng.randrange(50, 5_000)]}"
        elif kind == "phrase":
            query = f'"{corpus.passage(rng, 2)}"'
        else:
            query = words[rng.randrange(200, 5_000)]
        filters = {"site": f"site{rng.randrange(50)}.example"} if kind == "word + site" else {}
        mix.append((kind, query, filters))
    return mix


def time_queries(
    arc: Archive, mix: list[tuple[str, str, dict[str, str]]]
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for kind, query, filters in mix:
        started = time.perf_counter()
        arc.search(query, limit=10, **filters)  # type: ignore[arg-type]
        times.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    return times


def match_counts(arc: Archive, mix: list[tuple[str, str, dict[str, str]]]) -> dict[str, float]:
    """Per kind of query, the median number of matching articles (of 10 queries)."""
    counts: dict[str, list[int]] = {}
    for kind, query, filters in mix:
        if len(counts.setdefault(kind, [])) < 10:
            counts[kind].append(arc.count(ArticleFilter(query=query, **filters)))  # type: ignore[arg-type]
    return {kind: statistics.median(n) for kind, n in counts.items()}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_backend(backend: str, articles: int, queries: int, corpus: Corpus) -> float:
    with archive_url(backend) as url:
        build = fill(url, articles, corpus)
        print(f"\n{backend}: {articles:,} articles inserted and indexed in {build:.1f} s")
        mix = query_mix(corpus, queries)
        with open_archive(url) as arc:
            time_queries(arc, mix[: max(12, queries // 5)])  # warm-up: caches, pool
            times = time_queries(arc, mix)
            matches = match_counts(arc, mix)
        every = [t for ts in times.values() for t in ts]
        print(
            f"  {'queries':<12} {'n':>4} {'median ms':>10} {'p90 ms':>8} {'max ms':>8}"
            f" {'matches (median)':>17}"
        )
        for kind, ts in times.items():
            print(
                f"  {kind:<12} {len(ts):>4} {statistics.median(ts):>10.1f} "
                f"{percentile(ts, 0.9):>8.1f} {max(ts):>8.1f} {matches[kind]:>17,.0f}"
            )
        median = statistics.median(every)
        print(
            f"  {'all':<12} {len(every):>4} {median:>10.1f} {percentile(every, 0.9):>8.1f} "
            f"{max(every):>8.1f}   target < {TARGET_MS:.0f} ms median: "
            f"{'met' if median < TARGET_MS else 'NOT met'}"
        )
        return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    corpus = Corpus.make()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        run_backend(backend, args.articles, args.queries, corpus)


if __name__ == "__main__":
    main()
