"""End to end through the CLI: one story on many sites, an edited story, re-crawls.

The sites (tests/support/copysites.py) are served by tests/support/mockserver.py. The wire site is
crawled first, then the sites that republish it, so the archive meets the wire copy
first, as it would in life. Then the storm story changes (the server's ``storm`` state
switches to "2", with a newer sitemap ``lastmod``) and everything is crawled again.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from crawler.urls import normalize_url
from tests.support import copysites
from tests.support.cli import MockServer, run_cli, start_mockserver

pytestmark = pytest.mark.slow


def export(workdir: Path) -> dict[str, dict[str, Any]]:
    result = run_cli("export", "-o", "articles.jsonl", cwd=workdir)
    assert result.returncode == 0, result.stderr
    lines = (workdir / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["url"]: row for row in map(json.loads, lines)}


def run_stats(workdir: Path) -> list[dict[str, Any]]:
    """Each crawl run's Scrapy stats, oldest first."""
    db = sqlite3.connect(workdir / "archive.db")
    rows = db.execute("SELECT stats FROM crawl_runs ORDER BY id").fetchall()
    db.close()
    return [json.loads(stats) for (stats,) in rows]


def site_bytes(log: dict[str, Any], site: str) -> int:
    return sum(entry["bytes"] for entry in log.get(site, {}).values())


def crawl(workdir: Path, *starts: str, args: tuple[str, ...] = ()) -> None:
    result = run_cli("crawl", *starts, "-q", *args, cwd=workdir)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def sites_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("copysites")
    copysites.build(root)
    return root


