"""Two crawler processes on one Redis frontier against one, on a local news site.

    python -m bench.frontier_scaling [--articles 1000] [--delay 0.05] [--extract-workers 1]
                                     [--repeat 1]

Generates a site of N articles (plus its section pages), serves it with the test
mock server on 127.0.0.9, and crawls it with `newsarchive crawl --redis` first with
one worker, then with two started together, each run into a fresh SQLite archive
under its own Redis key. Prints, per run: wall time until every worker has exited
(the final idle wait, REDIS_IDLE_TIMEOUT, is subtracted), pages per second, the CPU
seconds the crawler processes and their extraction workers used, duplicate fetches
(pages the server served more than once; robots.txt is each process's own) and
articles archived (and the machine's load average: other work on the machine skews
the figures); then the speedup (the median over ``--repeat`` rounds).

What limits it: a crawler process spends CPU on Scrapy itself (HTTP, parsing, link
extraction) and its extraction workers on trafilatura. Per-host politeness
(``--delay``, Scrapy's DOWNLOAD_DELAY, applied per process) caps one process's rate
the way a real site does; a second machine doubles that cap, but on this 2-core
machine both processes share the same two cores, so past that point the figure
measures the CPU, not the frontier. The CPU column shows how close each run came.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from tests.support.cli import cli_env, fixture_crawl_args, start_mockserver
from tests.support.services import REDIS_URL
from tests.support.sitegen import generate_news_site

ROOT = Path(__file__).resolve().parent.parent

IDLE_TIMEOUT = 1.0


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def crawl(origin: str, workers: int, args: argparse.Namespace, work: Path) -> dict:
    key = f"newsarchive-bench:{uuid.uuid4().hex[:12]}"
    db = work / f"archive-{workers}-{key.rsplit(':', 1)[1]}.db"
    command = [
        sys.executable,
        "-m",
        "crawler.cli",
        "crawl",
        *fixture_crawl_args(),
        f"{origin}/",
        "--db",
        f"sqlite:///{db}",
        "--redis",
        REDIS_URL,
        "--workers",
        str(args.extract_workers),
        "-q",
        "-s",
        f"REDIS_KEY={key}",
        "-s",
        f"REDIS_IDLE_TIMEOUT={IDLE_TIMEOUT}",
        "-s",
        f"DOWNLOAD_DELAY={args.delay}",
        "-s",
        "RANDOMIZE_DOWNLOAD_DELAY=False",
    ]
    cpu_before = children_cpu()
    started = time.monotonic()
    processes = [subprocess.Popen(command, cwd=work, env=cli_env()) for _ in range(workers)]
    codes = [p.wait() for p in processes]
    wall = time.monotonic() - started - IDLE_TIMEOUT
    cpu = children_cpu() - cpu_before
    if any(codes):
        raise SystemExit(f"a crawler failed: exit codes {codes}")
    import sqlite3

    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return {"wall": wall, "cpu": cpu, "articles": articles}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=0.05, help="DOWNLOAD_DELAY per process")
    parser.add_argument(
        "--extract-workers", type=int, default=1, help="extraction processes per crawler"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of one-then-two (median speedup)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsarchive-bench-") as tmp:
        work = Path(tmp)
        site = generate_news_site(work / "site", articles=args.articles, per_section=50)
        server = start_mockserver(work / "site")
        origin = server.url(site.name, "")
        pages = len(site.all_paths)
        print(
            f"site: {args.articles} articles + {len(site.listing_paths)} listings = {pages} pages; "
            f"DOWNLOAD_DELAY {args.delay} s; {args.extract_workers} extraction process(es) per "
            f"crawler; {os.cpu_count()} cores"
        )
        print(
            f"{'crawlers':>8} {'wall s':>8} {'pages/s':>8} {'CPU s':>7} {'CPU use':>8} "
            f"{'dup fetches':>11} {'articles':>9}"
        )
        ratios = []
        try:
            for _round in range(args.repeat):
                walls = {}
                for workers in (1, 2):
                    server.reset()
                    run = crawl(origin, workers, args, work)
                    served = server.log()[site.name]
                    duplicates = sum(
                        e["count"] - 1 for p, e in served.items() if p != "/robots.txt"
                    )
                    walls[workers] = run["wall"]
                    cpu_share = run["cpu"] / run["wall"] / (os.cpu_count() or 1)
                    print(
                        f"{workers:>8} {run['wall']:>8.1f} {pages / run['wall']:>8.1f} "
                        f"{run['cpu']:>7.1f} {cpu_share:>7.0%} {duplicates:>11} "
                        f"{run['articles']:>9}   (load average {os.getloadavg()[0]:.1f})"
                    )
                ratios.append(walls[1] / walls[2])
        finally:
            server.process.terminate()
            server.process.wait(10)
        listed = ", ".join(f"{r:.2f}x" for r in ratios)
        print(f"speedup, two crawlers over one: {statistics.median(ratios):.2f}x (runs: {listed})")


if __name__ == "__main__":
    main()
