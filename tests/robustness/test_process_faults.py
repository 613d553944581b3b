"""Process faults (issue cases 9-12): signals, kill -9, two crawls on one archive, a full
disk and a database that goes away, each with crawls of the hostile server in subprocesses.

The crawled site is ``SLOW``: a listing of articles that each take ``DELAY`` seconds to
answer, fetched two at a time, written in batches of three: long enough to interrupt it.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from archive.engine import create_archive_engine, upgrade_archive
from tests.support.cli import cli_env
from tests.support.hostile import (
    DATE,
    Archive,
    crawl_command,
    group_alive,
    kill_group,
    run_crawl,
    sqlite_url,
    wait_until,
)

pytestmark = pytest.mark.slow

ARTICLES = 24
DELAY = 0.4
SLOW_SETTINGS = {
    # two requests at a time in the downloader: the others wait in the scheduler
    "CONCURRENT_REQUESTS": "2",
    "ARCHIVE_BATCH_SIZE": "3",
}


def slow_paths() -> list[str]:
    return [f"{DATE}slow-p{i:02d}/" for i in range(ARTICLES)]


@pytest.fixture
def slow(server):
    server.set(delay=DELAY)
    return server.links(*slow_paths())


@pytest.fixture(scope="module")
def clean(hostile, tmp_path_factory) -> dict[str, Any]:
    """The archive an uninterrupted crawl of the slow site makes."""
    hostile.reset()
    hostile.set(delay=DELAY)
    tmp = tmp_path_factory.mktemp("clean")
    crawl = run_crawl(tmp, hostile.links(*slow_paths()), settings=SLOW_SETTINGS)
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    snapshot = crawl.archive.snapshot()
    assert len(snapshot["articles"]) == ARTICLES
    hostile.reset()
    return snapshot


def start_crawl(cwd: Path, start: str, db: str, **settings: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        crawl_command(start, db=db, settings={**SLOW_SETTINGS, **settings}),
        cwd=cwd,
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def committed(db: str) -> int:
    """Articles committed so far (0 before the schema exists)."""
    try:
        return Archive(db).count("articles")
    except Exception:
        return 0


def finish(process: subprocess.Popen[str], timeout: float = 120) -> str:
    try:
        _, stderr = process.communicate(timeout=timeout)
    finally:
        kill_group(process.pid)
    return stderr


def served(server) -> set[str]:
    """Slow articles the crawler asked for."""
    return {server.url(r["path"]) for r in server.requests("site", f"{DATE}slow-")}


def assert_whole(archive: Archive) -> None:
    """No half-written article: each has its URL, capture and first version."""
    assert archive.integrity() == "ok"
    broken = archive.query(
        "SELECT a.url FROM articles a WHERE a.capture_id IS NULL "
        "OR NOT EXISTS (SELECT 1 FROM versions v WHERE v.article_id = a.id) "
        "OR NOT EXISTS (SELECT 1 FROM article_urls u WHERE u.article_id = a.id)"
    )
    assert broken == []


def assert_subset_of(archive: Archive, clean: dict[str, Any]) -> None:
    """Whole articles only, each with the URLs, versions and capture a clean run gives it."""
    assert_whole(archive)
    snapshot = archive.snapshot()
    for part, rows in snapshot.items():
        assert set(rows) <= set(clean[part]), part


# --- case 9: signals ---------------------------------------------------------------------


@pytest.mark.parametrize("how", ["sigterm", "ctrl-c"])
def test_a_signal_finishes_pages_in_flight_commits_them_and_exits_130(server, slow, tmp_path, how):
    """Case 9: SIGTERM to the crawl, or Ctrl-C (SIGINT to its whole process group, as a
    terminal sends it): every page already requested is fetched, extracted and committed,
    the crawl run is recorded as interrupted, and the exit code is 130."""
    db = sqlite_url(tmp_path / "archive.db")
    process = start_crawl(tmp_path, slow, db)
    assert wait_until(lambda: committed(db) >= 4, timeout=60)
    if how == "sigterm":
        os.kill(process.pid, signal.SIGTERM)
    else:
        os.killpg(process.pid, signal.SIGINT)
    stderr = finish(process)
    assert process.returncode == 130, stderr[-3000:]
    archive = Archive(db)
    [run] = archive.runs()
    assert (run["status"], run["finish_reason"]) == ("interrupted", "shutdown")
    stored = {a["url"] for a in archive.articles()}
    assert stored == served(server), "a page requested before the signal was not archived"
    assert len(stored) < ARTICLES
    assert run["stats"]["newsarchive/articles/new"] == len(stored)
    assert_whole(archive)


def test_a_page_in_flight_that_times_out_after_ctrl_c_is_recorded_stopped_not_failed(
    server, tmp_path
):
    """Case 9: Ctrl-C while a page is downloading from a site that does not answer: the
    download times out during the graceful stop with a retry left, which the stop gives
    up. The summary and the run's stored outcomes say the crawl stopped it
    (``skipped/crawl_stopped``), not ``failed/timeout``: health counts a timeout against
    the site, and this one was ours."""
    db = sqlite_url(tmp_path / "archive.db")
    silent = f"{DATE}silent-cut-off/"
    # one try, and one retry that the stop is to give up; a timeout long enough that the
    # signal comes first
    process = start_crawl(tmp_path, server.links(silent), db, DOWNLOAD_TIMEOUT="5", RETRY_TIMES="1")
    try:
        assert wait_until(lambda: server.requests("site", silent), timeout=60)
    except BaseException:
        kill_group(process.pid)
        raise
    os.killpg(process.pid, signal.SIGINT)
    stderr = finish(process)
    assert process.returncode == 130, stderr[-3000:]
    assert re.search(r"^  skipped: crawl_stopped\s+1$", stderr, re.MULTILINE), stderr[-3000:]
    assert "failed: timeout" not in stderr and "failed (timeout)" not in stderr
    assert len(server.requests("site", silent)) == 1  # its retry was not sent
    assert not re.search(r"^  retries\s", stderr, re.MULTILINE), stderr[-3000:]  # nor counted
    archive = Archive(db)
    [run] = archive.runs()
    assert (run["status"], run["finish_reason"]) == ("interrupted", "shutdown")
    assert run["stats"]["newsarchive/skipped/crawl_stopped"] == 1
    assert "newsarchive/failed/timeout" not in run["stats"]
    assert not run["stats"].get("retry/count"), run["stats"]
    stored = {r["outcome"]: r["count"] for r in archive.query("SELECT * FROM crawl_run_outcomes")}
    assert stored.get("skipped/crawl_stopped") == 1, stored
    assert "failed/timeout" not in stored, stored


def test_a_second_signal_stops_at_once_without_corrupting_the_archive(
    server, slow, clean, tmp_path
):
    """Case 9: a second SIGTERM while the first waits for pages in flight (the site now
    takes 20 s to answer) forces the stop: the exit code still says interrupted, and the
    archive holds whole articles, each exactly as an uninterrupted crawl stores it (the
    kill -9 test below shows that running the command again completes it)."""
    db = sqlite_url(tmp_path / "archive.db")
    process = start_crawl(tmp_path, slow, db, DOWNLOAD_TIMEOUT="60")
    assert wait_until(lambda: committed(db) >= 4, timeout=60)
    server.set(delay=20)
    time.sleep(1.0)  # the next requests are now in flight, and slow
    started = time.monotonic()
    os.kill(process.pid, signal.SIGTERM)
    time.sleep(0.5)
    os.kill(process.pid, signal.SIGTERM)
    stderr = finish(process)
    assert process.returncode == 130, stderr[-3000:]
    assert time.monotonic() - started < 15
    assert "stopped by a second signal" in stderr
    assert_subset_of(Archive(db), clean)


# --- case 10: kill -9 ----------------------------------------------------------------------


def test_kill_9_mid_crawl_then_the_same_command_again_gives_the_clean_archive(
    server, slow, clean, tmp_path
):
    """Case 10: SIGKILL the crawl (its main process only, as ``kill -9 PID`` does) once
    some batches are committed: its extraction workers exit on their own, the archive
    holds whole articles only, the killed run is later marked abandoned, and the same
    command run again fetches only what the archive lacks and ends with every article
    exactly once, as a clean run has it."""
    db = sqlite_url(tmp_path / "archive.db")
    process = start_crawl(tmp_path, slow, db)
    assert wait_until(lambda: committed(db) >= 6, timeout=60)
    os.kill(process.pid, signal.SIGKILL)
    finish_killed = process.wait(30)
    assert finish_killed == -signal.SIGKILL
    try:
        assert wait_until(lambda: not group_alive(process.pid), timeout=20), (
            "extraction workers outlived the killed crawl"
        )
    finally:
        kill_group(process.pid)
    assert_whole(Archive(db))
    kept = {a["url"] for a in Archive(db).articles()}
    assert 6 <= len(kept) < ARTICLES
    server.reset()
    server.set(delay=DELAY)
    rerun = run_crawl(tmp_path, slow, db=db, settings=SLOW_SETTINGS)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert rerun.archive.snapshot() == clean
    first, second = rerun.archive.runs()
    assert first["status"] == "abandoned" and second["status"] == "finished"
    # the archive says what is done: the rerun asks for what it holds conditionally (a
    # 304 costs no body) and fetches whole only the pages it lacks
    again = server.requests("site", f"{DATE}slow-")
    conditional = {server.url(r["path"]) for r in again if "if-none-match" in r["headers"]}
    assert conditional == kept
    assert served(server) == {server.url(p) for p in slow_paths()}
    assert second["stats"]["newsarchive/incremental/not_modified"] == len(kept)
    assert second["stats"]["newsarchive/articles/new"] == ARTICLES - len(kept)


# --- case 11: two crawls, one SQLite archive ------------------------------------------------


def test_two_crawls_on_one_sqlite_archive_both_finish_without_duplicates(
    server, slow, clean, tmp_path
):
    """Case 11: two crawls of the same site start together on one new SQLite archive:
    both create-or-migrate it, both write, both finish, no "database is locked", and
    every article, URL, version and capture is there once."""
    db = sqlite_url(tmp_path / "archive.db")
    # CRAWL_LOCK off: by default the second run of one crawl on one archive exits at once.
    processes = [
        start_crawl(tmp_path, slow, db, ARCHIVE_BATCH_SIZE="2", CRAWL_LOCK="False")
        for _ in range(2)
    ]
    results = [finish(p) for p in processes]
    for process, stderr in zip(processes, results, strict=True):
        assert process.returncode == 0, stderr[-3000:]
        assert "database is locked" not in stderr
    archive = Archive(db)
    assert archive.snapshot() == clean
    assert [r["status"] for r in archive.runs()] == ["finished", "finished"]
    outcomes = [r["stats"] for r in archive.runs()]
    assert sum(s.get("newsarchive/articles/new", 0) for s in outcomes) == ARTICLES


# --- case 12: full disk, database gone ---------------------------------------------------


def test_a_full_disk_stops_the_crawl_cleanly_and_keeps_what_was_committed(
    server, slow, clean, tmp_path
):
    """Case 12: the archive cannot grow past ARCHIVE_SQLITE_MAX_BYTES (a full disk, as
    SQLite sees it): the crawl says why, stops (exit 1, run failed), and what it had
    committed stays, whole, each article as an uninterrupted crawl stores it."""
    path = tmp_path / "archive.db"
    engine = create_archive_engine(sqlite_url(path))
    upgrade_archive(engine)
    engine.dispose()
    room = path.stat().st_size + 40 * 4096
    db = sqlite_url(path)
    crawl = run_crawl(
        tmp_path, slow, db=db, settings={**SLOW_SETTINGS, "ARCHIVE_SQLITE_MAX_BYTES": str(room)}
    )
    assert crawl.returncode == 1, crawl.stderr[-3000:]
    assert "database or disk is full" in crawl.stderr
    assert "crawl failed: OperationalError: database or disk is full" in crawl.stderr
    archive = Archive(db)
    assert_subset_of(archive, clean)
    assert 0 < archive.count("articles") < ARTICLES
    [run] = archive.runs()
    assert (run["status"], run["finish_reason"]) == ("failed", "archive_error")


class TcpProxy:
    """A TCP forwarder to PostgreSQL that a test can pull the plug on."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while True:
                readable, _, _ = select.select([a, b], [], [], 1.0)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (b if sock is a else a).sendall(data)

    def pull_the_plug(self) -> None:
        """Cut every connection and refuse new ones (``shutdown`` wakes the ``accept``)."""
        self.open = False
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()


