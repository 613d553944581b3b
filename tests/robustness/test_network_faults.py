"""Network and server faults (issue cases 1-4): one crawl of the hostile server's faulty
pages, in a subprocess, then one test per case on what it archived, recorded and asked
the server; and two crawls for an article whose site fails after it was archived."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from crawler.urls import site_of
from tests.support.hostile import DATE, Crawl, HostileServer, run_crawl
from tests.support.hostile_server import article_text

pytestmark = pytest.mark.slow

TIMEOUTS = [f"{DATE}silent-n1/", f"{DATE}hang-n1/", f"{DATE}trickle-n1/"]
CUT_SHORT = {
    f"{DATE}drop-n1/": "failed (data_loss)",
    f"{DATE}dropchunked-n1/": "failed (data_loss)",
    f"{DATE}dropclose-n1/": "failed (truncated)",
    f"{DATE}shortlength-n1/": "failed (truncated)",
    f"{DATE}gzipcut-n1/": "failed (truncated)",
}
RETRY_AFTER = f"{DATE}retryafter-n1/"
RETRY_LATER = f"{DATE}retrylater-n1/"
BACKOFF = f"{DATE}backoff-n1/"
DOWN = f"{DATE}status-503-n1/"
LOOPS = ["/redirect/loop-a/", "/redirect/self/", "/redirect/chain-12/"]
GOOD = [f"{DATE}story-n1/", f"{DATE}story-n2/"]
# crawl settings: 2 s download timeout; 2 retries waiting 0.4 s then 0.8 s, jittered
TIMEOUT, BASE = 2.0, 0.4
_RECORD = re.compile(r"\b(skipped|failed|blocked) \(([\w-]+)\): (\S+?):? ")


@dataclass
class FaultCrawl:
    crawl: Crawl
    server: HostileServer
    log: list[dict[str, Any]]
    offsite: str

    def url(self, path: str) -> str:
        return self.server.url(path)

    def attempts(self, path: str, host: str = "site") -> list[float]:
        """When ``host`` was asked for ``path``, in order."""
        return sorted(r["time"] for r in self.log if r["host"] == host and r["path"] == path)

    def recorded(self, path: str) -> set[str]:
        url = self.url(path)
        found = _RECORD.findall(self.crawl.stderr)
        return {f"{outcome} ({reason})" for outcome, reason, where in found if where == url}

    def stored(self) -> set[str]:
        return {a["url"] for a in self.crawl.archive.articles()}


@pytest.fixture(scope="module")
def faults(hostile, tmp_path_factory) -> FaultCrawl:
    hostile.reset()
    offsite = hostile.url(f"{DATE}offsite-n1/", host="other")
    two_hops_off = hostile.redirect(hostile.redirect(offsite))
    start = hostile.links(
        *TIMEOUTS,
        *CUT_SHORT,
        RETRY_AFTER,
        RETRY_LATER,
        BACKOFF,
        DOWN,
        *LOOPS,
        two_hops_off,
        *GOOD,
    )
    crawl = run_crawl(
        tmp_path_factory.mktemp("faults"),
        start,
        settings={"RETRY_TIMES": "2", "RETRY_BACKOFF_BASE": str(BASE)},
        extra=("-v",),
    )
    assert crawl.returncode == 0, crawl.stderr[-5000:]
    return FaultCrawl(crawl, hostile, hostile.log(), offsite)


def test_the_crawl_goes_on_and_archives_the_good_pages(faults):
    assert faults.stored() == {faults.url(p) for p in [*GOOD, RETRY_AFTER, BACKOFF]}


def test_hanging_and_trickling_pages_time_out_and_are_retried_with_backoff(faults):
    """Case 1: a server that never answers, sends headers then nothing, or trickles a byte
    every 50 ms: each times out (DOWNLOAD_TIMEOUT=2), is retried twice (after a backoff,
    measured exactly on the 503s below), then recorded as failed/timeout."""
    for path in TIMEOUTS:
        assert faults.recorded(path) == {"failed (timeout)"}, path
        t0, t1, t2 = faults.attempts(path)
        # each try waited out the timeout (less the time the server took to log it)
        assert t1 - t0 >= TIMEOUT - 0.3 and t2 - t1 >= TIMEOUT - 0.3, path
    assert faults.crawl.stats["newsarchive/failed/timeout"] == 3
    assert f"failed (timeout): {faults.url(TIMEOUTS[0])}" in faults.crawl.stderr


def test_dropped_connections_and_lying_lengths_store_no_truncated_article(faults):
    """Case 2: half a page then a closed connection (with a Content-Length, chunked, or
    close-delimited), a Content-Length shorter than the page, a gzip body cut short:
    none becomes an article, each is recorded; the stored articles are whole."""
    for path, recorded in CUT_SHORT.items():
        assert faults.recorded(path) == {recorded}, path
        assert faults.url(path) not in faults.stored()
    # a transfer cut short is retried: it may be a passing network fault
    assert len(faults.attempts(f"{DATE}drop-n1/")) == 3
    for article in faults.crawl.archive.articles():
        slug = article["url"].rstrip("/").rsplit("/", 1)[1]
        assert article["text"].rstrip().endswith(article_text(slug)[-1][-40:])


def test_5xx_and_429_are_retried_with_backoff_and_retry_after(faults):
    """Case 3: a 429 with Retry-After: 1 is retried after a second and archived; two 503s
    are retried with growing waits and the third try archived; a page that stays 503 is
    recorded after its retries; a Retry-After of an hour is not waited for."""
    # the server logs a request before it answers, so these gaps hold the whole wait
    first, second = faults.attempts(RETRY_AFTER)
    assert second - first >= 1.0 - 0.01
    t0, t1, t2 = faults.attempts(BACKOFF)
    assert t1 - t0 >= BASE * 0.5 - 0.01 and t2 - t1 >= 2 * BASE * 0.5 - 0.01
    assert len(faults.attempts(DOWN)) == 3
    assert faults.recorded(DOWN) == {"failed (http_503)"}
    assert len(faults.attempts(RETRY_LATER)) == 1
    assert faults.recorded(RETRY_LATER) == {"blocked (rate_limited)"}
    assert faults.crawl.stats["retry/retry_after_too_long"] == 1


def test_failed_fetches_count_in_their_site_s_outcomes(faults):
    """A fetch that failed is recorded per site too (``newsarchive health`` reads it),
    as the pages the pipelines drop or archive are: the per-site counts add up to the
    run's totals."""
    site = site_of(faults.url(DOWN))
    outcomes = {
        row["outcome"]: row["count"]
        for row in faults.crawl.archive.query(
            "SELECT outcome, count FROM crawl_run_outcomes WHERE site = :site", site=site
        )
    }
    stats = faults.crawl.stats
    for outcome in (
        "failed/timeout",
        "failed/http_503",
        "blocked/rate_limited",
        "failed/data_loss",
    ):
        assert outcomes[outcome] == stats[f"newsarchive/{outcome}"], outcome
    assert outcomes["failed/timeout"] == 3


