"""End to end: a site's title suffix, named nowhere in its markup, is learned from its
titles during the crawl and never reaches the archive.

The fixture site (``tests.support.sitegen.generate_affix_site``, on 127.0.0.23) titles
every page "Headline | Harbour Town Gazette" with no og:site_name, no <h1> and no stated
headline: one page alone keeps the suffix (checked below); the archive, which sees the
site's titles together, cuts it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from crawler.urls import normalize_url
from pipelines.extraction import extract_article
from tests.support.cli import run_cli, start_mockserver
from tests.support.sitegen import AFFIX_SITE_NAME, generate_affix_site

pytestmark = pytest.mark.slow


def test_the_learned_suffix_is_cut_from_every_archived_title(tmp_path: Path) -> None:
    articles = generate_affix_site(tmp_path / "sites")
    server = start_mockserver(tmp_path / "sites")
    try:
        # one page alone: nothing says "Harbour Town Gazette" is the site's name
        path, headline = next(iter(articles.items()))
        page = (tmp_path / "sites" / "gazette" / path.lstrip("/")).read_text(encoding="utf-8")
        alone = extract_article(page, server.url("gazette", path)).title
        assert alone == f"{headline} | {AFFIX_SITE_NAME}"

        workdir = tmp_path / "crawl"
        workdir.mkdir()
        crawl = run_cli("crawl", server.url("gazette", "/"), "-q", cwd=workdir)
        assert crawl.returncode == 0, crawl.stderr
        result = run_cli("export", "--format", "jsonl", "-o", "articles.jsonl", cwd=workdir)
        assert result.returncode == 0, result.stderr
        rows = [json.loads(line) for line in (workdir / "articles.jsonl").read_text().splitlines()]
        titles = {row["url"]: row["title"] for row in rows}
        assert titles == {
            normalize_url(server.url("gazette", path)): headline
            for path, headline in articles.items()
        }
        assert "Tram delays - again" in titles.values()  # its own dash stays

        db = sqlite3.connect(workdir / "archive.db")
        try:
            counts = dict(
                db.execute("SELECT key, articles FROM title_segments WHERE \"end\" = 'suffix'")
            )
            versions = [row[0] for row in db.execute("SELECT title FROM versions")]
        finally:
            db.close()
        assert counts["harbourtowngazette"] == len(articles)
        assert sorted(versions) == sorted(articles.values())  # the versions agree
    finally:
        server.stop()
