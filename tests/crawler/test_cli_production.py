"""Production use from the command line: PostgreSQL for every command, clear errors
when an optional driver is missing, overlapping scheduled runs, quiet runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from archive.locks import LockHeld, run_lock
from crawler.cli.crawl import FRONTIER_SCHEDULER
from crawler.sites import crawl_identity, sites_from_urls
from tests.support.archives import crawl_run_stats
from tests.support.cli import cli_args, cli_env, run_cli, start_mockserver
from tests.support.services import REDIS_URL
from tests.support.sitegen import generate_news_site

ARTICLES = 30


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("smallnews")
    site = generate_news_site(root, articles=ARTICLES, per_section=10)
    server = start_mockserver(root)
    yield site, server
    server.process.terminate()
    server.process.wait(10)


def crawl_args(server, site) -> list[str]:
    return ["crawl", server.url(site.name, "/"), "--workers", "1"]


@pytest.mark.slow
@pytest.mark.postgres
def test_every_command_works_on_postgresql(small_site, pg_url, tmp_path):
    site, server = small_site
    crawled = run_cli(*crawl_args(server, site), "--db", pg_url, cwd=tmp_path)
    assert crawled.returncode == 0, crawled.stderr
    assert "articles new" in crawled.stderr

    again = run_cli(*crawl_args(server, site), "--db", pg_url, "-q", cwd=tmp_path)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")

    # A bare postgresql:// URL uses the postgres extra's driver (psycopg 3) too.
    bare = pg_url.replace("postgresql+psycopg://", "postgresql://")
    out = tmp_path / "articles.jsonl"
    exported = run_cli("export", "--db", bare, "-o", str(out), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    articles = [json.loads(line) for line in out.read_text().splitlines()]
    origin = server.url(site.name, "")
    assert sorted(a["url"].removeprefix(origin) for a in articles) == sorted(site.article_paths)
    assert all(a["text"] and a["title"] for a in articles)

    stats = run_cli("stats", "--db", pg_url, cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    assert f"{ARTICLES} articles in 1 site\n" in stats.stdout
    # run, started (date, time), took, status, fetched, new, updated, unchanged, ...
    runs = [line.split() for line in stats.stdout.splitlines() if line[:1].isdigit()]
    # newest first: the re-crawl found every article unchanged
    assert [(r[4], r[6], r[8]) for r in runs[-2:]] == [
        ("finished", "0", str(ARTICLES)),
        ("finished", str(ARTICLES), "0"),
    ]
    assert run_cli("db", "current", "--db", pg_url, cwd=tmp_path).returncode == 0


def run_without(module: str, *args: str, cwd) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a Python where ``module`` cannot be imported, as if not installed."""
    code = (
        f"import sys; sys.modules[{module!r}] = None; "
        "from crawler.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *cli_args(*args)],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--db", "postgresql+psycopg://u@127.0.0.1:5432/db"],
        ["db", "upgrade", "--db", "postgresql://u@127.0.0.1:5432/db"],
        ["crawl", "http://127.0.0.9:1/", "--db", "postgresql+psycopg://u@127.0.0.1:5432/db"],
    ],
    ids=["export", "db-upgrade", "crawl"],
)
def test_a_missing_postgresql_driver_is_a_clear_error(args, tmp_path):
    result = run_without("psycopg", *args, cwd=tmp_path)
    assert result.returncode == 2  # the same from every command: an extra to install
    assert "pip install 'newsarchive[postgres]'" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_missing_redis_extra_is_a_clear_error(tmp_path):
    result = run_without(
        "redis",
        "crawl",
        "http://127.0.0.9:1/",
        "--db",
        f"sqlite:///{tmp_path / 'a.db'}",
        "--redis",
        REDIS_URL,
        cwd=tmp_path,
    )
    assert result.returncode == 2  # an extra to install, as a missing driver
    assert "pip install 'newsarchive[redis]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # refused before the archive was created


def lock_name(server, site) -> str:
    return f"crawl-{crawl_identity(sites_from_urls([server.url(site.name, '/')]))}"