@pytest.mark.postgres
def test_the_database_going_away_mid_crawl_stops_it_cleanly(server, slow, pg_url, tmp_path):
    """Case 12: the PostgreSQL archive becomes unreachable mid-crawl (every connection
    cut, new ones refused): the crawl says why and stops (exit 1), and what it had
    committed is whole in the database."""
    server.set(delay=1.0)  # 12 s of crawling: time to pull the plug in the middle
    real = make_url(pg_url)
    proxy = TcpProxy((real.host or "127.0.0.1", real.port or 5432))
    through_proxy = real.set(host="127.0.0.1", port=proxy.port)
    db = through_proxy.render_as_string(hide_password=False)
    # The store retries a lost database for ARCHIVE_RETRY_TIMEOUT (a restart passes);
    # this one never comes back.
    process = start_crawl(tmp_path, slow, db, ARCHIVE_RETRY_TIMEOUT="3")
    direct = create_engine(pg_url)

    def stored() -> int:
        with contextlib.suppress(Exception), direct.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM articles")).scalar_one())
        return 0

    try:
        assert wait_until(lambda: stored() >= 4, timeout=60)
        proxy.pull_the_plug()
        stderr = finish(process)
        assert process.returncode == 1, stderr[-3000:]
        assert "crawl failed: OperationalError" in stderr
        with direct.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
            broken = conn.execute(
                text(
                    "SELECT count(*) FROM articles a WHERE a.capture_id IS NULL "
                    "OR NOT EXISTS (SELECT 1 FROM versions v WHERE v.article_id = a.id)"
                )
            ).scalar_one()
        assert 4 <= count < ARTICLES and broken == 0
    finally:
        proxy.pull_the_plug()
        kill_group(process.pid)
        direct.dispose()
