"""Bytes a second crawl of an unchanged site transfers, measured at the test server.

    python -m bench.recrawl [--articles 120]

Builds the ``ledger`` fixture site (tests/support/copysites.py: N distinct articles behind
four section pages), serves it with tests/support/mockserver.py on 127.0.0.14, crawls it twice
into a fresh SQLite archive with ``newsarchive crawl`` and prints the response body
bytes the server sent each time, the 304s, and the versions written. Target: the
second crawl under 10% of the first, and no new version.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from tests.support import copysites
from tests.support.cli import run_cli, start_mockserver

ROOT = Path(__file__).resolve().parent.parent


def crawl(server: object, workdir: Path, start: str) -> tuple[dict[str, dict[str, int]], float]:
    server.reset()  # type: ignore[attr-defined]
    began = time.perf_counter()
    result = run_cli("crawl", start, "-q", cwd=workdir)
    elapsed = time.perf_counter() - began
    if result.returncode != 0:
        sys.exit(f"crawl failed:\n{result.stderr}")
    return server.log().get("ledger", {}), elapsed  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=copysites.FILLER)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root, workdir = Path(tmp) / "sites", Path(tmp) / "work"
        workdir.mkdir()
        copysites.build(root, filler=args.articles)
        server = start_mockserver(root)
        try:
            start = server.url("ledger", "/")
            runs = [crawl(server, workdir, start) for _ in range(2)]
        finally:
            server.stop()
        db = sqlite3.connect(workdir / "archive.db")
        articles, versions = db.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM versions)"
        ).fetchone()
        stats = json.loads(
            db.execute("SELECT stats FROM crawl_runs ORDER BY id DESC").fetchone()[0]
        )
        db.close()
    (first, t1), (second, t2) = runs
    b1 = sum(e["bytes"] for e in first.values())
    b2 = sum(e["bytes"] for e in second.values())
    not_modified = sum(1 for e in second.values() if e["status"] == 304)
    print(f"unchanged site of {args.articles} articles ({articles} archived, {versions} versions)")
    print(f"  first crawl   {len(first):>5} requests  {b1:>10,} body bytes  {t1:5.1f} s wall")
    print(f"  second crawl  {len(second):>5} requests  {b2:>10,} body bytes  {t2:5.1f} s wall")
    met = b2 < 0.1 * b1 and versions == articles
    print(
        f"  second / first: {b2 / b1:.1%} of the bytes; {not_modified} answered 304; "
        f"{stats.get('newsarchive/articles/new', 0)} new, "
        f"{stats.get('newsarchive/articles/updated', 0)} updated "
        f"(target < 10% and no new version: {'met' if met else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