@pytest.mark.slow
def test_an_overlapping_run_says_so_and_exits_0(small_site, db_url, tmp_path):
    site, server = small_site
    server.reset()
    with run_lock(db_url, lock_name(server, site)):
        # The same lock cannot be taken twice, not even from another connection or file.
        with pytest.raises(LockHeld), run_lock(db_url, lock_name(server, site)):
            pass
        second = run_cli(*crawl_args(server, site), "--db", db_url, cwd=tmp_path)
        quiet = run_cli(*crawl_args(server, site), "--db", db_url, "--quiet", cwd=tmp_path)
    assert second.returncode == 0
    assert "previous run of this crawl is still going" in second.stderr
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    assert server.log() == {}  # neither fetched anything
    # Another crawl (other start URLs) on the same archive is not held up.
    with run_lock(db_url, "crawl-something-else"):
        pass
    # Once the lock is free, the crawl runs.
    third = run_cli(*crawl_args(server, site), "--db", db_url, "-q", cwd=tmp_path)
    assert (third.returncode, third.stdout, third.stderr) == (0, "", "")
    assert server.log()[site.name]


@pytest.mark.slow
@pytest.mark.redis
def test_a_redis_url_given_as_a_setting_shares_the_frontier_as_redis_does(
    small_site, db_url, redis_key, tmp_path
):
    # REDIS_URL is a documented setting: `-s REDIS_URL=...` was taken and ignored, the
    # crawl ran alone (behind the crawl lock) instead of joining the shared frontier.
    site, server = small_site
    server.reset()
    shared = ("-s", f"REDIS_URL={REDIS_URL}", "-s", f"REDIS_KEY={redis_key}")
    with run_lock(db_url, lock_name(server, site)):  # a worker joins despite the lock
        worker = run_cli(
            *crawl_args(server, site),
            "--db",
            db_url,
            *shared,
            "-s",
            "REDIS_IDLE_TIMEOUT=1",
            cwd=tmp_path,
        )
    assert worker.returncode == 0, worker.stderr
    (run,) = crawl_run_stats(db_url).values()
    assert run["scheduler/dequeued/redis"] > 0
    assert run["newsarchive/articles/new"] == ARTICLES


@pytest.mark.slow
@pytest.mark.parametrize(
    ("given", "code", "says"),
    [
        (
            ("-s", "REDIS_URL=redis://127.0.0.1:1/0"),
            1,
            "cannot reach Redis at redis://127.0.0.1:1/0",
        ),
        # the scheduler that scrapyd jobs name for a shared frontier, without a Redis server
        (("-s", f"SCHEDULER={FRONTIER_SCHEDULER}"), 2, "the Redis frontier needs a Redis server"),
    ],
)
def test_a_shared_frontier_asked_for_by_setting_fails_in_one_line(given, code, says, tmp_path):
    result = run_cli("crawl", "http://127.0.0.9:1/", "--db", "a.db", *given, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (code, "")
    assert result.stderr.startswith(f"newsarchive crawl: {says}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no archive made for a crawl that never started


@pytest.mark.slow
def test_a_quiet_run_speaks_up_when_it_fails(tmp_path):
    # Port 1 on loopback: the start URL cannot be fetched, so the crawl fails.
    result = run_cli(
        "crawl", "http://127.0.0.9:1/", "--db", f"sqlite:///{tmp_path / 'a.db'}", "-q", cwd=tmp_path
    )
    assert result.returncode == 1
    assert "crawl failed" in result.stderr


@pytest.mark.slow  # a crawl in a subprocess
def test_a_crawl_into_an_old_archive_it_may_not_upgrade_stops_before_starting(tmp_path):
    from archive.engine import create_archive_engine, current_revision, upgrade_archive

    db_url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_archive_engine(db_url)
    upgrade_archive(engine, "0001")
    result = run_cli(
        "crawl",
        "http://127.0.0.9:1/",
        "--db",
        db_url,
        "-s",
        "ARCHIVE_AUTO_UPGRADE=False",
        cwd=tmp_path,
    )
    assert result.returncode == 2  # as every reader says it: run db upgrade first
    assert "schema is at 0001" in result.stderr and "newsarchive db upgrade" in result.stderr
    assert "Traceback" not in result.stderr
    assert current_revision(engine) == "0001"
    engine.dispose()


@pytest.mark.slow  # a crawl in a subprocess
def test_an_unreachable_database_is_one_clear_line(tmp_path):
    # Port 1 on loopback: nothing listens there.
    result = run_cli(
        "crawl", "http://127.0.0.9:1/", "--db", "postgresql://nobody@127.0.0.1:1/news", cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stderr.startswith("newsarchive crawl: cannot open the archive postgresql")
    assert "Traceback" not in result.stderr
