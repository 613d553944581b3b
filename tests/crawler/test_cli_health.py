"""`newsarchive health` as cron runs it: one line per problem, exit 1; quiet and 0 when
every site is healthy; JSON for machines."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.support.cli import run_cli
from tests.support.newsroom import BLOCKED, FAILING, HEALTHY, SILENT, STALE, build_newsroom

pytestmark = pytest.mark.slow  # each test runs the command in a subprocess


@pytest.fixture(scope="module")
def newsroom_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('health') / 'archive.db'}"
    build_newsroom(url, datetime.now(UTC))
    return url


def test_one_line_per_problem_and_exit_1(newsroom_db, tmp_path):
    result = run_cli("health", "--db", newsroom_db, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    # by site name: flaky, frozen, quiet, walled
    assert [line.split(": ")[:2] for line in lines] == [
        [FAILING, "failing"],
        [STALE, "stale"],
        [SILENT, "silent"],
        [BLOCKED, "blocked"],
    ]
    by_site = {line.split(": ")[0]: line for line in lines}
    assert by_site[BLOCKED] == (
        f"{BLOCKED}: blocked: 27 of 27 fetches blocked in its last 3 crawl(s) "
        "(http_403 18, challenge 9)"
    )
    assert by_site[FAILING] == (
        f"{FAILING}: failing: 33 of 39 fetches failed in its last 3 crawl(s) "
        "(timeout 21, http_503 12)"
    )
    assert by_site[SILENT].startswith(
        f"{SILENT}: silent: no new article over 3 crawl(s) in 3 day(s)"
    )
    assert by_site[SILENT].endswith("27 other page(s): too_short 27")
    assert by_site[STALE] == (
        f"{STALE}: stale: its listings have not moved: 42 page(s) we have, unchanged, "
        "over 3 crawl(s) in 3 day(s)"
    )
    assert HEALTHY not in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing created


def test_json_for_machines(newsroom_db, tmp_path):
    result = run_cli("health", "--json", "--days", "3", "--db", newsroom_db, cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["healthy"] is False and report["days"] == 3
    assert report["sites"][HEALTHY] == []
    assert [p["flag"] for p in report["sites"][BLOCKED]] == ["blocked"]


def test_a_wider_window_sees_the_silent_site_still_giving_articles(newsroom_db, tmp_path):
    result = run_cli("health", "--days", "10", "--db", newsroom_db, cwd=tmp_path)
    assert result.returncode == 1
    assert SILENT not in result.stdout


def test_healthy_archive_prints_nothing_and_exits_0(tmp_path):
    from archive.engine import create_archive_engine, upgrade_archive
    from archive.writer import CrawlRuns

    url = f"sqlite:///{tmp_path / 'ok.db'}"
    engine = create_archive_engine(url)
    upgrade_archive(engine)
    runs = CrawlRuns(engine)
    run_id = runs.start_run({})
    runs.finish_run(run_id, "finished", "finished", {}, {("ok.example", "articles/new"): 3})
    engine.dispose()
    result = run_cli("health", "--db", url, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    result = run_cli(
        "health", "--days", "0", "--db", f"sqlite:///{tmp_path / 'a.db'}", cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.endswith(
        "newsarchive health: error: argument --days: must be at least 1, not 0\n"
    )
    missing = run_cli("health", "--db", f"sqlite:///{tmp_path / 'none.db'}", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.startswith("newsarchive health: no archive at ")
    assert "Traceback" not in missing.stderr
    assert list(tmp_path.iterdir()) == []
