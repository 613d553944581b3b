"""Crawl runs are recorded as they were: the rows two crawls of fixture sites leave in
``crawl_runs`` and ``crawl_run_outcomes`` (and the run each capture names, and which
articles the second crawl saw again), against a fixture recorded before crawl-run
recording moved out of the store pipeline into its own extension and ``last_seen_at``
moved from the incremental middleware to the store stage.

Only what changes from run to run is normalised: the server's port, times, process
ids, memory and byte counts. Regenerate the fixture only for an intended change:
``CRAWL_RUN_GOLDEN_REGEN=1 python -m pytest tests/e2e/test_crawl_run_rows.py -k sqlite``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from archive.engine import create_archive_engine
from archive.models import Article, Capture, CrawlRun, CrawlRunOutcome
from tests.support.cli import MockServer, run_cli

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "crawl_run_rows.json"
SITES = {"news": "/", "daily": "/feed/"}
# One request at a time: a page the news site links from its home and lists in its
# sitemap is then always reached the same way first (conditional fetch or listed skip).
ORDERED = ("-s", "CONCURRENT_REQUESTS=1")
# Stats whose values depend on the machine or the moment, not on what the crawl did.
VOLATILE = ("newsarchive/crawl_run_id", "newsarchive/gc_frozen_objects")


def normalise(value: Any, origins: dict[str, str]) -> Any:
    """``value`` with each site's origin (its loopback address and the server's port)
    replaced by the site's name."""
    text = json.dumps(value, sort_keys=True)
    for name, origin in origins.items():
        text = text.replace(origin.removeprefix("http://"), f"<{name}>")
    return json.loads(text)


def run_rows(db_url: str, origins: dict[str, str], first_end: Any) -> dict[str, Any]:
    engine = create_archive_engine(db_url)
    try:
        with engine.connect() as conn:
            runs = conn.execute(select(CrawlRun.__table__).order_by(CrawlRun.id)).all()
            outcomes = conn.execute(
                select(
                    CrawlRunOutcome.crawl_run_id,
                    CrawlRunOutcome.site,
                    CrawlRunOutcome.outcome,
                    CrawlRunOutcome.count,
                ).order_by(
                    CrawlRunOutcome.crawl_run_id, CrawlRunOutcome.site, CrawlRunOutcome.outcome
                )
            ).all()
            captures = conn.execute(
                select(Capture.crawl_run_id, Capture.final_url).order_by(Capture.final_url)
            ).all()
            seen = conn.execute(
                select(Capture.final_url, Article.last_seen_at)
                .join(Article, Article.capture_id == Capture.id)
                .order_by(Capture.final_url)
            ).all()
    finally:
        engine.dispose()
    ids = {run.id: n for n, run in enumerate(runs, 1)}
    for run in runs:
        assert run.stats["newsarchive/crawl_run_id"] == run.id
        assert run.hostname and run.pid and run.started_at <= run.finished_at
    rows = {
        "crawl_runs": [
            {
                "run": ids[run.id],
                "status": run.status,
                "finish_reason": run.finish_reason,
                "args": run.args,
                "stats": {
                    key: value
                    for key, value in sorted(run.stats.items())
                    if key.startswith("newsarchive/") and key not in VOLATILE
                },
                "stats_keys": sorted(
                    key for key in run.stats if not key.startswith(("memusage/", "newsarchive/"))
                ),
            }
            for run in runs
        ],
        "crawl_run_outcomes": [[ids[run], site, outcome, n] for run, site, outcome, n in outcomes],
        "captures": [[ids.get(run), url] for run, url in captures],
        # articles whose last_seen_at the second crawl moved (a 304, or a page refetched)
        "seen_again": [url for url, when in seen if when > first_end],
    }
    return normalise(rows, origins)


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_two_crawls_leave_the_crawl_run_rows_recorded_before(
    backend: str, mockserver: MockServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        db_url = f"sqlite:///{tmp_path / 'archive.db'}"
    else:
        db_url = str(request.getfixturevalue("pg_url"))
    starts = [mockserver.url(site, path) for site, path in SITES.items()]
    origins = {site: mockserver.sites[site] for site in SITES}
    first = run_cli("crawl", *starts, *ORDERED, "--db", db_url, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    engine = create_archive_engine(db_url)
    with engine.connect() as conn:
        first_end = conn.scalar(select(CrawlRun.finished_at))
    engine.dispose()
    second = run_cli("crawl", *starts, *ORDERED, "--db", db_url, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    rows = run_rows(db_url, origins, first_end)
    if os.environ.get("CRAWL_RUN_GOLDEN_REGEN"):
        GOLDEN.write_text(json.dumps(rows, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert rows == json.loads(GOLDEN.read_text(encoding="utf-8"))
