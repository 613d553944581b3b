"""End to end through the CLI: news sites as they are (tests/support/wildsites.py).

Sites that block crawlers (a challenge after a few requests, a 429 burst, a consent
wall, a site that answers nothing but "Access Denied"), a Google News sitemap written
carelessly, a JSON Feed, one publisher on four hosts, and the polite defaults measured
at the server. Every crawl but the politeness one runs with the fixture sites' fast
settings (tests/support/cli.py); the block crawls set their own back-off, small.
"""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from archive.read import ArticleFilter, open_archive
from tests.support import wildsites
from tests.support.cli import MockServer, run_cli, start_mockserver

pytestmark = pytest.mark.slow

BLOCK_ARGS = ("-s", "BLOCK_BACKOFF_START=0.2", "-s", "BLOCK_STOP_AFTER=3")


@pytest.fixture(scope="module")
def wild(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockServer]:
    root = tmp_path_factory.mktemp("wildsites")
    wildsites.build(root)
    server = start_mockserver(root)
    yield server
    server.stop()


def crawl(
    server: MockServer, workdir: Path, *starts: str, args: tuple[str, ...] = (), **options: Any
) -> subprocess.CompletedProcess[str]:
    return run_cli("crawl", *starts, *server.dns_args(), *args, cwd=workdir, **options)


def last_run(workdir: Path) -> tuple[str, dict[str, Any], dict[tuple[str, str], int]]:
    """The last crawl run's status, stats and per-site outcomes."""
    with closing(sqlite3.connect(workdir / "archive.db")) as db:
        run_id, status, stats = db.execute(
            "SELECT id, status, stats FROM crawl_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        outcomes = db.execute(
            "SELECT site, outcome, count FROM crawl_run_outcomes WHERE crawl_run_id = ?", (run_id,)
        ).fetchall()
    return status, json.loads(stats), {(site, outcome): n for site, outcome, n in outcomes}


def articles(workdir: Path) -> dict[str, dict[str, Any]]:
    with open_archive(f"sqlite:///{workdir / 'archive.db'}") as arc:
        return {article["url"]: article for article in arc.articles()}


def blocked_sites(stats_output: str) -> dict[str, list[str]]:
    """The rows of `newsarchive stats`' table of sites answering with blocks, by site."""
    lines = stats_output.split("sites answering with blocks", 1)[1].split("\n\n", 1)[0]
    rows = [line.split() for line in lines.splitlines()[3:]]
    return {row[0]: row[1:] for row in rows if row}


def site_key(server: MockServer, site: str) -> str:
    """How the archive names a fixture site: its registrable domain and port."""
    host = wildsites.HOSTS[site]["host"]
    return f"{host.removeprefix('www.')}:{server.port}"


def served(server: MockServer, site: str) -> list[tuple[str, int, float]]:
    """(path, status, started) of each request the site answered, in order."""
    return sorted(
        (
            (path, status, started)
            for name, path, status, started, *_ in server.requests()
            if name == site
        ),
        key=lambda request: request[2],
    )


# --- polite by default ------------------------------------------------------------------


def most_at_once(intervals: list[tuple[float, float]]) -> int:
    """The most intervals open at one instant."""
    events = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    open_now = most = 0
    for _, change in events:
        open_now += change
        most = max(most, open_now)
    return most


def test_the_defaults_send_two_requests_at_most_to_a_host_and_honour_crawl_delay(wild, tmp_path):
    """With no setting given, the server sees at most 2 requests at once per host (a
    host answering slowly, with 6 stories linked from its home), requests to a host
    whose robots.txt asks Crawl-delay: 1 at least a second apart, and a user agent
    naming newsarchive and the contact CRAWL_CONTACT gives."""
    wild.reset()
    result = crawl(
        wild,
        tmp_path,
        wild.url("polite"),
        wild.url("slow"),
        args=("-q", "-s", "CRAWL_CONTACT=ops@example.org"),
        polite=True,
    )
    assert result.returncode == 0, result.stderr
    timeline = wild.requests()
    per_host: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for site, _path, _status, started, ended, _agent in timeline:
        per_host[site].append((started, ended))
    assert len(per_host["polite"]) >= wildsites.POLITE_STORIES + 1
    assert max(most_at_once(intervals) for intervals in per_host.values()) <= 2

    pages = [started for path, _, started in served(wild, "slow") if path != "/robots.txt"]
    assert len(pages) >= wildsites.SLOW_STORIES + 1
    gaps = [later - earlier for earlier, later in itertools.pairwise(pages)]
    assert min(gaps) >= 0.95, gaps

    agents = {agent for *_, agent in timeline}
    assert all(a.startswith("newsarchive/") and "contact: ops@example.org" in a for a in agents)
    _, stats, _ = last_run(tmp_path)
    assert stats["newsarchive/politeness/crawl_delay"] == 1.0
    assert len(articles(tmp_path)) == wildsites.POLITE_STORIES + wildsites.SLOW_STORIES