def test_redirect_loops_and_endless_chains_are_stopped_and_recorded(faults):
    """Case 4: A -> B -> A, a page redirecting to itself, and a chain longer than
    REDIRECT_MAX_TIMES (10) are stopped, each URL fetched once, and recorded."""
    assert faults.recorded("/redirect/loop-a/") == {"failed (redirect_loop)"}
    assert faults.recorded("/redirect/self/") == {"failed (redirect_loop)"}
    assert faults.crawl.stats["newsarchive/failed/redirect_loop"] == 2
    assert faults.crawl.stats["newsarchive/failed/too_many_redirects"] == 1
    for path in ("/redirect/loop-a/", "/redirect/loop-b/", "/redirect/self/"):
        assert len(faults.attempts(path)) == 1, path
    chain = [r for r in faults.log if r["path"].startswith("/redirect/chain-")]
    assert len(chain) == 11


def test_a_redirect_chain_leaving_the_crawl_sites_is_stopped_and_recorded(faults):
    """Case 4: a page that redirects, in two hops, to another site: the chain stops at
    the hop that would leave the crawl's sites, which is recorded; the other site is
    never asked."""
    assert faults.crawl.stats["newsarchive/skipped/redirect_out_of_scope"] == 1
    assert [r for r in faults.log if r["host"] == "other"] == []
    assert "outside the crawl's sites" in faults.crawl.stderr


def test_an_archived_article_keeps_its_good_copy_when_the_site_fails_later(server, tmp_path):
    """Case 3: the archive holds a story; the next crawl finds the site answering 503:
    the page is retried, recorded as failed, and the stored copy is untouched."""
    path = f"{DATE}flaky-f1/"
    first = run_crawl(tmp_path, server.links(path))
    assert first.returncode == 0, first.stderr[-3000:]
    before = first.archive.snapshot()
    assert len(before["articles"]) == 1
    server.set(down=1)
    # re-check the archived article now (a re-crawl would skip it for CRAWL_REVISIT_DAYS)
    second = run_crawl(tmp_path, server.links(path), settings={"INCREMENTAL_RECHECK": "true"})
    assert second.returncode == 0, second.stderr[-3000:]
    assert second.stats["newsarchive/failed/http_503"] == 1
    assert len(server.requests("site", path)) == 1 + 2  # first crawl; a try and a retry
    assert second.archive.snapshot() == before
    assert second.archive.count("captures") == 1
