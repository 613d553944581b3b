"""End to end: the `newsarchive` command crawls the fixture sites into a real SQLite file.

One crawl of every kind of start (a site home, a sitemap index with a gzip child, an
RSS feed, an Atom feed, the boilerplate-heavy site) runs once for the module; the
tests then read the archive back through `newsarchive export` and `stats`.
"""

from __future__ import annotations

import json
import sqlite3
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from archive.bodies import decompress_body, payload_digest
from crawler.urls import normalize_url
from tests.support.cli import SITES_DIR, MockServer, run_cli

pytestmark = pytest.mark.slow

EXPECTED: dict[str, Any] = json.loads((SITES_DIR / "expected.json").read_text(encoding="utf-8"))
# Every site's archived story text is exactly its paragraphs: the extractor drops the
# wire's section label and filing line, the archive learns and removes the plugin site's
# injected block (archive/boilerplate.py).
EXACT_TEXT_SITES = {"news", "wire", "daily", "blog", "iria", "plugin"}


def fill(value: Any, server: MockServer, site: str) -> Any:
    if isinstance(value, str):
        return value.replace("{{base}}", server.sites[site])
    return value


def expected_articles(server: MockServer, max_depth: int = 2) -> dict[str, dict[str, Any]]:
    return {
        normalize_url(server.url(a["site"], a["path"])): a
        for a in EXPECTED["articles"]
        if a["depth"] <= max_depth
    }


def export(workdir: Path) -> dict[str, dict[str, Any]]:
    result = run_cli("export", "--format", "jsonl", "-o", "articles.jsonl", cwd=workdir)
    assert result.returncode == 0, result.stderr
    lines = (workdir / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["url"]: row for row in map(json.loads, lines)}