# --- blocks ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def blocked_crawl(wild: MockServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("blocked")
    wild.reset()
    result = crawl(
        wild,
        workdir,
        wild.url("guarded"),
        wild.url("burst"),
        wild.url("gazette"),
        wild.url("walled"),
        args=BLOCK_ARGS,
    )
    status, stats, outcomes = last_run(workdir)
    listing = run_cli("stats", cwd=workdir)
    assert listing.returncode == 0, listing.stderr
    return {
        "result": result,
        "status": status,
        "stats": stats,
        "outcomes": outcomes,
        "articles": articles(workdir),
        "served": {
            site: served(wild, site)
            for site in ("guarded", "burst", "gazette", "consent", "walled")
        },
        "listing": listing.stdout,
    }


def test_a_challenge_after_n_requests_is_never_archived_and_stops_the_site(wild, blocked_crawl):
    """The guarded site answers 3 requests (its home and 2 stories) and then only with
    a challenge page: each challenge is counted, none is archived, the host is backed
    off, and after 3 blocks in a row the site is stopped: its remaining stories are not
    requested, and the summary, the run's per-site outcomes and `newsarchive stats` say so."""
    site = site_key(wild, "guarded")
    guarded = [a for a in blocked_crawl["articles"].values() if a["site"] == site]
    assert len(guarded) == wildsites.GUARDED_ANSWERS - 1
    assert all("moment" not in a["text"].lower() for a in blocked_crawl["articles"].values())

    stats, outcomes = blocked_crawl["stats"], blocked_crawl["outcomes"]
    challenged = sum(1 for _, status, _ in blocked_crawl["served"]["guarded"] if status == 403)
    assert stats["newsarchive/blocked/challenge"] == challenged >= 3
    assert outcomes[site, "blocked/challenge"] == challenged
    assert stats["newsarchive/stopped/blocked"] == outcomes[site, "stopped/blocked"] == 1
    assert stats["newsarchive/skipped/site_stopped"] >= 1
    requested = {path for path, *_ in blocked_crawl["served"]["guarded"]}
    assert len(requested - {"/", "/robots.txt"}) < wildsites.GUARDED_STORIES
    assert stats["newsarchive/politeness/backoff"] >= 0.2

    summary = blocked_crawl["result"].stderr
    assert "blocked: challenge" in summary
    assert re.search(rf"sites stopped \(blocks\) +{re.escape(site)}\n", summary)
    assert blocked_sites(blocked_crawl["listing"])[site] == [
        str(challenged),
        "challenge",
        str(challenged),
        "1",
    ]


def test_a_429_burst_slows_the_host_down_and_loses_no_story(wild, blocked_crawl):
    """The burst site answers 429 (Retry-After: 1) past 5 requests a second: the host's
    requests are spaced a second apart from then on, the 429s are retried, and every
    story is archived; none is counted blocked."""
    site = site_key(wild, "burst")
    burst = [a for a in blocked_crawl["articles"].values() if a["site"] == site]
    assert len(burst) == wildsites.BURST_STORIES
    requests = blocked_crawl["served"]["burst"]
    limited = [started for _, status, started in requests if status == 429]
    assert limited
    after = [started for _, _, started in requests if started > limited[0] + 0.05]
    gaps = [later - earlier for earlier, later in itertools.pairwise(after)]
    assert gaps and min(gaps) >= 0.95, gaps
    assert blocked_crawl["stats"]["newsarchive/politeness/backoff"] >= 1.0
    assert not any(
        outcome.startswith("blocked/") and s == site for s, outcome in blocked_crawl["outcomes"]
    )


def test_a_consent_wall_redirect_to_another_host_is_blocked_and_never_followed(wild, blocked_crawl):
    site = site_key(wild, "gazette")
    urls = {a["url"] for a in blocked_crawl["articles"].values() if a["site"] == site}
    assert urls == {wild.url("gazette", wildsites.GAZETTE_OPEN)}
    walled = len(wildsites.GAZETTE_WALLED)
    assert blocked_crawl["stats"]["newsarchive/blocked/consent_wall"] == walled
    assert blocked_crawl["outcomes"][site, "blocked/consent_wall"] == walled
    assert blocked_crawl["served"]["consent"] == []


