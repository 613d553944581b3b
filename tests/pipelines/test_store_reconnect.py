"""The archive's database restarts in the middle of a crawl: nothing is lost.

The shared PostgreSQL at 127.0.0.1:5432 serves everyone's tests, so this test starts
a private cluster of its own (initdb and pg_ctl from the PostgreSQL server package,
in a temporary folder, on a free loopback port) and restarts that one.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive.engine import create_archive_engine
from tests.support.archives import (
    archived_paths,
    crawl_run_stats,
    table_counts,
    tails,
    wait_for_articles,
)
from tests.support.cli import cli_env, fixture_crawl_args, start_mockserver
from tests.support.sitegen import generate_news_site

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@dataclass
class PrivatePostgres:
    bin: Path
    data: Path
    base: Path
    port: int
    run_as: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.run_as, str(self.bin / "pg_ctl"), "-D", str(self.data), *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.pg_ctl("-l", str(self.base / "server.log"), "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "stop")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def private_postgres():
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not bins or not os.access(Path(bins[-1]) / "initdb", os.X_OK):
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin")
    pytest.importorskip("psycopg", reason="psycopg is not installed")
    run_as: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="newsarchive-pg-"))
    if os.geteuid() == 0:  # initdb refuses to run as root
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base)
            pytest.skip("running as root and there is no 'postgres' user to run initdb as")
        os.chown(base, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    server = PrivatePostgres(Path(bins[-1]), base / "data", base, _free_port(), run_as)
    subprocess.run(
        [
            *run_as,
            str(server.bin / "initdb"),
            *("-D", str(server.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    server.start()
    yield server
    with contextlib.suppress(subprocess.CalledProcessError):
        server.stop("immediate")
    shutil.rmtree(base, ignore_errors=True)


ARTICLES = 220


def test_a_database_restart_mid_crawl_loses_nothing(private_postgres, tmp_path):
    site = generate_news_site(tmp_path / "site", articles=ARTICLES)
    server = start_mockserver(tmp_path / "site")
    log = tmp_path / "crawl.log"
    db_url = private_postgres.url
    try:
        with log.open("wb") as out:
            crawl = subprocess.Popen(
                [
                    *(sys.executable, "-m", "crawler.cli", "crawl", server.url(site.name, "/")),
                    *fixture_crawl_args(),
                    *("--db", db_url, "--workers", "1", "-s", "DOWNLOAD_DELAY=0.05"),
                    *("-s", "ARCHIVE_FLUSH_INTERVAL=0.5", "-s", "PROGRESS_INTERVAL=0"),
                ],
                cwd=tmp_path,
                env=cli_env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        before = wait_for_articles(db_url, 20)
        private_postgres.stop("fast")  # every connection of the crawl is cut
        time.sleep(3)
        private_postgres.start()
        crawl.wait(240)
    finally:
        if crawl.poll() is None:
            crawl.kill()
        server.process.terminate()
        server.process.wait(10)
    assert crawl.returncode == 0, tails([log])
    assert before < ARTICLES  # the restart happened mid-crawl
    origin = server.url(site.name, "")
    assert sorted(archived_paths(db_url, origin)) == sorted(site.article_paths), tails([log])
    assert table_counts(db_url) == (ARTICLES, ARTICLES)
    [run] = crawl_run_stats(db_url).values()
    assert run["status"] == "finished"
    assert run.get("newsarchive/archive_retries", 0) >= 1, tails([log])
    assert (
        run["newsarchive/articles/new"] + run.get("newsarchive/articles/unchanged", 0) == ARTICLES
    )
    create_archive_engine(db_url).dispose()