@pytest.fixture(scope="module")
def crawled(mockserver: MockServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("crawl")
    mockserver.reset()
    starts = [mockserver.url(site, path) for site, path in EXPECTED["starts"].items()]
    first = run_cli("crawl", *starts, "-s", "PROGRESS_INTERVAL=1", cwd=workdir)
    first_log = mockserver.log()
    articles = export(workdir)
    second = run_cli("crawl", *starts, cwd=workdir)
    return {
        "workdir": workdir,
        "first": first,
        "second": second,
        "log": first_log,
        "articles": articles,
        "again": export(workdir),
    }


def test_the_crawl_finishes_and_reports_progress_and_a_summary(crawled):
    first = crawled["first"]
    assert first.returncode == 0, first.stderr
    assert (crawled["workdir"] / "archive.db").exists()
    assert "[newsarchive] crawl summary" in first.stderr
    assert "status                finished" in first.stderr or "finished" in first.stderr
    assert "articles new" in first.stderr


def test_exactly_the_articles_are_archived(crawled, mockserver):
    assert set(crawled["articles"]) == set(expected_articles(mockserver))


def test_section_tag_search_author_and_about_pages_are_not_archived(crawled, mockserver):
    archived = {u for row in crawled["articles"].values() for u in row["urls"]}
    for page in EXPECTED["non_articles"]:
        assert normalize_url(mockserver.url(page["site"], page["path"])) not in archived, page


def test_robots_txt_is_obeyed(crawled):
    for page in EXPECTED["forbidden"]:
        assert page["path"] not in crawled["log"].get(page["site"], {}), page


def test_robots_txt_judges_every_request_that_waited_for_it(mockserver, tmp_path):
    # Several requests to one host at once (start URLs of one site; a crawl resumed from
    # a shared frontier) all wait for its robots.txt: Scrapy handed the second waiter on
    # "no robots.txt", and the forbidden page was fetched and archived.
    mockserver.reset()
    news = [a["path"] for a in EXPECTED["articles"] if a["site"] == "news"][:4]
    forbidden = [page["path"] for page in EXPECTED["forbidden"] if page["site"] == "news"]
    starts = [mockserver.url("news", path) for path in news + forbidden]
    result = run_cli("crawl", *starts, "--depth", "0", "--workers", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    fetched = mockserver.log()["news"]
    assert set(news) <= set(fetched)
    assert not set(forbidden) & set(fetched), fetched
    assert "skipped: robots_txt                       1" in result.stderr
    archived = {url.removeprefix(mockserver.url("news", "")) for url in export(tmp_path)}
    assert set(news) <= archived and not set(forbidden) & archived


def test_metadata_comes_out_right(crawled, mockserver):
    for url, want in expected_articles(mockserver).items():
        got = crawled["articles"][url]
        site = want["site"]
        assert got["title"] == want["title"], url
        assert got["authors"] == want["authors"], url
        assert got["published_at"] == want["published_at"], url
        assert got["modified_at"] == want["modified_at"], url
        assert got["sitename"] == want["sitename"], url
        assert got["language"] == want["language"], url
        assert got["description"] == want["description"], url
        assert got["tags"] == want["tags"], url
        assert sorted(got["categories"]) == sorted(want["categories"]), url
        assert got["image"] == fill(want["image"], mockserver, site), url
        assert got["url"] == normalize_url(fill(want["canonical"], mockserver, site)), url


def test_every_story_paragraph_and_no_template_boilerplate_reaches_the_archive(crawled, mockserver):
    for url, want in expected_articles(mockserver).items():
        text = crawled["articles"][url]["text"]
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for paragraph in want["paragraphs"]:
            assert paragraph in text, (url, paragraph)
        site = want["site"]
        boilerplate = list(EXPECTED["boilerplate_lines"].get(site, []))
        if site == "plugin":
            boilerplate += EXPECTED["boilerplate_lines"]["plugin_injected"]
        boilerplate += [
            t.replace("{title}", want["title"])
            for t in EXPECTED["boilerplate_templates"].get(site, [])
        ]
        for line in boilerplate:
            assert line not in lines, (url, line)
        assert lines[0] != want["title"], f"title repeated at the top of {url}"
        if site in EXACT_TEXT_SITES:
            assert lines == want["paragraphs"], url


def test_the_seed_boilerplate_never_reaches_the_archive(crawled):
    seed_noise = ["Related Articles", "Leave a comment", "Back to Top", "Enter your email address:"]
    for row in crawled["articles"].values():
        lines = {line.strip() for line in row["text"].splitlines()}
        assert not lines & set(seed_noise), row["url"]


def assert_aliases_kept(articles: dict[str, Any], want: dict[str, Any], server: MockServer) -> None:
    url = normalize_url(fill(want["canonical"], server, want["site"]))
    for alias in want.get("aliases", []):
        assert normalize_url(server.url(want["site"], alias)) in articles[url]["urls"], (url, alias)


def test_one_article_under_several_urls_is_one_row_with_its_aliases(crawled, mockserver):
    harbour = next(a for a in EXPECTED["articles"] if "/?p=123" in a.get("aliases", []))
    assert_aliases_kept(crawled["articles"], harbour, mockserver)
    hashes = [(r["site"], r["content_hash"]) for r in crawled["articles"].values()]
    assert len(hashes) == len(set(hashes))


def test_each_capture_holds_the_page_as_served(crawled):
    # The workers compress and hash each body (archive/bodies.py); what the archive
    # holds must still be the server's bytes, their size and their SHA-1.
    with sqlite3.connect(crawled["workdir"] / "archive.db") as db:
        captures = db.execute(
            "SELECT final_url, body, body_codec, body_size, payload_digest FROM captures"
        ).fetchall()
    assert len(captures) == len(crawled["articles"])
    for final_url, data, codec, size, digest in captures:
        with urllib.request.urlopen(final_url, timeout=10) as response:
            served = response.read()
        body = decompress_body(data, codec)
        assert codec == "zstd" and len(data) < len(body)
        assert body == served, final_url
        assert (size, digest) == (len(served), payload_digest(served))


def test_a_second_crawl_adds_nothing(crawled):
    second = crawled["second"]
    assert second.returncode == 0, second.stderr
    before, after = crawled["articles"], crawled["again"]
    assert set(after) == set(before)
    for url, row in after.items():
        old = before[url]
        assert {k: v for k, v in row.items() if k != "last_seen_at"} == {
            k: v for k, v in old.items() if k != "last_seen_at"
        }
        assert row["last_seen_at"] >= old["last_seen_at"]
    db = sqlite3.connect(crawled["workdir"] / "archive.db")
    counts = {
        t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("articles", "versions", "captures")
    }
    db.close()
    assert counts == {"articles": len(before), "versions": len(before), "captures": len(before)}


def test_stats_show_sites_and_both_runs(crawled, mockserver):
    result = run_cli("stats", cwd=crawled["workdir"])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"{len(crawled['articles'])} articles in 6 sites" in out
    for origin in mockserver.sites.values():
        assert origin.removeprefix("http://") in out
    lines = out.split("crawl runs", 1)[1].splitlines()
    header = next(line for line in lines if line.startswith("run ")).split()
    # "started (UTC)" and its value "YYYY-MM-DD HH:MM:SS" are both two words, so columns align
    runs = {int(r[0]): r for r in (line.split() for line in lines if line[:1].isdigit())}
    status, new_col, updated_col, unchanged_col, skipped_col = (
        header.index(h) for h in ("status", "new", "updated", "unchanged", "skipped")
    )
    assert runs[1][status] == "finished" and runs[2][status] == "finished"
    assert int(runs[2][new_col]) == int(runs[2][updated_col]) == 0
    # A re-crawl skips the articles a sitemap lists as unmodified since it last saw them.
    second = int(runs[2][unchanged_col]) + int(runs[2][skipped_col])
    assert second >= len(crawled["articles"])


def test_depth_limits_link_following_and_redirected_urls_become_aliases(mockserver, tmp_path):
    home = mockserver.url("news", "/")
    shallow = run_cli("crawl", home, "--depth", "1", "-q", cwd=tmp_path)
    assert shallow.returncode == 0, shallow.stderr
    at_depth_1 = set(export(tmp_path))
    deep = run_cli("crawl", home, "--depth", "3", "-q", cwd=tmp_path)
    assert deep.returncode == 0, deep.stderr
    articles = export(tmp_path)
    news = {
        u: a for u, a in expected_articles(mockserver, max_depth=3).items() if a["site"] == "news"
    }
    assert set(articles) == set(news)
    # depth 1 reaches only what the home page's feed and robots.txt sitemap list
    assert at_depth_1 < set(news)
    deepest = {u for u, a in news.items() if a["depth"] == 3}
    assert deepest and not deepest & at_depth_1
    for want in news.values():
        assert_aliases_kept(articles, want, mockserver)


def test_max_pages_caps_the_pages_fetched_per_site(mockserver, tmp_path):
    mockserver.reset()
    result = run_cli("crawl", mockserver.url("iria", "/"), "--max-pages", "3", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pages = [p for p in mockserver.log().get("iria", {}) if p not in {"/robots.txt", "/"}]
    assert 0 < len(pages) <= 3
    assert len(export(tmp_path)) <= 3


def test_a_sites_file_applies_per_site_options(mockserver, tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text(
        f"""
[defaults]
depth = 2

[[site]]
name = "IRIA"
start = ["{mockserver.url("iria", "/")}"]
deny = ['/2024/03/']

[[site]]
start = "{mockserver.url("blog", "/atom.xml")}"
""",
        encoding="utf-8",
    )
    result = run_cli("crawl", "--sites", str(sites), "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    urls = set(export(tmp_path))
    want = {
        u
        for u, a in expected_articles(mockserver).items()
        if a["site"] == "blog" or (a["site"] == "iria" and "/2024/03/" not in a["path"])
    }
    assert urls == want