def test_a_site_answering_only_blocks_ends_the_crawl_with_exit_1(wild, blocked_crawl):
    """The walled site answers everything, its home included, with an "Access Denied"
    page: nothing of it is archived, and the crawl (whose other sites were crawled) ends
    with status ``blocked``, exit code 1 and a message naming the site; the guarded
    site, which answered a few pages before it refused, is not named."""
    result = blocked_crawl["result"]
    assert result.returncode == 1
    site = site_key(wild, "walled")
    assert "crawl blocked: these sites answered nothing but" in result.stderr
    assert f"{site} (access_denied)." in result.stderr
    assert site_key(wild, "guarded") not in result.stderr.split("crawl blocked:")[1]
    assert "Traceback" not in result.stderr
    stats, outcomes = blocked_crawl["stats"], blocked_crawl["outcomes"]
    assert blocked_crawl["status"] == "blocked"
    assert stats["newsarchive/blocked/access_denied"] == outcomes[site, "blocked/access_denied"]
    pages = [
        (p, status) for p, status, _ in blocked_crawl["served"]["walled"] if p != "/robots.txt"
    ]
    assert pages == [("/", 200)]
    assert not any(a["site"] == site for a in blocked_crawl["articles"].values())
    listing = blocked_crawl["listing"]
    assert blocked_sites(listing)[site] == ["1", "access_denied", "1", "0"]
    assert listing.splitlines()[-1].split()[4] == "blocked"  # the run's status


# --- sitemaps, feeds, one publisher on several hosts ------------------------------------------