@pytest.fixture(scope="module")
def server(sites_root: Path) -> Any:
    server = start_mockserver(sites_root)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def crawled(
    server: MockServer, sites_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("archive")
    starts = {site: server.url(site, path) for site, path in copysites.STARTS.items()}
    server.reset()
    crawl(workdir, starts["wire"])
    crawl(workdir, starts["daily"], starts["gazette"], starts["ledger"])
    first_log = server.log()
    first = export(workdir)

    modified = (datetime.now(UTC) + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    copysites.write_storm_sitemap(sites_root, "2", modified)
    assert server.set_state("storm", "2") == {"storm": "2"}
    server.reset()
    crawl(workdir, *starts.values())
    second_log = server.log()
    return {
        "workdir": workdir,
        "starts": starts,
        "first": first,
        "second": export(workdir),
        "first_log": first_log,
        "second_log": second_log,
        "runs": run_stats(workdir),
    }


def row(crawled: dict[str, Any], server: MockServer, site: str, path: str, when: str = "second"):
    return crawled[when][normalize_url(server.url(site, path))]


WIRE_STRIKE = "/2024/08/26/port-halden-dockworkers-strike/"
WIRE_TRAM = "/2024/08/26/aldmoor-approves-tram-line/"
DAILY_TRAM = "/2024/08/26/aldmoor-council-approves-tram/"
DAILY_SHOPS = "/2024/08/27/kongsgate-shopkeepers-brace-for-works/"
GAZETTE_STRIKE = "/2024/08/26/port-halden-strike-ships-queue/"
GAZETTE_FARMERS = "/2024/08/27/farmers-fear-for-exports/"


def test_every_story_is_archived_once_per_site(crawled):
    assert len(crawled["first"]) == 3 + 2 + 2 + copysites.FILLER
    assert set(crawled["second"]) == set(crawled["first"])


def test_the_same_article_on_two_sites_is_kept_twice_and_the_later_marked_duplicate(
    crawled, server
):
    wire, daily = row(crawled, server, "wire", WIRE_TRAM), row(crawled, server, "daily", DAILY_TRAM)
    assert daily["content_hash"] == wire["content_hash"] and daily["url"] != wire["url"]
    assert wire["duplicate_of"] is None and wire["cluster_id"] == wire["id"]
    assert daily["duplicate_of"] == wire["id"]
    assert (daily["cluster_id"], daily["cluster_similarity"]) == (wire["id"], 1.0)


def test_a_lightly_edited_wire_copy_joins_the_story_cluster(crawled, server):
    wire = row(crawled, server, "wire", WIRE_STRIKE)
    edited = row(crawled, server, "gazette", GAZETTE_STRIKE)
    assert edited["content_hash"] != wire["content_hash"]
    assert edited["duplicate_of"] is None
    assert edited["cluster_id"] == wire["id"]
    assert 0.6 <= edited["cluster_similarity"] < 0.95


def test_two_different_stories_on_one_topic_are_not_clustered(crawled, server):
    for site, path, topic in (
        ("gazette", GAZETTE_FARMERS, WIRE_STRIKE),
        ("daily", DAILY_SHOPS, WIRE_TRAM),
    ):
        other = row(crawled, server, site, path)
        assert other["cluster_id"] == other["id"] and other["duplicate_of"] is None
        assert other["cluster_id"] != row(crawled, server, "wire", topic)["cluster_id"]
    clusters = {r["cluster_id"] for r in crawled["second"].values()}
    # 7 stories minus the copy and the edited copy, and every ledger story alone
    assert len(clusters) == 5 + copysites.FILLER


def test_an_article_that_changed_between_crawls_has_two_versions_and_a_diff(crawled, server):
    before = row(crawled, server, "wire", copysites.STORM_PATH, "first")
    after = row(crawled, server, "wire", copysites.STORM_PATH)
    assert (before["version"], after["version"]) == (1, 2)
    assert before["id"] == after["id"] and "23,000 homes" in after["text"]
    url = server.url("wire", copysites.STORM_PATH)
    listing = run_cli("show", url, "--versions", cwd=crawled["workdir"])
    assert listing.returncode == 0, listing.stderr
    lines = [line.split() for line in listing.stdout.splitlines()]
    versions = [words for words in lines if words[:1] in (["1"], ["2"])]
    assert [v[0] for v in versions] == ["1", "2"]
    assert " ".join(versions[0]).endswith("Storm cuts power to thousands along the northern coast")
    assert " ".join(versions[1]).endswith(
        "Storm cuts power to 23,000 homes along the northern coast"
    )

    diff = run_cli("show", str(after["id"]), "--diff", cwd=crawled["workdir"]).stdout
    assert "--- version 1 (" in diff and "+++ version 2 (" in diff
    removed = {line[1:] for line in diff.splitlines() if line.startswith("-") and line[1:3] != "--"}
    added = {line[1:] for line in diff.splitlines() if line.startswith("+") and line[1:3] != "++"}
    assert "Title: Storm cuts power to thousands along the northern coast" in removed
    assert any("about 18,000 homes" in line for line in removed)
    assert any("about 23,000 homes" in line for line in added)
    assert any(line.startswith("Update, 2 p.m.: Nordnett said power") for line in added)
    assert not removed & added


def test_an_unchanged_site_crawled_twice_costs_under_a_tenth_of_the_bytes(crawled):
    first = site_bytes(crawled["first_log"], "ledger")
    second = site_bytes(crawled["second_log"], "ledger")
    print(
        f"\nledger ({copysites.FILLER} articles): first crawl {first:,} bytes, "
        f"second {second:,} bytes ({second / first:.1%})"
    )
    assert first > 100_000
    assert second < 0.1 * first
    articles = [p for p in crawled["second_log"]["ledger"] if p.startswith("/2024/")]
    assert len(articles) == copysites.FILLER
    assert {crawled["second_log"]["ledger"][p]["status"] for p in articles} == {304}
    ledger = [r for r in crawled["second"].values() if "ledger-report" in r["url"]]
    assert {r["version"] for r in ledger} == {1}
    third = crawled["runs"][2]
    # every ledger story, and the daily and gazette copies (linked and in a feed)
    assert third["newsarchive/incremental/not_modified"] == copysites.FILLER + 4
    assert third.get("newsarchive/articles/new", 0) == 0
    assert third["newsarchive/articles/updated"] == 1  # the storm story, nothing else
    db = sqlite3.connect(crawled["workdir"] / "archive.db")
    versions = db.execute("SELECT count(*) FROM versions").fetchone()[0]
    db.close()
    assert versions == len(crawled["second"]) + 1


def test_the_sitemap_lastmod_spares_unmodified_entries_and_fetches_the_modified_one(crawled):
    wire_log = crawled["second_log"]["wire"]
    assert WIRE_STRIKE not in wire_log and WIRE_TRAM not in wire_log
    assert wire_log[copysites.STORM_PATH]["status"] == 200
    third = crawled["runs"][2]
    assert third["newsarchive/skipped/listed_unchanged"] == 2
    assert third["newsarchive/incremental/listed_newer"] == 1


def test_the_feed_and_home_linked_copies_are_rechecked_conditionally(crawled):
    for site, paths in (("daily", (DAILY_TRAM, DAILY_SHOPS)), ("gazette", (GAZETTE_STRIKE,))):
        for path in paths:
            assert crawled["second_log"][site][path]["status"] == 304, (site, path)


def test_stats_count_duplicates_near_duplicates_and_updates_per_site(crawled, server):
    out = run_cli("stats", cwd=crawled["workdir"]).stdout
    table = out.split("crawl runs", 1)[0].splitlines()
    header = next(line for line in table if line.startswith("site")).split()
    rows = {line.split()[0]: line.split() for line in table if line[:1].isdigit()}

    def cell(site: str, column: str) -> int:
        host = server.sites[site].removeprefix("http://")
        return int(rows[host][header.index(column)])

    assert (cell("daily", "duplicates"), cell("daily", "near-dups")) == (1, 0)
    assert (cell("gazette", "duplicates"), cell("gazette", "near-dups")) == (0, 1)
    assert (cell("wire", "updated"), cell("ledger", "updated")) == (1, 0)


def test_since_skips_older_sitemap_entries_before_fetching_them(crawled, server, tmp_path):
    server.reset()
    crawl(tmp_path, crawled["starts"]["wire"], args=("--since", "2024-08-27"))
    log = server.log()["wire"]
    assert WIRE_STRIKE not in log and WIRE_TRAM not in log
    assert [r["url"] for r in export(tmp_path).values()] == [
        normalize_url(server.url("wire", copysites.STORM_PATH))
    ]
    assert run_stats(tmp_path)[0]["newsarchive/skipped/since"] == 2
    bad = run_cli("crawl", crawled["starts"]["wire"], "--since", "last week", cwd=tmp_path)
    assert bad.returncode == 2 and "ISO 8601" in bad.stderr


def test_a_zero_day_revisit_window_fetches_only_new_urls(crawled, server, tmp_path):
    shutil.copy(crawled["workdir"] / "archive.db", tmp_path / "archive.db")
    server.reset()
    crawl(tmp_path, crawled["starts"]["ledger"], args=("--revisit-days", "0"))
    fetched = [p for p in server.log().get("ledger", {}) if p.startswith("/2024/")]
    assert fetched == []
    assert run_stats(tmp_path)[-1]["newsarchive/skipped/revisit_window"] == copysites.FILLER
