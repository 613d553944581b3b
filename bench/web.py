"""Server time of each page of the web view, on SQLite and PostgreSQL.

    python -m bench.web                          # 100,000 articles, both backends
    python -m bench.web --articles 20000 --backend sqlite

Builds a synthetic archive with history (``bench.synthetic.fill_browsable``: versions
and their captures, story clusters, boilerplate models, crawl runs with per-site
outcomes), opens it read-only as ``newsarchive serve`` does, and asks each page in turn
through Starlette's test client, many times with varied parameters after a warm-up
pass. The time reported is the server's own (its ``Server-Timing`` header: from the
request reaching the application to the response's start, template rendering
included). Target: every page under 100 ms median. Beside it, the CPU this process
spent on each request (the application, SQLite, the test client; not PostgreSQL's
server), the steadier figure on a shared host where the server time includes waiting
for a core.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select

from archive.models import Article, Capture, CrawlRun
from archive.read import Archive, open_archive
from bench.search import percentile, query_mix
from bench.synthetic import SITES, Corpus, archive_url, fill_browsable

TARGET_MS = 100.0


class Paths:
    """Generators of each page's paths, drawn from what the archive holds."""

    def __init__(self, arc: Archive, corpus: Corpus, now: datetime, seed: int = 5) -> None:
        self.rng = random.Random(seed)
        self.corpus = corpus
        self.now = now
        with arc.engine.connect() as conn:
            self.max_id = int(conn.scalar(select(Article.id).order_by(Article.id.desc())) or 1)
            self.edited = list(conn.scalars(select(Article.id).where(Article.version > 1)))
            self.clusters = list(
                conn.scalars(
                    select(Article.cluster_id).where(Article.cluster_id != Article.id).distinct()
                )
            )
            self.max_capture = int(conn.scalar(select(Capture.id).order_by(Capture.id.desc())) or 1)
            self.max_run = int(conn.scalar(select(CrawlRun.id).order_by(CrawlRun.id.desc())) or 1)

        # bench/search.py's queries: middling and rare words, a frequent word, two words,
        # a phrase, a word on one site; each kind's server times are kept apart too
        self.queries = query_mix(corpus, 600)
        self.kinds: dict[str, list[float]] = {}
        self.last_kind = ""

    def search(self) -> str:
        kind, query, filters = self.rng.choice(self.queries)
        self.last_kind = kind
        return "/?" + urlencode({"q": query, **filters})

    def site(self) -> str:
        return f"site{self.rng.randrange(SITES)}.example"

    def pages(self) -> dict[str, Callable[[], str]]:
        r = self.rng

        def month() -> str:
            start = (self.now - timedelta(days=r.randrange(30, 360))).date()
            return f"/?from={start}&to={start + timedelta(days=30)}"

        return {
            "home": lambda: "/",
            "home, page further": lambda: f"/?after={r.randrange(2, self.max_id)}",
            "search": self.search,
            "filter: site": lambda: f"/?site={self.site()}",
            "filter: a month": month,
            "filter: edited": lambda: "/?edited=1",
            "filter: copies": lambda: "/?copies=1",
            "article": lambda: f"/article/{r.randrange(1, self.max_id + 1)}",
            "article, edited": lambda: f"/article/{r.choice(self.edited)}",
            "diff": lambda: f"/article/{r.choice(self.edited)}/diff",
            "diff, side, changes": lambda: (
                f"/article/{r.choice(self.edited)}/diff?from=1&view=side&changes=1"
            ),
            "raw capture": lambda: f"/capture/{r.randrange(1, self.max_capture + 1)}/raw",
            "stories": lambda: "/stories",
            "story": lambda: f"/story/{r.choice(self.clusters)}",
            "sites": lambda: "/sites",
            "site": lambda: f"/site/{self.site()}",
            "runs": lambda: "/runs",
            "run": lambda: f"/run/{r.randrange(1, self.max_run + 1)}",
        }


def server_ms(client: Any, path: str) -> float:
    return timed(client, path)[0]


def timed(client: Any, path: str) -> tuple[float, float]:
    """The page's server time (ms), and the CPU this process spent on the request (ms:
    the application, SQLite's work and the test client's; not PostgreSQL's own), which a
    busy shared host inflates far less than the server time."""
    cpu = time.process_time()
    response = client.get(path)
    cpu_ms = (time.process_time() - cpu) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
    return float(response.headers["server-timing"].split("dur=")[1]), cpu_ms


def run_backend(backend: str, articles: int, repeat: int, corpus: Corpus) -> dict[str, float]:
    from starlette.testclient import TestClient

    from web.app import create_app

    now = datetime.now(UTC)
    with archive_url(backend) as url:
        build = fill_browsable(url, articles, corpus, now)
        print(f"\n{backend}: {articles:,} articles with their history built in {build:.1f} s")
        with open_archive(url) as arc:
            paths = Paths(arc, corpus, now)
            print(
                f"  {len(paths.edited):,} edited articles, {len(paths.clusters):,} story "
                f"clusters with copies, {paths.max_capture:,} captures, {paths.max_run} runs"
            )
            client = TestClient(create_app(arc))
            pages = paths.pages()
            for make in pages.values():  # warm-up: templates, caches, the pool
                for _ in range(3):
                    server_ms(client, make())
            times: dict[str, list[float]] = {name: [] for name in pages}
            cpu: dict[str, list[float]] = {name: [] for name in pages}
            for _ in range(repeat):  # interleaved, so a busy moment hits every page alike
                for name, make in pages.items():
                    server, spent = timed(client, make())
                    times[name].append(server)
                    cpu[name].append(spent)
                    if name == "search":
                        paths.kinds.setdefault(paths.last_kind, []).append(times[name][-1])
                for _ in range(5):  # more searches, for each kind's own figure
                    path = paths.search()
                    paths.kinds.setdefault(paths.last_kind, []).append(server_ms(client, path))
    print(
        f"  {'page':<22} {'n':>4} {'median ms':>10} {'p90 ms':>8} {'max ms':>8} "
        f"{'CPU ms median':>14}"
    )
    medians = {}
    for name, values in times.items():
        medians[name] = statistics.median(values)
        print(
            f"  {name:<22} {len(values):>4} {medians[name]:>10.1f} "
            f"{percentile(values, 0.9):>8.1f} {max(values):>8.1f} "
            f"{statistics.median(cpu[name]):>14.1f}"
        )
    print("  search by kind of query (bench/search.py's mix; the search page above is all of them)")
    for kind, values in sorted(paths.kinds.items()):
        print(
            f"    {kind:<20} {len(values):>4} {statistics.median(values):>10.1f} "
            f"{percentile(values, 0.9):>8.1f} {max(values):>8.1f}"
        )
    worst = max(medians, key=lambda name: medians[name])
    print(
        f"  slowest median: {worst} {medians[worst]:.1f} ms; target < {TARGET_MS:.0f} ms "
        f"median on every page: {'met' if medians[worst] < TARGET_MS else 'NOT met'}"
    )
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    corpus = Corpus.make()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    started = time.perf_counter()
    for backend in backends:
        run_backend(backend, args.articles, args.repeat, corpus)
    print(f"\n({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