@pytest.fixture(scope="module")
def discovered(wild: MockServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("discovered")
    wild.reset()
    result = crawl(
        wild,
        workdir,
        wild.url("paper"),
        wild.url("wirenews", "/news-sitemap.xml"),
        wild.url("courier"),
        args=("-q", "--since", "2024-01-01"),
    )
    assert result.returncode == 0, result.stderr
    with open_archive(f"sqlite:///{workdir / 'archive.db'}") as arc:
        urls = {
            row["url"]: row["urls"] for row in arc.articles() if row["site"].startswith("paper.")
        }
    _, stats, _ = last_run(workdir)
    return {
        "articles": articles(workdir),
        "urls": urls,
        "stats": stats,
        "served": {site: served(wild, site) for site in wildsites.HOSTS},
    }


def test_a_google_news_sitemap_as_publishers_write_it(wild, discovered):
    """A BOM and blank lines before the XML declaration, capital element names, an
    undeclared ``news:`` prefix: its pages are found; news:title, publication_date and
    keywords stand in for what the page does not say; the image and video files it
    lists as <loc> are never requested, nor the image inside an entry; the 2019 story
    is not requested by a crawl ``--since 2024-01-01`` (its publication date)."""
    story = discovered["articles"][wild.url("wirenews", wildsites.NEWS_STORY)]
    assert story["title"] == wildsites.NEWS_TITLE
    assert story["published_at"] == datetime(2024, 9, 2, 4, 30, tzinfo=UTC)
    assert story["tags"] == wildsites.NEWS_KEYWORDS
    assert wild.url("wirenews", wildsites.NEWS_VIDEO_PAGE) in discovered["articles"]
    requested = {path for path, *_ in discovered["served"]["wirenews"]}
    assert not any(path.startswith("/media/") for path in requested)
    assert "/stories/not-a-page-either/" not in requested
    assert wildsites.NEWS_OLD not in requested
    assert wild.url("wirenews", wildsites.NEWS_OLD) not in discovered["articles"]
    assert discovered["stats"]["newsarchive/skipped/not_a_page"] == 2
    assert discovered["stats"]["newsarchive/skipped/since"] == 1


def test_a_json_feed_announced_by_a_home_page_yields_its_stories(wild, discovered):
    """The home links no story; its JSON Feed 1.1 lists them (``url``, ``url`` beside an
    ``external_url`` to another site, ``external_url`` alone)."""
    found = {url: a for url, a in discovered["articles"].items() if "courier" in url}
    assert set(found) == {wild.url("courier", path) for path in wildsites.COURIER}
    assert all("harbour" in a["tags"] for a in found.values())
    assert discovered["stats"]["newsarchive/discovered/feed"] == 1


def test_amp_mobile_www_and_bare_hosts_are_one_site_and_one_article_per_story(wild, discovered):
    """Each story is archived once, under its www. URL, with the AMP, mobile and bare
    domain URLs that led to it as aliases; the harbour story's own AMP copy (announced
    with rel=amphtml and linked from its page) is never requested."""
    www = {name: wild.url("paper", path) for name, path in wildsites.PAPER.items()}
    assert set(discovered["urls"]) == set(www.values())
    assert wild.url("paper-m", wildsites.PAPER["ferry"]) in discovered["urls"][www["ferry"]]
    assert wild.url("paper-amp", wildsites.PAPER["bridge"]) in discovered["urls"][www["bridge"]]
    assert wild.url("paper-bare", wildsites.PAPER["harbour"]) in discovered["urls"][www["harbour"]]
    assert {a["site"] for url, a in discovered["articles"].items() if url in www.values()} == {
        site_key(wild, "paper")
    }
    amp_requested = {path for path, *_ in discovered["served"]["paper-amp"]}
    assert wildsites.PAPER["harbour"] not in amp_requested
    assert discovered["stats"]["newsarchive/skipped/copy_of_canonical"] == 2


# --- paywalls and live blogs, crawled twice -----------------------------------------------


@pytest.fixture(scope="module")
def ledger(wild: MockServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The ledger crawled with its story behind the paywall and its live blog at two
    updates; then, the paywall lifted and a third update posted, crawled again."""
    workdir = tmp_path_factory.mktemp("ledger")
    wild.set_state("paywall", "teaser")
    wild.set_state("live", "1")
    first = crawl(wild, workdir, wild.url("ledger"), args=("-q",))
    assert first.returncode == 0, first.stderr
    before = articles(workdir)
    wild.set_state("paywall", "full")
    wild.set_state("live", "2")
    second = crawl(wild, workdir, wild.url("ledger"), args=("-q",))
    assert second.returncode == 0, second.stderr
    with open_archive(f"sqlite:///{workdir / 'archive.db'}") as arc:
        after = {a["url"]: arc.article(a["id"]) for a in arc.articles()}
        walled_now = [a["url"] for a in arc.articles(ArticleFilter(paywalled=True))]
    return {
        "workdir": workdir,
        "before": before,
        "after": after,
        "walled_now": walled_now,
        "stats": last_run(workdir)[1],
    }


def test_a_paywalled_teaser_is_kept_flagged_and_its_full_text_later_is_the_paywall_lifted(
    wild, ledger
):
    url = wild.url("ledger", wildsites.PAYWALL_PATH)
    teaser, story = ledger["before"][url], ledger["after"][url]
    assert teaser["paywalled"]
    assert not story["paywalled"] and len(story["text"]) > 2 * len(teaser["text"])
    assert [(v["version"], v["reason"], v["paywalled"]) for v in story["versions"]] == [
        (1, "first", True),
        (2, "paywall_lifted", False),
    ]
    assert ledger["stats"]["newsarchive/versions/paywall_lifted"] == 1
    assert ledger["walled_now"] == []
    # exports and search filters carry the flag
    workdir = ledger["workdir"]
    exported = run_cli("export", "--no-paywalled", cwd=workdir)
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert {row["url"]: row["paywalled"] for row in rows}[url] is False
    assert run_cli("export", "--paywalled", cwd=workdir).stdout == ""
    found = run_cli("search", "harbour OR council", "--no-paywalled", "--json", cwd=workdir)
    assert url in {json.loads(line)["url"] for line in found.stdout.splitlines()}
    shown = run_cli("show", url, "--versions", cwd=workdir).stdout
    assert "first (paywalled)" in shown and "paywall lifted" in shown


def test_a_live_blog_updated_between_two_crawls_is_one_article_with_a_live_update(wild, ledger):
    url = wild.url("ledger", wildsites.LIVE_PATH)
    assert ledger["before"][url]["modified_at"] == datetime.fromisoformat(
        wildsites.LIVE_MODIFIED["1"]
    )
    live = ledger["after"][url]
    assert sum(1 for u in ledger["after"] if "budget-day-live" in u) == 1
    assert live["modified_at"] == datetime.fromisoformat(wildsites.LIVE_MODIFIED["2"])
    assert [(v["version"], v["reason"], v["modified_at"]) for v in live["versions"]] == [
        (1, "first", datetime.fromisoformat(wildsites.LIVE_MODIFIED["1"])),
        (2, "live_update", datetime.fromisoformat(wildsites.LIVE_MODIFIED["2"])),
    ]
    assert ledger["stats"]["newsarchive/versions/live_update"] == 1
