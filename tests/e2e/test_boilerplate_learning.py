"""End to end: the plugin site's injected block is learned and removed, and reextract
cleans an archive crawled without the learning.

The plugin fixture site has 8 articles; inside each story container a CMS plugin
injects a block (Subscribe / Enter your email address: / Related Articles / Leave a
comment / Back to Top) that trafilatura keeps, around the template's own boilerplate.
"The ministry did not respond to a request for comment." is a story line in 3 of them.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from crawler.urls import normalize_url
from tests.support.cli import SITES_DIR, MockServer, run_cli

pytestmark = pytest.mark.slow

EXPECTED: dict[str, Any] = json.loads((SITES_DIR / "expected.json").read_text(encoding="utf-8"))
INJECTED = EXPECTED["boilerplate_lines"]["plugin_injected"]
TEMPLATE = EXPECTED["boilerplate_lines"]["plugin"]
RECURRING = EXPECTED["story_lines_that_recur"]["plugin"]
PLUGIN_ARTICLES = [a for a in EXPECTED["articles"] if a["site"] == "plugin"]


def export(workdir: Path) -> dict[str, dict[str, Any]]:
    result = run_cli("export", "--format", "jsonl", "-o", "articles.jsonl", cwd=workdir)
    assert result.returncode == 0, result.stderr
    lines = (workdir / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["url"]: row for row in map(json.loads, lines)}


def table_counts(workdir: Path) -> dict[str, int]:
    db = sqlite3.connect(workdir / "archive.db")
    try:
        return {
            table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "versions", "captures")
        }
    finally:
        db.close()


def assert_clean_plugin_archive(articles: dict[str, dict[str, Any]], server: MockServer) -> None:
    """Every article holds every story paragraph, in order, and no injected or template line."""
    assert len(PLUGIN_ARTICLES) >= 6
    for want in PLUGIN_ARTICLES:
        url = normalize_url(server.url("plugin", want["path"]))
        lines = [line.strip() for line in articles[url]["text"].splitlines() if line.strip()]
        assert lines == want["paragraphs"], url
        assert not set(lines) & {*INJECTED, *TEMPLATE}, url
    holding = [a for a in articles.values() if any(r in a["text"].splitlines() for r in RECURRING)]
    assert len(holding) == 3


@pytest.fixture(scope="module")
def plugin_crawl(
    mockserver: MockServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("plugin")
    result = run_cli("crawl", mockserver.url("plugin", "/"), cwd=workdir)
    return {"workdir": workdir, "result": result, "articles": export(workdir)}


def test_the_plugin_block_never_reaches_the_archive_and_the_story_stays(plugin_crawl, mockserver):
    assert plugin_crawl["result"].returncode == 0, plugin_crawl["result"].stderr
    articles = plugin_crawl["articles"]
    assert set(articles) == {
        normalize_url(mockserver.url("plugin", a["path"])) for a in PLUGIN_ARTICLES
    }
    assert_clean_plugin_archive(articles, mockserver)


def test_cleaning_adds_no_versions_and_keeps_the_removed_lines(plugin_crawl):
    workdir = plugin_crawl["workdir"]
    assert table_counts(workdir) == {"articles": 8, "versions": 8, "captures": 8}
    db = sqlite3.connect(workdir / "archive.db")
    try:
        removed = [json.loads(row[0]) for row in db.execute("SELECT boilerplate FROM articles")]
        model = db.execute("SELECT lines FROM boilerplate_models ORDER BY revision DESC").fetchone()
        same = db.execute(
            "SELECT count(*) FROM articles a JOIN versions v ON v.article_id = a.id "
            "AND v.version = a.version WHERE v.text = a.text AND v.content_hash = a.content_hash"
        ).fetchone()[0]
    finally:
        db.close()
    assert all(set(r["tail"]) <= set(INJECTED) and r["tail"] for r in removed)
    assert {line["text"] for line in json.loads(model[0])} <= set(INJECTED)
    assert same == 8


def test_reextract_cleans_an_archive_crawled_without_learning(mockserver, tmp_path):
    crawl = run_cli(
        "crawl",
        mockserver.url("plugin", "/"),
        "-q",
        "-s",
        "ARCHIVE_BOILERPLATE_ENABLED=False",
        cwd=tmp_path,
    )
    assert crawl.returncode == 0, crawl.stderr
    before = export(tmp_path)
    # without the site's model, injected lines the generic rules do not know stay (the
    # subscribe prompt is dropped by them anywhere in a story since issue 17)
    assert all(any(line in row["text"] for line in INJECTED) for row in before.values())

    result = run_cli("reextract", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "re-extracted 8 of 8 articles: 8 changed (8 in their text), 0 failed" in result.stdout
    assert "[newsarchive] reextract: 8/8 articles (100%)" in result.stderr
    after = export(tmp_path)
    assert_clean_plugin_archive(after, mockserver)
    assert table_counts(tmp_path) == {"articles": 8, "versions": 8, "captures": 8}
    for url, row in after.items():
        assert row["id"] == before[url]["id"] and row["title"] == before[url]["title"]
        assert row["content_hash"] != before[url]["content_hash"]

    again = run_cli("reextract", "-q", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "8 of 8 articles: 0 changed" in again.stdout, "re-cleaning must be reproducible"
    assert again.stderr == ""
    assert export(tmp_path) == after


def test_reextract_selects_by_site_and_date_and_refuses_bad_input(mockserver, tmp_path):
    crawl = run_cli("crawl", mockserver.url("blog", "/atom.xml"), "-q", cwd=tmp_path)
    assert crawl.returncode == 0, crawl.stderr
    blog = mockserver.sites["blog"]
    only_blog = run_cli("reextract", "--site", blog, "-q", cwd=tmp_path)
    assert only_blog.returncode == 0, only_blog.stderr
    assert "re-extracted 3 of 3 articles: 0 changed" in only_blog.stdout
    other = run_cli("reextract", "--site", "elsewhere.example.com", cwd=tmp_path)
    assert other.returncode == 0 and "nothing to re-extract" in other.stdout
    future = run_cli("reextract", "--since", "2999-01-01", cwd=tmp_path)
    assert future.returncode == 0 and "nothing to re-extract" in future.stdout
    bad = run_cli("reextract", "--since", "last tuesday", cwd=tmp_path)
    assert bad.returncode == 2 and "not a date" in bad.stderr
    missing = run_cli("reextract", "--db", f"sqlite:///{tmp_path}/none.db", cwd=tmp_path)
    assert missing.returncode == 2 and "no archive at" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_reextract_keeps_an_article_whose_capture_cannot_be_extracted(mockserver, tmp_path):
    crawl = run_cli("crawl", mockserver.url("blog", "/atom.xml"), "-q", cwd=tmp_path)
    assert crawl.returncode == 0, crawl.stderr
    before = export(tmp_path)
    db = sqlite3.connect(tmp_path / "archive.db")
    with db:
        article_id = db.execute("SELECT min(id) FROM articles").fetchone()[0]
        db.execute(
            "UPDATE captures SET body = ?, body_codec = 'identity' WHERE article_id = ?",
            (b"%PDF-1.4 not a page at all", article_id),
        )
    db.close()
    result = run_cli("reextract", "-q", cwd=tmp_path)
    assert result.returncode == 1
    assert "re-extracted 2 of 3 articles: 0 changed (0 in their text), 1 failed" in result.stdout
    assert f"cannot re-extract article {article_id}" in result.stderr and "pdf" in result.stderr
    assert export(tmp_path) == before
