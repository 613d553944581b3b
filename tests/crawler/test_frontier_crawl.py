"""Several crawler processes on one Redis frontier, end to end: real processes, a real
Redis, a fixture site of 220 articles on the mock server, both archive backends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.archives import (
    archived_paths,
    crawl_run_stats,
    table_counts,
    tails,
    wait_for_articles,
)
from tests.support.cli import cli_env, fixture_crawl_args, start_mockserver
from tests.support.services import REDIS_URL
from tests.support.sitegen import generate_news_site

pytestmark = [pytest.mark.slow, pytest.mark.redis]

ARTICLES = 220


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("bignews")
    site = generate_news_site(root, articles=ARTICLES)
    server = start_mockserver(root)
    yield site, server
    server.process.terminate()
    server.process.wait(10)


def start_worker(
    origin: str, db_url: str, redis_key: str, log: Path, *extra: str
) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crawler.cli",
                "crawl",
                *fixture_crawl_args(),
                f"{origin}/",
                "--db",
                db_url,
                "--redis",
                REDIS_URL,
                "--workers",
                "1",
                "-s",
                f"REDIS_KEY={redis_key}",
                "-s",
                "REDIS_IDLE_TIMEOUT=2",
                "-s",
                "PROGRESS_INTERVAL=0",
                "-s",
                "LOG_LEVEL=INFO",
                *extra,
            ],
            cwd=log.parent,
            env=cli_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_all(workers: list[subprocess.Popen[bytes]], logs: list[Path], timeout: float = 240):
    deadline = time.monotonic() + timeout
    for worker in workers:
        try:
            worker.wait(max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for w in workers:
                w.kill()
            pytest.fail("workers did not finish:\n" + tails(logs))
    return [w.returncode for w in workers]


def redis_keys(prefix: str) -> list[bytes]:
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    try:
        return list(server.scan_iter(f"{prefix}*"))
    finally:
        server.close()


def test_two_workers_split_one_crawl_fetching_each_page_once(big_site, db_url, redis_key, tmp_path):
    site, server = big_site
    server.reset()
    origin = server.url(site.name, "")
    logs = [tmp_path / f"worker{i}.log" for i in (1, 2)]
    workers = [start_worker(origin, db_url, redis_key, log) for log in logs]
    assert wait_all(workers, logs) == [0, 0], tails(logs)

    paths = archived_paths(db_url, origin)
    assert sorted(paths) == sorted(site.article_paths), tails(logs)
    assert table_counts(db_url) == (ARTICLES, ARTICLES)

    fetched = server.log()[site.name]
    # Every page, the start page included, fetched exactly once between the two workers
    # (robots.txt is each process's own business).
    counts = {path: entry["count"] for path, entry in fetched.items() if path != "/robots.txt"}
    assert set(counts) == set(site.all_paths)
    assert {path: n for path, n in counts.items() if n != 1} == {}

    runs = crawl_run_stats(db_url)
    assert [runs[w.pid]["status"] for w in workers] == ["finished", "finished"]
    assert all(run.get("scheduler/dequeued/redis", 0) > 0 for run in runs.values()), runs
    assert sum(run.get("newsarchive/articles/new", 0) for run in runs.values()) == ARTICLES
    # A complete crawl leaves nothing behind, so the next scheduled run starts afresh.
    assert redis_keys(redis_key) == []
    # Each worker said why it lingered once the shared frontier was empty.
    said = "shared frontier is empty: waiting 2 s (REDIS_IDLE_TIMEOUT) for other workers"
    assert all(said in log.read_text() for log in logs), tails(logs)


def wait_for_leases(prefix: str, pid: int, timeout: float = 60) -> None:
    """Until the worker running as ``pid`` holds leased requests."""
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            for key in server.scan_iter(f"{prefix}:processing:*:{pid}:*"):
                if server.hlen(key):
                    return
            time.sleep(0.05)
    finally:
        server.close()
    raise AssertionError(f"worker {pid} never held a request")


def test_a_worker_killed_mid_crawl_loses_nothing(big_site, db_url, redis_key, tmp_path):
    site, server = big_site
    server.reset()
    origin = server.url(site.name, "")
    logs = [tmp_path / "doomed.log", tmp_path / "survivor.log"]
    slow = ("-s", "DOWNLOAD_DELAY=0.05", "-s", "REDIS_LEASE_TIMEOUT=3")
    doomed = start_worker(origin, db_url, redis_key, logs[0], *slow)
    survivor = start_worker(origin, db_url, redis_key, logs[1], *slow)
    wait_for_articles(db_url, 30)
    wait_for_leases(redis_key, doomed.pid)  # killed while it holds requests
    os.kill(doomed.pid, signal.SIGKILL)
    assert wait_all([doomed, survivor], logs) == [-signal.SIGKILL, 0], tails(logs)

    paths = archived_paths(db_url, origin)
    assert sorted(paths) == sorted(site.article_paths), tails(logs)
    # Exactly once: one row and one version per article, even for pages the dead
    # worker had fetched (or even archived) before its requests were taken back.
    assert table_counts(db_url) == (ARTICLES, ARTICLES)

    runs = crawl_run_stats(db_url)
    assert runs[doomed.pid]["status"] == "running"  # killed: it never recorded its end
    assert runs[survivor.pid]["status"] == "finished"
    assert runs[survivor.pid].get("newsarchive/frontier/reclaimed", 0) > 0, tails(logs)
    assert redis_keys(redis_key) == []


def test_a_worker_stopped_with_ctrl_c_leaves_the_rest_to_the_next_run(
    big_site, db_url, redis_key, tmp_path
):
    # The requests waiting in the downloader's queues when the crawl stops are not fetched:
    # they were acknowledged as done, so the next run found the rest seen and did nothing.
    site, server = big_site
    server.reset()
    origin = server.url(site.name, "")
    logs = [tmp_path / "stopped.log", tmp_path / "next.log"]
    stopped = start_worker(origin, db_url, redis_key, logs[0], "-s", "DOWNLOAD_DELAY=0.05")
    wait_for_articles(db_url, 20)
    os.kill(stopped.pid, signal.SIGINT)
    assert wait_all([stopped], logs[:1]) == [130], tails(logs)
    assert table_counts(db_url)[0] < ARTICLES
    assert redis_keys(redis_key)  # an interrupted crawl keeps its frontier

    resumed = start_worker(origin, db_url, redis_key, logs[1])
    assert wait_all([resumed], logs[1:]) == [0], tails(logs)
    assert sorted(archived_paths(db_url, origin)) == sorted(site.article_paths), tails(logs)
    assert table_counts(db_url) == (ARTICLES, ARTICLES)
    runs = crawl_run_stats(db_url)
    assert [runs[stopped.pid]["status"], runs[resumed.pid]["status"]] == [
        "interrupted",
        "finished",
    ]
    assert redis_keys(redis_key) == []
